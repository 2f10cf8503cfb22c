/**
 * `recordCompensations`: a guarantor records what it paid on defaults of its own
 * guarantee contracts (代偿), named by its own compensation reference, with the money
 * later recovered from the borrower (追偿) as recoveries named by their own references.
 *
 * A payment made is a fact, not a contract term, and the schema keeps no versions of
 * compensations: the same compensation again is UNCHANGED; the same reference with
 * another guarantee, amount or date is CONFLICT / RECORDED_DIFFERENTLY (never
 * overwritten). Recoveries are appended: an item lists the recoveries to record, those
 * already recorded are recognised (another amount or date under a recorded recovery
 * reference is CONFLICT), those recorded earlier and not listed again stay; an item that
 * adds recoveries to a recorded compensation is UPDATED.
 *
 * Integrity: amounts exact and positive; paid on or after the cover started, and not
 * after today; the guarantee's compensations together at most its guaranteed amount;
 * recoveries on or after the payment, not after today, together at most the amount paid.
 * A guarantee that is not the caller's is rejected exactly like one that does not exist.
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { exactDecimal, notInFuture, partnerRef, POSITIVE_MONEY, unitsOf } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid, unknownReference } from './item-rejection';

/** One recovery (the GraphQL `CompensationRecoveryInput`). */
export interface RecoveryItemInput {
  ref: string;
  amount: string;
  recoveredOn: string;
}

/** One compensation (the GraphQL `CompensationInput`). */
export interface CompensationItemInput {
  ref: string;
  guaranteeRef: string;
  amount: string;
  paidOn: string;
  recoveries?: RecoveryItemInput[] | null;
}

interface CheckedRecovery {
  ref: string;
  amount: string;
  units: bigint;
  recoveredOn: string;
}

interface CheckedCompensation {
  ref: string;
  guaranteeRef: string;
  amount: string;
  units: bigint;
  paidOn: string;
  recoveries: CheckedRecovery[];
}

/** At most this many recoveries per item. */
export const MAX_RECOVERIES_PER_ITEM = 100;

function checkCompensation(item: CompensationItemInput, today: string): CheckedCompensation {
  const ref = partnerRef(item.ref, 'ref');
  const guaranteeRef = partnerRef(item.guaranteeRef, 'guaranteeRef');
  const amount = exactDecimal(item.amount, 'amount', POSITIVE_MONEY);
  notInFuture(item.paidOn, today, 'paidOn');
  const list = item.recoveries ?? [];
  if (list.length > MAX_RECOVERIES_PER_ITEM) throw invalid('recoveries', 'TOO_MANY_RECOVERIES', `recoveries lists at most ${MAX_RECOVERIES_PER_ITEM} recoveries`);
  const seen = new Set<string>();
  const recoveries = list.map((r, i): CheckedRecovery => {
    const path = `recoveries[${i}]`;
    const recoveryRef = partnerRef(r.ref, `${path}.ref`);
    if (seen.has(recoveryRef)) throw invalid(`${path}.ref`, 'DUPLICATE_REF', `${path}.ref appears more than once in this compensation`);
    seen.add(recoveryRef);
    const recovered = exactDecimal(r.amount, `${path}.amount`, POSITIVE_MONEY);
    notInFuture(r.recoveredOn, today, `${path}.recoveredOn`);
    if (r.recoveredOn < item.paidOn) throw invalid(`${path}.recoveredOn`, 'DATE_ORDER', `${path}.recoveredOn must not be before paidOn`);
    return { ref: recoveryRef, amount: recovered.text, units: recovered.units, recoveredOn: r.recoveredOn };
  });
  if (recoveries.reduce((sum, r) => sum + r.units, 0n) > amount.units) {
    throw invalid('recoveries', 'RECOVERED_ABOVE_PAID', 'The recoveries together must not exceed the amount paid');
  }
  return { ref, guaranteeRef, amount: amount.text, units: amount.units, paidOn: item.paidOn, recoveries };
}

async function applyCompensation(ctx: IngestContext, compensation: CheckedCompensation): Promise<AppliedItem> {
  // Locked so that two batches adding compensations to one guarantee check its total in turn.
  const guarantees = await ctx.client.query<{ id: string; county_code: string; starts_on: string; guaranteed_amount: string }>(
    `SELECT id::text AS id, county_code, starts_on::text AS starts_on, guaranteed_amount::text AS guaranteed_amount
       FROM guarantee_contract WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE`,
    [ctx.institution.id, compensation.guaranteeRef],
  );
  const guarantee = guarantees.rows[0];
  if (guarantee === undefined) {
    throw unknownReference('guaranteeRef', `guaranteeRef: your institution has reported no guarantee ${compensation.guaranteeRef}`);
  }
  if (compensation.paidOn < guarantee.starts_on) {
    throw invalid('paidOn', 'BEFORE_COVER', `paidOn must not be before guarantee ${compensation.guaranteeRef} started (${guarantee.starts_on})`);
  }

  const recorded = await ctx.client.query<{ id: string; guarantee_id: string; amount: string; paid_on: string }>(
    `SELECT id::text AS id, guarantee_id::text AS guarantee_id, amount::text AS amount, paid_on::text AS paid_on
       FROM compensation WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE`,
    [ctx.institution.id, compensation.ref],
  );
  let row = recorded.rows[0];
  let created = false;
  if (row !== undefined) {
    if (row.guarantee_id !== guarantee.id || unitsOf(row.amount, 2) !== compensation.units || row.paid_on !== compensation.paidOn) {
      throw conflictWith(null, 'RECORDED_DIFFERENTLY', `${compensation.ref} is already recorded with other values; a recorded compensation is not overwritten`);
    }
  } else {
    const others = await ctx.client.query<{ total: string }>('SELECT coalesce(sum(amount), 0)::text AS total FROM compensation WHERE guarantee_id = $1', [guarantee.id]);
    if (unitsOf(others.rows[0].total, 2) + compensation.units > unitsOf(guarantee.guaranteed_amount, 2)) {
      throw invalid('amount', 'ABOVE_GUARANTEED', `The compensations on guarantee ${compensation.guaranteeRef} together must not exceed its guaranteed amount`);
    }
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO compensation (source_institution_id, batch_id, received_at, guarantee_id, institution_id, ref, county_code, amount, paid_on)
       VALUES ($1, $2, $3, $4, $1, $5, $6, $7, $8)
       ON CONFLICT (institution_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, guarantee.id, compensation.ref, guarantee.county_code, compensation.amount, compensation.paidOn],
    );
    if (inserted.rows[0] === undefined) throw conflictWith(null, 'CONCURRENT_CHANGE', `Compensation ${compensation.ref} was recorded by another call meanwhile; send the item again`);
    row = { id: inserted.rows[0].id, guarantee_id: guarantee.id, amount: compensation.amount, paid_on: compensation.paidOn };
    created = true;
  }

  const added = await recordRecoveries(ctx, row.id, guarantee.county_code, compensation);
  const record = { type: 'Compensation' as const, id: row.id };
  return { status: created ? 'CREATED' : added > 0 ? 'UPDATED' : 'UNCHANGED', record, version: null, warnings: [] };
}

/** Records the item's recoveries not yet recorded; returns how many it added. */
async function recordRecoveries(ctx: IngestContext, compensationId: string, countyCode: string, compensation: CheckedCompensation): Promise<number> {
  const existing = await ctx.client.query<{ ref: string; amount: string; recovered_on: string }>(
    'SELECT ref, amount::text AS amount, recovered_on::text AS recovered_on FROM compensation_recovery WHERE compensation_id = $1',
    [compensationId],
  );
  const known = new Map(existing.rows.map((r) => [r.ref, r]));
  let total = existing.rows.reduce((sum, r) => sum + unitsOf(r.amount, 2), 0n);
  const fresh: CheckedRecovery[] = [];
  for (const [i, recovery] of compensation.recoveries.entries()) {
    const before = known.get(recovery.ref);
    if (before === undefined) {
      fresh.push(recovery);
      total += recovery.units;
    } else if (unitsOf(before.amount, 2) !== recovery.units || before.recovered_on !== recovery.recoveredOn) {
      throw conflictWith(`recoveries[${i}]`, 'RECORDED_DIFFERENTLY', `Recovery ${recovery.ref} is already recorded with other values; a recorded recovery is not overwritten`);
    }
  }
  if (total > compensation.units) {
    throw invalid('recoveries', 'RECOVERED_ABOVE_PAID', 'The recoveries recorded on this compensation together must not exceed the amount paid');
  }
  if (fresh.length === 0) return 0;
  await ctx.client.query(
    `INSERT INTO compensation_recovery (source_institution_id, batch_id, received_at, compensation_id, ref, county_code, amount, recovered_on)
     SELECT $1, $2, $3, $4, t.ref, $5, t.amount, t.recovered_on FROM unnest($6::text[], $7::numeric[], $8::date[]) AS t(ref, amount, recovered_on)`,
    [
      ctx.institution.id,
      ctx.batch.rowId,
      ctx.batch.receivedAt,
      compensationId,
      countyCode,
      fresh.map((r) => r.ref),
      fresh.map((r) => r.amount),
      fresh.map((r) => r.recoveredOn),
    ],
  );
  return fresh.length;
}

async function compensationsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; ref: string; created: boolean }>(
    `SELECT c.id::text AS id, c.ref, true AS created FROM compensation c WHERE c.batch_id = $1
     UNION
     SELECT c.id::text, c.ref, false FROM compensation_recovery r JOIN compensation c ON c.id = r.compensation_id
      WHERE r.batch_id = $1 AND c.batch_id <> $1`,
    [ctx.batch.rowId],
  );
  return new Map(rows.rows.map((r) => [r.ref, { status: r.created ? 'CREATED' : 'UPDATED', record: { type: 'Compensation', id: r.id }, version: null }] as const));
}

export const COMPENSATION_INGESTION: IngestionKind<CompensationItemInput, CheckedCompensation> = {
  kind: 'recordCompensations',
  roles: ['GUARANTOR'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkCompensation,
  apply: applyCompensation,
  writtenBy: compensationsWrittenBy,
};
