/**
 * Keyset pagination over plain rows: one statement per page, whether the page is a root
 * connection's or one page per parent of a nested connection (a LATERAL join over the
 * parents' keys), and one statement for `totalCount` only when it is asked for (a root
 * page that sorts every matching row anyway counts them in its own statement instead).
 *
 * Every list is a `ListQuery`: a select list, a FROM clause, a WHERE clause (the row scope
 * and the filter, built by the caller) and a total order ending with a unique
 * tie-breaker. A cursor is the values of the order's keys on a row (as text); "after a
 * cursor" is the keyset predicate `(k1, …, id) > (v1, …, vid)` in the order's directions,
 * with missing values (NULL) last in either direction. Rows inserted
 * between two page fetches therefore never shift a page: the next page starts strictly
 * after the last row seen, whatever came before it.
 */
import DataLoader from 'dataloader';
import { and, FALSE, or, pgArray, raw, sql, TRUE, type Sql } from '../db/sql';
import { selectRows, type LoaderScope } from './loader-kit';

/** The SQL types sort keys (and so cursor values) can have. */
export type KeyType = 'bigint' | 'int' | 'numeric' | 'date' | 'text' | 'timestamptz';

/** One sort key: a trusted SQL expression, its type, and whether it can be NULL. */
export interface SortKey {
  readonly sql: Sql;
  readonly type: KeyType;
  readonly nullable: boolean;
  /** Joins the expression needs (see `ListQuery.from`); e.g. a loan's position as of a date. */
  readonly needs?: string;
  /** No two rows share a value: an order ending with this key needs no tie-breaker. */
  readonly unique?: boolean;
}

export interface SortTerm extends SortKey {
  readonly descending: boolean;
}

/** The rows a page asks for, validated: `size` rows after/before the given key values. */
export interface PageWindow {
  readonly size: number;
  /** `last`/`before` paging: the rows just before `before` (or the end), in list order. */
  readonly backward: boolean;
  readonly after: ReadonlyArray<string | null> | null;
  readonly before: ReadonlyArray<string | null> | null;
}

/** A list of rows of one kind, visible to the principal and filtered, in a total order. */
export interface ListQuery {
  readonly columns: Sql;
  /** Table, alias and any joins the WHERE clause or the order needs. */
  readonly from: Sql;
  /** The row scope AND the filter. */
  readonly where: Sql;
  /** Ends with a unique tie-breaker (the row id). */
  readonly order: readonly SortTerm[];
}

/** One page of rows, each with its sort key values (what its cursor encodes). */
export interface PageRows<R> {
  rows: R[];
  keys: Array<Array<string | null>>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

const CAST: Record<KeyType, string> = {
  bigint: 'bigint',
  int: 'integer',
  numeric: 'numeric',
  date: 'date',
  text: 'text',
  timestamptz: 'timestamptz',
};

function value(term: SortKey, v: string): Sql {
  return sql`${v}::${raw(CAST[term.type])}`;
}

/**
 * Rows strictly after (`later`) or before the value `v` of one sort term, in the term's own
 * direction, missing values (NULL) coming last in either direction.
 */
function beyond(term: SortTerm, v: string | null, later: boolean): Sql {
  if (later) {
    if (v === null) return FALSE;
    const strict = sql`${term.sql} ${raw(term.descending ? '<' : '>')} ${value(term, v)}`;
    return term.nullable ? sql`(${strict} OR ${term.sql} IS NULL)` : strict;
  }
  if (v === null) return term.nullable ? sql`${term.sql} IS NOT NULL` : TRUE;
  return sql`${term.sql} ${raw(term.descending ? '>' : '<')} ${value(term, v)}`;
}

function equal(term: SortKey, v: string | null): Sql {
  return v === null ? sql`${term.sql} IS NULL` : sql`${term.sql} = ${value(term, v)}`;
}

/**
 * Rows strictly after (`later`) or before the row whose sort keys are `values`, in the
 * order's own directions.
 */
export function keyset(order: readonly SortTerm[], values: ReadonlyArray<string | null>, later: boolean): Sql {
  const uniform = order.every((t) => !t.nullable && t.descending === order[0].descending) && values.every((v) => v !== null);
  if (uniform) {
    // A row comparison, which a btree index on the keys serves directly.
    const up = later !== order[0].descending;
    const keys = list(order.map((t) => t.sql));
    const bound = list(order.map((t, i) => value(t, values[i] as string)));
    return up ? sql`(${keys}) > (${bound})` : sql`(${keys}) < (${bound})`;
  }
  const branches: Sql[] = [];
  for (let i = 0; i < order.length; i += 1) {
    const prefix = order.slice(0, i).map((t, j) => equal(t, values[j]));
    branches.push(and(...prefix, beyond(order[i], values[i], later)));
  }
  return or(...branches);
}

function list(parts: readonly Sql[]): Sql {
  return { text: parts.map((p) => p.text).join(', '), params: parts.flatMap((p) => p.params) };
}

/**
 * `ORDER BY` terms, reversed for backward pages. Missing values come last in either
 * direction (first when reversed); keys that cannot be NULL keep the plain form, which
 * an index scans in either direction.
 */
export function orderBy(order: readonly SortTerm[], reverse: boolean): Sql {
  return list(
    order.map((t) => {
      const descending = t.descending !== reverse;
      const nulls = t.nullable ? (reverse ? ' NULLS FIRST' : ' NULLS LAST') : '';
      return sql`${t.sql} ${raw(`${descending ? 'DESC' : 'ASC'}${nulls}`)}`;
    }),
  );
}

/** The select list of the sort keys as text, `"_k0"`, `"_k1"` … */
function keyColumns(order: readonly SortTerm[]): Sql {
  return list(order.map((t, i) => sql`(${t.sql})::text AS ${raw(`"_k${i}"`)}`));
}

function windowWhere(query: ListQuery, window: PageWindow): Sql {
  return and(
    query.where,
    window.after === null ? TRUE : keyset(query.order, window.after, true),
    window.before === null ? TRUE : keyset(query.order, window.before, false),
  );
}

type KeyedRow = Record<string, unknown>;

/** Splits the `_k*` columns off the rows and decides the page's edges and flags. */
function toPage<R>(raw: KeyedRow[], order: readonly SortTerm[], window: PageWindow): PageRows<R> {
  const more = raw.length > window.size;
  const kept = more ? raw.slice(0, window.size) : raw;
  if (window.backward) kept.reverse();
  const rows: R[] = [];
  const keys: Array<Array<string | null>> = [];
  for (const row of kept) {
    const values: Array<string | null> = [];
    for (let i = 0; i < order.length; i += 1) {
      const v = row[`_k${i}`];
      values.push(v === null || v === undefined ? null : String(v));
    }
    // The `_k*`, `_rn` and `ord` columns stay on the row: GraphQL reads only the fields it
    // selects, and deleting properties turns every row into a slow dictionary object.
    rows.push(row as R);
    keys.push(values);
  }
  // Paging forward, rows before `after` exist (the cursor's own row did); paging back,
  // rows after `before` do. The other flag is whether the statement found one row more.
  return window.backward
    ? { rows, keys, hasPreviousPage: more, hasNextPage: window.before !== null }
    : { rows, keys, hasNextPage: more, hasPreviousPage: window.after !== null };
}

/** One page of a root list: a single statement. */
export async function selectPage<R>(scope: LoaderScope, query: ListQuery, window: PageWindow): Promise<PageRows<R>> {
  const rows = await selectRows<KeyedRow>(
    scope,
    sql`SELECT ${query.columns}, ${keyColumns(query.order)} FROM ${query.from}
         WHERE ${windowWhere(query, window)}
         ORDER BY ${orderBy(query.order, window.backward)} LIMIT ${window.size + 1}`,
  );
  return toPage<R>(rows, query.order, window);
}

/** A root list's page with the number of rows of the whole list (scope and filter, no window). */
export interface CountedPage<R> {
  readonly page: PageRows<R>;
  readonly total: number;
}

/**
 * Whether a page and its list's count are cheaper as one statement: when the page has no
 * cursor (so the page's WHERE clause is the count's) and its first sort key is a joined
 * expression (e.g. a loan's overdue days from its latest position), which no index of
 * the list's table delivers in order. Such a page reads and sorts every matching row
 * anyway, so counting them in the same pass is free, where a separate count would scan
 * them again. An index-ordered page stops after `size + 1` rows; counting there would
 * force the full scan, so it keeps its own count statement.
 */
export function countsWithPage(query: ListQuery, window: PageWindow): boolean {
  return window.after === null && window.before === null && query.order.length > 0 && query.order[0].needs !== undefined;
}

/**
 * One page of a root list and the list's count in one statement (`count(*) OVER ()` is
 * computed over every row the WHERE clause keeps, before the LIMIT). Only for a window
 * without cursors (`countsWithPage`): a cursor's keyset predicate would be counted too.
 * An empty page means an empty list, so its count is 0.
 */
export async function selectPageWithCount<R>(scope: LoaderScope, query: ListQuery, window: PageWindow): Promise<CountedPage<R>> {
  if (window.after !== null || window.before !== null) throw new Error('selectPageWithCount: a window with a cursor');
  const rows = await selectRows<KeyedRow>(
    scope,
    sql`SELECT ${query.columns}, ${keyColumns(query.order)}, count(*) OVER ()::int AS "_total" FROM ${query.from}
         WHERE ${query.where}
         ORDER BY ${orderBy(query.order, window.backward)} LIMIT ${window.size + 1}`,
  );
  const total = rows.length === 0 ? 0 : Number(rows[0]._total);
  return { page: toPage<R>(rows, query.order, window), total };
}

/** The number of rows of a root list (scope and filter, no window). */
export async function selectCount(scope: LoaderScope, query: ListQuery): Promise<number> {
  const rows = await selectRows<{ n: number }>(scope, sql`SELECT count(*)::int AS n FROM ${query.from} WHERE ${query.where}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A nested list's request: the same for every parent of one field selection, so all the
 * parents a batch collects under one `signature` are served by one statement.
 */
export interface NestedRequest {
  /** Equal for requests that build the same query (the normalized field arguments). */
  readonly signature: string;
  readonly window: PageWindow;
  /** The list of one parent, `parent` being the SQL expression of the parent's key. */
  readonly build: (parent: Sql) => ListQuery;
}

export interface NestedKey {
  readonly parent: string;
  readonly request: NestedRequest;
}

/** The SQL type of the parents' keys: row ids or area codes. */
export type ParentType = 'bigint' | 'text';

const PARENT = raw('k.parent');

function groupBySignature(keys: readonly NestedKey[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, index) => {
    const group = groups.get(key.request.signature);
    if (group === undefined) groups.set(key.request.signature, [index]);
    else group.push(index);
  });
  return groups;
}

/**
 * Pages of a nested list, one per parent: each batch costs one statement per distinct
 * request (a property of the operation's shape, never of the number of parents or rows).
 */
export function nestedPageLoader<R>(scope: LoaderScope, parentType: ParentType): DataLoader<NestedKey, PageRows<R>, string> {
  return new DataLoader<NestedKey, PageRows<R>, string>(
    async (keys) => {
      const result = new Array<PageRows<R>>(keys.length);
      for (const indexes of groupBySignature(keys).values()) {
        const { request } = keys[indexes[0]];
        const query = request.build(PARENT);
        const window = request.window;
        const rows = await selectRows<KeyedRow>(
          scope,
          sql`SELECT k.ord, x.* FROM unnest(${pgArray(indexes.map((i) => keys[i].parent))}::${raw(parentType)}[]) WITH ORDINALITY AS k(parent, ord)
              CROSS JOIN LATERAL (
                SELECT ${query.columns}, ${keyColumns(query.order)},
                       row_number() OVER (ORDER BY ${orderBy(query.order, window.backward)}) AS "_rn"
                  FROM ${query.from}
                 WHERE ${windowWhere(query, window)}
                 ORDER BY ${orderBy(query.order, window.backward)} LIMIT ${window.size + 1}) x
              ORDER BY k.ord, x."_rn"`,
        );
        const byOrdinal: KeyedRow[][] = indexes.map(() => []);
        for (const row of rows) byOrdinal[Number(row.ord) - 1].push(row);
        indexes.forEach((keyIndex, i) => {
          result[keyIndex] = toPage<R>(byOrdinal[i], query.order, window);
        });
      }
      return result;
    },
    { cacheKeyFn: (key) => `${key.parent}|${key.request.signature}` },
  );
}

/** `totalCount` of a nested list per parent: one grouped statement per distinct request. */
export function nestedCountLoader(scope: LoaderScope, parentType: ParentType): DataLoader<NestedKey, number, string> {
  return new DataLoader<NestedKey, number, string>(
    async (keys) => {
      const result = new Array<number>(keys.length).fill(0);
      for (const indexes of groupBySignature(keys).values()) {
        const query = keys[indexes[0]].request.build(PARENT);
        const rows = await selectRows<{ ord: string; n: number }>(
          scope,
          sql`SELECT k.ord, c.n FROM unnest(${pgArray(indexes.map((i) => keys[i].parent))}::${raw(parentType)}[]) WITH ORDINALITY AS k(parent, ord)
              CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM ${query.from} WHERE ${query.where}) c`,
        );
        for (const row of rows) result[indexes[Number(row.ord) - 1]] = Number(row.n);
      }
      return result;
    },
    { cacheKeyFn: (key) => `${key.parent}|${key.request.signature}` },
  );
}

/** The page and count loaders of one nested relation. */
export interface Relation<R> {
  page: DataLoader<NestedKey, PageRows<R>, string>;
  count: DataLoader<NestedKey, number, string>;
}

export function relation<R>(scope: LoaderScope, parentType: ParentType): Relation<R> {
  return { page: nestedPageLoader<R>(scope, parentType), count: nestedCountLoader(scope, parentType) };
}
