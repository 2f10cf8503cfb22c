/**
 * The combined bank–insurance–guarantee service model of a loan (DESIGN.md §1), derived
 * from the contracts LINKED to it, never typed in or stored.
 */
import { raw, sql, type Sql } from '../../db/sql';

export enum CombinedModel {
  LOAN_ONLY = 'LOAN_ONLY',
  LOAN_INSURANCE = 'LOAN_INSURANCE',
  LOAN_GUARANTEE = 'LOAN_GUARANTEE',
  BANK_INSURANCE_GUARANTEE = 'BANK_INSURANCE_GUARANTEE',
}

/** One LINKED contract link of a loan: exactly one of the two ids is set. */
export interface LoanLink {
  policyId: string | null;
  guaranteeId: string | null;
}

/** The model of a loan package from its LINKED links (pending links do not count). */
export function combinedModelOf(links: readonly LoanLink[]): CombinedModel {
  const insured = links.some((link) => link.policyId !== null);
  const guaranteed = links.some((link) => link.guaranteeId !== null);
  if (insured && guaranteed) return CombinedModel.BANK_INSURANCE_GUARANTEE;
  if (insured) return CombinedModel.LOAN_INSURANCE;
  if (guaranteed) return CombinedModel.LOAN_GUARANTEE;
  return CombinedModel.LOAN_ONLY;
}

/** A LINKED link with the period of its contract, for the model as of a date. */
export interface DatedLoanLink extends LoanLink {
  startsOn: string;
  endsOn: string;
  /** A guarantee's release date (its liability ends that day). */
  releasedOn: string | null;
}

/**
 * True when the linked contract is in force on `date` (`YYYY-MM-DD`): a policy over its
 * period, a guarantee over its period until released. The same rule as `combinedModelSql`.
 */
export function inForceOn(link: DatedLoanLink, date: string): boolean {
  return link.startsOn <= date && link.endsOn >= date && (link.releasedOn === null || link.releasedOn > date);
}

/**
 * The model of each loan (`loanIdColumn`, trusted SQL text) as SQL: from its LINKED
 * contracts, only those in force on `on` when given. The same rule as `combinedModelOf`
 * with `inForceOn`, for filters that must run in the database.
 */
export function combinedModelSql(loanIdColumn: string, on: string | null): Sql {
  if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(loanIdColumn)) throw new Error(`combinedModelSql: ${loanIdColumn} is not a column`);
  const loanId = raw(loanIdColumn);
  const policyInForce = on === null ? raw('true') : sql`ip_m.starts_on <= ${on}::date AND ip_m.ends_on >= ${on}::date`;
  const guaranteeInForce =
    on === null
      ? raw('true')
      : sql`g_m.starts_on <= ${on}::date AND g_m.ends_on >= ${on}::date AND (g_m.released_on IS NULL OR g_m.released_on > ${on}::date)`;
  // Uncorrelated IN subqueries: over many loans the planner hashes each once (a LINKED
  // link always names its loan, so the lists hold no NULL).
  const insured = sql`${loanId} IN (SELECT cl_m.loan_id FROM contract_link cl_m JOIN insurance_policy ip_m ON ip_m.id = cl_m.policy_id
                                     WHERE cl_m.status = 'LINKED' AND ${policyInForce})`;
  const guaranteed = sql`${loanId} IN (SELECT cl_m.loan_id FROM contract_link cl_m JOIN guarantee_contract g_m ON g_m.id = cl_m.guarantee_id
                                        WHERE cl_m.status = 'LINKED' AND ${guaranteeInForce})`;
  return sql`(CASE WHEN ${insured} THEN (CASE WHEN ${guaranteed} THEN 'BANK_INSURANCE_GUARANTEE' ELSE 'LOAN_INSURANCE' END)
                   WHEN ${guaranteed} THEN 'LOAN_GUARANTEE' ELSE 'LOAN_ONLY' END)`;
}
