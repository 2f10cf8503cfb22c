/**
 * Checks that decide whether a position-based figure can be given at all (DOMAIN.md §4,
 * "a wrong denominator is worse than no number"), in one statement per answer:
 *
 * - present: some latest-version position exists in the area for the month end;
 * - missing: loans with a position at the previous month end, not closed by this one,
 *   that have no position for it (a bank that has not reported yet), by county and bank;
 * - latest: the latest month end on or before the date with positions in the area;
 * - floors: the four classification floors are in force on the date.
 *
 * Read market-wide in the area (missing reports: in the counties a designation filter
 * keeps): they say whether data is complete, not what it holds.
 */
import { raw, sql, type Sql } from '../../db/sql';
import { datesParam, designated, inCounties, type QueryContext } from './indicator-context';

const FLOOR_KEYS = [
  'classification.floor_days.special_mention',
  'classification.floor_days.substandard',
  'classification.floor_days.doubtful',
  'classification.floor_days.loss',
];

export interface MissingPositions {
  date: string;
  county: string;
  institutionId: string;
  loans: number;
}

export interface DateChecks {
  present: ReadonlyMap<string, boolean>;
  latestMonthEnd: ReadonlyMap<string, string | null>;
  floorsInForce: ReadonlyMap<string, boolean>;
  missing: readonly MissingPositions[];
}

export function dateChecksStatement(ctx: QueryContext): Sql {
  const counties =
    ctx.area.counties === null
      ? raw(`SELECT code FROM area WHERE level = 'COUNTY'`)
      : sql`SELECT unnest(${`{${ctx.area.counties.join(',')}}`}::text[]) AS code`;
  return sql`WITH dd AS (SELECT unnest(${datesParam(ctx)}) AS d),
cur AS (SELECT p.month_end AS d, p.loan_id FROM loan_position p
         WHERE p.is_latest AND p.month_end = ANY(${datesParam(ctx)}) AND ${inCounties(ctx, 'p.county_code')}),
prv AS (SELECT dd.d, p.loan_id, p.county_code, p.institution_id
          FROM dd JOIN loan_position p ON p.is_latest AND p.month_end = (date_trunc('month', dd.d) - interval '1 day')::date
          JOIN loan l ON l.id = p.loan_id
         WHERE ${inCounties(ctx, 'p.county_code')} AND (l.closed_on IS NULL OR l.closed_on > dd.d)
           AND ${designated(ctx, 'dd.d', 'p.county_code')})
SELECT 'present' AS kind, dd.d::text AS d, NULL::text AS county, NULL::text AS institution,
       (SELECT count(*) FROM (SELECT 1 FROM cur WHERE cur.d = dd.d LIMIT 1) x)::text AS n
  FROM dd
UNION ALL
SELECT 'missing', prv.d::text, prv.county_code, prv.institution_id::text, count(*)::text
  FROM prv WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.loan_id = prv.loan_id AND cur.d = prv.d)
 GROUP BY prv.d, prv.county_code, prv.institution_id
UNION ALL
SELECT 'latest', dd.d::text, NULL, NULL, max(m.month_end)::text
  FROM dd CROSS JOIN (${counties}) c
  CROSS JOIN LATERAL (SELECT max(p.month_end) AS month_end FROM loan_position p
                       WHERE p.is_latest AND p.county_code = c.code AND p.month_end <= dd.d) m
 GROUP BY dd.d
UNION ALL
SELECT 'floors', dd.d::text, NULL, NULL,
       (SELECT count(DISTINCT pp.key) FROM policy_parameter pp
         WHERE pp.key = ANY(${`{${FLOOR_KEYS.join(',')}}`}::text[]) AND pp.valid_from <= dd.d AND (pp.valid_to IS NULL OR pp.valid_to > dd.d))::text
  FROM dd`;
}

export function readDateChecks(rows: ReadonlyArray<Record<string, string | null>>): DateChecks {
  const present = new Map<string, boolean>();
  const latestMonthEnd = new Map<string, string | null>();
  const floorsInForce = new Map<string, boolean>();
  const missing: MissingPositions[] = [];
  for (const row of rows) {
    const date = String(row.d);
    switch (row.kind) {
      case 'present':
        present.set(date, Number(row.n) > 0);
        break;
      case 'latest':
        latestMonthEnd.set(date, row.n);
        break;
      case 'floors':
        floorsInForce.set(date, Number(row.n) === FLOOR_KEYS.length);
        break;
      case 'missing':
        missing.push({ date, county: String(row.county), institutionId: String(row.institution), loans: Number(row.n) });
        break;
    }
  }
  return { present, latestMonthEnd, floorsInForce, missing };
}

/** Loans missing a position at `date` among the counties starting with `countyPrefix` (all: null) and the institutions given (all: null). */
export function missingAt(checks: DateChecks, date: string, countyPrefix: string | null, institutionIds: ReadonlySet<string> | null): number {
  let n = 0;
  for (const m of checks.missing) {
    if (m.date !== date) continue;
    if (countyPrefix !== null && !m.county.startsWith(countyPrefix)) continue;
    if (institutionIds !== null && !institutionIds.has(m.institutionId)) continue;
    n += m.loans;
  }
  return n;
}
