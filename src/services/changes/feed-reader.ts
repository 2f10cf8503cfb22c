/**
 * Reading the change feed back: pages of events after a cursor, the feed's tail, the
 * check that a cursor is still inside the retained window, and pruning.
 *
 * Retention: events are kept for `FEED_RETENTION_DAYS` (35) days, long enough for a
 * partner that reports monthly to resume after a missed month-end run. Pruning deletes
 * a prefix of the feed (every event up to the newest one older than the cut-off, so the
 * retained events are always "everything after W") and records W as the watermark
 * `feed:pruned` in `feed_consumer`. A cursor below W has lost events and is refused with
 * reason `CURSOR_EXPIRED`; a cursor at or above W misses nothing. Pruning never passes a
 * durable consumer (another `feed_consumer` row, e.g. the early-warning evaluator) that
 * has not read that far yet.
 */
import { toQueryable, type AuthDb } from '../auth/auth-db';
import { badInput } from '../common';

/** How long events are kept; `pruneChangeFeed` is called with now minus this. */
export const FEED_RETENTION_DAYS = 35;
/** The `feed_consumer` row holding the prune watermark: the last event id deleted. */
export const PRUNE_WATERMARK = 'feed:pruned';
/** Events read per statement when replaying. */
export const FEED_PAGE_SIZE = 200;

/** One event as stored (`change_event`). */
export interface FeedEvent {
  /** The event id, which is also the cursor's content. */
  id: string;
  recordType: string;
  recordId: string;
  action: string;
  countyCode: string | null;
  occurredAt: Date;
}

/** Anything that runs one parameterised statement: a `pg` pool or client, or an EntityManager. */
export type FeedDb = AuthDb;

interface EventRow {
  id: string;
  record_type: string;
  record_id: string;
  action: string;
  county_code: string | null;
  occurred_at: Date | string;
}

/**
 * Events with ids above `afterId`, in id order, at most `limit`; only `types` when given.
 * Because appenders serialise on the feed's lock until they commit, an id read here is
 * never followed later by a smaller one: resuming after the last id read misses nothing.
 */
export async function readChanges(db: FeedDb, afterId: string, options: { limit?: number; types?: readonly string[] | null } = {}): Promise<FeedEvent[]> {
  const limit = options.limit ?? FEED_PAGE_SIZE;
  const types = options.types ?? null;
  const result = await toQueryable(db).query<EventRow>(
    `SELECT e.id::text AS id, e.record_type, e.record_id::text AS record_id, e.action, e.county_code, e.occurred_at
       FROM change_event e
      WHERE e.id > $1::bigint AND ($3::text[] IS NULL OR e.record_type = ANY ($3::text[]))
      ORDER BY e.id
      LIMIT $2`,
    [afterId, limit, types === null ? null : [...types]],
  );
  return result.rows.map((row) => ({
    id: row.id,
    recordType: row.record_type,
    recordId: row.record_id,
    action: row.action,
    countyCode: row.county_code,
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
  }));
}

/** Where the feed stands: its newest event id (or the prune watermark when newer), and the watermark. */
export async function feedBounds(db: FeedDb): Promise<{ tail: string; pruned: string }> {
  const result = await toQueryable(db).query<{ tail: string; pruned: string }>(
    `SELECT greatest(coalesce((SELECT max(id) FROM change_event), 0), w.pruned)::text AS tail, w.pruned::text AS pruned
       FROM (SELECT coalesce((SELECT last_event_id FROM feed_consumer WHERE name = $1), 0) AS pruned) w`,
    [PRUNE_WATERMARK],
  );
  return result.rows[0];
}

/**
 * Checks that replaying after `afterId` is complete: the cursor is no newer than the
 * feed's tail (else this hub never issued it) and no older than the prune watermark.
 *
 * @throws RefusalError BAD_USER_INPUT, reason `CURSOR_EXPIRED` (re-sync through the
 *   queries, then subscribe without a cursor) or `UNKNOWN_CURSOR`.
 */
export async function checkFeedPosition(db: FeedDb, afterId: string, field = 'after'): Promise<void> {
  const { tail, pruned } = await feedBounds(db);
  if (BigInt(afterId) < BigInt(pruned)) {
    throw badInput(
      `The cursor is older than the change feed's retention of ${FEED_RETENTION_DAYS} days: events after it were pruned. Re-read the current state through the queries, then subscribe without a cursor`,
      field,
      'CURSOR_EXPIRED',
    );
  }
  if (BigInt(afterId) > BigInt(tail)) {
    throw badInput('The cursor names no event of this change feed', field, 'UNKNOWN_CURSOR');
  }
}

export interface PruneResult {
  /** Events deleted by this call. */
  deleted: number;
  /** The watermark after this call: every event up to it is gone ('0': none ever pruned). */
  watermark: string;
}

/**
 * Deletes the events that occurred before `olderThan` (as a prefix of the feed, see the
 * module comment) and advances the watermark, in one statement. Safe to run from several
 * processes at once and to repeat.
 */
export async function pruneChangeFeed(db: FeedDb, olderThan: Date): Promise<PruneResult> {
  const result = await toQueryable(db).query<{ deleted: number; watermark: string }>(
    `WITH limits AS (
       SELECT (SELECT max(id) FROM change_event WHERE occurred_at < $1) AS old,
              (SELECT min(last_event_id) FROM feed_consumer WHERE name <> $2) AS consumers
     ), bound AS (
       SELECT CASE WHEN old IS NULL THEN NULL ELSE least(old, coalesce(consumers, old)) END AS w FROM limits
     ), gone AS (
       DELETE FROM change_event WHERE id <= (SELECT w FROM bound) RETURNING id
     ), mark AS (
       INSERT INTO feed_consumer (name, last_event_id, updated_at)
       SELECT $2, w, now() FROM bound WHERE w IS NOT NULL
       ON CONFLICT (name) DO UPDATE SET last_event_id = greatest(feed_consumer.last_event_id, excluded.last_event_id), updated_at = now()
       RETURNING last_event_id
     )
     SELECT (SELECT count(*) FROM gone)::int AS deleted,
            coalesce((SELECT last_event_id FROM mark), (SELECT last_event_id FROM feed_consumer WHERE name = $2), 0)::text AS watermark`,
    [olderThan, PRUNE_WATERMARK],
  );
  return { deleted: Number(result.rows[0].deleted), watermark: result.rows[0].watermark };
}

/** The cut-off `pruneChangeFeed` is called with: now minus the retention. */
export function retentionCutoff(now: Date = new Date(), days: number = FEED_RETENTION_DAYS): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
