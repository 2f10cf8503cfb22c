/**
 * Appending to the change feed (`change_event`, see its entity). Called inside the
 * writing transaction, as its last statement before commit:
 *
 * - one transaction-scoped advisory lock serialises appenders from here to commit, so
 *   event ids become visible in increasing order: a reader that resumes after the last
 *   id it saw never skips an event committed later with a smaller id;
 * - `pg_notify('tripod_changes', …)` wakes listeners (subscriptions, the early-warning
 *   evaluator) when the transaction commits, and never when it rolls back.
 *
 * The county of each record is read from its own row (every fact row carries one).
 */
import type { TransactionClient } from '../common';

/** The advisory lock key of the change feed (an arbitrary constant: "tripod" + 1). */
export const CHANGE_FEED_LOCK = 7_451_803_201;
/** The LISTEN/NOTIFY channel on which commits announce the feed's new tail. */
export const CHANGE_CHANNEL = 'tripod_changes';

/**
 * Node type → its table, for the county lookup. A record type missing here is still
 * recorded, without a county.
 */
export const RECORD_TABLES: Readonly<Record<string, string>> = {
  Household: 'household',
  Loan: 'loan',
  LoanPosition: 'loan_position',
  Repayment: 'repayment',
  LoanModification: 'loan_modification',
  InsurancePolicy: 'insurance_policy',
  Claim: 'claim',
  GuaranteeContract: 'guarantee_contract',
  Compensation: 'compensation',
  CompensationRecovery: 'compensation_recovery',
  Enterprise: 'enterprise',
  ServicePoint: 'service_point',
  RiskCompensationFund: 'risk_compensation_fund',
  FundMovement: 'fund_movement',
  RelendingFacility: 'relending_facility',
  DockingEvent: 'docking_event',
  Finding: 'finding',
  RectificationStep: 'rectification_step',
  Alert: 'alert',
};

export interface ChangeToRecord {
  recordType: string;
  recordId: string;
  action: string;
}

export interface ChangeSource {
  institutionId: string | null;
  batchRowId: string | null;
}

/**
 * Appends one event per change, in the order given, and arranges the commit-time
 * notification. Returns the id of the last event appended (null when none).
 */
export async function recordChanges(client: TransactionClient, changes: readonly ChangeToRecord[], source: ChangeSource): Promise<string | null> {
  if (changes.length === 0) return null;
  await client.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_FEED_LOCK]);
  const types = changes.map((c) => c.recordType);
  const ids = changes.map((c) => c.recordId);
  const actions = changes.map((c) => c.action);
  const countyOf = Object.entries(RECORD_TABLES)
    .map(([type, table]) => `WHEN c.record_type = '${type}' THEN (SELECT t.county_code FROM ${table} t WHERE t.id = c.record_id)`)
    .join('\n             ');
  const inserted = await client.query<{ last: string | null }>(
    `WITH c AS (
       SELECT t.record_type, t.record_id, t.action, t.ord
       FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS t(record_type, record_id, action, ord)
     ), ins AS (
       INSERT INTO change_event (record_type, record_id, action, county_code, institution_id, batch_id)
       SELECT c.record_type, c.record_id, c.action,
              CASE ${countyOf} END,
              $4::bigint, $5::bigint
       FROM c ORDER BY c.ord
       RETURNING id
     )
     SELECT max(id)::text AS last FROM ins`,
    [types, ids, actions, source.institutionId, source.batchRowId],
  );
  const last = inserted.rows[0]?.last ?? null;
  if (last !== null) await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, last]);
  return last;
}
