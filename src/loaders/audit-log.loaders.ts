import { pgArray, raw, sql } from '../db/sql';
import { auditEntryScope } from '../services/access';
import { AUDIT_ENTRY_COLUMNS, normalizeAuditEntry, type AuditEntryRow } from '../services/audit';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

/** Audit entries by id for `node(id)`, under the same scope as `auditLog`. */
export function createAuditLogLoaders(scope: LoaderScope) {
  return {
    auditEntryById: keyLoader<AuditEntryRow | null>(async (ids) => {
      const rows = await selectRows<AuditEntryRow>(
        scope,
        sql`SELECT ${raw(AUDIT_ENTRY_COLUMNS)} FROM audit_log a WHERE a.id = ANY (${pgArray(ids)}::bigint[]) AND ${auditEntryScope(scope.principal, 'a')}`,
      );
      return oneByKey(ids, rows.map(normalizeAuditEntry), (row) => row.id);
    }),
  };
}
