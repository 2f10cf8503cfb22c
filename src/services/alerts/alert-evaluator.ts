/**
 * Evaluation at ingestion: a durable consumer (`feed_consumer` 'alerts') of the change
 * feed. Each step, in ONE transaction:
 *
 * 1. locks its cursor row (one evaluator at a time, across processes) and reads the
 *    events after it (at most `maxEvents`);
 * 2. maps their record types to the rules whose inputs they touch (`RuleDefinition.inputs`)
 *    and, for county-local rules, to the counties of those events;
 * 3. re-evaluates each touched rule over those counties only (`reconcileRule`: the rule's
 *    statement scans just those counties and only their alerts are raised, kept or
 *    resolved) — or over all counties for rules whose inputs cross counties;
 * 4. moves the cursor past the events and appends the raised and resolved alerts to the
 *    feed, then commits.
 *
 * The cursor moves only with the alert writes: a process dying before the commit leaves
 * both undone and the next step repeats the work (the reconciliation is idempotent),
 * never loses it. Events of the evaluator's own alerts (`Alert`) touch no rule.
 *
 * The as-of date is the data's clock: the latest month end with a reported position, not
 * after today (China time) — today itself when none is. Month-end rules then read the
 * month the banks have reported, and an evaluation never resolves a month's alerts just
 * because the calendar moved before the next reports came in.
 *
 * In the server, `startAlertEvaluator` runs steps when a commit announces new events
 * (LISTEN on `tripod_changes`, a dedicated connection, reconnecting on error), once at
 * start to catch up, and a full sweep on a timer.
 */
import { Client, type Pool, type PoolClient } from 'pg';
import { recordChanges, CHANGE_CHANNEL, type ChangeToRecord } from '../changes/change-feed';
import { RULES, ruleDefinition } from './alert-rules';
import { reconcileRule, seedDefaultRules, sweep, type RuleSweepResult } from './alert-sweep';
import type { AlertRuleKind } from '../../entities/enums';

/** The evaluator's row in `feed_consumer`. */
export const ALERTS_CONSUMER = 'alerts';
const DEFAULT_MAX_EVENTS = 50_000;

export interface EvaluationStep {
  /** The cursor before and after the step. */
  fromEventId: string;
  toEventId: string;
  events: number;
  asOf: string;
  /** The rules re-evaluated, with the counties (null: all) and what reconciling did. */
  rules: Array<RuleSweepResult & { counties: string[] | null }>;
}

export interface EvaluateOptions {
  /** Evaluate as of this date instead of the data's clock (`currentAsOf`). */
  asOf?: string;
  maxEvents?: number;
  /**
   * Called after the alert writes and the cursor update, before the commit: tests throw
   * here to simulate a process dying at the worst moment.
   */
  beforeCommit?: () => void | Promise<void>;
}

type Queryable = Pick<PoolClient, 'query'>;

/** The data's clock: the latest reported month end not after today (China time), else today. */
export async function currentAsOf(client: Queryable): Promise<string> {
  const { rows } = await client.query<{ as_of: string }>(
    `with today as (select (now() at time zone 'Asia/Shanghai')::date as d)
     select to_char(coalesce((select max(lp.month_end) from loan_position lp, today where lp.is_latest and lp.month_end <= today.d),
                             (select d from today)), 'YYYY-MM-DD') as as_of`,
  );
  return rows[0].as_of;
}

/** The evaluator's cursor (0 before its first step). */
export async function evaluatorCursor(client: Queryable): Promise<string> {
  const { rows } = await client.query<{ last: string }>(`select last_event_id::text as last from feed_consumer where name = $1`, [ALERTS_CONSUMER]);
  return rows[0]?.last ?? '0';
}

/**
 * One step over the events after the cursor; null when there were none. Throws (after
 * rolling back: nothing written, cursor unmoved) when any part fails.
 */
export async function evaluatePending(pool: Pool, options: EvaluateOptions = {}): Promise<EvaluationStep | null> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      const step = await evaluateInTransaction(client, options);
      if (step === null) {
        await client.query('rollback');
        return null;
      }
      await options.beforeCommit?.();
      await client.query('commit');
      return step;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

/** Steps until the feed is drained; returns the steps taken. */
export async function evaluateAll(pool: Pool, options: EvaluateOptions = {}): Promise<EvaluationStep[]> {
  const steps: EvaluationStep[] = [];
  for (;;) {
    const step = await evaluatePending(pool, options);
    if (step === null) return steps;
    steps.push(step);
  }
}

async function evaluateInTransaction(client: Queryable, options: EvaluateOptions): Promise<EvaluationStep | null> {
  await client.query(`insert into feed_consumer (name) values ($1) on conflict (name) do nothing`, [ALERTS_CONSUMER]);
  const cursor = (
    await client.query<{ last: string }>(`select last_event_id::text as last from feed_consumer where name = $1 for update`, [ALERTS_CONSUMER])
  ).rows[0].last;
  const { rows: touched } = await client.query<{ record_type: string; county_code: string | null; last: string; n: string }>(
    `with e as (select id, record_type, county_code from change_event where id > $1 order by id limit $2)
     select record_type, county_code, max(id)::text as last, count(*)::text as n from e group by record_type, county_code`,
    [cursor, options.maxEvents ?? DEFAULT_MAX_EVENTS],
  );
  if (touched.length === 0) return null;
  const last = touched.reduce((max, t) => (BigInt(t.last) > BigInt(max) ? t.last : max), cursor);
  const events = touched.reduce((sum, t) => sum + Number(t.n), 0);
  const asOf = options.asOf ?? (await currentAsOf(client));

  const { rows: rules } = await client.query<{ id: string; code: string; kind: AlertRuleKind }>(
    `select id::text as id, code, kind from alert_rule where enabled order by code`,
  );
  const results: EvaluationStep['rules'] = [];
  const changes: ChangeToRecord[] = [];
  for (const rule of rules) {
    const definition = ruleDefinition(rule.kind);
    if (definition === undefined) continue;
    const relevant = touched.filter((t) => definition.inputs.includes(t.record_type));
    if (relevant.length === 0) continue;
    const counties =
      definition.countyLocal && relevant.every((t) => t.county_code !== null)
        ? [...new Set(relevant.map((t) => t.county_code as string))].sort()
        : null;
    const outcome = await reconcileRule(client, rule.id, asOf, counties);
    if (outcome === null) continue;
    results.push({ ...outcome.result, counties });
    changes.push(...outcome.changes);
  }
  await client.query(`update feed_consumer set last_event_id = $2, updated_at = now() where name = $1`, [ALERTS_CONSUMER, last]);
  // The feed's advisory lock is held to commit: the last statement before it.
  await recordChanges(client, changes, { institutionId: null, batchRowId: null });
  return { fromEventId: cursor, toEventId: last, events, asOf, rules: results };
}

/** The record types some implemented rule reads (for documentation and tests). */
export function ruleInputs(): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const rule of RULES) for (const type of rule.inputs) (map[type] ??= []).push(rule.kind);
  return map;
}

export interface AlertEvaluatorOptions {
  /** For the LISTEN connection (a dedicated client, not from the pool). */
  databaseUrl: string;
  /** For the evaluation steps and sweeps. */
  pool: Pool;
  /** Minutes between full sweeps; 0: no timer. */
  sweepMinutes: number;
  log: (message: string) => void;
}

export interface AlertEvaluatorHandle {
  /** Resolves when no step or sweep is running or queued. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/**
 * Starts the in-process evaluator: inserts the default rules that are missing, catches up
 * with the feed, then evaluates on every notification; with `sweepMinutes` > 0 it also
 * sweeps at start and every `sweepMinutes`.
 * Steps and sweeps run one at a time; notifications arriving meanwhile fold into one
 * further step. Errors are logged and retried on the next trigger (the cursor has not
 * moved, so nothing is lost).
 */
export function startAlertEvaluator(options: AlertEvaluatorOptions): AlertEvaluatorHandle {
  const { pool, log } = options;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  let stepQueued = false;
  let listener: Client | null = null;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(work, work).catch((error: unknown) => log(`alert evaluator: ${describe(error)}`));
    return chain;
  };
  const requestStep = (): void => {
    if (stopped || stepQueued) return;
    stepQueued = true;
    void enqueue(async () => {
      stepQueued = false;
      if (stopped) return;
      const steps = await evaluateAll(pool);
      const raised = steps.reduce((n, s) => n + s.rules.reduce((m, r) => m + r.raised, 0), 0);
      const resolved = steps.reduce((n, s) => n + s.rules.reduce((m, r) => m + r.resolved, 0), 0);
      if (raised + resolved > 0) log(`alerts: ${raised} raised, ${resolved} resolved after ${steps.reduce((n, s) => n + s.events, 0)} changes`);
    });
  };
  const runSweep = (): void => {
    void enqueue(async () => {
      if (stopped) return;
      const asOf = await currentAsOf(pool);
      const results = await sweep(pool, { asOf });
      const raised = results.reduce((n, r) => n + r.raised, 0);
      const resolved = results.reduce((n, r) => n + r.resolved, 0);
      log(`alert sweep as of ${asOf}: ${raised} raised, ${resolved} resolved`);
    });
  };

  const listen = async (): Promise<void> => {
    if (stopped) return;
    const client = new Client({ connectionString: options.databaseUrl, application_name: 'tripod-alert-evaluator' });
    client.on('notification', () => requestStep());
    client.on('error', (error) => {
      log(`alert evaluator connection: ${describe(error)}; reconnecting`);
      reconnect(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      listener = client;
      reconnectDelay = RECONNECT_MIN_MS;
      // Whatever committed while no one listened.
      requestStep();
    } catch (error) {
      log(`alert evaluator: cannot listen (${describe(error)}); retrying`);
      reconnect(client);
    }
  };
  const reconnect = (client: Client): void => {
    if (listener === client) listener = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (stopped || reconnectTimer !== undefined) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void listen();
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
  };

  void enqueue(async () => {
    const seeded = await seedDefaultRules(pool);
    if (seeded > 0) log(`alerts: inserted ${seeded} default rules`);
  });
  void listen();
  // A first full sweep at start (data seeded or loaded in bulk writes no change events),
  // then one every `sweepMinutes`.
  if (options.sweepMinutes > 0) runSweep();
  const sweepTimer = options.sweepMinutes > 0 ? setInterval(runSweep, options.sweepMinutes * 60_000) : undefined;
  sweepTimer?.unref();

  return {
    idle: async () => {
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
    stop: async () => {
      stopped = true;
      if (sweepTimer !== undefined) clearInterval(sweepTimer);
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await chain;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
