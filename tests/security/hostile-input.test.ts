/**
 * Hostile input over real HTTP against the security world: whatever a client sends, the
 * hub answers with the right `extensions.code`, never a 5xx (the database is up), never
 * SQL text or a stack trace, and changes no business data (row counts and checksums of
 * every business table are compared before and after; the audit log and usage counters
 * are expected to grow).
 *
 * String arguments are found by walking the committed schema's root fields, so the
 * fields other teams add (connections, filters, mutations) are attacked as soon as they
 * land, without editing this file.
 */
import {
  ALL_RECORD_KEYS,
  businessSnapshot,
  COMMITTED_SCHEMA,
  findLeaks,
  gid,
  HOUSEHOLDS,
  JWT_AUDIENCE,
  JWT_ISSUER,
  PRINCIPAL_NAMES,
  RECORD_TYPES,
  recordGid,
  TOKEN_SECRET,
  useSecurityWorld,
  type GqlResponse,
  type PrincipalName,
  visible,
} from './world';
import { generateKeyPairSync, sign } from 'node:crypto';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { issueApiKey, revokeApiKey, rotateApiKey, signHs256 } from '../../src/services/auth';
import { defineLimitsConfig } from '../../src/services/limits';

const sec = useSecurityWorld({
  // Generous rates: this suite is about input, not volume (query protection has its own suite).
  limits: { limits: defineLimitsConfig({ default: { rateLimitPerMinute: 1_000_000, registrationLookupsPerMinute: 1_000_000 } }), persistedOnly: false },
});

let before: Record<string, string>;
const extraTokens: Record<string, string> = {};

beforeAll(async () => {
  // Credentials that must be refused, made before the snapshot.
  const revoked = await issueApiKey(sec.pool, { institutionCode: 'SEC-BANK-A', role: 'BANK', createdBy: 'security-hostile' });
  await revokeApiKey(sec.pool, revoked.keyId);
  extraTokens.revoked = revoked.token;
  const rotated = await issueApiKey(sec.pool, { institutionCode: 'SEC-BANK-A', role: 'BANK', createdBy: 'security-hostile' });
  // Used once so that the process cache holds it: rotation must still end it at once.
  expect((await sec.gql({ headers: { authorization: `Bearer ${rotated.token}` } }, '{ __typename }')).status).toBe(200);
  const successor = await rotateApiKey(sec.pool, rotated.keyId, { graceHours: 0, createdBy: 'security-hostile' });
  extraTokens.rotatedOut = rotated.token;
  extraTokens.successor = successor.token;
  const soon = await issueApiKey(sec.pool, { institutionCode: 'SEC-BANK-A', role: 'BANK', createdBy: 'security-hostile', expiresAt: new Date(Date.now() + 1500) });
  expect((await sec.gql({ headers: { authorization: `Bearer ${soon.token}` } }, '{ __typename }')).status).toBe(200);
  extraTokens.expiring = soon.token;
  const later = await issueApiKey(sec.pool, { institutionCode: 'SEC-BANK-A', role: 'BANK', createdBy: 'security-hostile', expiresAt: new Date(Date.now() + 3_600_000) });
  extraTokens.expiresLater = later.token;
  before = await businessSnapshot(sec.pool);
});

// ---------------------------------------------------------------------------------------
// What every answer must look like

/** The codes a hostile request may earn (the database is up, limits are generous). */
const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'QUERY_TOO_COMPLEX', 'CONFLICT']);

/** Problems with one answer: a 5xx, an error without a client code, or no errors where some were required. */
function problems(label: string, response: GqlResponse, allowed: ReadonlySet<string> = CLIENT_CODES): string[] {
  const found: string[] = [];
  if (response.status >= 500) found.push(`${label}: HTTP ${response.status}`);
  for (const error of response.body.errors ?? []) {
    const code = String(error.extensions?.code);
    if (!allowed.has(code)) found.push(`${label}: ${code} (${error.message.slice(0, 100)})`);
  }
  return found;
}

const codesOf = (response: GqlResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);

// ---------------------------------------------------------------------------------------
// Every string argument of every root field

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  '"; DROP TABLE loan; --',
  '\u0000',
  'H\u0000SECHA000001',
  '\\x00',
  "%' OR '1'='1",
  "') UNION SELECT match_hash::text FROM household_identity --",
  '$1::text',
  '*/ SELECT pg_sleep(5) /*',
  '\uD800',
  '𠀀'.repeat(50),
  'A'.repeat(20_000),
  '',
  '{"$gt": ""}',
];

/** A value of the argument's type for arguments the case does not attack. */
function sample(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return sample(type.ofType, depth);
  if (isListType(type)) return [sample(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const object: Record<string, unknown> = {};
    if (depth > 3) return object;
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) object[field.name] = sample(field.type, depth + 1);
    }
    return object;
  }
  switch (type.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'Date':
      return '2020-12-31';
    case 'DateTime':
      return '2020-12-31T00:00:00.000Z';
    case 'Decimal':
      return '1';
    default:
      return 'x';
  }
}

/** A place in a field's arguments where a string goes: the argument and the path inside input objects. */
interface Slot {
  argument: GraphQLArgument;
  path: string[];
}

const TEXT_SCALARS = (name: string) => !['Int', 'Float', 'Boolean'].includes(name);

/**
 * The string places of an argument, following input objects; a recursive filter
 * (`and`, `or`, `not` of its own type) is followed one level, which reaches every code
 * path without the combinatorial explosion of all nestings.
 */
function slotsOf(type: GraphQLInputType, path: string[], seen: readonly string[], argument: GraphQLArgument, out: Slot[]): void {
  const named = getNamedType(type);
  if (isScalarType(named) && TEXT_SCALARS(named.name)) out.push({ argument, path });
  if (isInputObjectType(named) && seen.filter((name) => name === named.name).length < 2 && seen.length < 4) {
    for (const field of Object.values(named.getFields())) slotsOf(field.type, [...path, field.name], [...seen, named.name], argument, out);
  }
}

/** The argument's value with `value` at `path` (required siblings sampled, lists of one). */
function withValueAt(type: GraphQLInputType, path: string[], value: unknown): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return [withValueAt(inner.ofType, path, value)];
  if (path.length === 0) return value;
  const named = getNamedType(inner);
  if (!isInputObjectType(named)) return value;
  const object = sample(named) as Record<string, unknown>;
  object[path[0]] = withValueAt(named.getFields()[path[0]].type, path.slice(1), value);
  return object;
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  return isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
}

/** One operation putting `value` into `slot` of root field `field`. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, slot: Slot, value: unknown): { query: string; variables: Record<string, unknown> } {
  const declarations: string[] = [];
  const uses: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const argument of field.args) {
    const targeted = argument === slot.argument;
    const required = isNonNullType(argument.type) && argument.defaultValue === undefined;
    if (!targeted && !required) continue;
    declarations.push(`$${argument.name}: ${String(argument.type)}`);
    uses.push(`${argument.name}: $${argument.name}`);
    variables[argument.name] = targeted ? withValueAt(argument.type, slot.path, value) : sample(argument.type);
  }
  const head = declarations.length === 0 ? kind : `${kind} Hostile(${declarations.join(', ')})`;
  const call = uses.length === 0 ? field.name : `${field.name}(${uses.join(', ')})`;
  return { query: `${head} { ${call} ${selectionFor(field)} }`, variables };
}

function rootFields(type: GraphQLObjectType | null | undefined): Array<GraphQLField<unknown, unknown>> {
  return type === null || type === undefined ? [] : Object.values(type.getFields());
}

const QUERY_FIELDS = rootFields(COMMITTED_SCHEMA.getQueryType());
const MUTATION_FIELDS = rootFields(COMMITTED_SCHEMA.getMutationType());

function slotsOfField(field: GraphQLField<unknown, unknown>): Slot[] {
  const slots: Slot[] = [];
  for (const argument of field.args) slotsOf(argument.type, [], [], argument, slots);
  return slots;
}

describe('SQL-looking and malformed strings in every string argument of every root field', () => {
  const queryCases = QUERY_FIELDS.filter((field) => slotsOfField(field).length > 0);
  test.each(queryCases.map((field) => [field.name, field] as const))('Query.%s', async (_name, field) => {
    const found: string[] = [];
    for (const slot of slotsOfField(field)) {
      // The widest reader and a partner: every scope's SQL gets each value.
      const cases = HOSTILE_STRINGS.flatMap((value) => (['regNationPii', 'bankA'] as PrincipalName[]).map((who) => ({ value, who })));
      const responses = await Promise.all(cases.map(({ value, who }) => {
        const { query, variables } = operationFor('query', field, slot, value);
        return sec.gql(who, query, variables);
      }));
      cases.forEach(({ value, who }, i) => {
        found.push(...problems(`${who} ${field.name}(${[slot.argument.name, ...slot.path].join('.')}: ${JSON.stringify(value).slice(0, 30)})`, responses[i]));
      });
    }
    expect(found).toEqual([]);
  });

  const mutationCases = MUTATION_FIELDS.filter((field) => slotsOfField(field).length > 0);
  (mutationCases.length === 0 ? test.skip : test)(`Mutation fields (${mutationCases.length}), as a principal that may write nothing`, async () => {
    const found: string[] = [];
    for (const field of mutationCases) {
      for (const slot of slotsOfField(field)) {
        for (const value of HOSTILE_STRINGS) {
          const { query, variables } = operationFor('mutation', field, slot, value);
          const response = await sec.gql('analyst', query, variables);
          found.push(...problems(`analyst ${field.name}(${[slot.argument.name, ...slot.path].join('.')}: ${JSON.stringify(value).slice(0, 30)})`, response));
          if (response.body.errors === undefined) found.push(`analyst ${field.name}: a write succeeded for ANALYST`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  test('the walk reached every root query field with a string argument', () => {
    // Guards the generator itself: the first slice's lookups must all be attacked.
    expect(queryCases.map((field) => field.name)).toEqual(expect.arrayContaining(['area', 'county', 'household', 'institution', 'node']));
  });
});

// ---------------------------------------------------------------------------------------
// Ids, cursors, page sizes

describe('global ids and cursors', () => {
  const NODE = 'query Node($id: ID!) { node(id: $id) { __typename } }';

  test.each([
    ['empty', ''],
    ['not base64url', 'not base64!'],
    ['padding', 'TG9hbjox='],
    ['unknown type', gid('Secret', '1')],
    ['SQL in the key', gid('Loan', '1 OR 1=1')],
    ['negative key', gid('Loan', '-1')],
    ['zero key', gid('Loan', '0')],
    ['lower-case household ref', gid('Household', HOUSEHOLDS.hA.ref.toLowerCase())],
    ['NUL in the key', gid('Household', 'H\u0000SECHA00000')],
    ['no colon', Buffer.from('Loan1').toString('base64url')],
    ['10,000 characters', 'A'.repeat(10_000)],
  ])('%s → BAD_USER_INPUT, every time', async (_label, id) => {
    for (let i = 0; i < 3; i += 1) {
      const response = await sec.gql('regNationPii', NODE, { id });
      expect([response.status, response.body]).toEqual([
        400,
        { data: { node: null }, errors: [{ message: 'Malformed node id', locations: expect.any(Array), path: ['node'], extensions: { code: 'BAD_USER_INPUT', field: 'id' } }] },
      ]);
    }
  });

  // Found by this suite and fixed while it was written: each reached PostgreSQL as a failed
  // cast or a protocol violation (INTERNAL / DATABASE_UNAVAILABLE at the client's will).
  test.each(['Loan', 'LoanPosition', 'InsurancePolicy', 'Claim', 'GuaranteeContract', 'HouseholdStatusChange', 'AreaDesignation'])(
    'a %s id of 19 digits past the bigint range is BAD_USER_INPUT',
    async (type) => {
      const response = await sec.gql('regNationPii', NODE, { id: gid(type, '9999999999999999999') });
      expect([response.status, codesOf(response)]).toEqual([400, ['BAD_USER_INPUT']]);
    },
  );

  test('a cursor forged from a real one with a bigint key past the range, or NUL in a text key, is BAD_USER_INPUT', async () => {
    const forge = async (field: string, replace: (key: unknown[]) => unknown[]) => {
      const page = await sec.gql('bankA', `{ ${field}(first: 1) { edges { cursor } } }`);
      const key = JSON.parse(Buffer.from(page.body.data?.[field].edges[0].cursor as string, 'base64url').toString('utf8')) as unknown[];
      const after = Buffer.from(JSON.stringify(replace(key))).toString('base64url');
      return sec.gql('bankA', `query ($after: String) { ${field}(first: 5, after: $after) { totalCount } }`, { after });
    };
    expect(codesOf(await forge('loans', (key) => [...key.slice(0, -1), '9999999999999999999']))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await forge('households', (key) => [key[0], '\u0000', ...key.slice(2)]))).toEqual(['BAD_USER_INPUT']);
  });

  test('NUL in a string filter value is BAD_USER_INPUT', async () => {
    const response = await sec.gql('bankA', 'query ($f: LoanFilter) { loans(filter: $f) { totalCount } }', { f: { ref_in: ['SECA\u00002019'] } });
    expect([response.status, codesOf(response)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  test('a well-formed id of a record that does not exist is null without error', async () => {
    expect((await sec.gql('regNationPii', NODE, { id: gid('Loan', '9223372036854775807') })).body).toEqual({ data: { node: null } });
  });

  /** Root connections (any field with an `after` argument and a `…Connection` type). */
  const connections = QUERY_FIELDS.filter((field) => field.args.some((arg) => arg.name === 'after') && getNamedType(field.type).name.endsWith('Connection'));

  (connections.length === 0 ? test.skip : test)(`malformed and forged cursors on every root connection (${connections.length}) are BAD_USER_INPUT`, async () => {
    const found: string[] = [];
    for (const field of connections) {
      const first = await sec.gql('regNationPii', `{ ${field.name}(first: 1) { edges { cursor } } }`);
      const cursor: string | undefined = first.body.data?.[field.name]?.edges?.[0]?.cursor;
      const forged: string[] = ['garbage!', 'A'.repeat(5000), Buffer.from('[]').toString('base64url'), Buffer.from('{"id":"1 OR 1=1"}').toString('base64url')];
      if (cursor !== undefined) {
        let decoded: unknown;
        try {
          decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
        } catch {
          decoded = undefined;
        }
        if (Array.isArray(decoded)) {
          for (const value of ['9999999999999999999', '\u0000', '2020-13-45 99:99:99', "' OR 1=1 --", '-1', '1e999']) {
            for (let i = 1; i < decoded.length; i += 1) {
              const copy = [...decoded];
              copy[i] = value;
              forged.push(Buffer.from(JSON.stringify(copy), 'utf8').toString('base64url'));
            }
          }
        }
      }
      for (const after of forged) {
        const response = await sec.gql('bankA', `query Page($after: String) { ${field.name}(first: 5, after: $after) { edges { cursor } } }`, { after });
        found.push(...problems(`${field.name}(after: ${Buffer.from(after, 'base64url').toString('utf8').slice(0, 120)})`, response, new Set(['BAD_USER_INPUT'])));
      }
    }
    expect(found).toEqual([]);
  });

  (connections.length === 0 ? test.skip : test)('a cursor taken from another principal’s page shows nothing the caller may not see', async () => {
    // Every id a page shows must be a record the world's visibility table gives the
    // caller, or reference data (institutions, counties …) that everyone sees.
    const worldIds = new Map(ALL_RECORD_KEYS.map((key) => [recordGid(sec.world, key), key] as const));
    const recordTypes = new Set<string>(Object.values(RECORD_TYPES));
    const found: string[] = [];
    for (const field of connections) {
      const wide = await sec.gql('regNationPii', `{ ${field.name}(first: 1) { edges { cursor } } }`);
      const cursor: string | undefined = wide.body.data?.[field.name]?.edges?.[0]?.cursor;
      if (cursor === undefined) continue;
      const pages = await Promise.all(
        PRINCIPAL_NAMES.map((who) =>
          sec.gql(who, `query Page($after: String) { ${field.name}(first: 100, after: $after) { edges { node { __typename ... on Node { id } } } } }`, { after: cursor }),
        ),
      );
      PRINCIPAL_NAMES.forEach((who, i) => {
        found.push(...problems(`${who} ${field.name}(after: borrowed)`, pages[i]));
        for (const edge of (pages[i].body.data?.[field.name]?.edges ?? []) as Array<{ node: { __typename: string; id?: string } }>) {
          const key = edge.node.id === undefined ? undefined : worldIds.get(edge.node.id);
          if (key !== undefined ? !visible(key, who) : recordTypes.has(edge.node.__typename)) found.push(`${who} ${field.name}: ${edge.node.id} through a borrowed cursor`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  test.each([
    ['101', 101],
    ['100,000', 100_000],
    ['-1', -1],
    ['2^31 (not an Int)', 2 ** 31],
  ])('first: %s on every field with a page argument is BAD_USER_INPUT', async (_label, first) => {
    const found: string[] = [];
    const queries = [`query Q($first: Int) { county(code: "${'522326'}") { households(first: $first) { __typename } } }`, 'query Q($first: Int) { area(code: "52") { children(first: $first) { code } } }'];
    for (const field of QUERY_FIELDS.filter((f) => f.args.some((arg) => arg.name === 'first'))) {
      queries.push(`query Q($first: Int) { ${field.name}(first: $first) { __typename } }`);
    }
    for (const query of queries) {
      const response = await sec.gql('regNationPii', query, { first });
      const codes = codesOf(response);
      if (response.status >= 500 || codes.length === 0 || codes.some((code) => code !== 'BAD_USER_INPUT')) found.push(`${query}: ${response.status} ${JSON.stringify(codes)}`);
    }
    expect(found).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Query shapes

describe('query shapes', () => {
  // Singular fields only (loan → position → loan …), so the shapes stay valid whichever
  // lists become connections.
  const LA = () => recordGid(sec.world, 'LA');

  test('depth over the limit is QUERY_TOO_COMPLEX', async () => {
    let inner = 'ref';
    for (let i = 0; i < 7; i += 1) inner = `position { loan { ${inner} } }`;
    const response = await sec.gql('bankA', `query Deep($id: ID!) { node(id: $id) { ... on Loan { ${inner} } } }`, { id: LA() });
    expect([response.status, codesOf(response), response.body.errors?.[0].extensions?.limit]).toEqual([400, ['QUERY_TOO_COMPLEX'], 'maxDepth']);
  });

  test('an alias bomb is QUERY_TOO_COMPLEX before anything runs', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: ref`).join(' ');
    const response = await sec.gql('bankA', `query Aliases($id: ID!) { node(id: $id) { ... on Loan { ${aliases} } } }`, { id: LA() });
    expect([response.status, codesOf(response), response.body.errors?.[0].extensions?.limit]).toEqual([400, ['QUERY_TOO_COMPLEX'], 'maxAliases']);
  });

  test('a fragment bomb (each level spreading the previous twice) is refused quickly', async () => {
    const levels = ['fragment F0 on Loan { ref }'];
    for (let i = 1; i <= 20; i += 1) levels.push(`fragment F${i} on Loan { a${i}: position { loan { ...F${i - 1} } } b${i}: position { loan { ...F${i - 1} } } }`);
    const started = Date.now();
    const response = await sec.gql('bankA', `query Bomb($id: ID!) { node(id: $id) { ...F20 } } ${levels.join(' ')}`, { id: LA() });
    expect([response.status, codesOf(response)]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a wide fragment bomb (3,000 spreads) stops at the token limit', async () => {
    const spreads = Array.from({ length: 3000 }, () => '...F').join(' ');
    const response = await sec.gql('bankA', `{ household(ref: "${HOUSEHOLDS.hA.ref}") { ${spreads} } } fragment F on Household { ref }`);
    expect([response.status, codesOf(response), response.body.errors?.[0].extensions?.limit]).toEqual([400, ['QUERY_TOO_COMPLEX'], 'maxTokens']);
  });

  test('fragment cycles are BAD_USER_INPUT', async () => {
    const response = await sec.gql('bankA', `{ household(ref: "${HOUSEHOLDS.hA.ref}") { ...A } } fragment A on Household { ...B } fragment B on Household { ...A }`);
    expect([response.status, [...new Set(codesOf(response))]]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  test('a huge token count is QUERY_TOO_COMPLEX; a huge comment-only document is BAD_USER_INPUT', async () => {
    const tokens = await sec.gql('bankA', `{ ${Array.from({ length: 6000 }, () => '__typename').join(' ')} }`);
    expect([tokens.status, codesOf(tokens), tokens.body.errors?.[0].extensions?.limit]).toEqual([400, ['QUERY_TOO_COMPLEX'], 'maxTokens']);
    const comment = await sec.gql('bankA', `# ${'x'.repeat(900_000)}\n`);
    expect([comment.status, codesOf(comment)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  test('a nested introspection query is refused', async () => {
    let inner = 'name';
    for (let i = 0; i < 8; i += 1) inner = `fields { type { ${inner} } }`;
    const response = await sec.gql('bankA', `{ __schema { types { ${inner} } } }`);
    expect([response.status, codesOf(response)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  test('unknown fields, syntax errors, unknown operation names and bad variables are BAD_USER_INPUT', async () => {
    for (const [query, variables, operationName] of [
      ['{ household(ref: "x") { nationalId } }', {}, undefined],
      ['{ household(ref: ', {}, undefined],
      ['query A { __typename }', {}, 'B'],
      ['{ __typename } { __typename }', {}, undefined],
      ['query ($r: String!) { household(ref: $r) { ref } }', {}, undefined],
      ['query ($r: String!) { household(ref: $r) { ref } }', { r: 42 }, undefined],
      ['query ($d: Date) { household(ref: "HSECHA0000001") { status(asOf: $d) } }', { d: '2020-02-30' }, undefined],
    ] as Array<[string, Record<string, unknown>, string | undefined]>) {
      const response = await sec.gql('bankA', query, variables, { operationName });
      expect([query, response.status, [...new Set(codesOf(response))]]).toEqual([query, 400, ['BAD_USER_INPUT']]);
    }
  });

  test('variables nested 100,000 deep are harmless', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await sec.client.raw({
      headers: { 'content-type': 'application/json', ...sec.client.authorization('bankA') },
      body: `{"query": "{ __typename }", "variables": {"v": ${deep}}}`,
      as: 'bankA',
    });
    expect([response.status, response.body]).toEqual([200, { data: { __typename: 'Query' } }]);
  });
});

// ---------------------------------------------------------------------------------------
// Transport

describe('transport', () => {
  const json = (who: PrincipalName = 'bankA') => ({ 'content-type': 'application/json', ...sec.client.authorization(who) });

  test('malformed and empty JSON bodies are 400 without internals', async () => {
    for (const body of ['{"query": "{ __typename }"', '', 'null', '[]', '"query"', '{"query": 5}', '{"query": "{ __typename }", "variables": "x"}', '{"query": "{ __typename }", "variables": [1]}']) {
      const response = await sec.client.raw({ headers: json(), body, as: 'bankA' });
      expect([body, response.status]).toEqual([body, 400]);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  test('batched requests are refused (BAD_USER_INPUT)', async () => {
    const response = await sec.client.raw({ headers: json(), body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), as: 'bankA' });
    expect([response.status, codesOf(response)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  test('CSRF: text/plain and header-less POSTs are refused; forms and multipart are 415', async () => {
    const body = JSON.stringify({ query: `{ household(ref: "${HOUSEHOLDS.hA.ref}") { headName } }` });
    for (const contentType of ['text/plain', 'text/plain; charset=utf-8', undefined]) {
      const headers: Record<string, string> = { ...sec.client.authorization('bankA') };
      if (contentType !== undefined) headers['content-type'] = contentType;
      const response = await sec.client.raw({ headers, body, as: 'bankA' });
      expect([contentType, response.status, codesOf(response)]).toEqual([contentType, 400, ['BAD_USER_INPUT']]);
      expect(response.text).toMatch(/Cross-Site Request Forgery/);
      expect(response.text).not.toContain('张三');
    }
    for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await sec.client.raw({ headers: { 'content-type': contentType, ...sec.client.authorization('bankA') }, body: 'query=%7B__typename%7D', as: 'bankA' });
      expect([contentType, response.status]).toEqual([contentType, 415]);
    }
    // A preflight header does not make a text body a GraphQL request.
    const preflight = await sec.client.raw({ headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true', ...sec.client.authorization('bankA') }, body, as: 'bankA' });
    expect(preflight.status).toBe(400);
    expect(preflight.text).not.toContain('张三');
  });

  test('GET never executes an operation: queries and mutations in the URL get the explorer page', async () => {
    for (const query of ['mutation { __typename }', `{ household(ref: "${HOUSEHOLDS.hA.ref}") { headName } }`]) {
      const response = await sec.client.raw({ method: 'GET', path: `/graphql?query=${encodeURIComponent(query)}`, headers: { ...sec.client.authorization('bankA'), accept: 'application/json' }, as: 'bankA' });
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(response.text).not.toContain('张三');
    }
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const response = await sec.client.raw({ method, headers: json(), body: '{"query":"{ __typename }"}', as: 'bankA' });
      expect([method, response.status]).toEqual([method, 404]);
    }
  });

  test('a body over the limit is 413', async () => {
    const response = await sec.client.raw({ headers: json(), body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }), as: 'bankA' });
    expect(response.status).toBe(413);
  });

  test('an unknown persisted-query hash asks for the text (Apollo APQ protocol)', async () => {
    const unknown = await sec.gql('bankA', undefined as unknown as string, {}, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    expect(codesOf(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(unknown.status).toBeLessThan(500);
  });
});

// ---------------------------------------------------------------------------------------
// Credentials

describe('credentials', () => {
  const QUERY = `{ household(ref: "${HOUSEHOLDS.hA.ref}") { ref headName } }`;
  const hs256 = (claims: Record<string, unknown>, secret = TOKEN_SECRET) => signHs256(claims, secret);
  const now = () => Math.floor(Date.now() / 1000);
  const regulatorClaims = () => ({ sub: 'inspector-7', iss: JWT_ISSUER, aud: JWT_AUDIENCE, role: 'REGULATOR', inst: 'SEC-REG-NATION', exp: now() + 600 });

  const refused = async (headers: Record<string, string>) => {
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await sec.gql({ headers }, QUERY);
      codes.push([response.status, response.body]);
    }
    return codes;
  };
  const UNAUTHENTICATED = [401, { errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] }];

  test('a valid HS256 token works (the control for the cases below)', async () => {
    // A nation-wide regulator without a PII grant, like the world's regNation.
    const response = await sec.gql({ headers: { authorization: `Bearer ${hs256(regulatorClaims())}` }, as: 'regNation' }, QUERY);
    expect(response.body).toEqual({ data: { household: { ref: HOUSEHOLDS.hA.ref, headName: '张*' } } });
  });

  test.each([
    ['no credentials', () => ({})],
    ['an empty bearer', () => ({ authorization: 'Bearer ' })],
    ['a Basic header', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['an unknown API key', () => ({ authorization: `Bearer tpd_0123456789AB_${'A'.repeat(43)}` })],
    ['a key with a wrong secret', () => ({ authorization: `Bearer ${sec.world.tokens.bankA.slice(0, -4)}AAAA` })],
    ['a revoked key', () => ({ authorization: `Bearer ${extraTokens.revoked}` })],
    ['a rotated-out key (was cached)', () => ({ authorization: `Bearer ${extraTokens.rotatedOut}` })],
    ['two different keys', () => ({ authorization: `Bearer ${sec.world.tokens.bankA}`, 'x-api-key': sec.world.tokens.bankB })],
    ['an X-Api-Key that is not a key', () => ({ 'x-api-key': 'letmein' })],
    ['an expired JWT', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), exp: now() - 3600 })}` })],
    ['a JWT without exp', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), exp: undefined })}` })],
    ['a JWT not yet valid', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), nbf: now() + 3600 })}` })],
    ['a forged JWT (other secret)', () => ({ authorization: `Bearer ${hs256(regulatorClaims(), 'not-the-secret-not-the-secret-not-the-secret')}` })],
    ['a JWT with edited claims', () => ({ authorization: `Bearer ${tamper(hs256({ ...regulatorClaims(), role: 'BANK', inst: 'SEC-BANK-A' }), { role: 'REGULATOR', inst: 'SEC-REG-NATION', pii: true })}` })],
    ['alg: none', () => ({ authorization: `Bearer ${unsigned(regulatorClaims())}` })],
    ['RS256 while only HS256 is configured', () => ({ authorization: `Bearer ${rs256(regulatorClaims())}` })],
    ['a wrong issuer', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), iss: 'https://evil.example' })}` })],
    ['a wrong audience', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), aud: 'someone-else' })}` })],
    ['an unknown institution', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), inst: 'NO-SUCH-INST' })}` })],
    ['a role that does not fit the institution', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), role: 'GOVERNMENT' })}` })],
    ['a county government claiming another county', () => ({ authorization: `Bearer ${hs256({ ...regulatorClaims(), role: 'GOVERNMENT', inst: 'SEC-GOV-C1', scope: ['513431'] })}` })],
    ['a garbage token', () => ({ authorization: 'Bearer a.b.c' })],
  ])('%s → 401 UNAUTHENTICATED, every time', async (_label, headers) => {
    expect(await refused(headers())).toEqual([UNAUTHENTICATED, UNAUTHENTICATED, UNAUTHENTICATED]);
  });

  test('an expired API key is refused from its expiry on, even from the process cache', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await refused({ authorization: `Bearer ${extraTokens.expiring}` })).toEqual([UNAUTHENTICATED, UNAUTHENTICATED, UNAUTHENTICATED]);
  });

  test('a key with an expiry works until then (through the ORM connection the server authenticates with)', async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await sec.gql({ headers: { authorization: `Bearer ${extraTokens.expiresLater}` }, as: 'bankA' }, QUERY);
      expect([response.status, response.body]).toEqual([200, { data: { household: { ref: HOUSEHOLDS.hA.ref, headName: '张三' } } }]);
    }
  });

  test('the rotated key’s successor works', async () => {
    const response = await sec.gql({ headers: { authorization: `Bearer ${extraTokens.successor}` }, as: 'bankA' }, QUERY);
    expect(response.body).toEqual({ data: { household: { ref: HOUSEHOLDS.hA.ref, headName: '张三' } } });
  });

  test('without credentials GraphQL is UNAUTHENTICATED while the explorer page stays 200', async () => {
    const page = await sec.client.raw({ method: 'GET', path: '/graphql' });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const root = await sec.client.raw({ method: 'GET', path: '/' });
    expect(root.status).toBe(200);
    const api = await sec.gql(null, '{ __typename }');
    expect([api.status, api.body]).toEqual(UNAUTHENTICATED);
  });
});

function tamper(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const edited = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
}

function unsigned(claims: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
}

function rs256(claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------

describe('errors graphql-js, Apollo and Fastify raise about the request itself', () => {
  test('a persisted-query hash that does not match the text sent with it is BAD_USER_INPUT, not INTERNAL', async () => {
    const mismatch = await sec.gql('bankA', '{ __typename }', {}, { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } });
    expect([mismatch.status, codesOf(mismatch)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  test('a subscription over HTTP (the schema has none) is BAD_USER_INPUT, not INTERNAL', async () => {
    const subscription = await sec.gql('bankA', 'subscription { __typename }');
    expect(codesOf(subscription)).toEqual(['BAD_USER_INPUT']);
  });

  test('malformed or empty JSON, an unsupported content type and an oversized body carry a stable code', async () => {
    const cases: Array<[string, string, number]> = [
      ['application/json', '{"query": ', 400],
      ['application/json', '', 400],
      ['application/x-www-form-urlencoded', 'query=%7B__typename%7D', 415],
      ['application/json', JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }), 413],
    ];
    for (const [contentType, body, status] of cases) {
      const response = await sec.client.raw({ headers: { 'content-type': contentType, ...sec.client.authorization('bankA') }, body, as: 'bankA' });
      expect([contentType, status, response.status, codesOf(response)]).toEqual([contentType, status, status, ['BAD_USER_INPUT']]);
    }
  });
});

describe('afterwards', () => {
  test('no business table changed (audit log and usage counters excepted)', async () => {
    expect(await businessSnapshot(sec.pool)).toEqual(before);
  });

  test('no response held SQL, a stack trace, an ID number, a match hash or a name of a record its principal may not see', () => {
    expect(sec.log.length).toBeGreaterThan(200);
    expect(findLeaks(sec.world, sec.log)).toEqual([]);
  });
});
