/**
 * Links from a policy or guarantee to the loan it covers, named by the bank's code and
 * the bank's own loan reference (DESIGN.md §1 "Links across institutions"). Reports
 * arrive in any order: a link is PENDING until the loan is there, then LINKED.
 *
 * A link resolves only when the loan's borrower is the covering contract's party (the
 * guaranteed borrower, the policyholder, or a household on a group policy's insured
 * list). Linking lets the insurer or guarantor read the loan's contract facts, so a
 * guessed (bank, loan ref) pair must not be enough to see another bank's loan: the
 * submitter has to know the borrower too. Until then the link stays PENDING, visible
 * as such to its submitter only, exactly like a link to a loan not yet reported.
 */
import type { IngestContext } from './batch-engine';

/** The loan that arrived, with its borrower. */
export interface ArrivedLoan {
  id: string;
  ref: string;
  householdId: string | null;
  enterpriseId: string | null;
}

/** Links PENDING on this bank's loan reference whose contract covers the loan's borrower; returns how many. */
export async function resolvePendingLinks(ctx: IngestContext, loan: ArrivedLoan): Promise<number> {
  const result = await ctx.client.query(
    `UPDATE contract_link cl SET status = 'LINKED', loan_id = $1, linked_at = $2
      WHERE cl.status = 'PENDING' AND cl.bank_code = $3 AND cl.loan_ref = $4
        AND ${coversBorrower('cl', '$5::bigint', '$6::bigint')}`,
    [loan.id, ctx.batch.receivedAt, ctx.institution.code, loan.ref, loan.householdId, loan.enterpriseId],
  );
  return result.rowCount ?? 0;
}

/**
 * SQL: the link's contract covers the household or enterprise given by the two
 * parameters (either may be null).
 */
export function coversBorrower(link: string, household: string, enterprise: string): string {
  return `(
    EXISTS (SELECT 1 FROM guarantee_contract g_c WHERE g_c.id = ${link}.guarantee_id
             AND (g_c.household_id = ${household} OR g_c.enterprise_id = ${enterprise}))
    OR EXISTS (SELECT 1 FROM insurance_policy p_c WHERE p_c.id = ${link}.policy_id
             AND (p_c.household_id = ${household} OR p_c.enterprise_id = ${enterprise}
                  OR (p_c.holder_kind = 'GROUP' AND EXISTS (SELECT 1 FROM policy_insured_household x_c
                                                              WHERE x_c.policy_id = p_c.id AND x_c.household_id = ${household})))))`;
}
