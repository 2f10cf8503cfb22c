/**
 * Administration over real HTTP — institutions, API keys, policy parameters — for the
 * ADMIN role only, every action audited; and `usage`, the caller's own limits.
 */
import './reset-orm-metadata';
import { DEFAULT_POLICY_PARAMETERS } from '../../src/services/reference';
import { COUNTY, gid, onlyError, startApi, type Api, type World } from './access-world';
import { useTestDatabase } from '../helpers';

const db = useTestDatabase();
let api: Api & World;

beforeAll(async () => {
  api = await startApi(db);
});

const NON_ADMINS = ['bank', 'insurer', 'guarantor', 'government', 'regulator', 'analyst'];

const auditOf = (actions: string[]) =>
  api.rows(
    `SELECT a.action, a.operation, a.actor_role, a.actor_key, a.household_id, a.fields, a.details
       FROM audit_log a WHERE a.action = ANY ($1::text[]) ORDER BY a.id`,
    [actions],
  );

const INSTITUTION_FIELDS = 'code name kind validFrom validTo homeArea { code } parent { code }';
const UPSERT = `mutation Upsert($input: UpsertInstitutionInput!) { upsertInstitution(input: $input) { outcome institution { ${INSTITUTION_FIELDS} } } }`;

describe('upsertInstitution', () => {
  const branch = { code: 'TEST-RCC-522326-01', name: '望谟农商行乐元支行', kind: 'BANK', homeAreaCode: '522326101', parentCode: 'TEST-RCC-522326' };

  it('creates, leaves unchanged, and updates an institution, each audited', async () => {
    expect(await api.data('admin', UPSERT, { input: branch })).toEqual({
      upsertInstitution: {
        outcome: 'CREATED',
        institution: { code: branch.code, name: branch.name, kind: 'BANK', validFrom: '2014-01-01', validTo: null, homeArea: { code: '522326101' }, parent: { code: 'TEST-RCC-522326' } },
      },
    });
    expect((await api.data('admin', UPSERT, { input: branch })).upsertInstitution.outcome).toBe('UNCHANGED');
    expect(await api.data('admin', UPSERT, { input: { ...branch, name: '望谟农商行乐元分理处', validTo: '2030-12-31', parentCode: undefined } })).toEqual({
      upsertInstitution: {
        outcome: 'UPDATED',
        // Left out, the parent stays.
        institution: { code: branch.code, name: '望谟农商行乐元分理处', kind: 'BANK', validFrom: '2014-01-01', validTo: '2030-12-31', homeArea: { code: '522326101' }, parent: { code: 'TEST-RCC-522326' } },
      },
    });
    // An explicit null clears it.
    const cleared = await api.data('admin', UPSERT, { input: { ...branch, name: '望谟农商行乐元分理处', validTo: '2030-12-31', parentCode: null } });
    expect(cleared.upsertInstitution).toMatchObject({ outcome: 'UPDATED', institution: { parent: null } });
    // Every principal reads it as reference data at once.
    expect(await api.data('analyst', `{ institution(code: "${branch.code}") { name } }`)).toEqual({ institution: { name: '望谟农商行乐元分理处' } });

    const audited = { action: 'INSTITUTION_CHANGED', operation: 'upsertInstitution', actor_role: 'ADMIN', actor_key: 'TESTKEYADMN1', household_id: null, fields: null };
    expect(await auditOf(['INSTITUTION_CHANGED'])).toEqual([
      { ...audited, details: { institutionCode: branch.code, kind: 'BANK', outcome: 'CREATED', changed: [] } },
      { ...audited, details: { institutionCode: branch.code, kind: 'BANK', outcome: 'UNCHANGED', changed: [] } },
      { ...audited, details: { institutionCode: branch.code, kind: 'BANK', outcome: 'UPDATED', changed: ['name', 'validTo'] } },
      { ...audited, details: { institutionCode: branch.code, kind: 'BANK', outcome: 'UPDATED', changed: ['parentCode'] } },
    ]);
  });

  it('refuses a changed kind, an unknown area or parent, a parent cycle and an inverted validity', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...branch, kind: 'INSURER' }, `The kind of ${branch.code} is BANK; an institution's kind does not change`, 'input.kind'],
      [{ ...branch, homeAreaCode: '999999' }, 'Unknown area code "999999"', 'input.homeAreaCode'],
      [{ ...branch, parentCode: 'TEST-NOBODY' }, 'Unknown parent institution "TEST-NOBODY"', 'input.parentCode'],
      [{ ...branch, parentCode: branch.code }, 'An institution cannot be its own parent', 'input.parentCode'],
      [
        { code: 'TEST-RCC-HQ', name: '贵州省农村信用社联合社', kind: 'BANK', homeAreaCode: '52', parentCode: 'TEST-RCC-522326' },
        'TEST-RCC-522326 is a branch of TEST-RCC-HQ; choosing it as parent would make a cycle',
        'input.parentCode',
      ],
      [{ ...branch, validFrom: '2020-01-01', validTo: '2019-01-01' }, 'validTo must be after validFrom', 'input.validTo'],
      [{ ...branch, code: 'has space' }, 'An institution code has 1 to 32 letters, digits, "_", "." or "-"', 'input.code'],
    ];
    for (const [input, message, field] of cases) {
      expect([input, onlyError(await api.gql('admin', UPSERT, { input }))]).toEqual([input, { message, code: 'BAD_USER_INPUT', extensions: { code: 'BAD_USER_INPUT', field } }]);
    }
    expect(await auditOf(['INSTITUTION_CHANGED'])).toHaveLength(4);
  });

  it('is FORBIDDEN to every other role, and changes nothing', async () => {
    for (const who of NON_ADMINS) {
      const response = await api.gql(who, UPSERT, { input: { ...branch, name: 'hijacked' } });
      expect([who, onlyError(response)]).toEqual([
        who,
        { message: `upsertInstitution is not allowed for the ${api.principals[who].role} role`, code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } },
      ]);
    }
    expect(await api.rows('SELECT name FROM institution WHERE code = $1', [branch.code])).toEqual([{ name: '望谟农商行乐元分理处' }]);
  });
});

describe('API keys', () => {
  const KEY_FIELDS = 'keyId role areaCodes piiGranted label createdAt expiresAt revokedAt rotatedFromKeyId createdBy status institution { code }';
  const ISSUE = `mutation Issue($input: IssueApiKeyInput!) { issueApiKey(input: $input) { token key { ${KEY_FIELDS} } } }`;
  const LIST = `query Keys($code: String) { apiKeys(institutionCode: $code) { ${KEY_FIELDS} } }`;
  const ROTATE = `mutation Rotate($keyId: String!, $grace: Int!) { rotateApiKey(keyId: $keyId, graceHours: $grace) { token key { ${KEY_FIELDS} } previous { keyId status expiresAt } } }`;
  const REVOKE = `mutation Revoke($keyId: String!) { revokeApiKey(keyId: $keyId) { ${KEY_FIELDS} } }`;
  const PROBE = '{ institution(code: "TEST-RCC-522326") { code } }';
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  let issued: { token: string; key: Record<string, any> };
  let rotated: { token: string; key: Record<string, any> };

  it('issues a key whose token works at once and is shown only in that answer', async () => {
    const response = await api.data('admin', ISSUE, { input: { role: 'BANK', institutionCode: 'TEST-RCC-522326', areaCodes: [COUNTY], label: 'core banking' } });
    issued = response.issueApiKey;
    expect(issued).toEqual({
      token: expect.stringMatching(new RegExp(`^tpd_${issued.key.keyId}_[A-Za-z0-9_-]+$`)),
      key: {
        keyId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/),
        role: 'BANK',
        areaCodes: [COUNTY],
        piiGranted: false,
        label: 'core banking',
        createdAt: expect.any(String),
        expiresAt: null,
        revokedAt: null,
        rotatedFromKeyId: null,
        createdBy: 'api:TESTKEYADMN1',
        status: 'ACTIVE',
        institution: { code: 'TEST-RCC-522326' },
      },
    });
    const probe = await api.gql(bearer(issued.token), PROBE);
    expect([probe.status, probe.body]).toEqual([200, { data: { institution: { code: 'TEST-RCC-522326' } } }]);
  });

  it('lists keys with their status and never a secret or hash', async () => {
    const listed = await api.data('admin', LIST, { code: 'TEST-RCC-522326' });
    expect(listed).toEqual({ apiKeys: [issued.key] });
    const secret = issued.token.split('_').slice(2).join('_');
    expect(JSON.stringify(await api.data('admin', LIST, {}))).not.toContain(secret);
    expect(onlyError(await api.gql('admin', LIST, { code: 'TEST-NOBODY' }))).toEqual({
      message: 'No institution with code "TEST-NOBODY"',
      code: 'NOT_FOUND',
      extensions: { code: 'NOT_FOUND', field: 'input.institutionCode' },
    });
  });

  it('rotates a key: the new token works, the old one stops (no grace)', async () => {
    const response = await api.data('admin', ROTATE, { keyId: issued.key.keyId.toLowerCase(), grace: 0 });
    rotated = response.rotateApiKey;
    expect(response.rotateApiKey).toEqual({
      token: expect.stringMatching(/^tpd_/),
      key: { ...issued.key, keyId: expect.not.stringMatching(issued.key.keyId), createdAt: expect.any(String), rotatedFromKeyId: issued.key.keyId },
      previous: { keyId: issued.key.keyId, status: 'EXPIRED', expiresAt: expect.any(String) },
    });
    expect((await api.gql(bearer(rotated.token), PROBE)).status).toBe(200);
    const old = await api.gql(bearer(issued.token), PROBE);
    expect([old.status, old.body]).toEqual([401, { errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] }]);
  });

  it('revokes a key at once; revoking again is a CONFLICT', async () => {
    const response = await api.data('admin', REVOKE, { keyId: rotated.key.keyId });
    expect(response.revokeApiKey).toEqual({ ...rotated.key, revokedAt: expect.any(String), status: 'REVOKED' });
    expect((await api.gql(bearer(rotated.token), PROBE)).status).toBe(401);
    expect(onlyError(await api.gql('admin', REVOKE, { keyId: rotated.key.keyId }))).toEqual({
      message: `Key ${rotated.key.keyId} is already revoked`,
      code: 'CONFLICT',
      extensions: { code: 'CONFLICT', reason: 'KEY_REVOKED' },
    });
  });

  it('refuses what the CLI refuses, with the same reasons', async () => {
    const refusals: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      [ISSUE, { input: { role: 'BANK', institutionCode: 'TEST-PICC-522326' } }, { code: 'BAD_USER_INPUT', field: 'input.institutionCode', reason: 'ROLE_INSTITUTION_MISMATCH' }],
      [ISSUE, { input: { role: 'BANK' } }, { code: 'BAD_USER_INPUT', field: 'input.institutionCode', reason: 'INSTITUTION_REQUIRED' }],
      [ISSUE, { input: { role: 'BANK', institutionCode: 'TEST-RCC-522326', piiGranted: true } }, { code: 'BAD_USER_INPUT', field: 'input.piiGranted', reason: 'PII_NOT_ALLOWED' }],
      [ISSUE, { input: { role: 'GOVERNMENT', institutionCode: 'TEST-GOV-522326', areaCodes: ['522324'] } }, { code: 'BAD_USER_INPUT', field: 'input.areaCodes', reason: 'SCOPE_OUTSIDE_INSTITUTION' }],
      [ISSUE, { input: { role: 'BANK', institutionCode: 'TEST-NOBODY' } }, { code: 'NOT_FOUND', field: 'input.institutionCode' }],
      [ROTATE, { keyId: '0000000000ZZ', grace: 0 }, { code: 'NOT_FOUND', field: 'keyId' }],
      [ROTATE, { keyId: issued.key.keyId, grace: 0 }, { code: 'CONFLICT', reason: 'KEY_EXPIRED' }],
      [ROTATE, { keyId: rotated.key.keyId, grace: 1000 }, { code: 'BAD_USER_INPUT', field: 'graceHours', reason: 'INVALID_GRACE' }],
      [REVOKE, { keyId: 'not a key' }, { code: 'BAD_USER_INPUT', field: 'keyId', reason: 'INVALID_KEY_ID' }],
    ];
    for (const [operation, variables, extensions] of refusals) {
      const { code, extensions: got } = onlyError(await api.gql('admin', operation, variables));
      expect([variables, code, got]).toEqual([variables, extensions.code, extensions]);
    }
  });

  it('is FORBIDDEN to every other role', async () => {
    for (const who of NON_ADMINS) {
      for (const [operation, variables, name] of [
        [ISSUE, { input: { role: 'ADMIN' } }, 'issueApiKey'],
        [LIST, {}, 'apiKeys'],
        [ROTATE, { keyId: rotated.key.keyId, grace: 0 }, 'rotateApiKey'],
        [REVOKE, { keyId: rotated.key.keyId }, 'revokeApiKey'],
      ] as const) {
        expect([who, name, onlyError(await api.gql(who, operation, variables))]).toEqual([
          who,
          name,
          { message: `${name} is not allowed for the ${api.principals[who].role} role`, code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } },
        ]);
      }
    }
  });

  it('audits every key action in the transaction that made it, never the secret', async () => {
    const audited = { actor_role: 'ADMIN', actor_key: 'TESTKEYADMN1', household_id: null, fields: null };
    const key = (summary: Record<string, any>) => ({
      keyId: summary.keyId,
      institutionCode: 'TEST-RCC-522326',
      role: 'BANK',
      areaCodes: [COUNTY],
      piiGranted: false,
      label: 'core banking',
      expiresAt: null,
    });
    expect(await auditOf(['KEY_ISSUED', 'KEYS_LISTED', 'KEY_ROTATED', 'KEY_REVOKED'])).toEqual([
      { ...audited, action: 'KEY_ISSUED', operation: 'issueApiKey', details: key(issued.key) },
      { ...audited, action: 'KEYS_LISTED', operation: 'apiKeys', details: { institutionCode: 'TEST-RCC-522326', count: 1 } },
      { ...audited, action: 'KEYS_LISTED', operation: 'apiKeys', details: { institutionCode: null, count: 1 } },
      {
        ...audited,
        action: 'KEY_ROTATED',
        operation: 'rotateApiKey',
        details: { ...key(rotated.key), rotatedFrom: issued.key.keyId, graceHours: 0, previousExpiresAt: expect.any(String) },
      },
      { ...audited, action: 'KEY_REVOKED', operation: 'revokeApiKey', details: key(rotated.key) },
    ]);
    const [{ text }] = await api.rows<{ text: string }>(`SELECT string_agg(a::text, E'\\n') AS text FROM audit_log a`);
    for (const token of [issued.token, rotated.token]) {
      expect(text).not.toContain(token.split('_').slice(2).join('_'));
    }
  });
});

describe('policy parameters', () => {
  const FIELDS = 'id key value unit validFrom validTo basis description createdAt';
  const LIST = `query Params($key: String, $asOf: Date) { policyParameters(key: $key, asOf: $asOf) { ${FIELDS} } }`;
  const SET = `mutation Set($input: SetPolicyParameterInput!) { setPolicyParameter(input: $input) { parameter { ${FIELDS} } closed { ${FIELDS} } } }`;
  const maxAmount = DEFAULT_POLICY_PARAMETERS.find((p) => p.key === 'microcredit.max_amount')!;
  let original: Record<string, any>;

  it('are readable by every role, by key and as of a date', async () => {
    const all = await api.data('analyst', LIST, {});
    expect(all.policyParameters).toHaveLength(DEFAULT_POLICY_PARAMETERS.length);
    const byKey = await api.data('bank', LIST, { key: 'microcredit.max_amount' });
    original = byKey.policyParameters[0];
    expect(byKey).toEqual({
      policyParameters: [
        {
          id: expect.any(String),
          key: 'microcredit.max_amount',
          value: '50000.000000',
          unit: 'YUAN',
          validFrom: '2014-01-01',
          validTo: null,
          basis: maxAmount.basis,
          description: maxAmount.description,
          createdAt: expect.any(String),
        },
      ],
    });
    for (const who of ['insurer', 'guarantor', 'government', 'regulator', 'admin']) {
      expect(await api.data(who, LIST, { key: 'microcredit.max_amount' })).toEqual(byKey);
    }
    const ages = await api.data('regulator', LIST, { key: 'microcredit.max_borrower_age', asOf: '2018-12-31' });
    expect(ages.policyParameters.map((p: { value: string }) => p.value)).toEqual(['60.000000']);
  });

  it('setPolicyParameter adds a dated version and closes the open one at its start, never overwriting', async () => {
    const response = await api.data('admin', SET, {
      input: { key: 'microcredit.max_amount', value: '60000', unit: 'YUAN', validFrom: '2021-01-01', basis: '2021 文件 (test)', description: 'Raised cap' },
    });
    expect(response).toEqual({
      setPolicyParameter: {
        parameter: {
          id: expect.any(String),
          key: 'microcredit.max_amount',
          value: '60000.000000',
          unit: 'YUAN',
          validFrom: '2021-01-01',
          validTo: null,
          basis: '2021 文件 (test)',
          description: 'Raised cap',
          createdAt: expect.any(String),
        },
        closed: { ...original, validTo: '2021-01-01' },
      },
    });
    const valueOn = async (asOf: string) =>
      (await api.data('government', LIST, { key: 'microcredit.max_amount', asOf })).policyParameters.map((p: { value: string }) => p.value);
    expect(await valueOn('2020-12-31')).toEqual(['50000.000000']);
    expect(await valueOn('2021-01-01')).toEqual(['60000.000000']);
    expect((await api.data('bank', LIST, { key: 'microcredit.max_amount' })).policyParameters).toEqual([
      { ...original, validTo: '2021-01-01' },
      response.setPolicyParameter.parameter,
    ]);
    // Every version is a node.
    const node = await api.data('analyst', `query ($id: ID!) { node(id: $id) { ... on PolicyParameter { key value } } }`, { id: response.setPolicyParameter.parameter.id });
    expect(node).toEqual({ node: { key: 'microcredit.max_amount', value: '60000.000000' } });
    expect(response.setPolicyParameter.parameter.id).toBe(gid('PolicyParameter', Buffer.from(response.setPolicyParameter.parameter.id, 'base64url').toString().split(':')[1]));

    const created = await api.data('admin', SET, { input: { key: 'test.new_parameter', value: '0.5', unit: 'RATIO', validFrom: '2020-01-01', basis: 'test' } });
    expect(created.setPolicyParameter).toMatchObject({ parameter: { key: 'test.new_parameter', value: '0.500000', validTo: null, description: null }, closed: null });
  });

  it('refuses a start not after the current version’s, a changed unit and malformed fields', async () => {
    const base = { key: 'microcredit.max_amount', value: '70000', unit: 'YUAN', validFrom: '2022-01-01', basis: 'test' };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...base, validFrom: '2021-01-01' }, 'validFrom must be after 2021-01-01, when the current version of microcredit.max_amount starts', 'input.validFrom'],
      [{ ...base, validFrom: '2020-06-01' }, 'validFrom must be after 2021-01-01, when the current version of microcredit.max_amount starts', 'input.validFrom'],
      [{ ...base, unit: 'MONTHS' }, 'microcredit.max_amount is measured in YUAN; a new version keeps the unit', 'input.unit'],
      [{ ...base, value: '1.1234567' }, 'value has at most 14 integer and 6 fraction digits', 'input.value'],
      [{ ...base, key: 'Bad Key' }, 'A parameter key is lower-case words joined by dots, e.g. microcredit.max_amount', 'input.key'],
      [{ ...base, unit: 'yuan' }, 'unit is an upper-case code of at most 16 characters (YUAN, MONTHS, DAYS, RATE, RATIO, COUNT …)', 'input.unit'],
      [{ ...base, basis: '  ' }, 'basis must not be empty', 'input.basis'],
    ];
    for (const [input, message, field] of cases) {
      expect([input, onlyError(await api.gql('admin', SET, { input }))]).toEqual([input, { message, code: 'BAD_USER_INPUT', extensions: { code: 'BAD_USER_INPUT', field } }]);
    }
    expect(await api.rows(`SELECT count(*)::int AS n FROM policy_parameter WHERE key = 'microcredit.max_amount'`)).toEqual([{ n: 2 }]);
  });

  it('is FORBIDDEN to change for every other role; changes are audited', async () => {
    for (const who of NON_ADMINS) {
      const response = await api.gql(who, SET, { input: { key: 'microcredit.max_amount', value: '1', unit: 'YUAN', validFrom: '2030-01-01', basis: 'x' } });
      expect([who, onlyError(response)]).toEqual([
        who,
        { message: `setPolicyParameter is not allowed for the ${api.principals[who].role} role`, code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } },
      ]);
    }
    const rows = await auditOf(['PARAMETER_CHANGED']);
    expect(rows).toEqual([
      {
        action: 'PARAMETER_CHANGED',
        operation: 'setPolicyParameter',
        actor_role: 'ADMIN',
        actor_key: 'TESTKEYADMN1',
        household_id: null,
        fields: null,
        details: { parameterKey: 'microcredit.max_amount', parameterId: expect.any(String), unit: 'YUAN', validFrom: '2021-01-01', closedParameterId: expect.any(String) },
      },
      {
        action: 'PARAMETER_CHANGED',
        operation: 'setPolicyParameter',
        actor_role: 'ADMIN',
        actor_key: 'TESTKEYADMN1',
        household_id: null,
        fields: null,
        details: { parameterKey: 'test.new_parameter', parameterId: expect.any(String), unit: 'RATIO', validFrom: '2020-01-01', closedParameterId: null },
      },
    ]);
  });
});

describe('usage', () => {
  const USAGE = '{ usage { rateLimitPerMinute remainingThisMinute dailyCostBudget costUsedToday remainingCostToday resetsAt } }';

  it('reports the caller’s own limits, moving after each request', async () => {
    const first = (await api.data('otherInsurer', USAGE)).usage;
    const nextMidnight = (() => {
      const chinaNow = new Date(Date.now() + 8 * 3600_000);
      return new Date(Date.UTC(chinaNow.getUTCFullYear(), chinaNow.getUTCMonth(), chinaNow.getUTCDate() + 1) - 8 * 3600_000).toISOString();
    })();
    expect(first).toEqual({
      rateLimitPerMinute: 600,
      // This request is counted already.
      remainingThisMinute: 599,
      dailyCostBudget: 50_000_000,
      // So is its cost (7: the usage field and its six fields), charged on admission.
      costUsedToday: 7,
      remainingCostToday: 50_000_000 - 7,
      resetsAt: nextMidnight,
    });
    await api.data('otherInsurer', '{ institution(code: "TEST-GZAGC") { code name } }');
    const second = (await api.data('otherInsurer', USAGE)).usage;
    expect(second.remainingThisMinute).toBe(597);
    expect(second.costUsedToday).toBeGreaterThan(0);
    expect(second.remainingCostToday).toBe(50_000_000 - second.costUsedToday);
    // Another key's numbers did not move.
    expect((await api.data('otherGovernment', USAGE)).usage).toMatchObject({ remainingThisMinute: 599, costUsedToday: 7 });
    const charged = await api.rows<{ principal_key: string; requests: number }>(`SELECT principal_key, requests FROM usage_counter WHERE principal_key = 'key:TESTKEYINSR2'`);
    expect(charged).toEqual([{ principal_key: 'key:TESTKEYINSR2', requests: 3 }]);
  });
});
