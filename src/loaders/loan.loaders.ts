import { pgArray, raw, sql } from '../db/sql';
import { loanScope, positionScope } from '../services/access';
import { columns, type LinkRow, type LoanRow, type PositionRow } from './rows';
import { keyLoader, manyByKey, objectLoader, oneByKey, oneByOrdinal, selectRows, type LoaderScope, type Ordinal } from './loader-kit';

/** A loan's position at the latest month end on or before `asOf`, or its latest when null. */
export interface PositionAsOfKey {
  loanId: string;
  asOf: string | null;
}

export function createLoanLoaders(scope: LoaderScope) {
  const { principal } = scope;
  const loanVisible = loanScope(principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' });
  const loanColumns = raw(columns.loan('l'));
  const positionColumns = raw(columns.position('p'));
  return {
    loanById: keyLoader<LoanRow | null>(async (ids) => {
      const rows = await selectRows<LoanRow>(
        scope,
        sql`SELECT ${loanColumns} FROM loan l WHERE l.id = ANY (${pgArray(ids)}::bigint[]) AND ${loanVisible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    positionByLoanIdAsOf: objectLoader<PositionAsOfKey, PositionRow | null>(
      async (keys) => {
        const rows = await selectRows<Ordinal<PositionRow>>(
          scope,
          sql`SELECT DISTINCT ON (k.ord) k.ord, ${positionColumns}
                FROM unnest(${pgArray(keys.map((k) => k.loanId))}::bigint[], ${pgArray(keys.map((k) => k.asOf))}::date[])
                  WITH ORDINALITY AS k(loan_id, as_of, ord)
                JOIN loan_position p ON p.loan_id = k.loan_id AND p.is_latest AND (k.as_of IS NULL OR p.month_end <= k.as_of)
               WHERE ${positionScope(principal, 'p')}
               ORDER BY k.ord, p.month_end DESC`,
        );
        return oneByOrdinal(keys.length, rows);
      },
      (key) => `${key.loanId}|${key.asOf ?? ''}`,
    ),

    positionById: keyLoader<PositionRow | null>(async (ids) => {
      const rows = await selectRows<PositionRow>(
        scope,
        sql`SELECT ${positionColumns} FROM loan_position p WHERE p.id = ANY (${pgArray(ids)}::bigint[]) AND ${positionScope(principal, 'p')}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    /**
     * The LINKED contract links of visible loans, with their contracts' periods: what the
     * combined model (as of a date) is derived from.
     */
    linksByLoanId: keyLoader<LinkRow[]>(async (ids) => {
      const rows = await selectRows<LinkRow>(
        scope,
        sql`SELECT cl.loan_id AS "loanId", cl.policy_id AS "policyId", cl.guarantee_id AS "guaranteeId",
                   coalesce(ip.starts_on, g.starts_on) AS "startsOn", coalesce(ip.ends_on, g.ends_on) AS "endsOn", g.released_on AS "releasedOn"
              FROM contract_link cl JOIN loan l ON l.id = cl.loan_id
              LEFT JOIN insurance_policy ip ON ip.id = cl.policy_id
              LEFT JOIN guarantee_contract g ON g.id = cl.guarantee_id
             WHERE cl.loan_id = ANY (${pgArray(ids)}::bigint[]) AND cl.status = 'LINKED' AND ${loanVisible}
             ORDER BY cl.loan_id, cl.id`,
      );
      return manyByKey(ids, rows, (row) => row.loanId);
    }),
  };
}
