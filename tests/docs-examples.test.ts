/**
 * The example operations of docs/querying.md run as written against a freshly seeded
 * demo data set, over real HTTP: each without errors, and each finding data.
 */
import './api/reset-orm-metadata';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { loadConfig } from '../src/config';
import { createOrm } from '../src/db/orm';
import { createServer } from '../src/server';
import type { Principal } from '../src/services/access';
import { seedDemo } from '../src/services/demo';
import { useTestDatabase } from './helpers';

const PII_KEYS = `v1:${Buffer.alloc(32, 5).toString('base64')}`;
const MATCH_KEYS = `v1:${Buffer.alloc(32, 6).toString('base64')}`;
const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_MATCH_KEYS: MATCH_KEYS, LOG_LEVEL: 'silent' });
const regulator: Principal = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [] };

const db = useTestDatabase();
let baseUrl: string;

/** Every ```graphql block of the document, by operation name. */
function examples(): Map<string, string> {
  const text = readFileSync(join(__dirname, '..', 'docs', 'querying.md'), 'utf8');
  const blocks = [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  const byName = new Map<string, string>();
  for (const block of blocks) {
    const operations = parse(block).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    byName.set(operations[0].name?.value ?? '', block);
  }
  return byName;
}

beforeAll(async () => {
  await seedDemo(db.url(), { households: 800, seed: 20201231, piiKeys: PII_KEYS, matchKeys: MATCH_KEYS });
  const orm: MikroORM = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
  const app: FastifyInstance = await createServer({ orm, config, principalResolver: () => regulator });
  db.onTeardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 300_000);

async function run(query: string): Promise<Record<string, any>> {
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data ?? {};
}

test('docs/querying.md has the examples this test knows', () => {
  expect([...examples().keys()].sort()).toEqual(
    ['AsOfMid2020', 'BiggestBalances', 'CoverInACounty', 'FirstHouseholds', 'LastPage', 'LoanHistory', 'NextPage', 'OverdueInUncappedCounties', 'Oversight', 'PackagesOrOverdue'].sort(),
  );
});

test('every example runs on the demo data and finds something', async () => {
  const ops = examples();
  const data = async (name: string) => run(ops.get(name)!);

  const first = await data('FirstHouseholds');
  expect(first.county.households.edges.length).toBeGreaterThan(0);
  expect(first.county.households.totalCount).toBeGreaterThanOrEqual(first.county.households.edges.length);

  const next = await data('NextPage');
  expect(next.loans.nodes).toHaveLength(20);
  expect(next.loans.pageInfo.hasNextPage).toBe(true);
  const last = await data('LastPage');
  expect(last.loans.nodes).toHaveLength(10);

  const overdue = await data('OverdueInUncappedCounties');
  expect(overdue.loans.totalCount).toBeGreaterThan(0);
  for (const loan of overdue.loans.nodes) expect(loan.position.overdueDays).toBeGreaterThanOrEqual(1);
  const balances = overdue.loans.nodes.map((l: { position: { balance: string } }) => Number(l.position.balance));
  expect(balances).toEqual([...balances].sort((a, b) => b - a));

  expect((await data('PackagesOrOverdue')).loans.totalCount).toBeGreaterThan(0);
  expect((await data('BiggestBalances')).loans.nodes).toHaveLength(5);

  const asOf = await data('AsOfMid2020');
  expect(asOf.county.designations.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['UNCAPPED_2020', 'DEEPLY_IMPOVERISHED']));
  expect(asOf.county.households.nodes.length).toBeGreaterThan(0);
  for (const household of asOf.county.households.nodes) expect(household.statusEnd2019).toBe('REGISTERED_POOR');

  const history = await data('LoanHistory');
  expect(history.loans.nodes.length).toBeGreaterThan(0);
  for (const loan of history.loans.nodes) expect(loan.versions.nodes.length).toBeGreaterThanOrEqual(1);

  const cover = await data('CoverInACounty');
  expect(cover.county.policies.nodes.length).toBeGreaterThan(0);
  expect(cover.county.servicePoints.totalCount).toBeGreaterThan(0);

  const oversight = await data('Oversight');
  expect(oversight.institutions.nodes.length).toBeGreaterThan(0);
});
