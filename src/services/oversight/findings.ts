/**
 * Findings as they stand: closure once every step is verified, overdue findings as of a
 * date, and rectification progress per county or per institution.
 *
 * Overdue is derived, never stored: a finding is OVERDUE on a date when it is past its
 * due date and not closed by then. (`finding.status` holds only OPEN and CLOSED — its
 * CHECK constraint allows nothing else — so the read side computes the state as of today
 * and the early-warning sweep asks `markOverdueFindings` for a given date.)
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, TRUE, type Sql } from '../../db/sql';
import { findingScope, type Principal } from '../access';
import { badInput, type ServiceScope, type TransactionClient } from '../common';
import { chinaDate } from '../ingestion/field-rules';

/** A finding's state on a date: OPEN, OVERDUE (past due and not closed) or CLOSED. */
export type FindingState = 'OPEN' | 'OVERDUE' | 'CLOSED';

/** The state of a finding on `on` (a `YYYY-MM-DD` date). */
export function findingStateOn(finding: { dueOn: string; closedOn: string | null }, on: string): FindingState {
  if (finding.closedOn !== null && finding.closedOn <= on) return 'CLOSED';
  return finding.dueOn < on ? 'OVERDUE' : 'OPEN';
}

/** Today in China time, the date reads answer "as of". */
export function todayInChina(now: Date = new Date()): string {
  return chinaDate(now);
}

/**
 * Closes the finding when it has steps and every one is verified: status CLOSED, closed
 * on `today`, version bumped (an edit based on an older read is then stale). Returns the
 * new version, or null when the finding stays open (or was closed already).
 */
export async function closeIfComplete(client: TransactionClient, findingId: string, today: string): Promise<number | null> {
  const closed = await client.query<{ version: number }>(
    `UPDATE finding f SET status = 'CLOSED', closed_on = greatest($2::date, f.found_on), version = f.version + 1
      WHERE f.id = $1 AND f.status <> 'CLOSED'
        AND EXISTS (SELECT 1 FROM rectification_step st WHERE st.finding_id = f.id)
        AND NOT EXISTS (SELECT 1 FROM rectification_step st WHERE st.finding_id = f.id AND st.verified_at IS NULL)
      RETURNING f.version`,
    [findingId, today],
  );
  return closed.rows[0] === undefined ? null : Number(closed.rows[0].version);
}

/** A finding past its due date and not closed on the sweep's date. */
export interface OverdueFinding {
  id: string;
  ref: string;
  countyCode: string;
  /** The institution that must rectify; null for a county's own work. */
  institutionId: string | null;
  dueOn: string;
  daysOverdue: number;
}

/**
 * The findings overdue on `today` (found by then, due before it, not closed by then), for
 * the early-warning sweep that raises FINDING_OVERDUE. Nothing is written: the status
 * column cannot hold OVERDUE, and the state is derived from the dates on every read.
 */
export async function markOverdueFindings(client: TransactionClient, today: string): Promise<OverdueFinding[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new TypeError('markOverdueFindings: today must be YYYY-MM-DD');
  const rows = await client.query<{ id: string; ref: string; county_code: string; institution_id: string | null; due_on: string; days: number }>(
    `SELECT f.id::text AS id, f.ref, f.county_code, f.institution_id::text AS institution_id, f.due_on::text AS due_on, ($1::date - f.due_on) AS days
       FROM finding f
      WHERE f.found_on <= $1::date AND f.due_on < $1::date AND (f.closed_on IS NULL OR f.closed_on > $1::date)
      ORDER BY f.due_on, f.id`,
    [today],
  );
  return rows.rows.map((r) => ({ id: r.id, ref: r.ref, countyCode: r.county_code, institutionId: r.institution_id, dueOn: r.due_on, daysOverdue: Number(r.days) }));
}

/** How `rectificationProgress` groups. */
export type ProgressGroupBy = 'COUNTY' | 'INSTITUTION';

/** Counts of one group: findings by state on the date, and their steps. */
export interface RectificationProgressRow {
  /** The county (COUNTY grouping). */
  countyCode: string | null;
  /** The institution that must rectify (INSTITUTION grouping); null for counties' own work. */
  institutionId: string | null;
  institutionCode: string | null;
  findings: number;
  open: number;
  overdue: number;
  closed: number;
  steps: number;
  reported: number;
  verified: number;
}

export interface RectificationProgress {
  asOf: string;
  groupBy: ProgressGroupBy;
  rows: RectificationProgressRow[];
}

const AREA_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

/**
 * Rectification progress over the findings the caller may see (`findingScope`: area
 * roles those of their area, an institution those it must rectify), optionally narrowed
 * to an area, grouped per county or per institution. `open`, `overdue` and `closed`
 * partition `findings`; `reported` counts steps reported done (verified ones included).
 *
 * @throws RefusalError BAD_USER_INPUT for a malformed or unknown area, or a groupBy
 *   other than COUNTY / INSTITUTION.
 */
export async function rectificationProgress(
  scope: Pick<ServiceScope, 'em' | 'principal'>,
  args: { groupBy: ProgressGroupBy; area?: { code?: string | null; nation?: boolean | null } | null; now?: Date },
): Promise<RectificationProgress> {
  const { em, principal } = scope;
  if (args.groupBy !== 'COUNTY' && args.groupBy !== 'INSTITUTION') throw badInput('groupBy must be COUNTY or INSTITUTION', 'groupBy');
  const asOf = todayInChina(args.now);
  const area = await areaFilter(em, args.area ?? null);
  const query = sql`
    WITH fs AS (
      SELECT f.county_code, f.institution_id,
             CASE WHEN f.closed_on IS NOT NULL AND f.closed_on <= ${asOf}::date THEN 'CLOSED'
                  WHEN f.due_on < ${asOf}::date THEN 'OVERDUE' ELSE 'OPEN' END AS state,
             s.steps, s.reported, s.verified
        FROM finding f
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS steps, count(st.reported_done_on)::int AS reported, count(st.verified_at)::int AS verified
            FROM rectification_step st WHERE st.finding_id = f.id) s
       WHERE ${scopeOf(principal)} AND ${area}
    )
    SELECT ${args.groupBy === 'COUNTY' ? sql`fs.county_code` : sql`NULL::text`} AS "countyCode",
           ${args.groupBy === 'INSTITUTION' ? sql`fs.institution_id::text` : sql`NULL::text`} AS "institutionId",
           ${args.groupBy === 'INSTITUTION' ? sql`(SELECT i.code FROM institution i WHERE i.id = fs.institution_id)` : sql`NULL::text`} AS "institutionCode",
           count(*)::int AS findings,
           count(*) FILTER (WHERE fs.state = 'OPEN')::int AS open,
           count(*) FILTER (WHERE fs.state = 'OVERDUE')::int AS overdue,
           count(*) FILTER (WHERE fs.state = 'CLOSED')::int AS closed,
           coalesce(sum(fs.steps), 0)::int AS steps,
           coalesce(sum(fs.reported), 0)::int AS reported,
           coalesce(sum(fs.verified), 0)::int AS verified
      FROM fs
     GROUP BY ${args.groupBy === 'COUNTY' ? sql`fs.county_code` : sql`fs.institution_id`}
     ORDER BY 1, 3 NULLS LAST`;
  const rows = (await em.getConnection().execute(query.text, [...query.params], 'all')) as RectificationProgressRow[];
  return { asOf, groupBy: args.groupBy, rows };
}

function scopeOf(principal: Readonly<Principal>): Sql {
  return findingScope(principal, 'f');
}

/** `{ code }` narrows to an area (any level); `{ nation: true }` or nothing leaves the caller's whole scope. */
async function areaFilter(em: EntityManager, area: { code?: string | null; nation?: boolean | null } | null): Promise<Sql> {
  if (area === null) return TRUE;
  const code = area.code ?? null;
  const nation = area.nation === true;
  if (nation === (code !== null)) throw badInput('area takes either { code } or { nation: true }', 'area');
  if (code === null) return TRUE;
  if (!AREA_CODE.test(code)) throw badInput('An area code has 2, 4, 6, 9 or 12 digits', 'area.code');
  const found = (await em.getConnection().execute('SELECT 1 AS x FROM area WHERE code = ?', [code], 'all')) as unknown[];
  if (found.length === 0) throw badInput(`Unknown area ${code}`, 'area.code');
  // A finding is made in a county: an area below county level narrows to its county.
  return sql`f.county_code LIKE ${`${code.slice(0, 6)}%`}`;
}
