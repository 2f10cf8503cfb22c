/**
 * The combined bank–insurance–guarantee service model of a loan (DESIGN.md §1), derived
 * from the contracts LINKED to it, never typed in or stored.
 */

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
