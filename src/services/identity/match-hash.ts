/**
 * Keyed matching hash of a household head's national ID number, and the
 * versioned keyrings used by it and by the PII cipher.
 *
 * The ID keyspace is about 10^11 numbers, so a plain hash is brute-forceable in
 * hours; a secret HMAC key makes the stored hash useless without the key. Keys
 * carry a version so that they can be rotated: new hashes use the current key,
 * lookups try every version until the rows are re-keyed.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Versioned secret keys; `current` is the version used for new values. */
export interface Keyring {
  current: number;
  keys: ReadonlyMap<number, Buffer>;
}

/** A keyed hash together with the key version that produced it. */
export interface MatchHash {
  version: number;
  /** 32 bytes (HMAC-SHA256). */
  hash: Buffer;
}

/** Required key length: 256 bits, as AES-256 needs and HMAC-SHA256 is designed for. */
export const KEY_BYTES = 32;

/** Key versions are stored in two bytes (see the PII blob layout). */
export const MAX_KEY_VERSION = 0xffff;

/** Thrown when a value names a key version the keyring does not hold. */
export class KeyVersionUnavailableError extends Error {
  readonly code: string = 'KEY_VERSION_UNAVAILABLE';

  constructor(
    readonly version: number,
    purpose: string,
  ) {
    super(`${purpose}: key version ${version} is not in the configured keyring`);
    this.name = 'KeyVersionUnavailableError';
  }
}

const ENTRY = /^v(\d{1,5}):(.*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NORMALIZED_ID = /^\d{17}[\dX]$/;

/**
 * Parses a keyring specification such as `"v2:<base64>,v1:<base64>"` from
 * configuration. The first entry is the current key. Each key must decode to
 * exactly 32 bytes (a longer key would not fit AES-256).
 *
 * Errors name the configuration (`label`) and the entry position, never the key
 * material, so they are safe to log.
 *
 * @param spec comma-separated `v<version>:<base64 key>` entries; whitespace around entries is ignored.
 * @param label the setting's name, e.g. `TRIPOD_MATCH_KEYS`, used in error messages.
 * @throws Error on an empty spec, a malformed entry, a duplicate version or a key of the wrong length.
 */
export function parseKeyring(spec: string, label: string): Keyring {
  const entries = (spec ?? '').split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') {
    throw new Error(`${label}: no keys configured (expected "v<version>:<base64 32-byte key>,...")`);
  }
  const keys = new Map<number, Buffer>();
  entries.forEach((entry, index) => {
    const position = `entry ${index + 1}`;
    const match = ENTRY.exec(entry);
    if (match === null) {
      throw new Error(`${label}: ${position} is malformed (expected "v<version>:<base64 32-byte key>")`);
    }
    const version = Number(match[1]);
    if (version < 1 || version > MAX_KEY_VERSION) {
      throw new Error(`${label}: ${position} has version ${version}, outside 1..${MAX_KEY_VERSION}`);
    }
    if (keys.has(version)) {
      throw new Error(`${label}: key version ${version} is listed more than once`);
    }
    const encoded = match[2];
    if (encoded === '' || !BASE64.test(encoded)) {
      throw new Error(`${label}: key version ${version} is not valid base64`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length < KEY_BYTES) {
      throw new Error(`${label}: key version ${version} is ${key.length} bytes; at least ${KEY_BYTES} are required`);
    }
    if (key.length > KEY_BYTES) {
      throw new Error(`${label}: key version ${version} is ${key.length} bytes; exactly ${KEY_BYTES} are required`);
    }
    keys.set(version, key);
  });
  const current = Number(ENTRY.exec(entries[0])![1]);
  return { current, keys };
}

/**
 * HMAC-SHA256 of a normalized ID number (as returned by `validateNationalId`),
 * used to match the same household across institutions without storing the
 * number.
 *
 * @param version the key version; defaults to the keyring's current one.
 * @throws TypeError when `normalizedId` is not 17 digits plus a digit or upper-case X
 *   (hashing an unnormalized form would silently miss matches).
 * @throws KeyVersionUnavailableError when the keyring lacks `version`.
 */
export function matchHash(keyring: Keyring, normalizedId: string, version: number = keyring.current): MatchHash {
  if (typeof normalizedId !== 'string' || !NORMALIZED_ID.test(normalizedId)) {
    throw new TypeError('matchHash expects a normalized national ID number');
  }
  const key = keyring.keys.get(version);
  if (key === undefined) {
    throw new KeyVersionUnavailableError(version, 'matchHash');
  }
  const hash = createHmac('sha256', key).update(normalizedId, 'utf8').digest();
  return { version, hash };
}

/**
 * The matching hash under every key in the keyring, current first, for lookups
 * while stored hashes are being re-keyed after a rotation.
 */
export function matchHashesForAllVersions(keyring: Keyring, normalizedId: string): MatchHash[] {
  const versions = [keyring.current, ...[...keyring.keys.keys()].filter((v) => v !== keyring.current)];
  return versions.map((version) => matchHash(keyring, normalizedId, version));
}

/**
 * A keyring spec with one fresh random 32-byte key, for setting up a new
 * environment or preparing a rotation (prepend it to the existing spec).
 */
export function generateKeyringSpec(version = 1): string {
  if (!Number.isInteger(version) || version < 1 || version > MAX_KEY_VERSION) {
    throw new RangeError(`generateKeyringSpec: version must be an integer in 1..${MAX_KEY_VERSION}`);
  }
  return `v${version}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
