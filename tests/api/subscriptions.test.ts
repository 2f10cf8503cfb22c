/**
 * The live feeds over a real WebSocket (`graphql-ws` client + `ws`) against a server on
 * an ephemeral port that authenticates for real (API keys issued here): who may connect,
 * who receives which event (`changes`, `alerts`), replay after a disconnect (exactly the
 * missed events), cursors that are malformed or expired, and commits racing a replay.
 *
 * Isolation is asserted with sentinels rather than sleeps: events arrive in feed order,
 * so once a subscriber has received an event committed after another one, the earlier
 * one would already have arrived had it been visible.
 */
import './reset-orm-metadata';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { createClient, type Client as WsClient, type ExecutionResult } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config';
import { createOrm } from '../../src/db/orm';
import { createServer } from '../../src/server';
import { issueApiKey, revokeApiKey } from '../../src/services/auth';
import { encodeFeedCursor, pruneChangeFeed, recordChanges } from '../../src/services/changes';
import { syntheticNationalId } from '../../src/services/identity';
import { DEFAULT_LIMITS_CONFIG } from '../../src/services/limits';
import { useTestDatabase } from '../helpers';

const db = useTestDatabase();

const PII_KEYS = `v1:${Buffer.alloc(32, 11).toString('base64')}`;
const MATCH_KEYS = `v1:${Buffer.alloc(32, 13).toString('base64')}`;
const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_MATCH_KEYS: MATCH_KEYS, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** 望谟县 and 晴隆县 (Guizhou), with a village each; 融水县 (Guangxi), in the Guangxi regulator's scope. */
const COUNTY = '522326';
const VILLAGE = '522326101201';
const OTHER_COUNTY = '522324';
const OTHER_VILLAGE = '522324001001';
const GUANGXI_COUNTY = '450225';

const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
const keyIds: Record<string, string> = {};

let orm: MikroORM;
let app: FastifyInstance;
let sqlClient: Client;
let httpUrl = '';
let wsUrl = '';
let nationalIdSeq = 100;

async function sql<R extends Record<string, any> = Record<string, any>>(text: string, values: unknown[] = []): Promise<R[]> {
  return (await sqlClient.query<R>(text, values)).rows;
}

async function insert(table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const [{ id }] = await sql<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text AS id`,
    Object.values(row),
  );
  return id;
}

beforeAll(async () => {
  sqlClient = new Client({ connectionString: db.url() });
  await sqlClient.connect();
  db.onTeardown(() => sqlClient.end());

  const institution = (code: string, name: string, kind: string, homeArea: string) => insert('institution', { code, name, kind, home_area_code: homeArea });
  ids.bank = await institution('T-FEED-BANK', '望谟农村商业银行', 'BANK', COUNTY);
  ids.otherBank = await institution('T-FEED-BANK-2', '晴隆县村镇银行', 'BANK', OTHER_COUNTY);
  ids.regulator = await institution('T-FEED-REG', '广西银保监局', 'REGULATOR', '45');
  ids.rule = await insert('alert_rule', { code: 'T-FEED-RULE', kind: 'MATURITY_PEAK', name: '到期高峰' });

  const issue = async (name: string, institutionCode: string, role: string, areaCodes: string[] = []) => {
    const issued = await issueApiKey(sqlClient, { institutionCode, role: role as never, areaCodes, createdBy: 'test' });
    tokens[name] = issued.token;
    keyIds[name] = issued.keyId;
  };
  await issue('bank', 'T-FEED-BANK', 'BANK');
  await issue('otherBank', 'T-FEED-BANK-2', 'BANK');
  await issue('revocable', 'T-FEED-BANK', 'BANK');
  await issue('budget', 'T-FEED-BANK', 'BANK');
  await issue('guangxiRegulator', 'T-FEED-REG', 'REGULATOR', ['45']);

  orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
  app = await createServer({ orm, config });
  db.onTeardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  httpUrl = `http://127.0.0.1:${port}/graphql`;
  wsUrl = `ws://127.0.0.1:${port}/graphql`;
});

// ---------------------------------------------------------------------------------------
// Helpers: HTTP calls, feed writes, WebSocket subscriptions.

async function gql(who: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const UPSERT = /* GraphQL */ `
  mutation Upsert($input: UpsertLoansInput!) { upsertLoans(input: $input) { committed items { status id } } }
`;

/** A bank reports one micro-credit loan to a household new to the hub; returns the loan's global id. */
async function reportLoan(who: 'bank' | 'otherBank', ref: string, headName?: string): Promise<string> {
  const [county, village] = who === 'bank' ? [COUNTY, VILLAGE] : [OTHER_COUNTY, OTHER_VILLAGE];
  const headIdNumber = syntheticNationalId('52', '1982-03-04', nationalIdSeq++);
  const data = await gql(who, UPSERT, {
    input: {
      batchId: `feed-${ref}`,
      items: [
        {
          ref,
          countyCode: county,
          product: 'POVERTY_MICROCREDIT',
          borrower: { household: { headIdNumber, villageCode: village, ...(headName === undefined ? {} : { headName }) } },
          principal: '30000',
          disbursedOn: '2020-03-15',
          maturesOn: '2023-03-14',
          annualRate: '0.0435',
          subsidyRate: '0.0435',
          guaranteeMode: 'CREDIT',
          paidToAccount: 'HOUSEHOLD',
        },
      ],
    },
  });
  expect(data.upsertLoans.committed).toBe(true);
  expect(data.upsertLoans.items[0].status).toBe('CREATED');
  return data.upsertLoans.items[0].id;
}

interface AlertSpec {
  institution: string | null;
  county: string;
  severity?: string;
}

/** Raises alerts as the early-warning evaluator does: the rows and their feed events in one transaction. */
async function raiseAlerts(specs: readonly AlertSpec[]): Promise<string[]> {
  const client = new Client({ connectionString: db.url() });
  await client.connect();
  try {
    await client.query('BEGIN');
    const alertIds: string[] = [];
    for (const spec of specs) {
      const result = await client.query<{ id: string }>(
        `INSERT INTO alert (rule_id, rule_version, fingerprint, subject_type, subject_id, county_code, institution_id, severity, status, message)
         VALUES ($1, 1, $2, 'COUNTY', $3, $3, $4, $5, 'OPEN', '到期高峰') RETURNING id::text AS id`,
        [ids.rule, `t:${Math.random().toString(36).slice(2)}`, spec.county, spec.institution, spec.severity ?? 'HIGH'],
      );
      alertIds.push(result.rows[0].id);
    }
    await recordChanges(client, alertIds.map((recordId) => ({ recordType: 'Alert', recordId, action: 'OPEN' })), { institutionId: null, batchRowId: null });
    await client.query('COMMIT');
    return alertIds;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

const alertGid = (id: string) => Buffer.from(`Alert:${id}`, 'utf8').toString('base64url');

/** The cursor of the feed's current tail: subscribing after it delivers exactly what commits from now. */
async function tailCursor(): Promise<string> {
  return encodeFeedCursor(await tailId());
}

async function tailId(): Promise<string> {
  const [{ tail }] = await sql<{ tail: string }>('SELECT coalesce(max(id), 0)::text AS tail FROM change_event');
  return tail;
}

function connect(who: string | null, params?: Record<string, unknown>): WsClient {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: params ?? (who === null ? {} : { authorization: `Bearer ${tokens[who]}` }),
  });
  openClients.add(client);
  return client;
}

const openClients = new Set<WsClient>();
afterEach(async () => {
  await Promise.all([...openClients].map((client) => client.dispose()));
  openClients.clear();
});

/** A running subscription and everything it has received. */
interface Feed<T> {
  items: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `predicate` holds over the items (or errors/completion); fails after a timeout. */
  until(predicate: (feed: Feed<T>) => boolean, what: string): Promise<void>;
  stop(): void;
}

function subscribe<T = Record<string, any>>(client: WsClient, query: string, variables: Record<string, unknown> = {}): Feed<T> {
  const checks = new Set<() => void>();
  const poke = () => checks.forEach((check) => check());
  const feed: Feed<T> = {
    items: [],
    errors: [],
    completed: false,
    until(predicate, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(feed)) {
            clearTimeout(timer);
            checks.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          checks.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify({ items: feed.items, errors: feed.errors, completed: feed.completed })}`));
        }, 15_000);
        checks.add(check);
        check();
      });
    },
    stop: () => undefined,
  };
  feed.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result: ExecutionResult<T>) => {
        if (result.errors) feed.errors.push(...result.errors);
        else feed.items.push(result.data as T);
        poke();
      },
      error: (error) => {
        feed.errors.push(...(Array.isArray(error) ? error : [error]));
        poke();
      },
      complete: () => {
        feed.completed = true;
        poke();
      },
    },
  );
  return feed;
}

const CHANGES = /* GraphQL */ `
  subscription Changes($after: String, $types: [String!]) {
    changes(after: $after, types: $types) {
      cursor recordType action id
      record { __typename id ... on Loan { ref principal } ... on Alert { severity status } }
    }
  }
`;

const ALERTS = /* GraphQL */ `
  subscription Alerts($filter: AlertFilter, $after: String) {
    alerts(filter: $filter, after: $after) { id severity status county { code } institution { code } }
  }
`;

type ChangeItem = { changes: { cursor: string; recordType: string; action: string; id: string; record: Record<string, unknown> } };
type AlertItem = { alerts: { id: string; severity: string; status: string; county: { code: string } | null; institution: { code: string } | null } };

const has = (id: string) => (feed: Feed<ChangeItem>) => feed.items.some((item) => item.changes.id === id);
const recordIds = (feed: Feed<ChangeItem>) => feed.items.map((item) => item.changes.id);

/** Closes with the code the server sends when it refuses `connection_init`. */
function closeCodeOf(params: Record<string, unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: params })));
    socket.on('message', (data) => reject(new Error(`unexpected message ${String(data)}`)));
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------

describe('connecting', () => {
  test('without credentials, or with a key that is not valid, the socket is closed with 4401', async () => {
    expect(await closeCodeOf({})).toBe(4401);
    expect(await closeCodeOf({ authorization: 'Bearer tpd_0123456789AB_' + 'x'.repeat(43) })).toBe(4401);
    expect(await closeCodeOf({ authorization: 'Basic abc' })).toBe(4401);
  });

  test('an API key in connectionParams (either header name) is accepted', async () => {
    const first = subscribe<ChangeItem>(connect(null, { 'X-Api-Key': tokens.bank }), CHANGES, { after: await tailCursor() });
    const loan = await reportLoan('bank', 'L-KEY-HEADER');
    await first.until(has(loan), 'the loan over an x-api-key connection');
  });

  test('a subscription sent over HTTP is refused with BAD_USER_INPUT', async () => {
    const response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.bank}` },
      body: JSON.stringify({ query: 'subscription { changes { cursor } }' }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body).toEqual({
      data: null,
      errors: [{ message: 'Subscriptions are served over WebSocket (graphql-transport-ws) on the same path, not over HTTP', locations: expect.any(Array), path: ['changes'], extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  test('one connection holds at most 20 subscriptions at once', async () => {
    const client = connect('bank');
    const after = await tailCursor();
    const feeds = Array.from({ length: 21 }, () => subscribe<ChangeItem>(client, CHANGES, { after }));
    await feeds[20].until((f) => f.errors.length > 0, 'the refusal of the 21st');
    expect(feeds[20].errors).toEqual([
      expect.objectContaining({ message: 'A connection holds at most 20 subscriptions at once', extensions: { code: 'RATE_LIMITED', limit: 'maxSubscriptionsPerConnection', max: 20, actual: 21 } }),
    ]);
    const loan = await reportLoan('bank', 'L-TWENTY');
    await Promise.all(feeds.slice(0, 20).map((feed) => feed.until(has(loan), 'the loan on every admitted subscription')));
  });

  test('queries and mutations are refused over WebSocket: they go over HTTP', async () => {
    const feed = subscribe(connect('bank'), '{ __typename }');
    await feed.until((f) => f.errors.length > 0, 'the refusal');
    expect(feed.errors).toEqual([expect.objectContaining({ message: 'Only subscriptions are served over WebSocket; send queries over HTTP (POST /graphql)', extensions: { code: 'BAD_USER_INPUT' } })]);
  });
});

describe('changes: each subscriber receives only what it may read', () => {
  test('a bank receives events for its own loans and not a competitor’s; a regulator out of scope receives none', async () => {
    const after = await tailCursor();
    const bank = subscribe<ChangeItem>(connect('bank'), CHANGES, { after });
    const otherBank = subscribe<ChangeItem>(connect('otherBank'), CHANGES, { after });
    const regulator = subscribe<ChangeItem>(connect('guangxiRegulator'), CHANGES, { after });

    const own = await reportLoan('bank', 'L-OWN-1');
    const competitors = await reportLoan('otherBank', 'L-COMP-1');
    const ownLater = await reportLoan('bank', 'L-OWN-2');
    const [guangxiAlert] = await raiseAlerts([{ institution: null, county: GUANGXI_COUNTY }]);

    await bank.until(has(ownLater), 'the bank’s second loan');
    await otherBank.until(has(competitors), 'the competitor’s loan');
    await regulator.until(has(alertGid(guangxiAlert)), 'the Guangxi alert');
    // Feed order: the competitor's loan was committed before the bank's second one.
    expect(bank.items).toEqual([
      { changes: { cursor: expect.any(String), recordType: 'Loan', action: 'CREATED', id: own, record: { __typename: 'Loan', id: own, ref: 'L-OWN-1', principal: '30000.00' } } },
      { changes: { cursor: expect.any(String), recordType: 'Loan', action: 'CREATED', id: ownLater, record: { __typename: 'Loan', id: ownLater, ref: 'L-OWN-2', principal: '30000.00' } } },
    ]);
    expect(recordIds(regulator)).toEqual([alertGid(guangxiAlert)]);
    expect(bank.errors).toEqual([]);

    // The competitor sees only its own loan, even after the bank's later one.
    const [sentinel] = await raiseAlerts([{ institution: ids.otherBank, county: OTHER_COUNTY }]);
    await otherBank.until(has(alertGid(sentinel)), 'the competitor’s alert');
    expect(recordIds(otherBank)).toEqual([competitors, alertGid(sentinel)]);
  });

  test('types narrows the feed; an unknown type is BAD_USER_INPUT', async () => {
    const after = await tailCursor();
    const alertsOnly = subscribe<ChangeItem>(connect('bank'), CHANGES, { after, types: ['Alert'] });
    await reportLoan('bank', 'L-TYPES-1');
    const [alert] = await raiseAlerts([{ institution: ids.bank, county: COUNTY }]);
    await alertsOnly.until(has(alertGid(alert)), 'the alert');
    expect(recordIds(alertsOnly)).toEqual([alertGid(alert)]);

    const bad = subscribe(connect('bank'), CHANGES, { types: ['LoanTypo'] });
    await bad.until((f) => f.errors.length > 0, 'the refusal');
    expect(bad.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'types[0]' } })]);
  });
});

describe('alerts', () => {
  test('a bank receives its own alert and not a competitor’s; filters apply; a regulator out of scope receives none', async () => {
    const after = await tailCursor();
    const bank = subscribe<AlertItem>(connect('bank'), ALERTS, { after });
    const bankCritical = subscribe<AlertItem>(connect('bank'), ALERTS, { after, filter: { severity_in: ['CRITICAL'] } });
    const otherBank = subscribe<AlertItem>(connect('otherBank'), ALERTS, { after });
    const regulator = subscribe<AlertItem>(connect('guangxiRegulator'), ALERTS, { after });

    const [competitors] = await raiseAlerts([{ institution: ids.otherBank, county: OTHER_COUNTY }]);
    const [own, ownCritical] = await raiseAlerts([
      { institution: ids.bank, county: COUNTY },
      { institution: ids.bank, county: COUNTY, severity: 'CRITICAL' },
    ]);
    const [otherLater] = await raiseAlerts([{ institution: ids.otherBank, county: OTHER_COUNTY }]);
    const [guangxi] = await raiseAlerts([{ institution: null, county: GUANGXI_COUNTY }]);

    const got = (feed: Feed<AlertItem>) => feed.items.map((item) => item.alerts.id);
    await bank.until((f) => got(f).includes(alertGid(ownCritical)), 'the bank’s alerts');
    await bankCritical.until((f) => got(f).includes(alertGid(ownCritical)), 'the critical alert');
    await otherBank.until((f) => got(f).includes(alertGid(otherLater)), 'the competitor’s alerts');
    await regulator.until((f) => got(f).includes(alertGid(guangxi)), 'the Guangxi alert');

    expect(bank.items).toEqual([
      { alerts: { id: alertGid(own), severity: 'HIGH', status: 'OPEN', county: { code: COUNTY }, institution: { code: 'T-FEED-BANK' } } },
      { alerts: { id: alertGid(ownCritical), severity: 'CRITICAL', status: 'OPEN', county: { code: COUNTY }, institution: { code: 'T-FEED-BANK' } } },
    ]);
    expect(got(bankCritical)).toEqual([alertGid(ownCritical)]);
    expect(got(otherBank)).toEqual([alertGid(competitors), alertGid(otherLater)]);
    expect(got(regulator)).toEqual([alertGid(guangxi)]);
  });

  test('an invalid filter is BAD_USER_INPUT', async () => {
    const bad = subscribe(connect('bank'), ALERTS, { filter: { area: '52a' } });
    await bad.until((f) => f.errors.length > 0, 'the refusal');
    expect(bad.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.area' } })]);
  });
});

describe('replay', () => {
  test('after a disconnect, resuming from the last cursor returns exactly the missed events, then live ones', async () => {
    const start = await tailCursor();
    const client = connect('bank');
    const first = subscribe<ChangeItem>(client, CHANGES, { after: start });
    const e1 = await reportLoan('bank', 'L-REPLAY-1');
    const e2 = await reportLoan('bank', 'L-REPLAY-2');
    await first.until(has(e2), 'the first two events');
    expect(recordIds(first)).toEqual([e1, e2]);
    const lastCursor = first.items[1].changes.cursor;
    await client.dispose();

    // Committed while disconnected, a competitor's among them.
    const e3 = await reportLoan('bank', 'L-REPLAY-3');
    await reportLoan('otherBank', 'L-REPLAY-COMP');
    const [e4] = await raiseAlerts([{ institution: ids.bank, county: COUNTY }]);

    const resumed = subscribe<ChangeItem>(connect('bank'), CHANGES, { after: lastCursor });
    await resumed.until(has(alertGid(e4)), 'the missed events');
    const e5 = await reportLoan('bank', 'L-REPLAY-5');
    await resumed.until(has(e5), 'the live event');
    expect(recordIds(resumed)).toEqual([e3, alertGid(e4), e5]);

    // The same cursor replays the same events again: the feed is a log, not a queue.
    const again = subscribe<ChangeItem>(connect('bank'), CHANGES, { after: lastCursor });
    await again.until(has(e5), 'the replay');
    expect(again.items).toEqual(resumed.items);
  });

  test('commits racing a replay are delivered once each, in feed order', async () => {
    const startId = await tailId();
    const start = encodeFeedCursor(startId);
    // More than three pages of history before subscribing …
    const before: string[] = [];
    for (let batch = 0; batch < 3; batch++) {
      before.push(...(await raiseAlerts(Array.from({ length: 150 }, () => ({ institution: ids.bank, county: COUNTY })))));
    }
    const feed = subscribe<ChangeItem>(connect('bank'), CHANGES, { after: start, types: ['Alert'] });
    // … and concurrent transactions committing while it is replayed, a competitor's among them.
    const during = await Promise.all(
      Array.from({ length: 6 }, (_, i) => raiseAlerts(Array.from({ length: 20 }, () => ({ institution: i === 2 ? ids.otherBank : ids.bank, county: COUNTY })))),
    );
    const [last] = await raiseAlerts([{ institution: ids.bank, county: COUNTY }]);
    await feed.until(has(alertGid(last)), 'the last alert');

    const [{ expected }] = await sql<{ expected: string[] }>(
      `SELECT array_agg(a.id::text ORDER BY e.id) AS expected FROM change_event e JOIN alert a ON a.id = e.record_id
        WHERE e.record_type = 'Alert' AND e.id > $1 AND a.institution_id = $2`,
      [startId, ids.bank],
    );
    expect(expected.length).toBe(450 + 5 * 20 + 1);
    const competitors = new Set(during[2].map(alertGid));
    expect(recordIds(feed).filter((id) => competitors.has(id))).toEqual([]);
    expect(recordIds(feed)).toEqual(expected.map(alertGid));
    expect(before.every((id) => expected.includes(id))).toBe(true);
  });
});

describe('cursors and retention', () => {
  test('a malformed cursor, or one this feed never issued, is BAD_USER_INPUT', async () => {
    for (const after of ['not-a-cursor', encodeFeedCursor('99999999999'), Buffer.from('loan:1').toString('base64url')]) {
      const feed = subscribe(connect('bank'), CHANGES, { after });
      await feed.until((f) => f.errors.length > 0, `the refusal of ${after}`);
      expect(feed.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) })]);
      expect(feed.items).toEqual([]);
    }
  });

  test('a cursor older than the pruned part of the feed is refused as CURSOR_EXPIRED; one at the watermark misses nothing', async () => {
    const oldCursor = await tailCursor();
    await reportLoan('bank', 'L-PRUNED');
    const [{ tail }] = await sql<{ tail: string }>('SELECT max(id)::text AS tail FROM change_event');
    await sql('UPDATE change_event SET occurred_at = now() - interval \'40 days\' WHERE id <= $1', [tail]);
    const pruned = await pruneChangeFeed(orm.em, new Date(Date.now() - 35 * 86_400_000));
    expect(pruned).toEqual({ deleted: expect.any(Number), watermark: tail });
    expect(pruned.deleted).toBeGreaterThan(0);
    expect(await sql('SELECT id FROM change_event WHERE id <= $1', [tail])).toEqual([]);
    // Repeating changes nothing.
    expect(await pruneChangeFeed(orm.em, new Date(Date.now() - 35 * 86_400_000))).toEqual({ deleted: 0, watermark: tail });

    const expired = subscribe(connect('bank'), CHANGES, { after: oldCursor });
    await expired.until((f) => f.errors.length > 0, 'the refusal');
    expect(expired.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after', reason: 'CURSOR_EXPIRED' } })]);

    const atWatermark = subscribe<ChangeItem>(connect('bank'), CHANGES, { after: encodeFeedCursor(tail) });
    const next = await reportLoan('bank', 'L-AFTER-PRUNE');
    await atWatermark.until(has(next), 'the next loan');
    expect(recordIds(atWatermark)).toEqual([next]);
  });
});

describe('scoping at delivery time', () => {
  test('visibility is the subscriber’s at delivery, not at commit: an alert reassigned since is replayed to its new institution only', async () => {
    const after = await tailCursor();
    const [moved] = await raiseAlerts([{ institution: ids.bank, county: COUNTY }]);
    await sql('UPDATE alert SET institution_id = $1, county_code = $2 WHERE id = $3', [ids.otherBank, OTHER_COUNTY, moved]);
    const [sentinel] = await raiseAlerts([{ institution: ids.bank, county: COUNTY }]);

    const bank = subscribe<ChangeItem>(connect('bank'), CHANGES, { after });
    const otherBank = subscribe<ChangeItem>(connect('otherBank'), CHANGES, { after, types: ['Alert'] });
    await bank.until(has(alertGid(sentinel)), 'the bank’s later alert');
    await otherBank.until(has(alertGid(moved)), 'the reassigned alert');
    expect(recordIds(bank)).toEqual([alertGid(sentinel)]);
    expect(recordIds(otherBank)).toEqual([alertGid(moved)]);
  });

  test('a key revoked while subscribed ends the subscription with UNAUTHENTICATED before anything more is sent', async () => {
    const feed = subscribe<ChangeItem>(connect('revocable'), CHANGES, { after: await tailCursor() });
    const before = await reportLoan('bank', 'L-BEFORE-REVOKE');
    await feed.until(has(before), 'the loan before revocation');
    await revokeApiKey(sqlClient, keyIds.revocable);
    await reportLoan('bank', 'L-AFTER-REVOKE');
    await feed.until((f) => f.errors.length > 0, 'the end of the subscription');
    expect(recordIds(feed)).toEqual([before]);
    expect(feed.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
  });
});

describe('daily cost budget', () => {
  const BUDGET = DEFAULT_LIMITS_CONFIG.default.dailyCostBudget;

  test('each subscribe is charged its cost once; one that does not fit in what is left today is refused with RATE_LIMITED and charges nothing', async () => {
    const counter = async () =>
      (await sql<{ cost: string; requests: number }>('SELECT cost::text AS cost, requests FROM usage_counter WHERE principal_key = $1', [`key:${keyIds.budget}`]))[0] ?? null;
    expect(await counter()).toBeNull();
    const client = connect('budget');
    const first = subscribe<ChangeItem>(client, CHANGES, { after: await tailCursor() });
    const loan1 = await reportLoan('bank', 'L-BUDGET-1');
    await first.until(has(loan1), 'the loan on the first subscription');
    const charged = await counter();
    const cost = Number(charged?.cost);
    expect({ requests: charged?.requests, positive: cost > 0 }).toEqual({ requests: 1, positive: true });
    // Delivering further pages charges nothing more.
    const loan2 = await reportLoan('bank', 'L-BUDGET-2');
    await first.until(has(loan2), 'a second page');
    expect(await counter()).toEqual({ cost: String(cost), requests: 1 });

    // Exactly the cost of one more subscribe left today: it fits, and spends the budget.
    await sql('UPDATE usage_counter SET cost = $2 WHERE principal_key = $1', [`key:${keyIds.budget}`, BUDGET - cost]);
    const second = subscribe<ChangeItem>(client, CHANGES, { after: await tailCursor() });
    const loan3 = await reportLoan('bank', 'L-BUDGET-3');
    await second.until(has(loan3), 'the loan on the second subscription');
    expect(await counter()).toEqual({ cost: String(BUDGET), requests: 2 });

    const third = subscribe<ChangeItem>(client, CHANGES, { after: await tailCursor() });
    await third.until((f) => f.errors.length > 0, 'the refusal of the third');
    expect(third.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(new RegExp(`^Daily cost budget of ${BUDGET} exhausted: this request costs ${cost} and 0 remain until `)),
        extensions: { code: 'RATE_LIMITED', limit: 'dailyCostBudget', max: BUDGET, retryAfterSeconds: expect.any(Number) },
      }),
    ]);
    expect(await counter()).toEqual({ cost: String(BUDGET), requests: 2 });
    // The subscriptions already admitted keep running.
    const loan4 = await reportLoan('bank', 'L-BUDGET-4');
    await Promise.all([first.until(has(loan4), 'the first after the refusal'), second.until(has(loan4), 'the second after the refusal')]);
    expect(third.items).toEqual([]);
  });
});

describe('PII in payloads', () => {
  test('a household name a subscription delivers is audited as a PII read of that operation before it is sent', async () => {
    const query = /* GraphQL */ `
      subscription BorrowerFeed($after: String) {
        changes(after: $after, types: ["Loan"]) { id record { ... on Loan { borrower { ... on Household { ref headName } } } } }
      }
    `;
    const feed = subscribe<{ changes: { id: string; record: { borrower: { ref: string; headName: string } } } }>(connect('bank'), query, { after: await tailCursor() });
    const loan = await reportLoan('bank', 'L-PII', '王五');
    await feed.until((f) => f.items.length > 0, 'the loan');
    const { ref, headName } = feed.items[0].changes.record.borrower;
    expect({ id: feed.items[0].changes.id, headName }).toEqual({ id: loan, headName: '王五' });
    const rows = await sql(
      `SELECT a.action, a.operation, a.actor_role, a.actor_key, h.ref AS household, a.fields
         FROM audit_log a JOIN household h ON h.id = a.household_id WHERE a.action = 'PII_READ'`,
    );
    expect(rows).toEqual([{ action: 'PII_READ', operation: 'BorrowerFeed', actor_role: 'BANK', actor_key: keyIds.bank, household: ref, fields: ['headName'] }]);
  });
});
