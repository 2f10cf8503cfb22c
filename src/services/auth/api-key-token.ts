/**
 * The API key token format: `tpd_<keyId>_<secret>`.
 *
 * - `keyId`: 12 characters of Crockford base32 (60 random bits), the public name of the
 *   key in logs, the CLI and the audit trail;
 * - `secret`: 43 characters of base64url, 32 random bytes.
 *
 * Only SHA-256(secret) is stored. A 256-bit random secret cannot be guessed from its
 * digest, so no slow password hash is needed, and the digest also keys the in-process
 * cache of verified keys.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'tpd_';

/** Crockford base32: no I, L, O or U, so key ids survive being read aloud or retyped. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_ID = /^[0-9A-HJKMNP-TV-Z]{12}$/;
const TOKEN = /^tpd_([0-9A-HJKMNP-TV-Z]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  keyId: string;
  secret: string;
}

/** A new random key id. */
export function newKeyId(): string {
  // The low 5 bits of a random byte are uniform over the 32 symbols.
  const bytes = randomBytes(12);
  let id = '';
  for (const byte of bytes) id += CROCKFORD[byte & 31];
  return id;
}

/** A new random secret: 32 bytes as 43 characters of base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatToken(keyId: string, secret: string): string {
  return `${TOKEN_PREFIX}${keyId}_${secret}`;
}

/** The key id and secret of a well-formed token, or null. */
export function parseToken(token: string): ParsedToken | null {
  const match = TOKEN.exec(token);
  return match === null ? null : { keyId: match[1], secret: match[2] };
}

/** True for a canonical key id (upper case, as issued). */
export function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

/** What is stored for a secret: SHA-256 of its text as presented. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time comparison of two digests. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
