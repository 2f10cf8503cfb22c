/**
 * `npm run bench`: the query-surface benchmark (never part of `npm test` or CI).
 *
 * 1. The standard data set in the bench's own database (`bench/dataset.ts`), generated
 *    once and reused while it holds the same size and seed.
 * 2. The hub in this process (`createServer`, production mode) on a free port, with API
 *    keys issued for a lending bank, a provincial regulator and an insurer; and the
 *    FLOOR (`bench/floor.ts`) beside it.
 * 3. Per operation (`bench/operations.ts`): the SQL statements of one request, a check
 *    that hub and floor return the same data, then a bounded load on each with a few
 *    concurrent connections (`bench/load.ts`, autocannon in a child process).
 * 4. A markdown table on stdout and in `bench/out/latest.md`.
 *
 * Settings (environment): DATABASE_URL (a server to hold database `tripod_bench`; an
 * embedded PostgreSQL in `.data/bench-pg` without it), BENCH_HOUSEHOLDS (200000),
 * BENCH_SEED (20201231), BENCH_SECONDS per measurement (15), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (4), BENCH_POOL database connections of hub and floor each (10),
 * BENCH_ROUNDS (3: each measurement is split into that many slices, hub and floor
 * alternating, so that a change in background load hits both alike), BENCH_OPS
 * (comma-separated keys: household,county,loans,node), BENCH_FLOOR_PREPARED=0 (plain
 * instead of named statements on the floor), BENCH_PROFILE=1 (a CPU profile of the hub
 * under each operation's first slice, in bench/out/<key>.hub.cpuprofile), BENCH_VERBOSE=1
 * (the hub's statements). PGOPTIONS (e.g. `-c jit=off`) reaches hub and floor alike.
 */
import './production-env';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import os from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { Pool } from 'pg';
import { loadConfig, projectRoot } from '../src/config';
import { createOrm } from '../src/db/orm';
import { buildTripodSchema, createServer, GRAPHQL_PATH } from '../src/server';
import { parseKeyring } from '../src/services/identity';
import { defineLimitsConfig } from '../src/services/limits';
import { ensureDataset, type Dataset } from './dataset';
import { floorResponse, startFloor, type Floor, type FloorRoute } from './floor';
import { combineLoads, runLoad, type LoadResult } from './load';
import { OPERATIONS, type Operation } from './operations';
import { issuePrincipals, revokePrincipals, type BenchPrincipal, type BenchRole } from './principals';
import { cpuSince, cpuSnapshot } from './cpu';
import { renderReport, type MachineFacts, type OperationFigures } from './report';
import { installStatementCounter, type StatementCounter } from './sql-counter';

const say = (line: string) => process.stderr.write(`${line}\n`);

function intSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return value;
}

interface Settings {
  households: number;
  seed: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  pool: number;
  rounds: number;
  floorPrepared: boolean;
  ops: Set<string> | null;
  profile: boolean;
}

function readSettings(): Settings {
  const ops = process.env.BENCH_OPS?.trim();
  return {
    households: intSetting('BENCH_HOUSEHOLDS', 200_000, 1),
    seed: intSetting('BENCH_SEED', 20201231, 0),
    seconds: intSetting('BENCH_SECONDS', 15, 1),
    warmupSeconds: intSetting('BENCH_WARMUP_SECONDS', 3, 0),
    connections: intSetting('BENCH_CONNECTIONS', 4, 1),
    pool: intSetting('BENCH_POOL', 10, 1),
    rounds: intSetting('BENCH_ROUNDS', 3, 1),
    floorPrepared: process.env.BENCH_FLOOR_PREPARED !== '0',
    ops: ops ? new Set(ops.split(',').map((s) => s.trim())) : null,
    profile: process.env.BENCH_PROFILE === '1',
  };
}

const HUB_APPLICATION = 'tripod-bench-hub';
const FLOOR_APPLICATION = 'tripod-bench-floor';

/** Statements that keep the hub's books rather than read the answer. */
const BOOKKEEPING = /usage_counter|audit_log|api_key/i;

/** Why the document cannot run on this schema, or null when it can. */
function unsupported(schema: GraphQLSchema, op: Operation): string | null {
  const query = schema.getQueryType()?.getFields() ?? {};
  const missing = op.requires.filter((field) => query[field] === undefined);
  if (missing.length > 0) return `the schema has no Query.${missing.join(', Query.')} yet`;
  const errors = validate(schema, parse(op.document));
  return errors.length === 0 ? null : `the document does not validate: ${errors[0].message}`;
}

/** Where two JSON values first differ, e.g. `household.loans.nodes[2].position.balance: "1.00" ≠ "1.0"`. */
function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items ≠ ${b.length}`;
    for (let i = 0; i < a.length; i += 1) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (d !== null) return d;
    }
  }
  return `${path}: hub ${JSON.stringify(a)?.slice(0, 80)} ≠ floor ${JSON.stringify(b)?.slice(0, 80)}`;
}

async function machineFacts(pool: Pool, dataset: Dataset): Promise<MachineFacts> {
  const cpus = os.cpus();
  const version = await pool.query<{ server_version: string }>('SHOW server_version');
  const setting = async (name: string) => (await pool.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: version.rows[0].server_version,
    postgresSettings: `jit=${await setting('jit')}, shared_buffers=${await setting('shared_buffers')}, work_mem=${await setting('work_mem')}`,
    databaseServer: dataset.server,
  };
}

function redactedCommand(): string {
  const url = process.env.DATABASE_URL;
  const env: string[] = [];
  if (url) {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    env.push(`DATABASE_URL=${parsed.toString()}`);
  }
  for (const name of ['BENCH_HOUSEHOLDS', 'BENCH_SEED', 'BENCH_SECONDS', 'BENCH_WARMUP_SECONDS', 'BENCH_CONNECTIONS', 'BENCH_POOL', 'BENCH_OPS', 'BENCH_PROFILE']) {
    if (process.env[name]) env.push(`${name}=${process.env[name]}`);
  }
  return [...env, 'npm run bench'].join(' ');
}

interface Running {
  dataset?: Dataset;
  admin?: Pool;
  floorPool?: Pool;
  orm?: MikroORM;
  app?: FastifyInstance;
  floor?: Floor;
  principals?: Record<BenchRole, BenchPrincipal>;
}

async function shutdown(running: Running): Promise<void> {
  if (running.admin && running.principals) await revokePrincipals(running.admin, running.principals);
  await running.app?.close().catch(() => undefined);
  await running.floor?.close().catch(() => undefined);
  await running.orm?.close(true).catch(() => undefined);
  await running.floorPool?.end().catch(() => undefined);
  await running.admin?.end().catch(() => undefined);
  await running.dataset?.close().catch(() => undefined);
}

async function profiled<T>(enabled: boolean, file: string, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    say(`bench: CPU profile written to ${file}`);
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const startedAt = new Date();
  const outDir = join(projectRoot(), 'bench', 'out');
  await mkdir(outDir, { recursive: true });
  const running: Running = {};
  const notes: string[] = [];
  try {
    const dataset = await ensureDataset({ households: settings.households, seed: settings.seed }, process.env.DATABASE_URL, say);
    running.dataset = dataset;
    running.admin = new Pool({ connectionString: dataset.url, max: 2, application_name: 'tripod-bench' });
    // Stopping an embedded server at the end drops idle sessions: expected, not a crash.
    running.admin.on('error', () => undefined);
    // Comparable runs: the audit rows and usage counters of earlier runs are dropped (this
    // database is the bench's own; nothing else reads them).
    await running.admin.query('TRUNCATE audit_log, usage_counter');
    const principals = await issuePrincipals(running.admin);
    running.principals = principals;

    const secrets = dataset.secrets;
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: dataset.url,
      TRIPOD_MATCH_KEYS: secrets.matchKeys,
      TRIPOD_PII_KEYS: secrets.piiKeys,
      TRIPOD_TOKEN_SECRET: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    });
    // The production limits, except the per-key rate limit and daily budget, which a
    // load test exceeds by design; every other protection (depth, cost, aliases) runs.
    const limits = defineLimitsConfig({ default: { rateLimitPerMinute: 1_000_000, dailyCostBudget: Number.MAX_SAFE_INTEGER } });
    // Names the hub's PostgreSQL sessions, so that their CPU can be told from the floor's.
    process.env.PGAPPNAME = HUB_APPLICATION;
    running.orm = await createOrm({ url: dataset.url, statementTimeoutMs: config.statementTimeoutMs || undefined, poolMax: settings.pool });
    // BENCH_COMPILED=0: every operation on the resolvers, as before the compiled read path.
    running.app = await createServer({ orm: running.orm, config, limits: { limits, persistedOnly: false }, compiledReads: process.env.BENCH_COMPILED !== '0' });
    await running.app.listen({ host: '127.0.0.1', port: 0 });
    const address = running.app.server.address();
    const hubUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}${GRAPHQL_PATH}`;

    const schema = await buildTripodSchema();
    const selected = OPERATIONS.filter((op) => settings.ops === null || settings.ops.has(op.key));
    const routes: FloorRoute[] = selected.map((operation) => ({
      operation,
      principal: principals[operation.role].principal,
      prepared: settings.floorPrepared,
    }));
    running.floorPool = new Pool({ connectionString: dataset.url, max: settings.pool, application_name: FLOOR_APPLICATION });
    running.floorPool.on('error', () => undefined);
    const keyring = parseKeyring(secrets.piiKeys, 'bench piiKeys');
    running.floor = await startFloor(running.floorPool, routes, keyring);

    const counter: StatementCounter = installStatementCounter();
    const figures: OperationFigures[] = [];
    for (const op of selected) {
      const who = principals[op.role];
      const entry: OperationFigures = { title: op.title, principal: who.label };
      figures.push(entry);
      const reason = unsupported(schema, op);
      if (reason !== null) {
        entry.skipped = reason;
        say(`bench: ${op.key}: skipped — ${reason}`);
        continue;
      }
      const samples = await op.samples(running.admin, who.principal);
      if (samples.length === 0) {
        entry.skipped = 'the data set has no sample for it';
        continue;
      }
      const hubBodies = samples.map((variables) => JSON.stringify({ query: op.document, operationName: op.operationName, variables }));
      const floorBodies = samples.map((variables) => JSON.stringify({ variables }));
      const headers = { authorization: `Bearer ${who.token}` };
      const callHub = async (body: string) => {
        const response = await fetch(hubUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        return (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      };
      const route = routes.find((r) => r.operation === op) as FloorRoute;
      const callFloor = async (variables: Record<string, unknown>) =>
        (JSON.parse(await floorResponse(running.floorPool as Pool, route, keyring, variables)) as { data: unknown }).data;

      // A first request warms caches (API key, plans); the second is counted.
      const first = await callHub(hubBodies[0]);
      if (first.errors !== undefined) {
        entry.skipped = `the hub answered with errors: ${first.errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ').slice(0, 200)}`;
        say(`bench: ${op.key}: ${entry.skipped}`);
        continue;
      }
      counter.reset();
      const counted = await callHub(hubBodies[0]);
      // The usage charge may land just after the response.
      await new Promise((resolve) => setTimeout(resolve, 100));
      entry.hubStatements = counter.statements.length;
      entry.hubBookkeeping = counter.statements.filter((text) => BOOKKEEPING.test(text)).length;
      if (process.env.BENCH_VERBOSE === '1') say(counter.statements.map((text) => `  hub SQL: ${text.replace(/\s+/g, ' ')}`).join('\n'));
      await callFloor(samples[0]);
      counter.reset();
      const floorData = await callFloor(samples[0]);
      entry.floorStatements = counter.statements.length;

      // Same answers: the hub's and the floor's data on up to 10 samples.
      let difference = firstDifference(counted.data, floorData);
      const checked = Math.min(samples.length, 10);
      for (let i = 1; i < checked && difference === null; i += 1) {
        const hub = await callHub(hubBodies[i]);
        difference = hub.errors !== undefined ? `hub errors on sample ${i}` : firstDifference(hub.data, await callFloor(samples[i]));
      }
      entry.sameData = difference === null ? `yes (${checked} samples)` : `NO: ${difference}`;
      say(`bench: ${op.key}: ${entry.hubStatements} statements per request on the hub, ${entry.floorStatements} on the floor; same data: ${entry.sameData}`);

      const specOf = (target: 'hub' | 'floor') =>
        target === 'hub'
          ? { url: hubUrl, headers, bodies: hubBodies, connections: settings.connections }
          : { url: `${(running.floor as Floor).url}/${op.key}`, headers: {}, bodies: floorBodies, connections: settings.connections };
      if (settings.warmupSeconds > 0) {
        await runLoad({ ...specOf('hub'), durationSeconds: settings.warmupSeconds });
        await runLoad({ ...specOf('floor'), durationSeconds: settings.warmupSeconds });
      }
      const slices: Record<'hub' | 'floor', LoadResult[]> = { hub: [], floor: [] };
      const cpu = { hub: { nodeMs: 0, postgresMs: 0 as number | null }, floor: { nodeMs: 0, postgresMs: 0 as number | null } };
      const sliceSeconds = Math.max(1, Math.round(settings.seconds / settings.rounds));
      for (let round = 0; round < settings.rounds; round += 1) {
        for (const target of ['hub', 'floor'] as const) {
          const measure = () => runLoad({ ...specOf(target), durationSeconds: sliceSeconds });
          const profile = settings.profile && target === 'hub' && round === 0;
          const application = target === 'hub' ? HUB_APPLICATION : FLOOR_APPLICATION;
          const admin = running.admin as Pool;
          const before = await cpuSnapshot(admin, application);
          slices[target].push(await profiled(profile, join(outDir, `${op.key}.hub.cpuprofile`), measure));
          const spent = await cpuSince(admin, application, before);
          cpu[target].nodeMs += spent.nodeMs;
          const postgresMs = cpu[target].postgresMs;
          cpu[target].postgresMs = postgresMs === null || spent.postgresMs === null ? null : postgresMs + spent.postgresMs;
        }
      }
      for (const target of ['hub', 'floor'] as const) {
        const result = combineLoads(slices[target]);
        entry[target] = result;
        const served = Math.max(1, result.served);
        const postgresMs = cpu[target].postgresMs;
        entry[target === 'hub' ? 'hubCpu' : 'floorCpu'] = { nodeMs: cpu[target].nodeMs / served, postgresMs: postgresMs === null ? null : postgresMs / served };
        say(
          `bench: ${op.key} ${target}: ${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms` +
            (result.failed > 0 ? `, ${result.failed} failed (${result.firstFailure})` : ''),
        );
      }
    }
    counter.uninstall();

    const counts = dataset.counts;
    const dataSize =
      `${counts.household.toLocaleString('en')} households, ${counts.loan.toLocaleString('en')} loans, ` +
      `${counts.loan_position.toLocaleString('en')} positions, ${counts.insurance_policy.toLocaleString('en')} policies, ` +
      `${counts.claim.toLocaleString('en')} claims, ${counts.guarantee_contract.toLocaleString('en')} guarantees, ` +
      `${counts.contract_link.toLocaleString('en')} contract links (seedDemo, seed ${settings.seed}; ` +
      `${dataset.generated ? `generated in this run in ${dataset.generationSeconds?.toFixed(0)} s` : 'reused'})`;
    notes.push(
      'Hub: createServer in this process (production mode, API-key auth, query limits, PII audit on; per-key rate limit and daily budget raised), ' +
        `MikroORM pool ${settings.pool}. Floor: node:http + pg pool ${settings.pool}, one ${settings.floorPrepared ? 'named (prepared)' : 'unnamed'} statement per request (the PII audit insert is a CTE of it). ` +
        'Load: autocannon in a child process on the same machine; the audit chainer does not run.',
    );
    const report = renderReport({
      startedAt,
      machine: await machineFacts(running.admin, dataset),
      dataSize,
      command: redactedCommand(),
      settings:
        `${settings.connections} connections; per operation ${settings.warmupSeconds} s warm-up each, then ${settings.rounds} rounds of ` +
        `${Math.max(1, Math.round(settings.seconds / settings.rounds))} s hub / floor alternating; requests rotate over each operation's samples; ` +
        `load average ${os.loadavg().map((v) => v.toFixed(1)).join(' / ')} at the end (others' work shares the machine)`,
      operations: figures,
      notes,
    });
    process.stdout.write(`${report}\n`);
    await writeFile(join(outDir, 'latest.md'), report);
    say(`bench: report written to ${join(outDir, 'latest.md')}`);
  } finally {
    await shutdown(running);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
