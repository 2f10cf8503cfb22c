/**
 * The payload hash that makes a retried batch recognisable (`ingest_batch.payload_hash`):
 * SHA-256 of the canonical JSON of the call (kind, mode, items). National ID numbers
 * never enter it in clear: the ID keyspace is small enough (≈10^11) that an unkeyed hash
 * over an otherwise known payload could be brute-forced, so each number is replaced by
 * its HMAC under the current matching key before hashing.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson, sha256Hex, type CanonicalValue } from '../demo/canonical';
import type { Keyring } from '../identity';

/** Input fields that carry a national ID number, wherever they appear in an item. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['headIdNumber']);

/**
 * The canonical hash of a call. Null and absent members are the same (both dropped), so
 * a client that omits an optional field and one that sends null get the same hash.
 *
 * @throws Error when the payload holds an ID number and no matching keyring is configured.
 */
export function payloadHash(kind: string, partial: boolean, items: readonly unknown[], matchKeyring: Keyring | null): string {
  const canonical = { kind, partial, items: items.map((item) => toCanonical(item, matchKeyring)) };
  return sha256Hex(canonicalJson(canonical as CanonicalValue));
}

function toCanonical(value: unknown, keyring: Keyring | null, secret = false): CanonicalValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (secret) return keyedDigest(String(value), keyring);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // Inputs carry no floats (money and rates are decimal strings); an integer is kept as is.
    return Number.isSafeInteger(value) ? value : String(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toCanonical(item, keyring) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, CanonicalValue> = {};
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      const canonical = toCanonical(member, keyring, SECRET_FIELDS.has(key));
      if (canonical !== undefined) out[key] = canonical;
    }
    return out;
  }
  return String(value);
}

function keyedDigest(text: string, keyring: Keyring | null): string {
  if (keyring === null) {
    throw new Error('ingestion: TRIPOD_MATCH_KEYS is not configured, so national ID numbers cannot be accepted');
  }
  const key = keyring.keys.get(keyring.current)!;
  return `k${keyring.current}:${createHmac('sha256', key).update(`payload:${text}`, 'utf8').digest('hex')}`;
}
