/**
 * The hash chain's format, shared by the chainer and the verifier, and written down so
 * that an auditor can recompute it with nothing but SQL and SHA-256:
 *
 *     hash(n) = SHA-256( prev_hash(n) || UTF-8( canonical(n) ) )
 *     prev_hash(1) = 32 zero bytes;  prev_hash(n) = hash(n - 1)
 *
 * `canonical(n)` is the JSON array (as `JSON.stringify` writes it: no spaces, `null`
 * for SQL NULL) of the format tag `"tripod.audit.v1"` followed by every column of the
 * entry except `chain_seq`, `prev_hash` and `hash`, each as PostgreSQL's own text:
 *
 *     id, at (UTC, microseconds: `2026-11-28T07:36:57.123456Z`), request_id,
 *     actor_institution_id, actor_role, actor_key, action, operation, household_id,
 *     fields (array literal, `{name,phone}`), details (jsonb text, `{"a": 1}`)
 *
 * Taking the text from PostgreSQL avoids the precision a JavaScript Date or number
 * would lose (microseconds, jsonb numerics), so the hash covers exactly what is stored.
 */
import { createHash } from 'node:crypto';

export const AUDIT_CHAIN_FORMAT = 'tripod.audit.v1';

/** `prev_hash` of the first entry. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** The columns of `canonical`, in order, each selected as text. */
export const CANONICAL_COLUMNS_SQL = `a.id::text as id,
       to_char(a."at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "at",
       a.request_id::text as request_id,
       a.actor_institution_id::text as actor_institution_id,
       a.actor_role::text as actor_role,
       a.actor_key::text as actor_key,
       a.action::text as action,
       a.operation::text as operation,
       a.household_id::text as household_id,
       a.fields::text as fields,
       a.details::text as details`;

/** One entry as `CANONICAL_COLUMNS_SQL` selects it. */
export interface CanonicalAuditRow {
  id: string;
  at: string;
  request_id: string;
  actor_institution_id: string | null;
  actor_role: string;
  actor_key: string | null;
  action: string;
  operation: string | null;
  household_id: string | null;
  fields: string | null;
  details: string | null;
}

/** The canonical serialization of one entry (see the file comment). */
export function canonicalAuditEntry(row: CanonicalAuditRow): string {
  return JSON.stringify([
    AUDIT_CHAIN_FORMAT,
    row.id,
    row.at,
    row.request_id,
    row.actor_institution_id,
    row.actor_role,
    row.actor_key,
    row.action,
    row.operation,
    row.household_id,
    row.fields,
    row.details,
  ]);
}

/** `SHA-256(prevHash || UTF-8(canonical))`. */
export function auditEntryHash(prevHash: Buffer, row: CanonicalAuditRow): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalAuditEntry(row), 'utf8').digest();
}
