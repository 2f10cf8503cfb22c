/**
 * `householdRegistration(idNumber)` over real HTTP: one status and a date, for partner
 * roles only, validated, rate-limited per key and audited — and the number never stored
 * anywhere in the audit log, nor its hash.
 */
import './reset-orm-metadata';
import { checkCharacter, matchHashesForAllVersions } from '../../src/services/identity';
import { chinaDay, defineLimitsConfig } from '../../src/services/limits';
import { ID_NUMBERS, matchKeyring, onlyError, startApi, type Api, type World } from './access-world';
import { useTestDatabase } from '../helpers';

const db = useTestDatabase();
let api: Api & World;

/** Lookups per key per minute on this file's server: few, so the limit trips quickly. */
const LOOKUP_LIMIT = 12;

beforeAll(async () => {
  api = await startApi(db, { limits: { limits: defineLimitsConfig({ default: { registrationLookupsPerMinute: LOOKUP_LIMIT } }), persistedOnly: false } });
});

const LOOKUP = /* GraphQL */ `
  query Lookup($idNumber: String!) {
    householdRegistration(idNumber: $idNumber) { status asOf }
  }
`;

/** A number with its check character replaced by a wrong one. */
function withWrongCheck(idNumber: string): string {
  const right = checkCharacter(idNumber.slice(0, 17));
  return idNumber.slice(0, 17) + (right === '0' ? '1' : '0');
}

/** 17 digits with an impossible birth date (30 February) and the right check character. */
const IMPOSSIBLE_DATE = (() => {
  const first17 = '52990019800230001';
  return first17 + checkCharacter(first17);
})();
const BAD_PROVINCE = (() => {
  const first17 = '99990019800601001';
  return first17 + checkCharacter(first17);
})();

const lookupAudit = () =>
  api.rows(
    `SELECT a.actor_role, a.actor_key, a.operation, h.ref AS household, a.fields, a.details
       FROM audit_log a LEFT JOIN household h ON h.id = a.household_id
      WHERE a.action = 'REGISTRATION_LOOKUP' ORDER BY a.id`,
  );

describe('householdRegistration', () => {
  it('answers status and date only, for every registry case', async () => {
    const today = chinaDay(new Date());
    const cases: Array<[string, string]> = [
      [ID_NUMBERS.h1, 'REGISTERED'], // LIFTED_OUT is still a registered household
      [ID_NUMBERS.h2, 'REGISTERED'], // REGISTERED_POOR
      [ID_NUMBERS.h4, 'MARGINAL'], // hashed under the previous key version, not yet re-keyed
      [ID_NUMBERS.h3, 'NOT_REGISTERED'], // OTHER: known to the hub, not in the registry
      [ID_NUMBERS.unknown, 'NOT_REGISTERED'], // unknown to the hub
      [ID_NUMBERS.closed, 'NOT_REGISTERED'], // a former head: that identity is closed
      [ID_NUMBERS.h1.replace(/^(\d{17})X$/, '$1x'), 'REGISTERED'], // lower-case x is the same number
    ];
    for (const [idNumber, status] of cases) {
      expect([status, await api.data('bank', LOOKUP, { idNumber })]).toEqual([status, { householdRegistration: { status, asOf: today } }]);
    }
  });

  it('is open to every partner role, whatever institution holds the household’s contracts', async () => {
    for (const who of ['bank', 'otherBank', 'insurer', 'guarantor', 'government', 'otherGovernment']) {
      expect([who, await api.data(who, LOOKUP, { idNumber: ID_NUMBERS.h2 })]).toEqual([who, { householdRegistration: { status: 'REGISTERED', asOf: chinaDay(new Date()) } }]);
    }
  });

  it('is FORBIDDEN to regulators, analysts and admins', async () => {
    for (const who of ['regulator', 'analyst', 'admin']) {
      const response = await api.gql(who, LOOKUP, { idNumber: ID_NUMBERS.h2 });
      expect([who, response.body.data, onlyError(response)]).toEqual([
        who,
        null,
        { message: `householdRegistration is not allowed for the ${api.principals[who].role} role`, code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } },
      ]);
    }
  });

  it('rejects a malformed number, a wrong check character, an impossible date and an unknown province, never echoing it', async () => {
    const cases: Array<[string, string, string]> = [
      ['12345', 'FORMAT', 'expected 17 digits followed by a digit or X'],
      [`${ID_NUMBERS.h1} `, 'FORMAT', 'expected 17 digits followed by a digit or X'],
      [withWrongCheck(ID_NUMBERS.h1), 'CHECK_CHARACTER', 'the check character does not match'],
      [IMPOSSIBLE_DATE, 'BIRTH_DATE', 'the birth date is not a real date between 1900-01-01 and today'],
      [BAD_PROVINCE, 'PROVINCE', 'the first two digits are not a province-level code'],
    ];
    for (const [idNumber, reason, text] of cases) {
      const response = await api.gql('insurer', LOOKUP, { idNumber });
      expect([reason, response.body.data, onlyError(response)]).toEqual([
        reason,
        null,
        {
          message: `idNumber is not a valid national ID number: ${text}`,
          code: 'BAD_USER_INPUT',
          extensions: { code: 'BAD_USER_INPUT', field: 'idNumber', reason },
        },
      ]);
      expect(JSON.stringify(response.body)).not.toContain(idNumber.trim().slice(0, 17));
    }
  });

  it('audits every call with the matched household, never the number or its hash', async () => {
    const rows = await lookupAudit();
    // 7 + 6 lookups above, 5 invalid ones; the forbidden calls are not lookups.
    expect(rows).toHaveLength(18);
    expect(rows.slice(0, 7)).toEqual([
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: 'H0000000000A1', fields: null, details: { result: 'REGISTERED' } },
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: 'H0000000000B2', fields: null, details: { result: 'REGISTERED' } },
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: 'H0000000000D4', fields: null, details: { result: 'MARGINAL' } },
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: 'H0000000000C3', fields: null, details: { result: 'NOT_REGISTERED' } },
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: null, fields: null, details: { result: 'NOT_REGISTERED' } },
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: null, fields: null, details: { result: 'NOT_REGISTERED' } },
      { actor_role: 'BANK', actor_key: 'TESTKEYBANK1', operation: 'householdRegistration', household: 'H0000000000A1', fields: null, details: { result: 'REGISTERED' } },
    ]);
    expect(rows.slice(13).map((row) => row.details)).toEqual([
      { result: 'INVALID', reason: 'FORMAT' },
      { result: 'INVALID', reason: 'FORMAT' },
      { result: 'INVALID', reason: 'CHECK_CHARACTER' },
      { result: 'INVALID', reason: 'BIRTH_DATE' },
      { result: 'INVALID', reason: 'PROVINCE' },
    ]);

    // Search the whole table's text for every number looked up and each of its hashes.
    const [{ text }] = await api.rows<{ text: string }>(`SELECT coalesce(string_agg(a::text, E'\\n'), '') AS text FROM audit_log a`);
    const secrets = Object.values(ID_NUMBERS).flatMap((idNumber) => [
      idNumber,
      idNumber.slice(0, 17),
      ...matchHashesForAllVersions(matchKeyring, idNumber).flatMap(({ hash }) => [hash.toString('hex'), hash.toString('base64')]),
    ]);
    expect(text.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(text.toLowerCase().includes(secret.toLowerCase())).toBe(false);
    }
  });

  it('is rate-limited per key: RATE_LIMITED once the key’s lookups per minute are used, other keys unaffected, still audited', async () => {
    // The government has made one lookup so far.
    for (let i = 1; i < LOOKUP_LIMIT; i += 1) {
      await api.data('government', LOOKUP, { idNumber: ID_NUMBERS.unknown });
    }
    const refused = await api.gql('government', LOOKUP, { idNumber: ID_NUMBERS.h2 });
    expect(refused.body.data).toBeNull();
    expect(onlyError(refused)).toEqual({
      message: expect.stringMatching(/^Too many household registration lookups: the limit is 12 per minute; retry in \d+ s$/),
      code: 'RATE_LIMITED',
      extensions: { code: 'RATE_LIMITED', limit: 'registrationLookupsPerMinute', max: LOOKUP_LIMIT, retryAfterSeconds: expect.any(Number) },
    });
    // An invalid number counts too, and is refused by the limit before it is even read.
    expect(onlyError(await api.gql('government', LOOKUP, { idNumber: 'x' })).code).toBe('RATE_LIMITED');
    expect(await api.data('otherGovernment', LOOKUP, { idNumber: ID_NUMBERS.h2 })).toEqual({
      householdRegistration: { status: 'REGISTERED', asOf: chinaDay(new Date()) },
    });
    const refusals = (await lookupAudit()).filter((row) => row.actor_key === 'TESTKEYGOVT1' && (row.details as { result: string }).result === 'RATE_LIMITED');
    expect(refusals).toEqual([
      { actor_role: 'GOVERNMENT', actor_key: 'TESTKEYGOVT1', operation: 'householdRegistration', household: null, fields: null, details: { result: 'RATE_LIMITED' } },
      { actor_role: 'GOVERNMENT', actor_key: 'TESTKEYGOVT1', operation: 'householdRegistration', household: null, fields: null, details: { result: 'RATE_LIMITED' } },
    ]);
  });

  it('counts aliased lookups in one request one by one', async () => {
    const many = (n: number) =>
      `query Many($idNumber: String!) { ${Array.from({ length: n }, (_, i) => `l${i}: householdRegistration(idNumber: $idNumber) { status }`).join(' ')} }`;
    // The guarantor made one lookup before; ten more in one request leave one.
    const first = await api.gql('guarantor', many(10), { idNumber: ID_NUMBERS.h3 });
    expect(first.body.errors).toBeUndefined();
    const second = await api.gql('guarantor', many(2), { idNumber: ID_NUMBERS.h3 });
    // The answer is non-null: one refused lookup fails the request's data as a whole.
    expect(second.body.data).toBeNull();
    expect(second.body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['l1'], 'RATE_LIMITED']]);
  });
});
