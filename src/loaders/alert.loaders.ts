/**
 * An alert's history (`alert_event`), oldest first, visible with the alert itself: one
 * SQL statement per batch of alerts, scoped by `alertScope`.
 */
import { pgArray, raw, sql } from '../db/sql';
import type { AlertStatus } from '../entities/enums';
import { alertScope } from '../services/access';
import { keyLoader, manyByOrdinal, selectRows, type LoaderScope, type Ordinal } from './loader-kit';

/** At most this many history steps per alert (a condition rarely moves more than a few times). */
export const MAX_ALERT_EVENTS = 100;

export interface AlertEventRow {
  id: string;
  alertId: string;
  fromStatus: AlertStatus | null;
  toStatus: AlertStatus;
  actor: string;
  note: string | null;
  /** PostgreSQL timestamptz. */
  at: string;
}

export function createAlertLoaders(scope: LoaderScope) {
  const { principal } = scope;
  return {
    eventsByAlertId: keyLoader<AlertEventRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<AlertEventRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(alert_id, ord)
            CROSS JOIN LATERAL (
              SELECT ev.id::text AS id, ev.alert_id::text AS "alertId", ev.from_status AS "fromStatus", ev.to_status AS "toStatus",
                     ev.actor, ev.note, ev.at
                FROM alert_event ev JOIN alert a ON a.id = ev.alert_id
               WHERE ev.alert_id = k.alert_id AND ${alertScope(principal, 'a')}
               ORDER BY ev.id LIMIT ${raw(String(MAX_ALERT_EVENTS))}) x
            ORDER BY k.ord, x.id::bigint`,
      );
      return manyByOrdinal(ids.length, rows);
    }),
  };
}
