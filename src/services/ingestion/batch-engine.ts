/**
 * The one batch engine behind every ingestion mutation (DESIGN.md §2):
 *
 * - a batch holds 1 to 1,000 items (BAD_USER_INPUT otherwise) and runs in ONE
 *   transaction on one connection;
 * - `batchId` (generated when absent) is claimed first, in `ingest_batch`: the same id
 *   with the same payload hash answers the first call's result again without applying
 *   anything; with another payload it is CONFLICT. A concurrent call with the same id
 *   waits for the first to commit or roll back;
 * - items are checked (pure integrity rules), then applied each inside a savepoint, so
 *   a rejected item — or one the database refuses — leaves no trace. All-or-nothing
 *   (the default): one rejection rolls everything back, the batch row included, and
 *   every item is reported REJECTED. `partial: true`: valid items land, rejected ones
 *   are reported;
 * - items are applied in the order of their references, so two batches touching the
 *   same records take row locks in the same order and cannot deadlock each other;
 * - duplicate references within one batch reject every item carrying them;
 * - a kind may apply the whole batch set-based (`applyAll`, one savepoint) with the same
 *   outcomes; a database refusal there rolls that savepoint back and the batch is
 *   applied item by item, so the refusal is still reported per item.
 *
 * A kind (`IngestionKind`) says how an item is named, checked and applied; everything
 * else lives here, so every mutation behaves alike.
 *
 * Replays. The hub has no table for batch results yet, so a replay re-derives them: the
 * items the first call wrote are found by their rows' `batch_id` (CREATED / UPDATED /
 * PENDING_LINK, with ids and versions); the others are re-checked in a transaction that
 * is rolled back (REJECTED, UNCHANGED). An item that was not applied then and would be
 * now (its reason no longer holds) is reported REJECTED / NOT_APPLIED. A result table
 * (`ingest_batch_item`) would make replays exact even long after the first call.
 */
import type { DatabaseError } from 'pg';
import type { Principal, Role } from '../access/principal';
import { auditedPgTransaction, badInput, conflict, forbidden, requireRole, type ServiceScope, type TransactionClient } from '../common';
import { chinaDate, containsNationalId } from './field-rules';
import {
  MAX_BATCH_ITEMS,
  type AppliedItem,
  type BatchInput,
  type BatchResult,
  type IngestionDependencies,
  type ItemResult,
  type ResultCounts,
} from './ingestion.types';
import { ItemRejection } from './item-rejection';
import { payloadHash } from './payload-hash';
import { recordChanges, type ChangeToRecord } from '../changes/change-feed';
import { PolicyBook } from './policy-book';

/** Everything a kind's `apply` may use: the open transaction and the batch's facts. */
export interface IngestContext {
  client: TransactionClient;
  principal: Readonly<Principal>;
  /** The caller's institution: every row written is its report. */
  institution: { id: string; code: string };
  /** The batch row every written row points at, and the time stamped on them. */
  batch: { rowId: string; externalId: string; receivedAt: Date };
  deps: IngestionDependencies;
  /** Today in China time: no date reported may lie after it. */
  today: string;
  policy: PolicyBook;
  /**
   * Per-batch memo of reference data read from the database (areas, facilities …).
   * Never holds rows an item created: a rejected item's writes are rolled back.
   */
  memo: Map<string, unknown>;
}

/** An item written by an earlier call of the same batch, for replays. */
export type WrittenItem = Pick<AppliedItem, 'status' | 'record' | 'version'>;

/** How one kind of item is named, checked and applied. */
export interface IngestionKind<TItem, TChecked> {
  /** The mutation, e.g. `upsertLoans`; also `ingest_batch.kind`. */
  kind: string;
  /** Roles that may call it; everyone else is FORBIDDEN before anything is read. */
  roles: ReadonlyArray<`${Role}`>;
  /** The item's own reference (idempotency key) as sent, and the path of its field. */
  refOf(item: TItem): { ref: string; path: string };
  /** Integrity rules that need no database; throws `ItemRejection`. */
  check(item: TItem, today: string): TChecked;
  /** Writes (or recognises) the item; throws `ItemRejection`. Runs inside a savepoint. */
  apply(ctx: IngestContext, checked: TChecked): Promise<AppliedItem>;
  /**
   * Optional set-based `apply` for a whole batch: every checked item at once (in the
   * order of their references), one outcome per item in the same order — what `apply`
   * would have returned or thrown for it, applied one by one in that order. Runs inside
   * one savepoint; when the database refuses a statement (a CHECK, a foreign key, a row
   * a concurrent call created) or it throws `ApplyItemByItem`, the savepoint is rolled
   * back and the batch is applied item by item with `apply`, so refusals are still
   * reported per item. Kinds without it use `apply` only.
   */
  applyAll?(ctx: IngestContext, checked: readonly TChecked[]): Promise<Array<AppliedItem | ItemRejection>>;
  /** For replays: the items an earlier call of this batch wrote, by reference. */
  writtenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>>;
}

/** Thrown by a kind's `applyAll` when the batch must be applied item by item instead. */
export class ApplyItemByItem extends Error {
  constructor(reason: string) {
    super(`set-based apply not possible: ${reason}`);
    this.name = 'ApplyItemByItem';
  }
}

const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$/;
/** How long a row lock may be waited for before the call gives up with CONFLICT. */
const LOCK_TIMEOUT = '15s';
/** SQLSTATEs meaning "met a concurrent transaction; the whole call may be retried". */
const RETRYABLE = new Set(['40001', '40P01', '55P03']);

/** Thrown inside the transaction to roll it back while still answering with a result. */
class RollbackWith extends Error {
  constructor(readonly result: BatchResult) {
    super('rollback');
  }
}

/**
 * Runs one ingestion call.
 *
 * @throws RefusalError FORBIDDEN (role, or no institution), BAD_USER_INPUT (batch size,
 *   batch id), CONFLICT (batch id reused with another payload; a lock not obtained in
 *   time or a deadlock — retry).
 */
export async function runBatch<TItem, TChecked>(
  scope: ServiceScope,
  deps: IngestionDependencies,
  spec: IngestionKind<TItem, TChecked>,
  input: BatchInput<TItem>,
): Promise<BatchResult> {
  const { principal } = scope;
  requireRole(principal, spec.roles, spec.kind);
  const institutionId = principal.institutionId;
  if (institutionId === null) {
    throw forbidden(`${spec.kind} needs a principal acting for an institution`);
  }
  const items = input.items;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_ITEMS) {
    throw badInput(`A batch holds 1 to ${MAX_BATCH_ITEMS} items; this one has ${Array.isArray(items) ? items.length : 0}`, 'input.items', 'BATCH_SIZE');
  }
  const batchId = input.batchId ?? null;
  if (batchId !== null && (!BATCH_ID.test(batchId) || containsNationalId(batchId))) {
    throw badInput('batchId must be 1 to 100 letters, digits or ". _ : -", starting with a letter or digit', 'input.batchId', 'INVALID_BATCH_ID');
  }
  const partial = input.partial === true;
  const hash = payloadHash(spec.kind, partial, items, deps.matchKeyring);
  const now = deps.now?.() ?? new Date();
  const externalId = batchId ?? `auto-${scope.requestId}`.slice(0, 100);

  try {
    return await auditedPgTransaction(scope, async (client, audit) => {
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      const institution = await client.query<{ code: string }>('SELECT code FROM institution WHERE id = $1', [institutionId]);
      if (institution.rows.length === 0) {
        throw forbidden(`${spec.kind} needs a principal acting for an existing institution`);
      }
      const claimed = await client.query<{ id: string; received_at: Date }>(
        `INSERT INTO ingest_batch (institution_id, external_id, kind, payload_hash, item_count)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (institution_id, external_id) DO NOTHING
         RETURNING id::text AS id, received_at`,
        [institutionId, externalId, spec.kind, hash, items.length],
      );
      let batchRow = claimed.rows[0];
      const replay = batchRow === undefined;
      if (replay) {
        const existing = await client.query<{ id: string; payload_hash: string; received_at: Date }>(
          'SELECT id::text AS id, payload_hash, received_at FROM ingest_batch WHERE institution_id = $1 AND external_id = $2',
          [institutionId, externalId],
        );
        batchRow = existing.rows[0];
        if (batchRow === undefined || existing.rows[0].payload_hash !== hash) {
          throw conflict(`batchId ${externalId} was already used with a different payload`, 'BATCH_ID_REUSED');
        }
      }
      const ctx: IngestContext = {
        client,
        principal,
        institution: { id: institutionId, code: institution.rows[0].code },
        batch: { rowId: batchRow.id, externalId, receivedAt: new Date(batchRow.received_at) },
        deps,
        today: chinaDate(now),
        policy: await PolicyBook.load(client),
        memo: new Map(),
      };
      // Read before the re-check below writes anything under the same batch id.
      const written = replay ? await spec.writtenBy(ctx) : null;
      const refs = items.map((item) => spec.refOf(item));
      let results = await processItems(ctx, spec, items, refs);

      const base = { batchId: externalId, kind: spec.kind, payloadHash: hash, receivedAt: ctx.batch.receivedAt, partial };
      if (written !== null) {
        results = mergeReplay(results, refs, written);
        throw new RollbackWith({ ...base, committed: true, replayed: true, counts: countOf(results), items: results });
      }
      const rejected = results.filter((r) => r.status === 'REJECTED');
      if (!partial && rejected.length > 0) {
        results = rollBackAll(results);
        throw new RollbackWith({ ...base, committed: false, replayed: false, counts: countOf(results), items: results });
      }
      const counts = countOf(results);
      await recordChanges(client, changesOf(results), { institutionId, batchRowId: ctx.batch.rowId });
      audit.record({ action: 'INGEST_BATCH', operation: spec.kind, details: { batch: ctx.batch.rowId, items: items.length, ...counts } });
      return { ...base, committed: true, replayed: false, counts, items: results };
    });
  } catch (error) {
    if (error instanceof RollbackWith) return error.result;
    if (RETRYABLE.has(sqlState(error) ?? '')) {
      throw conflict('The batch met a concurrent change to the same records and was not applied; send it again', 'RETRY');
    }
    throw error;
  }
}

async function processItems<TItem, TChecked>(
  ctx: IngestContext,
  spec: IngestionKind<TItem, TChecked>,
  items: readonly TItem[],
  refs: ReadonlyArray<{ ref: string; path: string }>,
): Promise<ItemResult[]> {
  const byRef = new Map<string, number[]>();
  refs.forEach(({ ref }, index) => byRef.set(ref, [...(byRef.get(ref) ?? []), index]));
  const order = items.map((_, index) => index).sort((a, b) => (refs[a].ref < refs[b].ref ? -1 : refs[a].ref > refs[b].ref ? 1 : a - b));

  const results: ItemResult[] = new Array(items.length);
  // Pure checks first (they read nothing), so a kind with `applyAll` gets the batch whole.
  const pending: Array<{ index: number; checked: TChecked }> = [];
  for (const index of order) {
    const { ref, path } = refs[index];
    const rejectWith = (rejection: ItemRejection): ItemResult => rejectionResult(index, ref, rejection);

    const sameRef = byRef.get(ref)!;
    if (sameRef.length > 1) {
      results[index] = rejectWith(
        new ItemRejection('BAD_USER_INPUT', 'DUPLICATE_REF', path, `The reference appears more than once in this batch (items ${sameRef.join(', ')}); send each record once`),
      );
      continue;
    }
    try {
      pending.push({ index, checked: spec.check(items[index], ctx.today) });
    } catch (error) {
      if (error instanceof ItemRejection) {
        results[index] = rejectWith(error);
        continue;
      }
      throw error;
    }
  }

  if (spec.applyAll !== undefined && pending.length > 0) {
    await ctx.client.query('SAVEPOINT ingest_set');
    let outcomes: Array<AppliedItem | ItemRejection> | null = null;
    try {
      outcomes = await spec.applyAll(ctx, pending.map((p) => p.checked));
      await ctx.client.query('RELEASE SAVEPOINT ingest_set');
    } catch (error) {
      await ctx.client.query('ROLLBACK TO SAVEPOINT ingest_set');
      await ctx.client.query('RELEASE SAVEPOINT ingest_set');
      if (!(error instanceof ApplyItemByItem) && fromDatabaseError(error) === null) throw error;
      // The set-based writes are undone; below, the items are applied one by one.
    }
    if (outcomes !== null) {
      const done = outcomes;
      pending.forEach(({ index }, i) => {
        const outcome = done[i];
        results[index] = outcome instanceof ItemRejection ? rejectionResult(index, refs[index].ref, outcome) : appliedResult(index, refs[index].ref, outcome);
      });
      return results;
    }
  }

  for (const { index, checked } of pending) {
    const rejectWith = (rejection: ItemRejection): ItemResult => rejectionResult(index, refs[index].ref, rejection);
    await ctx.client.query('SAVEPOINT ingest_item');
    try {
      const applied = await spec.apply(ctx, checked);
      await ctx.client.query('RELEASE SAVEPOINT ingest_item');
      results[index] = appliedResult(index, refs[index].ref, applied);
    } catch (error) {
      await ctx.client.query('ROLLBACK TO SAVEPOINT ingest_item');
      await ctx.client.query('RELEASE SAVEPOINT ingest_item');
      const rejection = error instanceof ItemRejection ? error : fromDatabaseError(error);
      if (rejection === null) throw error;
      results[index] = rejectWith(rejection);
    }
  }
  return results;
}

/** The result of an item that was applied. */
function appliedResult(index: number, ref: string, applied: AppliedItem): ItemResult {
  const prefix = `items[${index}]`;
  return {
    index,
    ref: echoRef(ref),
    status: applied.status,
    code: null,
    reason: null,
    path: null,
    message: null,
    record: applied.record,
    version: applied.version,
    warnings: applied.warnings.map((w) => ({ ...w, path: `${prefix}.${w.path}` })),
  };
}

/** The result of a rejected item, its path prefixed with the item's. */
function rejectionResult(index: number, ref: string, rejection: ItemRejection): ItemResult {
  const prefix = `items[${index}]`;
  return {
    index,
    ref: echoRef(ref),
    status: 'REJECTED',
    code: rejection.code,
    reason: rejection.reason,
    path: rejection.path === null ? prefix : `${prefix}.${rejection.path}`,
    message: rejection.message,
    record: null,
    version: null,
    warnings: [],
  };
}

/**
 * A database refusal of one item (a CHECK or foreign key the item broke, a row another
 * transaction created meanwhile) as a rejection naming the rule, never the SQL.
 */
function fromDatabaseError(error: unknown): ItemRejection | null {
  const state = sqlState(error);
  if (state === undefined || !state.startsWith('23')) return null;
  if (state === '23505') {
    return new ItemRejection('CONFLICT', 'CONCURRENT_CHANGE', null, 'The record was created or changed by another call meanwhile; send the item again');
  }
  const constraint = (error as Partial<DatabaseError>).constraint;
  return new ItemRejection('BAD_USER_INPUT', 'CONSTRAINT', null, `The item breaks the data rule ${constraint ?? 'of its table'}`);
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The reference as echoed in results: never one carrying a national ID number. */
function echoRef(ref: string): string {
  if (typeof ref !== 'string') return '';
  const cut = Array.from(ref).slice(0, 100).join('');
  return containsNationalId(cut) ? '(withheld: contains a national ID number)' : cut;
}

/** An all-or-nothing batch with a rejection: nothing landed, so every item is reported rejected. */
function rollBackAll(results: ItemResult[]): ItemResult[] {
  const failed = results.filter((r) => r.status === 'REJECTED').map((r) => r.index);
  const list = failed.length > 10 ? `${failed.slice(0, 10).join(', ')} …` : failed.join(', ');
  return results.map((r) =>
    r.status === 'REJECTED'
      ? r
      : {
          ...r,
          status: 'REJECTED',
          code: 'BAD_USER_INPUT',
          reason: 'BATCH_ROLLED_BACK',
          path: null,
          message: `Not applied: the batch is all-or-nothing and item(s) ${list} were rejected; fix them, or send the batch with partial: true`,
          record: null,
          version: null,
        },
  );
}

function mergeReplay(results: ItemResult[], refs: ReadonlyArray<{ ref: string }>, written: Map<string, WrittenItem>): ItemResult[] {
  return results.map((r) => {
    const first = written.get(refs[r.index].ref);
    if (first !== undefined) {
      return { ...r, status: first.status, code: null, reason: null, path: null, message: null, record: first.record, version: first.version };
    }
    if (r.status === 'REJECTED' || r.status === 'UNCHANGED') return r;
    return {
      ...r,
      status: 'REJECTED',
      code: 'CONFLICT',
      reason: 'NOT_APPLIED',
      path: null,
      message: 'The first call of this batch did not apply this item and its reason is no longer known; send it again under a new batchId',
      record: null,
      version: null,
      warnings: [],
    };
  });
}

/** What the batch changed, for the change feed: every landed item that wrote a record. */
function changesOf(results: readonly ItemResult[]): ChangeToRecord[] {
  const changes: ChangeToRecord[] = [];
  for (const r of results) {
    if (r.record === null || (r.status !== 'CREATED' && r.status !== 'UPDATED' && r.status !== 'PENDING_LINK')) continue;
    changes.push({ recordType: r.record.type, recordId: r.record.id, action: r.status });
  }
  return changes;
}

function countOf(results: readonly ItemResult[]): ResultCounts {
  const counts: ResultCounts = { created: 0, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 };
  for (const r of results) {
    switch (r.status) {
      case 'CREATED':
        counts.created++;
        break;
      case 'UPDATED':
        counts.updated++;
        break;
      case 'UNCHANGED':
        counts.unchanged++;
        break;
      case 'PENDING_LINK':
        counts.pendingLink++;
        break;
      case 'REJECTED':
        counts.rejected++;
        break;
    }
  }
  return counts;
}
