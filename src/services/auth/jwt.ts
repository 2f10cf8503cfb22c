/**
 * Signed tokens (JWT, RFC 7519) for people behind frontends, verified with node:crypto
 * alone.
 *
 * - HS256 with the hub's shared secret (`TRIPOD_TOKEN_SECRET`), for frontends whose
 *   backend signs on the hub's behalf and for the development tooling (`signHs256`);
 * - RS256 with public keys of an identity provider (`TRIPOD_JWT_PUBLIC_KEYS`: paths of
 *   JWKS JSON files, single JWKs or PEM files), chosen by the token's `kid`.
 *
 * The header's `alg` only selects among the algorithms configured (never `none`), and
 * each algorithm has its own key store: an RSA public key is never used as an HMAC secret,
 * so the classic confusion attack (an HS256 token "signed" with the public PEM) fails.
 *
 * Claims → principal: `sub` (required) becomes `keyId` `jwt:<iss>:<sub>`; `role` (one of
 * the roles); `inst` (institution code, required for partner roles); `scope` (area code
 * prefixes, an array or a space-separated string; GOVERNMENT defaults to its home
 * county); `pii` (boolean, honoured only for REGULATOR). `exp` is required.
 */
import { createHmac, createPublicKey, createHash, constants, verify as verifySignature, X509Certificate, timingSafeEqual, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkPrincipal } from '../access/principal-check';
import type { Principal } from '../access/principal';
import { toQueryable, type AuthDb } from './auth-db';
import type { AuthFailureReason, AuthOutcome } from './auth.errors';
import { AREA_CODE, findInstitution, homeCounty, isRole, normalizeAreaCodes, roleFitsInstitution, roleNeedsInstitution, type InstitutionFacts } from './grants';

export type JwtAlgorithm = 'HS256' | 'RS256';

/** Settings of the verifier; the field names match those of `Config` that carry them. */
export interface JwtVerifierConfig {
  /** TRIPOD_TOKEN_SECRET: the HS256 secret. Absent: HS256 tokens are refused. */
  tokenSecret?: string;
  /**
   * TRIPOD_JWT_PUBLIC_KEYS: comma-separated paths of JWKS JSON, JWK JSON or PEM
   * (public key or certificate) files. Absent: RS256 tokens are refused.
   */
  jwtPublicKeys?: string;
  /** TRIPOD_JWT_ISSUER: accepted `iss` values, comma-separated. Absent: any issuer. */
  jwtIssuer?: string | readonly string[];
  /** TRIPOD_JWT_AUDIENCE: accepted `aud` values, comma-separated. Absent: any audience. */
  jwtAudience?: string | readonly string[];
  /** Tolerated clock difference for `exp`, `nbf` and `iat`; default 30 seconds. */
  clockSkewSeconds?: number;
}

/** A verified token's claims (signature, time and issuer/audience checked). */
export type JwtClaims = Record<string, unknown>;

export type JwtVerification = { ok: true; claims: JwtClaims; algorithm: JwtAlgorithm } | { ok: false; reason: AuthFailureReason };

export interface JwtVerifier {
  /** The algorithms this verifier accepts (those with a configured key). */
  readonly algorithms: readonly JwtAlgorithm[];
  /** Checks signature, `exp`/`nbf`/`iat`, `iss` and `aud`; `nowSeconds` for tests. */
  verify(token: string, nowSeconds?: number): JwtVerification;
  /** `verify`, then the claims as a principal (institution looked up by code, cached). */
  authenticate(db: AuthDb, token: string): Promise<AuthOutcome>;
  /** Re-reads the public key files (e.g. on SIGHUP after the identity provider rotated keys). */
  reloadKeys(): void;
}

/** A configuration problem found at start; the message is one line, without key material. */
export class JwtConfigError extends Error {
  readonly code = 'JWT_CONFIG_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'JwtConfigError';
  }
}

const DEFAULT_CLOCK_SKEW_SECONDS = 30;
const MAX_TOKEN_LENGTH = 8192;
const MIN_RSA_BITS = 2048;
/** The audit trail stores the principal's key in 100 characters; longer ones are refused, not cut. */
const MAX_SUBJECT_KEY_LENGTH = 100;
const INSTITUTION_CACHE_TTL_MS = 5 * 60_000;
const INSTITUTION_CACHE_MAX = 1000;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Builds the verifier, reading the public key files once.
 *
 * @throws JwtConfigError for unreadable or invalid key files (private keys included, RSA
 *   keys under 2048 bits, duplicate `kid`s).
 */
export function createJwtVerifier(config: JwtVerifierConfig): JwtVerifier {
  const secret = config.tokenSecret === undefined || config.tokenSecret === '' ? null : Buffer.from(config.tokenSecret, 'utf8');
  const keyPaths = list(config.jwtPublicKeys);
  const issuers = list(config.jwtIssuer);
  const audiences = list(config.jwtAudience);
  const skew = config.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  let rsaKeys = loadPublicKeys(keyPaths);

  const algorithms: JwtAlgorithm[] = [];
  if (secret !== null) algorithms.push('HS256');
  if (keyPaths.length > 0) algorithms.push('RS256');

  const institutions = new Map<string, { facts: InstitutionFacts; until: number }>();

  const verify = (token: string, nowSeconds = Date.now() / 1000): JwtVerification => {
    if (token.length > MAX_TOKEN_LENGTH) return fail('MALFORMED');
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return fail('MALFORMED');
    const [headerPart, payloadPart, signaturePart] = parts;
    const header = decodeJson(headerPart);
    const claims = decodeJson(payloadPart);
    if (header === null || claims === null || typeof header.alg !== 'string') return fail('MALFORMED');
    // Extensions we do not implement must not be silently ignored (RFC 7515 §4.1.11).
    if (header.crit !== undefined) return fail('MALFORMED');
    if (header.typ !== undefined && (typeof header.typ !== 'string' || !['jwt', 'at+jwt'].includes(header.typ.toLowerCase()))) {
      return fail('MALFORMED');
    }
    const algorithm = header.alg;
    if (!(algorithms as string[]).includes(algorithm)) return fail('ALG_NOT_ALLOWED');

    const signature = Buffer.from(signaturePart, 'base64url');
    // Only the canonical encoding counts, so one signature has one spelling.
    if (signature.toString('base64url') !== signaturePart) return fail('MALFORMED');
    const signingInput = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');

    if (algorithm === 'HS256') {
      const expected = createHmac('sha256', secret as Buffer).update(signingInput).digest();
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return fail('BAD_SIGNATURE');
    } else {
      const key = selectKey(rsaKeys, header.kid);
      if (key === null) return fail('UNKNOWN_KEY');
      const valid = verifySignature('sha256', signingInput, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      if (!valid) return fail('BAD_SIGNATURE');
    }

    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return fail('INVALID_CLAIMS');
    if (nowSeconds >= claims.exp + skew) return fail('EXPIRED');
    if (claims.nbf !== undefined) {
      if (typeof claims.nbf !== 'number' || !Number.isFinite(claims.nbf)) return fail('INVALID_CLAIMS');
      if (nowSeconds + skew < claims.nbf) return fail('NOT_YET_VALID');
    }
    if (claims.iat !== undefined) {
      if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return fail('INVALID_CLAIMS');
      if (nowSeconds + skew < claims.iat) return fail('NOT_YET_VALID');
    }
    if (issuers.length > 0 && !(typeof claims.iss === 'string' && issuers.includes(claims.iss))) return fail('WRONG_ISSUER');
    if (audiences.length > 0) {
      const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
      if (!aud.some((value) => typeof value === 'string' && audiences.includes(value))) return fail('WRONG_AUDIENCE');
    }
    return { ok: true, claims, algorithm: algorithm as JwtAlgorithm };
  };

  const lookupInstitution = async (db: AuthDb, code: string): Promise<InstitutionFacts | null> => {
    const now = Date.now();
    const cached = institutions.get(code);
    if (cached !== undefined && cached.until > now) return cached.facts;
    // Unknown codes are not cached: tokens are signed, so only a trusted issuer can name one.
    const facts = await findInstitution(toQueryable(db), code);
    if (facts === null) return null;
    if (institutions.size >= INSTITUTION_CACHE_MAX) institutions.clear();
    institutions.set(code, { facts, until: now + INSTITUTION_CACHE_TTL_MS });
    return facts;
  };

  return {
    algorithms,
    verify,
    async authenticate(db: AuthDb, token: string): Promise<AuthOutcome> {
      const verified = verify(token);
      if (!verified.ok) return verified;
      return claimsToPrincipal(verified.claims, (code) => lookupInstitution(db, code));
    },
    reloadKeys(): void {
      rsaKeys = loadPublicKeys(keyPaths);
    },
  };
}

/**
 * Signs `claims` as an HS256 JWT (header `{"alg":"HS256","typ":"JWT"}`), for tests and
 * the development tooling. Set `exp` yourself: the verifier requires it.
 */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Verified claims → principal, or why they do not make one. */
async function claimsToPrincipal(claims: JwtClaims, institutionByCode: (code: string) => Promise<InstitutionFacts | null>): Promise<AuthOutcome> {
  const { sub, iss, role, inst, scope, pii } = claims;
  if (typeof sub !== 'string' || sub === '' || (iss !== undefined && typeof iss !== 'string')) return fail('INVALID_CLAIMS');
  const keyId = `jwt:${iss ?? ''}:${sub}`;
  if (keyId.length > MAX_SUBJECT_KEY_LENGTH || /\p{Cc}/u.test(keyId)) return fail('INVALID_CLAIMS');
  if (!isRole(role)) return fail('INVALID_CLAIMS');
  if (pii !== undefined && typeof pii !== 'boolean') return fail('INVALID_CLAIMS');

  let institution: InstitutionFacts | null = null;
  if (inst !== undefined && inst !== null) {
    if (typeof inst !== 'string' || inst === '' || inst.length > 32) return fail('INVALID_CLAIMS');
    institution = await institutionByCode(inst);
    if (institution === null || institution.closed) return fail('UNKNOWN_INSTITUTION');
  } else if (roleNeedsInstitution(role)) {
    return fail('INVALID_CLAIMS');
  }
  if (!roleFitsInstitution(role, institution?.kind ?? null)) return fail('INVALID_CLAIMS');

  let codes: unknown[];
  if (scope === undefined || scope === null) codes = [];
  else if (typeof scope === 'string') codes = scope.split(/\s+/).filter((code) => code !== '');
  else if (Array.isArray(scope)) codes = scope;
  else return fail('INVALID_CLAIMS');
  if (!codes.every((code): code is string => typeof code === 'string' && AREA_CODE.test(code))) return fail('INVALID_CLAIMS');
  let areaCodes = normalizeAreaCodes(codes);
  if (role === 'GOVERNMENT' && institution !== null) {
    const county = homeCounty(institution.homeAreaCode);
    if (areaCodes.some((code) => !code.startsWith(county))) return fail('INVALID_CLAIMS');
    if (areaCodes.length === 0) areaCodes = [county];
  }

  const principal: Principal = checkPrincipal({
    institutionId: institution?.id ?? null,
    institutionCode: institution?.code ?? null,
    role,
    areaCodes,
    piiGranted: role === 'REGULATOR' && pii === true,
    keyId,
  });
  return { ok: true, principal: { ...principal, areaCodes: [...principal.areaCodes] } };
}

function fail(reason: AuthFailureReason): { ok: false; reason: AuthFailureReason } {
  return { ok: false, reason };
}

function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const items = typeof value === 'string' ? value.split(',') : value;
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function selectKey(keys: ReadonlyMap<string, KeyObject>, kid: unknown): KeyObject | null {
  if (typeof kid === 'string') return keys.get(kid) ?? null;
  if (kid !== undefined) return null;
  // Without a kid only an unambiguous key set will do.
  return keys.size === 1 ? [...keys.values()][0] : null;
}

/** The RS256 keys of the files, by kid (the JWK's own, or its RFC 7638 thumbprint). */
function loadPublicKeys(paths: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const add = (path: string, kid: string | undefined, key: KeyObject): void => {
    if (key.asymmetricKeyType !== 'rsa') return;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new JwtConfigError(`${path}: RSA key of ${bits} bits; at least ${MIN_RSA_BITS} required`);
    const id = kid ?? thumbprint(key);
    if (keys.has(id)) throw new JwtConfigError(`${path}: duplicate key id ${JSON.stringify(id)}`);
    keys.set(id, key);
  };

  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new JwtConfigError(`Cannot read TRIPOD_JWT_PUBLIC_KEYS file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      throw new JwtConfigError(`${path} holds a private key; give the verifier public keys only`);
    }
    if (text.trimStart().startsWith('{')) {
      let json: { keys?: unknown };
      try {
        json = JSON.parse(text) as { keys?: unknown };
      } catch {
        throw new JwtConfigError(`${path} is not valid JSON`);
      }
      const jwks: unknown[] = Array.isArray(json.keys) ? json.keys : [json];
      for (const entry of jwks) {
        const jwk = entry as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
        if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'RSA') continue;
        if (jwk.d !== undefined) throw new JwtConfigError(`${path} holds private key material; publish public keys only`);
        if ((jwk.use !== undefined && jwk.use !== 'sig') || (jwk.alg !== undefined && jwk.alg !== 'RS256')) continue;
        let key: KeyObject;
        try {
          key = createPublicKey({ key: jwk, format: 'jwk' });
        } catch {
          throw new JwtConfigError(`${path}: invalid RSA JWK${typeof jwk.kid === 'string' ? ` ${JSON.stringify(jwk.kid)}` : ''}`);
        }
        add(path, typeof jwk.kid === 'string' ? jwk.kid : undefined, key);
      }
      continue;
    }
    const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g) ?? [];
    if (blocks.length === 0) throw new JwtConfigError(`${path} holds neither a JWKS nor PEM public keys`);
    for (const block of blocks) {
      try {
        add(path, undefined, block.startsWith('-----BEGIN CERTIFICATE-----') ? new X509Certificate(block).publicKey : createPublicKey(block));
      } catch (error) {
        if (error instanceof JwtConfigError) throw error;
        throw new JwtConfigError(`${path}: unreadable PEM block`);
      }
    }
  }
  if (paths.length > 0 && keys.size === 0) {
    throw new JwtConfigError(`TRIPOD_JWT_PUBLIC_KEYS (${paths.join(', ')}) holds no RS256 signing key`);
  }
  return keys;
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public key. */
function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
}
