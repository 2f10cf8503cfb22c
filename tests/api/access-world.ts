/**
 * The small world the access API tests share (consent, registration, administration,
 * audit log): institutions of every kind, households of every registry status with their
 * match hashes, and one package — a bank's loan covered by an insurer's group credit
 * policy, another insurer's policy held by the borrower and a guarantor's guarantee —
 * seeded in SQL into the test file's own database, and a server over real HTTP where
 * tests name their principal in a header (or present a real API key).
 */
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { withClient } from '../../src/db/admin';
import { createOrm } from '../../src/db/orm';
import { createServer, credentialsResolver } from '../../src/server';
import type { Principal } from '../../src/services/access';
import { encryptPii, matchHash, parseKeyring, syntheticNationalId } from '../../src/services/identity';
import type { LimitsEnvironment } from '../../src/services/limits';
import type { TestDatabase } from '../helpers';

export const PII_KEYS = `v1:${Buffer.alloc(32, 7).toString('base64')}`;
/** Two match key versions: v2 current, v1 still configured while hashes are re-keyed. */
export const MATCH_KEYS = `v2:${Buffer.alloc(32, 11).toString('base64')},v1:${Buffer.alloc(32, 9).toString('base64')}`;
export const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_MATCH_KEYS: MATCH_KEYS, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
export const piiKeyring = parseKeyring(PII_KEYS, 'TRIPOD_PII_KEYS');
export const matchKeyring = parseKeyring(MATCH_KEYS, 'TRIPOD_MATCH_KEYS');

/** 望谟县 and 晴隆县 (Guizhou), with a village each. */
export const COUNTY = '522326';
export const VILLAGE = '522326101201';
export const OTHER_COUNTY = '522324';
export const OTHER_VILLAGE = '522324001001';

/** H1 borrows in the package; H2–H4 are registry cases; H5 lives in the other county. */
export const H1 = 'H0000000000A1';
export const H2 = 'H0000000000B2';
export const H3 = 'H0000000000C3';
export const H4 = 'H0000000000D4';
export const H5 = 'H0000000000E5';

/** Synthetic national ID numbers (prefecture digits 99: never a real person's). */
export const ID_NUMBERS = {
  h1: syntheticNationalId('52', '1980-06-15', 1),
  h2: syntheticNationalId('52', '1975-01-20', 2),
  h3: syntheticNationalId('52', '1990-11-02', 3),
  h4: syntheticNationalId('52', '1968-03-30', 4),
  /** H2's former head: its identity was closed when the head changed. */
  closed: syntheticNationalId('52', '1950-07-07', 5),
  /** Valid, and known to nobody. */
  unknown: syntheticNationalId('52', '2001-02-03', 6),
};

/** The global id format: base64url of `<TypeName>:<key>`. */
export const gid = (type: string, key: string): string => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');

export interface World {
  ids: Record<string, string>;
  principals: Record<string, Principal>;
}

async function insert(client: Client, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const result = await client.query<{ id: string }>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`, Object.values(row));
  return String(result.rows[0].id);
}

export async function seedWorld(client: Client): Promise<World> {
  const ids: Record<string, string> = {};
  const institution = (code: string, name: string, kind: string, homeArea: string, parentId: string | null = null) =>
    insert(client, 'institution', { code, name, kind, home_area_code: homeArea, parent_id: parentId });
  ids.bankHq = await institution('TEST-RCC-HQ', '贵州省农村信用社联合社', 'BANK', '52');
  ids.bank = await institution('TEST-RCC-522326', '望谟农村商业银行', 'BANK', COUNTY, ids.bankHq);
  ids.otherBank = await institution('TEST-BANK-OTHER', '晴隆县村镇银行', 'BANK', OTHER_COUNTY);
  ids.insurer = await institution('TEST-PICC-522326', '人保财险望谟支公司', 'INSURER', COUNTY);
  ids.otherInsurer = await institution('TEST-CPIC-522326', '太平洋财险望谟支公司', 'INSURER', COUNTY);
  ids.guarantor = await institution('TEST-GZAGC', '贵州省农业信贷融资担保公司', 'GUARANTOR', '52');
  ids.government = await institution('TEST-GOV-522326', '望谟县人民政府', 'GOVERNMENT', COUNTY);
  ids.otherGovernment = await institution('TEST-GOV-522324', '晴隆县人民政府', 'GOVERNMENT', OTHER_COUNTY);
  ids.regulatorInst = await institution('TEST-CBIRC-52', '贵州银保监局', 'REGULATOR', '52');
  ids.operator = await institution('TEST-OPERATOR', 'Tripod 运营', 'OPERATOR', '52');

  const batch = (institutionId: string, externalId: string, kind: string) =>
    insert(client, 'ingest_batch', { institution_id: institutionId, external_id: externalId, kind, payload_hash: 'f'.repeat(64), item_count: 1 });
  ids.govBatch = await batch(ids.government, 'gov-2019-12', 'upsertHouseholds');
  ids.otherGovBatch = await batch(ids.otherGovernment, 'gov-other-2019', 'upsertHouseholds');
  ids.bankBatch = await batch(ids.bank, 'rcc-2019-03', 'upsertLoans');
  ids.otherBankBatch = await batch(ids.otherBank, 'other-2020', 'upsertLoans');
  ids.insurerBatch = await batch(ids.insurer, 'picc-2019', 'upsertInsurancePolicies');
  ids.otherInsurerBatch = await batch(ids.otherInsurer, 'cpic-2019', 'upsertInsurancePolicies');
  ids.guarantorBatch = await batch(ids.guarantor, 'gzagc-2019', 'upsertGuaranteeContracts');

  const by = (source: string, batchId: string) => ({ source_institution_id: source, batch_id: batchId, received_at: '2019-12-21T02:00:00Z' });
  const household = (ref: string, village: string, county: string, name: string, phone: string | null, extra: Record<string, unknown>) =>
    insert(client, 'household', {
      ...(county === COUNTY ? by(ids.government, ids.govBatch) : by(ids.otherGovernment, ids.otherGovBatch)),
      ref,
      village_code: village,
      county_code: county,
      name_enc: encryptPii(piiKeyring, name),
      phone_enc: phone === null ? null : encryptPii(piiKeyring, phone),
      pii_key_version: 1,
      ...extra,
    });
  ids.h1 = await household(H1, VILLAGE, COUNTY, '张三', '13812345678', { status: 'LIFTED_OUT', status_since: '2019-12-20', exit_year: 2019 });
  ids.h2 = await household(H2, VILLAGE, COUNTY, '李四', null, { status: 'REGISTERED_POOR', status_since: '2016-03-01' });
  ids.h3 = await household(H3, VILLAGE, COUNTY, '王五', null, { status: 'OTHER', status_since: '2019-01-01' });
  ids.h4 = await household(H4, VILLAGE, COUNTY, '赵六', null, { status: 'MARGINAL', status_since: '2020-03-01' });
  ids.h5 = await household(H5, OTHER_VILLAGE, OTHER_COUNTY, '钱七', '13900001111', { status: 'REGISTERED_POOR', status_since: '2016-03-01' });

  const identity = async (householdId: string, county: string, idNumber: string, version: number, validTo: string | null = null) =>
    client.query('INSERT INTO household_identity (household_id, county_code, key_version, match_hash, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6)', [
      householdId,
      county,
      version,
      matchHash(matchKeyring, idNumber, version).hash,
      '2016-03-01T00:00:00Z',
      validTo,
    ]);
  await identity(ids.h1, COUNTY, ID_NUMBERS.h1, 2);
  await identity(ids.h2, COUNTY, ID_NUMBERS.h2, 2);
  await identity(ids.h2, COUNTY, ID_NUMBERS.closed, 2, '2018-05-01T00:00:00Z');
  await identity(ids.h3, COUNTY, ID_NUMBERS.h3, 2);
  // Not re-keyed yet: only the old key version matches it.
  await identity(ids.h4, COUNTY, ID_NUMBERS.h4, 1);

  const loan = (row: Record<string, unknown>) =>
    insert(client, 'loan', {
      ...by(ids.bank, ids.bankBatch),
      institution_id: ids.bank,
      county_code: COUNTY,
      borrower_kind: 'HOUSEHOLD',
      household_id: ids.h1,
      annual_rate: '0.0435',
      guarantee_mode: 'MIXED',
      paid_to_account: 'HOUSEHOLD',
      ...row,
    });
  ids.l1 = await loan({ ref: 'RCC-2019-0001', product: 'POVERTY_MICROCREDIT', principal: '50000', disbursed_on: '2019-03-15', matures_on: '2022-03-14' });
  // Outside every package: no partner of the bank ever sees it.
  ids.l2 = await loan({ ref: 'RCC-2019-0002', product: 'OTHER_AGRI', principal: '8000', disbursed_on: '2019-05-01', matures_on: '2020-04-30', guarantee_mode: 'CREDIT' });
  ids.l5 = await insert(client, 'loan', {
    ...by(ids.otherBank, ids.otherBankBatch),
    institution_id: ids.otherBank,
    ref: 'OTHER-2020-7',
    county_code: OTHER_COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower_kind: 'HOUSEHOLD',
    household_id: ids.h5,
    principal: '30000',
    disbursed_on: '2020-01-20',
    matures_on: '2023-01-19',
    annual_rate: '0.0435',
    guarantee_mode: 'CREDIT',
    paid_to_account: 'HOUSEHOLD',
  });

  const policy = (row: Record<string, unknown>) =>
    insert(client, 'insurance_policy', {
      county_code: COUNTY,
      quantity: '1',
      unit: 'CONTRACT',
      sum_insured: '50000',
      premium: '500',
      central_share: '0',
      provincial_share: '0',
      county_share: '250',
      farmer_share: '250',
      poverty_fund_share: '0',
      starts_on: '2019-03-15',
      ends_on: '2022-03-14',
      ...row,
    });
  // The insurer's group credit policy: it covers the loan, not the household as holder.
  ids.p1 = await policy({ ...by(ids.insurer, ids.insurerBatch), institution_id: ids.insurer, ref: 'PICC-CR-2019-1', line: 'CREDIT_LINKED', subject: '扶贫小额信贷保证保险', holder_kind: 'GROUP' });
  // Another insurer's policy held by the borrower, linked to the same loan.
  ids.p2 = await policy({
    ...by(ids.otherInsurer, ids.otherInsurerBatch),
    institution_id: ids.otherInsurer,
    ref: 'CPIC-LS-2019-9',
    line: 'LIVESTOCK',
    subject: '能繁母猪',
    holder_kind: 'HOUSEHOLD',
    household_id: ids.h1,
  });
  ids.g1 = await insert(client, 'guarantee_contract', {
    ...by(ids.guarantor, ids.guarantorBatch),
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
  const link = (contract: Record<string, string>, submitter: string, batchId: string) =>
    insert(client, 'contract_link', {
      ...by(submitter, batchId),
      ...contract,
      submitter_id: submitter,
      bank_code: 'TEST-RCC-522326',
      loan_ref: 'RCC-2019-0001',
      loan_id: ids.l1,
      status: 'LINKED',
      linked_at: '2019-04-02T01:00:00Z',
      county_code: COUNTY,
    });
  await link({ policy_id: ids.p1 }, ids.insurer, ids.insurerBatch);
  await link({ policy_id: ids.p2 }, ids.otherInsurer, ids.otherInsurerBatch);
  await link({ guarantee_id: ids.g1 }, ids.guarantor, ids.guarantorBatch);

  const nation: string[] = [];
  const principal = (role: Principal['role'], institution: string | null, areaCodes: string[], keyId: string, extra: Partial<Principal> = {}): Principal => ({
    role,
    institutionId: institution === null ? null : ids[institution],
    institutionCode: institution === null ? null : codeOf[institution],
    areaCodes,
    keyId,
    ...extra,
  });
  const codeOf: Record<string, string> = {
    bank: 'TEST-RCC-522326',
    otherBank: 'TEST-BANK-OTHER',
    insurer: 'TEST-PICC-522326',
    otherInsurer: 'TEST-CPIC-522326',
    guarantor: 'TEST-GZAGC',
    government: 'TEST-GOV-522326',
    otherGovernment: 'TEST-GOV-522324',
    regulatorInst: 'TEST-CBIRC-52',
  };
  const principals: Record<string, Principal> = {
    bank: principal('BANK', 'bank', nation, 'TESTKEYBANK1'),
    otherBank: principal('BANK', 'otherBank', nation, 'TESTKEYBANK2'),
    insurer: principal('INSURER', 'insurer', nation, 'TESTKEYINSR1'),
    otherInsurer: principal('INSURER', 'otherInsurer', nation, 'TESTKEYINSR2'),
    guarantor: principal('GUARANTOR', 'guarantor', ['52'], 'TESTKEYGUAR1'),
    government: principal('GOVERNMENT', 'government', [COUNTY], 'TESTKEYGOVT1'),
    otherGovernment: principal('GOVERNMENT', 'otherGovernment', [OTHER_COUNTY], 'TESTKEYGOVT2'),
    regulator: principal('REGULATOR', 'regulatorInst', nation, 'TESTKEYREGU1'),
    countyRegulator: principal('REGULATOR', null, [COUNTY], 'TESTKEYREGU2'),
    otherRegulator: principal('REGULATOR', null, [OTHER_COUNTY], 'TESTKEYREGU3'),
    analyst: principal('ANALYST', null, nation, 'TESTKEYANLY1'),
    admin: principal('ADMIN', null, nation, 'TESTKEYADMN1'),
  };
  return { ids, principals };
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: unknown; locations?: unknown; extensions?: Record<string, unknown> }> };
}

export interface Api {
  orm: MikroORM;
  /** Sends an operation as a test principal (by name) or with an `Authorization` header value. */
  gql(who: string | { authorization: string } | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The data of a response that must have no errors. */
  data(who: string, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>>;
  /** Rows of a query on the test database (as the test's own superuser, outside the hub). */
  rows<R = Record<string, any>>(text: string, params?: unknown[]): Promise<R[]>;
}

/**
 * Seeds the world and starts the server for one test file. Requests with an
 * `Authorization` header authenticate as production does (API keys); the others as the
 * principal named in `x-test-principal`.
 */
export async function startApi(db: TestDatabase, options: { limits?: LimitsEnvironment } = {}): Promise<Api & World> {
  const world = await withClient(db.url(), seedWorld);
  const orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
  const byCredentials = credentialsResolver(orm, config);
  const app: FastifyInstance = await createServer({
    orm,
    config,
    limits: options.limits,
    principalResolver: (request) =>
      request.headers.authorization !== undefined ? byCredentials(request) : (world.principals[String(request.headers['x-test-principal'])] ?? null),
  });
  db.onTeardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const gql: Api['gql'] = async (who, query, variables = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (typeof who === 'string') headers['x-test-principal'] = who;
    else if (who !== null) headers.authorization = who.authorization;
    const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
  };
  const data: Api['data'] = async (who, query, variables = {}) => {
    const { status, body } = await gql(who, query, variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data!;
  };
  const rows: Api['rows'] = (text, params = []) => withClient(db.url(), async (client) => (await client.query(text, params)).rows);
  return { ...world, orm, gql, data, rows };
}

/** The one error of a response whose data is null at `path`. */
export function onlyError(response: GraphQLResponse): { message: string; code: unknown; extensions: Record<string, unknown> | undefined } {
  expect(response.body.errors).toHaveLength(1);
  const [error] = response.body.errors!;
  return { message: error.message, code: error.extensions?.code, extensions: error.extensions };
}
