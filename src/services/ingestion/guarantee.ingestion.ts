/**
 * `upsertGuaranteeContracts`: a guarantor reports its guarantee contracts, named by its
 * own reference, with the loans they cover named by bank code and loan reference.
 * Versioned like loans (CREATED / UPDATED with a new `record_version`, UNCHANGED, a stale
 * `version` is CONFLICT). A created or changed contract that names loans is answered
 * PENDING_LINK whether or not the loans are there (`cover-links.ts`).
 *
 * Integrity: amounts and rates exact, the four risk shares summing to exactly 1, the
 * cover's dates in order. Policy: a fee above the cap in force when the cover starts is
 * a warning (`guarantee.max_fee_rate`).
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkBorrower, resolveBorrower, type BorrowerInput, type CheckedBorrower } from './borrowers';
import { checkBanks, checkLoanNames, syncLinks, type LoanNameInput } from './cover-links';
import { exactDecimal, notInFuture, partnerRef, POSITIVE_MONEY, RATE, SHARE } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { guaranteeFeeViolations, violationsForTerms } from './policy-rules';
import { hashTerms, insertRecordVersion, termsHashOf, type Terms } from './record-versions';
import { countyArea } from './references';

/** One guarantee contract (the GraphQL `GuaranteeContractInput`). */
export interface GuaranteeItemInput {
  ref: string;
  countyCode: string;
  borrower: BorrowerInput;
  guaranteedAmount: string;
  feeRate: string;
  guarantorShare: string;
  bankShare: string;
  governmentShare: string;
  reguaranteeShare: string;
  startsOn: string;
  endsOn: string;
  releasedOn?: string | null;
  loans?: LoanNameInput[] | null;
  version?: number | null;
}

interface CheckedGuarantee {
  ref: string;
  countyCode: string;
  borrower: CheckedBorrower;
  guaranteedAmount: string;
  feeRate: string;
  shares: [string, string, string, string];
  startsOn: string;
  endsOn: string;
  releasedOn: string | null;
  loans: LoanNameInput[];
  version: number | null;
}

function checkGuarantee(item: GuaranteeItemInput, today: string): CheckedGuarantee {
  const ref = partnerRef(item.ref, 'ref');
  if (!/^\d{6}$/.test(item.countyCode ?? '')) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  const borrower = checkBorrower(item.borrower, 'borrower', today);
  const guaranteedAmount = exactDecimal(item.guaranteedAmount, 'guaranteedAmount', POSITIVE_MONEY).text;
  const feeRate = exactDecimal(item.feeRate, 'feeRate', RATE).text;
  const names = ['guarantorShare', 'bankShare', 'governmentShare', 'reguaranteeShare'] as const;
  const shares = names.map((name) => exactDecimal(item[name], name, SHARE));
  if (shares.reduce((sum, s) => sum + s.units, 0n) !== 1_000_000n) {
    throw invalid('guarantorShare', 'SHARES_NOT_ONE', 'guarantorShare, bankShare, governmentShare and reguaranteeShare must add up to exactly 1');
  }
  notInFuture(item.startsOn, today, 'startsOn');
  if (!(item.endsOn > item.startsOn)) throw invalid('endsOn', 'DATE_ORDER', 'endsOn must be after startsOn');
  const releasedOn = item.releasedOn ?? null;
  if (releasedOn !== null) {
    if (releasedOn < item.startsOn) throw invalid('releasedOn', 'DATE_ORDER', 'releasedOn must not be before startsOn');
    notInFuture(releasedOn, today, 'releasedOn');
  }
  return {
    ref,
    countyCode: item.countyCode,
    borrower,
    guaranteedAmount,
    feeRate,
    shares: shares.map((s) => s.text) as [string, string, string, string],
    startsOn: item.startsOn,
    endsOn: item.endsOn,
    releasedOn,
    loans: checkLoanNames(item.loans, 'loans'),
    version: baseVersion(item.version),
  };
}

async function applyGuarantee(ctx: IngestContext, guarantee: CheckedGuarantee): Promise<AppliedItem> {
  const countyCode = await countyArea(ctx, guarantee.countyCode, 'countyCode');
  await checkBanks(ctx, guarantee.loans, 'loans');
  const existing = await ctx.client.query<{ id: string; version: number }>(
    'SELECT id::text AS id, version FROM guarantee_contract WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE',
    [ctx.institution.id, guarantee.ref],
  );
  let current = existing.rows[0] === undefined ? null : { id: existing.rows[0].id, version: Number(existing.rows[0].version) };
  if (current === null && guarantee.version !== null) {
    throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${guarantee.version}, but your institution has reported no guarantee ${guarantee.ref}`);
  }
  const party = await resolveBorrower(ctx, guarantee.borrower, 'borrower', countyCode, guarantee.startsOn);
  const warnings = guaranteeFeeViolations(ctx.policy, guarantee.feeRate, guarantee.startsOn);
  const [guarantorShare, bankShare, governmentShare, reguaranteeShare] = guarantee.shares;
  const terms: Terms = {
    guarantorCode: ctx.institution.code,
    ref: guarantee.ref,
    countyCode,
    borrowerKind: party.kind,
    householdRef: party.kind === 'HOUSEHOLD' ? party.ref : null,
    enterpriseCreditCode: party.kind === 'ENTERPRISE' ? party.creditCode : null,
    guaranteedAmount: guarantee.guaranteedAmount,
    feeRate: guarantee.feeRate,
    guarantorShare,
    bankShare,
    governmentShare,
    reguaranteeShare,
    startsOn: guarantee.startsOn,
    endsOn: guarantee.endsOn,
    releasedOn: guarantee.releasedOn ?? undefined,
    loans: guarantee.loans.length === 0 ? undefined : guarantee.loans.map((l) => ({ bankCode: l.bankCode, loanRef: l.loanRef })),
    violations: warnings.length === 0 ? undefined : violationsForTerms(warnings),
  };
  const { hash } = hashTerms(terms);
  const columns = [
    countyCode,
    party.kind,
    party.kind === 'HOUSEHOLD' ? party.id : null,
    party.kind === 'ENTERPRISE' ? party.id : null,
    guarantee.guaranteedAmount,
    guarantee.feeRate,
    guarantorShare,
    bankShare,
    governmentShare,
    reguaranteeShare,
    guarantee.startsOn,
    guarantee.endsOn,
    guarantee.releasedOn,
  ];
  const linked = guarantee.loans.length > 0;

  if (current === null) {
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO guarantee_contract (source_institution_id, batch_id, received_at, institution_id, ref, county_code, borrower_kind, household_id, enterprise_id,
                                       guaranteed_amount, fee_rate, guarantor_share, bank_share, government_share, reguarantee_share, starts_on, ends_on, released_on, version)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1)
       ON CONFLICT (institution_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, guarantee.ref, ...columns],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) {
      throw conflictWith(null, 'CONCURRENT_CHANGE', `Guarantee ${guarantee.ref} was created by another call meanwhile; send the item again`);
    }
    await insertRecordVersion(ctx, 'GUARANTEE_CONTRACT', id, 1, countyCode, terms);
    await syncLinks(ctx, { column: 'guarantee_id', id, countyCode, party }, guarantee.loans);
    return { status: linked ? 'PENDING_LINK' : 'CREATED', record: { type: 'GuaranteeContract', id }, version: 1, warnings };
  }

  if ((await termsHashOf(ctx, 'GUARANTEE_CONTRACT', current.id, current.version)) === hash) {
    return { status: 'UNCHANGED', record: { type: 'GuaranteeContract', id: current.id }, version: current.version, warnings };
  }
  if (guarantee.version !== null && guarantee.version !== current.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${guarantee.version}, but guarantee ${guarantee.ref} is at version ${current.version}; read it again`);
  }
  const updated = await ctx.client.query(
    `UPDATE guarantee_contract SET source_institution_id = $1, batch_id = $2, received_at = $3,
            county_code = $6, borrower_kind = $7, household_id = $8, enterprise_id = $9, guaranteed_amount = $10, fee_rate = $11,
            guarantor_share = $12, bank_share = $13, government_share = $14, reguarantee_share = $15, starts_on = $16, ends_on = $17, released_on = $18,
            version = version + 1
      WHERE id = $4 AND version = $5`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, current.id, current.version, ...columns],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Guarantee ${guarantee.ref} changed meanwhile; read it again`);
  current = { id: current.id, version: current.version + 1 };
  await insertRecordVersion(ctx, 'GUARANTEE_CONTRACT', current.id, current.version, countyCode, terms);
  await syncLinks(ctx, { column: 'guarantee_id', id: current.id, countyCode, party }, guarantee.loans);
  return { status: linked ? 'PENDING_LINK' : 'UPDATED', record: { type: 'GuaranteeContract', id: current.id }, version: current.version, warnings };
}

async function guaranteesWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string; linked: boolean }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref, terms ? 'loans' AS linked
       FROM record_version WHERE batch_id = $1 AND record_kind = 'GUARANTEE_CONTRACT'`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map((r) => {
      const status = r.linked ? 'PENDING_LINK' : Number(r.version) === 1 ? 'CREATED' : 'UPDATED';
      return [r.ref, { status, record: { type: 'GuaranteeContract', id: r.id }, version: Number(r.version) }] as const;
    }),
  );
}

export const GUARANTEE_INGESTION: IngestionKind<GuaranteeItemInput, CheckedGuarantee> = {
  kind: 'upsertGuaranteeContracts',
  roles: ['GUARANTOR'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkGuarantee,
  apply: applyGuarantee,
  writtenBy: guaranteesWrittenBy,
};
