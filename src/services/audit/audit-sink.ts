/**
 * The per-request audit writer. Services call `record` as they read household PII or
 * change administrative state; the server calls `flush` before the response leaves
 * (Apollo `willSendResponse`), so every entry is durable before its data is seen.
 *
 * Writers only insert: no lock is taken and no writer waits for another or for the
 * chainer (`audit-chainer.ts`), which links committed entries afterwards. `at` is the
 * database clock when the flush runs, milliseconds after the reads it records.
 */
import type { Principal } from '../access/principal';
import { prepareAuditEntry, type AuditEntryInput, type PreparedAuditEntry } from './audit-entry';

/** A node-postgres `Pool`, `Client` or `PoolClient`. */
export interface AuditQueryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

/**
 * A MikroORM SQL connection (`orm.em.getConnection()`). The insert runs on the
 * connection's own pool, outside any transaction of the request's EntityManager, so
 * rolling the request back never takes its audit entries with it.
 */
export interface AuditOrmConnection {
  getKnex(): { raw(sql: string, bindings: readonly never[]): PromiseLike<unknown> };
}

export type AuditDatabase = AuditQueryable | AuditOrmConnection;

export interface AuditSinkOptions {
  /** The request id, at most 64 characters (the server generates it). */
  requestId: string;
  principal: Principal;
  db: AuditDatabase;
}

/** One request's audit buffer; build it with `createAuditSink`, one per request. */
export interface AuditSink {
  readonly requestId: string;
  /** Entries (table rows) recorded and not yet written. */
  readonly pendingCount: number;
  /**
   * Buffers one entry: a row per distinct household in `householdIds` (one row without a
   * household when there is none). Nothing is written until `flush`.
   *
   * @throws AuditEntryError when the entry is malformed or its details look like PII.
   */
  record(entry: AuditEntryInput): void;
  /**
   * Writes every buffered row in one INSERT statement and resolves with the number
   * written, once they are committed. Calls are serialized: a second `flush` resolves
   * only after the first's rows are durable. On failure the rows stay buffered and the
   * caller must not release the data they describe.
   *
   * @throws AuditWriteError when the database refuses or cannot be reached.
   */
  flush(): Promise<number>;
}

/** Thrown by `AuditSink.flush`; the response whose reads it audits must not be sent. */
export class AuditWriteError extends Error {
  readonly code = 'AUDIT_WRITE_FAILED';

  constructor(
    readonly entries: number,
    options?: { cause?: unknown },
  ) {
    super(`Could not write ${entries} audit entr${entries === 1 ? 'y' : 'ies'}`, options);
    this.name = 'AuditWriteError';
  }
}

const MAX_REQUEST_ID = 64;
const MAX_ACTOR_KEY = 100;
const MAX_ROLE = 16;
const BIGINT_ID = /^[1-9][0-9]{0,18}$/;

/**
 * The one INSERT of a flush. Request-wide columns are scalar parameters; per-row columns
 * are parallel arrays expanded by `unnest`, so the statement text and its parameter count
 * do not depend on how many rows it writes. `at` takes the database's `now()`.
 */
export const AUDIT_INSERT_SQL = `insert into audit_log (request_id, actor_institution_id, actor_role, actor_key, action, operation, household_id, fields, details)
select $1, $2::bigint, $3, $4, e.action, e.operation, e.household_id, e.fields::text[], e.details
  from unnest($5::text[], $6::text[], $7::bigint[], $8::text[], $9::jsonb[]) with ordinality as e(action, operation, household_id, fields, details, n)
 order by e.n`;

/**
 * Builds the audit sink of one request.
 *
 * @throws RangeError when the request id or the principal cannot be stored.
 */
export function createAuditSink(options: AuditSinkOptions): AuditSink {
  const { requestId, principal, db } = options;
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > MAX_REQUEST_ID) {
    throw new RangeError(`Invalid audit request id: expected 1-${MAX_REQUEST_ID} characters`);
  }
  if (principal.institutionId !== null && !BIGINT_ID.test(principal.institutionId)) {
    throw new RangeError('Invalid principal institution id: expected a database id');
  }
  if (principal.role.length > MAX_ROLE) {
    throw new RangeError(`Invalid principal role: at most ${MAX_ROLE} characters`);
  }
  if (principal.keyId !== undefined && principal.keyId.length > MAX_ACTOR_KEY) {
    throw new RangeError(`Invalid principal key id: at most ${MAX_ACTOR_KEY} characters`);
  }
  const actor = [requestId, principal.institutionId, principal.role, principal.keyId ?? null] as const;

  let buffer: PreparedAuditEntry[] = [];
  let tail: Promise<unknown> = Promise.resolve();

  const rowsOf = (entries: readonly PreparedAuditEntry[]): number => entries.reduce((sum, entry) => sum + entry.householdIds.length, 0);

  const write = async (): Promise<number> => {
    if (buffer.length === 0) return 0;
    const batch = buffer;
    buffer = [];
    const rows = rowsOf(batch);
    const actions: string[] = [];
    const operations: Array<string | null> = [];
    const households: Array<string | null> = [];
    const fields: Array<string | null> = [];
    const details: Array<string | null> = [];
    for (const entry of batch) {
      for (const householdId of entry.householdIds) {
        actions.push(entry.action);
        operations.push(entry.operation);
        households.push(householdId);
        fields.push(entry.fieldsLiteral);
        details.push(entry.detailsJson);
      }
    }
    const params = [...actor, actions, operations, households, fields, details];
    try {
      const written = await execute(db, AUDIT_INSERT_SQL, params);
      if (written !== null && written !== rows) {
        throw new Error(`audit insert wrote ${written} of ${rows} rows`);
      }
    } catch (error) {
      buffer = batch.concat(buffer);
      throw new AuditWriteError(rows, { cause: error });
    }
    return rows;
  };

  return {
    requestId,
    get pendingCount() {
      return rowsOf(buffer);
    },
    record(entry) {
      buffer.push(prepareAuditEntry(entry));
    },
    flush() {
      const run = tail.then(write);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/** Runs one statement written with `$n` placeholders; resolves with its row count when known. */
async function execute(db: AuditDatabase, sql: string, params: unknown[]): Promise<number | null> {
  if ('getKnex' in db) {
    // knex binds `?` placeholders positionally; each `$n` above appears once, in order.
    const order: number[] = [];
    const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    const result = (await db.getKnex().raw(text, order.map((i) => params[i]) as never[])) as { rowCount?: number | null };
    return result?.rowCount ?? null;
  }
  const result = await db.query(sql, params);
  return result.rowCount;
}

