/**
 * The pieces every loader is made of: one SQL statement per batch through the request's
 * EntityManager fork, and results put back in key order (null / [] for misses).
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queryPooled } from '../db/pooled';
import type { Sql } from '../db/sql';
import type { Principal } from '../services/access';

/** What a loader needs from its request: the EntityManager fork and the principal. */
export interface LoaderScope {
  em: EntityManager;
  principal: Readonly<Principal>;
}

/**
 * `$n` texts by their `?` text (the `Sql` builder writes `?`), or null for a text whose
 * `?` count is not its parameter count (a `?` that is not a placeholder).
 */
const numbered = new Map<string, string>();

function prepare(text: string, paramCount: number): string | null {
  const known = numbered.get(text);
  if (known !== undefined) return known;
  let n = 0;
  const result = text.replace(/\?/g, () => `$${(n += 1)}`);
  // A `?` that is not a placeholder would misnumber the parameters: run it as before.
  if (n !== paramCount) return null;
  // Bounded like the statement names (`src/db/pooled.ts`): by the code's statement shapes.
  if (numbered.size < 2000) numbered.set(text, result);
  return result;
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
  const text = scope.em.getTransactionContext() === undefined ? prepare(query.text, query.params.length) : null;
  if (text === null) return scope.em.getConnection().execute<R[]>(query.text, [...query.params], 'all');
  return (await queryPooled<R>(scope.em.getConnection(), { text, values: query.params })).rows;
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
