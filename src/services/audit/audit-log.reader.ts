/**
 * Reading the audit log (DESIGN.md §3: "regulators read the log through `auditLog`"):
 * a keyset page, newest first, over the entries the regulator's scope admits
 * (`auditEntryScope`). Entries hold ids, field names and non-personal details only, so
 * reading them is not itself a read of PII.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { and, raw, sql, TRUE, type Sql } from '../../db/sql';
import { auditEntryScope, householdScope } from '../access';
import type { Principal } from '../access/principal';
import { badInput } from '../common/service.errors';
import { requireRole } from '../common/service-scope';
import { isHouseholdRef } from '../identity';

/** One entry as the API shows it. */
export interface AuditEntryRow {
  id: string;
  /** PostgreSQL timestamptz text. */
  at: string;
  requestId: string;
  actorInstitutionId: string | null;
  actorRole: string;
  actorKey: string | null;
  action: string;
  operation: string | null;
  householdId: string | null;
  fields: string[] | null;
  details: Record<string, unknown> | null;
  /** Position in the hash chain (bigint as text in SQL, a safe integer here). */
  chainSeq: number | null;
  /** Hex, or null until the chainer links the entry. */
  hash: string | null;
}

export interface AuditLogFilter {
  action?: string | null;
  householdRef?: string | null;
  /** Entries at or after this instant. */
  from?: Date | null;
  /** Entries before this instant. */
  to?: Date | null;
}

export interface AuditLogPageRequest {
  /** Entries to return (already checked against the page cap). */
  first: number;
  /** Entries older than this id (the keyset cursor's position); null from the newest. */
  beforeId: string | null;
  filter: AuditLogFilter;
}

export interface AuditLogPage {
  entries: AuditEntryRow[];
  totalCount: number;
  hasNextPage: boolean;
  /** Entries newer than the cursor exist (under the same filter). */
  hasPreviousPage: boolean;
}

const ACTION = /^[A-Z][A-Z0-9_]{0,47}$/;

/** The select list of `AuditEntryRow` over alias `a`. */
export const AUDIT_ENTRY_COLUMNS = `a.id, a."at", a.request_id AS "requestId", a.actor_institution_id AS "actorInstitutionId",
  a.actor_role AS "actorRole", a.actor_key AS "actorKey", a.action, a.operation, a.household_id AS "householdId",
  a.fields, a.details, a.chain_seq::text AS "chainSeq", encode(a.hash, 'hex') AS hash`;

/**
 * One page of the entries the principal may read, newest first.
 *
 * @throws RefusalError FORBIDDEN for every role but REGULATOR; BAD_USER_INPUT for a
 *   malformed filter.
 */
export async function readAuditLog(db: { em: EntityManager; principal: Readonly<Principal> }, request: AuditLogPageRequest): Promise<AuditLogPage> {
  requireRole(db.principal, ['REGULATOR'], 'auditLog');
  const where = and(auditEntryScope(db.principal, 'a'), filterSql(db.principal, request.filter));
  const before = request.beforeId === null ? TRUE : sql`a.id < ${request.beforeId}::bigint`;
  const page = await execute<AuditEntryRow>(
    db.em,
    sql`SELECT ${raw(AUDIT_ENTRY_COLUMNS)} FROM audit_log a WHERE ${and(where, before)} ORDER BY a.id DESC LIMIT ${request.first + 1}`,
  );
  const newer = request.beforeId === null ? raw('false') : sql`count(*) FILTER (WHERE a.id >= ${request.beforeId}::bigint) > 0`;
  const [counts] = await execute<{ total: number; newer: boolean }>(db.em, sql`SELECT count(*)::int AS total, ${newer} AS newer FROM audit_log a WHERE ${where}`);
  return {
    entries: page.slice(0, request.first).map(normalizeAuditEntry),
    totalCount: counts.total,
    hasNextPage: page.length > request.first,
    hasPreviousPage: counts.newer,
  };
}

function filterSql(principal: Readonly<Principal>, filter: AuditLogFilter): Sql {
  const parts: Sql[] = [];
  if (filter.action !== undefined && filter.action !== null) {
    if (!ACTION.test(filter.action)) {
      throw badInput('action is an UPPER_SNAKE code such as PII_READ', 'filter.action');
    }
    parts.push(sql`a.action = ${filter.action}`);
  }
  if (filter.householdRef !== undefined && filter.householdRef !== null) {
    if (!isHouseholdRef(filter.householdRef)) {
      throw badInput('A household ref is H followed by 12 Crockford base32 characters', 'filter.householdRef');
    }
    // A household the principal may not see matches nothing, as an unknown one does.
    parts.push(sql`a.household_id = (SELECT h.id FROM household h WHERE h.ref = ${filter.householdRef} AND ${householdScope(principal, 'h')})`);
  }
  if (filter.from !== undefined && filter.from !== null) parts.push(sql`a."at" >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to !== undefined && filter.to !== null) parts.push(sql`a."at" < ${filter.to.toISOString()}::timestamptz`);
  return and(...parts);
}

/** Ids as strings and the chain position as a number, whatever the driver's parsers did. */
export function normalizeAuditEntry(row: AuditEntryRow): AuditEntryRow {
  return {
    ...row,
    id: String(row.id),
    actorInstitutionId: row.actorInstitutionId === null ? null : String(row.actorInstitutionId),
    householdId: row.householdId === null ? null : String(row.householdId),
    chainSeq: row.chainSeq === null ? null : Number(row.chainSeq),
  };
}

function execute<R>(em: EntityManager, query: Sql): Promise<R[]> {
  return em.getConnection().execute<R[]>(query.text, [...query.params], 'all');
}
