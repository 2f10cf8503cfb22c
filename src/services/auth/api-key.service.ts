/**
 * Administration of partner API keys: issue, list, rotate, revoke. Callers (the `keys`
 * CLI, later the ADMIN API) audit each action themselves, in their own request or
 * command context.
 *
 * Every write is a single SQL statement, so any `AuthDb` handle gives all-or-nothing
 * behaviour without a transaction of its own; a caller that wants the change and its
 * audit entry to commit together passes a client inside its transaction.
 */
import type { Role } from '../access/principal';
import { toQueryable, type AuthDb, type Queryable } from './auth-db';
import { KeyAdminError } from './auth.errors';
import { invalidateKeyCache } from './api-key-authenticator';
import { formatToken, hashSecret, isKeyId, newKeyId, newSecret } from './api-key-token';
import {
  AREA_CODE,
  describeKindsFor,
  findInstitution,
  homeCounty,
  isRole,
  normalizeAreaCodes,
  roleFitsInstitution,
  roleNeedsInstitution,
  type InstitutionFacts,
} from './grants';

/** Longest grace period a rotation may leave the old key: 30 days. */
export const MAX_GRACE_HOURS = 720;
const MAX_LABEL_LENGTH = 200;
const MAX_CREATED_BY_LENGTH = 100;

export interface IssueApiKeyInput {
  /** The institution the key acts for; null only for ANALYST and ADMIN keys. */
  institutionCode: string | null;
  role: Role | `${Role}`;
  /**
   * Area code prefixes (2/4/6/9/12 digits) the key may see; empty means the whole
   * nation, except for GOVERNMENT keys, which default to their institution's home
   * county and may only narrow it.
   */
  areaCodes?: readonly string[];
  /** Full household PII; REGULATOR keys only. */
  piiGranted?: boolean;
  /** Free text naming the system that uses the key; defaults to role and institution. */
  label?: string;
  /** When the key stops working; null or absent: never. */
  expiresAt?: Date | null;
  /** Who issued it (`cli:<os user>`, `demo`, an admin's key id). */
  createdBy: string;
}

export type ApiKeyStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** A key as administrators see it: never its secret or the secret's hash. */
export interface ApiKeySummary {
  keyId: string;
  institutionCode: string | null;
  institutionName: string | null;
  role: Role;
  areaCodes: string[];
  piiGranted: boolean;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The key this one replaced by rotation. */
  rotatedFromKeyId: string | null;
  createdBy: string;
  status: ApiKeyStatus;
}

export interface IssuedApiKey {
  keyId: string;
  /** The full token `tpd_<keyId>_<secret>`: show it once, it is not stored. */
  token: string;
  key: ApiKeySummary;
}

export interface RotatedApiKey extends IssuedApiKey {
  /** The replaced key, with its shortened expiry. */
  previous: ApiKeySummary;
}

export interface RotateApiKeyOptions {
  /** Hours the old key keeps working (fractions allowed); 0, the default, ends it now. */
  graceHours?: number;
  /** Expiry of the new key; default the old key's original expiry. */
  expiresAt?: Date | null;
  createdBy: string;
}

interface SummaryRow {
  key_id: string;
  institution_code: string | null;
  institution_name: string | null;
  role: Role;
  area_codes: string[];
  pii_granted: boolean;
  label: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  rotated_from_key_id: string | null;
  created_by: string;
  status: ApiKeyStatus;
}

/** Summary columns over `k` (a set of api_key rows); never the secret hash. */
const SUMMARY_SELECT = `
  select k.key_id, i.code as institution_code, i.name as institution_name, k.role, k.area_codes,
         k.pii_granted, k.label, k.created_at, k.expires_at, k.revoked_at,
         p.key_id as rotated_from_key_id, k.created_by,
         case when k.revoked_at is not null then 'REVOKED'
              when k.expires_at is not null and k.expires_at <= now() then 'EXPIRED'
              else 'ACTIVE' end as status
    from k
    left join institution i on i.id = k.institution_id
    left join api_key p on p.id = k.rotated_from_id`;

/**
 * Issues a new key after checking its grants: the institution exists, is open and fits
 * the role (BANK→BANK, INSURER→INSURER, GUARANTOR→GUARANTOR, GOVERNMENT→GOVERNMENT,
 * REGULATOR→REGULATOR or CENTRAL_BANK, ANALYST→any or none, ADMIN→OPERATOR or none);
 * the area codes exist; PII only for regulators.
 *
 * @returns the key id and the token, which is shown once and never stored.
 * @throws KeyAdminError naming the first problem.
 */
export async function issueApiKey(db: AuthDb, input: IssueApiKeyInput): Promise<IssuedApiKey> {
  const q = toQueryable(db);
  const role = checkRole(input.role);
  const institution = await checkInstitution(q, role, input.institutionCode);
  const areaCodes = await checkScope(q, role, institution, input.areaCodes ?? []);
  const piiGranted = input.piiGranted ?? false;
  if (piiGranted && role !== 'REGULATOR') {
    throw new KeyAdminError('PII_NOT_ALLOWED', `Only REGULATOR keys can be granted full PII, not ${role}`);
  }
  const label = checkLabel(input.label ?? defaultLabel(role, institution));
  const expiresAt = checkExpiry(input.expiresAt ?? null);
  const createdBy = checkCreatedBy(input.createdBy);

  return insertKey(q, (keyId, secretHash) => ({
    text: `with k as (
             insert into api_key (key_id, secret_hash, institution_id, role, area_codes, pii_granted, label, expires_at, created_by)
             values ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9)
             returning *)
           ${SUMMARY_SELECT}`,
    values: [keyId, secretHash, institution?.id ?? null, role, areaCodes, piiGranted, label, expiresAt, createdBy],
  }));
}

/**
 * Every key, or those of one institution, ordered by institution and creation; revoked
 * and expired keys included (with their status), secrets and hashes never.
 *
 * @throws KeyAdminError INSTITUTION_NOT_FOUND for an unknown institution code.
 */
export async function listApiKeys(db: AuthDb, options: { institutionCode?: string | null } = {}): Promise<ApiKeySummary[]> {
  const q = toQueryable(db);
  const code = options.institutionCode ?? null;
  if (code !== null && (await findInstitution(q, code)) === null) {
    throw new KeyAdminError('INSTITUTION_NOT_FOUND', `No institution with code ${JSON.stringify(code)}`);
  }
  const result = await q.query<SummaryRow>(
    `with k as (
       select a.* from api_key a
        where $1::text is null or a.institution_id = (select id from institution where code = $1))
     ${SUMMARY_SELECT}
     order by i.code nulls first, k.created_at, k.key_id`,
    [code],
  );
  return result.rows.map(toSummary);
}

/**
 * Replaces a key: a new key with the same grants (institution, role, scope, PII, label)
 * and `rotated_from_id` pointing at the old one, whose expiry becomes now + `graceHours`
 * (never later than it already was). Both happen in one statement.
 *
 * @throws KeyAdminError when the key is unknown, revoked, expired or already replaced by
 *   a live key, or for an invalid grace period or expiry.
 */
export async function rotateApiKey(db: AuthDb, keyId: string, options: RotateApiKeyOptions): Promise<RotatedApiKey> {
  const q = toQueryable(db);
  const graceHours = options.graceHours ?? 0;
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
    throw new KeyAdminError('INVALID_GRACE', `Grace period must be 0-${MAX_GRACE_HOURS} hours`);
  }
  const createdBy = checkCreatedBy(options.createdBy);
  const old = await loadForChange(q, keyId);
  if (old.successor !== null) {
    throw new KeyAdminError('KEY_ALREADY_ROTATED', `Key ${keyId} was already rotated to ${old.successor}; rotate or revoke that key instead`);
  }
  const expiresAt = checkExpiry(options.expiresAt === undefined ? old.expiresAt : options.expiresAt);
  const graceSeconds = Math.round(graceHours * 3600);

  const issued = await insertKey(q, (newId, secretHash) => ({
    text: `with old as (
             update api_key o
                set expires_at = greatest(o.created_at + interval '1 millisecond',
                                          least(coalesce(o.expires_at, 'infinity'), now() + make_interval(secs => $3)))
              where o.key_id = $1 and o.revoked_at is null and (o.expires_at is null or o.expires_at > now())
                and not exists (select 1 from api_key s where s.rotated_from_id = o.id and s.revoked_at is null)
              returning o.*),
           k as (
             insert into api_key (key_id, secret_hash, institution_id, role, area_codes, pii_granted, label, expires_at, rotated_from_id, created_by)
             select $2, $4, old.institution_id, old.role, old.area_codes, old.pii_granted, old.label, $5, old.id, $6 from old
             returning *)
           ${SUMMARY_SELECT}`,
    values: [keyId, newId, graceSeconds, secretHash, expiresAt, createdBy],
  }));
  invalidateKeyCache(keyId);
  const [previous] = await summaries(q, keyId);
  return { ...issued, previous };
}

/**
 * Revokes a key at once. Processes that cached it keep accepting it for at most
 * `API_KEY_CACHE_TTL_MS`; this process forgets it immediately.
 *
 * @throws KeyAdminError when the key is unknown or already revoked.
 */
export async function revokeApiKey(db: AuthDb, keyId: string): Promise<ApiKeySummary> {
  const q = toQueryable(db);
  checkKeyId(keyId);
  const result = await q.query<SummaryRow>(
    `with k as (
       update api_key set revoked_at = greatest(now(), created_at)
        where key_id = $1 and revoked_at is null
        returning *)
     ${SUMMARY_SELECT}`,
    [keyId],
  );
  invalidateKeyCache(keyId);
  if (result.rows.length === 0) {
    await loadForChange(q, keyId, { allowExpired: true });
    // Exists and was not revoked a moment ago: revoked concurrently.
    throw new KeyAdminError('KEY_REVOKED', `Key ${keyId} is already revoked`);
  }
  return toSummary(result.rows[0]);
}

async function insertKey(
  q: Queryable,
  statement: (keyId: string, secretHash: Buffer) => { text: string; values: unknown[] },
): Promise<IssuedApiKey> {
  // 60-bit ids practically never collide; a retry covers the case anyway.
  for (let attempt = 1; ; attempt += 1) {
    const keyId = newKeyId();
    const secret = newSecret();
    const { text, values } = statement(keyId, hashSecret(secret));
    try {
      const result = await q.query<SummaryRow>(text, values);
      if (result.rows.length === 0) {
        throw new KeyAdminError('KEY_CHANGED', 'The key changed while it was being rotated; check it with `list` and try again');
      }
      return { keyId, token: formatToken(keyId, secret), key: toSummary(result.rows[0]) };
    } catch (error) {
      const pg = error as { code?: string; constraint?: string };
      if (attempt < 3 && pg.code === '23505' && pg.constraint === 'api_key_key_id_unique') continue;
      throw error;
    }
  }
}

interface KeyState {
  expiresAt: Date | null;
  successor: string | null;
}

/** The key's state, refused when it cannot change (unknown, revoked, expired). */
async function loadForChange(q: Queryable, keyId: string, options: { allowExpired?: boolean } = {}): Promise<KeyState> {
  checkKeyId(keyId);
  const result = await q.query<{ expires_at: Date | null; revoked: boolean; expired: boolean; successor: string | null }>(
    `select k.expires_at, k.revoked_at is not null as revoked,
            (k.expires_at is not null and k.expires_at <= now()) as expired,
            (select s.key_id from api_key s where s.rotated_from_id = k.id and s.revoked_at is null
              order by s.created_at desc limit 1) as successor
       from api_key k where k.key_id = $1`,
    [keyId],
  );
  const row = result.rows[0];
  if (row === undefined) {
    throw new KeyAdminError('KEY_NOT_FOUND', `No key with id ${keyId}`);
  }
  if (row.revoked) {
    throw new KeyAdminError('KEY_REVOKED', `Key ${keyId} is already revoked`);
  }
  if (row.expired && !options.allowExpired) {
    throw new KeyAdminError('KEY_EXPIRED', `Key ${keyId} has expired; issue a new key instead`);
  }
  return { expiresAt: row.expires_at, successor: row.successor };
}

async function summaries(q: Queryable, keyId: string): Promise<ApiKeySummary[]> {
  const result = await q.query<SummaryRow>(`with k as (select * from api_key where key_id = $1) ${SUMMARY_SELECT}`, [keyId]);
  return result.rows.map(toSummary);
}

function checkRole(role: string): Role {
  if (!isRole(role)) {
    throw new KeyAdminError('INVALID_ROLE', `Unknown role ${JSON.stringify(role)}`);
  }
  return role;
}

function checkKeyId(keyId: string): void {
  if (!isKeyId(keyId)) {
    throw new KeyAdminError('INVALID_KEY_ID', `${JSON.stringify(keyId.slice(0, 40))} is not a key id (12 characters of Crockford base32)`);
  }
}

async function checkInstitution(q: Queryable, role: Role, code: string | null): Promise<InstitutionFacts | null> {
  if (code === null || code === '') {
    if (roleNeedsInstitution(role)) {
      throw new KeyAdminError('INSTITUTION_REQUIRED', `A ${role} key needs an institution (${describeKindsFor(role)})`);
    }
    return null;
  }
  const institution = await findInstitution(q, code);
  if (institution === null) {
    throw new KeyAdminError('INSTITUTION_NOT_FOUND', `No institution with code ${JSON.stringify(code)}`);
  }
  if (institution.closed) {
    throw new KeyAdminError('INSTITUTION_CLOSED', `Institution ${code} is closed`);
  }
  if (!roleFitsInstitution(role, institution.kind)) {
    throw new KeyAdminError(
      'ROLE_INSTITUTION_MISMATCH',
      `A ${role} key needs a ${describeKindsFor(role)} institution; ${code} is ${institution.kind}`,
    );
  }
  return institution;
}

async function checkScope(q: Queryable, role: Role, institution: InstitutionFacts | null, codes: readonly string[]): Promise<string[]> {
  const trimmed = codes.map((code) => code.trim());
  const malformed = trimmed.find((code) => !AREA_CODE.test(code));
  if (malformed !== undefined) {
    throw new KeyAdminError('INVALID_AREA_CODE', `${JSON.stringify(malformed.slice(0, 20))} is not a 2, 4, 6, 9 or 12-digit area code`);
  }
  if (trimmed.length > 0) {
    const result = await q.query<{ code: string }>('select code from area where code = any($1::text[])', [trimmed]);
    const known = new Set(result.rows.map((row) => row.code));
    const unknown = trimmed.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new KeyAdminError('UNKNOWN_AREA', `Unknown area code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    }
  }
  const scope = normalizeAreaCodes(trimmed);
  if (role === 'GOVERNMENT' && institution !== null) {
    // A county government sees its county: the default, which a key may only narrow.
    const county = homeCounty(institution.homeAreaCode);
    const outside = scope.filter((code) => !code.startsWith(county));
    if (outside.length > 0) {
      throw new KeyAdminError('SCOPE_OUTSIDE_INSTITUTION', `${institution.code} governs ${county}; ${outside.join(', ')} is outside it`);
    }
    return scope.length === 0 ? [county] : scope;
  }
  return scope;
}

function checkLabel(label: string): string {
  const text = label.trim();
  // Control characters would let a label forge lines in the CLI's table or in logs.
  if (text === '' || text.length > MAX_LABEL_LENGTH || /\p{Cc}/u.test(text)) {
    throw new KeyAdminError('INVALID_LABEL', `Label must be 1-${MAX_LABEL_LENGTH} characters without control characters`);
  }
  return text;
}

function checkExpiry(expiresAt: Date | null): Date | null {
  if (expiresAt === null) return null;
  if (Number.isNaN(expiresAt.getTime())) {
    throw new KeyAdminError('INVALID_EXPIRY', 'Expiry is not a valid date');
  }
  if (expiresAt.getTime() <= Date.now()) {
    throw new KeyAdminError('INVALID_EXPIRY', `Expiry ${expiresAt.toISOString()} is not in the future`);
  }
  return expiresAt;
}

function checkCreatedBy(createdBy: string): string {
  const text = createdBy.trim();
  if (text === '' || text.length > MAX_CREATED_BY_LENGTH || /\p{Cc}/u.test(text)) {
    throw new KeyAdminError('INVALID_LABEL', `createdBy must be 1-${MAX_CREATED_BY_LENGTH} characters without control characters`);
  }
  return text;
}

function defaultLabel(role: Role, institution: InstitutionFacts | null): string {
  return institution === null ? `${role} key` : `${role} key for ${institution.code}`;
}

function toSummary(row: SummaryRow): ApiKeySummary {
  return {
    keyId: row.key_id,
    institutionCode: row.institution_code,
    institutionName: row.institution_name,
    role: row.role,
    areaCodes: row.area_codes,
    piiGranted: row.pii_granted,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rotatedFromKeyId: row.rotated_from_key_id,
    createdBy: row.created_by,
    status: row.status,
  };
}
