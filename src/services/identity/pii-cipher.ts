/**
 * Encryption at rest of household PII (head's name and phone): C2 information
 * under JR/T 0171-2020, which requires encrypted storage.
 *
 * Blob layout (one `bytea` column per field):
 * `[1 byte format version = 1][2 bytes key version, big-endian][12 bytes IV][16 bytes GCM tag][ciphertext]`.
 * The 3-byte header is authenticated as GCM additional data, so altering the
 * format or key version is detected like any other tampering.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyVersionUnavailableError, type Keyring } from './match-hash';

const FORMAT_VERSION = 1;
const HEADER_BYTES = 3;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_BLOB_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES;
const ALGORITHM = 'aes-256-gcm';

/**
 * The blob names a key version the configured keyring no longer (or not yet)
 * holds: a configuration problem, not corrupt data.
 */
export class PiiKeyUnavailableError extends KeyVersionUnavailableError {
  override readonly code: string = 'PII_KEY_UNAVAILABLE';

  constructor(version: number) {
    super(version, 'PII cipher');
    this.name = 'PiiKeyUnavailableError';
  }
}

/**
 * The blob is not a PII ciphertext this code can read (`FORMAT`) or failed GCM
 * authentication (`AUTHENTICATION`: altered, truncated or encrypted under a
 * different key with the same version number).
 */
export class PiiCiphertextError extends Error {
  readonly code = 'PII_CIPHERTEXT_INVALID';

  constructor(readonly reason: 'FORMAT' | 'AUTHENTICATION') {
    super(
      reason === 'FORMAT'
        ? 'PII cipher: value is not a version-1 PII ciphertext'
        : 'PII cipher: ciphertext failed authentication (tampered or wrong key)',
    );
    this.name = 'PiiCiphertextError';
  }
}

/**
 * Encrypts a PII value under the keyring's current key with a fresh random IV,
 * so equal names never produce equal ciphertexts.
 *
 * @throws PiiKeyUnavailableError when the keyring lacks its current version.
 */
export function encryptPii(keyring: Keyring, plaintext: string): Buffer {
  const version = keyring.current;
  const key = keyring.keys.get(version);
  if (key === undefined) {
    throw new PiiKeyUnavailableError(version);
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(FORMAT_VERSION, 0);
  header.writeUInt16BE(version, 1);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
}

/**
 * Decrypts a blob from {@link encryptPii} with the key version recorded in it,
 * so values written before a key rotation stay readable while the old key is
 * still configured.
 *
 * @throws PiiKeyUnavailableError when the recorded key version is not in the keyring.
 * @throws PiiCiphertextError when the blob is malformed or fails authentication.
 */
export function decryptPii(keyring: Keyring, blob: Buffer): string {
  const version = piiKeyVersion(blob);
  const key = keyring.keys.get(version);
  if (key === undefined) {
    throw new PiiKeyUnavailableError(version);
  }
  const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = blob.subarray(HEADER_BYTES + IV_BYTES, MIN_BLOB_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(blob.subarray(0, HEADER_BYTES));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(MIN_BLOB_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new PiiCiphertextError('AUTHENTICATION');
  }
}

/**
 * The key version a blob was encrypted under, without decrypting it: lets a
 * re-encryption job find rows still on an old key.
 *
 * @throws PiiCiphertextError (`FORMAT`) when the blob is too short or of an unknown format version.
 */
export function piiKeyVersion(blob: Buffer): number {
  if (!Buffer.isBuffer(blob) || blob.length < MIN_BLOB_BYTES || blob.readUInt8(0) !== FORMAT_VERSION) {
    throw new PiiCiphertextError('FORMAT');
  }
  return blob.readUInt16BE(1);
}
