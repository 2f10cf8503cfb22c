/**
 * The alert sweep: evaluates every enabled rule's current version for an as-of date and
 * reconciles the result with the stored alerts, one transaction per rule.
 *
 * Per rule and fingerprint:
 * - condition present, open (OPEN/ACKNOWLEDGED) alert exists → kept; observed value,
 *   threshold and message refreshed;
 * - condition present, none open → one new OPEN alert with an `OPEN` event by `sweep` —
 *   unless the fingerprint's latest alert is a FALSE_POSITIVE not yet cleared (suppressed);
 * - open alert, condition absent → RESOLVED, event note `condition cleared`;
 * - latest alert FALSE_POSITIVE, condition absent → the false positive stays (a human
 *   verdict), and gets an event FALSE_POSITIVE → FALSE_POSITIVE by `sweep` with note
 *   `condition cleared`; from then on a recurrence raises a new alert.
 *
 * Set-based: the conditions land in a temporary table and each step is one statement.
 * Sweeps are meant to move forward in time (month end after month end): sweeping an
 * earlier as-of date after a later one resolves what the later data showed.
 * An alert a person RESOLVED while its condition persists is raised again by the next
 * sweep; only FALSE_POSITIVE suppresses a standing condition.
 *
 * `reconcileRule` does the same for a set of counties only (the early-warning evaluator,
 * alert-evaluator.ts, after an ingestion): the rule's statement scans those counties and
 * only alerts of those counties are kept, raised, resolved or cleared. Every raised and
 * resolved alert is appended to the change feed (`recordType: 'Alert'`, action = its new
 * status) in the same transaction, for the `alerts` subscription.
 */
import type { Pool, PoolClient } from 'pg';
import { AlertRuleKind, AlertStatus, Severity } from '../../entities/enums';
import { recordChanges, type ChangeToRecord } from '../changes/change-feed';
import { RULES, ruleDefinition, ruleStatement, type AlertCondition, type RuleVersionParams } from './alert-rules';

export const SWEEP_ACTOR = 'sweep';
export const CLEARED_NOTE = 'condition cleared';

export interface RuleSweepResult {
  code: string;
  kind: AlertRuleKind;
  version: number;
  conditions: number;
  raised: number;
  kept: number;
  resolved: number;
  suppressed: number;
  falsePositivesCleared: number;
}

export interface SweepOptions {
  /** As-of date, `YYYY-MM-DD` (normally a month end). */
  asOf: string;
  /** Limit the sweep to these rule codes. */
  codes?: readonly string[];
}

type Queryable = Pick<PoolClient, 'query'>;

/**
 * Inserts one alert_rule (code = kind) with version 1 per implemented kind; rules that
 * already exist are left as they are.
 */
export async function seedDefaultRules(client: Queryable, createdBy = 'system'): Promise<number> {
  let inserted = 0;
  for (const rule of RULES) {
    const { rows } = await client.query<{ id: string }>(
      `insert into alert_rule (code, kind, name, enabled, current_version) values ($1, $2, $3, true, 1)
       on conflict (code) do nothing returning id`,
      [rule.kind, rule.kind, rule.name],
    );
    if (rows.length === 0) continue;
    const d = rule.defaults;
    await client.query(
      `insert into alert_rule_version (rule_id, version, threshold, window_days, min_denominator, severity, params, created_by)
       values ($1, 1, $2, $3, $4, $5, $6, $7)`,
      [rows[0].id, d.threshold, d.windowDays, d.minDenominator, d.severity, d.params === null ? null : JSON.stringify(d.params), createdBy],
    );
    inserted++;
  }
  return inserted;
}

interface ConditionRow {
  fingerprint: string;
  subject_type: string;
  subject_id: string;
  county_code: string | null;
  institution_id: string | null;
  observed: string | null;
  threshold: string | null;
  message: string;
}

/** Evaluates one rule kind with the given parameters (over `counties`, or all); no alerts are written. */
export async function evaluateRule(
  client: Queryable,
  kind: AlertRuleKind,
  version: RuleVersionParams,
  asOf: string,
  counties: readonly string[] | null = null,
): Promise<AlertCondition[]> {
  const rule = ruleDefinition(kind);
  if (rule === undefined) throw new Error(`alert rule kind ${kind} is not implemented`);
  const { text, values } = ruleStatement(rule, version, asOf, counties);
  const { rows } = await client.query<ConditionRow>(`${text}\norder by 1`, values);
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    countyCode: r.county_code,
    institutionId: r.institution_id,
    observed: r.observed,
    threshold: r.threshold,
    message: r.message,
  }));
}

interface RuleRow {
  id: string;
  code: string;
  kind: AlertRuleKind;
  version: number;
  threshold: string | null;
  window_days: number | null;
  min_denominator: number | null;
  severity: Severity;
  params: Record<string, unknown> | null;
}

/** Sweeps every enabled, implemented rule at its current version; one transaction per rule. */
export async function sweep(pool: Pool, options: SweepOptions): Promise<RuleSweepResult[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) throw new RangeError(`sweep: asOf must be YYYY-MM-DD, got ${options.asOf}`);
  const { rows: rules } = await pool.query<{ id: string; code: string; kind: AlertRuleKind }>(
    `select id, code, kind from alert_rule where enabled order by code`,
  );
  const results: RuleSweepResult[] = [];
  for (const rule of rules) {
    if (ruleDefinition(rule.kind) === undefined) continue;
    if (options.codes !== undefined && !options.codes.includes(rule.code)) continue;
    const client = await pool.connect();
    try {
      await client.query('begin');
      const outcome = await reconcileRule(client, rule.id, options.asOf, null);
      // The feed's advisory lock is held to commit: the last statement before it.
      if (outcome !== null) await recordChanges(client, outcome.changes, { institutionId: null, batchRowId: null });
      await client.query('commit');
      if (outcome !== null) results.push(outcome.result);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  return results;
}

/** What reconciling one rule did: the counts, and the alerts whose status changed (for the change feed). */
export interface RuleReconciliation {
  result: RuleSweepResult;
  changes: ChangeToRecord[];
}

/**
 * Evaluates one enabled rule at its current version, over `counties` (null: all), and
 * reconciles the alerts of those counties, inside the caller's transaction. The caller
 * appends `changes` to the feed (`recordChanges`) just before it commits. Null when the
 * rule is disabled or its kind not implemented.
 */
export async function reconcileRule(client: Queryable, ruleId: string, asOf: string, counties: readonly string[] | null): Promise<RuleReconciliation | null> {
  // The row lock serialises concurrent sweeps of one rule.
  const { rows } = await client.query<RuleRow>(
    `select r.id, r.code, r.kind, v.version, v.threshold, v.window_days, v.min_denominator, v.severity, v.params
       from alert_rule r join alert_rule_version v on v.rule_id = r.id and v.version = r.current_version
      where r.id = $1 and r.enabled for update of r`,
    [ruleId],
  );
  if (rows.length === 0) return null;
  const rule = rows[0];
  const definition = ruleDefinition(rule.kind);
  if (definition === undefined) return null;
  const { text, values } = ruleStatement(
    definition,
    { threshold: rule.threshold, windowDays: rule.window_days, minDenominator: rule.min_denominator, params: rule.params },
    asOf,
    counties,
  );
  const scope = counties === null ? null : [...counties];
  await client.query('drop table if exists pg_temp.sweep_condition');
  await client.query(`create temp table sweep_condition on commit drop as ${text}`, values);
  await client.query('create unique index on pg_temp.sweep_condition (fingerprint)');
  const count = async (statement: string, params: unknown[]): Promise<number> => Number((await client.query<{ n: string }>(statement, params)).rows[0]?.n ?? 0);

  const conditions = await count('select count(*) as n from sweep_condition', []);

  const kept = await count(
    `with u as (
       update alert a set observed = c.observed, threshold = c.threshold, message = c.message, updated_at = now()
         from sweep_condition c
        where a.rule_id = $1 and a.fingerprint = c.fingerprint and a.status in ('OPEN', 'ACKNOWLEDGED')
       returning a.id)
     select count(*) as n from u`,
    [rule.id],
  );

  const resolvedIds = (
    await client.query<{ id: string }>(
      `with old as (
         select a.id, a.status from alert a
          where a.rule_id = $1 and a.status in ('OPEN', 'ACKNOWLEDGED') and ($4::text[] is null or a.county_code = any ($4))
            and not exists (select 1 from sweep_condition c where c.fingerprint = a.fingerprint)
          for update),
       u as (update alert a set status = 'RESOLVED', updated_at = now() from old where a.id = old.id returning a.id),
       e as (insert into alert_event (alert_id, from_status, to_status, actor, note)
             select old.id, old.status, 'RESOLVED', $2, $3 from old returning 1)
       select u.id::text as id from u order by u.id`,
      [rule.id, SWEEP_ACTOR, CLEARED_NOTE, scope],
    )
  ).rows.map((r) => r.id);
  const resolved = resolvedIds.length;

  // False positives whose condition is still pending (not yet seen cleared by a sweep).
  const pendingFalsePositives = `
    select l.id, l.fingerprint from (
      select distinct on (a.fingerprint) a.id, a.fingerprint, a.status from alert a
       where a.rule_id = $1 and ($4::text[] is null or a.county_code = any ($4)) order by a.fingerprint, a.id desc) l
     where l.status = 'FALSE_POSITIVE'
       and not exists (select 1 from alert_event ev where ev.alert_id = l.id and ev.actor = $2 and ev.note = $3
                         and ev.to_status = 'FALSE_POSITIVE')`;

  const falsePositivesCleared = await count(
    `with f as (${pendingFalsePositives}),
     e as (insert into alert_event (alert_id, from_status, to_status, actor, note)
           select f.id, 'FALSE_POSITIVE', 'FALSE_POSITIVE', $2, $3 from f
            where not exists (select 1 from sweep_condition c where c.fingerprint = f.fingerprint) returning 1)
     select count(*) as n from e`,
    [rule.id, SWEEP_ACTOR, CLEARED_NOTE, scope],
  );

  const suppressed = await count(
    `with f as (${pendingFalsePositives}) select count(*) as n from f join sweep_condition c on c.fingerprint = f.fingerprint`,
    [rule.id, SWEEP_ACTOR, CLEARED_NOTE, scope],
  );

  const raisedIds = (
    await client.query<{ id: string }>(
    `with f as (${pendingFalsePositives}),
     ins as (
       insert into alert (rule_id, rule_version, fingerprint, subject_type, subject_id, county_code, institution_id,
                          observed, threshold, severity, status, message)
       select $1, $5, c.fingerprint, c.subject_type, c.subject_id, c.county_code, c.institution_id::bigint,
              c.observed, c.threshold, $6, 'OPEN', c.message
         from sweep_condition c
        where not exists (select 1 from alert a where a.rule_id = $1 and a.fingerprint = c.fingerprint
                             and a.status in ('OPEN', 'ACKNOWLEDGED'))
          and not exists (select 1 from f where f.fingerprint = c.fingerprint)
       returning id),
     e as (insert into alert_event (alert_id, from_status, to_status, actor, note)
           select ins.id, null, 'OPEN', $2, null from ins returning 1)
     select ins.id::text as id from ins order by ins.id`,
    [rule.id, SWEEP_ACTOR, CLEARED_NOTE, scope, rule.version, rule.severity],
    )
  ).rows.map((r) => r.id);
  const raised = raisedIds.length;

  const changes: ChangeToRecord[] = [
    ...resolvedIds.map((id) => ({ recordType: 'Alert', recordId: id, action: AlertStatus.RESOLVED })),
    ...raisedIds.map((id) => ({ recordType: 'Alert', recordId: id, action: AlertStatus.OPEN })),
  ];
  return {
    result: { code: rule.code, kind: rule.kind, version: rule.version, conditions, raised, kept, resolved, suppressed, falsePositivesCleared },
    changes,
  };
}
