/**
 * The world the ingestion tests share: two banks, an insurer, a guarantor and a
 * regulator; a registered household whose head's ID number the hub knows (through its
 * match hash), another bank's borrower and loan, a re-lending draw and a county fund
 * with an agreement, a disaster event; seeded in SQL into the test file's own database,
 * with a server over real HTTP where tests name their principal in a header.
 */
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { withClient } from '../../src/db/admin';
import { createOrm } from '../../src/db/orm';
import { createServer } from '../../src/server';
import type { Principal } from '../../src/services/access';
import { checkCharacter, encryptPii, matchHash, parseKeyring, syntheticNationalId } from '../../src/services/identity';
import type { TestDatabase } from '../helpers';

export const PII_KEYS = `v1:${Buffer.alloc(32, 5).toString('base64')}`;
export const MATCH_KEYS = `v1:${Buffer.alloc(32, 3).toString('base64')}`;
export const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_MATCH_KEYS: MATCH_KEYS, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
export const piiKeyring = parseKeyring(PII_KEYS, 'TRIPOD_PII_KEYS');
export const matchKeyring = parseKeyring(MATCH_KEYS, 'TRIPOD_MATCH_KEYS');

/** 望谟县 (Guizhou) and a village of it; 晴隆县 and a village of it. */
export const COUNTY = '522326';
export const VILLAGE = '522326101201';
export const OTHER_COUNTY = '522324';
export const OTHER_VILLAGE = '522324001001';

export const KNOWN_HOUSEHOLD = 'H0000000000K1';
export const OTHER_BANKS_HOUSEHOLD = 'H0000000000K2';

/** A valid number with another check character in place of the right one. */
function withWrongCheck(id: string): string {
  const right = id[17];
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}

/** Synthetic national ID numbers (prefecture digits 99: never a real person's). */
export const ID = {
  /** The head of KNOWN_HOUSEHOLD, a registered household. */
  known: syntheticNationalId('52', '1980-06-15', 1),
  /** Valid and unknown to the hub: its household is created with status OTHER. */
  fresh: syntheticNationalId('52', '1985-09-09', 2),
  another: syntheticNationalId('45', '1979-12-01', 3),
  /** Born 1940: older than the micro-credit age bound at disbursement. */
  elderly: syntheticNationalId('52', '1940-01-01', 4),
  wrongCheck: withWrongCheck(syntheticNationalId('52', '1991-04-04', 5)),
  /** 30 February: a checksum-valid number with an impossible birth date. */
  impossibleDate: (() => {
    const first17 = '529901' + '19800230' + '123';
    return first17 + checkCharacter(first17);
  })(),
  /** Province 00 does not exist. */
  badProvince: (() => {
    const first17 = '009901' + '19800101' + '123';
    return first17 + checkCharacter(first17);
  })(),
  malformed: '52990119800101123',
};

/** Every ID number the tests send, valid or not: none may end up in any table. */
export const ALL_ID_NUMBERS = Object.values(ID);

/** The global id format: base64url of `<TypeName>:<key>`. */
export const gid = (type: string, key: string): string => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');

export interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: unknown; extensions?: Record<string, unknown> }> };
}

export interface IngestionWorld {
  ids: Record<string, string>;
  principals: Record<string, Principal>;
  /** One GraphQL request over HTTP as `who` (a key of `principals`). */
  gql(who: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The data of a request that must succeed. */
  data(who: string, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>>;
  /** A SQL query on the test database (assertions only). */
  sql<R extends Record<string, any> = Record<string, any>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Row counts of the tables ingestion writes. */
  counts(): Promise<Record<string, number>>;
}

async function insert(client: Client, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const result = await client.query<{ id: string }>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`, Object.values(row));
  return String(result.rows[0].id);
}

async function seed(client: Client): Promise<{ ids: Record<string, string>; principals: Record<string, Principal> }> {
  const ids: Record<string, string> = {};
  const institution = (code: string, name: string, kind: string, homeArea: string) => insert(client, 'institution', { code, name, kind, home_area_code: homeArea });
  ids.bank = await institution('T-BANK', '望谟农村商业银行', 'BANK', COUNTY);
  ids.otherBank = await institution('T-BANK-2', '晴隆县村镇银行', 'BANK', OTHER_COUNTY);
  ids.insurer = await institution('T-INSURER', '人保财险望谟支公司', 'INSURER', COUNTY);
  ids.guarantor = await institution('T-GUARANTOR', '贵州省农业信贷融资担保公司', 'GUARANTOR', '52');
  ids.government = await institution('T-GOV', '望谟县人民政府', 'GOVERNMENT', COUNTY);
  ids.centralBank = await institution('T-PBOC', '人民银行黔西南州中心支行', 'CENTRAL_BANK', '5223');

  const batch = (institutionId: string, externalId: string, kind: string) =>
    insert(client, 'ingest_batch', { institution_id: institutionId, external_id: externalId, kind, payload_hash: 'f'.repeat(64), item_count: 1 });
  ids.govBatch = await batch(ids.government, 'seed-households', 'upsertHouseholds');
  ids.otherBankBatch = await batch(ids.otherBank, 'seed-loans', 'upsertLoans');
  ids.guarantorBatch = await batch(ids.guarantor, 'seed-guarantees', 'upsertGuaranteeContracts');
  ids.pbocBatch = await batch(ids.centralBank, 'seed-relending', 'upsertRelendingFacilities');
  const from = (source: string, batchId: string) => ({ source_institution_id: source, batch_id: batchId, received_at: '2020-01-05T02:00:00Z' });

  const household = (ref: string, village: string, county: string, status: string, since: string) =>
    insert(client, 'household', {
      ...from(ids.government, ids.govBatch),
      ref,
      village_code: village,
      county_code: county,
      status,
      status_since: since,
      name_enc: encryptPii(piiKeyring, '张三'),
      pii_key_version: 1,
    });
  ids.known = await household(KNOWN_HOUSEHOLD, VILLAGE, COUNTY, 'REGISTERED_POOR', '2016-03-01');
  await client.query('INSERT INTO household_identity (household_id, county_code, key_version, match_hash) VALUES ($1, $2, 1, $3)', [
    ids.known,
    COUNTY,
    matchHash(matchKeyring, ID.known).hash,
  ]);
  ids.othersHousehold = await household(OTHER_BANKS_HOUSEHOLD, OTHER_VILLAGE, OTHER_COUNTY, 'REGISTERED_POOR', '2016-03-01');
  ids.otherLoan = await insert(client, 'loan', {
    ...from(ids.otherBank, ids.otherBankBatch),
    institution_id: ids.otherBank,
    ref: 'OB-1',
    county_code: OTHER_COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower_kind: 'HOUSEHOLD',
    household_id: ids.othersHousehold,
    principal: '30000',
    disbursed_on: '2020-01-20',
    matures_on: '2023-01-19',
    annual_rate: '0.0435',
    guarantee_mode: 'CREDIT',
    paid_to_account: 'HOUSEHOLD',
  });

  ids.facility = await insert(client, 'relending_facility', {
    ...from(ids.centralBank, ids.pbocBatch),
    lender_id: ids.centralBank,
    borrower_id: ids.bank,
    ref: 'RL-2020-01',
    county_code: COUNTY,
    amount: '10000000',
    annual_rate: '0.0175',
    drawn_on: '2020-01-10',
    due_on: '2021-01-09',
  });
  ids.otherFacility = await insert(client, 'relending_facility', {
    ...from(ids.centralBank, ids.pbocBatch),
    lender_id: ids.centralBank,
    borrower_id: ids.otherBank,
    ref: 'RL-2020-02',
    county_code: OTHER_COUNTY,
    amount: '5000000',
    annual_rate: '0.0175',
    drawn_on: '2020-01-10',
    due_on: '2021-01-09',
  });
  ids.fund = await insert(client, 'risk_compensation_fund', {
    ...from(ids.government, ids.govBatch),
    government_id: ids.government,
    ref: 'RCF-522326',
    name: '望谟县扶贫小额信贷风险补偿金',
    county_code: COUNTY,
    capital: '3000000',
    leverage_cap: '10',
    established_on: '2016-01-01',
  });
  await insert(client, 'fund_bank_agreement', {
    ...from(ids.government, ids.govBatch),
    fund_id: ids.fund,
    bank_id: ids.bank,
    county_code: COUNTY,
    fund_share: '0.7',
    bank_share: '0.3',
    valid_from: '2016-01-01',
  });
  ids.disaster = await insert(client, 'disaster_event', {
    ...from(ids.government, ids.govBatch),
    ref: 'COVID-19',
    kind: 'EPIDEMIC',
    name: '新冠肺炎疫情',
    starts_on: '2020-01-20',
  });

  // Two guarantees naming the bank's loan L-LINK before it is reported: one for the
  // loan's real borrower (KNOWN_HOUSEHOLD), one for someone else.
  const guarantee = (ref: string, householdId: string) =>
    insert(client, 'guarantee_contract', {
      ...from(ids.guarantor, ids.guarantorBatch),
      institution_id: ids.guarantor,
      ref,
      county_code: COUNTY,
      borrower_kind: 'HOUSEHOLD',
      household_id: householdId,
      guaranteed_amount: '40000',
      fee_rate: '0.008',
      guarantor_share: '0.8',
      bank_share: '0.2',
      government_share: '0',
      reguarantee_share: '0',
      starts_on: '2020-03-01',
      ends_on: '2023-02-28',
    });
  ids.guaranteeRight = await guarantee('G-RIGHT', ids.known);
  ids.guaranteeWrong = await guarantee('G-WRONG', ids.othersHousehold);
  const pending = (guaranteeId: string) =>
    insert(client, 'contract_link', {
      ...from(ids.guarantor, ids.guarantorBatch),
      guarantee_id: guaranteeId,
      submitter_id: ids.guarantor,
      bank_code: 'T-BANK',
      loan_ref: 'L-LINK',
      status: 'PENDING',
      county_code: COUNTY,
    });
  ids.linkRight = await pending(ids.guaranteeRight);
  ids.linkWrong = await pending(ids.guaranteeWrong);

  const nation: string[] = [];
  const principals: Record<string, Principal> = {
    bank: { role: 'BANK', institutionId: ids.bank, institutionCode: 'T-BANK', areaCodes: nation, keyId: 'test-bank' },
    otherBank: { role: 'BANK', institutionId: ids.otherBank, institutionCode: 'T-BANK-2', areaCodes: nation, keyId: 'test-bank-2' },
    insurer: { role: 'INSURER', institutionId: ids.insurer, institutionCode: 'T-INSURER', areaCodes: nation },
    guarantor: { role: 'GUARANTOR', institutionId: ids.guarantor, institutionCode: 'T-GUARANTOR', areaCodes: nation },
    government: { role: 'GOVERNMENT', institutionId: ids.government, institutionCode: 'T-GOV', areaCodes: [COUNTY] },
    regulator: { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: nation },
    analyst: { role: 'ANALYST', institutionId: null, institutionCode: null, areaCodes: nation },
  };
  return { ids, principals };
}

const COUNTED = ['ingest_batch', 'loan', 'record_version', 'household', 'household_identity', 'household_status_change', 'enterprise', 'loan_position', 'repayment', 'loan_modification', 'contract_link'];

/** Registers the hooks that seed the world and start the server; call once at a test file's top level, after `useTestDatabase()`. */
export function useIngestionWorld(db: TestDatabase): IngestionWorld {
  let orm: MikroORM;
  let app: FastifyInstance;
  let baseUrl = '';
  let client: Client;
  const world = { ids: {} as Record<string, string>, principals: {} as Record<string, Principal> };

  beforeAll(async () => {
    Object.assign(world, await withClient(db.url(), seed));
    client = new Client({ connectionString: db.url() });
    await client.connect();
    db.onTeardown(() => client.end());
    orm = await createOrm({ url: db.url() });
    db.onTeardown(() => orm.close(true));
    app = await createServer({ orm, config, principalResolver: (request) => world.principals[String(request.headers['x-test-principal'])] ?? null });
    db.onTeardown(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  const gql = async (who: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-principal': who },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
  };

  return {
    get ids() {
      return world.ids;
    },
    get principals() {
      return world.principals;
    },
    gql,
    async data(who, query, variables = {}) {
      const { status, body } = await gql(who, query, variables);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      return body.data!;
    },
    async sql(text, values = []) {
      return (await client.query(text, values)).rows;
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const table of COUNTED) {
        out[table] = Number((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
      }
      return out;
    },
  };
}

/** Every field of an ingestion result. */
export const RESULT_FIELDS = /* GraphQL */ `
  batchId kind payloadHash receivedAt partial committed replayed
  counts { created updated unchanged pendingLink rejected }
  items { index ref status code reason path message id version warnings { code path message parameter limit actual inForceOn } }
`;

/**
 * The national ID numbers sent in a test must appear in no text, JSON or binary column
 * of any table: returns the `table.column` places where one does.
 */
export async function placesHoldingIdNumbers(world: IngestionWorld, numbers: readonly string[]): Promise<string[]> {
  const columns = await world.sql<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea')`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    for (const number of numbers) {
      const probe =
        type === 'bytea'
          ? `SELECT count(*)::int AS n FROM "${table}" WHERE position(convert_to($1, 'UTF8') in "${column}") > 0`
          : `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE '%' || $1 || '%'`;
      const [{ n }] = await world.sql<{ n: number }>(probe, [number]);
      if (n > 0) found.push(`${table}.${column}`);
    }
  }
  return found;
}
