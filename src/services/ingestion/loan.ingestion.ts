/**
 * `upsertLoans`: a bank reports its credit contracts, named by its own loan reference.
 * The first report of a reference creates the loan (CREATED); the same terms again are
 * UNCHANGED; changed terms are a new version (UPDATED): the loan row takes the new
 * terms and provenance, and every version stays in `record_version`. An item may carry
 * the `version` it was based on: a stale one is CONFLICT, so two writers of the same
 * loan never lose an update (the loan row is locked until the batch commits).
 *
 * Integrity rules reject (malformed decimals, dates out of order, a disbursement in the
 * future, rates given as percentages, unknown areas, facilities or funds, a malformed
 * borrower). Policy rules (micro-credit caps, borrower age, 户贷企用) never reject; their
 * violations are returned as warnings and kept in the version's `terms.violations`.
 * A loan's arrival resolves the PENDING links that named it (`contract-links.ts`).
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkBorrower, resolveBorrower, type BorrowerInput, type CheckedBorrower, type ResolvedBorrower } from './borrowers';
import { resolvePendingLinks } from './contract-links';
import { exactDecimal, freeText, notInFuture, partnerRef, POSITIVE_MONEY, RATE, unitsOf } from './field-rules';
import type { AppliedItem, PolicyViolation } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { applyLoansInBulk } from './loan-bulk.ingestion';
import { microcreditViolations, violationsForTerms } from './policy-rules';
import { hashTerms, insertRecordVersion, termsHashOf, versionsWrittenBy, type Terms } from './record-versions';
import { agreedFund, countyArea, ownRelendingFacility } from './references';

/** One loan as a bank reports it (the GraphQL `LoanInput`). */
export interface LoanItemInput {
  ref: string;
  countyCode: string;
  product: string;
  borrower: BorrowerInput;
  principal: string;
  disbursedOn: string;
  maturesOn: string;
  annualRate: string;
  subsidyRate?: string | null;
  guaranteeMode: string;
  paidToAccount: string;
  relendingFacilityRef?: string | null;
  riskCompensationFundRef?: string | null;
  purpose?: string | null;
  closedOn?: string | null;
  closure?: string | null;
  /** The version of the loan this item was based on; absent for a first report or a blind upsert. */
  version?: number | null;
}

/** A loan after the integrity rules that need no database (`applyLoan` and `applyLoansInBulk` write it). */
export interface CheckedLoan {
  ref: string;
  countyCode: string;
  product: string;
  borrower: CheckedBorrower;
  principal: string;
  disbursedOn: string;
  maturesOn: string;
  annualRate: string;
  subsidyRate: string | null;
  guaranteeMode: string;
  paidToAccount: string;
  relendingFacilityRef: string | null;
  riskCompensationFundRef: string | null;
  purpose: string | null;
  closedOn: string | null;
  closure: string | null;
  version: number | null;
}

const PRODUCTS: ReadonlySet<string> = new Set(['POVERTY_MICROCREDIT', 'INDUSTRIAL', 'INCLUSIVE_SMALL_MICRO', 'RELOCATION_SUPPORT', 'OTHER_AGRI']);
const GUARANTEE_MODES: ReadonlySet<string> = new Set(['CREDIT', 'GUARANTEE', 'COLLATERAL', 'INSURANCE', 'MIXED']);
const ACCOUNTS: ReadonlySet<string> = new Set(['HOUSEHOLD', 'ENTERPRISE', 'COOPERATIVE', 'OTHER']);
const CLOSURES: ReadonlySet<string> = new Set(['SETTLED', 'WRITTEN_OFF']);

function oneOf(set: ReadonlySet<string>, value: string, path: string): string {
  if (!set.has(value)) throw invalid(path, 'INVALID_VALUE', `${path} is not one of ${[...set].join(', ')}`);
  return value;
}

/** An optional `version`: a positive integer. */
export function baseVersion(value: number | null | undefined, path = 'version'): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(path, 'INVALID_VERSION', `${path} must be a positive integer`);
  return value;
}

function checkLoan(item: LoanItemInput, today: string): CheckedLoan {
  const ref = partnerRef(item.ref, 'ref');
  if (!/^\d{6}$/.test(item.countyCode ?? '')) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  const product = oneOf(PRODUCTS, item.product, 'product');
  const borrower = checkBorrower(item.borrower, 'borrower', today);
  const principal = exactDecimal(item.principal, 'principal', POSITIVE_MONEY).text;
  notInFuture(item.disbursedOn, today, 'disbursedOn');
  if (!(item.maturesOn > item.disbursedOn)) {
    throw invalid('maturesOn', 'DATE_ORDER', 'maturesOn must be after disbursedOn');
  }
  const annualRate = exactDecimal(item.annualRate, 'annualRate', RATE);
  let subsidyRate: string | null = null;
  if (item.subsidyRate !== null && item.subsidyRate !== undefined) {
    const subsidy = exactDecimal(item.subsidyRate, 'subsidyRate', RATE);
    if (subsidy.units > annualRate.units) throw invalid('subsidyRate', 'ABOVE_RATE', 'subsidyRate must not exceed annualRate');
    subsidyRate = subsidy.text;
  }
  const closedOn = item.closedOn ?? null;
  const closure = item.closure ?? null;
  if ((closedOn === null) !== (closure === null)) {
    throw invalid(closedOn === null ? 'closedOn' : 'closure', 'CLOSURE_INCOMPLETE', 'closedOn and closure are given together or not at all');
  }
  if (closedOn !== null) {
    oneOf(CLOSURES, closure!, 'closure');
    if (closedOn < item.disbursedOn) throw invalid('closedOn', 'DATE_ORDER', 'closedOn must not be before disbursedOn');
    notInFuture(closedOn, today, 'closedOn');
  }
  return {
    ref,
    countyCode: item.countyCode,
    product,
    borrower,
    principal,
    disbursedOn: item.disbursedOn,
    maturesOn: item.maturesOn,
    annualRate: annualRate.text,
    subsidyRate,
    guaranteeMode: oneOf(GUARANTEE_MODES, item.guaranteeMode, 'guaranteeMode'),
    paidToAccount: oneOf(ACCOUNTS, item.paidToAccount, 'paidToAccount'),
    relendingFacilityRef: item.relendingFacilityRef == null ? null : partnerRef(item.relendingFacilityRef, 'relendingFacilityRef'),
    riskCompensationFundRef: item.riskCompensationFundRef == null ? null : partnerRef(item.riskCompensationFundRef, 'riskCompensationFundRef'),
    purpose: freeText(item.purpose, 'purpose', 500),
    closedOn,
    closure,
    version: baseVersion(item.version),
  };
}

/** The canonical terms of a version, as the demo generator writes them (plus closure and violations when there are any). */
function loanTerms(ctx: IngestContext, loan: CheckedLoan, borrower: ResolvedBorrower, violations: PolicyViolation[]): Terms {
  return {
    bankCode: ctx.institution.code,
    ref: loan.ref,
    countyCode: loan.countyCode,
    product: loan.product,
    borrowerKind: borrower.kind,
    ...(borrower.kind === 'HOUSEHOLD' ? { householdRef: borrower.ref } : { enterpriseCreditCode: borrower.creditCode }),
    principal: loan.principal,
    disbursedOn: loan.disbursedOn,
    maturesOn: loan.maturesOn,
    annualRate: loan.annualRate,
    subsidyRate: loan.subsidyRate,
    guaranteeMode: loan.guaranteeMode,
    paidToAccount: loan.paidToAccount,
    relendingFacilityRef: loan.relendingFacilityRef,
    riskCompensationFundRef: loan.riskCompensationFundRef,
    purpose: loan.purpose,
    closedOn: loan.closedOn ?? undefined,
    closure: loan.closure ?? undefined,
    violations: violations.length === 0 ? undefined : violationsForTerms(violations),
  };
}

async function applyLoan(ctx: IngestContext, loan: CheckedLoan): Promise<AppliedItem> {
  const countyCode = await countyArea(ctx, loan.countyCode, 'countyCode');
  const facilityId = loan.relendingFacilityRef === null ? null : await ownRelendingFacility(ctx, loan.relendingFacilityRef, 'relendingFacilityRef');
  const fundId = loan.riskCompensationFundRef === null ? null : await agreedFund(ctx, loan.riskCompensationFundRef, 'riskCompensationFundRef');
  let existing = await lockLoan(ctx, loan.ref);
  if (existing === null && loan.version !== null) {
    throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${loan.version}, but your institution has reported no loan ${loan.ref}`);
  }

  const borrower = await resolveBorrower(ctx, loan.borrower, 'borrower', countyCode, loan.disbursedOn);
  const warnings = microcreditViolations(ctx.policy, {
    product: loan.product,
    borrowerKind: borrower.kind,
    principal: loan.principal,
    disbursedOn: loan.disbursedOn,
    maturesOn: loan.maturesOn,
    paidToAccount: loan.paidToAccount,
    headBirthDate: loan.borrower.kind === 'HOUSEHOLD_ID' ? loan.borrower.birthDate : null,
  });
  const terms = loanTerms(ctx, loan, borrower, warnings);
  const { hash } = hashTerms(terms);
  const columns = [
    countyCode,
    loan.product,
    borrower.kind,
    borrower.kind === 'HOUSEHOLD' ? borrower.id : null,
    borrower.kind === 'ENTERPRISE' ? borrower.id : null,
    loan.principal,
    loan.disbursedOn,
    loan.maturesOn,
    loan.annualRate,
    loan.subsidyRate,
    loan.guaranteeMode,
    loan.paidToAccount,
    facilityId,
    fundId,
    loan.purpose,
    loan.closedOn,
    loan.closure,
  ];
  const arrived = (id: string) => ({
    id,
    ref: loan.ref,
    householdId: borrower.kind === 'HOUSEHOLD' ? borrower.id : null,
    enterpriseId: borrower.kind === 'ENTERPRISE' ? borrower.id : null,
  });

  if (existing === null) {
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO loan (source_institution_id, batch_id, received_at, institution_id, ref,
                         county_code, product, borrower_kind, household_id, enterprise_id, principal, disbursed_on, matures_on,
                         annual_rate, subsidy_rate, guarantee_mode, paid_to_account, relending_facility_id, risk_compensation_fund_id,
                         purpose, closed_on, closure, version)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1)
       ON CONFLICT (institution_id, ref) DO NOTHING
       RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, loan.ref, ...columns],
    );
    const id = inserted.rows[0]?.id;
    if (id !== undefined) {
      await insertRecordVersion(ctx, 'LOAN', id, 1, countyCode, terms);
      await resolvePendingLinks(ctx, arrived(id));
      return { status: 'CREATED', record: { type: 'Loan', id }, version: 1, warnings };
    }
    // Created by a concurrent call since we looked: continue as an update of that loan.
    existing = await lockLoan(ctx, loan.ref);
    if (existing === null) throw new Error('upsertLoans: loan vanished after a conflicting insert');
  }

  const current = await termsHashOf(ctx, 'LOAN', existing.id, existing.version);
  if (current === hash) {
    return { status: 'UNCHANGED', record: { type: 'Loan', id: existing.id }, version: existing.version, warnings };
  }
  if (loan.version !== null && loan.version !== existing.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${loan.version}, but loan ${loan.ref} is at version ${existing.version}; read it again`);
  }
  const next = existing.version + 1;
  const updated = await ctx.client.query(
    `UPDATE loan SET source_institution_id = $1, batch_id = $2, received_at = $3,
            county_code = $6, product = $7, borrower_kind = $8, household_id = $9, enterprise_id = $10, principal = $11,
            disbursed_on = $12, matures_on = $13, annual_rate = $14, subsidy_rate = $15, guarantee_mode = $16, paid_to_account = $17,
            relending_facility_id = $18, risk_compensation_fund_id = $19, purpose = $20, closed_on = $21, closure = $22,
            version = version + 1
      WHERE id = $4 AND version = $5`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, existing.id, existing.version, ...columns],
  );
  if (updated.rowCount !== 1) {
    throw conflictWith('version', 'STALE_VERSION', `Loan ${loan.ref} changed meanwhile; read it again`);
  }
  await insertRecordVersion(ctx, 'LOAN', existing.id, next, countyCode, terms);
  await resolvePendingLinks(ctx, arrived(existing.id));
  return { status: 'UPDATED', record: { type: 'Loan', id: existing.id }, version: next, warnings };
}

async function lockLoan(ctx: IngestContext, ref: string): Promise<{ id: string; version: number } | null> {
  const rows = await ctx.client.query<{ id: string; version: number }>(
    'SELECT id::text AS id, version FROM loan WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE',
    [ctx.institution.id, ref],
  );
  const row = rows.rows[0];
  return row === undefined ? null : { id: row.id, version: Number(row.version) };
}

function loansWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  return versionsWrittenBy(ctx, 'LOAN', 'Loan');
}

export const LOAN_INGESTION: IngestionKind<LoanItemInput, CheckedLoan> = {
  kind: 'upsertLoans',
  roles: ['BANK'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkLoan,
  apply: applyLoan,
  // Set-based, same outcomes (`loan-bulk.ingestion.ts`); `apply` remains the fallback.
  applyAll: (ctx, loans) => applyLoansInBulk(ctx, loans, loanTerms),
  writtenBy: loansWrittenBy,
};

/** Used by the loan-event kinds: a money amount no greater than the loan's principal. */
export function withinPrincipal(amount: string, principal: string): boolean {
  return unitsOf(amount, 2) <= unitsOf(principal, 2);
}
