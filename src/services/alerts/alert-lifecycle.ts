/**
 * The people's side of an alert's life (DESIGN.md §1 "Alert"): acknowledge, resolve, or
 * mark it a false positive, each with who, when and a note, kept in `alert_event`.
 *
 * Who may act on an alert:
 * - the institution it is assigned to (a bank for its loan, an insurer for its claim …);
 * - the county GOVERNMENT for its county's alerts that are not assigned to another
 *   institution (county-level conditions, its own fund, findings on its own work);
 * - REGULATORs for every alert of their area scope.
 * An alert the caller may not see (`alertScope`) is NOT_FOUND, exactly like one that does
 * not exist; a county government acting on an alert it sees but that is assigned to a
 * bank gets FORBIDDEN. An illegal transition is BAD_USER_INPUT naming the current status,
 * so a retried call changes nothing and says why.
 *
 * Each change appends the alert to the change feed (action = its new status) in the
 * same transaction, for the `alerts` subscription.
 */
import { sql } from '../../db/sql';
import { AlertStatus } from '../../entities/enums';
import { alertScope } from '../access';
import type { Principal } from '../access/principal';
import { recordChanges } from '../changes/change-feed';
import { actorLabel, auditedPgTransaction, badInput, forbidden, notFound, requireRole, type ServiceScope } from '../common';
import { queryFragment } from '../ingestion/references';

export type AlertAction = 'acknowledgeAlert' | 'resolveAlert' | 'markAlertFalsePositive';

/** From which statuses each action may start, and where it leads. */
export const ALERT_TRANSITIONS: Readonly<Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus }>> = {
  acknowledgeAlert: { from: [AlertStatus.OPEN], to: AlertStatus.ACKNOWLEDGED },
  resolveAlert: { from: [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED], to: AlertStatus.RESOLVED },
  markAlertFalsePositive: { from: [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED], to: AlertStatus.FALSE_POSITIVE },
};

const ACTING_ROLES = ['BANK', 'INSURER', 'GUARANTOR', 'GOVERNMENT', 'REGULATOR'] as const;
export const MAX_NOTE_CHARS = 2000;
const ROW_ID = /^[1-9]\d{0,18}$/;

export interface AlertTransition {
  alertId: string;
  from: AlertStatus;
  to: AlertStatus;
}

/** Who did it, as `alert_event.actor` keeps it: the institution (or role) and the key or token. */
export function alertActor(principal: Readonly<Principal>): string {
  return `${principal.institutionCode ?? principal.role} ${actorLabel(principal)}`.slice(0, 100);
}

/**
 * Moves alert `alertId` (a row id) by `action`, with `note`.
 *
 * @throws RefusalError FORBIDDEN (a role that never acts on alerts, or a county
 *   government on an alert assigned to an institution); NOT_FOUND (no such alert, or not
 *   visible); BAD_USER_INPUT (empty or long note, or an illegal transition, naming the
 *   current status).
 */
export async function changeAlertStatus(scope: ServiceScope, action: AlertAction, alertId: string, note: string): Promise<AlertTransition> {
  const { principal } = scope;
  requireRole(principal, ACTING_ROLES, action);
  const text = note.trim();
  if (text === '') throw badInput('note must not be empty: say why', 'input.note');
  if (Array.from(text).length > MAX_NOTE_CHARS || text.includes('\0')) throw badInput(`note has at most ${MAX_NOTE_CHARS} characters`, 'input.note');
  if (!ROW_ID.test(alertId)) throw notFound('No such alert', 'input.id');
  const transition = ALERT_TRANSITIONS[action];

  return auditedPgTransaction(scope, async (client) => {
    const [alert] = await queryFragment<{ id: string; status: AlertStatus; institution_id: string | null }>(
      client,
      sql`SELECT a.id::text AS id, a.status, a.institution_id::text AS institution_id FROM alert a
           WHERE a.id = ${alertId}::bigint AND ${alertScope(principal, 'a')} FOR UPDATE OF a`,
    );
    if (alert === undefined) throw notFound('No such alert', 'input.id');
    if (principal.role === 'GOVERNMENT' && alert.institution_id !== null && alert.institution_id !== principal.institutionId) {
      throw forbidden('This alert is assigned to the institution whose records it concerns; a county government acts on county-level alerts');
    }
    if (!transition.from.includes(alert.status)) {
      throw badInput(
        `The alert is ${alert.status}; ${action} applies to ${transition.from.join(' or ')} alerts`,
        'input.id',
        `ALERT_${alert.status}`,
      );
    }
    await client.query(`UPDATE alert SET status = $2, updated_at = now() WHERE id = $1`, [alert.id, transition.to]);
    await client.query(`INSERT INTO alert_event (alert_id, from_status, to_status, actor, note) VALUES ($1, $2, $3, $4, $5)`, [
      alert.id,
      alert.status,
      transition.to,
      alertActor(principal),
      text,
    ]);
    await recordChanges(client, [{ recordType: 'Alert', recordId: alert.id, action: transition.to }], {
      institutionId: principal.institutionId,
      batchRowId: null,
    });
    return { alertId: alert.id, from: alert.status, to: transition.to };
  });
}
