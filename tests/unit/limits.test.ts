/**
 * Query protection without a database: configuration, parsing, the size rules, the
 * cost estimate, the rate limiter, and the Apollo plugin driven through
 * `executeOperation` (the budget and persisted operations are in tests/limits-db.test.ts).
 */
import { ApolloServer } from '@apollo/server';
import {
  buildSchema,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
} from 'graphql';
import { ConfigError } from '../../src/config';
import type { Principal } from '../../src/services/access/principal';
import {
  aliasLimitRule,
  analyzeOperation,
  checkPageSize,
  costLimitRule,
  DEFAULT_LIMITS,
  defineLimitsConfig,
  depthLimitRule,
  enforceOperationLimits,
  estimateCost,
  limitsFor,
  limitsFormatError,
  limitsPlugin,
  limitsValidationRule,
  loadLimitsSettings,
  loosestLimits,
  parseLimitsConfig,
  parseWithLimits,
  rootFieldLimitRule,
  SlidingWindowRateLimiter,
  checkRegistrationLookup,
  type LimitsContext,
  type LimitSettings,
} from '../../src/services/limits';

const SDL = /* GraphQL */ `
  interface Node {
    id: ID!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type Query {
    node(id: ID!): Node
    household(ref: ID!): Household
    households(first: Int, after: String, last: Int, before: String): HouseholdConnection!
    counties(first: Int): CountyConnection!
    tags: [String!]!
    recentLoans(first: Int): [Loan!]!
  }
  type Household implements Node {
    id: ID!
    ref: String!
    name: String
    head: Household
    loans(first: Int, after: String): LoanConnection!
    guarantees: [Guarantee!]!
  }
  type HouseholdConnection {
    edges: [HouseholdEdge!]!
    nodes: [Household!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type HouseholdEdge {
    cursor: String!
    node: Household!
  }
  type County implements Node {
    id: ID!
    code: String!
    households(first: Int): HouseholdConnection!
  }
  type CountyConnection {
    edges: [CountyEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type CountyEdge {
    cursor: String!
    node: County!
  }
  type Loan implements Node {
    id: ID!
    amount: String!
  }
  type LoanConnection {
    edges: [LoanEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type LoanEdge {
    cursor: String!
    node: Loan!
  }
  type Guarantee implements Node {
    id: ID!
    amount: String!
  }
`;

const schema = buildSchema(SDL);
const PAGES = { defaultPageSize: 20, defaultListSize: 100, maxPageSize: 100 };

function thrown(fn: () => unknown): { message: string; code: unknown } {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: { code?: unknown } };
    return { message: e.message, code: e.extensions?.code };
  }
  throw new Error('expected an error');
}

function ruleErrors(query: string, rules = [limitsValidationRule(DEFAULT_LIMITS)]) {
  return validate(schema, parse(query), rules).map((error) => ({ message: error.message, code: error.extensions.code }));
}

function analyse(query: string, variables?: Record<string, unknown>, operationName?: string) {
  return analyzeOperation(schema, parse(query), operationName, variables, PAGES);
}

/** `household(ref: "h") { head { head { … { id } } } }`: `depth` levels deep. */
function nestedHeads(depth: number): string {
  let inner = 'id';
  for (let level = 2; level < depth; level++) {
    inner = `head { ${inner} }`;
  }
  return depth === 1 ? '{ __typename }' : `{ household(ref: "h") { ${inner} } }`;
}

function aliased(count: number): string {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: id`).join(' ');
  return `{ household(ref: "h") { ${fields} } }`;
}

function rootFields(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `h${i}: household(ref: "${i}") { id }`).join(' ')} }`;
}

describe('limits configuration', () => {
  test('the defaults are the documented values', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxTokens: 5000,
      maxDepth: 12,
      maxCost: 250000,
      maxAliases: 30,
      maxRootFields: 10,
      maxPageSize: 100,
      defaultPageSize: 20,
      rateLimitPerMinute: 600,
      dailyCostBudget: 50000000,
      maxBodyBytes: 1048576,
      registrationLookupsPerMinute: 30,
    });
  });

  test('role overrides apply to that role only, over the defaults', () => {
    const config = parseLimitsConfig('{"default": {"maxCost": 40000}, "roles": {"ANALYST": {"maxCost": 200000, "maxDepth": 8}}}');
    expect(limitsFor(config, { role: 'ANALYST' })).toEqual({ ...DEFAULT_LIMITS, maxCost: 200000, maxDepth: 8 });
    expect(limitsFor(config, { role: 'BANK' })).toEqual({ ...DEFAULT_LIMITS, maxCost: 40000 });
    expect(limitsFor(config, undefined)).toEqual({ ...DEFAULT_LIMITS, maxCost: 40000 });
    expect(loosestLimits(config)).toEqual({ ...DEFAULT_LIMITS, maxCost: 200000 });
  });

  test('invalid overrides name every problem with its path', () => {
    const issues = (json: string): readonly string[] => {
      try {
        parseLimitsConfig(json);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues;
      }
      throw new Error('expected a ConfigError');
    };
    expect(issues('{"roles": {"ANALYST": {"maxDepth": -1, "maxDeth": 3}, "BANKER": {}}, "extra": 1}')).toEqual([
      'Invalid TRIPOD_LIMITS: unknown key "extra"; expected "default" and "roles"',
      'Invalid TRIPOD_LIMITS.roles.ANALYST.maxDepth: expected an integer from 1 to 100, got -1',
      expect.stringMatching(/^Invalid TRIPOD_LIMITS\.roles\.ANALYST: unknown limit "maxDeth"; expected one of maxTokens, maxDepth, /),
      'Invalid TRIPOD_LIMITS.roles: unknown role "BANKER"; expected one of BANK, INSURER, GUARANTOR, GOVERNMENT, REGULATOR, ANALYST, ADMIN',
    ]);
    expect(issues('{"default": {"defaultPageSize": 200}}')).toEqual([
      'Invalid TRIPOD_LIMITS.default: defaultPageSize 200 exceeds maxPageSize 100',
    ]);
    expect(issues('{"default": {"maxCost": "50000"}}')).toEqual([
      `Invalid TRIPOD_LIMITS.default.maxCost: expected an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got "50000"`,
    ]);
    expect(issues('{oops')[0]).toMatch(/^Invalid TRIPOD_LIMITS: not JSON \(/);
    expect(issues('[1]')).toEqual([
      'Invalid TRIPOD_LIMITS: expected an object like {"default": {...}, "roles": {"ANALYST": {...}}}',
    ]);
  });

  test('the environment gives the limits and the allow-list flag', () => {
    expect(loadLimitsSettings({})).toEqual({ limits: { default: DEFAULT_LIMITS, roles: {} }, persistedOnly: false });
    const loaded = loadLimitsSettings({ TRIPOD_LIMITS: '{"roles": {"BANK": {"rateLimitPerMinute": 1200}}}', TRIPOD_PERSISTED_ONLY: 'true' });
    expect(loaded.persistedOnly).toBe(true);
    expect(limitsFor(loaded.limits, { role: 'BANK' }).rateLimitPerMinute).toBe(1200);
    expect(() => loadLimitsSettings({ TRIPOD_PERSISTED_ONLY: 'yes' })).toThrow(
      'Invalid TRIPOD_PERSISTED_ONLY "yes": expected true or false',
    );
  });
});

describe('parseWithLimits', () => {
  // `{ households { totalCount } }` is six tokens: { households { totalCount } }
  const sixTokens = '{ households { totalCount } }';

  test('a document of exactly maxTokens tokens parses', () => {
    expect(parseWithLimits(sixTokens, 6).definitions).toHaveLength(1);
  });

  test('one token more trips QUERY_TOO_COMPLEX in the parser', () => {
    expect(thrown(() => parseWithLimits(sixTokens, 5))).toEqual({
      message: 'Query exceeds the limit of 5 tokens',
      code: 'QUERY_TOO_COMPLEX',
    });
  });

  test('a huge document is refused while lexing, long before validation could start', () => {
    const huge = `{ ${'id '.repeat(200_000)} }`;
    const started = Date.now();
    expect(thrown(() => parseWithLimits(huge, 5000)).code).toBe('QUERY_TOO_COMPLEX');
    expect(Date.now() - started).toBeLessThan(200);
  });

  test('a syntax error is BAD_USER_INPUT with the parser message', () => {
    expect(thrown(() => parseWithLimits('{ households { ', 5000))).toEqual({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      code: 'BAD_USER_INPUT',
    });
  });
});

describe('depth limit', () => {
  test('fields nested as deep as the limit pass, one deeper trips', () => {
    expect(analyse(nestedHeads(12)).depth).toBe(12);
    expect(ruleErrors(nestedHeads(12), [depthLimitRule(12)])).toEqual([]);
    expect(ruleErrors(nestedHeads(15), [depthLimitRule(12)])).toEqual([
      { message: 'Query depth 15 exceeds the limit of 12', code: 'QUERY_TOO_COMPLEX' },
    ]);
  });

  test('fragments are followed, inline and named', () => {
    const query = `
      query { household(ref: "h") { ...A } }
      fragment A on Household { head { ... on Household { head { ...B } } } }
      fragment B on Household { head { id } }`;
    expect(analyse(query).depth).toBe(5);
    expect(ruleErrors(query, [depthLimitRule(4)])).toEqual([
      { message: 'Query depth 5 exceeds the limit of 4', code: 'QUERY_TOO_COMPLEX' },
    ]);
  });

  test('fragment cycles terminate and are left to the standard rule', () => {
    const query = `
      query { household(ref: "h") { ...A } }
      fragment A on Household { head { ...B } }
      fragment B on Household { head { ...A } }`;
    expect(analyse(query).depth).toBe(3);
    expect(ruleErrors(query, [...specifiedRules, depthLimitRule(12)])).toEqual([
      { message: 'Cannot spread fragment "A" within itself via "B".', code: undefined },
    ]);
  });
});

describe('alias and root field limits', () => {
  test('aliases up to the limit pass, one more trips', () => {
    expect(ruleErrors(aliased(30), [aliasLimitRule(30)])).toEqual([]);
    expect(ruleErrors(aliased(31), [aliasLimitRule(30)])).toEqual([
      { message: 'Alias count 31 exceeds the limit of 30', code: 'QUERY_TOO_COMPLEX' },
    ]);
  });

  test('root fields up to the limit pass, one more trips', () => {
    expect(ruleErrors(rootFields(10), [rootFieldLimitRule(10)])).toEqual([]);
    expect(ruleErrors(rootFields(11), [rootFieldLimitRule(10)])).toEqual([
      { message: 'Root field count 11 exceeds the limit of 10', code: 'QUERY_TOO_COMPLEX' },
    ]);
  });

  test('a fragment bomb is measured in linear time and trips the alias limit', () => {
    // Each fragment spreads the next twice: 2^40 aliased fields once expanded.
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Household { x: id ${i < 39 ? `...F${i + 1} ...F${i + 1}` : ''} }`,
    ).join('\n');
    const query = `{ household(ref: "h") { ...F0 } }\n${fragments}`;
    const started = Date.now();
    const analysis = analyse(query);
    expect(Date.now() - started).toBeLessThan(100);
    expect(analysis.aliases).toBe(2 ** 40 - 1);
    expect(thrown(() => enforceOperationLimits({ schema, document: parse(query) }, DEFAULT_LIMITS))).toEqual({
      message: `Alias count ${2 ** 40 - 1} exceeds the limit of 30`,
      code: 'QUERY_TOO_COMPLEX',
    });
  });
});

describe('cost estimate', () => {
  const page = (first: string) => `{ households${first} { edges { node { id ref } } } }`;

  test('each field costs 1 and a page multiplies the cost of its sub-selection', () => {
    // node = 1 + (id + ref) = 3; edges = 1 + 3 = 4; households = 1 + 10 × 4
    expect(analyse(page('(first: 10)')).cost).toBe(41);
    expect(analyse('{ household(ref: "h") { id ref name } }').cost).toBe(4);
  });

  test('a connection without first counts the default page size', () => {
    expect(analyse(page('')).cost).toBe(1 + 20 * 4);
    expect(analyse('{ households { nodes { id } totalCount } }').cost).toBe(1 + 20 * (2 + 1));
  });

  test('first and last can come from variables, or their defaults', () => {
    const query = 'query Page($n: Int = 5) { households(first: $n) { edges { node { id ref } } } }';
    expect(estimateCost(schema, parse(query), 'Page', { n: 50 }, PAGES)).toBe(1 + 50 * 4);
    expect(estimateCost(schema, parse(query), 'Page', {}, PAGES)).toBe(1 + 5 * 4);
    expect(estimateCost(schema, parse('query ($l: Int) { households(last: $l) { totalCount } }'), undefined, { l: 7 }, PAGES)).toBe(8);
  });

  test('nested connections multiply', () => {
    const query = '{ households(first: 100) { edges { node { loans(first: 100) { edges { node { id amount } } } } } } }';
    // loans = 1 + 100 × 4 = 401; household node = 402; edges = 403; households = 1 + 100 × 403
    expect(analyse(query).cost).toBe(40301);
    const limits: LimitSettings = { ...DEFAULT_LIMITS, maxCost: 40301 };
    expect(enforceOperationLimits({ schema, document: parse(query) }, limits).cost).toBe(40301);
    expect(thrown(() => enforceOperationLimits({ schema, document: parse(query) }, { ...limits, maxCost: 40300 }))).toEqual({
      message: 'Query cost 40301 exceeds the limit of 40300',
      code: 'QUERY_TOO_COMPLEX',
    });
  });

  test('lists count their cap, or the default list size', () => {
    const query = '{ household(ref: "h") { guarantees { id amount } } }';
    expect(analyse(query).cost).toBe(1 + (1 + 100 * 2));
    expect(analyzeOperation(schema, parse(query), undefined, {}, { ...PAGES, listCaps: { 'Household.guarantees': 10 } }).cost).toBe(
      1 + (1 + 10 * 2),
    );
    expect(analyse('{ recentLoans(first: 3) { id amount } }').cost).toBe(1 + 3 * 2);
    expect(analyse('{ tags }').cost).toBe(1);
  });

  test('a cap declared in the field extensions (type-graphql @Extensions({ maxItems }))', () => {
    const Item = new GraphQLObjectType({ name: 'Item', fields: { id: { type: GraphQLString } } });
    const capped = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          items: { type: new GraphQLNonNull(new GraphQLList(Item)), extensions: { maxItems: 7 } },
          count: { type: GraphQLInt },
        },
      }),
    });
    expect(estimateCost(capped, parse('{ items { id } count }'), undefined, {}, PAGES)).toBe(1 + 7 + 1);
  });

  test('__typename is free and introspection is not descended into', () => {
    expect(analyse('{ __typename household(ref: "h") { __typename id } }').cost).toBe(2);
    expect(analyse('{ __schema { types { name fields { name } } } }')).toEqual({ depth: 1, cost: 1, aliases: 0, rootFields: 1 });
  });

  test('the cost rule uses literals and variable defaults during validation', () => {
    const rule = costLimitRule(41, { defaultPageSize: 20, maxPageSize: 100 });
    expect(ruleErrors(page('(first: 10)'), [rule])).toEqual([]);
    expect(ruleErrors(page('(first: 11)'), [rule])).toEqual([
      { message: 'Query cost 45 exceeds the limit of 41', code: 'QUERY_TOO_COMPLEX' },
    ]);
  });

  test('the operation named is the one measured', () => {
    const document = 'query Small { household(ref: "h") { id } } query Big { households(first: 100) { nodes { id } } }';
    expect(analyse(document, {}, 'Small').cost).toBe(2);
    expect(analyse(document, {}, 'Big').cost).toBe(1 + 100 * 2);
    expect(analyse(document, {}, 'Missing')).toEqual({ depth: 0, cost: 0, aliases: 0, rootFields: 0 });
  });
});

describe('page sizes', () => {
  test('checkPageSize returns the page to load and refuses sizes past the cap', () => {
    expect(checkPageSize(undefined, undefined, DEFAULT_LIMITS)).toBe(20);
    expect(checkPageSize(100, null, DEFAULT_LIMITS)).toBe(100);
    expect(checkPageSize(null, 0, DEFAULT_LIMITS)).toBe(0);
    expect(thrown(() => checkPageSize(101, undefined, DEFAULT_LIMITS))).toEqual({
      message: 'first must be between 0 and 100',
      code: 'BAD_USER_INPUT',
    });
    expect(thrown(() => checkPageSize(undefined, -1, DEFAULT_LIMITS))).toEqual({
      message: 'last must be between 0 and 100',
      code: 'BAD_USER_INPUT',
    });
  });

  test('literal and variable page sizes are checked with the operation', () => {
    const query = 'query ($n: Int) { households(first: $n) { totalCount } }';
    const check = (variables: Record<string, unknown>) =>
      enforceOperationLimits({ schema, document: parse(query), variables }, DEFAULT_LIMITS);
    expect(check({ n: 100 }).cost).toBe(101);
    expect(thrown(() => check({ n: 101 }))).toEqual({ message: 'first must be between 0 and 100', code: 'BAD_USER_INPUT' });
    expect(ruleErrors('{ households(last: 500) { totalCount } }')).toEqual([
      { message: 'last must be between 0 and 100', code: 'BAD_USER_INPUT' },
    ]);
  });
});

describe('SlidingWindowRateLimiter', () => {
  test('allows N requests per minute, then refuses with the wait until a slot frees', async () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowRateLimiter(() => now);
    const seen = [];
    for (let i = 0; i < 5; i++) {
      seen.push(await limiter.consume('key:a', 5));
      now += 1000;
    }
    expect(seen.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(seen.every((d) => d.allowed)).toBe(true);

    // 5 s after the first request: it leaves the window 55 s from now.
    expect(await limiter.consume('key:a', 5)).toEqual({ allowed: false, retryAfterSeconds: 55, remaining: 0 });
    expect(await limiter.consume('key:b', 5)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 4 });

    now = 1_000_000 + 60_000;
    expect(await limiter.peek('key:a', 5)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 1 });
    expect(await limiter.consume('key:a', 5)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    expect((await limiter.consume('key:a', 5)).retryAfterSeconds).toBe(1);
  });

  test('refused requests do not extend the wait, and idle keys are swept', async () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter(() => now);
    await limiter.consume('key:a', 1);
    for (let i = 0; i < 10; i++) {
      expect((await limiter.consume('key:a', 1)).allowed).toBe(false);
    }
    now = 60_001;
    expect((await limiter.consume('key:a', 1)).allowed).toBe(true);

    for (let i = 0; i < 1_000; i++) {
      await limiter.consume(`key:${i}`, 10);
    }
    expect(limiter.size).toBeGreaterThan(1_000);
    now += 120_000;
    for (let i = 0; i < 1_000; i++) {
      await limiter.consume('key:busy', 10_000);
    }
    expect(limiter.size).toBe(1);
  });

  test('registration lookups have their own per-minute limit', async () => {
    const rateLimiter = new SlidingWindowRateLimiter(() => 0);
    const limits = defineLimitsConfig({ default: { registrationLookupsPerMinute: 2 } });
    const context: LimitsContext = { principal: principal('BANK'), principalKey: 'key:bank' };
    await checkRegistrationLookup(context, { limits, rateLimiter });
    await checkRegistrationLookup(context, { limits, rateLimiter });
    await expect(checkRegistrationLookup(context, { limits, rateLimiter })).rejects.toMatchObject({
      message: 'Too many household registration lookups: the limit is 2 per minute; retry in 60 s',
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 },
    });
    expect((await rateLimiter.peek('key:bank', 600)).remaining).toBe(600);
  });
});

describe('limitsFormatError', () => {
  test('restores the code of a limit error that Apollo re-coded as a validation failure', async () => {
    const server = new ApolloServer({
      schema,
      validationRules: [limitsValidationRule({ ...DEFAULT_LIMITS, maxDepth: 3 })],
      formatError: limitsFormatError,
    });
    const response = await server.executeOperation({ query: nestedHeads(4) });
    expect(singleErrors(response)).toEqual([
      expect.objectContaining({ message: 'Query depth 4 exceeds the limit of 3', extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) }),
    ]);
    expect(response.http.status).toBe(400);
  });

  test('classifies Apollo parse failures', async () => {
    const server = new ApolloServer({ schema, parseOptions: { maxTokens: 5 }, formatError: limitsFormatError });
    expect(singleErrors(await server.executeOperation({ query: '{ households { totalCount } }' }))).toEqual([
      { message: 'Query exceeds the limit of 5 tokens', extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', max: 5 } },
    ]);
    expect(singleErrors(await server.executeOperation({ query: '{ households {' }))).toEqual([
      expect.objectContaining({ message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
  });
});

describe('limitsPlugin', () => {
  const rootValue = {
    household: () => ({ id: 'h1', ref: 'H1', head: null }),
    households: () => ({ totalCount: 2, edges: [], nodes: [], pageInfo: { hasNextPage: false } }),
  };

  function serverWith(overrides: Parameters<typeof defineLimitsConfig>[0], rateLimiter = new SlidingWindowRateLimiter()) {
    const server = new ApolloServer<LimitsContext>({
      schema,
      rootValue,
      plugins: [limitsPlugin({ limits: defineLimitsConfig(overrides), rateLimiter })],
    });
    const run = (query: string, context: LimitsContext, variables?: Record<string, unknown>) =>
      server.executeOperation({ query, variables }, { contextValue: context });
    return { server, run, rateLimiter };
  }

  const bank: LimitsContext = { principal: principal('BANK'), principalKey: 'key:bank' };
  const analyst: LimitsContext = { principal: principal('ANALYST'), principalKey: 'jwt:https://idp:alice' };

  test('a request within the limits runs', async () => {
    const { run } = serverWith({});
    const response = await run('{ households(first: 5) { totalCount } }', bank);
    expect(response.body).toEqual({ kind: 'single', singleResult: { data: { households: { totalCount: 2 } } } });
  });

  test('the rate limit allows N per minute per principal, then answers 429 with Retry-After', async () => {
    const { run } = serverWith({ default: { rateLimitPerMinute: 3 } });
    for (let i = 0; i < 3; i++) {
      expect(singleErrors(await run('{ __typename }', bank))).toBeUndefined();
    }
    const refused = await run('{ households { totalCount } }', bank);
    expect(refused.http.status).toBe(429);
    expect(refused.http.headers.get('retry-after')).toBe('60');
    expect(singleErrors(refused)).toEqual([
      {
        message: 'Rate limit of 3 requests per minute exceeded; retry in 60 s',
        extensions: { code: 'RATE_LIMITED', limit: 'rateLimitPerMinute', max: 3, retryAfterSeconds: 60 },
      },
    ]);
    expect(singleErrors(await run('{ __typename }', analyst))).toBeUndefined();
  });

  test('limits follow the role: the same query passes for one role and trips for another', async () => {
    const { run } = serverWith({ roles: { ANALYST: { maxDepth: 3 }, GUARANTOR: { maxTokens: 8 } } });
    expect(singleErrors(await run(nestedHeads(4), bank))).toBeUndefined();

    const deep = await run(nestedHeads(4), analyst);
    expect(deep.http.status).toBe(400);
    expect(singleErrors(deep)).toEqual([
      {
        message: 'Query depth 4 exceeds the limit of 3',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth', max: 3, actual: 4 },
      },
    ]);

    const guarantor: LimitsContext = { principal: principal('GUARANTOR'), principalKey: 'key:guarantor' };
    expect(singleErrors(await run('{ households { totalCount } }', guarantor))).toBeUndefined();
    const long = await run('{ households(first: 1) { totalCount } }', guarantor);
    expect(singleErrors(long)).toEqual([
      { message: 'Query exceeds the limit of 8 tokens', extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', max: 8 } },
    ]);
  });

  test('cost and page size are checked with the variables', async () => {
    const { run } = serverWith({ default: { maxCost: 41 } });
    const query = 'query ($n: Int) { households(first: $n) { edges { node { id ref } } } }';
    expect(singleErrors(await run(query, bank, { n: 10 }))).toBeUndefined();
    expect(singleErrors(await run(query, bank, { n: 11 }))).toEqual([
      { message: 'Query cost 45 exceeds the limit of 41', extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxCost', max: 41, actual: 45 } },
    ]);
    expect(singleErrors(await run(query, bank, { n: 101 }))).toEqual([
      { message: 'first must be between 0 and 100', extensions: { code: 'BAD_USER_INPUT', limit: 'maxPageSize', max: 100, actual: 101 } },
    ]);
  });

  test('the body size limit applies before parsing', async () => {
    const { run } = serverWith({ default: { maxBodyBytes: 40 } });
    const query = `{ households { totalCount } } # ${'x'.repeat(20)}`;
    expect(Buffer.byteLength(query)).toBe(52);
    const response = await run(query, bank);
    expect(response.http.status).toBe(413);
    expect(singleErrors(response)).toEqual([
      {
        message: 'Request body of 52 bytes exceeds the limit of 40 bytes',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxBodyBytes', max: 40, actual: 52 },
      },
    ]);
  });
});

function principal(role: Principal['role']): Principal {
  return { institutionId: '1', institutionCode: 'C1', role, areaCodes: [] };
}

function singleErrors(response: { body: { kind: string } }): readonly GraphQLFormattedError[] | undefined {
  const body = response.body as { kind: 'single'; singleResult: { errors?: readonly GraphQLFormattedError[] } };
  expect(body.kind).toBe('single');
  return body.singleResult.errors;
}
