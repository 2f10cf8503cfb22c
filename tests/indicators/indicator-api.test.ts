/**
 * Indicators over real HTTP with real API keys: the `indicators` and `breakdown`
 * queries, the CSV export endpoint (same answer, same content hash, same scoping and
 * suppression, the API's error codes) and the export CLI.
 */
import '../api/reset-orm-metadata';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { createOrm } from '../../src/db/orm';
import { createServer } from '../../src/server';
import { issueApiKey } from '../../src/services/auth';
import { BREAKDOWN_CSV_COLUMNS } from '../../src/services/indicators';
import { useTestDatabase } from '../helpers';
import { PII_KEYS, Seeder } from './indicator-seed';

const db = useTestDatabase();
const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, LOG_LEVEL: 'silent' });

const A = '522326';
const M = '2020-06-30';
const tokens: Record<string, string> = {};
let orm: MikroORM;
let app: FastifyInstance;
let baseUrl: string;

async function seed(client: Client): Promise<void> {
  const s = new Seeder(client);
  const gov = await s.institution('T-GOV', 'GOVERNMENT', A);
  const bank = await s.institution('T-BANK', 'BANK', A);
  const other = await s.institution('T-OTHER', 'BANK', A);
  await s.institution('T-REG', 'REGULATOR', '52');
  // Six borrowers of T-BANK and one of T-OTHER, all registered; positions a year apart.
  for (let i = 0; i < 7; i++) {
    const lender = i < 6 ? bank : other;
    const household = await s.household(gov, '522326001201', [['REGISTERED_POOR', '2016-01-01']]);
    const loan = await s.loan(lender, A, { product: 'POVERTY_MICROCREDIT', household_id: household, principal: '20000', disbursed_on: '2019-01-10', matures_on: '2022-01-09' });
    await s.position(loan, lender, A, '2019-06-30', '20000');
    await s.position(loan, lender, A, M, '10000');
  }
}

beforeAll(async () => {
  const client = new Client({ connectionString: db.url() });
  await client.connect();
  try {
    await seed(client);
  } finally {
    await client.end();
  }
  orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
  const issue = async (name: string, role: 'REGULATOR' | 'ANALYST' | 'BANK' | 'GOVERNMENT', institutionCode: string | null, areaCodes: string[] = []) => {
    tokens[name] = (await issueApiKey(orm.em.fork(), { role, institutionCode, areaCodes, createdBy: 'test' })).token;
  };
  await issue('regulator', 'REGULATOR', 'T-REG');
  await issue('analyst', 'ANALYST', null);
  await issue('bank', 'BANK', 'T-BANK');
  await issue('government', 'GOVERNMENT', 'T-GOV');
  app = await createServer({ orm, config });
  db.onTeardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

async function gql(who: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function csv(who: string | null, query: string) {
  const headers: Record<string, string> = who === null ? {} : { 'x-api-key': tokens[who] };
  const response = await fetch(`${baseUrl}/export/breakdown.csv?${query}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), hash: response.headers.get('x-tripod-content-hash'), body: await response.text() };
}

const BREAKDOWN = /* GraphQL */ `
  query Breakdown($area: AreaInput!, $filter: IndicatorFilter) {
    breakdown(metric: POVERTY_LOAN_BALANCE, groupBy: INSTITUTION, area: $area, asOf: "2020-07-15", filter: $filter) {
      metric groupBy asOf requestedAsOf suppressionApplied schemaVersion contentHash
      filter { institutionCode products designation }
      rows {
        group label
        current { date value numerator denominator nullReason }
        previous { value }
        changeFromPrevious { absolute relative }
        freshness { latestMonthEnd latestReceivedAt }
      }
    }
  }
`;

test('indicators over GraphQL, with the reproducibility fields', async () => {
  const { data, errors } = await gql(
    'regulator',
    /* GraphQL */ `
      query {
        indicators(area: { code: "522326" }, asOf: "2020-06-30") {
          area { code name level } asOf previousDate startOfYear book minHouseholds schemaVersion contentHash
          indicators { key unit timing current { value numerator denominator nullReason } changeFromPrevious { absolute relative relativeNullReason } }
        }
      }
    `,
  );
  expect(errors).toBeUndefined();
  const answer = data!.indicators;
  expect(answer).toMatchObject({ area: { code: A, name: '望谟县', level: 'COUNTY' }, asOf: M, previousDate: '2019-06-30', startOfYear: '2019-12-31', book: 'MARKET', minHouseholds: 5 });
  expect(answer.contentHash).toMatch(/^[0-9a-f]{64}$/);
  const balance = answer.indicators.find((f: { key: string }) => f.key === 'POVERTY_LOAN_BALANCE');
  expect(balance).toEqual({
    key: 'POVERTY_LOAN_BALANCE',
    unit: 'YUAN',
    timing: 'STOCK',
    current: { value: '70000.00', numerator: '70000.00', denominator: null, nullReason: null },
    changeFromPrevious: { absolute: '-70000.00', relative: '-0.500000', relativeNullReason: null },
  });
  const again = await gql('regulator', `query { indicators(area: { code: "522326" }, asOf: "2020-06-30") { contentHash } }`);
  expect(again.data!.indicators.contentHash).toBe(answer.contentHash);
});

test('breakdown over GraphQL and the same breakdown as CSV carry the same content hash', async () => {
  const { data, errors } = await gql('regulator', BREAKDOWN, { area: { code: A } });
  expect(errors).toBeUndefined();
  const answer = data!.breakdown;
  expect(answer.rows).toEqual([
    {
      group: 'T-BANK',
      label: 'T-BANK（测试）',
      current: { date: M, value: '60000.00', numerator: '60000.00', denominator: null, nullReason: null },
      previous: { value: '120000.00' },
      changeFromPrevious: { absolute: '-60000.00', relative: '-0.500000' },
      freshness: { latestMonthEnd: M, latestReceivedAt: '2020-07-05T02:00:00.000Z' },
    },
    {
      group: 'T-OTHER',
      label: 'T-OTHER（测试）',
      current: { date: M, value: '10000.00', numerator: '10000.00', denominator: null, nullReason: null },
      previous: { value: '20000.00' },
      changeFromPrevious: { absolute: '-10000.00', relative: '-0.500000' },
      freshness: { latestMonthEnd: M, latestReceivedAt: '2020-07-05T02:00:00.000Z' },
    },
  ]);
  const file = await csv('regulator', `metric=POVERTY_LOAN_BALANCE&groupBy=INSTITUTION&area=${A}&asOf=2020-07-15`);
  expect(file.status).toBe(200);
  expect(file.type).toBe('text/csv; charset=utf-8');
  expect(file.hash).toBe(answer.contentHash);
  const lines = file.body.trimEnd().split('\r\n');
  expect(lines[0]).toBe(BREAKDOWN_CSV_COLUMNS.join(','));
  expect(lines[1]).toBe(
    [
      'POVERTY_LOAN_BALANCE', 'INSTITUTION', 'T-BANK', 'T-BANK（测试）', 'YUAN', M, '60000.00', '60000.00', '', '',
      '2019-06-30', '120000.00', '', '-60000.00', '-0.500000', '2019-12-31', '', 'NO_POSITIONS_FOR_MONTH', '', '',
      M, '2020-07-05T02:00:00.000Z', A, 'MARKET', answer.schemaVersion, answer.contentHash,
    ].join(','),
  );
  expect(lines).toHaveLength(3);
});

test('the export obeys the same scoping and suppression', async () => {
  // The analyst: T-OTHER's single household is suppressed, and T-BANK's cell with it.
  const analyst = await csv('analyst', `metric=POVERTY_LOAN_BALANCE&groupBy=INSTITUTION&area=${A}&asOf=${M}`);
  expect(analyst.status).toBe(200);
  const cells = analyst.body.trimEnd().split('\r\n').slice(1).map((line) => line.split(',').slice(2, 10));
  expect(cells).toEqual([
    ['T-BANK', 'T-BANK（测试）', 'YUAN', M, '', '', '', 'SUPPRESSED_SMALL_CELL'],
    ['T-OTHER', 'T-OTHER（测试）', 'YUAN', M, '', '', '', 'SUPPRESSED_SMALL_CELL'],
  ]);
  // The bank's own book.
  const own = await csv('bank', `metric=POVERTY_LOAN_BALANCE&groupBy=COUNTY&area=${A}&asOf=${M}&book=OWN_BOOK`);
  expect(own.body.split('\r\n')[1].split(',').slice(2, 7)).toEqual([A, '望谟县', 'YUAN', M, '60000.00']);
  // A county government may not export the nation.
  const outside = await csv('government', `metric=POVERTY_LOAN_BALANCE&groupBy=COUNTY&area=nation&asOf=${M}`);
  expect(outside.status).toBe(403);
  expect(JSON.parse(outside.body)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'FORBIDDEN' } }] });
});

test('the export refuses missing credentials and bad questions with the API’s codes', async () => {
  const anonymous = await csv(null, `metric=POVERTY_LOAN_BALANCE&groupBy=COUNTY&area=${A}&asOf=${M}`);
  expect(anonymous.status).toBe(401);
  expect(JSON.parse(anonymous.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const badKey = await fetch(`${baseUrl}/export/breakdown.csv?metric=POVERTY_LOAN_BALANCE`, { headers: { authorization: 'Bearer tpd_nope_nope' } });
  expect(badKey.status).toBe(401);
  const cases: Array<[string, string]> = [
    [`metric=NOPE&groupBy=COUNTY&area=${A}&asOf=${M}`, 'metric'],
    [`metric=POVERTY_LOAN_BALANCE&groupBy=COUNTY&area=${A}`, 'asOf'],
    [`metric=REGISTERED_HOUSEHOLDS&groupBy=PRODUCT&area=${A}&asOf=${M}`, 'groupBy'],
    [`metric=POVERTY_LOAN_BALANCE&groupBy=COUNTY&area=${A}&asOf=${M}&sql=1`, 'sql'],
  ];
  for (const [query, field] of cases) {
    const response = await csv('regulator', query);
    expect([response.status, JSON.parse(response.body).errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field }]);
  }
});

test('GraphQL refuses an area given two ways', async () => {
  const { errors } = await gql('regulator', `query { indicators(area: { code: "52", nation: true }, asOf: "2020-06-30") { asOf } }`);
  expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'area' });
});

test('the export CLI writes the same CSV, as the key’s principal', async () => {
  const run = promisify(execFile);
  const { stdout, stderr } = await run(
    process.execPath,
    ['-r', './scripts/register.js', 'src/cli/export.ts', '--metric', 'POVERTY_LOAN_BALANCE', '--group-by', 'INSTITUTION', '--area', A, '--as-of', '2020-07-15'],
    { env: { ...process.env, DATABASE_URL: db.url(), TRIPOD_API_KEY: tokens.regulator, NODE_ENV: 'test' }, cwd: process.cwd() },
  );
  const http = await csv('regulator', `metric=POVERTY_LOAN_BALANCE&groupBy=INSTITUTION&area=${A}&asOf=2020-07-15`);
  expect(stdout).toBe(http.body);
  expect(stderr).toContain(`sha256 ${http.hash}`);
}, 60_000);
