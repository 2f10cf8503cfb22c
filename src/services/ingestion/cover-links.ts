/**
 * The loans a policy or guarantee names, kept in `contract_link` (one row per named
 * (bank code, loan reference)). A link is LINKED at once when that bank has reported
 * that loan for the contract's own party, PENDING otherwise (`contract-links.ts` says
 * why the borrower must match); the submitter's answer is PENDING_LINK either way, so
 * it never learns whether another institution's record exists. Links the contract no
 * longer names are removed with the version that stopped naming them (the earlier
 * version's terms keep them).
 */
import type { IngestContext } from './batch-engine';
import type { ResolvedBorrower } from './borrowers';
import { partnerRef } from './field-rules';
import { invalid, unknownReference } from './item-rejection';

/** One loan a contract covers, named as the bank names it. */
export interface LoanNameInput {
  bankCode: string;
  loanRef: string;
}

export const MAX_LINKS_PER_CONTRACT = 20;
const INSTITUTION_CODE = /^[A-Za-z0-9_.-]{1,32}$/;

/** Checks the named loans: well-formed, at most 20, each once; returned sorted, as terms keep them. */
export function checkLoanNames(loans: readonly LoanNameInput[] | null | undefined, path: string): LoanNameInput[] {
  const list = loans ?? [];
  if (list.length > MAX_LINKS_PER_CONTRACT) {
    throw invalid(path, 'TOO_MANY_LINKS', `${path} names at most ${MAX_LINKS_PER_CONTRACT} loans`);
  }
  const seen = new Set<string>();
  const checked = list.map((loan, i) => {
    if (!INSTITUTION_CODE.test(loan.bankCode)) throw invalid(`${path}[${i}].bankCode`, 'INVALID_CODE', `${path}[${i}].bankCode is not an institution code`);
    const loanRef = partnerRef(loan.loanRef, `${path}[${i}].loanRef`);
    const key = `${loan.bankCode}\u0000${loanRef}`;
    if (seen.has(key)) throw invalid(`${path}[${i}]`, 'DUPLICATE_LINK', `${path}[${i}] names the same loan twice`);
    seen.add(key);
    return { bankCode: loan.bankCode, loanRef };
  });
  return checked.sort((a, b) => (a.bankCode + '\u0000' + a.loanRef < b.bankCode + '\u0000' + b.loanRef ? -1 : 1));
}

/** The named banks exist and are banks (institutions are public reference data). */
export async function checkBanks(ctx: IngestContext, loans: readonly LoanNameInput[], path: string): Promise<void> {
  for (const [i, loan] of loans.entries()) {
    const key = `bank:${loan.bankCode}`;
    if (!ctx.memo.has(key)) {
      const rows = await ctx.client.query("SELECT 1 FROM institution WHERE code = $1 AND kind = 'BANK'", [loan.bankCode]);
      ctx.memo.set(key, rows.rows.length > 0);
    }
    if (ctx.memo.get(key) !== true) throw unknownReference(`${path}[${i}].bankCode`, `${path}[${i}].bankCode: no bank with code ${loan.bankCode}`);
  }
}

/**
 * Makes the contract's links exactly `loans`: adds the new ones (LINKED when the loan is
 * there for the same party), re-tries pending ones, removes those no longer named.
 */
export async function syncLinks(
  ctx: IngestContext,
  contract: { column: 'guarantee_id' | 'policy_id'; id: string; countyCode: string; party: ResolvedBorrower | null },
  loans: readonly LoanNameInput[],
): Promise<void> {
  const { column, id } = contract;
  await ctx.client.query(
    `DELETE FROM contract_link WHERE ${column} = $1
        AND NOT (bank_code, loan_ref) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [id, loans.map((l) => l.bankCode), loans.map((l) => l.loanRef)],
  );
  const householdId = contract.party?.kind === 'HOUSEHOLD' ? contract.party.id : null;
  const enterpriseId = contract.party?.kind === 'ENTERPRISE' ? contract.party.id : null;
  for (const loan of loans) {
    const found = await ctx.client.query<{ id: string }>(
      `SELECT l.id::text AS id FROM loan l JOIN institution i ON i.id = l.institution_id
        WHERE i.code = $1 AND l.ref = $2 AND (l.household_id = $3::bigint OR l.enterprise_id = $4::bigint)`,
      [loan.bankCode, loan.loanRef, householdId, enterpriseId],
    );
    const loanId = found.rows[0]?.id ?? null;
    await ctx.client.query(
      `INSERT INTO contract_link (source_institution_id, batch_id, received_at, ${column}, submitter_id, bank_code, loan_ref, loan_id, status, linked_at, county_code)
       VALUES ($1, $2, $3, $4, $1, $5, $6, $7::bigint, CASE WHEN $7::bigint IS NULL THEN 'PENDING' ELSE 'LINKED' END, CASE WHEN $7::bigint IS NULL THEN NULL ELSE $3::timestamptz END, $8)
       ON CONFLICT (${column}, bank_code, loan_ref) WHERE ${column} IS NOT NULL
       DO UPDATE SET loan_id = coalesce(contract_link.loan_id, excluded.loan_id),
                     status = CASE WHEN coalesce(contract_link.loan_id, excluded.loan_id) IS NULL THEN 'PENDING' ELSE 'LINKED' END,
                     linked_at = coalesce(contract_link.linked_at, excluded.linked_at),
                     county_code = excluded.county_code`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, id, loan.bankCode, loan.loanRef, loanId, contract.countyCode],
    );
  }
}
