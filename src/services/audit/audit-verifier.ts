/**
 * Verification of the audit hash chain (format: `audit-canonical.ts`).
 *
 * What it proves: every chained entry is as it was when it was linked (HASH_MISMATCH),
 * none between the first and the last has been removed (GAP, or BROKEN_LINK when the
 * following ones were renumbered), none has been moved (REORDERED).
 *
 * What it cannot prove on its own: that entries were not removed from the end, and that
 * the whole chain (or its tail) was not recomputed by someone able to write the table.
 * Both are closed by an anchor kept outside the database: record the head this returns
 * (`head.seq`, `head.hash`) somewhere the database's writers cannot change (a regulator's
 * system, a signed report) and pass it back as `anchor`; a shorter chain is then
 * TRUNCATED and a recomputed one ANCHOR_MISMATCH.
 */
import type { Pool, PoolClient } from 'pg';
import { auditEntryHash, CANONICAL_COLUMNS_SQL, GENESIS_HASH, type CanonicalAuditRow } from './audit-canonical';

export type AuditChainProblem = 'HASH_MISMATCH' | 'GAP' | 'BROKEN_LINK' | 'REORDERED' | 'TRUNCATED' | 'ANCHOR_MISMATCH';

/** A chain position and its hash (hex), as recorded outside the database. */
export interface AuditChainAnchor {
  seq: string;
  hash: string;
}

export interface VerifyOptions {
  /** Entries read per page (default 1000); memory stays bounded by one page. */
  pageSize?: number;
  /** Unchained entries this much older than the head count as stale (default 60 s). */
  graceMs?: number;
  /** A head recorded earlier: the chain must still hold it. */
  anchor?: AuditChainAnchor;
}

export interface AuditChainVerification {
  ok: boolean;
  /** Entries verified intact, from chain_seq 1 on. */
  checked: number;
  /** The first chain position that fails (for a GAP: the missing one). */
  firstBadSeq?: string;
  problem?: AuditChainProblem;
  /** One line for operators, naming the position and the problem. */
  message: string;
  /** The last entry verified intact: the chain head when `ok`. Record it as an anchor. */
  head: AuditChainAnchor | null;
  /** Entries written but not yet linked. */
  unchained: number;
  /**
   * Unchained entries whose `at` is more than `graceMs` before the head's (before now()
   * while nothing is chained): the chainer is stopped or lagging, or rows were unlinked.
   * Reported, not counted as a failure.
   */
  staleUnchained: number;
}

interface ChainRow extends CanonicalAuditRow {
  chain_seq: string;
  prev_hash: string | null;
  hash: string | null;
}

const ROW_COLUMNS = `a.chain_seq::text as chain_seq, encode(a.prev_hash, 'hex') as prev_hash, encode(a.hash, 'hex') as hash, ${CANONICAL_COLUMNS_SQL}`;
const FIRST_PAGE_SQL = `select ${ROW_COLUMNS} from audit_log a where a.chain_seq is not null order by a.chain_seq limit $1`;
const NEXT_PAGE_SQL = `select ${ROW_COLUMNS} from audit_log a where a.chain_seq > $1::bigint order by a.chain_seq limit $2`;

/**
 * Streams the chain in `chain_seq` order inside one read-only snapshot, recomputing
 * every hash, and stops at the first problem.
 */
export async function verifyAuditChain(pool: Pool, options: VerifyOptions = {}): Promise<AuditChainVerification> {
  const pageSize = options.pageSize ?? 1000;
  const graceMs = options.graceMs ?? 60_000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new RangeError(`Invalid pageSize ${pageSize}`);
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError(`Invalid graceMs ${graceMs}`);
  const anchor = options.anchor === undefined ? undefined : parseAnchor(options.anchor);

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One snapshot for every page: the chainer keeps appending meanwhile.
    await client.query('begin isolation level repeatable read read only');
    const result = await verifyIn(client, pageSize, graceMs, anchor);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

type Failure = { problem: AuditChainProblem; seq: string; detail: string };

async function verifyIn(
  client: PoolClient,
  pageSize: number,
  graceMs: number,
  anchor: { seq: bigint; hash: string } | undefined,
): Promise<AuditChainVerification> {
  let expected = 1n;
  let prev = GENESIS_HASH;
  let head: AuditChainAnchor | null = null;
  let headAt: string | null = null;
  let checked = 0;
  let failure: Failure | null = null;

  pages: for (let after: string | null = null; ; ) {
    const page: ChainRow[] =
      after === null
        ? (await client.query<ChainRow>(FIRST_PAGE_SQL, [pageSize])).rows
        : (await client.query<ChainRow>(NEXT_PAGE_SQL, [after, pageSize])).rows;
    for (const row of page) {
      const seq = BigInt(row.chain_seq);
      failure = await checkRow(client, row, seq, expected, prev, pageSize);
      if (failure !== null) break pages;
      const hash = row.hash as string;
      if (anchor !== undefined && seq === anchor.seq && hash !== anchor.hash) {
        failure = { problem: 'ANCHOR_MISMATCH', seq: row.chain_seq, detail: 'hash differs from the recorded anchor (the chain was recomputed up to here)' };
        break pages;
      }
      checked += 1;
      expected = seq + 1n;
      prev = Buffer.from(hash, 'hex');
      head = { seq: row.chain_seq, hash };
      headAt = row.at;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1].chain_seq;
  }

  if (failure === null && anchor !== undefined && expected <= anchor.seq) {
    failure = { problem: 'TRUNCATED', seq: expected.toString(), detail: `entry missing (the chain ends before the recorded anchor at ${anchor.seq})` };
  }

  const backlog = await client.query<{ unchained: number; stale: number }>(
    `select count(*)::int as unchained,
            (count(*) filter (where "at" < coalesce($1::timestamptz, now()) - $2::double precision * interval '1 millisecond'))::int as stale
       from audit_log where hash is null`,
    [headAt, graceMs],
  );
  const { unchained, stale } = backlog.rows[0];

  if (failure !== null) {
    return {
      ok: false,
      checked,
      firstBadSeq: failure.seq,
      problem: failure.problem,
      message: `audit chain ${failure.problem} at chain_seq ${failure.seq}: ${failure.detail}; ${checked} entries verified before it`,
      head,
      unchained,
      staleUnchained: stale,
    };
  }
  const tail = head === null ? 'the chain is empty' : `head ${head.seq}:${head.hash}`;
  return {
    ok: true,
    checked,
    message: `audit chain ok: ${checked} entries verified, ${tail}; ${unchained} unchained (${stale} stale)`,
    head,
    unchained,
    staleUnchained: stale,
  };
}

async function checkRow(client: PoolClient, row: ChainRow, seq: bigint, expected: bigint, prev: Buffer, pageSize: number): Promise<Failure | null> {
  if (seq !== expected) {
    const missing = seq > expected ? expected : seq;
    return { problem: 'GAP', seq: missing.toString(), detail: seq > expected ? `entry missing (the next present is ${row.chain_seq})` : 'chain_seq out of range' };
  }
  const selfConsistent = row.prev_hash !== null && row.hash !== null && auditEntryHash(Buffer.from(row.prev_hash, 'hex'), row).toString('hex') === row.hash;

  if (row.prev_hash !== prev.toString('hex')) {
    // An intact entry whose predecessor sits elsewhere in the chain was moved.
    if (selfConsistent && (await seqOfHash(client, row.prev_hash as string, row.chain_seq)) !== null) {
      return { problem: 'REORDERED', seq: row.chain_seq, detail: 'entry moved here from another position (its predecessor is elsewhere in the chain)' };
    }
    return { problem: 'BROKEN_LINK', seq: row.chain_seq, detail: "prev_hash does not match the previous entry's hash" };
  }
  if (!selfConsistent) {
    const home = await homeOf(client, row, pageSize);
    if (home !== null) {
      return { problem: 'REORDERED', seq: row.chain_seq, detail: `entry holds the contents chained at ${home}` };
    }
    return { problem: 'HASH_MISMATCH', seq: row.chain_seq, detail: 'entry does not match its hash (edited)' };
  }
  return null;
}

/** The position of the entry whose hash is `hashHex`, other than `notSeq`. Failure path only. */
async function seqOfHash(client: PoolClient, hashHex: string, notSeq: string): Promise<string | null> {
  const found = await client.query<{ seq: string }>(
    `select chain_seq::text as seq from audit_log where hash = decode($1, 'hex') and chain_seq <> $2::bigint and chain_seq is not null limit 1`,
    [hashHex, notSeq],
  );
  return found.rows[0]?.seq ?? null;
}

/**
 * The position whose link and hash this entry's content fits (its contents were swapped
 * with another's), found by one more paged pass over the chain. Failure path only.
 */
async function homeOf(client: PoolClient, row: ChainRow, pageSize: number): Promise<string | null> {
  for (let after = '-9223372036854775808'; ; ) {
    const page: Array<{ seq: string; prev_hash: string | null; hash: string | null }> = (
      await client.query(
        `select chain_seq::text as seq, encode(prev_hash, 'hex') as prev_hash, encode(hash, 'hex') as hash
           from audit_log where chain_seq > $1::bigint order by chain_seq limit $2`,
        [after, pageSize],
      )
    ).rows;
    for (const candidate of page) {
      if (candidate.seq === row.chain_seq || candidate.prev_hash === null || candidate.hash === null) continue;
      if (auditEntryHash(Buffer.from(candidate.prev_hash, 'hex'), row).toString('hex') === candidate.hash) {
        return candidate.seq;
      }
    }
    if (page.length < pageSize) return null;
    after = page[page.length - 1].seq;
  }
}

/**
 * Parses `<seq>:<64 hex digits>`, the form `verifyAuditChain` reports heads in.
 *
 * @throws RangeError on any other form.
 */
export function parseAuditAnchor(text: string): AuditChainAnchor {
  const match = /^([1-9][0-9]{0,18}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (match === null) {
    throw new RangeError('Invalid audit anchor: expected <chain_seq>:<64 hex digits>');
  }
  return { seq: match[1], hash: match[2].toLowerCase() };
}

function parseAnchor(anchor: AuditChainAnchor): { seq: bigint; hash: string } {
  const parsed = parseAuditAnchor(`${anchor.seq}:${anchor.hash}`);
  return { seq: BigInt(parsed.seq), hash: parsed.hash };
}
