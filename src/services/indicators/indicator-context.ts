/**
 * What every family's SQL is built from: the dates, the area resolved to its counties,
 * the filter resolved to ids, whose book, how rows are grouped, and the principal whose
 * row scope decides visibility (`row-scope.ts`, the one place visibility is decided).
 */
import { raw, sql, TRUE, type Sql } from '../../db/sql';
import type { Principal } from '../access';
import { GroupBy, IndicatorBook } from './indicator.types';

/** An area resolved against the `area` table. */
export interface ResolvedArea {
  /** Null for the nation. */
  code: string | null;
  name: string;
  level: 'NATION' | 'PROVINCE' | 'PREFECTURE' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';
  /** The county codes of the area; null for the nation (every county). */
  counties: string[] | null;
  /** A township or village code (9 or 12 digits) below the county; null otherwise. */
  subCountyCode: string | null;
}

export interface ResolvedFilter {
  institutionId: string | null;
  products: string[] | null;
  combinedModels: string[] | null;
  designation: string | null;
}

export const NO_FILTER: ResolvedFilter = { institutionId: null, products: null, combinedModels: null, designation: null };

export interface QueryContext {
  principal: Readonly<Principal>;
  /** Every date a statement computes, sorted. */
  dates: string[];
  area: ResolvedArea;
  filter: ResolvedFilter;
  book: IndicatorBook;
  /** MONTH and "no grouping" both group by date only (the group column is ''). */
  groupBy: GroupBy | null;
}

export const datesParam = (ctx: QueryContext): Sql => sql`${`{${ctx.dates.join(',')}}`}::date[]`;

/** `column = ANY(counties)`, or true for the nation. */
export function inCounties(ctx: QueryContext, column: string): Sql {
  if (ctx.area.counties === null) return TRUE;
  return sql`${raw(column)} = ANY(${`{${ctx.area.counties.join(',')}}`}::text[])`;
}

/**
 * A county holds a designation on a date when a designation of that kind valid on the
 * date names it, its prefecture or its province (designations are dated [from, to)).
 */
export function designationOn(kind: string, date: string | Sql, countyColumn: string): Sql {
  const d = typeof date === 'string' ? raw(date) : date;
  const c = raw(countyColumn);
  return sql`EXISTS (SELECT 1 FROM area_designation ad WHERE ad.kind = ${kind}
                      AND ad.area_code IN (left(${c}, 2), left(${c}, 4), left(${c}, 6))
                      AND ad.valid_from <= ${d} AND (ad.valid_to IS NULL OR ad.valid_to > ${d}))`;
}

/** The designation filter on a (date, county) pair. */
export function designated(ctx: QueryContext, dateColumn: string, countyColumn: string): Sql {
  if (ctx.filter.designation === null) return TRUE;
  return designationOn(ctx.filter.designation, dateColumn, countyColumn);
}

/** `column = institution` when the filter names one. */
export function ofInstitution(ctx: QueryContext, column: string): Sql {
  if (ctx.filter.institutionId === null) return TRUE;
  return sql`${raw(column)} = ${ctx.filter.institutionId}`;
}

/** In the caller's own book, contract rows are narrowed to the rows it has access to. */
export function ownBook(ctx: QueryContext, visibility: Sql): Sql {
  return ctx.book === IndicatorBook.OWN_BOOK ? visibility : TRUE;
}

/** The group column from a county column (geography) or other columns; '' when not grouped. */
export function groupExpression(ctx: QueryContext, columns: { county?: string; institution?: string; product?: string; model?: string }): Sql {
  const pick = (column: string | undefined): Sql => {
    // Definitions only allow groupings a family can answer; reaching this is a wiring bug.
    if (column === undefined) throw new Error(`indicators: no column to group by ${String(ctx.groupBy)}`);
    return raw(column);
  };
  switch (ctx.groupBy) {
    case GroupBy.COUNTY:
      return sql`left(${pick(columns.county)}, 6)`;
    case GroupBy.PREFECTURE:
      return sql`left(${pick(columns.county)}, 4)`;
    case GroupBy.PROVINCE:
      return sql`left(${pick(columns.county)}, 2)`;
    case GroupBy.INSTITUTION:
      return sql`(${pick(columns.institution)})::text`;
    case GroupBy.PRODUCT:
      return sql`(${pick(columns.product)})::text`;
    case GroupBy.COMBINED_MODEL:
      return sql`(${pick(columns.model)})::text`;
    default:
      return raw(`''`);
  }
}

/** `(a AND b …)` over fragments, dropping `true`s. */
export function where(...parts: Sql[]): Sql {
  const kept = parts.filter((part) => part !== TRUE);
  if (kept.length === 0) return TRUE;
  return kept.reduce((acc, part, i) => (i === 0 ? part : sql`${acc} AND ${part}`));
}
