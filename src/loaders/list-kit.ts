/**
 * Lists of one kind of row — what root connections and nested connections page over —
 * declared once per kind: the table, the row scope, the typed filter fields (each
 * compiled to SQL with bound parameters) and the orderings. `listQuery` turns a
 * validated request into the `ListQuery` that `page-kit` pages.
 *
 * Filters arrive validated (`src/schema/filters.ts` checks every value against the
 * field kinds declared here), so compiling never fails on input: it only ever binds
 * values, never splices them into SQL text.
 */
import { and, FALSE, or, pgArray, raw, sql, TRUE, type Sql } from '../db/sql';
import type { Principal } from '../services/access';
import type { SortKey, SortTerm, ListQuery } from './page-kit';

/** What a filter compiles against. */
export interface CompileContext {
  readonly principal: Readonly<Principal>;
  /** The connection's `asOf` (positions, statuses, designations, combined models), or null. */
  readonly asOf: string | null;
  /** Today in China time: the date "current" designations and periods are read at. */
  readonly today: string;
  /** Joins the compiled conditions and sort keys need (e.g. `position`). */
  readonly needs: Set<string>;
}

/** How a filter field's value is shaped and checked (see `src/schema/filters.ts`). */
export type FilterFieldKind =
  /** A list of values; enum values are checked by GraphQL, codes by `pattern`. */
  | { readonly kind: 'in'; readonly pattern?: { test(value: string): boolean }; readonly patternMessage?: string }
  /** A statistical division code of 2, 4, 6, 9 or 12 digits. */
  | { readonly kind: 'area' }
  | { readonly kind: 'decimalRange' }
  | { readonly kind: 'dateRange' }
  | { readonly kind: 'intRange'; readonly min: number }
  | { readonly kind: 'boolean' }
  /** One enum value, checked by GraphQL. */
  | { readonly kind: 'value' }
  /** One search text (a prefix or a fragment), checked against `pattern`. */
  | { readonly kind: 'text'; readonly pattern: { test(value: string): boolean }; readonly patternMessage: string };

export type FilterField = FilterFieldKind & {
  // Values are validated before compiling; each field knows its own shape.
  compile(value: any, c: CompileContext): Sql;
};

export type FilterFields = Readonly<Record<string, FilterField>>;

/** A range as filters take it: either bound may be absent; both are inclusive. */
export interface Range<T> {
  gte?: T | null;
  lte?: T | null;
}

/** A filter object: its field values, and `and` / `or` / `not` of further filters. */
export interface FilterObject {
  and?: FilterObject[] | null;
  or?: FilterObject[] | null;
  not?: FilterObject | null;
  [field: string]: unknown;
}

export interface OrderChoice<O extends string = string> {
  field: O;
  descending: boolean;
}

/** One kind of row a connection can list. */
export interface EntityList<O extends string = string> {
  /** The GraphQL type name; also what a cursor is bound to. */
  readonly name: string;
  /** `table alias`, e.g. `loan l`. */
  readonly table: string;
  readonly columns: Sql;
  readonly filters: FilterFields;
  readonly orders: Readonly<Record<O, SortKey>>;
  readonly defaultOrder: ReadonlyArray<OrderChoice<O>>;
  /** A unique key of the row: the last sort key of every order that does not end with a unique key. */
  readonly tieBreaker: SortKey;
  scope(principal: Readonly<Principal>): Sql;
  /** Conditions every row of the list meets (e.g. `level = 'COUNTY'`), from list options. */
  base?(options: ListOptions, c: CompileContext): Sql;
  /** The joins for `c.needs`, appended after the table. */
  joins?(c: CompileContext): Sql;
}

/** List-specific switches (e.g. positions' `allVersions`). */
export type ListOptions = Readonly<Record<string, string | boolean | null>>;

/** A validated list request, without the page window. */
export interface ListSpec<O extends string = string> {
  readonly filter: FilterObject | null;
  readonly order: ReadonlyArray<OrderChoice<O>>;
  readonly asOf: string | null;
  readonly options: ListOptions;
}

/** The sort terms of an ordering: the chosen keys, then the tie-breaker. */
export function orderTerms<O extends string>(list: EntityList<O>, order: ReadonlyArray<OrderChoice<O>>): SortTerm[] {
  const chosen = order.length > 0 ? order : list.defaultOrder;
  const terms: SortTerm[] = chosen.map((choice) => ({ ...list.orders[choice.field], descending: choice.descending }));
  if (terms.length > 0 && terms[terms.length - 1].unique === true) return terms;
  // The tie-breaker follows the first key's direction, so that a single-key order stays
  // one row comparison that an index on (key, id) serves.
  terms.push({ ...list.tieBreaker, descending: terms[0]?.descending ?? false });
  return terms;
}

/** The ordering a cursor belongs to, e.g. `Loan:BALANCE.DESC`. */
export function orderSignature<O extends string>(list: EntityList<O>, order: ReadonlyArray<OrderChoice<O>>): string {
  const chosen = order.length > 0 ? order : list.defaultOrder;
  return `${list.name}:${chosen.map((c) => `${c.field}.${c.descending ? 'DESC' : 'ASC'}`).join(',')}`;
}

/** The current date in China (UTC+8, no daylight saving). */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Compiles a validated filter: its fields ANDed, with `and`, `or` and `not` of sub-filters. */
export function compileFilter(filter: FilterObject | null | undefined, fields: FilterFields, c: CompileContext): Sql {
  if (filter === null || filter === undefined) return TRUE;
  const parts: Sql[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    if (key === 'and') parts.push(and(...(value as FilterObject[]).map((f) => compileFilter(f, fields, c))));
    else if (key === 'or') parts.push(or(...(value as FilterObject[]).map((f) => compileFilter(f, fields, c))));
    else if (key === 'not') parts.push(not(compileFilter(value as FilterObject, fields, c)));
    else {
      const field = fields[key];
      if (field === undefined) throw new Error(`filter field ${key} has no compiler`);
      parts.push(field.compile(value, c));
    }
  }
  return and(...parts);
}

export function not(part: Sql): Sql {
  if (part === TRUE) return FALSE;
  if (part === FALSE) return TRUE;
  return sql`(NOT ${part})`;
}

/** The query of a list request; `parent` narrows it to one parent's rows (nested lists). */
export function listQuery<O extends string>(
  list: EntityList<O>,
  principal: Readonly<Principal>,
  spec: ListSpec<O>,
  parent: Sql = TRUE,
  today: string = chinaToday(),
): ListQuery {
  const c: CompileContext = { principal, asOf: spec.asOf, today, needs: new Set() };
  const order = orderTerms(list, spec.order);
  for (const term of order) if (term.needs !== undefined) c.needs.add(term.needs);
  const where = and(parent, list.base?.(spec.options, c) ?? TRUE, list.scope(principal), compileFilter(spec.filter, list.filters, c));
  const joins = list.joins?.(c) ?? raw('');
  return { columns: list.columns, from: sql`${raw(list.table)} ${joins}`, where, order };
}

// ---------------------------------------------------------------------------------------
// Leaf compilers shared by the lists.

/** `column = ANY (values)`; the column is trusted text. */
export function inList(column: string, type = 'text'): FilterField {
  return { kind: 'in', compile: (values: string[]) => sql`${raw(column)} = ANY (${pgArray(values)}::${raw(type)}[])` };
}

/** Codes (institution codes, refs): `in` with a pattern every value must match. */
export function codeList(column: string, pattern: { test(value: string): boolean }, patternMessage: string): FilterField {
  return { kind: 'in', pattern, patternMessage, compile: (values: string[]) => sql`${raw(column)} = ANY (${pgArray(values)}::text[])` };
}

/** Institutions by code, through the row's institution id column. */
export function institutionCodes(idColumn: string): FilterField {
  return {
    kind: 'in',
    pattern: /^[A-Za-z0-9_.-]{1,32}$/,
    patternMessage: 'An institution code has 1 to 32 letters, digits, "_", "." or "-"',
    compile: (codes: string[]) => sql`${raw(idColumn)} IN (SELECT i_f.id FROM institution i_f WHERE i_f.code = ANY (${pgArray(codes)}::text[]))`,
  };
}

function rangeSql(expression: Sql, range: Range<string | number>, type: string, nullable: boolean): Sql {
  const parts: Sql[] = [];
  if (range.gte !== null && range.gte !== undefined) parts.push(sql`${expression} >= ${String(range.gte)}::${raw(type)}`);
  if (range.lte !== null && range.lte !== undefined) parts.push(sql`${expression} <= ${String(range.lte)}::${raw(type)}`);
  if (parts.length === 0) return TRUE;
  // A missing value matches no range, and NOT of it then matches: two-valued logic.
  return nullable ? and(sql`${expression} IS NOT NULL`, ...parts) : and(...parts);
}

export function decimalRange(expression: string | Sql, nullable = false, needs?: string): FilterField {
  return { kind: 'decimalRange', compile: (range: Range<string>, c) => withNeeds(c, needs, rangeSql(expr(expression), range, 'numeric', nullable)) };
}

export function dateRange(expression: string | Sql, nullable = false): FilterField {
  return { kind: 'dateRange', compile: (range: Range<string>) => rangeSql(expr(expression), range, 'date', nullable) };
}

export function intRange(expression: string | Sql, min: number, nullable = false, needs?: string): FilterField {
  return { kind: 'intRange', min, compile: (range: Range<number>, c) => withNeeds(c, needs, rangeSql(expr(expression), range, 'integer', nullable)) };
}

/** `IS [NOT] NULL` of a column, as a boolean filter. */
export function presence(column: string): FilterField {
  return { kind: 'boolean', compile: (present: boolean) => sql`${raw(column)} ${raw(present ? 'IS NOT NULL' : 'IS NULL')}` };
}

export function booleanColumn(column: string): FilterField {
  return { kind: 'boolean', compile: (flag: boolean) => (flag ? raw(column) : sql`NOT ${raw(column)}`) };
}

function expr(expression: string | Sql): Sql {
  return typeof expression === 'string' ? raw(expression) : expression;
}

function withNeeds(c: CompileContext, needs: string | undefined, part: Sql): Sql {
  if (needs !== undefined && part !== TRUE) c.needs.add(needs);
  return part;
}

/**
 * An area at any level by code. Codes of up to 6 digits match the county column (equal
 * for a county, a prefix above it); township and village codes match the village
 * column when the row has one (`villageColumn`), or nothing.
 */
export function areaField(countyColumn: string, villageColumn: string | null): FilterField {
  return {
    kind: 'area',
    compile: (code: string) => {
      if (code.length === 6) return sql`${raw(countyColumn)} = ${code}`;
      if (code.length < 6) return sql`${raw(countyColumn)} LIKE ${`${code}%`}`;
      if (villageColumn === null) return FALSE;
      // The county condition lets an index on the county column narrow the search.
      const county = sql`${raw(countyColumn)} = ${code.slice(0, 6)}`;
      return code.length === 12 ? and(county, sql`${raw(villageColumn)} = ${code}`) : and(county, sql`${raw(villageColumn)} LIKE ${`${code}%`}`);
    },
  };
}

/** The date designations and periods are read at: the connection's asOf, else today. */
export function dateOf(c: CompileContext): string {
  return c.asOf ?? c.today;
}

/**
 * The county (`countyColumn`) holds one of the designations on the connection's date,
 * itself or through its prefecture or province.
 */
export function designationField(countyColumn: string): FilterField {
  const county = raw(countyColumn);
  return {
    kind: 'in',
    compile: (kinds: string[], c) => {
      const on = dateOf(c);
      return sql`EXISTS (SELECT 1 FROM area_designation d_f
                          WHERE d_f.area_code IN (${county}, left(${county}, 4), left(${county}, 2)) AND d_f.kind = ANY (${pgArray(kinds)}::text[])
                          AND d_f.valid_from <= ${on}::date AND (d_f.valid_to IS NULL OR d_f.valid_to > ${on}::date))`;
    },
  };
}

/**
 * A household's registry status on the connection's asOf (the latest change on or
 * before it), its current status without asOf.
 */
export function householdStatusAt(householdId: string, currentStatus: string, c: CompileContext): Sql {
  if (c.asOf === null) return raw(currentStatus);
  return sql`(SELECT s_f.status FROM household_status_change s_f WHERE s_f.household_id = ${raw(householdId)} AND s_f.valid_from <= ${c.asOf}::date
               ORDER BY s_f.valid_from DESC LIMIT 1)`;
}

/** A sort key on a plain column. */
export function key(column: string, type: SortKey['type'], nullable = false): SortKey {
  return { sql: raw(column), type, nullable };
}

/** A sort key on a column no two rows share (a unique ref or code). */
export function uniqueKey(column: string, type: SortKey['type']): SortKey {
  return { sql: raw(column), type, nullable: false, unique: true };
}

/**
 * A `LIKE` pattern matching `text` literally (its `%`, `_` and `\\` escaped), with `%`
 * before (`contains`) and after it: the value of a prefix or fragment search.
 */
export function likePattern(text: string, contains: boolean): string {
  const literal = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return `${contains ? '%' : ''}${literal}%`;
}
