/**
 * Query protection against PostgreSQL: the daily cost ledger (`usage_counter`), the
 * budget refusal through the Apollo plugin, `usageFor`, and persisted operations
 * (`persisted_operation`) in both modes.
 */
import { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { buildSchema, type GraphQLFormattedError } from 'graphql';
import { withClient } from '../src/db/admin';
import { createOrm } from '../src/db/orm';
import type { Principal } from '../src/services/access/principal';
import {
  chinaDay,
  CostLedger,
  defineLimitsConfig,
  limitsPlugin,
  nextChinaMidnight,
  operationHash,
  PersistedOperations,
  SlidingWindowRateLimiter,
  usageFor,
  type LimitsContext,
  type LimitsOverrides,
} from '../src/services/limits';
import { statementsDuring, useTestDatabase } from './helpers';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ url: db.url(), poolMax: 2 });
  db.onTeardown(() => orm.close(true));
});

const schema = buildSchema(/* GraphQL */ `
  type Query {
    households(first: Int): HouseholdConnection!
  }
  type HouseholdConnection {
    totalCount: Int!
    nodes: [Household!]!
  }
  type Household {
    ref: String!
  }
`);
const rootValue = { households: () => ({ totalCount: 7, nodes: [] }) };

async function counterRows(principalKey: string) {
  return withClient(db.url(), async (client) => {
    const result = await client.query<{ day: string; cost: string; requests: number }>(
      `select to_char(day, 'YYYY-MM-DD') as day, cost::text, requests from usage_counter where principal_key = $1 order by day`,
      [principalKey],
    );
    return result.rows;
  });
}

function bankContext(principalKey: string): LimitsContext {
  const principal: Principal = { institutionId: '1', institutionCode: 'B001', role: 'BANK', areaCodes: [] };
  return { principal, principalKey };
}

function singleResult(response: { body: { kind: string } }) {
  const body = response.body as { kind: 'single'; singleResult: { data?: unknown; errors?: readonly GraphQLFormattedError[] } };
  expect(body.kind).toBe('single');
  return body.singleResult;
}

describe('China calendar days', () => {
  test('the day turns at 16:00 UTC, which is midnight in China', () => {
    expect(chinaDay(new Date('2020-06-30T15:59:59.999Z'))).toBe('2020-06-30');
    expect(chinaDay(new Date('2020-06-30T16:00:00.000Z'))).toBe('2020-07-01');
    expect(nextChinaMidnight(new Date('2020-06-30T15:59:59.999Z'))).toEqual(new Date('2020-06-30T16:00:00.000Z'));
    expect(nextChinaMidnight(new Date('2020-06-30T16:00:00.000Z'))).toEqual(new Date('2020-07-01T16:00:00.000Z'));
  });
});

describe('CostLedger', () => {
  test('charges accumulate per principal and China day in one row', async () => {
    let now = new Date('2020-06-30T10:00:00Z');
    const ledger = new CostLedger(orm.em, () => now);

    expect(await ledger.today('key:ledger')).toEqual({ day: '2020-06-30', cost: 0, requests: 0 });
    expect(await ledger.charge('key:ledger', 120)).toBe(120);
    expect(await ledger.charge('key:ledger', 30)).toBe(150);
    expect(await ledger.charge('key:other', 5)).toBe(5);
    expect(await ledger.today('key:ledger')).toEqual({ day: '2020-06-30', cost: 150, requests: 2 });
    expect(await ledger.remaining('key:ledger', 1000)).toBe(850);
    expect(await ledger.remaining('key:ledger', 100)).toBe(0);

    now = new Date('2020-06-30T16:00:00Z');
    expect(await ledger.charge('key:ledger', 1)).toBe(1);
    expect(await counterRows('key:ledger')).toEqual([
      { day: '2020-06-30', cost: '150', requests: 2 },
      { day: '2020-07-01', cost: '1', requests: 1 },
    ]);
  });

  test('concurrent charges lose nothing', async () => {
    const ledger = new CostLedger(orm.em, () => new Date('2020-05-01T00:00:00Z'));
    await Promise.all(Array.from({ length: 20 }, () => ledger.charge('key:concurrent', 10)));
    expect(await ledger.today('key:concurrent')).toEqual({ day: '2020-05-01', cost: 200, requests: 20 });
  });

  test('concurrent admissions of one principal never exceed the budget and are admitted in arrival order', async () => {
    const ledger = new CostLedger(orm.em, () => new Date('2020-05-02T00:00:00Z'));
    // 30 admissions of 10 against a budget of 205: the first 20 fit, whatever the
    // batching; the 21st and later do not, and each is refused on its own.
    const results = await Promise.all(Array.from({ length: 30 }, () => ledger.admit('key:admit', 10, 205)));
    expect(results.map((r) => r.charged)).toEqual([...Array(20).fill(true), ...Array(10).fill(false)]);
    expect(results.slice(20).every((r) => r.cost === 200)).toBe(true);
    expect(await counterRows('key:admit')).toEqual([{ day: '2020-05-02', cost: '200', requests: 20 }]);
    // A cheaper one still fits exactly; then nothing does.
    expect(await ledger.admit('key:admit', 5, 205)).toEqual({ charged: true, cost: 205 });
    expect(await ledger.admit('key:admit', 1, 205)).toEqual({ charged: false, cost: 205 });
    expect(await counterRows('key:admit')).toEqual([{ day: '2020-05-02', cost: '205', requests: 21 }]);
  });

  test('concurrent admissions of one principal are charged together when they fit', async () => {
    const ledger = new CostLedger(orm.em, () => new Date('2020-05-03T00:00:00Z'));
    const statements = await statementsDuring(async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => ledger.admit('key:together', 7, 1_000_000)));
      expect(results.every((r) => r.charged)).toBe(true);
    });
    expect(await counterRows('key:together')).toEqual([{ day: '2020-05-03', cost: '350', requests: 50 }]);
    // The first is charged alone at once; the 49 that arrived meanwhile, together.
    expect(statements.filter((t) => t.includes('usage_counter'))).toHaveLength(2);
  });

  test('refuses a cost that is not a non-negative integer', async () => {
    const ledger = new CostLedger(orm.em);
    await expect(ledger.charge('key:bad', -1)).rejects.toThrow('Invalid cost -1: expected a non-negative integer');
    await expect(ledger.charge('key:bad', 1.5)).rejects.toThrow(RangeError);
  });
});

describe('daily budget through the plugin', () => {
  function server(limits: LimitsOverrides, now: () => Date) {
    const ledger = new CostLedger(orm.em, now);
    const rateLimiter = new SlidingWindowRateLimiter(() => now().getTime());
    const apollo = new ApolloServer<LimitsContext>({
      schema,
      rootValue,
      plugins: [limitsPlugin({ limits: defineLimitsConfig(limits), rateLimiter, ledger, now })],
    });
    return { apollo, ledger, rateLimiter, config: defineLimitsConfig(limits) };
  }

  test('each request is charged its estimated cost until the budget is spent, then refused before execution', async () => {
    const now = () => new Date('2020-06-30T12:00:00Z');
    // households(first: 10) { nodes { ref } } costs 1 + 10 × (1 + 1) = 21.
    const query = '{ households(first: 10) { nodes { ref } } }';
    const { apollo } = server({ default: { dailyCostBudget: 50 } }, now);
    const context = bankContext('key:budget');

    expect(singleResult(await apollo.executeOperation({ query }, { contextValue: context }))).toEqual({
      data: { households: { nodes: [] } },
    });
    expect(singleResult(await apollo.executeOperation({ query }, { contextValue: context })).errors).toBeUndefined();
    expect(await counterRows('key:budget')).toEqual([{ day: '2020-06-30', cost: '42', requests: 2 }]);

    const refused = await apollo.executeOperation({ query }, { contextValue: context });
    expect(refused.http.status).toBe(429);
    // 12:00 UTC is 20:00 in China: four hours to midnight.
    expect(refused.http.headers.get('retry-after')).toBe('14400');
    expect(singleResult(refused)).toEqual({
      errors: [
        {
          message: 'Daily cost budget of 50 exhausted: this request costs 21 and 8 remain until 2020-06-30T16:00:00.000Z',
          extensions: { code: 'RATE_LIMITED', limit: 'dailyCostBudget', max: 50, retryAfterSeconds: 14400 },
        },
      ],
    });
    // The refused request was not charged; a cheaper one still fits.
    expect(await counterRows('key:budget')).toEqual([{ day: '2020-06-30', cost: '42', requests: 2 }]);
    const cheap = await apollo.executeOperation({ query: '{ households(first: 3) { totalCount } }' }, { contextValue: context });
    expect(singleResult(cheap)).toEqual({ data: { households: { totalCount: 7 } } });
    expect(await counterRows('key:budget')).toEqual([{ day: '2020-06-30', cost: '46', requests: 3 }]);
  });

  test('a request refused by a limit is not charged', async () => {
    const { apollo } = server({ default: { maxCost: 10 } }, () => new Date('2020-06-30T12:00:00Z'));
    const response = await apollo.executeOperation(
      { query: '{ households(first: 10) { nodes { ref } } }' },
      { contextValue: bankContext('key:refused') },
    );
    expect(singleResult(response).errors?.[0]?.message).toBe('Query cost 21 exceeds the limit of 10');
    expect(await counterRows('key:refused')).toEqual([]);
  });

  test('usageFor reports the window and the budget without counting a request', async () => {
    const at = new Date('2020-06-30T12:00:00Z');
    const { apollo, ledger, rateLimiter, config } = server({ default: { rateLimitPerMinute: 10, dailyCostBudget: 1000 } }, () => at);
    const context = bankContext('key:usage');
    await apollo.executeOperation({ query: '{ households(first: 10) { nodes { ref } } }' }, { contextValue: context });

    const usage = await usageFor(context, { limits: config, rateLimiter, ledger }, at);
    expect(usage).toEqual({
      rateLimitPerMinute: 10,
      remainingThisMinute: 9,
      dailyCostBudget: 1000,
      costUsedToday: 21,
      remainingCostToday: 979,
      resetsAt: new Date('2020-06-30T16:00:00Z'),
    });
    expect(await usageFor(context, { limits: config, rateLimiter, ledger }, at)).toEqual(usage);
  });
});

describe('PersistedOperations', () => {
  const document = 'query Count { households { totalCount } } # who? how many?';

  test('registers a document under the SHA-256 of its exact text, idempotently', async () => {
    const store = new PersistedOperations(orm.em);
    const sha256 = operationHash(document);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);

    expect(await store.register(document)).toEqual({ sha256, name: 'Count', created: true });
    expect(await store.register(document, 'another name')).toEqual({ sha256, name: 'Count', created: false });
    expect(await store.find(sha256)).toBe(document);
    expect(await store.find(sha256.toUpperCase())).toBe(document);
    expect(await store.isRegistered(document)).toBe(true);
    expect(await store.isRegistered(`${document} `)).toBe(false);
    expect(await store.find('not-a-hash')).toBeUndefined();
  });

  test('refuses documents that do not parse or do not validate against the schema', async () => {
    const store = new PersistedOperations(orm.em);
    await expect(store.register('{ households {')).rejects.toMatchObject({
      message: 'Operation not registered: Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await expect(store.register('{ loans { id } }', 'Loans', { schema })).rejects.toMatchObject({
      message: 'Operation not registered: Cannot query field "loans" on type "Query".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  test('a removed operation is gone from this process at once', async () => {
    const store = new PersistedOperations(orm.em);
    const { sha256 } = await store.register('query Gone { households { totalCount } }');
    expect(await store.find(sha256)).toBeDefined();
    expect(await store.remove(sha256)).toBe(true);
    expect(await store.find(sha256)).toBeUndefined();
    expect(await store.remove(sha256)).toBe(false);
  });
});

describe('persisted operations through the plugin', () => {
  const registered = 'query Registered { households { totalCount } }';
  const unregistered = 'query Other { households(first: 1) { totalCount } }';
  let store: PersistedOperations;

  beforeAll(async () => {
    store = new PersistedOperations(orm.em);
    await store.register(registered);
  });

  function server(persistedOnly: boolean) {
    return new ApolloServer<LimitsContext>({
      schema,
      rootValue,
      plugins: [
        limitsPlugin({ limits: defineLimitsConfig(), rateLimiter: new SlidingWindowRateLimiter(), persisted: store, persistedOnly }),
      ],
    });
  }
  const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
  const context = bankContext('key:persisted');

  test('allow-list mode runs a registered operation sent by hash or by text', async () => {
    const apollo = server(true);
    const byHash = await apollo.executeOperation({ extensions: apq(operationHash(registered)) }, { contextValue: context });
    expect(singleResult(byHash)).toEqual({ data: { households: { totalCount: 7 } } });
    const byText = await apollo.executeOperation({ query: registered }, { contextValue: context });
    expect(singleResult(byText)).toEqual({ data: { households: { totalCount: 7 } } });
    const both = await apollo.executeOperation(
      { query: registered, extensions: apq(operationHash(registered)) },
      { contextValue: context },
    );
    expect(singleResult(both)).toEqual({ data: { households: { totalCount: 7 } } });
  });

  test('allow-list mode refuses anything else with FORBIDDEN', async () => {
    const apollo = server(true);
    const byText = await apollo.executeOperation({ query: unregistered }, { contextValue: context });
    expect(byText.http.status).toBe(403);
    expect(singleResult(byText)).toEqual({
      errors: [
        {
          message: `Operation ${operationHash(unregistered)} is not registered; this hub accepts registered operations only (send the sha256Hash of a registered operation)`,
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });

    const unknownHash = 'a'.repeat(64);
    const byHash = await apollo.executeOperation({ extensions: apq(unknownHash) }, { contextValue: context });
    expect(singleResult(byHash)).toEqual({
      errors: [
        {
          message: `Operation ${unknownHash} is not registered; this hub accepts registered operations only`,
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });

    // A registered hash cannot vouch for another text.
    const mismatch = await apollo.executeOperation(
      { query: unregistered, extensions: apq(operationHash(registered)) },
      { contextValue: context },
    );
    expect(singleResult(mismatch).errors).toEqual([
      {
        message: 'extensions.persistedQuery.sha256Hash does not match the SHA-256 of the query',
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
  });

  test('outside allow-list mode any query runs and registered hashes still resolve', async () => {
    const apollo = server(false);
    expect(singleResult(await apollo.executeOperation({ query: unregistered }, { contextValue: context }))).toEqual({
      data: { households: { totalCount: 7 } },
    });
    const byHash = await apollo.executeOperation({ extensions: apq(operationHash(registered)) }, { contextValue: context });
    expect(singleResult(byHash)).toEqual({ data: { households: { totalCount: 7 } } });
    // An unknown hash is left to Apollo's own automatic persisted queries.
    const unknown = await apollo.executeOperation({ extensions: apq('b'.repeat(64)) }, { contextValue: context });
    expect(singleResult(unknown).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
