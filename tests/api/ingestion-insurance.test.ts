/**
 * `upsertInsurancePolicies` and `recordClaims` over real HTTP: an insurer's policies,
 * versioned with their insured lists, linked to banks' loans (PENDING_LINK either way),
 * the payer shares that must add up to the premium; claims on its own policies, versioned
 * as they are agreed and paid, inside the policy period; another insurer's policy is
 * not found, in the same words as one that does not exist.
 */
import './reset-orm-metadata';
import { syntheticNationalId } from '../../src/services/identity';
import { useTestDatabase } from '../helpers';
import { ALL_ID_NUMBERS, COUNTY, ID, OTHER_VILLAGE, placesHoldingIdNumbers, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

/** Valid, and never seen by the hub. */
const UNSEEN = syntheticNationalId('52', '1990-02-02', 9);

const db = useTestDatabase();
const world = useIngestionWorld(db);

const POLICIES = /* GraphQL */ `
  mutation Run($input: UpsertInsurancePoliciesInput!) { upsertInsurancePolicies(input: $input) { ${RESULT_FIELDS} } }
`;
const CLAIMS = /* GraphQL */ `
  mutation Run($input: RecordClaimsInput!) { recordClaims(input: $input) { ${RESULT_FIELDS} } }
`;
const LOANS = /* GraphQL */ `
  mutation Run($input: UpsertLoansInput!) { upsertLoans(input: $input) { ${RESULT_FIELDS} } }
`;

type Item = Record<string, any>;

const household = (headIdNumber: string, villageCode = VILLAGE) => ({ headIdNumber, villageCode });

/** A household policy on KNOWN_HOUSEHOLD: premium 600 = 240 + 150 + 90 + 120 + 0. */
function policy(ref: string, overrides: Item = {}): Item {
  return {
    ref,
    countyCode: COUNTY,
    line: 'CROP',
    subject: '水稻',
    quantity: '10',
    unit: 'MU',
    sumInsured: '8000',
    premium: '600',
    centralShare: '240',
    provincialShare: '150',
    countyShare: '90',
    farmerShare: '120',
    povertyFundShare: '0',
    startsOn: '2020-04-01',
    endsOn: '2020-10-31',
    holder: { household: household(ID.known) },
    ...overrides,
  };
}

/** A group policy over two households, whose per-household figures add up to the policy's. */
function groupPolicy(ref: string, overrides: Item = {}): Item {
  return policy(ref, {
    line: 'LIVESTOCK',
    subject: '能繁母猪',
    quantity: '20',
    unit: 'HEAD',
    holder: null,
    insured: [
      { household: household(ID.fresh), quantity: '12', sumInsured: '4800', premium: '360' },
      { household: household(ID.another, OTHER_VILLAGE), quantity: '8', sumInsured: '3200', premium: '240' },
    ],
    ...overrides,
  });
}

function loan(ref: string, headIdNumber: string): Item {
  return {
    ref,
    countyCode: COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower: { household: household(headIdNumber) },
    principal: '50000',
    disbursedOn: '2020-04-01',
    maturesOn: '2023-03-31',
    annualRate: '0.0435',
    guaranteeMode: 'CREDIT',
    paidToAccount: 'HOUSEHOLD',
  };
}

function claim(ref: string, policyRef: string, overrides: Item = {}): Item {
  return { ref, policyRef, cause: 'FLOOD', lossOn: '2020-07-10', ...overrides };
}

async function policies(input: Item, who = 'insurer') {
  return (await world.data(who, POLICIES, { input })).upsertInsurancePolicies;
}
async function claims(input: Item, who = 'insurer') {
  return (await world.data(who, CLAIMS, { input })).recordClaims;
}

/** What each item came to, compactly: [status, code, reason, path]. */
const outcomes = (result: { items: Item[] }) => result.items.map((r) => [r.status, r.code, r.reason, r.path]);

async function insuredRefs(policyRef: string): Promise<string[]> {
  const rows = await world.sql(
    `SELECT h.ref FROM policy_insured_household pih JOIN insurance_policy p ON p.id = pih.policy_id JOIN household h ON h.id = pih.household_id
      WHERE p.ref = $1 ORDER BY h.ref`,
    [policyRef],
  );
  return rows.map((r) => r.ref);
}

async function linksOf(policyRef: string) {
  return world.sql(
    `SELECT cl.bank_code, cl.loan_ref, cl.status, l.ref AS loan FROM contract_link cl JOIN insurance_policy p ON p.id = cl.policy_id
       LEFT JOIN loan l ON l.id = cl.loan_id WHERE p.ref = $1 ORDER BY cl.bank_code, cl.loan_ref`,
    [policyRef],
  );
}

beforeAll(async () => {
  // A second insurer, with a policy of its own that the first must not be able to claim on.
  const [other] = await world.sql(`INSERT INTO institution (code, name, kind, home_area_code) VALUES ('T-INSURER-2', '国寿财险望谟支公司', 'INSURER', $1) RETURNING id::text AS id`, [COUNTY]);
  world.principals.otherInsurer = { role: 'INSURER', institutionId: other.id, institutionCode: 'T-INSURER-2', areaCodes: [] };
});

describe('upsertInsurancePolicies', () => {
  test('only insurers report policies', async () => {
    for (const who of ['bank', 'guarantor', 'regulator']) {
      const { body } = await world.gql(who, POLICIES, { input: { items: [policy('P-FORBIDDEN')] } });
      expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    }
    expect(await world.sql(`SELECT 1 FROM insurance_policy WHERE ref = 'P-FORBIDDEN'`)).toEqual([]);
  });

  test('created, unchanged, a new version when the insured list changes, and a stale version', async () => {
    const created = await policies({ batchId: 'p-1', items: [policy('P-1'), groupPolicy('P-G')] });
    expect(created.counts).toEqual({ created: 2, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 });
    expect(created.items[1]).toEqual({
      index: 1,
      ref: 'P-G',
      status: 'CREATED',
      code: null,
      reason: null,
      path: null,
      message: null,
      id: expect.any(String),
      version: 1,
      warnings: [],
    });
    const [row] = await world.sql(
      `SELECT holder_kind, household_id, premium::text, central_share::text, farmer_share::text, quantity::text FROM insurance_policy WHERE ref = 'P-G'`,
    );
    expect(row).toEqual({ holder_kind: 'GROUP', household_id: null, premium: '600.00', central_share: '240.00', farmer_share: '120.00', quantity: '20.0000' });
    const firstList = await insuredRefs('P-G');
    expect(firstList).toHaveLength(2);
    // Insured households the hub did not know are registered as OTHER, as borrowers are.
    const statuses = await world.sql(`SELECT status FROM household WHERE ref = ANY($1::text[])`, [firstList]);
    expect(statuses).toEqual([{ status: 'OTHER' }, { status: 'OTHER' }]);

    const again = await policies({ batchId: 'p-2', items: [policy('P-1'), groupPolicy('P-G')] });
    expect(again.items.map((r: Item) => [r.status, r.version])).toEqual([
      ['UNCHANGED', 1],
      ['UNCHANGED', 1],
    ]);

    // One household leaves the group: a new version, the earlier list kept in version 1's terms.
    const smaller = groupPolicy('P-G', {
      quantity: '12',
      sumInsured: '4800',
      premium: '360',
      centralShare: '144',
      provincialShare: '90',
      countyShare: '54',
      farmerShare: '72',
      insured: [{ household: household(ID.fresh), quantity: '12', sumInsured: '4800', premium: '360' }],
      version: 1,
    });
    const updated = await policies({ batchId: 'p-3', items: [smaller] });
    expect(updated.items[0]).toMatchObject({ status: 'UPDATED', version: 2, id: created.items[1].id });
    // The same batch again is a replay: the first answer, nothing applied twice.
    const replay = await policies({ batchId: 'p-3', items: [smaller] });
    expect(replay).toMatchObject({ replayed: true, committed: true, counts: updated.counts });
    expect(replay.items).toEqual(updated.items);
    const secondList = await insuredRefs('P-G');
    expect(secondList).toHaveLength(1);
    expect(firstList).toContain(secondList[0]);
    const versions = await world.sql(
      `SELECT rv.version, rv.terms->>'premium' AS premium, jsonb_array_length(rv.terms->'insured') AS insured
         FROM record_version rv JOIN insurance_policy p ON p.id = rv.record_id
        WHERE rv.record_kind = 'INSURANCE_POLICY' AND p.ref = 'P-G' ORDER BY rv.version`,
    );
    expect(versions).toEqual([
      { version: 1, premium: '600.00', insured: 2 },
      { version: 2, premium: '360.00', insured: 1 },
    ]);

    const stale = await policies({ batchId: 'p-4', items: [groupPolicy('P-G', { subject: '育肥猪', version: 1 })] });
    expect(stale.committed).toBe(false);
    expect(stale.items[0]).toMatchObject({ status: 'REJECTED', code: 'CONFLICT', reason: 'STALE_VERSION', path: 'items[0].version' });

    // The change feed carries each landed version.
    const events = await world.sql(`SELECT action FROM change_event WHERE record_type = 'InsurancePolicy' ORDER BY id`);
    expect(events.map((e) => e.action)).toEqual(['CREATED', 'CREATED', 'UPDATED']);

    // Another insurer's reference P-1 is its own record: neither the first insurer's version nor a conflict with it.
    const other = (await world.data('otherInsurer', POLICIES, { input: { batchId: 'p-other', items: [policy('P-1', { subject: '玉米' })] } })).upsertInsurancePolicies;
    expect(other.items[0]).toMatchObject({ status: 'CREATED', version: 1 });
    expect(other.items[0].id).not.toBe(created.items[0].id);
    expect(await world.sql(`SELECT subject FROM insurance_policy WHERE ref = 'P-1' ORDER BY id`)).toEqual([{ subject: '水稻' }, { subject: '玉米' }]);
  });

  test('credit-linked cover: PENDING_LINK whether or not the loan exists, linked when it arrives', async () => {
    const result = await policies({
      batchId: 'p-link',
      items: [
        // The loan is not reported yet; its borrower is on the insured list.
        groupPolicy('P-L1', { line: 'CREDIT_LINKED', loans: [{ bankCode: 'T-BANK', loanRef: 'IL-LATER' }] }),
        // Another bank's existing loan, whose borrower is not the policy's.
        policy('P-L2', { loans: [{ bankCode: 'T-BANK-2', loanRef: 'OB-1' }] }),
      ],
    });
    expect(result.counts).toEqual({ created: 0, updated: 0, unchanged: 0, pendingLink: 2, rejected: 0 });
    const shape = (item: Item) => ({ ...item, index: undefined, ref: undefined, id: undefined });
    expect(shape(result.items[0])).toEqual(shape(result.items[1]));
    expect(await linksOf('P-L1')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'IL-LATER', status: 'PENDING', loan: null }]);
    expect(await linksOf('P-L2')).toEqual([{ bank_code: 'T-BANK-2', loan_ref: 'OB-1', status: 'PENDING', loan: null }]);

    // The bank reports the loan, for a household on P-L1's list: the link resolves.
    await world.data('bank', LOANS, { input: { batchId: 'il-1', items: [loan('IL-LATER', ID.fresh)] } });
    expect(await linksOf('P-L1')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'IL-LATER', status: 'LINKED', loan: 'IL-LATER' }]);
    expect(await linksOf('P-L2')).toEqual([{ bank_code: 'T-BANK-2', loan_ref: 'OB-1', status: 'PENDING', loan: null }]);

    // A policy naming a loan already there for its holder links at once, still answered PENDING_LINK.
    await world.data('bank', LOANS, { input: { batchId: 'il-2', items: [loan('IL-NOW', ID.known)] } });
    const now = await policies({ batchId: 'p-link-2', items: [policy('P-L3', { line: 'CREDIT_LINKED', loans: [{ bankCode: 'T-BANK', loanRef: 'IL-NOW' }] })] });
    expect(now.items[0].status).toBe('PENDING_LINK');
    expect(await linksOf('P-L3')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'IL-NOW', status: 'LINKED', loan: 'IL-NOW' }]);
  });

  test('integrity rules reject with the field path; nothing of a rejected item lands', async () => {
    const before = await world.sql(`SELECT count(*)::int AS n FROM household`);
    const result = await policies({
      batchId: 'p-bad',
      partial: true,
      items: [
        policy('P-SHARES', { farmerShare: '119.99' }),
        policy('P-DATES', { endsOn: '2020-04-01' }),
        policy('P-NEG', { premium: '-600', centralShare: '-240' }),
        policy('P-FLOAT', { sumInsured: '8000.005' }),
        policy('P-QTY', { quantity: '0' }),
        groupPolicy('P-MALFORMED', { insured: [{ household: household(ID.malformed) }] }),
        groupPolicy('P-CHECK', { insured: [{ household: household(ID.wrongCheck) }] }),
        groupPolicy('P-TWICE', { insured: [{ household: household(ID.fresh) }, { household: household(ID.fresh) }] }),
        groupPolicy('P-LIST', { insured: [{ household: household(ID.fresh), premium: '700' }] }),
        policy('P-NOHOLDER', { holder: null }),
        policy('P-HOLDER-LIST', { insured: [{ household: household(ID.fresh) }] }),
        policy('P-VILLAGE', { holder: { household: household(ID.fresh, '522326999999') } }),
        policy('P-DUP'),
        policy('P-DUP'),
      ],
    });
    expect(outcomes(result)).toEqual([
      ['REJECTED', 'BAD_USER_INPUT', 'PAYER_SHARES_NOT_PREMIUM', 'items[0].premium'],
      ['REJECTED', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[1].endsOn'],
      ['REJECTED', 'BAD_USER_INPUT', 'NEGATIVE', 'items[2].premium'],
      ['REJECTED', 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'items[3].sumInsured'],
      ['REJECTED', 'BAD_USER_INPUT', 'NOT_POSITIVE', 'items[4].quantity'],
      ['REJECTED', 'BAD_USER_INPUT', 'ID_FORMAT', 'items[5].insured[0].household.headIdNumber'],
      ['REJECTED', 'BAD_USER_INPUT', 'ID_CHECK_CHARACTER', 'items[6].insured[0].household.headIdNumber'],
      ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_HOUSEHOLD', 'items[7].insured[1].household.headIdNumber'],
      ['REJECTED', 'BAD_USER_INPUT', 'LIST_TOTAL', 'items[8].insured'],
      ['REJECTED', 'BAD_USER_INPUT', 'HOLDER_REQUIRED', 'items[9].holder'],
      ['REJECTED', 'BAD_USER_INPUT', 'HOLDER_WITH_LIST', 'items[10].holder'],
      ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[11].holder.household.villageCode'],
      ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[12].ref'],
      ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[13].ref'],
    ]);
    expect(result.counts.rejected).toBe(14);
    // No rejection message carries an ID number.
    expect(JSON.stringify(result)).not.toMatch(/\d{17}[\dX]/);
    expect(await world.sql(`SELECT count(*)::int AS n FROM household`)).toEqual(before);
    expect(await world.sql(`SELECT ref FROM insurance_policy WHERE ref LIKE 'P-%' AND ref NOT LIKE 'P-L%' AND ref NOT IN ('P-1', 'P-G') ORDER BY ref`)).toEqual([]);
  });

  test('all-or-nothing: one bad item rolls the batch back, and a JSON number is refused before execution', async () => {
    const result = await policies({ batchId: 'p-aon', items: [policy('P-AON-1'), policy('P-AON-2', { endsOn: '2019-01-01' })] });
    expect(result.committed).toBe(false);
    expect(outcomes(result)).toEqual([
      ['REJECTED', 'BAD_USER_INPUT', 'BATCH_ROLLED_BACK', null],
      ['REJECTED', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[1].endsOn'],
    ]);
    expect(await world.sql(`SELECT ref FROM insurance_policy WHERE ref LIKE 'P-AON-%'`)).toEqual([]);

    const { status, body } = await world.gql('insurer', POLICIES, { input: { items: [policy('P-JSON', { premium: 600.5 })] } });
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0].message).toContain('"input.items[0].premium"');
    const letters = await world.gql('insurer', POLICIES, { input: { items: [policy('P-JSON', { premium: 'six hundred' })] } });
    expect(letters.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(await world.sql(`SELECT ref FROM insurance_policy WHERE ref = 'P-JSON'`)).toEqual([]);
  });
});

describe('recordClaims', () => {
  beforeAll(async () => {
    await policies({ batchId: 'c-setup', items: [policy('PC-1'), groupPolicy('PC-G')] });
    await world.data('otherInsurer', POLICIES, { input: { batchId: 'c-other', items: [policy('PC-OTHER')] } });
  });

  test('only insurers record claims', async () => {
    const { body } = await world.gql('guarantor', CLAIMS, { input: { items: [claim('C-FORBIDDEN', 'PC-1')] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('a claim grows by versions: reported, agreed and paid; the same again is unchanged; a stale version conflicts', async () => {
    const reported = await claims({ batchId: 'c-1', items: [claim('C-1', 'PC-1')] });
    expect(reported.items[0]).toMatchObject({ status: 'CREATED', version: 1, warnings: [] });
    const same = await claims({ batchId: 'c-2', items: [claim('C-1', 'PC-1')] });
    expect(same.items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
    const paid = await claims({
      batchId: 'c-3',
      items: [claim('C-1', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '3000', paidOn: '2020-07-25', paidAmount: '3000.00', version: 1 })],
    });
    expect(paid.items[0]).toMatchObject({ status: 'UPDATED', version: 2, id: reported.items[0].id });
    const replay = await claims({
      batchId: 'c-3',
      items: [claim('C-1', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '3000', paidOn: '2020-07-25', paidAmount: '3000.00', version: 1 })],
    });
    expect([replay.replayed, replay.items]).toEqual([true, paid.items]);
    const [row] = await world.sql(`SELECT agreed_amount::text, paid_on::text, version FROM claim WHERE ref = 'C-1'`);
    expect(row).toEqual({ agreed_amount: '3000.00', paid_on: '2020-07-25', version: 2 });
    const stale = await claims({ batchId: 'c-4', items: [claim('C-1', 'PC-1', { cause: 'DROUGHT', version: 1 })] });
    expect(stale.items[0]).toMatchObject({ status: 'REJECTED', code: 'CONFLICT', reason: 'STALE_VERSION', path: 'items[0].version' });
    const versions = await world.sql(`SELECT version, terms->>'paidAmount' AS paid FROM record_version WHERE record_kind = 'CLAIM' AND terms->>'ref' = 'C-1' ORDER BY version`);
    expect(versions).toEqual([
      { version: 1, paid: null },
      { version: 2, paid: '3000.00' },
    ]);
  });

  test('a payment later than the days allowed after agreement only warns', async () => {
    const late = await claims({
      batchId: 'c-late',
      items: [claim('C-LATE', 'PC-1', { agreedOn: '2020-08-01', agreedAmount: '1000', paidOn: '2020-08-20', paidAmount: '1000' })],
    });
    expect(late.items[0]).toMatchObject({ status: 'CREATED' });
    expect(late.items[0].warnings).toEqual([
      {
        code: 'CLAIM_PAID_LATE',
        path: 'items[0].paidOn',
        message: 'Paid after the 10 days allowed from agreement (2020-08-01) by the rule in force then',
        parameter: 'insurance.claim_payment_days',
        limit: '10',
        actual: '2020-08-20',
        inForceOn: '2020-08-01',
      },
    ]);
  });

  test('integrity rules, and another insurer’s policy answered like a missing one', async () => {
    const result = await claims({
      batchId: 'c-bad',
      partial: true,
      items: [
        claim('C-BEFORE', 'PC-1', { lossOn: '2020-03-31' }),
        claim('C-AFTER', 'PC-1', { lossOn: '2020-11-01' }),
        claim('C-OVERPAID', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '1000', paidOn: '2020-07-21', paidAmount: '1000.01' }),
        claim('C-ORDER', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '1000', paidOn: '2020-07-19', paidAmount: '1000' }),
        claim('C-AGREED-EARLY', 'PC-1', { agreedOn: '2020-07-01', agreedAmount: '1000' }),
        claim('C-UNAGREED', 'PC-1', { paidOn: '2020-07-21', paidAmount: '1000' }),
        claim('C-HALF', 'PC-1', { agreedOn: '2020-07-20' }),
        claim('C-NEG', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '-5' }),
        claim('C-FLOAT', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '10.001' }),
        claim('C-ABOVE', 'PC-1', { agreedOn: '2020-07-20', agreedAmount: '8000.01' }),
        claim('C-OTHER', 'PC-OTHER'),
        claim('C-NONE', 'PC-NO-SUCH'),
        claim('C-DUP', 'PC-1'),
        claim('C-DUP', 'PC-1'),
      ],
    });
    expect(outcomes(result)).toEqual([
      ['REJECTED', 'BAD_USER_INPUT', 'OUTSIDE_POLICY_PERIOD', 'items[0].lossOn'],
      ['REJECTED', 'BAD_USER_INPUT', 'OUTSIDE_POLICY_PERIOD', 'items[1].lossOn'],
      ['REJECTED', 'BAD_USER_INPUT', 'PAID_ABOVE_AGREED', 'items[2].paidAmount'],
      ['REJECTED', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[3].paidOn'],
      ['REJECTED', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[4].agreedOn'],
      ['REJECTED', 'BAD_USER_INPUT', 'PAID_BEFORE_AGREED', 'items[5].paidOn'],
      ['REJECTED', 'BAD_USER_INPUT', 'PAIR_INCOMPLETE', 'items[6].agreedAmount'],
      ['REJECTED', 'BAD_USER_INPUT', 'NEGATIVE', 'items[7].agreedAmount'],
      ['REJECTED', 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'items[8].agreedAmount'],
      ['REJECTED', 'BAD_USER_INPUT', 'ABOVE_SUM_INSURED', 'items[9].agreedAmount'],
      ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[10].policyRef'],
      ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[11].policyRef'],
      ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[12].ref'],
      ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[13].ref'],
    ]);
    // Another insurer's policy and a missing one read alike, but for the reference the caller sent.
    const [other, none] = [result.items[10].message, result.items[11].message];
    expect(other.replace('PC-OTHER', 'X')).toBe(none.replace('PC-NO-SUCH', 'X'));
    expect(await world.sql(`SELECT ref FROM claim WHERE ref IN ('C-OTHER', 'C-BEFORE', 'C-OVERPAID')`)).toEqual([]);
  });

  test('a group policy’s claim names a household on its list; one not on it is not found', async () => {
    const result = await claims({
      batchId: 'c-group',
      partial: true,
      items: [
        claim('C-G1', 'PC-G', { cause: 'EPIDEMIC', insured: household(ID.fresh), disasterEventRef: 'COVID-19' }),
        // Registered in the hub, but not on this policy's list.
        claim('C-G2', 'PC-G', { insured: household(ID.known) }),
        // Unknown to the hub: the same answer.
        claim('C-G3', 'PC-G', { insured: household(UNSEEN) }),
        claim('C-G4', 'PC-G', { insured: household(ID.wrongCheck) }),
        claim('C-G5', 'PC-1', { insured: household(ID.known) }),
      ],
    });
    expect(outcomes(result)).toEqual([
      ['CREATED', null, null, null],
      ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[1].insured.headIdNumber'],
      ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[2].insured.headIdNumber'],
      ['REJECTED', 'BAD_USER_INPUT', 'ID_CHECK_CHARACTER', 'items[3].insured.headIdNumber'],
      ['REJECTED', 'BAD_USER_INPUT', 'NOT_GROUP_POLICY', 'items[4].insured'],
    ]);
    expect(result.items[1].message).toBe(result.items[2].message);
    const [row] = await world.sql(
      `SELECT c.county_code, c.disaster_event_id IS NOT NULL AS disaster, h.status FROM claim c JOIN household h ON h.id = c.household_id WHERE c.ref = 'C-G1'`,
    );
    expect(row).toEqual({ county_code: COUNTY, disaster: true, status: 'OTHER' });
    const events = await world.sql(`SELECT action FROM change_event WHERE record_type = 'Claim' AND record_id = $1::bigint`, [
      Buffer.from(result.items[0].id, 'base64url').toString('utf8').split(':')[1],
    ]);
    expect(events).toEqual([{ action: 'CREATED' }]);
  });
});

test('no national ID number reached any table', async () => {
  expect(await placesHoldingIdNumbers(world, [...ALL_ID_NUMBERS, UNSEEN])).toEqual([]);
});
