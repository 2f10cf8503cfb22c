import { pgArray, raw, sql } from '../db/sql';
import { guaranteeScope, loanScope, policyScope, positionScope } from '../services/access';
import { columns, type GuaranteeRow, type LinkRow, type LoanRow, type PolicyRow, type PositionRow } from './rows';
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

    loansByHouseholdId: keyLoader<LoanRow[]>(async (ids) => {
      const rows = await selectRows<LoanRow>(
        scope,
        sql`SELECT ${loanColumns} FROM loan l WHERE l.household_id = ANY (${pgArray(ids)}::bigint[]) AND ${loanVisible}
             ORDER BY l.household_id, l.disbursed_on, l.id`,
      );
      return manyByKey(ids, rows, (row) => row.householdId ?? '');
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

    /** The LINKED contract links of visible loans: what the combined model is derived from. */
    linksByLoanId: keyLoader<LinkRow[]>(async (ids) => {
      const rows = await selectRows<LinkRow>(
        scope,
        sql`SELECT cl.loan_id AS "loanId", cl.policy_id AS "policyId", cl.guarantee_id AS "guaranteeId"
              FROM contract_link cl JOIN loan l ON l.id = cl.loan_id
             WHERE cl.loan_id = ANY (${pgArray(ids)}::bigint[]) AND cl.status = 'LINKED' AND ${loanVisible}
             ORDER BY cl.loan_id, cl.id`,
      );
      return manyByKey(ids, rows, (row) => row.loanId);
    }),

    /** The guarantees LINKED to each loan that the principal may see. */
    guaranteesByLoanId: keyLoader<GuaranteeRow[]>(async (ids) => {
      const rows = await selectRows<GuaranteeRow & { linkedLoanId: string }>(
        scope,
        sql`SELECT cl.loan_id AS "linkedLoanId", ${raw(columns.guarantee('g'))}
              FROM contract_link cl JOIN guarantee_contract g ON g.id = cl.guarantee_id
             WHERE cl.loan_id = ANY (${pgArray(ids)}::bigint[]) AND cl.status = 'LINKED'
               AND ${guaranteeScope(principal, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' })}
             ORDER BY cl.loan_id, g.starts_on, g.id`,
      );
      return manyByKey(ids, rows, (row) => row.linkedLoanId);
    }),

    /** The policies LINKED to each loan that the principal may see. */
    policiesByLoanId: keyLoader<PolicyRow[]>(async (ids) => {
      const rows = await selectRows<PolicyRow & { linkedLoanId: string }>(
        scope,
        sql`SELECT cl.loan_id AS "linkedLoanId", ${raw(columns.policy('ip'))}
              FROM contract_link cl JOIN insurance_policy ip ON ip.id = cl.policy_id
             WHERE cl.loan_id = ANY (${pgArray(ids)}::bigint[]) AND cl.status = 'LINKED'
               AND ${policyScope(principal, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' })}
             ORDER BY cl.loan_id, ip.starts_on, ip.id`,
      );
      return manyByKey(ids, rows, (row) => row.linkedLoanId);
    }),
  };
}
