/**
 * Request headers → principal. Accepted credentials:
 *
 * - `Authorization: Bearer tpd_<keyId>_<secret>` — a partner system's API key;
 * - `X-Api-Key: tpd_<keyId>_<secret>` — the same key, for clients that cannot set
 *   Authorization;
 * - `Authorization: Bearer <header>.<payload>.<signature>` — a JWT (HS256 or RS256).
 *
 * No credentials → null: the server answers GraphQL with UNAUTHENTICATED (or, in
 * development mode only, may use the development principal) while the explorer page
 * stays reachable. Presented but unusable credentials → `AuthenticationError`; a bad
 * credential never falls back to anonymous or development access.
 */
import { parseDevPrincipal, type DevPrincipalSpec } from '../access/dev-principal';
import type { Principal } from '../access/principal';
import type { AuthDb } from './auth-db';
import { AuthenticationError, type AuthOutcome } from './auth.errors';
import { authenticateApiKey } from './api-key-authenticator';
import { TOKEN_PREFIX } from './api-key-token';
import type { JwtVerifier } from './jwt';

/** Node's / Fastify's `request.headers` (names lower-cased). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ResolvePrincipalDeps {
  db: AuthDb;
  /** Absent or null: bearer JWTs are refused (`NOT_CONFIGURED`). */
  jwt?: JwtVerifier | null;
}

const BEARER = /^Bearer +(\S+)$/i;

/**
 * The principal the request's credentials name, or null when it presents none.
 *
 * @throws AuthenticationError (code UNAUTHENTICATED) for credentials presented but
 *   refused: malformed headers, two different credentials, unknown, revoked or expired
 *   keys, invalid tokens. Its `reason` is for the log only.
 */
export async function resolvePrincipal(headers: RequestHeaders, deps: ResolvePrincipalDeps): Promise<Principal | null> {
  const authorization = singleHeader(headers.authorization);
  const apiKey = singleHeader(headers['x-api-key']);

  let credential: string | undefined;
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization);
    if (match === null) throw new AuthenticationError('MALFORMED');
    credential = match[1];
  }
  if (apiKey !== undefined) {
    if (!apiKey.startsWith(TOKEN_PREFIX)) throw new AuthenticationError('MALFORMED');
    // Two different credentials in one request: refuse rather than guess which counts.
    if (credential !== undefined && credential !== apiKey) throw new AuthenticationError('MALFORMED');
    credential = apiKey;
  }
  if (credential === undefined) {
    return null;
  }

  let outcome: AuthOutcome;
  if (credential.startsWith(TOKEN_PREFIX)) {
    outcome = await authenticateApiKey(deps.db, credential);
  } else if (deps.jwt) {
    outcome = await deps.jwt.authenticate(deps.db, credential);
  } else {
    outcome = { ok: false, reason: 'NOT_CONFIGURED' };
  }
  if (!outcome.ok) throw new AuthenticationError(outcome.reason);
  return outcome.principal;
}

/**
 * The key a principal's usage is counted under: `key:<keyId>` for an API key, the
 * `jwt:<iss>:<sub>` key id itself for a token, `dev` for the development principal; null
 * when it has none.
 */
export function principalKey(principal: Principal): string | null {
  const keyId = principal.keyId;
  if (keyId === undefined || keyId === '') return null;
  return keyId.includes(':') || keyId === 'dev' ? keyId : `key:${keyId}`;
}

/**
 * Parses a development principal setting. Accepts `ROLE[:INSTITUTION_CODE[:AREA,…]]`
 * (`REGULATOR`, `BANK:BANK-RCB-513431:5134`, `GOVERNMENT::522727`) as well as the
 * access service's `ROLE[:INSTITUTION_CODE][@AREA,…][+pii]`, to which the first form is
 * translated; resolve the institution with `resolveDevPrincipal` (services/access).
 *
 * @throws InvalidPrincipalError with a one-line reason.
 */
export function developmentPrincipal(spec: string): DevPrincipalSpec {
  const text = spec.trim();
  const parts = text.split(':');
  if (parts.length === 3 && !text.includes('@')) {
    const [role, institution, areas] = parts;
    return parseDevPrincipal(`${role}${institution === '' ? '' : `:${institution}`}@${areas}`);
  }
  return parseDevPrincipal(text);
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1) throw new AuthenticationError('MALFORMED');
    value = value[0];
  }
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
