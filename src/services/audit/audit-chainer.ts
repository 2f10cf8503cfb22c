/**
 * Links committed audit entries into the hash chain (format: `audit-canonical.ts`).
 *
 * One chainer at a time, across every process, holds a transaction-level advisory lock;
 * writers never take it. Each batch reads the chain head, then the entries without a
 * hash in id order, gives them the next `chain_seq` values and their hashes, and
 * updates them in one statement.
 *
 * The chain order is commit-visibility order, not id order: ids come from a sequence
 * when a row is inserted, but a row becomes visible only when its transaction commits.
 * An entry whose transaction commits after a later id was chained is simply chained at
 * the next run, after it. No entry is skipped: the chainer takes every row still
 * without a hash, whatever its id or time.
 */
import type { Pool, PoolClient } from 'pg';
import { auditEntryHash, CANONICAL_COLUMNS_SQL, GENESIS_HASH, type CanonicalAuditRow } from './audit-canonical';

/** Key of the chainer's advisory lock: the bytes of `tripod:a` as a signed 64-bit integer. */
export const AUDIT_CHAIN_LOCK_KEY = '8390884987370748513';

export interface ChainOptions {
  /** Entries linked per transaction (default 1000). */
  batchSize?: number;
  /** Batches per call before returning, so one call stays bounded under load (default 100). */
  maxBatches?: number;
}

/** Thrown when the chain cannot be extended safely; `npm run audit:verify` says why. */
export class AuditChainError extends Error {
  readonly code = 'AUDIT_CHAIN_BROKEN';

  constructor(message: string) {
    super(message);
    this.name = 'AuditChainError';
  }
}

const HEAD_SQL = `select chain_seq::text as seq, encode(hash, 'hex') as hash
  from audit_log where chain_seq is not null order by chain_seq desc limit 1`;

const PENDING_SQL = `select ${CANONICAL_COLUMNS_SQL}
  from audit_log a where a.hash is null order by a.id limit $1`;

const LINK_SQL = `update audit_log a
   set chain_seq = v.seq, prev_hash = decode(v.prev_hash, 'hex'), hash = decode(v.hash, 'hex')
  from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as v(id, seq, prev_hash, hash)
 where a.id = v.id and a.hash is null`;

/**
 * Links every committed entry that has no hash yet, in batches of one transaction each.
 *
 * @returns how many entries were linked; 0 when another process holds the chainer lock.
 * @throws AuditChainError when the chain head has no hash (tampering: run the verifier).
 */
export async function chainPending(pool: Pool, options: ChainOptions = {}): Promise<number> {
  const batchSize = positiveInt(options.batchSize ?? 1000, 'batchSize');
  const maxBatches = positiveInt(options.maxBatches ?? 100, 'maxBatches');
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const linked = await chainBatch(pool, batchSize);
    if (linked === null) break;
    total += linked;
    if (linked < batchSize) break;
  }
  return total;
}

/** One transaction: null when the lock is taken, else the number of entries linked. */
async function chainBatch(pool: Pool, batchSize: number): Promise<number | null> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('begin');
    const lock = await client.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1::bigint) as locked', [AUDIT_CHAIN_LOCK_KEY]);
    if (!lock.rows[0].locked) {
      await client.query('rollback');
      return null;
    }
    const linked = await linkPending(client, batchSize);
    await client.query('commit');
    return linked;
  } catch (error) {
    broken = error;
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    // A connection whose rollback may have failed is not returned to the pool.
    client.release(broken instanceof Error ? broken : undefined);
  }
}

async function linkPending(client: PoolClient, batchSize: number): Promise<number> {
  const head = (await client.query<{ seq: string; hash: string | null }>(HEAD_SQL)).rows[0];
  if (head !== undefined && head.hash === null) {
    throw new AuditChainError(`The audit chain head (chain_seq ${head.seq}) has no hash; run npm run audit:verify`);
  }
  const pending = (await client.query<CanonicalAuditRow>(PENDING_SQL, [batchSize])).rows;
  if (pending.length === 0) return 0;

  let seq = head === undefined ? 0n : BigInt(head.seq);
  let prev = head === undefined ? GENESIS_HASH : Buffer.from(head.hash as string, 'hex');
  const ids: string[] = [];
  const seqs: string[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const row of pending) {
    seq += 1n;
    const hash = auditEntryHash(prev, row);
    ids.push(row.id);
    seqs.push(seq.toString());
    prevs.push(prev.toString('hex'));
    hashes.push(hash.toString('hex'));
    prev = hash;
  }
  const updated = await client.query(LINK_SQL, [ids, seqs, prevs, hashes]);
  if (updated.rowCount !== pending.length) {
    throw new AuditChainError(`Linked ${updated.rowCount ?? 0} of ${pending.length} audit entries; the batch was rolled back`);
  }
  return pending.length;
}

export interface ChainerOptions extends ChainOptions {
  /** Pause between runs (default 1000 ms). */
  intervalMs?: number;
  /** Receives each failed run's error (default: one line on stderr). */
  onError?: (error: unknown) => void;
}

export interface Chainer {
  /** Runs a chain pass now, or waits for the one in progress; resolves with entries linked. */
  runNow(): Promise<number>;
  /** Stops the timer, waits for a run in progress, then links what is left. */
  stop(): Promise<number>;
}

/**
 * Runs `chainPending` every `intervalMs` in the background. Runs never overlap (a tick
 * during a run is skipped), the timer does not keep the process alive, and a failed run
 * is reported to `onError` and retried at the next tick.
 */
export function startChainer(pool: Pool, options: ChainerOptions = {}): Chainer {
  const intervalMs = positiveInt(options.intervalMs ?? 1000, 'intervalMs');
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.error(`audit chainer: ${error instanceof Error ? error.message : String(error)}`);
    });
  let running: Promise<number> | null = null;
  let stopped = false;

  const run = (): Promise<number> => {
    if (running === null) {
      running = chainPending(pool, options).finally(() => {
        running = null;
      });
    }
    return running;
  };
  const tick = (): void => {
    if (running !== null || stopped) return;
    run().catch(onError);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running !== null) await running.catch(() => undefined);
      return run();
    },
  };
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Invalid ${name} ${value}: expected a positive integer`);
  }
  return value;
}
