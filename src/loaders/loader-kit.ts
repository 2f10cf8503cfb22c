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

/** Runs one statement and returns its rows as plain objects. */
export function selectRows<R>(scope: LoaderScope, query: Sql): Promise<R[]> {
  return scope.em.getConnection().execute<R[]>(query.text, [...query.params], 'all');
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

export function oneByOrdinal<R>(count: number, rows: ReadonlyArray<Ordinal<R>>): Array<R | null> {
  const result: Array<R | null> = new Array<R | null>(count).fill(null);
  for (const row of rows) result[Number(row.ord) - 1] = stripOrdinal(row);
  return result;
}

export function manyByOrdinal<R>(count: number, rows: ReadonlyArray<Ordinal<R>>): R[][] {
  const result: R[][] = Array.from({ length: count }, () => []);
  for (const row of rows) result[Number(row.ord) - 1].push(stripOrdinal(row));
  return result;
}

function stripOrdinal<R>(row: Ordinal<R>): R {
  const { ord: _ord, ...rest } = row;
  return rest as R;
}

/** A loader keyed by a string, batching every key of one tick into one call of `batch`. */
export function keyLoader<V>(batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  return new DataLoader<string, V>(batch);
}

/** A loader keyed by an object, cached by `cacheKey`. */
export function objectLoader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>, cacheKey: (key: K) => string): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(batch, { cacheKeyFn: cacheKey });
}
