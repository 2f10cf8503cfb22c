/**
 * The load generator: autocannon in a child process (so that it does not share the event
 * loop of the hub or the floor it measures), a fixed number of connections for a fixed
 * time, POSTing JSON bodies in rotation.
 *
 * Latency percentiles are computed here from every response's own duration (autocannon
 * reports it in fractional milliseconds; its histogram keeps whole milliseconds, too
 * coarse for sub-millisecond floors). Only 2xx responses whose body carries no GraphQL
 * `errors` count as served.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** Request bodies, sent in rotation across all connections. */
  bodies: string[];
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Served (2xx, no `errors`) responses per second. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  served: number;
  /** Non-2xx responses, bodies with GraphQL errors, connection errors and timeouts. */
  failed: number;
  /** The first failed body, cut short, to explain `failed`. */
  firstFailure: string | null;
  seconds: number;
  /** Every 2xx response's latency in ms, ascending. */
  latencies: number[];
}

/** One result from several slices of the same load (interleaved with another target's). */
export function combineLoads(slices: readonly LoadResult[]): LoadResult {
  const latencies = Float64Array.from(slices.flatMap((s) => s.latencies)).sort();
  const served = slices.reduce((sum, s) => sum + s.served, 0);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  return {
    requestsPerSecond: served / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    served,
    failed: slices.reduce((sum, s) => sum + s.failed, 0),
    firstFailure: slices.find((s) => s.firstFailure !== null)?.firstFailure ?? null,
    seconds,
    latencies: Array.from(latencies),
  };
}

/** Runs one load in a fresh child process and resolves with its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load.ts'), ['--worker'], {
      execArgv: ['-r', join(__dirname, '..', 'scripts', 'register.js')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.once('message', (message: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`load generator: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send(spec);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

async function work(spec: LoadSpec): Promise<LoadResult> {
  // Loaded here only: the parent process never needs it.
  const autocannon = require('autocannon') as (options: object) => AutocannonInstance;
  const latencies: number[] = [];
  let non2xx = 0;
  let errorBodies = 0;
  let firstFailure: string | null = null;
  let next = 0;
  const note = (what: string) => {
    firstFailure ??= what.slice(0, 400);
  };
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.headers },
    requests: [
      {
        setupRequest: (request: { body?: string }) => {
          request.body = spec.bodies[next % spec.bodies.length];
          next += 1;
          return request;
        },
        onResponse: (status: number, body: string) => {
          if (status < 200 || status >= 300) {
            non2xx += 1;
            note(`HTTP ${status}: ${body}`);
          } else if (body.includes('"errors"')) {
            errorBodies += 1;
            note(body);
          }
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, durationMs: number) => {
    if (status >= 200 && status < 300) latencies.push(durationMs);
  });
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  const sorted = Float64Array.from(latencies).sort();
  const served = Math.max(0, sorted.length - errorBodies);
  if (result.errors + result.timeouts > 0) note(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  return {
    requestsPerSecond: served / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    served,
    failed: non2xx + errorBodies + result.errors + result.timeouts,
    firstFailure,
    seconds: result.duration,
    latencies: Array.from(sorted),
  };
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
}

interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, durationMs: number) => void): void;
  on(event: 'done', listener: (result: AutocannonResult) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

if (require.main === module && process.argv.includes('--worker')) {
  process.once('message', (spec: LoadSpec) => {
    work(spec).then(
      (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
    );
  });
}
