/**
 * API key administration over GraphQL, for the ADMIN role: the same rules as the `keys`
 * CLI (both call `services/auth`), and like the CLI each action — listing included — is
 * audited in the transaction that performs it (KEY_ISSUED, KEYS_LISTED, KEY_ROTATED,
 * KEY_REVOKED; details name the key, never its secret or hash).
 */
import type { Role } from '../access/principal';
import {
  issueApiKey as issueKey,
  isKeyId,
  KeyAdminError,
  listApiKeys as listKeys,
  revokeApiKey as revokeKey,
  rotateApiKey as rotateKey,
  type ApiKeySummary,
  type IssuedApiKey,
  type KeyAdminErrorCode,
  type RotatedApiKey,
} from '../auth';
import type { AuditSink } from '../audit';
import { actorLabel, auditedPgTransaction, badInput, conflict, notFound, requireRole, type RefusalError, type ServiceScope, type TransactionClient } from '../common';

export interface IssueKeyRequest {
  role: `${Role}`;
  institutionCode?: string | null;
  areaCodes?: readonly string[] | null;
  piiGranted?: boolean | null;
  label?: string | null;
  expiresAt?: Date | null;
}

const ADMIN = ['ADMIN'] as const;

/** Issues a key; the token is in the answer once and stored nowhere. */
export async function issueApiKey(scope: ServiceScope, request: IssueKeyRequest): Promise<IssuedApiKey> {
  requireRole(scope.principal, ADMIN, 'issueApiKey');
  return run(scope, async (client, audit) => {
    const issued = await issueKey(client, {
      role: request.role,
      institutionCode: request.institutionCode ?? null,
      areaCodes: request.areaCodes ?? [],
      piiGranted: request.piiGranted ?? false,
      label: request.label ?? undefined,
      expiresAt: request.expiresAt ?? null,
      createdBy: actorLabel(scope.principal),
    });
    audit.record({ action: 'KEY_ISSUED', operation: 'issueApiKey', details: keyDetails(issued.key) });
    return issued;
  });
}

/** Every key, or one institution's: status included, secrets and hashes never. */
export async function listApiKeys(scope: ServiceScope, institutionCode: string | null): Promise<ApiKeySummary[]> {
  requireRole(scope.principal, ADMIN, 'apiKeys');
  return run(scope, async (client, audit) => {
    const keys = await listKeys(client, { institutionCode });
    audit.record({ action: 'KEYS_LISTED', operation: 'apiKeys', details: { institutionCode, count: keys.length } });
    return keys;
  });
}

/** Replaces a key with a new one of the same grants; the old one works `graceHours` more. */
export async function rotateApiKey(scope: ServiceScope, keyId: string, graceHours: number): Promise<RotatedApiKey> {
  requireRole(scope.principal, ADMIN, 'rotateApiKey');
  const id = checkKeyId(keyId);
  return run(scope, async (client, audit) => {
    const rotated = await rotateKey(client, id, { graceHours, createdBy: actorLabel(scope.principal) });
    audit.record({
      action: 'KEY_ROTATED',
      operation: 'rotateApiKey',
      details: { ...keyDetails(rotated.key), rotatedFrom: id, graceHours, previousExpiresAt: isoOf(rotated.previous.expiresAt) },
    });
    return rotated;
  });
}

/** Revokes a key at once (other hub processes within their key cache TTL). */
export async function revokeApiKey(scope: ServiceScope, keyId: string): Promise<ApiKeySummary> {
  requireRole(scope.principal, ADMIN, 'revokeApiKey');
  const id = checkKeyId(keyId);
  return run(scope, async (client, audit) => {
    const key = await revokeKey(client, id);
    audit.record({ action: 'KEY_REVOKED', operation: 'revokeApiKey', details: keyDetails(key) });
    return key;
  });
}

/** Key ids are shown upper-case; accept them as typed, like the CLI. */
function checkKeyId(keyId: string): string {
  const id = keyId.trim().toUpperCase();
  if (!isKeyId(id)) {
    throw badInput('A key id is 12 characters of Crockford base32, as apiKeys lists them', 'keyId', 'INVALID_KEY_ID');
  }
  return id;
}

async function run<T>(scope: ServiceScope, work: (client: TransactionClient, audit: AuditSink) => Promise<T>): Promise<T> {
  try {
    return await auditedPgTransaction(scope, work);
  } catch (error) {
    throw error instanceof KeyAdminError ? refusalFor(error) : error;
  }
}

const NOT_FOUND_CODES: ReadonlySet<KeyAdminErrorCode> = new Set(['INSTITUTION_NOT_FOUND', 'KEY_NOT_FOUND']);
const CONFLICT_CODES: ReadonlySet<KeyAdminErrorCode> = new Set(['KEY_REVOKED', 'KEY_EXPIRED', 'KEY_ALREADY_ROTATED', 'KEY_CHANGED']);
const FIELD_OF: Partial<Record<KeyAdminErrorCode, string>> = {
  INVALID_ROLE: 'input.role',
  INSTITUTION_REQUIRED: 'input.institutionCode',
  INSTITUTION_NOT_FOUND: 'input.institutionCode',
  INSTITUTION_CLOSED: 'input.institutionCode',
  ROLE_INSTITUTION_MISMATCH: 'input.institutionCode',
  INVALID_AREA_CODE: 'input.areaCodes',
  UNKNOWN_AREA: 'input.areaCodes',
  SCOPE_OUTSIDE_INSTITUTION: 'input.areaCodes',
  PII_NOT_ALLOWED: 'input.piiGranted',
  INVALID_LABEL: 'input.label',
  INVALID_EXPIRY: 'input.expiresAt',
  INVALID_GRACE: 'graceHours',
  INVALID_KEY_ID: 'keyId',
  KEY_NOT_FOUND: 'keyId',
};

/** A refused key administration request as the API reports it; its message names only public values. */
function refusalFor(error: KeyAdminError): RefusalError {
  if (NOT_FOUND_CODES.has(error.code)) return notFound(error.message, FIELD_OF[error.code]);
  if (CONFLICT_CODES.has(error.code)) return conflict(error.message, error.code);
  return badInput(error.message, FIELD_OF[error.code], error.code);
}

function keyDetails(key: ApiKeySummary): Record<string, unknown> {
  return {
    keyId: key.keyId,
    institutionCode: key.institutionCode,
    role: key.role,
    areaCodes: key.areaCodes,
    piiGranted: key.piiGranted,
    label: key.label,
    expiresAt: isoOf(key.expiresAt),
  };
}

/**
 * An instant as ISO text. Connections borrowed from MikroORM's pool parse timestamps as
 * PostgreSQL text rather than Date (its type parsers), so both arrive here.
 */
function isoOf(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
