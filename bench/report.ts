/**
 * The benchmark's markdown report: machine facts, data size, command, and one row per
 * operation with the hub's and the floor's figures and their ratios.
 */
import type { CpuSpent } from './cpu';
import type { LoadResult } from './load';

export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  /** The settings that move these figures (jit, shared_buffers, work_mem). */
  postgresSettings: string;
  databaseServer: string;
}

export interface OperationFigures {
  title: string;
  principal: string;
  /** Set when the operation did not run; the note says why. */
  skipped?: string;
  hubStatements?: number;
  /** Of `hubStatements`, those that are bookkeeping (usage counter, audit log, API key). */
  hubBookkeeping?: number;
  floorStatements?: number;
  hub?: LoadResult;
  floor?: LoadResult;
  /** `yes (n samples)`, or where the first difference is. */
  sameData?: string;
  /** CPU per served request: this process and the PostgreSQL backends of each side. */
  hubCpu?: CpuSpent;
  floorCpu?: CpuSpent;
}

export interface ReportInput {
  startedAt: Date;
  machine: MachineFacts;
  dataSize: string;
  command: string;
  settings: string;
  operations: OperationFigures[];
  notes: string[];
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const cpuCell = (cpu: CpuSpent | undefined) =>
  cpu === undefined ? '–' : `${cpu.nodeMs.toFixed(2)} + ${cpu.postgresMs === null ? '?' : cpu.postgresMs.toFixed(2)}`;
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

export function renderReport(input: ReportInput): string {
  const { machine } = input;
  const lines: string[] = [];
  lines.push(`# Query surface benchmark — ${input.startedAt.toISOString()}`);
  lines.push('');
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${fmt(machine.memoryGiB, 1)} GiB RAM, ${machine.os}`);
  lines.push(`- Node ${machine.node}; PostgreSQL ${machine.postgres} on ${machine.databaseServer} (${machine.postgresSettings})`);
  lines.push(`- Data: ${input.dataSize}`);
  lines.push(`- Command: \`${input.command}\``);
  lines.push(`- Load: ${input.settings}`);
  lines.push('');
  lines.push(
    '| operation | as | SQL/op hub (bookkeeping) | SQL/op floor | hub req/s | hub p50 ms | hub p99 ms | floor req/s | floor p50 ms | floor p99 ms | ' +
      'hub/floor req/s | hub/floor p50 | CPU ms/req hub: node + pg | CPU ms/req floor: node + pg | same data |',
  );
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  input.operations.forEach((op, index) => {
    const name = `(${index + 1}) ${op.title}`;
    if (op.skipped !== undefined || op.hub === undefined || op.floor === undefined) {
      lines.push(`| ${name} | ${op.principal} | skipped: ${op.skipped ?? 'not measured'} | | | | | | | | | | | | |`);
      return;
    }
    const { hub, floor } = op;
    const throughput = hub.requestsPerSecond / floor.requestsPerSecond;
    const latency = hub.p50Ms / floor.p50Ms;
    const failures = [hub.failed > 0 ? `hub: ${hub.failed} failed` : '', floor.failed > 0 ? `floor: ${floor.failed} failed` : ''].filter(Boolean).join('; ');
    lines.push(
      `| ${name} | ${op.principal} | ${op.hubStatements ?? '–'} (${op.hubBookkeeping ?? '–'}) | ${op.floorStatements ?? '–'} | ` +
        `${fmt(hub.requestsPerSecond)} | ${ms(hub.p50Ms)} | ${ms(hub.p99Ms)} | ${fmt(floor.requestsPerSecond)} | ${ms(floor.p50Ms)} | ${ms(floor.p99Ms)} | ` +
        `**${fmt(throughput, 2)}×** | ${fmt(latency, 1)}× | ${cpuCell(op.hubCpu)} | ${cpuCell(op.floorCpu)} | ${op.sameData ?? '–'}${failures ? ` (${failures})` : ''} |`,
    );
  });
  lines.push('');
  lines.push('hub/floor req/s: the hub’s throughput as a share of the floor’s (target ≥ 0.5). hub/floor p50: how many times the floor’s median latency the hub’s is.');
  lines.push('SQL/op: statements sent to PostgreSQL by one request, counted on the pg client in the process; bookkeeping = usage counter, audit log and API-key statements.');
  lines.push('CPU ms/req: CPU time per served request of this Node process (hub or floor; the load generator runs in another process) and of the PostgreSQL backends of that side’s pool (from /proc; `?` when the server is not local).');
  if (input.notes.length > 0) {
    lines.push('');
    for (const note of input.notes) lines.push(`- ${note}`);
  }
  lines.push('');
  return lines.join('\n');
}
