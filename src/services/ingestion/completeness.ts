/**
 * Reporting completeness (DESIGN.md §1 "everyone reports monthly"): for one bank and one
 * month end, which month-end positions were due, which arrived, which are missing, which
 * arrived late and which were corrected.
 *
 * - Expected: the bank's loans active in the month — disbursed on or before the month
 *   end and not closed before the month starts (a loan closed during the month still
 *   owes that month's position, with balance 0). The loan's current row decides.
 * - Arrived: an expected loan with a position for that month end (any version).
 *   Positions for loans not expected (closed earlier, disbursed later) are counted as
 *   `unexpected`, never as arrived.
 * - Late: the month's first version was received after the deadline: the end of the
 *   `REPORTING_DEADLINE_DAY`th of the following month, China time. No policy parameter
 *   for this deadline exists, so it is a documented constant; it belongs in
 *   `policy_parameter` once regulators set one per period.
 * - Corrected: the month's position has more than one version (re-reported figures).
 *   A correction is never "late": lateness is about the first arrival.
 *
 * Access (DESIGN.md §3): a bank reads its own completeness only (another institution's
 * code is FORBIDDEN, whether or not it exists — codes are public reference data, and the
 * answer is refused rather than silently empty so that a bank never mistakes it for a
 * competitor's clean record); a regulator reads any institution's, counted over the loans
 * in its area scope. Loans and positions are read through `loanScope` / `positionScope`,
 * so the same rows the caller may see elsewhere are the rows counted here. Every other
 * role is FORBIDDEN.
 */
import { sql, type Sql } from '../../db/sql';
import { loanScope, positionScope } from '../access';
import { badInput, forbidden, notFound, requireRole, type ServiceScope } from '../common';
import { addMonths, monthEndOf } from './field-rules';

/** Positions for month M are due by the end of this day of month M + 1 (China time). */
export const REPORTING_DEADLINE_DAY = 15;
/** Listed loans per category by default, and at most. */
export const COMPLETENESS_LIST_DEFAULT = 100;
export const COMPLETENESS_LIST_MAX = 1000;

/** One loan in a completeness list. */
export interface CompletenessLoan {
  /** The loan's database id (the GraphQL layer turns it into a global id). */
  id: string;
  ref: string;
  countyCode: string;
  disbursedOn: string;
  /** When the month's first version arrived; null while missing. */
  firstReceivedAt: Date | null;
  /** When its latest version arrived; null while missing. */
  latestReceivedAt: Date | null;
  /** Versions of the month's position (0 while missing). */
  versions: number;
}

export interface ReportingCompleteness {
  institutionCode: string;
  monthEnd: string;
  /** The last day on which the month's positions were on time. */
  deadline: string;
  expected: number;
  arrived: number;
  missing: number;
  late: number;
  corrected: number;
  /** Positions for the month of loans that were not expected (closed before, disbursed after). */
  unexpected: number;
  /** At most `limit` each, by loan reference. */
  missingLoans: CompletenessLoan[];
  lateLoans: CompletenessLoan[];
  correctedLoans: CompletenessLoan[];
}

/**
 * Completeness of `institutionCode`'s month-end positions for the month of `month`.
 *
 * @throws RefusalError FORBIDDEN (role; a bank asking about another institution),
 *   NOT_FOUND (no institution with that code), BAD_USER_INPUT (`limit`).
 */
export async function reportingCompleteness(
  scope: ServiceScope,
  args: { institutionCode: string; month: string; limit?: number | null },
): Promise<ReportingCompleteness> {
  const { principal } = scope;
  requireRole(principal, ['REGULATOR', 'BANK'], 'reportingCompleteness');
  if (principal.role === 'BANK' && args.institutionCode !== principal.institutionCode) {
    throw forbidden('A bank reads the reporting completeness of its own institution only');
  }
  const limit = args.limit ?? COMPLETENESS_LIST_DEFAULT;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > COMPLETENESS_LIST_MAX) {
    throw badInput(`limit must be 0 to ${COMPLETENESS_LIST_MAX}`, 'limit', 'OUT_OF_RANGE');
  }
  const run = <R>(query: Sql) => scope.em.getConnection().execute<R[]>(query.text, [...query.params], 'all');
  const [institution] = await run<{ id: string }>(sql`SELECT id::text AS id FROM institution WHERE code = ${args.institutionCode}`);
  if (institution === undefined) throw notFound(`No institution with code ${args.institutionCode}`, 'institutionCode');

  const monthEnd = monthEndOf(args.month);
  const monthStart = `${monthEnd.slice(0, 7)}-01`;
  const deadline = `${addMonths(monthStart, 1).slice(0, 7)}-${String(REPORTING_DEADLINE_DAY).padStart(2, '0')}`;
  // The first instant after the deadline day, China time.
  const lateFrom = new Date(`${deadline}T00:00:00+08:00`);
  lateFrom.setUTCDate(lateFrom.getUTCDate() + 1);

  const base = sql`
    WITH expected AS (
      SELECT l.id, l.ref, l.county_code, l.disbursed_on FROM loan l
       WHERE l.institution_id = ${institution.id} AND l.disbursed_on <= ${monthEnd}::date
         AND (l.closed_on IS NULL OR l.closed_on >= ${monthStart}::date)
         AND ${loanScope(principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' })}
    ), reported AS (
      SELECT p.loan_id, min(p.received_at) AS first_at, max(p.received_at) AS latest_at, max(p.version) AS versions
        FROM loan_position p
       WHERE p.institution_id = ${institution.id} AND p.month_end = ${monthEnd}::date AND ${positionScope(principal, 'p')}
       GROUP BY p.loan_id
    ), joined AS (
      SELECT e.id, e.ref, e.county_code, e.disbursed_on, r.first_at, r.latest_at, coalesce(r.versions, 0) AS versions,
             r.loan_id IS NOT NULL AS arrived, coalesce(r.first_at >= ${lateFrom}::timestamptz, false) AS late
        FROM expected e LEFT JOIN reported r ON r.loan_id = e.id
    )`;
  const [counts] = await run<Record<'expected' | 'arrived' | 'missing' | 'late' | 'corrected' | 'unexpected', number>>(sql`${base}
    SELECT count(*)::int AS expected, count(*) FILTER (WHERE arrived)::int AS arrived, count(*) FILTER (WHERE NOT arrived)::int AS missing,
           count(*) FILTER (WHERE late)::int AS late, count(*) FILTER (WHERE versions > 1)::int AS corrected,
           (SELECT count(*)::int FROM reported r WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.id = r.loan_id)) AS unexpected
      FROM joined`);

  const lists = { MISSING: [] as CompletenessLoan[], LATE: [] as CompletenessLoan[], CORRECTED: [] as CompletenessLoan[] };
  if (limit > 0) {
    const rows = await run<{
      kind: keyof typeof lists;
      id: string;
      ref: string;
      county_code: string;
      disbursed_on: string;
      first_at: Date | null;
      latest_at: Date | null;
      versions: number;
    }>(sql`${base}
      SELECT kind, id, ref, county_code, disbursed_on, first_at, latest_at, versions FROM (
        SELECT k.kind, j.id::text AS id, j.ref, j.county_code, j.disbursed_on::text AS disbursed_on, j.first_at, j.latest_at, j.versions::int AS versions,
               row_number() OVER (PARTITION BY k.kind ORDER BY j.ref, j.id) AS n
          FROM joined j CROSS JOIN LATERAL (VALUES ('MISSING', NOT j.arrived), ('LATE', j.late), ('CORRECTED', j.versions > 1)) AS k(kind, hit)
         WHERE k.hit
      ) listed WHERE n <= ${limit} ORDER BY kind, n`);
    for (const r of rows) {
      lists[r.kind].push({
        id: r.id,
        ref: r.ref,
        countyCode: r.county_code,
        disbursedOn: r.disbursed_on,
        firstReceivedAt: r.first_at === null ? null : new Date(r.first_at),
        latestReceivedAt: r.latest_at === null ? null : new Date(r.latest_at),
        versions: Number(r.versions),
      });
    }
  }
  return {
    institutionCode: args.institutionCode,
    monthEnd,
    deadline,
    ...counts,
    missingLoans: lists.MISSING,
    lateLoans: lists.LATE,
    correctedLoans: lists.CORRECTED,
  };
}
