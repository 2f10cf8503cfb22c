/**
 * Failures of authentication and of key administration. Authentication failures carry a
 * precise `reason` for the server's log, but every one of them reaches the client as the
 * same UNAUTHENTICATED error with a generic message: telling a caller whether a key id
 * exists, was revoked or merely expired would help whoever holds a stolen or guessed key.
 */
import type { Principal } from '../access/principal';

/** Why presented credentials were refused (for logs and metrics, never for clients). */
export type AuthFailureReason =
  /** Not a well-formed API key or JWT, or an unusable Authorization header. */
  | 'MALFORMED'
  /** No such API key, or the secret does not match it. */
  | 'UNKNOWN'
  | 'REVOKED'
  | 'EXPIRED'
  /** JWT `nbf` (or `iat`) in the future. */
  | 'NOT_YET_VALID'
  /** JWT signature does not verify. */
  | 'BAD_SIGNATURE'
  /** JWT `alg` not on the allow-list (`none`, or an algorithm with no configured key). */
  | 'ALG_NOT_ALLOWED'
  /** JWT `kid` names no configured public key. */
  | 'UNKNOWN_KEY'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  /** JWT claims that do not make a valid principal (role, scope, institution kind …). */
  | 'INVALID_CLAIMS'
  /** JWT `inst` names no institution (or a closed one). */
  | 'UNKNOWN_INSTITUTION'
  /** A bearer token that is a JWT while no JWT verification is configured. */
  | 'NOT_CONFIGURED';

/** The outcome of checking one credential. */
export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; reason: AuthFailureReason };

export const GENERIC_AUTH_MESSAGE = 'Authentication failed';

/**
 * Thrown by `resolvePrincipal` for credentials that were presented but refused. Map it to
 * GraphQL `UNAUTHENTICATED` (HTTP 401) with `message` only; log `reason`.
 */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';

  constructor(readonly reason: AuthFailureReason) {
    super(GENERIC_AUTH_MESSAGE);
    this.name = 'AuthenticationError';
  }
}

export type KeyAdminErrorCode =
  | 'INVALID_ROLE'
  | 'INSTITUTION_REQUIRED'
  | 'INSTITUTION_NOT_FOUND'
  | 'INSTITUTION_CLOSED'
  | 'ROLE_INSTITUTION_MISMATCH'
  | 'INVALID_AREA_CODE'
  | 'UNKNOWN_AREA'
  | 'SCOPE_OUTSIDE_INSTITUTION'
  | 'PII_NOT_ALLOWED'
  | 'INVALID_LABEL'
  | 'INVALID_EXPIRY'
  | 'INVALID_GRACE'
  | 'INVALID_KEY_ID'
  | 'KEY_NOT_FOUND'
  | 'KEY_REVOKED'
  | 'KEY_EXPIRED'
  | 'KEY_ALREADY_ROTATED'
  | 'KEY_CHANGED';

/**
 * A refused key administration request (issue, rotate, revoke, list). The message is one
 * line for an operator and names only public values (codes, key ids), never a secret.
 */
export class KeyAdminError extends Error {
  constructor(
    readonly code: KeyAdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyAdminError';
  }
}
