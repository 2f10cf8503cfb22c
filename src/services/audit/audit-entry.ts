/**
 * What a caller may put into the audit log, and the checks that keep personal data out
 * of it: an entry names households by their database id and fields by their GraphQL
 * name, never by value.
 */

/** The actions Tripod records; other upper-case codes are accepted for new features. */
export type KnownAuditAction =
  | 'PII_READ'
  | 'REGISTRATION_LOOKUP'
  | 'KEY_ISSUED'
  | 'KEY_ROTATED'
  | 'KEY_REVOKED'
  | 'PARAMETER_CHANGED'
  | 'INSTITUTION_CHANGED'
  | 'RULE_CHANGED'
  | 'CONSENT_RECORDED'
  | 'CONSENT_REVOKED';

/** A known action, or another `UPPER_SNAKE` code of at most 48 characters. */
export type AuditAction = KnownAuditAction | (string & {});

/** One audited event as a service reports it to the request's `AuditSink`. */
export interface AuditEntryInput {
  action: AuditAction;
  /** GraphQL operation name or CLI command; cut to 200 characters. */
  operation?: string | null;
  /**
   * Database ids of the households concerned: one log row per distinct household. Absent
   * or empty: one row without a household (an admin action, a lookup that matched none).
   */
  householdIds?: readonly string[];
  /** Names of the PII fields read (`name`, `phone`), never their values. */
  fields?: readonly string[];
  /**
   * Non-personal context (a key id, a parameter code, a consent scope, a result status).
   * Rejected when it looks like PII: keys such as `idNumber`, `phone` or `…Hash`, values
   * shaped like a national ID number, a mobile number or a hash, binary data, or more
   * than 4 KiB of JSON.
   */
  details?: Readonly<Record<string, unknown>> | null;
}

/** Thrown by `AuditSink.record` for an entry that cannot or must not be written. */
export class AuditEntryError extends Error {
  readonly code = 'AUDIT_ENTRY_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

/** An entry checked and reduced to the column values of its rows. */
export interface PreparedAuditEntry {
  action: string;
  operation: string | null;
  /** `[null]` when the entry concerns no household. */
  householdIds: Array<string | null>;
  /** PostgreSQL array literal of the field names, or null. */
  fieldsLiteral: string | null;
  /** Serialized JSON, or null. */
  detailsJson: string | null;
}

export const MAX_DETAILS_BYTES = 4096;
const MAX_OPERATION_CHARS = 200;
const ACTION = /^[A-Z][A-Z0-9_]{0,47}$/;
const BIGINT_ID = /^[1-9][0-9]{0,18}$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;
const MAX_DEPTH = 8;

// Keys are compared lower-cased with everything but letters and digits removed.
const FORBIDDEN_KEYS = new Set(['name', 'fullname', 'realname', 'headname', 'householdname', 'personname', 'address', 'birthdate', 'dateofbirth']);
const FORBIDDEN_KEY_PARTS = ['idnumber', 'nationalid', 'idcard', 'phone', 'mobile', 'hash', 'nameenc', 'phoneenc', 'ciphertext', 'secret', 'password'];

/** Value shapes that are PII or a digest whatever the key: checked on every string and number. */
const FORBIDDEN_VALUES: ReadonlyArray<[RegExp, string]> = [
  [/(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/, 'a national ID number'],
  [/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/, 'a mobile phone number'],
  [/[0-9A-Fa-f]{32,}/, 'a hex digest'],
  [/[A-Za-z0-9+/]{43,}={0,2}/, 'a base64 digest'],
];

/**
 * Checks one entry and reduces it to column values; the details are serialized here, so
 * that a caller changing its object afterwards does not change what is written.
 *
 * @throws AuditEntryError naming the offending part (never echoing a suspicious value).
 */
export function prepareAuditEntry(entry: AuditEntryInput): PreparedAuditEntry {
  if (typeof entry !== 'object' || entry === null) {
    throw new AuditEntryError('An audit entry must be an object');
  }
  if (typeof entry.action !== 'string' || !ACTION.test(entry.action)) {
    throw new AuditEntryError('Invalid audit action: expected an UPPER_SNAKE code of at most 48 characters');
  }

  let operation: string | null = null;
  if (entry.operation !== undefined && entry.operation !== null) {
    if (typeof entry.operation !== 'string') {
      throw new AuditEntryError('Invalid audit operation: expected a string');
    }
    // PostgreSQL text cannot hold NUL; varchar(200) counts characters, not UTF-16 units.
    operation = Array.from(entry.operation.replace(/\0/g, '\uFFFD')).slice(0, MAX_OPERATION_CHARS).join('');
  }

  const householdIds: Array<string | null> = [];
  for (const id of entry.householdIds ?? []) {
    if (typeof id !== 'string' || !BIGINT_ID.test(id) || BigInt(id) > 9223372036854775807n) {
      throw new AuditEntryError('Invalid household id in audit entry: expected a database id (positive integer as a string)');
    }
    if (!householdIds.includes(id)) householdIds.push(id);
  }
  if (householdIds.length === 0) householdIds.push(null);

  let fieldsLiteral: string | null = null;
  if (entry.fields !== undefined && entry.fields !== null) {
    const names: string[] = [];
    for (const field of entry.fields) {
      if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
        throw new AuditEntryError('Invalid field in audit entry: expected a field name such as "name" or "phone"');
      }
      if (!names.includes(field)) names.push(field);
    }
    // Field names are identifiers (checked above), so quoting needs no escapes.
    fieldsLiteral = `{${names.map((name) => `"${name}"`).join(',')}}`;
  }

  let detailsJson: string | null = null;
  if (entry.details !== undefined && entry.details !== null) {
    if (!isPlainObject(entry.details)) {
      throw new AuditEntryError('Invalid audit details: expected a plain object');
    }
    assertSafeDetails(entry.details, 'details', 0);
    detailsJson = JSON.stringify(entry.details);
    if (Buffer.byteLength(detailsJson, 'utf8') > MAX_DETAILS_BYTES) {
      throw new AuditEntryError(`Audit details exceed ${MAX_DETAILS_BYTES} bytes: record identifiers, not data`);
    }
  }

  return { action: entry.action, operation, householdIds, fieldsLiteral, detailsJson };
}

function assertSafeDetails(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new AuditEntryError(`Audit details nest deeper than ${MAX_DEPTH} levels at ${path}`);
  }
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string' || typeof value === 'number') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new AuditEntryError(`Audit details ${path} is not a finite number`);
    }
    const text = String(value);
    if (text.includes('\0')) {
      throw new AuditEntryError(`Audit details ${path} contains a NUL character`);
    }
    for (const [pattern, what] of FORBIDDEN_VALUES) {
      if (pattern.test(text)) {
        throw new AuditEntryError(`Audit details ${path} looks like ${what}; the audit log must not hold PII or digests`);
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertSafeDetails(item, `${path}[${index}]`, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
      if (FORBIDDEN_KEYS.has(normalized) || FORBIDDEN_KEY_PARTS.some((part) => normalized.includes(part))) {
        throw new AuditEntryError(`Audit details key ${JSON.stringify(key)} at ${path} names PII or a digest, which the audit log must not hold`);
      }
      if (item !== undefined) assertSafeDetails(item, `${path}.${key}`, depth + 1);
    }
    return;
  }
  throw new AuditEntryError(`Audit details ${path} is not JSON data (${describe(value)})`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return 'binary data';
  if (value instanceof Date) return 'a Date; pass an ISO string';
  return typeof value === 'object' ? 'an object that is not a plain object' : typeof value;
}
