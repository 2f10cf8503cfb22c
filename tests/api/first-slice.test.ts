/**
 * The first slice of the API over real HTTP: a Fastify server on an ephemeral port, a
 * database of this file's own, a small data set seeded here in SQL, and whole answers
 * compared with `toEqual` — per role, since visibility and masking are the point.
 */
import './reset-orm-metadata';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { createDatabase, dropDatabase, withClient, withDatabase } from '../../src/db/admin';
import { createOrm, ormConfig } from '../../src/db/orm';
import { createServer } from '../../src/server';
import type { Principal } from '../../src/services/access';
import { encryptPii, matchHash, parseKeyring, syntheticNationalId } from '../../src/services/identity';
import { forgetReferenceData } from '../../src/services/reference/reference-cache';
import { readHarnessEnv, statementsDuring, useTestDatabase } from '../helpers';

const db = useTestDatabase();

const PII_KEYS = `v1:${Buffer.alloc(32, 7).toString('base64')}`;
const MATCH_KEYS = `v1:${Buffer.alloc(32, 9).toString('base64')}`;
const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_MATCH_KEYS: MATCH_KEYS, LOG_LEVEL: 'silent' });
const piiKeyring = parseKeyring(PII_KEYS, 'TRIPOD_PII_KEYS');
const matchKeyring = parseKeyring(MATCH_KEYS, 'TRIPOD_MATCH_KEYS');

/** 望谟县 (Guizhou), one of the 52 counties under listed supervision in 2020, and a village in it. */
const COUNTY = '522326';
const VILLAGE = '522326101201';
/** 晴隆县, another county of the same prefecture. */
const OTHER_COUNTY = '522324';
const OTHER_VILLAGE = '522324001001';

const H1 = 'H0000000000A1';
const H2 = 'H0000000000B2';
const H3 = 'H0000000000C3';
const H4 = 'H0000000000D4';

/** The global id format is part of the contract: base64url of `<TypeName>:<key>`. */
const gid = (type: string, key: string) => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');

/** Ids of everything seeded, filled by `seed`. */
const ids: Record<string, string> = {};
const principals: Record<string, Principal> = {};

let orm: MikroORM;
let app: FastifyInstance;
let baseUrl: string;

async function insert(client: Client, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const result = await client.query<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`,
    Object.values(row),
  );
  return String(result.rows[0].id);
}

async function seed(client: Client): Promise<void> {
  const institution = (code: string, name: string, kind: string, homeArea: string, parentId: string | null = null) =>
    insert(client, 'institution', { code, name, kind, home_area_code: homeArea, parent_id: parentId });
  ids.bankHq = await institution('TEST-RCC-HQ', '贵州省农村信用社联合社', 'BANK', '52');
  ids.bank = await institution('TEST-RCC-522326', '望谟农村商业银行', 'BANK', COUNTY, ids.bankHq);
  ids.otherBank = await institution('TEST-BANK-OTHER', '晴隆县村镇银行', 'BANK', OTHER_COUNTY);
  ids.insurer = await institution('TEST-PICC-522326', '人保财险望谟支公司', 'INSURER', COUNTY);
  ids.guarantor = await institution('TEST-GZAGC', '贵州省农业信贷融资担保公司', 'GUARANTOR', '52');
  ids.government = await institution('TEST-GOV-522326', '望谟县人民政府', 'GOVERNMENT', COUNTY);

  const batch = (institutionId: string, externalId: string, kind: string) =>
    insert(client, 'ingest_batch', { institution_id: institutionId, external_id: externalId, kind, payload_hash: 'f'.repeat(64), item_count: 1 });
  ids.govBatch = await batch(ids.government, 'gov-2019-12', 'upsertHouseholds');
  ids.bankBatch = await batch(ids.bank, 'rcc-2019-03', 'upsertLoans');
  ids.bankPositions = await batch(ids.bank, 'rcc-positions-2020', 'reportLoanPositions');
  ids.otherBankBatch = await batch(ids.otherBank, 'other-2020', 'upsertLoans');
  ids.insurerBatch = await batch(ids.insurer, 'picc-2019', 'upsertInsurancePolicies');
  ids.guarantorBatch = await batch(ids.guarantor, 'gzagc-2019', 'upsertGuaranteeContracts');

  const by = (source: string, batchId: string, receivedAt: string) => ({ source_institution_id: source, batch_id: batchId, received_at: receivedAt });
  const fromGov = by(ids.government, ids.govBatch, '2019-12-21T02:00:00Z');

  const household = async (ref: string, village: string, county: string, name: Buffer, phone: Buffer | null, extra: Record<string, unknown>) =>
    insert(client, 'household', {
      ...fromGov,
      ref,
      village_code: village,
      county_code: county,
      name_enc: name,
      phone_enc: phone,
      pii_key_version: 1,
      ...extra,
    });
  ids.h1 = await household(H1, VILLAGE, COUNTY, encryptPii(piiKeyring, '张三'), encryptPii(piiKeyring, '13812345678'), {
    status: 'LIFTED_OUT',
    status_since: '2019-12-20',
    exit_year: 2019,
    registered_on: '2016-03-01',
    attribute: 'GENERAL',
    size: 4,
  });
  ids.h2 = await household(H2, OTHER_VILLAGE, OTHER_COUNTY, encryptPii(piiKeyring, '李四'), null, { status: 'REGISTERED_POOR', status_since: '2016-03-01' });
  ids.h3 = await household(H3, VILLAGE, COUNTY, encryptPii(piiKeyring, '王五'), null, { status: 'OTHER', status_since: '2019-01-01' });
  // A blob that fails authentication: reading its name is an internal error, never a leak.
  ids.h4 = await household(H4, VILLAGE, COUNTY, Buffer.alloc(40, 1), null, { status: 'MARGINAL', status_since: '2020-03-01' });

  const nationalId = syntheticNationalId('52', '1980-06-15', 1);
  await client.query('INSERT INTO household_identity (household_id, county_code, key_version, match_hash) VALUES ($1, $2, $3, $4)', [
    ids.h1,
    COUNTY,
    1,
    matchHash(matchKeyring, nationalId).hash,
  ]);
  ids.s1 = await insert(client, 'household_status_change', {
    ...by(ids.government, ids.govBatch, '2016-03-02T01:00:00Z'),
    household_id: ids.h1,
    county_code: COUNTY,
    status: 'REGISTERED_POOR',
    valid_from: '2016-03-01',
    reason: '因病',
  });
  ids.s2 = await insert(client, 'household_status_change', {
    ...fromGov,
    household_id: ids.h1,
    county_code: COUNTY,
    status: 'LIFTED_OUT',
    valid_from: '2019-12-20',
    exit_year: 2019,
  });

  ids.enterprise = await insert(client, 'enterprise', {
    ...by(ids.bank, ids.bankBatch, '2019-03-16T01:00:00Z'),
    credit_code: '91522326MA6DL0XX1B',
    name: '望谟县乐元种养专业合作社',
    kind: 'COOPERATIVE',
    county_code: COUNTY,
    village_code: VILLAGE,
    poverty_driving: true,
  });

  const fromBank = by(ids.bank, ids.bankBatch, '2019-03-16T01:00:00Z');
  const loan = (row: Record<string, unknown>) =>
    insert(client, 'loan', {
      ...fromBank,
      institution_id: ids.bank,
      county_code: COUNTY,
      borrower_kind: 'HOUSEHOLD',
      annual_rate: '0.0435',
      guarantee_mode: 'CREDIT',
      paid_to_account: 'HOUSEHOLD',
      ...row,
    });
  ids.l1 = await loan({
    ref: 'RCC-2019-0001',
    product: 'POVERTY_MICROCREDIT',
    household_id: ids.h1,
    principal: '50000',
    disbursed_on: '2019-03-15',
    matures_on: '2022-03-14',
    subsidy_rate: '0.0435',
    guarantee_mode: 'GUARANTEE',
    purpose: '养殖能繁母猪',
  });
  ids.l2 = await loan({
    ref: 'RCC-2019-0002',
    product: 'OTHER_AGRI',
    household_id: ids.h1,
    principal: '8000.5',
    disbursed_on: '2019-05-01',
    matures_on: '2020-04-30',
    annual_rate: '0.0475',
    closed_on: '2020-04-28',
    closure: 'SETTLED',
  });
  ids.l4 = await loan({
    ref: 'RCC-2019-0100',
    product: 'INDUSTRIAL',
    borrower_kind: 'ENTERPRISE',
    enterprise_id: ids.enterprise,
    principal: '800000',
    disbursed_on: '2019-06-01',
    matures_on: '2021-05-31',
    paid_to_account: 'COOPERATIVE',
  });
  ids.l3 = await insert(client, 'loan', {
    ...by(ids.otherBank, ids.otherBankBatch, '2020-02-01T01:00:00Z'),
    institution_id: ids.otherBank,
    ref: 'OTHER-2020-7',
    county_code: OTHER_COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower_kind: 'HOUSEHOLD',
    household_id: ids.h2,
    principal: '30000',
    disbursed_on: '2020-01-20',
    matures_on: '2023-01-19',
    annual_rate: '0.0435',
    guarantee_mode: 'CREDIT',
    paid_to_account: 'HOUSEHOLD',
  });

  const position = (loanId: string, monthEnd: string, version: number, isLatest: boolean, amounts: Record<string, unknown>, receivedAt: string) =>
    insert(client, 'loan_position', {
      ...by(ids.bank, ids.bankPositions, receivedAt),
      loan_id: loanId,
      county_code: COUNTY,
      institution_id: ids.bank,
      month_end: monthEnd,
      version,
      is_latest: isLatest,
      overdue_principal: '0',
      overdue_days: 0,
      five_class: 'NORMAL',
      ...amounts,
    });
  ids.p201912 = await position(ids.l1, '2019-12-31', 1, true, { balance: '50000' }, '2020-01-05T02:00:00Z');
  // June 2020 was re-reported: the first version is history, the second is what queries read.
  ids.p202006v1 = await position(ids.l1, '2020-06-30', 1, false, { balance: '45000' }, '2020-07-05T02:00:00Z');
  ids.p202006 = await position(
    ids.l1,
    '2020-06-30',
    2,
    true,
    { balance: '40000', overdue_principal: '5000', overdue_days: 35, five_class: 'SPECIAL_MENTION', subsidy_paid: '145' },
    '2020-07-09T02:00:00Z',
  );
  ids.p202012 = await position(ids.l1, '2020-12-31', 1, true, { balance: '30000' }, '2021-01-05T02:00:00Z');

  ids.g1 = await insert(client, 'guarantee_contract', {
    ...by(ids.guarantor, ids.guarantorBatch, '2019-03-20T01:00:00Z'),
    institution_id: ids.guarantor,
    ref: 'GZAGC-2019-88',
    county_code: COUNTY,
    borrower_kind: 'HOUSEHOLD',
    household_id: ids.h1,
    guaranteed_amount: '40000',
    fee_rate: '0.008',
    guarantor_share: '0.4',
    bank_share: '0.2',
    government_share: '0.1',
    reguarantee_share: '0.3',
    starts_on: '2019-03-15',
    ends_on: '2022-03-14',
  });
  ids.pol1 = await insert(client, 'insurance_policy', {
    ...by(ids.insurer, ids.insurerBatch, '2019-04-02T01:00:00Z'),
    institution_id: ids.insurer,
    ref: 'PICC-LS-2019-5',
    county_code: COUNTY,
    line: 'LIVESTOCK',
    subject: '能繁母猪',
    quantity: '10',
    unit: 'HEAD',
    sum_insured: '15000',
    premium: '900',
    central_share: '450',
    provincial_share: '225',
    county_share: '135',
    farmer_share: '90',
    poverty_fund_share: '0',
    starts_on: '2019-04-01',
    ends_on: '2020-03-31',
    holder_kind: 'HOUSEHOLD',
    household_id: ids.h1,
  });
  ids.c1 = await insert(client, 'claim', {
    ...by(ids.insurer, ids.insurerBatch, '2019-09-26T01:00:00Z'),
    policy_id: ids.pol1,
    institution_id: ids.insurer,
    ref: 'PICC-CL-2019-77',
    county_code: COUNTY,
    cause: 'EPIDEMIC',
    loss_on: '2019-09-10',
    agreed_on: '2019-09-20',
    agreed_amount: '3000',
    paid_on: '2019-09-25',
    paid_amount: '3000',
  });
  const link = (contract: Record<string, string>, submitter: string, batchId: string, loanId: string | null, loanRef: string) =>
    insert(client, 'contract_link', {
      ...by(submitter, batchId, '2019-04-02T01:00:00Z'),
      ...contract,
      submitter_id: submitter,
      bank_code: 'TEST-RCC-522326',
      loan_ref: loanRef,
      loan_id: loanId,
      status: loanId === null ? 'PENDING' : 'LINKED',
      linked_at: loanId === null ? null : '2019-04-02T01:00:00Z',
      county_code: COUNTY,
    });
  await link({ guarantee_id: ids.g1 }, ids.guarantor, ids.guarantorBatch, ids.l1, 'RCC-2019-0001');
  await link({ policy_id: ids.pol1 }, ids.insurer, ids.insurerBatch, ids.l1, 'RCC-2019-0001');
  // Pending: names a loan the bank has not reported; it changes nothing anyone sees.
  await link({ policy_id: ids.pol1 }, ids.insurer, ids.insurerBatch, null, 'RCC-NOT-YET');

  const nation: string[] = [];
  principals.bank = { role: 'BANK', institutionId: ids.bank, institutionCode: 'TEST-RCC-522326', areaCodes: nation };
  principals.otherBank = { role: 'BANK', institutionId: ids.otherBank, institutionCode: 'TEST-BANK-OTHER', areaCodes: nation };
  principals.insurer = { role: 'INSURER', institutionId: ids.insurer, institutionCode: 'TEST-PICC-522326', areaCodes: nation };
  principals.guarantor = { role: 'GUARANTOR', institutionId: ids.guarantor, institutionCode: 'TEST-GZAGC', areaCodes: ['52'] };
  principals.government = { role: 'GOVERNMENT', institutionId: ids.government, institutionCode: 'TEST-GOV-522326', areaCodes: [COUNTY] };
  principals.regulator = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: nation };
  principals.regulatorGuangxi = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: ['45'] };
  principals.analyst = { role: 'ANALYST', institutionId: null, institutionCode: null, areaCodes: nation };
}

interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: unknown; extensions?: Record<string, unknown> }> };
}

async function gql(who: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who !== null) headers['x-test-principal'] = who;
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

/** The data of a response that must have no errors. */
async function data(who: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const { status, body } = await gql(who, query, variables);
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  return body.data!;
}

beforeAll(async () => {
  await withClient(db.url(), seed);
  orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
  app = await createServer({
    orm,
    config,
    // Tests name their principal in a header; production resolves API keys and tokens.
    principalResolver: (request) => principals[String(request.headers['x-test-principal'])] ?? null,
  });
  db.onTeardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

const HOUSEHOLD_QUERY = /* GraphQL */ `
  query Household($ref: String!) {
    household(ref: $ref) {
      id
      ref
      headName
      headPhone
      status
      statusIn2018: status(asOf: "2018-06-30")
      statusIn2015: status(asOf: "2015-01-01")
      statusSince
      exitYear
      registeredOn
      attribute
      size
      version
      statusHistory { id status validFrom exitYear reason provenance { batchId } }
      village { code name level }
      county { code name }
      provenance { sourceInstitution { code } batchId receivedAt }
      loans {
        nodes {
        id
        ref
        product
        borrowerKind
        principal
        disbursedOn
        maturesOn
        annualRate
        subsidyRate
        guaranteeMode
        paidToAccount
        purpose
        closedOn
        closure
        version
        institution { code name }
        county { code }
        borrower { __typename ... on Household { ref } }
        combinedModel
        position { id monthEnd balance overduePrincipal overdueDays fiveClass subsidyPaid version provenance { sourceInstitution { code } batchId receivedAt } }
        positionMid2020: position(asOf: "2020-07-15") { monthEnd balance overduePrincipal overdueDays fiveClass version }
        positionBeforeFirst: position(asOf: "2019-11-30") { monthEnd }
        guarantees {
          nodes {
            id ref borrowerKind guaranteedAmount feeRate guarantorShare bankShare governmentShare reguaranteeShare startsOn endsOn releasedOn version
            institution { code }
            borrower { __typename ... on Household { ref } }
          }
        }
        linkedPolicies {
          nodes {
            id ref line subject quantity unit sumInsured premium centralShare provincialShare countyShare farmerShare povertyFundShare startsOn endsOn holderKind
            institution { code }
            claims { nodes { id ref cause lossOn agreedOn agreedAmount paidOn paidAmount version provenance { batchId } } }
          }
        }
        }
      }
    }
  }
`;

const POSITION_JUNE_2020 = {
  monthEnd: '2020-06-30',
  balance: '40000.00',
  overduePrincipal: '5000.00',
  overdueDays: 35,
  fiveClass: 'SPECIAL_MENTION',
  version: 2,
};

function expectedGuarantee() {
  return {
    id: gid('GuaranteeContract', ids.g1),
    ref: 'GZAGC-2019-88',
    borrowerKind: 'HOUSEHOLD',
    guaranteedAmount: '40000.00',
    feeRate: '0.008000',
    guarantorShare: '0.400000',
    bankShare: '0.200000',
    governmentShare: '0.100000',
    reguaranteeShare: '0.300000',
    startsOn: '2019-03-15',
    endsOn: '2022-03-14',
    releasedOn: null,
    version: 1,
    institution: { code: 'TEST-GZAGC' },
    borrower: { __typename: 'Household', ref: H1 },
  };
}

function expectedPolicy() {
  return {
    id: gid('InsurancePolicy', ids.pol1),
    ref: 'PICC-LS-2019-5',
    line: 'LIVESTOCK',
    subject: '能繁母猪',
    quantity: '10.0000',
    unit: 'HEAD',
    sumInsured: '15000.00',
    premium: '900.00',
    centralShare: '450.00',
    provincialShare: '225.00',
    countyShare: '135.00',
    farmerShare: '90.00',
    povertyFundShare: '0.00',
    startsOn: '2019-04-01',
    endsOn: '2020-03-31',
    holderKind: 'HOUSEHOLD',
    institution: { code: 'TEST-PICC-522326' },
    claims: {
      nodes: [
      {
        id: gid('Claim', ids.c1),
        ref: 'PICC-CL-2019-77',
        cause: 'EPIDEMIC',
        lossOn: '2019-09-10',
        agreedOn: '2019-09-20',
        agreedAmount: '3000.00',
        paidOn: '2019-09-25',
        paidAmount: '3000.00',
        version: 1,
        provenance: { batchId: 'picc-2019' },
      },
      ],
    },
  };
}

function expectedLoan1(view: { guarantees: boolean; policies: boolean }) {
  return {
    id: gid('Loan', ids.l1),
    ref: 'RCC-2019-0001',
    product: 'POVERTY_MICROCREDIT',
    borrowerKind: 'HOUSEHOLD',
    principal: '50000.00',
    disbursedOn: '2019-03-15',
    maturesOn: '2022-03-14',
    annualRate: '0.043500',
    subsidyRate: '0.043500',
    guaranteeMode: 'GUARANTEE',
    paidToAccount: 'HOUSEHOLD',
    purpose: '养殖能繁母猪',
    closedOn: null,
    closure: null,
    version: 1,
    institution: { code: 'TEST-RCC-522326', name: '望谟农村商业银行' },
    county: { code: COUNTY },
    borrower: { __typename: 'Household', ref: H1 },
    // Derived from the loan's LINKED contracts, whoever asks.
    combinedModel: 'BANK_INSURANCE_GUARANTEE',
    position: {
      id: gid('LoanPosition', ids.p202012),
      monthEnd: '2020-12-31',
      balance: '30000.00',
      overduePrincipal: '0.00',
      overdueDays: 0,
      fiveClass: 'NORMAL',
      subsidyPaid: null,
      version: 1,
      provenance: { sourceInstitution: { code: 'TEST-RCC-522326' }, batchId: 'rcc-positions-2020', receivedAt: '2021-01-05T02:00:00.000Z' },
    },
    positionMid2020: POSITION_JUNE_2020,
    positionBeforeFirst: null,
    guarantees: { nodes: view.guarantees ? [expectedGuarantee()] : [] },
    linkedPolicies: { nodes: view.policies ? [expectedPolicy()] : [] },
  };
}

const EXPECTED_LOAN_2 = () => ({
  id: gid('Loan', ids.l2),
  ref: 'RCC-2019-0002',
  product: 'OTHER_AGRI',
  borrowerKind: 'HOUSEHOLD',
  principal: '8000.50',
  disbursedOn: '2019-05-01',
  maturesOn: '2020-04-30',
  annualRate: '0.047500',
  subsidyRate: null,
  guaranteeMode: 'CREDIT',
  paidToAccount: 'HOUSEHOLD',
  purpose: null,
  closedOn: '2020-04-28',
  closure: 'SETTLED',
  version: 1,
  institution: { code: 'TEST-RCC-522326', name: '望谟农村商业银行' },
  county: { code: COUNTY },
  borrower: { __typename: 'Household', ref: H1 },
  combinedModel: 'LOAN_ONLY',
  position: null,
  positionMid2020: null,
  positionBeforeFirst: null,
  guarantees: { nodes: [] },
  linkedPolicies: { nodes: [] },
});

function expectedHousehold(pii: { headName: string | null; headPhone: string | null }, loans: unknown[]) {
  return {
    id: gid('Household', H1),
    ref: H1,
    ...pii,
    status: 'LIFTED_OUT',
    statusIn2018: 'REGISTERED_POOR',
    statusIn2015: null,
    statusSince: '2019-12-20',
    exitYear: 2019,
    registeredOn: '2016-03-01',
    attribute: 'GENERAL',
    size: 4,
    version: 1,
    statusHistory: [
      { id: gid('HouseholdStatusChange', ids.s1), status: 'REGISTERED_POOR', validFrom: '2016-03-01', exitYear: null, reason: '因病', provenance: { batchId: 'gov-2019-12' } },
      { id: gid('HouseholdStatusChange', ids.s2), status: 'LIFTED_OUT', validFrom: '2019-12-20', exitYear: 2019, reason: null, provenance: { batchId: 'gov-2019-12' } },
    ],
    village: { code: VILLAGE, name: '乐元村村民委员会', level: 'VILLAGE' },
    county: { code: COUNTY, name: '望谟县' },
    provenance: { sourceInstitution: { code: 'TEST-GOV-522326' }, batchId: 'gov-2019-12', receivedAt: '2019-12-21T02:00:00.000Z' },
    loans: { nodes: loans },
  };
}

describe('household(ref)', () => {
  it('gives the lending bank its borrower in full: loans, positions, linked guarantees and policies with claims, history', async () => {
    expect(await data('bank', HOUSEHOLD_QUERY, { ref: H1 })).toEqual({
      household: expectedHousehold({ headName: '张三', headPhone: '13812345678' }, [
        expectedLoan1({ guarantees: true, policies: true }),
        EXPECTED_LOAN_2(),
      ]),
    });
  });

  it('gives a regulator every row in scope with partial PII', async () => {
    expect(await data('regulator', HOUSEHOLD_QUERY, { ref: H1 })).toEqual({
      household: expectedHousehold({ headName: '张*', headPhone: '138****5678' }, [
        expectedLoan1({ guarantees: true, policies: true }),
        EXPECTED_LOAN_2(),
      ]),
    });
  });

  it('gives the county government full PII in its county and nothing outside it', async () => {
    const inCounty = await data('government', HOUSEHOLD_QUERY, { ref: H1 });
    expect(inCounty.household.headName).toBe('张三');
    expect(inCounty.household.loans.nodes).toEqual([expectedLoan1({ guarantees: true, policies: true }), EXPECTED_LOAN_2()]);
    expect(await data('government', HOUSEHOLD_QUERY, { ref: H2 })).toEqual({ household: null });
  });

  it('gives the insurer its insured household and only the loan its policy covers, without the guarantee', async () => {
    expect(await data('insurer', HOUSEHOLD_QUERY, { ref: H1 })).toEqual({
      household: expectedHousehold({ headName: '张三', headPhone: '13812345678' }, [expectedLoan1({ guarantees: false, policies: true })]),
    });
  });

  it('gives the guarantor its counterparty and only the loan its guarantee covers, without the policy', async () => {
    expect(await data('guarantor', HOUSEHOLD_QUERY, { ref: H1 })).toEqual({
      household: expectedHousehold({ headName: '张三', headPhone: '13812345678' }, [expectedLoan1({ guarantees: true, policies: false })]),
    });
  });

  it('answers null to those who may not see the household, exactly as for one that does not exist', async () => {
    const missing = await data('bank', HOUSEHOLD_QUERY, { ref: 'H0000000000ZZ' });
    expect(missing).toEqual({ household: null });
    expect(await data('otherBank', HOUSEHOLD_QUERY, { ref: H1 })).toEqual(missing);
    expect(await data('analyst', HOUSEHOLD_QUERY, { ref: H1 })).toEqual(missing);
    expect(await data('regulatorGuangxi', HOUSEHOLD_QUERY, { ref: H1 })).toEqual(missing);
  });

  it('rejects a malformed ref as BAD_USER_INPUT', async () => {
    const { body } = await gql('bank', HOUSEHOLD_QUERY, { ref: 'not-a-ref' });
    expect(body).toEqual({
      data: { household: null },
      errors: [{ message: expect.stringContaining('household ref'), locations: expect.any(Array), path: ['household'], extensions: { code: 'BAD_USER_INPUT', field: 'ref' } }],
    });
  });

  it('masks an unexpected failure as INTERNAL with an error id and nothing else', async () => {
    const { body } = await gql('bank', '{ household(ref: "H0000000000D4") { ref headName } }');
    // H4 is the bank's nobody: invisible, so the corrupt name is never even decrypted.
    expect(body).toEqual({ data: { household: null } });

    const regulator = await gql('regulator', '{ household(ref: "H0000000000D4") { ref headName } }');
    expect(regulator.body).toEqual({
      data: { household: { ref: H4, headName: null } },
      errors: [
        {
          message: expect.stringMatching(/^Internal error; quote error id [0-9a-f-]{36} when reporting it$/),
          locations: expect.any(Array),
          path: ['household', 'headName'],
          extensions: { code: 'INTERNAL', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        },
      ],
    });
  });
});

describe('county, area and institution', () => {
  it('county(code) answers with its designations (all, and as of a date), parents and first households', async () => {
    const designations = await withClient(db.url(), async (client) =>
      (
        await client.query(
          `SELECT kind, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo", basis, demo_only AS "demoOnly"
             FROM area_designation WHERE area_code = $1 ORDER BY valid_from, kind, id`,
          [COUNTY],
        )
      ).rows,
    );
    expect(designations.map((d) => d.kind)).toEqual(['NATIONAL_POVERTY_COUNTY', 'UNCAPPED_2020']);

    const query = `{
      county(code: "${COUNTY}") {
        id code name statisticalOnly
        prefecture { code name level }
        province { code name level }
        area { code level }
        designations { kind validFrom validTo basis demoOnly }
        in2020: designations(asOf: "2020-06-30") { kind }
        in2021: designations(asOf: "2021-06-30") { kind }
        households(first: 2) { nodes { ref } pageInfo { hasNextPage } totalCount }
        allHouseholds: households { nodes { ref } }
      }
    }`;
    expect(await data('regulator', query)).toEqual({
      county: {
        id: gid('County', COUNTY),
        code: COUNTY,
        name: '望谟县',
        statisticalOnly: false,
        prefecture: { code: '5223', name: '黔西南布依族苗族自治州', level: 'PREFECTURE' },
        province: { code: '52', name: '贵州省', level: 'PROVINCE' },
        area: { code: COUNTY, level: 'COUNTY' },
        designations,
        in2020: [{ kind: 'NATIONAL_POVERTY_COUNTY' }, { kind: 'UNCAPPED_2020' }],
        in2021: [{ kind: 'NATIONAL_POVERTY_COUNTY' }],
        households: { nodes: [{ ref: H1 }, { ref: H3 }], pageInfo: { hasNextPage: true }, totalCount: 3 },
        allHouseholds: { nodes: [{ ref: H1 }, { ref: H3 }, { ref: H4 }] },
      },
    });
    // Households are scoped too: the bank sees its borrower only, the analyst none.
    const bankView = await data('bank', `{ county(code: "${COUNTY}") { households { nodes { ref } totalCount } } }`);
    expect(bankView).toEqual({ county: { households: { nodes: [{ ref: H1 }], totalCount: 1 } } });
    expect(await data('analyst', `{ county(code: "${COUNTY}") { code households { nodes { ref } totalCount } } }`)).toEqual({
      county: { code: COUNTY, households: { nodes: [], totalCount: 0 } },
    });
  });

  it('county(code) is null for a code that is not a county, and rejects a page size over 100', async () => {
    expect(await data('regulator', '{ county(code: "999999") { code } }')).toEqual({ county: null });
    const { body } = await gql('regulator', `{ county(code: "${COUNTY}") { households(first: 101) { nodes { ref } } } }`);
    expect(body.errors?.map((e) => [e.message, e.extensions])).toEqual([
      ['first must be between 0 and 100', { code: 'BAD_USER_INPUT', limit: 'maxPageSize', max: 100, actual: 101 }],
    ]);
  });

  it('area(code) answers with level, parent, children and county', async () => {
    expect(
      await data('analyst', `{
        area(code: "522326101") { id code name level validFrom validTo parent { code name } county { code } children(first: 3) { code name level } }
      }`),
    ).toEqual({
      area: {
        id: gid('Area', '522326101'),
        code: '522326101',
        name: '乐元镇',
        level: 'TOWNSHIP',
        validFrom: null,
        validTo: null,
        parent: { code: COUNTY, name: '望谟县' },
        county: { code: COUNTY },
        children: [
          { code: '522326101201', name: '乐元村村民委员会', level: 'VILLAGE' },
          { code: '522326101202', name: '纳管村村民委员会', level: 'VILLAGE' },
          { code: '522326101203', name: '谭龙村村民委员会', level: 'VILLAGE' },
        ],
      },
    });
    expect(await data('analyst', '{ province: area(code: "52") { parent { code } county { code } } unknown: area(code: "99") { code } }')).toEqual({
      province: { parent: null, county: null },
      unknown: null,
    });
  });

  it('institution(code) answers with kind, home area and head office', async () => {
    expect(
      await data('analyst', '{ institution(code: "TEST-RCC-522326") { id code name kind validFrom validTo homeArea { code } parent { code name parent { code } } } }'),
    ).toEqual({
      institution: {
        id: gid('Institution', 'TEST-RCC-522326'),
        code: 'TEST-RCC-522326',
        name: '望谟农村商业银行',
        kind: 'BANK',
        validFrom: '2014-01-01',
        validTo: null,
        homeArea: { code: COUNTY },
        parent: { code: 'TEST-RCC-HQ', name: '贵州省农村信用社联合社', parent: null },
      },
    });
    expect(await data('analyst', '{ institution(code: "NOPE") { code } }')).toEqual({ institution: null });
  });
});

describe('node(id)', () => {
  const KEY_FIELDS: Record<string, string> = {
    Area: 'code',
    AreaDesignation: 'kind',
    County: 'code',
    Institution: 'code',
    Household: 'ref',
    HouseholdStatusChange: 'status',
    Enterprise: 'creditCode',
    Loan: 'ref',
    LoanPosition: 'monthEnd',
    InsurancePolicy: 'ref',
    Claim: 'ref',
    GuaranteeContract: 'ref',
  };
  const NODE_QUERY = `query Node($id: ID!) {
    node(id: $id) {
      __typename
      id
      ${Object.entries(KEY_FIELDS)
        .map(([type, field]) => `... on ${type} { ${field} }`)
        .join('\n')}
    }
  }`;

  it('round-trips every type', async () => {
    const designationId = await withClient(db.url(), async (client) =>
      String((await client.query("SELECT id FROM area_designation WHERE area_code = $1 AND kind = 'UNCAPPED_2020'", [COUNTY])).rows[0].id),
    );
    const cases: Array<[string, string, string]> = [
      ['Area', '522326101', '522326101'],
      ['AreaDesignation', designationId, 'UNCAPPED_2020'],
      ['County', COUNTY, COUNTY],
      ['Institution', 'TEST-PICC-522326', 'TEST-PICC-522326'],
      ['Household', H1, H1],
      ['HouseholdStatusChange', ids.s2, 'LIFTED_OUT'],
      ['Enterprise', '91522326MA6DL0XX1B', '91522326MA6DL0XX1B'],
      ['Loan', ids.l1, 'RCC-2019-0001'],
      ['LoanPosition', ids.p202006, '2020-06-30'],
      ['InsurancePolicy', ids.pol1, 'PICC-LS-2019-5'],
      ['Claim', ids.c1, 'PICC-CL-2019-77'],
      ['GuaranteeContract', ids.g1, 'GZAGC-2019-88'],
    ];
    expect(Object.keys(KEY_FIELDS).sort()).toEqual(cases.map(([type]) => type).sort());
    for (const [type, key, value] of cases) {
      const id = gid(type, key);
      expect(await data('regulator', NODE_QUERY, { id })).toEqual({ node: { __typename: type, id, [KEY_FIELDS[type]]: value } });
    }
    // The ids the types report are the ids node() takes.
    const viaFields = await data(
      'bank',
      `{ household(ref: "${H1}") { id loans { nodes { id position { id } guarantees { nodes { id } } linkedPolicies { nodes { id claims { nodes { id } } } } } } } }`,
    );
    expect(viaFields.household.loans.nodes[0]).toEqual({
      id: gid('Loan', ids.l1),
      position: { id: gid('LoanPosition', ids.p202012) },
      guarantees: { nodes: [{ id: gid('GuaranteeContract', ids.g1) }] },
      linkedPolicies: { nodes: [{ id: gid('InsurancePolicy', ids.pol1), claims: { nodes: [{ id: gid('Claim', ids.c1) }] } }] },
    });
  });

  it('is null for records outside the caller’s scope, as for unknown ones', async () => {
    const unknown = await data('bank', NODE_QUERY, { id: gid('Loan', '999999999') });
    expect(unknown).toEqual({ node: null });
    for (const [who, type, key] of [
      ['otherBank', 'Loan', ids.l1],
      ['otherBank', 'LoanPosition', ids.p202006],
      ['otherBank', 'Household', H1],
      ['otherBank', 'Claim', ids.c1],
      ['insurer', 'Loan', ids.l2],
      ['insurer', 'GuaranteeContract', ids.g1],
      ['guarantor', 'InsurancePolicy', ids.pol1],
      ['guarantor', 'Claim', ids.c1],
      ['bank', 'Loan', ids.l3],
      ['bank', 'Household', H2],
      ['government', 'Loan', ids.l3],
      ['analyst', 'Enterprise', '91522326MA6DL0XX1B'],
      ['analyst', 'HouseholdStatusChange', ids.s1],
    ] as const) {
      expect([who, type, await data(who, NODE_QUERY, { id: gid(type, key) })]).toEqual([who, type, unknown]);
    }
    // A superseded position version is still addressable by its own id, for those who see the loan.
    expect(await data('bank', `{ node(id: "${gid('LoanPosition', ids.p202006v1)}") { ... on LoanPosition { balance version } } }`)).toEqual({
      node: { balance: '45000.00', version: 1 },
    });
  });

  it('rejects malformed ids as BAD_USER_INPUT', async () => {
    for (const id of ['', 'not base64!', gid('Loan', 'abc'), gid('Secret', '1'), gid('Household', 'h0000000000a1'), 'TG9hbjox=', Buffer.from('Loan1').toString('base64url')]) {
      const { body } = await gql('regulator', NODE_QUERY, { id });
      expect([id, body]).toEqual([
        id,
        { data: { node: null }, errors: [{ message: 'Malformed node id', locations: expect.any(Array), path: ['node'], extensions: { code: 'BAD_USER_INPUT', field: 'id' } }] },
      ]);
    }
  });
});

describe('errors and protocol', () => {
  it('refuses a request without a principal as UNAUTHENTICATED', async () => {
    const response = await gql(null, '{ area(code: "52") { code } }');
    expect(response).toEqual({ status: 401, body: { errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] } });
  });

  it('maps validation and parse errors to BAD_USER_INPUT', async () => {
    const unknownField = await gql('regulator', '{ area(code: "52") { secret } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT' }]);
    const syntax = await gql('regulator', '{ area(code: ');
    expect(syntax.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT' }]);
    const badDate = await gql('bank', 'query ($d: Date) { household(ref: "H0000000000A1") { status(asOf: $d) } }', { d: '2020-02-30' });
    expect(badDate.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT' }]);
  });

  it('blocks requests a browser could send cross-site (CSRF prevention)', async () => {
    const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });

  it('reports DATABASE_UNAVAILABLE, and /readyz 503, when the database cannot be reached', async () => {
    const deadOrm = await MikroORM.init({ ...ormConfig({ url: 'postgres://postgres@127.0.0.1:1/tripod' }), connect: false });
    const deadApp = await createServer({ orm: deadOrm, config, principalResolver: () => principals.regulator });
    try {
      await deadApp.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(deadApp.server.address() as AddressInfo).port}`;
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ area(code: "52") { code } }' }) });
      // The daily budget is checked before execution, so that is where the outage shows.
      expect([response.status, await response.json()]).toEqual([
        503,
        { errors: [{ message: 'The daily budget could not be checked; try again shortly', extensions: { code: 'DATABASE_UNAVAILABLE' } }] },
      ]);
      const ready = await fetch(`${url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([503, { status: 'unavailable', reason: 'database unreachable' }]);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await deadApp.close();
      await deadOrm.close(true);
    }
  });
});

describe('probes and explorer', () => {
  it('/healthz and /readyz answer 200 on a migrated, reachable database', async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('/readyz answers 503 while migrations are pending', async () => {
    const harness = readHarnessEnv();
    const empty = `${harness.runPrefix}_unmigrated`;
    await createDatabase(harness.adminUrl, empty);
    const emptyOrm = await createOrm({ url: withDatabase(harness.adminUrl, empty) });
    const emptyApp = await createServer({ orm: emptyOrm, config, principalResolver: () => null });
    try {
      await emptyApp.listen({ host: '127.0.0.1', port: 0 });
      const ready = await fetch(`http://127.0.0.1:${(emptyApp.server.address() as AddressInfo).port}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        503,
        { status: 'unavailable', reason: 'migrations pending', pending: expect.arrayContaining(['Migration20261128073657_initial']) },
      ]);
    } finally {
      await emptyApp.close();
      await emptyOrm.close(true);
      await dropDatabase(harness.adminUrl, empty);
    }
  });

  it('serves the GraphiQL explorer offline on GET /graphql and GET /', async () => {
    for (const path of ['/graphql', '/']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain('<div id="root"></div>');
      expect(html).toContain('"endpoint":"/graphql"');
      // Everything is inline: no script, style sheet or icon from another host.
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//i);
      expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|cdnjs\.|googleapis\.com|esm\.sh/);
      // Revalidated, not downloaded again.
      const again = await fetch(`${baseUrl}${path}`, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
  });
});

describe('SQL statements per operation', () => {
  const NESTED = `query ($ref: String!) {
    household(ref: $ref) {
      ref
      statusHistory { status }
      loans {
        nodes {
          ref
          combinedModel
          position { balance }
          guarantees { nodes { ref institution { code } } }
          linkedPolicies { nodes { ref claims { nodes { ref paidAmount } } } }
        }
      }
    }
  }`;

  /** Counts the statements node-postgres sends while `run` runs. */
  async function countStatements(run: () => Promise<unknown>): Promise<{ count: number; statements: string[] }> {
    const statements = await statementsDuring(run);
    return { count: statements.length, statements };
  }

  beforeAll(async () => {
    // H3: many loans from the same bank, each guaranteed and insured with two claims.
    await withClient(db.url(), async (client) => {
      const source = { source_institution_id: ids.bank, batch_id: ids.bankBatch, received_at: '2020-01-01T00:00:00Z' };
      for (let i = 0; i < 12; i += 1) {
        const loanId = await insert(client, 'loan', {
          ...source,
          institution_id: ids.bank,
          ref: `RCC-BULK-${i}`,
          county_code: COUNTY,
          product: 'POVERTY_MICROCREDIT',
          borrower_kind: 'HOUSEHOLD',
          household_id: ids.h3,
          principal: '10000',
          disbursed_on: '2019-02-01',
          matures_on: '2021-01-31',
          annual_rate: '0.0435',
          guarantee_mode: 'MIXED',
          paid_to_account: 'HOUSEHOLD',
        });
        await insert(client, 'loan_position', {
          ...source, loan_id: loanId, county_code: COUNTY, institution_id: ids.bank, month_end: '2019-12-31', version: 1, is_latest: true,
          balance: '9000', overdue_principal: '0', overdue_days: 0, five_class: 'NORMAL',
        });
        const guaranteeId = await insert(client, 'guarantee_contract', {
          ...source, source_institution_id: ids.guarantor, batch_id: ids.guarantorBatch, institution_id: ids.guarantor, ref: `G-BULK-${i}`,
          county_code: COUNTY, borrower_kind: 'HOUSEHOLD', household_id: ids.h3, guaranteed_amount: '8000', fee_rate: '0.008',
          guarantor_share: '0.4', bank_share: '0.2', government_share: '0.1', reguarantee_share: '0.3', starts_on: '2019-02-01', ends_on: '2021-01-31',
        });
        const policyId = await insert(client, 'insurance_policy', {
          ...source, source_institution_id: ids.insurer, batch_id: ids.insurerBatch, institution_id: ids.insurer, ref: `P-BULK-${i}`,
          county_code: COUNTY, line: 'CROP', subject: '水稻', quantity: '5', unit: 'MU', sum_insured: '2000', premium: '60', central_share: '24',
          provincial_share: '15', county_share: '9', farmer_share: '12', poverty_fund_share: '0', starts_on: '2019-03-01', ends_on: '2019-11-30',
          holder_kind: 'HOUSEHOLD', household_id: ids.h3,
        });
        for (const n of [1, 2]) {
          await insert(client, 'claim', {
            ...source, source_institution_id: ids.insurer, batch_id: ids.insurerBatch, policy_id: policyId, institution_id: ids.insurer,
            ref: `C-BULK-${i}-${n}`, county_code: COUNTY, cause: 'FLOOD', loss_on: '2019-07-01',
          });
        }
        for (const [column, id, submitter, batchId] of [
          ['guarantee_id', guaranteeId, ids.guarantor, ids.guarantorBatch],
          ['policy_id', policyId, ids.insurer, ids.insurerBatch],
        ]) {
          await insert(client, 'contract_link', {
            ...source, source_institution_id: submitter, batch_id: batchId, [column]: id, submitter_id: submitter, bank_code: 'TEST-RCC-522326',
            loan_ref: `RCC-BULK-${i}`, loan_id: loanId, status: 'LINKED', linked_at: '2020-01-01T00:00:00Z', county_code: COUNTY,
          });
        }
      }
    });
  });

  it('does not grow with the number of loans, guarantees, policies or claims', async () => {
    // Institutions are cached per process for a few seconds: count from a cold cache.
    forgetReferenceData();
    const small = await countStatements(async () => {
      const result = await data('bank', NESTED, { ref: H1 });
      expect(result.household.loans.nodes).toHaveLength(2);
    });
    forgetReferenceData();
    const large = await countStatements(async () => {
      const result = await data('bank', NESTED, { ref: H3 });
      const loans = result.household.loans.nodes as Array<{ combinedModel: string; linkedPolicies: { nodes: Array<{ claims: { nodes: unknown[] } }> } }>;
      expect(loans).toHaveLength(12);
      expect(loans.flatMap((loan) => loan.linkedPolicies.nodes.flatMap((p) => p.claims.nodes))).toHaveLength(24);
      expect(new Set(loans.map((loan) => loan.combinedModel))).toEqual(new Set(['BANK_INSURANCE_GUARANTEE']));
    });
    // household, status history, loans, links (combined model), positions, guarantees,
    // their institutions, policies, claims: one statement each; plus the daily budget's
    // check and charge (one statement, before execution).
    expect(small.count).toBe(10);
    expect(large.count).toBe(small.count);
  });
});
