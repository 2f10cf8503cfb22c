/**
 * `recordClaims`: an insurer records claims on its own policies, named by its own claim
 * reference. A claim grows as it is handled (loss, then agreement 定损, then payment),
 * so it is versioned: the same facts again are UNCHANGED, more or corrected facts are a
 * new version (UPDATED, kept in `record_version` as `CLAIM`), a stale `version` is
 * CONFLICT. A claim stays on the policy it was first recorded on.
 *
 * Integrity: the loss date inside the policy period (both ends included) and not after
 * today; an agreement is a date and an amount together, a payment likewise, and needs
 * the agreement; dates in order (loss ≤ agreed ≤ paid); amounts exact; agreed at most
 * the sum insured, paid at most agreed. For a group policy the claim may name the
 * insured household it pays (head's ID number and village), which must be on the
 * policy's list.
 *
 * Policy: payment later than `insurance.claim_payment_days` after agreement (农业保险条例,
 * 10 days) is a warning.
 *
 * A policy that is not the caller's is rejected exactly like one that does not exist.
 */
import { matchHashesForAllVersions } from '../identity';
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkBorrower, type CheckedBorrower, type HouseholdPartyInput } from './borrowers';
import { exactDecimal, MONEY, notInFuture, partnerRef, POSITIVE_MONEY, unitsOf } from './field-rules';
import type { AppliedItem, PolicyViolation } from './ingestion.types';
import { conflictWith, invalid, ItemRejection, unknownReference } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { violationsForTerms } from './policy-rules';
import { hashTerms, insertRecordVersion, termsHashOf, versionsWrittenBy, type Terms } from './record-versions';
import { disasterEvent, villageArea } from './references';

/** One claim (the GraphQL `ClaimInput`). */
export interface ClaimItemInput {
  ref: string;
  policyRef: string;
  cause: string;
  /** For a group policy: the insured household the claim pays. */
  insured?: HouseholdPartyInput | null;
  disasterEventRef?: string | null;
  lossOn: string;
  agreedOn?: string | null;
  agreedAmount?: string | null;
  paidOn?: string | null;
  paidAmount?: string | null;
  version?: number | null;
}

interface CheckedClaim {
  ref: string;
  policyRef: string;
  cause: string;
  insured: Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }> | null;
  disasterEventRef: string | null;
  lossOn: string;
  agreed: { on: string; amount: string } | null;
  paid: { on: string; amount: string } | null;
  version: number | null;
}

const CAUSES: ReadonlySet<string> = new Set([
  'FLOOD',
  'DROUGHT',
  'EPIDEMIC',
  'DISEASE',
  'PRICE_DROP',
  'HAIL',
  'FROST',
  'TYPHOON',
  'PEST',
  'ACCIDENT',
  'CREDIT_DEFAULT',
  'OTHER',
]);

/** A date and an amount given together or not at all. */
function pair(on: string | null | undefined, amount: string | null | undefined, name: 'agreed' | 'paid', today: string, positive: boolean): { on: string; amount: string } | null {
  const hasDate = on !== null && on !== undefined;
  const hasAmount = amount !== null && amount !== undefined;
  if (!hasDate && !hasAmount) return null;
  if (!hasDate) throw invalid(`${name}On`, 'PAIR_INCOMPLETE', `${name}On is required with ${name}Amount`);
  if (!hasAmount) throw invalid(`${name}Amount`, 'PAIR_INCOMPLETE', `${name}Amount is required with ${name}On`);
  notInFuture(on, today, `${name}On`);
  return { on, amount: exactDecimal(amount, `${name}Amount`, positive ? POSITIVE_MONEY : MONEY).text };
}

function checkClaim(item: ClaimItemInput, today: string): CheckedClaim {
  const ref = partnerRef(item.ref, 'ref');
  const policyRef = partnerRef(item.policyRef, 'policyRef');
  if (!CAUSES.has(item.cause)) throw invalid('cause', 'INVALID_VALUE', 'cause is not a claim cause');
  let insured: CheckedClaim['insured'] = null;
  if (item.insured !== null && item.insured !== undefined) {
    // Checked as a borrower is (ID number rules, village required), with the paths of this input.
    let checked: CheckedBorrower;
    try {
      checked = checkBorrower({ household: item.insured }, 'insured', today);
    } catch (error) {
      if (!(error instanceof ItemRejection)) throw error;
      const path = error.path?.replace(/^insured\.household\./, 'insured.') ?? null;
      throw new ItemRejection(error.code, error.reason, path, error.message.replace(/insured\.household\./g, 'insured.'));
    }
    if (checked.kind !== 'HOUSEHOLD_ID') throw new Error('unreachable: an insured household');
    insured = checked;
  }
  notInFuture(item.lossOn, today, 'lossOn');
  // An agreement of 0 is a claim declined after assessment; a payment is never 0.
  const agreed = pair(item.agreedOn, item.agreedAmount, 'agreed', today, false);
  const paid = pair(item.paidOn, item.paidAmount, 'paid', today, true);
  if (agreed !== null && agreed.on < item.lossOn) throw invalid('agreedOn', 'DATE_ORDER', 'agreedOn must not be before lossOn');
  if (paid !== null) {
    if (agreed === null) throw invalid('paidOn', 'PAID_BEFORE_AGREED', 'A payment needs the agreement (agreedOn and agreedAmount) it pays');
    if (paid.on < agreed.on) throw invalid('paidOn', 'DATE_ORDER', 'paidOn must not be before agreedOn');
    if (unitsOf(paid.amount, 2) > unitsOf(agreed.amount, 2)) throw invalid('paidAmount', 'PAID_ABOVE_AGREED', 'paidAmount must not exceed agreedAmount');
  }
  return {
    ref,
    policyRef,
    cause: item.cause,
    insured,
    disasterEventRef: item.disasterEventRef == null ? null : partnerRef(item.disasterEventRef, 'disasterEventRef'),
    lossOn: item.lossOn,
    agreed,
    paid,
    version: baseVersion(item.version),
  };
}

/** `date` plus `days` calendar days. */
function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

interface OwnPolicy {
  id: string;
  countyCode: string;
  startsOn: string;
  endsOn: string;
  sumInsured: string;
  holderKind: string;
}

async function ownPolicy(ctx: IngestContext, ref: string): Promise<OwnPolicy> {
  const rows = await ctx.client.query<{ id: string; county_code: string; starts_on: string; ends_on: string; sum_insured: string; holder_kind: string }>(
    `SELECT id::text AS id, county_code, starts_on::text AS starts_on, ends_on::text AS ends_on, sum_insured::text AS sum_insured, holder_kind
       FROM insurance_policy WHERE institution_id = $1 AND ref = $2 FOR KEY SHARE`,
    [ctx.institution.id, ref],
  );
  const row = rows.rows[0];
  // Worded alike for a policy that does not exist and another insurer's.
  if (row === undefined) throw unknownReference('policyRef', `policyRef: your institution has reported no policy ${ref}`);
  return { id: row.id, countyCode: row.county_code, startsOn: row.starts_on, endsOn: row.ends_on, sumInsured: row.sum_insured, holderKind: row.holder_kind };
}

/**
 * The household on the policy's insured list whose head has this ID number. Looked up,
 * never created: a household the hub does not know and one not on the list get the same
 * answer, so registration status is never revealed.
 */
async function insuredOnPolicy(ctx: IngestContext, policyId: string, insured: Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }>): Promise<{ id: string; ref: string }> {
  const keyring = ctx.deps.matchKeyring;
  if (keyring === null) throw new Error('ingestion: TRIPOD_MATCH_KEYS is not configured, so households cannot be matched');
  await villageArea(ctx, insured.villageCode, 'insured.villageCode');
  const hashes = matchHashesForAllVersions(keyring, insured.normalizedId);
  const rows = await ctx.client.query<{ id: string; ref: string }>(
    `SELECT h.id::text AS id, h.ref FROM household_identity hi
       JOIN household h ON h.id = hi.household_id
       JOIN policy_insured_household pih ON pih.household_id = h.id AND pih.policy_id = $1
      WHERE hi.valid_to IS NULL AND (hi.key_version, hi.match_hash) IN (SELECT * FROM unnest($2::int[], $3::bytea[]))
      LIMIT 1`,
    [policyId, hashes.map((h) => h.version), hashes.map((h) => h.hash)],
  );
  const row = rows.rows[0];
  if (row === undefined) throw unknownReference('insured.headIdNumber', 'insured: no such household on the policy’s insured list');
  return row;
}

function paymentViolations(ctx: IngestContext, claim: CheckedClaim): PolicyViolation[] {
  if (claim.agreed === null || claim.paid === null) return [];
  const days = ctx.policy.valueOn('insurance.claim_payment_days', claim.agreed.on);
  if (days === null) return [];
  const dueBy = addDays(claim.agreed.on, Number(days.value));
  if (claim.paid.on <= dueBy) return [];
  return [
    {
      code: 'CLAIM_PAID_LATE',
      path: 'paidOn',
      message: `Paid after the ${days.value} days allowed from agreement (${claim.agreed.on}) by the rule in force then`,
      parameter: days.key,
      limit: days.value,
      actual: claim.paid.on,
      inForceOn: claim.agreed.on,
    },
  ];
}

async function applyClaim(ctx: IngestContext, claim: CheckedClaim): Promise<AppliedItem> {
  const policy = await ownPolicy(ctx, claim.policyRef);
  if (claim.lossOn < policy.startsOn || claim.lossOn > policy.endsOn) {
    throw invalid('lossOn', 'OUTSIDE_POLICY_PERIOD', `lossOn must lie in the period of policy ${claim.policyRef} (${policy.startsOn} to ${policy.endsOn})`);
  }
  if (claim.agreed !== null && unitsOf(claim.agreed.amount, 2) > unitsOf(policy.sumInsured, 2)) {
    throw invalid('agreedAmount', 'ABOVE_SUM_INSURED', `agreedAmount must not exceed the sum insured of policy ${claim.policyRef}`);
  }
  let household: { id: string; ref: string } | null = null;
  if (claim.insured !== null) {
    if (policy.holderKind !== 'GROUP') throw invalid('insured', 'NOT_GROUP_POLICY', `Policy ${claim.policyRef} is not a group policy: its claims pay its holder`);
    household = await insuredOnPolicy(ctx, policy.id, claim.insured);
  }
  const disasterId = claim.disasterEventRef === null ? null : await disasterEvent(ctx, claim.disasterEventRef, 'disasterEventRef');
  const warnings = paymentViolations(ctx, claim);
  const terms: Terms = {
    insurerCode: ctx.institution.code,
    ref: claim.ref,
    policyRef: claim.policyRef,
    countyCode: policy.countyCode,
    cause: claim.cause,
    householdRef: household?.ref ?? undefined,
    disasterEventRef: claim.disasterEventRef ?? undefined,
    lossOn: claim.lossOn,
    agreedOn: claim.agreed?.on,
    agreedAmount: claim.agreed?.amount,
    paidOn: claim.paid?.on,
    paidAmount: claim.paid?.amount,
    violations: warnings.length === 0 ? undefined : violationsForTerms(warnings),
  };
  const { hash } = hashTerms(terms);
  const columns = [
    policy.countyCode,
    household?.id ?? null,
    claim.cause,
    disasterId,
    claim.lossOn,
    claim.agreed?.on ?? null,
    claim.agreed?.amount ?? null,
    claim.paid?.on ?? null,
    claim.paid?.amount ?? null,
  ];

  const existing = await ctx.client.query<{ id: string; version: number; policy_id: string }>(
    'SELECT id::text AS id, version, policy_id::text AS policy_id FROM claim WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE',
    [ctx.institution.id, claim.ref],
  );
  const row = existing.rows[0];
  if (row === undefined) {
    if (claim.version !== null) {
      throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${claim.version}, but your institution has recorded no claim ${claim.ref}`);
    }
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO claim (source_institution_id, batch_id, received_at, institution_id, ref, policy_id, county_code, household_id, cause, disaster_event_id,
                          loss_on, agreed_on, agreed_amount, paid_on, paid_amount, version)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)
       ON CONFLICT (institution_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, claim.ref, policy.id, ...columns],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) throw conflictWith(null, 'CONCURRENT_CHANGE', `Claim ${claim.ref} was created by another call meanwhile; send the item again`);
    await insertRecordVersion(ctx, 'CLAIM', id, 1, policy.countyCode, terms);
    return { status: 'CREATED', record: { type: 'Claim', id }, version: 1, warnings };
  }
  const current = { id: row.id, version: Number(row.version) };
  if (row.policy_id !== policy.id) {
    throw conflictWith('policyRef', 'POLICY_CHANGED', `Claim ${claim.ref} is recorded on another of your policies; a claim stays on its policy`);
  }
  if ((await termsHashOf(ctx, 'CLAIM', current.id, current.version)) === hash) {
    return { status: 'UNCHANGED', record: { type: 'Claim', id: current.id }, version: current.version, warnings };
  }
  if (claim.version !== null && claim.version !== current.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${claim.version}, but claim ${claim.ref} is at version ${current.version}; read it again`);
  }
  const updated = await ctx.client.query(
    `UPDATE claim SET source_institution_id = $1, batch_id = $2, received_at = $3,
            county_code = $6, household_id = $7, cause = $8, disaster_event_id = $9, loss_on = $10,
            agreed_on = $11, agreed_amount = $12, paid_on = $13, paid_amount = $14, version = version + 1
      WHERE id = $4 AND version = $5`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, current.id, current.version, ...columns],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Claim ${claim.ref} changed meanwhile; read it again`);
  await insertRecordVersion(ctx, 'CLAIM', current.id, current.version + 1, policy.countyCode, terms);
  return { status: 'UPDATED', record: { type: 'Claim', id: current.id }, version: current.version + 1, warnings };
}

function claimsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  return versionsWrittenBy(ctx, 'CLAIM', 'Claim');
}

export const CLAIM_INGESTION: IngestionKind<ClaimItemInput, CheckedClaim> = {
  kind: 'recordClaims',
  roles: ['INSURER'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkClaim,
  apply: applyClaim,
  writtenBy: claimsWrittenBy,
};
