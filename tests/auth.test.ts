/**
 * Authentication against a real database: API keys (issue, authenticate, rotate, revoke,
 * list, the process cache), JWTs (HS256, RS256 by kid, the usual attacks), header
 * resolution, demo keys and the `keys` CLI end to end with its audit rows.
 */
import { execFile } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  authenticateApiKey,
  AuthenticationError,
  createJwtVerifier,
  developmentPrincipal,
  ensureDemoKeys,
  invalidateKeyCache,
  issueApiKey,
  KeyAdminError,
  listApiKeys,
  parseToken,
  principalKey,
  resolvePrincipal,
  revokeApiKey,
  rotateApiKey,
  signHs256,
  type AuthOutcome,
  type JwtVerifier,
  type Queryable,
} from '../src/services/auth';
import type { Principal } from '../src/services/access/principal';
import { useTestDatabase } from './helpers';

const db = useTestDatabase();
let pool: Pool;
const ids: Record<string, string> = {};

const TOKEN_SECRET = 'test-token-secret-0123456789abcdef-0123456789';
const tmp = mkdtempSync(join(tmpdir(), 'tripod-auth-'));

const INSTITUTIONS: Array<[code: string, kind: string, home: string, validTo: string | null]> = [
  ['BANK-RCB-513431', 'BANK', '513431', null],
  ['BANK-CLOSED', 'BANK', '513431', '2020-01-01'],
  ['INS-PICC-51', 'INSURER', '51', null],
  ['GUA-SC-51', 'GUARANTOR', '51', null],
  ['GOV-513431', 'GOVERNMENT', '513431', null],
  ['REG-NFRA-51', 'REGULATOR', '51', null],
  ['PBC-CHENGDU', 'CENTRAL_BANK', '5101', null],
  ['OPS-TRIPOD', 'OPERATOR', '11', null],
];

beforeAll(async () => {
  pool = new Pool({ connectionString: db.url(), max: 4 });
  db.onTeardown(() => pool.end());
  db.onTeardown(() => rmSync(tmp, { recursive: true, force: true }));
  for (const [code, kind, home, validTo] of INSTITUTIONS) {
    const result = await pool.query<{ id: string }>(
      `insert into institution (code, name, kind, home_area_code, valid_to) values ($1, $2, $3, $4, $5) returning id::text as id`,
      [code, `${code} 机构`, kind, home, validTo],
    );
    ids[code] = result.rows[0].id;
  }
});

const issue = (input: Partial<Parameters<typeof issueApiKey>[1]> & { role: Principal['role'] }) =>
  issueApiKey(pool, { institutionCode: null, createdBy: 'test', ...input });

const ok = (principal: Principal): AuthOutcome => ({ ok: true, principal });
const refused = (reason: string): AuthOutcome => ({ ok: false, reason } as AuthOutcome);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function keyErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeyAdminError) return error.code;
    throw error;
  }
  throw new Error('expected a KeyAdminError');
}

describe('API keys', () => {
  test('issue → authenticate gives the key’s principal; the token has the documented shape', async () => {
    const issued = await issue({ institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['513431', '5134'], label: 'core banking' });

    expect(issued.token).toMatch(/^tpd_[0-9A-HJKMNP-TV-Z]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseToken(issued.token)?.keyId).toBe(issued.keyId);
    expect(issued.key).toEqual({
      keyId: issued.keyId,
      institutionCode: 'BANK-RCB-513431',
      institutionName: 'BANK-RCB-513431 机构',
      role: 'BANK',
      areaCodes: ['5134'],
      piiGranted: false,
      label: 'core banking',
      createdAt: expect.any(Date),
      expiresAt: null,
      revokedAt: null,
      rotatedFromKeyId: null,
      createdBy: 'test',
      status: 'ACTIVE',
    });
    const expected: Principal = {
      institutionId: ids['BANK-RCB-513431'],
      institutionCode: 'BANK-RCB-513431',
      role: 'BANK',
      areaCodes: ['5134'],
      piiGranted: false,
      keyId: issued.keyId,
    };
    expect(await authenticateApiKey(pool, issued.token)).toEqual(ok(expected));
    // Second call is served from the cache, with the same answer.
    expect(await authenticateApiKey(pool, issued.token)).toEqual(ok(expected));
    expect(principalKey(expected)).toBe(`key:${issued.keyId}`);

    const [row] = (await pool.query('select secret_hash, created_by from api_key where key_id = $1', [issued.keyId])).rows;
    expect(row.secret_hash).toHaveLength(32);
    expect(row.created_by).toBe('test');
  });

  test('GOVERNMENT keys default to their county and may only narrow it; REGULATOR keys carry PII grants', async () => {
    const county = await issue({ institutionCode: 'GOV-513431', role: 'GOVERNMENT' });
    expect(county.key.areaCodes).toEqual(['513431']);
    const township = await issue({ institutionCode: 'GOV-513431', role: 'GOVERNMENT', areaCodes: ['513431100'] });
    expect(township.key.areaCodes).toEqual(['513431100']);
    expect(await keyErrorOf(issue({ institutionCode: 'GOV-513431', role: 'GOVERNMENT', areaCodes: ['5134'] }))).toBe('SCOPE_OUTSIDE_INSTITUTION');

    const regulator = await issue({ institutionCode: 'PBC-CHENGDU', role: 'REGULATOR', areaCodes: ['51'], piiGranted: true });
    expect(await authenticateApiKey(pool, regulator.token)).toEqual(
      ok({ institutionId: ids['PBC-CHENGDU'], institutionCode: 'PBC-CHENGDU', role: 'REGULATOR', areaCodes: ['51'], piiGranted: true, keyId: regulator.keyId }),
    );
    const analyst = await issue({ role: 'ANALYST' });
    expect(await authenticateApiKey(pool, analyst.token)).toEqual(
      ok({ institutionId: null, institutionCode: null, role: 'ANALYST', areaCodes: [], piiGranted: false, keyId: analyst.keyId }),
    );
  });

  test('a wrong secret, an unknown key and malformed tokens are refused', async () => {
    const issued = await issue({ institutionCode: 'INS-PICC-51', role: 'INSURER' });
    const { keyId, secret } = parseToken(issued.token)!;
    const otherSecret = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);

    expect(await authenticateApiKey(pool, `tpd_${keyId}_${otherSecret}`)).toEqual(refused('UNKNOWN'));
    expect(await authenticateApiKey(pool, `tpd_0000000000AB_${secret}`)).toEqual(refused('UNKNOWN'));
    for (const token of ['', 'tpd_', issued.token.slice(0, -1), `${issued.token}x`, issued.token.toLowerCase(), `tpd_${keyId.toLowerCase()}_${secret}`, `TPD_${keyId}_${secret}`, ` ${issued.token}`]) {
      expect(await authenticateApiKey(pool, token)).toEqual(refused('MALFORMED'));
    }
  });

  test('revocation: immediate in this process, within the cache TTL elsewhere', async () => {
    const a = await issue({ institutionCode: 'GUA-SC-51', role: 'GUARANTOR' });
    expect((await authenticateApiKey(pool, a.token)).ok).toBe(true);
    const revoked = await revokeApiKey(pool, a.keyId);
    expect(revoked).toMatchObject({ keyId: a.keyId, status: 'REVOKED', revokedAt: expect.any(Date) });
    expect(await authenticateApiKey(pool, a.token)).toEqual(refused('REVOKED'));
    expect(await keyErrorOf(revokeApiKey(pool, a.keyId))).toBe('KEY_REVOKED');
    expect(await keyErrorOf(revokeApiKey(pool, '0000000000AB'))).toBe('KEY_NOT_FOUND');

    // Another process (the CLI) revokes: this process keeps its cached answer until the
    // TTL runs out or the cache is invalidated.
    const b = await issue({ institutionCode: 'GUA-SC-51', role: 'GUARANTOR' });
    expect((await authenticateApiKey(pool, b.token)).ok).toBe(true);
    await pool.query('update api_key set revoked_at = now() where key_id = $1', [b.keyId]);
    expect((await authenticateApiKey(pool, b.token)).ok).toBe(true);
    invalidateKeyCache();
    expect(await authenticateApiKey(pool, b.token)).toEqual(refused('REVOKED'));
  });

  test('expired keys are refused, also when cached, and expiry must be in the future', async () => {
    const soon = await issue({ institutionCode: 'GUA-SC-51', role: 'GUARANTOR', expiresAt: new Date(Date.now() + 1200) });
    expect((await authenticateApiKey(pool, soon.token)).ok).toBe(true);
    await sleep(1300);
    expect(await authenticateApiKey(pool, soon.token)).toEqual(refused('EXPIRED'));
    invalidateKeyCache();
    expect(await authenticateApiKey(pool, soon.token)).toEqual(refused('EXPIRED'));

    expect(await keyErrorOf(issue({ institutionCode: 'GUA-SC-51', role: 'GUARANTOR', expiresAt: new Date(Date.now() - 1000) }))).toBe('INVALID_EXPIRY');
  });

  test('keys of a closed institution stop working', async () => {
    const issued = await issue({ institutionCode: 'INS-PICC-51', role: 'INSURER' });
    await pool.query(`update institution set valid_to = current_date where code = 'INS-PICC-51'`);
    try {
      invalidateKeyCache();
      expect(await authenticateApiKey(pool, issued.token)).toEqual(refused('REVOKED'));
    } finally {
      await pool.query(`update institution set valid_to = null where code = 'INS-PICC-51'`);
    }
  });

  test('rotation with a grace period: both keys work until the grace ends', async () => {
    const old = await issue({ institutionCode: 'PBC-CHENGDU', role: 'REGULATOR', areaCodes: ['5101'], piiGranted: true, label: 'supervision portal' });
    expect((await authenticateApiKey(pool, old.token)).ok).toBe(true);
    const before = Date.now();
    const rotated = await rotateApiKey(pool, old.keyId, { graceHours: 24, createdBy: 'rotator' });

    expect(rotated.key).toEqual({
      ...old.key,
      keyId: rotated.keyId,
      createdAt: expect.any(Date),
      rotatedFromKeyId: old.keyId,
      createdBy: 'rotator',
    });
    expect(rotated.previous.status).toBe('ACTIVE');
    expect(rotated.previous.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 24 * 3600_000 - 5000);
    expect(rotated.previous.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 5000);

    const grants: Omit<Principal, 'keyId'> = { institutionId: ids['PBC-CHENGDU'], institutionCode: 'PBC-CHENGDU', role: 'REGULATOR', areaCodes: ['5101'], piiGranted: true };
    expect(await authenticateApiKey(pool, old.token)).toEqual(ok({ ...grants, keyId: old.keyId }));
    expect(await authenticateApiKey(pool, rotated.token)).toEqual(ok({ ...grants, keyId: rotated.keyId }));
    expect(await keyErrorOf(rotateApiKey(pool, old.keyId, { createdBy: 'rotator' }))).toBe('KEY_ALREADY_ROTATED');

    // A one-second grace: the old key works, then stops (through the cache too).
    const next = await rotateApiKey(pool, rotated.keyId, { graceHours: 1 / 3600, createdBy: 'rotator' });
    expect((await authenticateApiKey(pool, rotated.token)).ok).toBe(true);
    expect((await authenticateApiKey(pool, next.token)).ok).toBe(true);
    await sleep(1200);
    expect(await authenticateApiKey(pool, rotated.token)).toEqual(refused('EXPIRED'));
    expect((await authenticateApiKey(pool, next.token)).ok).toBe(true);
  });

  test('rotation without grace ends the old key at once; revoked keys cannot be rotated', async () => {
    const old = await issue({ institutionCode: 'BANK-RCB-513431', role: 'BANK' });
    expect((await authenticateApiKey(pool, old.token)).ok).toBe(true);
    const rotated = await rotateApiKey(pool, old.keyId, { createdBy: 'rotator' });
    expect(rotated.previous.status).toBe('EXPIRED');
    expect(await authenticateApiKey(pool, old.token)).toEqual(refused('EXPIRED'));
    expect((await authenticateApiKey(pool, rotated.token)).ok).toBe(true);
    expect(await keyErrorOf(rotateApiKey(pool, old.keyId, { createdBy: 'rotator' }))).toBe('KEY_EXPIRED');

    await revokeApiKey(pool, rotated.keyId);
    expect(await keyErrorOf(rotateApiKey(pool, rotated.keyId, { createdBy: 'rotator' }))).toBe('KEY_REVOKED');
    expect(await keyErrorOf(rotateApiKey(pool, rotated.keyId, { graceHours: -1, createdBy: 'rotator' }))).toBe('INVALID_GRACE');
  });

  test('list shows every key of an institution, never a secret or a hash', async () => {
    const a = await issue({ institutionCode: 'OPS-TRIPOD', role: 'ADMIN', label: 'ops console' });
    const b = await issue({ institutionCode: 'OPS-TRIPOD', role: 'ANALYST' });
    await revokeApiKey(pool, b.keyId);

    const keys = await listApiKeys(pool, { institutionCode: 'OPS-TRIPOD' });
    expect(keys.map((key) => [key.keyId, key.role, key.status, key.label])).toEqual([
      [a.keyId, 'ADMIN', 'ACTIVE', 'ops console'],
      [b.keyId, 'ANALYST', 'REVOKED', 'ANALYST key for OPS-TRIPOD'],
    ]);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(
        ['areaCodes', 'createdAt', 'createdBy', 'expiresAt', 'institutionCode', 'institutionName', 'keyId', 'label', 'piiGranted', 'revokedAt', 'role', 'rotatedFromKeyId', 'status'],
      );
    }
    const all = await listApiKeys(pool);
    const text = JSON.stringify(all);
    const hashes = (await pool.query<{ h: Buffer }>('select secret_hash as h from api_key')).rows.map((row) => row.h);
    expect(all.length).toBe(hashes.length);
    for (const token of [a.token, b.token]) expect(text).not.toContain(parseToken(token)!.secret);
    for (const hash of hashes) {
      expect(text).not.toContain(hash.toString('hex'));
      expect(text).not.toContain(hash.toString('base64'));
    }
    expect(await keyErrorOf(listApiKeys(pool, { institutionCode: 'NOPE' }))).toBe('INSTITUTION_NOT_FOUND');
  });

  test('grants that do not fit are refused', async () => {
    const cases: Array<[Partial<Parameters<typeof issueApiKey>[1]> & { role: Principal['role'] }, string]> = [
      [{ institutionCode: 'INS-PICC-51', role: 'BANK' }, 'ROLE_INSTITUTION_MISMATCH'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'INSURER' }, 'ROLE_INSTITUTION_MISMATCH'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'REGULATOR' }, 'ROLE_INSTITUTION_MISMATCH'],
      [{ institutionCode: 'REG-NFRA-51', role: 'GOVERNMENT' }, 'ROLE_INSTITUTION_MISMATCH'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'ADMIN' }, 'ROLE_INSTITUTION_MISMATCH'],
      [{ role: 'BANK' }, 'INSTITUTION_REQUIRED'],
      [{ role: 'REGULATOR' }, 'INSTITUTION_REQUIRED'],
      [{ institutionCode: 'NOPE', role: 'BANK' }, 'INSTITUTION_NOT_FOUND'],
      [{ institutionCode: 'BANK-CLOSED', role: 'BANK' }, 'INSTITUTION_CLOSED'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['5134x'] }, 'INVALID_AREA_CODE'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['513'] }, 'INVALID_AREA_CODE'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['99'] }, 'UNKNOWN_AREA'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'BANK', piiGranted: true }, 'PII_NOT_ALLOWED'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'BANK', label: 'a\nb' }, 'INVALID_LABEL'],
      [{ institutionCode: 'BANK-RCB-513431', role: 'SUPERUSER' as Principal['role'] }, 'INVALID_ROLE'],
    ];
    for (const [input, code] of cases) {
      expect([input, await keyErrorOf(issue(input))]).toEqual([input, code]);
    }
    // The allowed pairs that are easy to get wrong.
    expect((await issue({ institutionCode: 'REG-NFRA-51', role: 'REGULATOR' })).key.role).toBe('REGULATOR');
    expect((await issue({ institutionCode: 'BANK-RCB-513431', role: 'ANALYST' })).key.institutionCode).toBe('BANK-RCB-513431');
    expect((await issue({ role: 'ADMIN' })).key.institutionCode).toBeNull();
  });

  test('a MikroORM EntityManager works as the database handle', async () => {
    // When Jest runs this file in band, the sandbox inherits the MikroORM metadata that
    // global setup registered, and discovery fails on it (mikro-orm/mikro-orm#3783); drop
    // it before the entities load.
    delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
    const { createOrm } = await import('../src/db/orm');
    const orm = await createOrm({ url: db.url(), poolMax: 2 });
    try {
      const issued = await issueApiKey(orm.em.fork(), { institutionCode: 'GUA-SC-51', role: 'GUARANTOR', areaCodes: ['51'], createdBy: 'orm' });
      invalidateKeyCache();
      expect(await authenticateApiKey(orm.em.fork(), issued.token)).toEqual(
        ok({ institutionId: ids['GUA-SC-51'], institutionCode: 'GUA-SC-51', role: 'GUARANTOR', areaCodes: ['51'], piiGranted: false, keyId: issued.keyId }),
      );
    } finally {
      await orm.close(true);
    }
  });
});

function signRs256(claims: Record<string, unknown>, key: KeyObject, kid?: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url')}`;
}

function signHs256WithHeader(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string | Buffer): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}

describe('JWT', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  let hs: JwtVerifier;
  let rs: JwtVerifier;
  let both: JwtVerifier;

  beforeAll(() => {
    const jwks = join(tmp, 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'idp-2026', use: 'sig', alg: 'RS256' }, { ...other.publicKey.export({ format: 'jwk' }), kid: 'idp-2025' }] }));
    hs = createJwtVerifier({ tokenSecret: TOKEN_SECRET });
    rs = createJwtVerifier({ jwtPublicKeys: jwks, jwtIssuer: 'https://idp.example', jwtAudience: 'tripod' });
    both = createJwtVerifier({ tokenSecret: TOKEN_SECRET, jwtPublicKeys: jwks });
  });

  const bankClaims = () => ({ sub: 'u-1001', iss: 'https://idp.example', aud: 'tripod', role: 'BANK', inst: 'BANK-RCB-513431', scope: '5134 513431', exp: now() + 600 });

  test('HS256: a valid token becomes a principal', async () => {
    const token = signHs256(bankClaims(), TOKEN_SECRET);
    expect(await hs.authenticate(pool, token)).toEqual(
      ok({ institutionId: ids['BANK-RCB-513431'], institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['5134'], piiGranted: false, keyId: 'jwt:https://idp.example:u-1001' }),
    );
    expect(principalKey({ role: 'BANK', institutionId: null, institutionCode: null, areaCodes: [], keyId: 'jwt:https://idp.example:u-1001' })).toBe('jwt:https://idp.example:u-1001');
  });

  test('HS256: expired, not yet valid, wrong signature and alg none are refused', async () => {
    const expect401 = async (token: string, reason: string) => expect(await hs.authenticate(pool, token)).toEqual(refused(reason));
    await expect401(signHs256({ ...bankClaims(), exp: now() - 120 }, TOKEN_SECRET), 'EXPIRED');
    // Within the 30 s clock skew an expired token still passes.
    expect((await hs.authenticate(pool, signHs256({ ...bankClaims(), exp: now() - 5 }, TOKEN_SECRET))).ok).toBe(true);
    await expect401(signHs256({ ...bankClaims(), nbf: now() + 3600 }, TOKEN_SECRET), 'NOT_YET_VALID');
    await expect401(signHs256({ ...bankClaims(), exp: undefined }, TOKEN_SECRET), 'INVALID_CLAIMS');
    await expect401(signHs256(bankClaims(), 'another-secret-another-secret-another'), 'BAD_SIGNATURE');

    const token = signHs256(bankClaims(), TOKEN_SECRET);
    const [header, payload] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...bankClaims(), role: 'REGULATOR', inst: 'REG-NFRA-51', pii: true })).toString('base64url');
    await expect401(`${header}.${forged}.${token.split('.')[2]}`, 'BAD_SIGNATURE');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    await expect401(`${none}.${payload}.`, 'MALFORMED');
    await expect401(`${none}.${payload}.${token.split('.')[2]}`, 'ALG_NOT_ALLOWED');
    await expect401(signHs256WithHeader({ alg: 'HS256', crit: ['exp'] }, bankClaims(), TOKEN_SECRET), 'MALFORMED');
    await expect401('not.a.jwt', 'MALFORMED');
  });

  test('alg confusion: an HS256 token signed with the RS256 public key is refused', async () => {
    const confused = signHs256WithHeader({ alg: 'HS256', typ: 'JWT', kid: 'idp-2026' }, bankClaims(), publicPem);
    expect(await rs.authenticate(pool, confused)).toEqual(refused('ALG_NOT_ALLOWED'));
    expect(await both.authenticate(pool, confused)).toEqual(refused('BAD_SIGNATURE'));
    // And an RS256 token is never checked against the HS256 secret.
    expect(await hs.authenticate(pool, signRs256(bankClaims(), rsa.privateKey, 'idp-2026'))).toEqual(refused('ALG_NOT_ALLOWED'));
  });

  test('RS256 via JWKS: the kid selects the key; issuer and audience are checked', async () => {
    const claims = { sub: 'inspector-7', iss: 'https://idp.example', aud: ['tripod', 'other'], role: 'REGULATOR', inst: 'REG-NFRA-51', scope: ['51'], pii: true, exp: now() + 600 };
    expect(await rs.authenticate(pool, signRs256(claims, rsa.privateKey, 'idp-2026'))).toEqual(
      ok({ institutionId: ids['REG-NFRA-51'], institutionCode: 'REG-NFRA-51', role: 'REGULATOR', areaCodes: ['51'], piiGranted: true, keyId: 'jwt:https://idp.example:inspector-7' }),
    );
    expect((await rs.authenticate(pool, signRs256(claims, other.privateKey, 'idp-2025'))).ok).toBe(true);
    expect(await rs.authenticate(pool, signRs256(claims, other.privateKey, 'idp-2026'))).toEqual(refused('BAD_SIGNATURE'));
    expect(await rs.authenticate(pool, signRs256(claims, rsa.privateKey, 'unknown'))).toEqual(refused('UNKNOWN_KEY'));
    // Two keys and no kid: ambiguous.
    expect(await rs.authenticate(pool, signRs256(claims, rsa.privateKey))).toEqual(refused('UNKNOWN_KEY'));
    expect(await rs.authenticate(pool, signRs256({ ...claims, iss: 'https://evil.example' }, rsa.privateKey, 'idp-2026'))).toEqual(refused('WRONG_ISSUER'));
    expect(await rs.authenticate(pool, signRs256({ ...claims, aud: 'someone-else' }, rsa.privateKey, 'idp-2026'))).toEqual(refused('WRONG_AUDIENCE'));
  });

  test('RS256 from a PEM file; private keys in the key file are refused', async () => {
    const pem = join(tmp, 'idp.pem');
    writeFileSync(pem, publicPem);
    const verifier = createJwtVerifier({ jwtPublicKeys: pem });
    expect(verifier.algorithms).toEqual(['RS256']);
    expect((await verifier.authenticate(pool, signRs256(bankClaims(), rsa.privateKey))).ok).toBe(true);

    const leaked = join(tmp, 'leaked.pem');
    writeFileSync(leaked, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(() => createJwtVerifier({ jwtPublicKeys: leaked })).toThrow(/private key/);
    expect(() => createJwtVerifier({ jwtPublicKeys: join(tmp, 'missing.json') })).toThrow(/Cannot read/);
  });

  test('claims map to principals: PII only for regulators, GOVERNMENT scoped to its county, roles fit institutions', async () => {
    const base = { sub: 's', exp: now() + 600 };
    const auth = (claims: Record<string, unknown>) => hs.authenticate(pool, signHs256({ ...base, ...claims }, TOKEN_SECRET));

    expect(await auth({ role: 'BANK', inst: 'BANK-RCB-513431', pii: true })).toEqual(
      ok({ institutionId: ids['BANK-RCB-513431'], institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: [], piiGranted: false, keyId: 'jwt::s' }),
    );
    expect(await auth({ role: 'GOVERNMENT', inst: 'GOV-513431' })).toEqual(
      ok({ institutionId: ids['GOV-513431'], institutionCode: 'GOV-513431', role: 'GOVERNMENT', areaCodes: ['513431'], piiGranted: false, keyId: 'jwt::s' }),
    );
    expect(await auth({ role: 'GOVERNMENT', inst: 'GOV-513431', scope: '51' })).toEqual(refused('INVALID_CLAIMS'));
    expect(await auth({ role: 'BANK', inst: 'INS-PICC-51' })).toEqual(refused('INVALID_CLAIMS'));
    expect(await auth({ role: 'BANK' })).toEqual(refused('INVALID_CLAIMS'));
    expect(await auth({ role: 'ROOT' })).toEqual(refused('INVALID_CLAIMS'));
    expect(await auth({ role: 'ANALYST', scope: ['51', 'DROP TABLE'] })).toEqual(refused('INVALID_CLAIMS'));
    expect(await auth({ role: 'BANK', inst: 'NOPE' })).toEqual(refused('UNKNOWN_INSTITUTION'));
    expect(await auth({ role: 'BANK', inst: 'BANK-CLOSED' })).toEqual(refused('UNKNOWN_INSTITUTION'));
    expect(await auth({ role: 'ANALYST', sub: 'x'.repeat(120) })).toEqual(refused('INVALID_CLAIMS'));
  });
});

describe('resolvePrincipal', () => {
  let token: string;
  let jwt: JwtVerifier;
  beforeAll(async () => {
    token = (await issue({ institutionCode: 'BANK-RCB-513431', role: 'BANK' })).token;
    jwt = createJwtVerifier({ tokenSecret: TOKEN_SECRET });
  });

  const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AuthenticationError) {
        expect([error.code, error.message]).toEqual(['UNAUTHENTICATED', 'Authentication failed']);
        return error.reason;
      }
      throw error;
    }
    throw new Error('expected an AuthenticationError');
  };

  test('API keys by Authorization: Bearer or X-Api-Key, JWTs by Bearer, nothing → null', async () => {
    const deps = { db: pool, jwt };
    expect((await resolvePrincipal({ authorization: `Bearer ${token}` }, deps))?.role).toBe('BANK');
    expect((await resolvePrincipal({ authorization: `bearer  ${token}` }, deps))?.role).toBe('BANK');
    expect((await resolvePrincipal({ 'x-api-key': token }, deps))?.role).toBe('BANK');
    expect((await resolvePrincipal({ authorization: `Bearer ${token}`, 'x-api-key': token }, deps))?.role).toBe('BANK');
    const jwtToken = signHs256({ sub: 'a', role: 'ANALYST', exp: Math.floor(Date.now() / 1000) + 60 }, TOKEN_SECRET);
    expect(await resolvePrincipal({ authorization: `Bearer ${jwtToken}` }, deps)).toEqual({
      institutionId: null,
      institutionCode: null,
      role: 'ANALYST',
      areaCodes: [],
      piiGranted: false,
      keyId: 'jwt::a',
    });
    expect(await resolvePrincipal({}, deps)).toBeNull();
    expect(await resolvePrincipal({ authorization: '' }, deps)).toBeNull();
  });

  test('presented but unusable credentials throw UNAUTHENTICATED, never fall back', async () => {
    const deps = { db: pool, jwt };
    const other = (await issue({ institutionCode: 'BANK-RCB-513431', role: 'BANK' })).token;
    expect(await reasonOf(resolvePrincipal({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, deps))).toBe('MALFORMED');
    expect(await reasonOf(resolvePrincipal({ authorization: `Bearer ${token}`, 'x-api-key': other }, deps))).toBe('MALFORMED');
    expect(await reasonOf(resolvePrincipal({ 'x-api-key': 'secret' }, deps))).toBe('MALFORMED');
    expect(await reasonOf(resolvePrincipal({ 'x-api-key': [token, token] }, deps))).toBe('MALFORMED');
    expect(await reasonOf(resolvePrincipal({ authorization: `Bearer ${token.slice(0, -2)}xx` }, deps))).toBe('UNKNOWN');
    expect(await reasonOf(resolvePrincipal({ authorization: 'Bearer a.b.c' }, deps))).toBe('MALFORMED');
    const jwtToken = signHs256({ sub: 'a', role: 'ANALYST', exp: Math.floor(Date.now() / 1000) + 60 }, TOKEN_SECRET);
    expect(await reasonOf(resolvePrincipal({ authorization: `Bearer ${jwtToken}` }, { db: pool }))).toBe('NOT_CONFIGURED');
  });

  test('developmentPrincipal parses ROLE[:INSTITUTION[:AREAS]]', () => {
    expect(developmentPrincipal('REGULATOR')).toEqual({ role: 'REGULATOR', institutionCode: null, areaCodes: [], piiGranted: false });
    expect(developmentPrincipal('BANK:BANK-RCB-513431:5134')).toEqual({ role: 'BANK', institutionCode: 'BANK-RCB-513431', areaCodes: ['5134'], piiGranted: false });
    expect(developmentPrincipal('GOVERNMENT::513431')).toEqual({ role: 'GOVERNMENT', institutionCode: null, areaCodes: ['513431'], piiGranted: false });
    expect(developmentPrincipal('REGULATOR+pii')).toEqual({ role: 'REGULATOR', institutionCode: null, areaCodes: [], piiGranted: true });
    expect(() => developmentPrincipal('ROOT')).toThrow(/unknown role/);
    expect(() => developmentPrincipal('BANK:X:51x')).toThrow();
  });
});

describe('demo keys', () => {
  test('one key per role, saved 0600, reused while valid, replaced when revoked', async () => {
    const dataDir = join(tmp, 'data');
    const first = await ensureDemoKeys(pool, dataDir);
    expect(first.skipped).toEqual([]);
    expect(first.issued).toBe(7);
    expect(first.keys.map((key) => [key.role, key.institutionCode, key.areaCodes])).toEqual([
      ['BANK', 'BANK-RCB-513431', []],
      ['INSURER', 'INS-PICC-51', []],
      ['GUARANTOR', 'GUA-SC-51', []],
      ['GOVERNMENT', 'GOV-513431', ['513431']],
      ['REGULATOR', 'REG-NFRA-51', ['51']],
      ['ANALYST', null, []],
      ['ADMIN', 'OPS-TRIPOD', []],
    ]);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(first.file, 'utf8')).keys).toEqual(first.keys);
    for (const key of first.keys) {
      expect(await authenticateApiKey(pool, key.token)).toMatchObject({ ok: true, principal: { role: key.role, keyId: key.keyId } });
    }

    const again = await ensureDemoKeys(pool, dataDir);
    expect(again).toEqual({ ...first, issued: 0 });

    await revokeApiKey(pool, first.keys[0].keyId);
    const third = await ensureDemoKeys(pool, dataDir);
    expect(third.issued).toBe(1);
    expect(third.keys[0].keyId).not.toBe(first.keys[0].keyId);
    expect(third.keys.slice(1)).toEqual(first.keys.slice(1));
  });
});

describe('keys CLI', () => {
  const run = (args: string[], env: Record<string, string | undefined> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['-r', './scripts/register.js', 'src/cli/keys.ts', ...args],
        { cwd: join(__dirname, '..'), env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url(), ...env }, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  test('issue, list, rotate, revoke end to end, each audited', async () => {
    const auditBefore = (await pool.query<{ n: string }>('select max(id)::text as n from audit_log')).rows[0].n ?? '0';

    const issued = await run(['issue', '--role', 'BANK', '--institution', 'BANK-RCB-513431', '--scope', '5134,513431', '--label', 'loan system', '--expires', '2099-12-31']);
    expect([issued.code, issued.stderr]).toEqual([0, expect.stringContaining('it will not be shown again')]);
    const token = issued.stdout.trim();
    const keyId = parseToken(token)!.keyId;
    invalidateKeyCache();
    expect(await authenticateApiKey(pool, token)).toEqual(
      ok({ institutionId: ids['BANK-RCB-513431'], institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['5134'], piiGranted: false, keyId }),
    );
    const [stored] = await listApiKeys(pool, { institutionCode: 'BANK-RCB-513431' }).then((keys) => keys.filter((key) => key.keyId === keyId));
    expect(stored.expiresAt?.toISOString()).toBe('2099-12-31T16:00:00.000Z');
    expect(stored.createdBy).toMatch(/^cli:[A-Za-z0-9._-]+$/);

    const listed = await run(['list', '--institution', 'BANK-RCB-513431']);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((row) => row.startsWith(keyId));
    expect(line?.split(/\s{2,}/)).toEqual([keyId, 'BANK-RCB-513431', 'BANK', '5134', 'loan system', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/), '2100-01-01 00:00', '-']);
    expect(listed.stdout).toMatch(/^KEY ID\s+INSTITUTION\s+ROLE\s+SCOPE\s+LABEL\s+CREATED\s+EXPIRES\s+REVOKED/);
    expect(listed.stdout).not.toContain(parseToken(token)!.secret);

    const rotated = await run(['rotate', keyId.toLowerCase(), '--grace-hours', '24']);
    expect(rotated.code).toBe(0);
    const newToken = rotated.stdout.trim();
    const newKeyId = parseToken(newToken)!.keyId;
    invalidateKeyCache();
    expect((await authenticateApiKey(pool, token)).ok).toBe(true);
    expect((await authenticateApiKey(pool, newToken)).ok).toBe(true);

    const revoked = await run(['revoke', newKeyId]);
    expect([revoked.code, revoked.stdout]).toEqual([0, '']);
    invalidateKeyCache();
    expect(await authenticateApiKey(pool, newToken)).toEqual(refused('REVOKED'));

    const audit = await pool.query(
      `select action, actor_role, actor_key, actor_institution_id, operation, household_id, details
         from audit_log where id > $1 order by id`,
      [auditBefore],
    );
    const actor = stored.createdBy;
    const keyDetails = { institutionCode: 'BANK-RCB-513431', role: 'BANK', areaCodes: ['5134'], piiGranted: false, label: 'loan system', expiresAt: '2099-12-31T16:00:00.000Z' };
    const row = (action: string, operation: string, details: Record<string, unknown>) => ({
      action,
      actor_role: 'ADMIN',
      actor_key: actor,
      actor_institution_id: null,
      operation,
      household_id: null,
      details,
    });
    expect(audit.rows).toEqual([
      row('KEY_ISSUED', 'keys issue', { keyId, ...keyDetails }),
      row('KEYS_LISTED', 'keys list', { institutionCode: 'BANK-RCB-513431', count: expect.any(Number) }),
      row('KEY_ROTATED', 'keys rotate', { keyId: newKeyId, ...keyDetails, rotatedFrom: keyId, graceHours: 24, previousExpiresAt: expect.any(String) }),
      row('KEY_REVOKED', 'keys revoke', { keyId: newKeyId, ...keyDetails }),
    ]);
  });

  test('clear one-line errors and exit codes; refused commands change and audit nothing', async () => {
    const count = async () => Number((await pool.query('select (select count(*) from api_key) + (select count(*) from audit_log) as n')).rows[0].n);
    const before = await count();

    const mismatch = await run(['issue', '--role', 'BANK', '--institution', 'INS-PICC-51']);
    expect(mismatch).toEqual({ code: 3, stdout: '', stderr: 'keys: A BANK key needs a BANK institution; INS-PICC-51 is INSURER\n' });
    const unknown = await run(['revoke', '0000000000AB']);
    expect(unknown).toEqual({ code: 3, stdout: '', stderr: 'keys: No key with id 0000000000AB\n' });
    const usage = await run(['issue', '--institution', 'BANK-RCB-513431']);
    expect([usage.code, usage.stderr.split('\n')[0]]).toEqual([2, 'keys: issue needs --role']);
    const badFlag = await run(['list', '--everything']);
    expect([badFlag.code, badFlag.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/^keys: Unknown option '--everything'/)]);
    const badDate = await run(['issue', '--role', 'ANALYST', '--expires', '2027-02-30']);
    expect([badDate.code, badDate.stderr.split('\n')[0]]).toEqual([2, 'keys: --expires "2027-02-30" is not a calendar date']);
    const noDb = await run(['list'], { DATABASE_URL: '' });
    expect(noDb).toEqual({ code: 1, stdout: '', stderr: 'keys: DATABASE_URL is required: the keys CLI works on a configured database\n' });

    expect(await count()).toBe(before);
  });
});

// Type-level check: the pg handles the services are documented to take.
const handles: Queryable[] = [] as Pool[];
void handles;
