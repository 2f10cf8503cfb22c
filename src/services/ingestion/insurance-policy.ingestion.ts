/**
 * `upsertInsurancePolicies`: an insurer reports its policies, named by its own reference,
 * versioned like guarantees (CREATED / UPDATED with a new `record_version`, UNCHANGED,
 * a stale `version` is CONFLICT). The terms include the per-household insured list
 * (分户清单), named by the households' hub refs, so a changed list is a new version and
 * the earlier lists stay in the earlier versions' terms.
 *
 * The holder: a household or an enterprise (`holder`), or a group policy — an insured
 * list, with an enterprise holder (a cooperative insuring its members) or none. Insured
 * households are named by head's national ID number and village, matched or created
 * with status OTHER exactly like borrowers (`borrowers.ts`), so no answer depends on
 * registration status.
 *
 * Integrity: amounts exact; the five payer shares (central, provincial, county, farmer,
 * poverty fund) add up to exactly the premium; the period in order; the insured list
 * without repeats and, where it carries premiums or sums insured, within the policy's.
 * Loans named (credit-linked cover) are linked as guarantees are (`cover-links.ts`):
 * the answer is PENDING_LINK whether or not the loan is there.
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkBorrower, resolveBorrower, type BorrowerInput, type CheckedBorrower, type HouseholdPartyInput, type ResolvedBorrower } from './borrowers';
import { checkBanks, checkLoanNames, syncLinks, type LoanNameInput } from './cover-links';
import { exactDecimal, freeText, MONEY, notInFuture, partnerRef, type DecimalRule } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { hashTerms, insertRecordVersion, termsHashOf, type Terms } from './record-versions';
import { countyArea } from './references';

/** One household on a policy's insured list (the GraphQL `InsuredHouseholdInput`). */
export interface InsuredHouseholdItemInput {
  household: HouseholdPartyInput;
  quantity?: string | null;
  sumInsured?: string | null;
  premium?: string | null;
}

/** One policy (the GraphQL `InsurancePolicyInput`). */
export interface InsurancePolicyItemInput {
  ref: string;
  countyCode: string;
  line: string;
  subject: string;
  quantity: string;
  unit: string;
  sumInsured: string;
  premium: string;
  centralShare: string;
  provincialShare: string;
  countyShare: string;
  farmerShare: string;
  povertyFundShare: string;
  startsOn: string;
  endsOn: string;
  holder?: BorrowerInput | null;
  insured?: InsuredHouseholdItemInput[] | null;
  loans?: LoanNameInput[] | null;
  version?: number | null;
}

interface CheckedInsured {
  household: CheckedBorrower;
  quantity: string | null;
  sumInsured: string | null;
  premium: string | null;
}

interface CheckedPolicy {
  ref: string;
  countyCode: string;
  line: string;
  subject: string;
  quantity: string;
  unit: string;
  sumInsured: string;
  premium: string;
  /** central, provincial, county, farmer, poverty fund. */
  shares: [string, string, string, string, string];
  startsOn: string;
  endsOn: string;
  holderKind: 'HOUSEHOLD' | 'ENTERPRISE' | 'GROUP';
  holder: CheckedBorrower | null;
  insured: CheckedInsured[];
  loans: LoanNameInput[];
  version: number | null;
}

/** Insured quantities (mu, head …): numeric(18,4), positive. */
export const QUANTITY: DecimalRule = { scale: 4, integerDigits: 14, allowZero: false };
/** At most this many households on one policy's list; larger groups are split into several policies. */
export const MAX_INSURED_PER_POLICY = 1000;

const LINES: ReadonlySet<string> = new Set(['CROP', 'LIVESTOCK', 'FORESTRY', 'INDEX', 'PRICE', 'INCOME', 'CREDIT_LINKED']);
const UNIT = /^[A-Z][A-Z_]{0,15}$/;
const SHARE_FIELDS = ['centralShare', 'provincialShare', 'countyShare', 'farmerShare', 'povertyFundShare'] as const;

function checkPolicy(item: InsurancePolicyItemInput, today: string): CheckedPolicy {
  const ref = partnerRef(item.ref, 'ref');
  if (!/^\d{6}$/.test(item.countyCode ?? '')) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  if (!LINES.has(item.line)) throw invalid('line', 'INVALID_VALUE', 'line is not an insurance line');
  const subject = freeText(item.subject, 'subject', 100);
  if (subject === null) throw invalid('subject', 'REQUIRED', 'subject is required (what is insured: rice, breeding sows …)');
  const quantity = exactDecimal(item.quantity, 'quantity', QUANTITY).text;
  if (typeof item.unit !== 'string' || !UNIT.test(item.unit)) throw invalid('unit', 'INVALID_UNIT', 'unit must be 1 to 16 capital letters or "_", e.g. MU, HEAD, HOUSEHOLD');
  const sumInsured = exactDecimal(item.sumInsured, 'sumInsured', MONEY);
  const premium = exactDecimal(item.premium, 'premium', MONEY);
  const shares = SHARE_FIELDS.map((name) => exactDecimal(item[name], name, MONEY));
  if (shares.reduce((sum, s) => sum + s.units, 0n) !== premium.units) {
    throw invalid('premium', 'PAYER_SHARES_NOT_PREMIUM', 'centralShare, provincialShare, countyShare, farmerShare and povertyFundShare must add up to exactly the premium');
  }
  notInFuture(item.startsOn, today, 'startsOn');
  if (!(item.endsOn > item.startsOn)) throw invalid('endsOn', 'DATE_ORDER', 'endsOn must be after startsOn');

  const list = item.insured ?? [];
  if (list.length > MAX_INSURED_PER_POLICY) {
    throw invalid('insured', 'TOO_MANY_INSURED', `insured lists at most ${MAX_INSURED_PER_POLICY} households; split larger groups into several policies`);
  }
  const seen = new Map<string, number>();
  const insured = list.map((entry, i): CheckedInsured => {
    const path = `insured[${i}]`;
    const household = checkBorrower({ household: entry?.household }, path, today);
    if (household.kind !== 'HOUSEHOLD_ID') throw new Error('unreachable: an insured entry names a household');
    const earlier = seen.get(household.normalizedId);
    // Which entry repeats is said by index only: the number is never echoed.
    if (earlier !== undefined) throw invalid(`${path}.household.headIdNumber`, 'DUPLICATE_HOUSEHOLD', `${path} names the same household as insured[${earlier}]`);
    seen.set(household.normalizedId, i);
    return {
      household,
      quantity: entry.quantity == null ? null : exactDecimal(entry.quantity, `${path}.quantity`, QUANTITY).text,
      sumInsured: entry.sumInsured == null ? null : exactDecimal(entry.sumInsured, `${path}.sumInsured`, MONEY).text,
      premium: entry.premium == null ? null : exactDecimal(entry.premium, `${path}.premium`, MONEY).text,
    };
  });
  checkListTotal(insured, 'premium', premium.units);
  checkListTotal(insured, 'sumInsured', sumInsured.units);

  const holder = item.holder == null ? null : checkBorrower(item.holder, 'holder', today);
  let holderKind: CheckedPolicy['holderKind'];
  if (insured.length > 0) {
    if (holder !== null && holder.kind !== 'ENTERPRISE') {
      throw invalid('holder', 'HOLDER_WITH_LIST', 'A policy with an insured list is a group policy: its holder is an enterprise (a cooperative) or absent');
    }
    holderKind = 'GROUP';
  } else if (holder === null) {
    throw invalid('holder', 'HOLDER_REQUIRED', 'A policy names its holder, or lists its insured households (a group policy)');
  } else {
    holderKind = holder.kind === 'ENTERPRISE' ? 'ENTERPRISE' : 'HOUSEHOLD';
  }

  return {
    ref,
    countyCode: item.countyCode,
    line: item.line,
    subject,
    quantity,
    unit: item.unit,
    sumInsured: sumInsured.text,
    premium: premium.text,
    shares: shares.map((s) => s.text) as CheckedPolicy['shares'],
    startsOn: item.startsOn,
    endsOn: item.endsOn,
    holderKind,
    holder,
    insured,
    loans: checkLoanNames(item.loans, 'loans'),
    version: baseVersion(item.version),
  };
}

/**
 * The list's per-household amounts never exceed the policy's, and when every household
 * carries one they add up to it exactly (the list is the policy split by household).
 */
function checkListTotal(insured: readonly CheckedInsured[], field: 'premium' | 'sumInsured', total: bigint): void {
  const given = insured.filter((e) => e[field] !== null);
  if (given.length === 0) return;
  const sum = given.reduce((s, e) => s + exactDecimal(e[field]!, field, MONEY).units, 0n);
  if (sum > total || (given.length === insured.length && sum !== total)) {
    throw invalid(`insured`, 'LIST_TOTAL', `The insured households' ${field} must add up to the policy's ${field} (at most it, when some are left out)`);
  }
}

async function applyPolicy(ctx: IngestContext, policy: CheckedPolicy): Promise<AppliedItem> {
  const countyCode = await countyArea(ctx, policy.countyCode, 'countyCode');
  await checkBanks(ctx, policy.loans, 'loans');
  const existing = await ctx.client.query<{ id: string; version: number }>(
    'SELECT id::text AS id, version FROM insurance_policy WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE',
    [ctx.institution.id, policy.ref],
  );
  let current = existing.rows[0] === undefined ? null : { id: existing.rows[0].id, version: Number(existing.rows[0].version) };
  if (current === null && policy.version !== null) {
    throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${policy.version}, but your institution has reported no policy ${policy.ref}`);
  }
  const holder = policy.holder === null ? null : await resolveBorrower(ctx, policy.holder, 'holder', countyCode, policy.startsOn);
  const insured: Array<{ household: Extract<ResolvedBorrower, { kind: 'HOUSEHOLD' }>; entry: CheckedInsured }> = [];
  const byId = new Map<string, number>();
  for (const [i, entry] of policy.insured.entries()) {
    const household = await resolveBorrower(ctx, entry.household, `insured[${i}]`, countyCode, policy.startsOn);
    if (household.kind !== 'HOUSEHOLD') throw new Error('unreachable: an insured entry resolves to a household');
    const earlier = byId.get(household.id);
    if (earlier !== undefined) {
      throw invalid(`insured[${i}].household.headIdNumber`, 'DUPLICATE_HOUSEHOLD', `insured[${i}] names the same household as insured[${earlier}]`);
    }
    byId.set(household.id, i);
    insured.push({ household, entry });
  }
  const sortedInsured = [...insured].sort((a, b) => (a.household.ref < b.household.ref ? -1 : 1));
  const [centralShare, provincialShare, countyShare, farmerShare, povertyFundShare] = policy.shares;
  const terms: Terms = {
    insurerCode: ctx.institution.code,
    ref: policy.ref,
    countyCode,
    line: policy.line,
    subject: policy.subject,
    quantity: policy.quantity,
    unit: policy.unit,
    sumInsured: policy.sumInsured,
    premium: policy.premium,
    centralShare,
    provincialShare,
    countyShare,
    farmerShare,
    povertyFundShare,
    startsOn: policy.startsOn,
    endsOn: policy.endsOn,
    holderKind: policy.holderKind,
    householdRef: holder?.kind === 'HOUSEHOLD' ? holder.ref : null,
    enterpriseCreditCode: holder?.kind === 'ENTERPRISE' ? holder.creditCode : null,
    insured:
      sortedInsured.length === 0
        ? undefined
        : sortedInsured.map(({ household, entry }) => {
            const member: { [key: string]: string } = { householdRef: household.ref };
            if (entry.quantity !== null) member.quantity = entry.quantity;
            if (entry.sumInsured !== null) member.sumInsured = entry.sumInsured;
            if (entry.premium !== null) member.premium = entry.premium;
            return member;
          }),
    loans: policy.loans.length === 0 ? undefined : policy.loans.map((l) => ({ bankCode: l.bankCode, loanRef: l.loanRef })),
  };
  const { hash } = hashTerms(terms);
  const columns = [
    countyCode,
    policy.line,
    policy.subject,
    policy.quantity,
    policy.unit,
    policy.sumInsured,
    policy.premium,
    centralShare,
    provincialShare,
    countyShare,
    farmerShare,
    povertyFundShare,
    policy.startsOn,
    policy.endsOn,
    policy.holderKind,
    holder?.kind === 'HOUSEHOLD' ? holder.id : null,
    holder?.kind === 'ENTERPRISE' ? holder.id : null,
  ];
  // The holder links at once (a group policy's enterprise too); a group policy's insured
  // households are tried after the list is written (`syncPolicyLinks`).
  const party = holder;
  const linked = policy.loans.length > 0;

  if (current === null) {
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO insurance_policy (source_institution_id, batch_id, received_at, institution_id, ref, county_code, line, subject, quantity, unit, sum_insured, premium,
                                     central_share, provincial_share, county_share, farmer_share, poverty_fund_share, starts_on, ends_on, holder_kind, household_id, enterprise_id, version)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1)
       ON CONFLICT (institution_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, policy.ref, ...columns],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) {
      throw conflictWith(null, 'CONCURRENT_CHANGE', `Policy ${policy.ref} was created by another call meanwhile; send the item again`);
    }
    await insertRecordVersion(ctx, 'INSURANCE_POLICY', id, 1, countyCode, terms);
    await syncInsured(ctx, id, countyCode, insured);
    await syncPolicyLinks(ctx, id, countyCode, party, insured, policy.loans);
    return { status: linked ? 'PENDING_LINK' : 'CREATED', record: { type: 'InsurancePolicy', id }, version: 1, warnings: [] };
  }

  if ((await termsHashOf(ctx, 'INSURANCE_POLICY', current.id, current.version)) === hash) {
    return { status: 'UNCHANGED', record: { type: 'InsurancePolicy', id: current.id }, version: current.version, warnings: [] };
  }
  if (policy.version !== null && policy.version !== current.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${policy.version}, but policy ${policy.ref} is at version ${current.version}; read it again`);
  }
  const updated = await ctx.client.query(
    `UPDATE insurance_policy SET source_institution_id = $1, batch_id = $2, received_at = $3,
            county_code = $6, line = $7, subject = $8, quantity = $9, unit = $10, sum_insured = $11, premium = $12,
            central_share = $13, provincial_share = $14, county_share = $15, farmer_share = $16, poverty_fund_share = $17,
            starts_on = $18, ends_on = $19, holder_kind = $20, household_id = $21, enterprise_id = $22, version = version + 1
      WHERE id = $4 AND version = $5`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, current.id, current.version, ...columns],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Policy ${policy.ref} changed meanwhile; read it again`);
  current = { id: current.id, version: current.version + 1 };
  await insertRecordVersion(ctx, 'INSURANCE_POLICY', current.id, current.version, countyCode, terms);
  await syncInsured(ctx, current.id, countyCode, insured);
  await syncPolicyLinks(ctx, current.id, countyCode, party, insured, policy.loans);
  return { status: linked ? 'PENDING_LINK' : 'UPDATED', record: { type: 'InsurancePolicy', id: current.id }, version: current.version, warnings: [] };
}

/**
 * Makes the policy's current insured list exactly `insured` (rows carry the batch's
 * provenance); earlier lists live on in the earlier versions' terms.
 */
async function syncInsured(
  ctx: IngestContext,
  policyId: string,
  countyCode: string,
  insured: ReadonlyArray<{ household: { id: string }; entry: CheckedInsured }>,
): Promise<void> {
  const ids = insured.map((i) => i.household.id);
  await ctx.client.query('DELETE FROM policy_insured_household WHERE policy_id = $1 AND NOT household_id = ANY($2::bigint[])', [policyId, ids]);
  if (insured.length === 0) return;
  await ctx.client.query(
    `INSERT INTO policy_insured_household (source_institution_id, batch_id, received_at, policy_id, household_id, county_code, quantity, sum_insured, premium)
     SELECT $1, $2, $3, $4, t.household_id, $5, t.quantity, t.sum_insured, t.premium
       FROM unnest($6::bigint[], $7::numeric[], $8::numeric[], $9::numeric[]) AS t(household_id, quantity, sum_insured, premium)
     ON CONFLICT (policy_id, household_id) DO UPDATE
        SET source_institution_id = excluded.source_institution_id, batch_id = excluded.batch_id, received_at = excluded.received_at,
            county_code = excluded.county_code, quantity = excluded.quantity, sum_insured = excluded.sum_insured, premium = excluded.premium
      WHERE (policy_insured_household.quantity, policy_insured_household.sum_insured, policy_insured_household.premium)
            IS DISTINCT FROM (excluded.quantity, excluded.sum_insured, excluded.premium)`,
    [
      ctx.institution.id,
      ctx.batch.rowId,
      ctx.batch.receivedAt,
      policyId,
      countyCode,
      ids,
      insured.map((i) => i.entry.quantity),
      insured.map((i) => i.entry.sumInsured),
      insured.map((i) => i.entry.premium),
    ],
  );
}

/**
 * Links for a policy. `syncLinks` links at once for the holder; for a group policy the
 * loan's borrower may be any insured household, so pending links are retried against
 * the list once it is written (the same rule `resolvePendingLinks` applies when a loan
 * arrives later).
 */
async function syncPolicyLinks(
  ctx: IngestContext,
  policyId: string,
  countyCode: string,
  party: ResolvedBorrower | null,
  insured: ReadonlyArray<{ household: { id: string } }>,
  loans: readonly LoanNameInput[],
): Promise<void> {
  await syncLinks(ctx, { column: 'policy_id', id: policyId, countyCode, party }, loans);
  if (insured.length === 0 || loans.length === 0) return;
  await ctx.client.query(
    `UPDATE contract_link cl SET status = 'LINKED', loan_id = l.id, linked_at = $2
       FROM loan l JOIN institution i ON i.id = l.institution_id
      WHERE cl.policy_id = $1 AND cl.status = 'PENDING' AND i.code = cl.bank_code AND l.ref = cl.loan_ref
        AND l.household_id IN (SELECT household_id FROM policy_insured_household WHERE policy_id = $1)`,
    [policyId, ctx.batch.receivedAt],
  );
}

async function policiesWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string; linked: boolean }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref, terms ? 'loans' AS linked
       FROM record_version WHERE batch_id = $1 AND record_kind = 'INSURANCE_POLICY'`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map((r) => {
      const status = r.linked ? 'PENDING_LINK' : Number(r.version) === 1 ? 'CREATED' : 'UPDATED';
      return [r.ref, { status, record: { type: 'InsurancePolicy', id: r.id }, version: Number(r.version) }] as const;
    }),
  );
}

export const INSURANCE_POLICY_INGESTION: IngestionKind<InsurancePolicyItemInput, CheckedPolicy> = {
  kind: 'upsertInsurancePolicies',
  roles: ['INSURER'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkPolicy,
  apply: applyPolicy,
  writtenBy: policiesWrittenBy,
};
