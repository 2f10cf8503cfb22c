/**
 * `recordRepayments` and `recordLoanModifications`: facts about a bank's loans, each
 * named by the bank's own reference. The same fact again is UNCHANGED. A recorded fact
 * is never overwritten, and these tables keep no versions yet, so a different fact
 * under a recorded reference is rejected (CONFLICT / RECORDED_DIFFERENTLY) rather than
 * silently replacing it.
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { exactDecimal, MONEY, notInFuture, partnerRef } from './field-rules';
import type { AppliedItem, IngestedRecordType } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { withinPrincipal } from './loan.ingestion';
import { disasterEvent, lockOwnLoan } from './references';

/** One repayment (the GraphQL `RepaymentInput`). */
export interface RepaymentItemInput {
  ref: string;
  loanRef: string;
  paidOn: string;
  principal: string;
  interest: string;
}

interface CheckedRepayment {
  ref: string;
  loanRef: string;
  paidOn: string;
  principal: string;
  interest: string;
}

function checkRepayment(item: RepaymentItemInput, today: string): CheckedRepayment {
  const ref = partnerRef(item.ref, 'ref');
  const loanRef = partnerRef(item.loanRef, 'loanRef');
  notInFuture(item.paidOn, today, 'paidOn');
  const principal = exactDecimal(item.principal, 'principal', MONEY);
  const interest = exactDecimal(item.interest, 'interest', MONEY);
  if (principal.units + interest.units === 0n) {
    throw invalid('principal', 'ZERO_REPAYMENT', 'A repayment repays some principal or interest');
  }
  return { ref, loanRef, paidOn: item.paidOn, principal: principal.text, interest: interest.text };
}

async function applyRepayment(ctx: IngestContext, repayment: CheckedRepayment): Promise<AppliedItem> {
  const loan = await lockOwnLoan(ctx, repayment.loanRef, 'loanRef');
  if (repayment.paidOn < loan.disbursedOn) {
    throw invalid('paidOn', 'BEFORE_DISBURSEMENT', `paidOn is before loan ${loan.ref} was disbursed (${loan.disbursedOn})`);
  }
  if (!withinPrincipal(repayment.principal, loan.principal)) {
    throw invalid('principal', 'ABOVE_PRINCIPAL', `principal exceeds the principal of loan ${loan.ref} (${loan.principal})`);
  }
  return recordFact(ctx, 'Repayment', repayment.ref, {
    select: `SELECT id::text AS id, loan_id::text = $3 AND paid_on = $4::date AND principal = $5::numeric AND interest = $6::numeric AS same
               FROM repayment WHERE institution_id = $1 AND ref = $2`,
    insert: `INSERT INTO repayment (source_institution_id, batch_id, received_at, institution_id, ref, loan_id, county_code, paid_on, principal, interest)
             VALUES ($7, $8, $9, $1, $2, $3, $10, $4, $5, $6)
             ON CONFLICT (institution_id, ref) DO NOTHING RETURNING id::text AS id`,
    params: [ctx.institution.id, repayment.ref, loan.id, repayment.paidOn, repayment.principal, repayment.interest],
    insertParams: [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, loan.countyCode],
  });
}

/** One modification (the GraphQL `LoanModificationInput`). */
export interface ModificationItemInput {
  ref: string;
  loanRef: string;
  kind: string;
  effectiveOn: string;
  previousMaturesOn: string;
  newMaturesOn: string;
  disasterEventRef?: string | null;
  classificationRelief?: boolean | null;
}

interface CheckedModification {
  ref: string;
  loanRef: string;
  kind: string;
  effectiveOn: string;
  previousMaturesOn: string;
  newMaturesOn: string;
  disasterEventRef: string | null;
  classificationRelief: boolean;
}

const MODIFICATION_KINDS: ReadonlySet<string> = new Set(['EXTENSION', 'RENEWAL', 'EPIDEMIC_DEFERRAL', 'DISASTER_DEFERRAL']);

function checkModification(item: ModificationItemInput, today: string): CheckedModification {
  const ref = partnerRef(item.ref, 'ref');
  const loanRef = partnerRef(item.loanRef, 'loanRef');
  if (!MODIFICATION_KINDS.has(item.kind)) throw invalid('kind', 'INVALID_VALUE', 'kind is not a modification kind');
  notInFuture(item.effectiveOn, today, 'effectiveOn');
  if (!(item.newMaturesOn > item.effectiveOn)) throw invalid('newMaturesOn', 'DATE_ORDER', 'newMaturesOn must be after effectiveOn');
  if (!(item.newMaturesOn > item.previousMaturesOn)) throw invalid('newMaturesOn', 'DATE_ORDER', 'newMaturesOn must be after previousMaturesOn');
  return {
    ref,
    loanRef,
    kind: item.kind,
    effectiveOn: item.effectiveOn,
    previousMaturesOn: item.previousMaturesOn,
    newMaturesOn: item.newMaturesOn,
    disasterEventRef: item.disasterEventRef == null ? null : partnerRef(item.disasterEventRef, 'disasterEventRef'),
    classificationRelief: item.classificationRelief === true,
  };
}

async function applyModification(ctx: IngestContext, modification: CheckedModification): Promise<AppliedItem> {
  const loan = await lockOwnLoan(ctx, modification.loanRef, 'loanRef');
  if (modification.effectiveOn < loan.disbursedOn) {
    throw invalid('effectiveOn', 'BEFORE_DISBURSEMENT', `effectiveOn is before loan ${loan.ref} was disbursed (${loan.disbursedOn})`);
  }
  if (!(modification.previousMaturesOn > loan.disbursedOn)) {
    throw invalid('previousMaturesOn', 'DATE_ORDER', `previousMaturesOn must be after loan ${loan.ref} was disbursed (${loan.disbursedOn})`);
  }
  const disasterId = modification.disasterEventRef === null ? null : await disasterEvent(ctx, modification.disasterEventRef, 'disasterEventRef');
  return recordFact(ctx, 'LoanModification', modification.ref, {
    select: `SELECT id::text AS id,
                    loan_id::text = $3 AND kind = $4 AND effective_on = $5::date AND previous_matures_on = $6::date AND new_matures_on = $7::date
                    AND disaster_event_id IS NOT DISTINCT FROM $8::bigint AND classification_relief = $9 AS same
               FROM loan_modification WHERE institution_id = $1 AND ref = $2`,
    insert: `INSERT INTO loan_modification (source_institution_id, batch_id, received_at, institution_id, ref, loan_id, county_code, kind,
                                            effective_on, previous_matures_on, new_matures_on, disaster_event_id, classification_relief)
             VALUES ($10, $11, $12, $1, $2, $3, $13, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (institution_id, ref) DO NOTHING RETURNING id::text AS id`,
    params: [
      ctx.institution.id,
      modification.ref,
      loan.id,
      modification.kind,
      modification.effectiveOn,
      modification.previousMaturesOn,
      modification.newMaturesOn,
      disasterId,
      modification.classificationRelief,
    ],
    insertParams: [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, loan.countyCode],
  });
}

/**
 * Inserts an unversioned fact, or recognises it: `select` returns the recorded row with
 * `same` telling whether it matches (`params`); `insert` takes `params` then
 * `insertParams` and does nothing when a concurrent call recorded it first.
 */
async function recordFact(
  ctx: IngestContext,
  type: IngestedRecordType,
  ref: string,
  statements: { select: string; insert: string; params: unknown[]; insertParams: unknown[] },
): Promise<AppliedItem> {
  const selectParams = statements.params;
  const recorded = async (): Promise<AppliedItem | null> => {
    const rows = await ctx.client.query<{ id: string; same: boolean }>(`${statements.select} FOR UPDATE`, selectParams);
    const row = rows.rows[0];
    if (row === undefined) return null;
    if (!row.same) {
      throw conflictWith(null, 'RECORDED_DIFFERENTLY', `${ref} is already recorded with other values; a recorded fact is not overwritten`);
    }
    return { status: 'UNCHANGED', record: { type, id: row.id }, version: null, warnings: [] };
  };
  const known = await recorded();
  if (known !== null) return known;
  const inserted = await ctx.client.query<{ id: string }>(statements.insert, [...statements.params, ...statements.insertParams]);
  if (inserted.rows[0] !== undefined) {
    return { status: 'CREATED', record: { type, id: inserted.rows[0].id }, version: null, warnings: [] };
  }
  const concurrent = await recorded();
  if (concurrent === null) throw new Error(`${type}: row vanished after a conflicting insert`);
  return concurrent;
}

async function factsWrittenBy(ctx: IngestContext, table: 'repayment' | 'loan_modification', type: IngestedRecordType): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; ref: string }>(`SELECT id::text AS id, ref FROM ${table} WHERE batch_id = $1`, [ctx.batch.rowId]);
  return new Map(rows.rows.map((r) => [r.ref, { status: 'CREATED', record: { type, id: r.id }, version: null }] as const));
}

export const REPAYMENT_INGESTION: IngestionKind<RepaymentItemInput, CheckedRepayment> = {
  kind: 'recordRepayments',
  roles: ['BANK'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkRepayment,
  apply: applyRepayment,
  writtenBy: (ctx) => factsWrittenBy(ctx, 'repayment', 'Repayment'),
};

export const MODIFICATION_INGESTION: IngestionKind<ModificationItemInput, CheckedModification> = {
  kind: 'recordLoanModifications',
  roles: ['BANK'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkModification,
  apply: applyModification,
  writtenBy: (ctx) => factsWrittenBy(ctx, 'loan_modification', 'LoanModification'),
};
