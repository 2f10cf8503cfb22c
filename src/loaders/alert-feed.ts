/**
 * Alerts for the `alerts` subscription: the alerts of a page of change feed events that
 * the principal may see and that match the subscriber's filter — the alerts connection's
 * own list (scope, filter fields), in one statement per page.
 */
import { and, pgArray, raw, sql } from '../db/sql';
import { chinaToday, compileFilter, type CompileContext, type FilterObject } from './list-kit';
import { selectRows, type LoaderScope } from './loader-kit';
import { ALERTS } from './party.lists';
import type { AlertRow } from './surface-rows';

/** The visible alerts among `ids` that match `filter` (validated by the caller), by id. */
export async function visibleAlertsById(scope: LoaderScope, ids: readonly string[], filter: FilterObject | null): Promise<Map<string, AlertRow>> {
  if (ids.length === 0) return new Map();
  const c: CompileContext = { principal: scope.principal, asOf: null, today: chinaToday(), needs: new Set() };
  const where = and(ALERTS.scope(scope.principal), compileFilter(filter, ALERTS.filters, c));
  const rows = await selectRows<AlertRow>(
    scope,
    sql`SELECT ${ALERTS.columns} FROM ${raw(ALERTS.table)} WHERE al.id = ANY (${pgArray([...new Set(ids)])}::bigint[]) AND ${where}`,
  );
  return new Map(rows.map((row) => [row.id, row]));
}
