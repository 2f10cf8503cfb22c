/**
 * Opaque household references: the only name a household has outside the hub.
 * They are random (or, for demo data, hash-derived) so they reveal neither
 * registration order nor household counts, and URL-safe so they can appear in
 * paths and query strings.
 *
 * Form: `H` followed by 12 Crockford base32 characters (60 bits).
 */
import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so refs survive being read aloud or retyped. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'H';
const BODY_LENGTH = 12;
const HOUSEHOLD_REF = /^H[0-9A-HJKMNP-TV-Z]{12}$/;

/** A new random household reference, for households registered through the API. */
export function newHouseholdRef(): string {
  return encode(randomBytes(8));
}

/**
 * A reproducible household reference for the deterministic demo generator: the
 * same `seed` and `index` always give the same ref, and different pairs give
 * refs indistinguishable from random ones (first 60 bits of sha256 of
 * `${seed}:${index}`).
 *
 * @throws RangeError when `seed` or `index` is not a safe integer.
 */
export function deterministicHouseholdRef(seed: number, index: number): string {
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(index)) {
    throw new RangeError('deterministicHouseholdRef: seed and index must be safe integers');
  }
  return encode(createHash('sha256').update(`${seed}:${index}`, 'utf8').digest());
}

/**
 * True when `value` is a well-formed household reference (canonical upper-case
 * form), so malformed refs are rejected before any lookup.
 */
export function isHouseholdRef(value: string): boolean {
  return typeof value === 'string' && HOUSEHOLD_REF.test(value);
}

/** `H` + the first 60 bits of `bytes` (at least 8) in Crockford base32. */
function encode(bytes: Buffer): string {
  let bits = bytes.readBigUInt64BE(0) >> 4n;
  const chars: string[] = new Array<string>(BODY_LENGTH);
  for (let i = BODY_LENGTH - 1; i >= 0; i -= 1) {
    chars[i] = ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return PREFIX + chars.join('');
}
