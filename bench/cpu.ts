/**
 * Where a request's CPU goes: this Node process (`process.cpuUsage`) and the PostgreSQL
 * backends serving one pool (found by `application_name` in `pg_stat_activity`, read
 * from `/proc/<pid>/stat`). The backends can be read only when the database runs on
 * this machine and `/proc` is readable; otherwise their figure is null.
 */
import { readFile } from 'node:fs/promises';
import type { Pool } from 'pg';

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  nodeMicros: number;
  /** Ticks per backend pid. */
  backends: Map<number, number> | null;
}

export interface CpuSpent {
  nodeMs: number;
  /** Null when the backends could not be read. */
  postgresMs: number | null;
}

async function backendTicks(pool: Pool, applicationName: string): Promise<Map<number, number> | null> {
  if (process.platform !== 'linux') return null;
  const result = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  const ticks = new Map<number, number>();
  for (const { pid } of result.rows) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the command name.
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      return null;
    }
  }
  return ticks;
}

export async function cpuSnapshot(pool: Pool, applicationName: string): Promise<CpuSnapshot> {
  const usage = process.cpuUsage();
  return { nodeMicros: usage.user + usage.system, backends: await backendTicks(pool, applicationName) };
}

/** CPU spent since `before`; backends that appeared since count from zero. */
export async function cpuSince(pool: Pool, applicationName: string, before: CpuSnapshot): Promise<CpuSpent> {
  const after = await cpuSnapshot(pool, applicationName);
  let postgresMs: number | null = null;
  if (before.backends !== null && after.backends !== null) {
    let ticks = 0;
    for (const [pid, now] of after.backends) ticks += now - (before.backends.get(pid) ?? 0);
    postgresMs = (ticks * 1000) / TICKS_PER_SECOND;
  }
  return { nodeMs: (after.nodeMicros - before.nodeMicros) / 1000, postgresMs };
}
