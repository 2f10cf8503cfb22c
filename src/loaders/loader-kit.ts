/**
 * The pieces every loader is made of: one SQL statement per batch through the request's
 * EntityManager fork, and results put back in key order (null / [] for misses).
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sql } from '../db/sql';
import type { Principal } from '../services/access';

/** What a loader needs from its request: the EntityManager fork and the principal. */
export interface LoaderScope {
  em: EntityManager;
  principal: Readonly<Principal>;
}

/** What `selectRows` needs of a native node-postgres connection. */
interface PgConnection {
  query<R>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/** A loader statement with `$n` placeholders, and the name it is prepared under. */
interface Prepared {
  readonly name: string | undefined;
  readonly text: string;
}

/**
 * Statement texts already seen, by their `?` text. The texts are the code's own (values
 * are always bound), so their number is bounded by the shapes of the query surface. The
 * cap guards against shapes that vary with input (filter trees): PostgreSQL keeps each
 * named statement and its plan in every pooled connection that ran it, so texts beyond
 * the cap run unnamed instead (bound, but planned each time).
 */
const prepared = new Map<string, Prepared>();
const MAX_NAMED = 500;

function prepare(text: string, paramCount: number): Prepared | null {
  const known = prepared.get(text);
  if (known !== undefined) return known;
  let n = 0;
  const numbered = text.replace(/\?/g, () => `$${(n += 1)}`);
  // A `?` that is not a placeholder would misnumber the parameters: run it as before.
  if (n !== paramCount) return null;
  const entry: Prepared = { name: prepared.size < MAX_NAMED ? `tq${prepared.size + 1}` : undefined, text: numbered };
  if (entry.name !== undefined) prepared.set(text, entry);
  return entry;
}

/**
 * Runs one statement and returns its rows as plain objects.
 *
 * Outside a transaction the statement runs with bound parameters as a named (prepared)
 * statement on a pooled node-postgres connection, so PostgreSQL parses and plans each
 * statement shape once per connection instead of on every request (MikroORM's `execute`
 * inlines the values and sends a simple query, re-planned every time: measured at
 * 0.3–1.1 ms of planning per scoped statement against under 0.1 ms of execution). The
 * hub's sessions use generic plans for them (`plan_cache_mode`, see `src/db/orm.ts`).
 * Inside a transaction the statement must see that transaction's writes, so it runs on
 * the transaction's connection through MikroORM as before.
 */
export async function selectRows<R>(scope: LoaderScope, query: Sql): Promise<R[]> {
  const statement = scope.em.getTransactionContext() === undefined ? prepare(query.text, query.params.length) : null;
  if (statement === null) return scope.em.getConnection().execute<R[]>(query.text, [...query.params], 'all');
  const client = scope.em.getConnection().getKnex().client as KnexClient;
  const connection = (await client.acquireConnection()) as PgConnection;
  try {
    const result = await connection.query<R>({ name: statement.name, text: statement.text, values: query.params as unknown[] });
    return result.rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The row for each key, or null. */
export function oneByKey<R>(keys: readonly string[], rows: readonly R[], keyOf: (row: R) => string): Array<R | null> {
  const found = new Map<string, R>();
  for (const row of rows) found.set(keyOf(row), row);
  return keys.map((key) => found.get(key) ?? null);
}

/** The rows of each key, in the order the statement returned them; [] for none. */
export function manyByKey<R>(keys: readonly string[], rows: readonly R[], keyOf: (row: R) => string): R[][] {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * Rows of a statement over `unnest(…) WITH ORDINALITY AS k(…, ord)`: each row carries
 * the 1-based position of its key as `ord`.
 */
export type Ordinal<R> = R & { ord: string };

// Rows keep their `ord`: GraphQL reads only the fields it selects, and copying every row
// without it cost an allocation per row on the hottest paths.
export function oneByOrdinal<R>(count: number, rows: ReadonlyArray<Ordinal<R>>): Array<R | null> {
  const result: Array<R | null> = new Array<R | null>(count).fill(null);
  for (const row of rows) result[Number(row.ord) - 1] = row;
  return result;
}

export function manyByOrdinal<R>(count: number, rows: ReadonlyArray<Ordinal<R>>): R[][] {
  const result: R[][] = Array.from({ length: count }, () => []);
  for (const row of rows) result[Number(row.ord) - 1].push(row);
  return result;
}

/** A loader keyed by a string, batching every key of one tick into one call of `batch`. */
export function keyLoader<V>(batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  return new DataLoader<string, V>(batch);
}

/** A loader keyed by an object, cached by `cacheKey`. */
export function objectLoader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>, cacheKey: (key: K) => string): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(batch, { cacheKeyFn: cacheKey });
}
