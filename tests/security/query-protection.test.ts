/**
 * Every query-protection limit trips over real HTTP with its code and HTTP status: the
 * token, depth, alias, root-field, cost and page-size limits (defaults and per-role
 * overrides through the server's `limits` option, as `TRIPOD_LIMITS` sets them), the rate
 * limit, the daily budget, the body size, allow-list mode, and introspection in
 * production. Each limit is also shown not to trip just under it, so the test measures
 * the limit and not some other refusal.
 */
import { COMMITTED_SCHEMA, HOUSEHOLDS, recordGid, schemaHas, useSecurityWorld, type GqlResponse, type StartedServer } from './world';
import { getNamedType } from 'graphql';
import { DEFAULT_LIMITS, defineLimitsConfig, operationHash, PersistedOperations } from '../../src/services/limits';
import { issueApiKey } from '../../src/services/auth';

const sec = useSecurityWorld();

/** A list field's selection as the committed schema has it: a plain list or a connection's `nodes`. */
function listText(type: string, field: string, selection: string, args: string): string {
  const owner = COMMITTED_SCHEMA.getType(type);
  const definition = owner !== null && owner !== undefined && 'getFields' in owner ? owner.getFields()[field] : undefined;
  const connection = definition !== undefined && getNamedType(definition.type).name.endsWith('Connection');
  return connection ? `${field}(${args}) { nodes { ${selection} } }` : `${field}(${args}) { ${selection} }`;
}

const codes = (response: GqlResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);
const refusal = (response: GqlResponse) => ({
  status: response.status,
  code: response.body.errors?.[0]?.extensions?.code,
  limit: response.body.errors?.[0]?.extensions?.limit,
  data: response.body.data,
});
const ok = (response: GqlResponse) => ({ status: response.status, errors: response.body.errors });

/** `node(LA) { … on Loan { position { loan { … } } } }`: `depth` levels, singular fields only. */
function deepQuery(depth: number): string {
  // node (1) + n × (position, loan) + ref: depth = 2 + 2n for the innermost ref.
  let inner = 'ref';
  for (let i = 0; i < (depth - 2) / 2; i += 1) inner = `position { loan { ${inner} } }`;
  return `query Deep($id: ID!) { node(id: $id) { ... on Loan { ${inner} } } }`;
}

describe('with the default limits', () => {
  test(`token limit (${DEFAULT_LIMITS.maxTokens})`, async () => {
    const over = await sec.gql('bankA', `{ ${Array.from({ length: DEFAULT_LIMITS.maxTokens }, () => '__typename').join(' ')} }`);
    expect(refusal(over)).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', data: undefined });
    expect(over.body.errors).toEqual([{ message: `Query exceeds the limit of ${DEFAULT_LIMITS.maxTokens} tokens`, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', max: DEFAULT_LIMITS.maxTokens } }]);
  });

  test(`depth (${DEFAULT_LIMITS.maxDepth})`, async () => {
    const id = recordGid(sec.world, 'LA');
    const over = await sec.gql('bankA', deepQuery(DEFAULT_LIMITS.maxDepth + 2), { id });
    expect(refusal(over)).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth', data: undefined });
    expect(over.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth', max: 12, actual: 14 });
    expect(ok(await sec.gql('bankA', deepQuery(DEFAULT_LIMITS.maxDepth), { id }))).toEqual({ status: 200, errors: undefined });
  });

  test(`aliases (${DEFAULT_LIMITS.maxAliases})`, async () => {
    const aliases = (n: number) => `query Aliases($ref: String!) { household(ref: $ref) { ${Array.from({ length: n }, (_, i) => `a${i}: ref`).join(' ')} } }`;
    const over = await sec.gql('bankA', aliases(DEFAULT_LIMITS.maxAliases + 1), { ref: HOUSEHOLDS.hA.ref });
    expect(refusal(over)).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'maxAliases', data: undefined });
    expect(ok(await sec.gql('bankA', aliases(DEFAULT_LIMITS.maxAliases), { ref: HOUSEHOLDS.hA.ref }))).toEqual({ status: 200, errors: undefined });
  });

  test(`root fields (${DEFAULT_LIMITS.maxRootFields})`, async () => {
    const roots = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `c${i}: county(code: "522326") { code }`).join(' ')} }`;
    const over = await sec.gql('bankA', roots(DEFAULT_LIMITS.maxRootFields + 1));
    expect(refusal(over)).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'maxRootFields', data: undefined });
    expect(ok(await sec.gql('bankA', roots(DEFAULT_LIMITS.maxRootFields)))).toEqual({ status: 200, errors: undefined });
  });

  test(`page size (${DEFAULT_LIMITS.maxPageSize})`, async () => {
    const over = await sec.gql('regNation', `{ county(code: "522326") { households(first: ${DEFAULT_LIMITS.maxPageSize + 1}) { __typename } } }`);
    expect(refusal(over)).toEqual({ status: 400, code: 'BAD_USER_INPUT', limit: 'maxPageSize', data: undefined });
    const under = await sec.gql('regNation', `{ county(code: "522326") { households(first: ${DEFAULT_LIMITS.maxPageSize}) { __typename } } }`);
    expect(ok(under)).toEqual({ status: 200, errors: undefined });
  });

  test(`body size (${DEFAULT_LIMITS.maxBodyBytes} bytes) is 413`, async () => {
    const over = await sec.client.raw({
      headers: { 'content-type': 'application/json', ...sec.client.authorization('bankA') },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) } }),
      as: 'bankA',
    });
    expect(over.status).toBe(413);
  });

  test('introspection is open outside production (the explorer needs it)', async () => {
    const response = await sec.gql('bankA', '{ __schema { queryType { name } } }');
    expect(response.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

describe('per-role overrides (the `limits` option, as TRIPOD_LIMITS sets them)', () => {
  let strict: StartedServer;

  beforeAll(async () => {
    strict = await sec.startServer({
      limits: {
        limits: defineLimitsConfig({
          roles: {
            ANALYST: { rateLimitPerMinute: 3 },
            GUARANTOR: { maxTokens: 50, maxCost: 10, maxPageSize: 5, defaultPageSize: 5 },
            INSURER: { maxBodyBytes: 2000 },
          },
        }),
        persistedOnly: false,
      },
    });
  });

  test('rate limit: the 4th request in a minute is 429 RATE_LIMITED with Retry-After', async () => {
    const answers: GqlResponse[] = [];
    for (let i = 0; i < 4; i += 1) answers.push(await strict.client.gql('analyst', '{ __typename }'));
    expect(answers.slice(0, 3).map(ok)).toEqual([0, 1, 2].map(() => ({ status: 200, errors: undefined })));
    const refused = answers[3];
    expect(refusal(refused)).toEqual({ status: 429, code: 'RATE_LIMITED', limit: 'rateLimitPerMinute', data: undefined });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', limit: 'rateLimitPerMinute', max: 3, retryAfterSeconds: retryAfter });
    // Other principals are not affected.
    expect(ok(await strict.client.gql('bankA', '{ __typename }'))).toEqual({ status: 200, errors: undefined });
  });

  test('token limit of one role', async () => {
    const query = `{ household(ref: "${HOUSEHOLDS.hA.ref}") { ${Array.from({ length: 60 }, () => 'ref').join(' ')} } }`;
    expect(refusal(await strict.client.gql('guarantor1', query))).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', data: undefined });
    expect(ok(await strict.client.gql('bankA', query))).toEqual({ status: 200, errors: undefined });
  });

  test('cost limit of one role', async () => {
    // 1 + (1 + 5 × (1 + 3)) = 22 > 10.
    const query = `{ county(code: "522326") { ${listText('County', 'households', 'ref status statusSince', 'first: 5')} } }`;
    expect(refusal(await strict.client.gql('guarantor1', query))).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'maxCost', data: undefined });
    expect(ok(await strict.client.gql('bankA', query))).toEqual({ status: 200, errors: undefined });
  });

  test('page size of one role', async () => {
    const query = '{ area(code: "52") { children(first: 6) { code } } }';
    expect(refusal(await strict.client.gql('guarantor1', query))).toEqual({ status: 400, code: 'BAD_USER_INPUT', limit: 'maxPageSize', data: undefined });
  });

  test('body size of one role is 413 QUERY_TOO_COMPLEX', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(3000) } });
    const refused = await strict.client.raw({ headers: { 'content-type': 'application/json', ...strict.client.authorization('insurer1') }, body, as: 'insurer1' });
    expect(refusal(refused)).toEqual({ status: 413, code: 'QUERY_TOO_COMPLEX', limit: 'maxBodyBytes', data: undefined });
    const allowed = await strict.client.raw({ headers: { 'content-type': 'application/json', ...strict.client.authorization('bankA') }, body, as: 'bankA' });
    expect(allowed.status).toBe(200);
  });
});

test('daily cost budget: requests are refused with 429 once the day’s budget is spent', async () => {
  const server = await sec.startServer({ limits: { limits: defineLimitsConfig({ roles: { BANK: { dailyCostBudget: 20 } } }), persistedOnly: false } });
  // A key of its own: budgets are per key and day, kept in the database.
  const key = await issueApiKey(sec.pool, { institutionCode: 'SEC-BANK-A', role: 'BANK', createdBy: 'security-budget' });
  const query = `{ household(ref: "${HOUSEHOLDS.hA.ref}") { ref status } }`;
  const answers: GqlResponse[] = [];
  for (let i = 0; i < 12; i += 1) answers.push(await server.client.gql({ headers: { authorization: `Bearer ${key.token}` }, as: 'bankA' }, query));
  const firstRefused = answers.findIndex((answer) => answer.status !== 200);
  expect(firstRefused).toBeGreaterThan(0);
  expect(answers.slice(0, firstRefused).every((answer) => answer.body.errors === undefined)).toBe(true);
  expect(refusal(answers[firstRefused])).toEqual({ status: 429, code: 'RATE_LIMITED', limit: 'dailyCostBudget', data: undefined });
  expect(Number(answers[firstRefused].headers.get('retry-after'))).toBeGreaterThan(0);
  const [counter] = (await sec.pool.query<{ cost: string }>('SELECT cost::text AS cost FROM usage_counter WHERE principal_key = $1', [`key:${key.keyId}`])).rows;
  expect(Number(counter.cost)).toBeLessThanOrEqual(20);
});

(schemaHas('Query.householdRegistration') ? test : test.skip)('household registration lookups have their own per-minute limit', async () => {
  const server = await sec.startServer({ limits: { limits: defineLimitsConfig({ roles: { BANK: { registrationLookupsPerMinute: 2 } } }), persistedOnly: false } });
  const query = 'query Lookup($id: String!) { householdRegistration(idNumber: $id) { status } }';
  const answers: GqlResponse[] = [];
  for (let i = 0; i < 3; i += 1) answers.push(await server.client.gql('bankB', query, { id: sec.world.nationalIds[0] }));
  expect(answers.slice(0, 2).map((answer) => answer.body)).toEqual([0, 1].map(() => ({ data: { householdRegistration: { status: 'REGISTERED' } } })));
  expect(codes(answers[2])).toEqual(['RATE_LIMITED']);
});

describe('allow-list mode (TRIPOD_PERSISTED_ONLY)', () => {
  const REGISTERED = `query Registered($ref: String!) { household(ref: $ref) { ref status } }`;
  let server: StartedServer;

  beforeAll(async () => {
    await new PersistedOperations(sec.orm.em).register(REGISTERED);
    server = await sec.startServer({ limits: { limits: defineLimitsConfig(), persistedOnly: true } });
  });

  test('a registered operation runs, by hash alone or by its text', async () => {
    const expected = { data: { household: { ref: HOUSEHOLDS.hA.ref, status: 'REGISTERED_POOR' } } };
    const byHash = await server.client.gql('bankA', undefined as unknown as string, { ref: HOUSEHOLDS.hA.ref }, { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(REGISTERED) } } });
    expect([byHash.status, byHash.body]).toEqual([200, expected]);
    const byText = await server.client.gql('bankA', REGISTERED, { ref: HOUSEHOLDS.hA.ref });
    expect([byText.status, byText.body]).toEqual([200, expected]);
  });

  test('anything else is 403 FORBIDDEN, before it is parsed', async () => {
    const other = await server.client.gql('bankA', `{ household(ref: "${HOUSEHOLDS.hA.ref}") { ref headName } }`);
    expect(refusal(other)).toEqual({ status: 403, code: 'FORBIDDEN', limit: undefined, data: undefined });
    const unknownHash = await server.client.gql('bankA', undefined as unknown as string, {}, { extensions: { persistedQuery: { version: 1, sha256Hash: 'c'.repeat(64) } } });
    expect(refusal(unknownHash)).toEqual({ status: 403, code: 'FORBIDDEN', limit: undefined, data: undefined });
    // A registered hash cannot vouch for another text.
    const mismatch = await server.client.gql('bankA', `{ household(ref: "${HOUSEHOLDS.hA.ref}") { headName } }`, {}, { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(REGISTERED) } } });
    expect(refusal(mismatch)).toEqual({ status: 400, code: 'BAD_USER_INPUT', limit: undefined, data: undefined });
  });
});

describe('with the production configuration', () => {
  let production: StartedServer;

  beforeAll(async () => {
    production = await sec.startServer({ env: { NODE_ENV: 'production', DATABASE_URL: sec.db.url() } });
  });

  test('introspection is refused (BAD_USER_INPUT), ordinary queries run', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Household") { fields { name } } }']) {
      const response = await production.client.gql('bankA', query);
      expect([query, response.status, codes(response), response.body.data]).toEqual([query, 400, ['BAD_USER_INPUT'], undefined]);
    }
    const typename = await production.client.gql('bankA', '{ __typename }');
    expect(typename.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('requests without credentials are UNAUTHENTICATED (no development principal)', async () => {
    const response = await production.client.gql(null, '{ __typename }');
    expect([response.status, codes(response)]).toEqual([401, ['UNAUTHENTICATED']]);
  });
});
