/**
 * Alert rules as data the regulator edits (issue 7): `setAlertRule` adds a version of a
 * rule's parameters (or creates a rule of an implemented kind under a new code), and
 * `listAlertRules` reads them back with their versions.
 *
 * Rules apply to the whole hub, so only a REGULATOR of national scope (no area prefixes)
 * may change them; a regulator of a province reads them like everyone else. Nothing is
 * overwritten: each change is a new `alert_rule_version` naming who made it, the rule's
 * `current_version` moves to it, and the change is audited (RULE_CHANGED) in the same
 * transaction. Alerts keep the version that raised them; the next evaluation (sweep or
 * ingestion) applies the new one. The same parameters again are UNCHANGED (no version).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AlertRuleKind, LoanProduct, ModificationKind, Severity } from '../../entities/enums';
import { actorLabel, auditedPgTransaction, badInput, forbidden, notFound, requireRole, type ServiceScope } from '../common';
import { ruleDefinition } from './alert-rules';

export interface SetAlertRuleInput {
  /** The rule's code; a new code creates a rule and needs `kind`. */
  code: string;
  kind?: AlertRuleKind | null;
  name?: string | null;
  enabled?: boolean | null;
  /** A decimal string; required for the kinds whose default has one (ratios, leverage share). */
  threshold?: string | null;
  windowDays?: number | null;
  minDenominator?: number | null;
  severity: Severity;
  params?: Record<string, unknown> | null;
}

export type RuleChangeOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface AlertRuleVersionRow {
  ruleId: string;
  version: number;
  threshold: string | null;
  windowDays: number | null;
  minDenominator: number | null;
  severity: Severity;
  params: Record<string, unknown> | null;
  createdAt: string;
  createdBy: string;
}

export interface AlertRuleRow {
  id: string;
  code: string;
  kind: AlertRuleKind;
  name: string;
  enabled: boolean;
  currentVersion: number;
  createdAt: string;
  versions: AlertRuleVersionRow[];
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** numeric(20,6), not negative. */
const DECIMAL = /^\d{1,14}(\.\d{1,6})?$/;
const MAX_NAME_CHARS = 200;
const MAX_WINDOW_DAYS = 3650;
const MAX_PARAMS_CHARS = 4000;

/** The `params` keys each kind reads, with their checks. */
const PARAM_CHECKS: Readonly<Record<string, (value: unknown) => string | null>> = {
  products: (v) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && (Object.values(LoanProduct) as string[]).includes(x))
      ? null
      : `a non-empty list of loan products (${Object.values(LoanProduct).join(', ')})`,
  kinds: (v) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && (Object.values(ModificationKind) as string[]).includes(x))
      ? null
      : `a non-empty list of modification kinds (${Object.values(ModificationKind).join(', ')})`,
  months: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 24 ? null : 'a whole number of months, 1 to 24'),
};

const PARAMS_OF: Readonly<Partial<Record<AlertRuleKind, readonly string[]>>> = {
  [AlertRuleKind.HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT]: ['products'],
  [AlertRuleKind.MATURITY_PEAK]: ['products'],
  [AlertRuleKind.MODIFICATION_SHARE]: ['products', 'kinds'],
  [AlertRuleKind.SERVICE_POINT_DORMANT]: ['months'],
};

/**
 * Every rule with its versions (newest first). Rules are hub-wide parameters, readable by
 * every authenticated role.
 */
export async function listAlertRules(db: { em: EntityManager }, filter: { code?: string | null } = {}): Promise<AlertRuleRow[]> {
  const code = filter.code ?? null;
  const connection = db.em.getConnection();
  const rules = await connection.execute<Array<Omit<AlertRuleRow, 'versions'>>>(
    `SELECT r.id::text AS id, r.code, r.kind, r.name, r.enabled, r.current_version AS "currentVersion", r.created_at AS "createdAt"
       FROM alert_rule r WHERE (?::text IS NULL OR r.code = ?) ORDER BY r.code`,
    [code, code],
    'all',
  );
  if (rules.length === 0) return [];
  const versions = await connection.execute<AlertRuleVersionRow[]>(
    `SELECT v.rule_id::text AS "ruleId", v.version, v.threshold::text AS threshold, v.window_days AS "windowDays",
            v.min_denominator AS "minDenominator", v.severity, v.params, v.created_at AS "createdAt", v.created_by AS "createdBy"
       FROM alert_rule_version v WHERE v.rule_id = ANY (?::bigint[]) ORDER BY v.rule_id, v.version DESC`,
    [`{${rules.map((r) => r.id).join(',')}}`],
    'all',
  );
  return rules.map((rule) => ({ ...rule, versions: versions.filter((v) => v.ruleId === rule.id) }));
}

/**
 * Adds a version of a rule's parameters (or creates the rule).
 *
 * @throws RefusalError FORBIDDEN (not a REGULATOR, or one limited to an area);
 *   NOT_FOUND (an unknown code without `kind`); BAD_USER_INPUT (a malformed field, a
 *   kind not implemented, a `kind` other than the existing rule's, a missing threshold
 *   where the kind needs one, a `params` key the kind does not read).
 */
export async function setAlertRule(scope: ServiceScope, input: SetAlertRuleInput): Promise<{ ruleId: string; outcome: RuleChangeOutcome }> {
  const { principal } = scope;
  requireRole(principal, ['REGULATOR'], 'setAlertRule');
  if (principal.areaCodes.length > 0) throw forbidden('Alert rules apply nation-wide: only a regulator of national scope may change them');
  if (!CODE.test(input.code)) throw badInput('code is 1 to 64 capital letters, digits or "_", starting with a letter', 'input.code');
  if (!(Object.values(Severity) as string[]).includes(input.severity)) throw badInput('severity is LOW, MEDIUM, HIGH or CRITICAL', 'input.severity');
  const threshold = input.threshold ?? null;
  if (threshold !== null && !DECIMAL.test(threshold)) throw badInput('threshold is a non-negative decimal with at most 14 integer and 6 fraction digits', 'input.threshold');
  const windowDays = input.windowDays ?? null;
  if (windowDays !== null && (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS)) {
    throw badInput(`windowDays is a whole number of days, 1 to ${MAX_WINDOW_DAYS}`, 'input.windowDays');
  }
  const minDenominator = input.minDenominator ?? null;
  if (minDenominator !== null && (!Number.isInteger(minDenominator) || minDenominator < 0 || minDenominator > 1_000_000_000)) {
    throw badInput('minDenominator is a whole number, 0 or more', 'input.minDenominator');
  }
  const name = input.name?.trim() ?? null;
  if (name !== null && (name === '' || Array.from(name).length > MAX_NAME_CHARS || name.includes('\0'))) {
    throw badInput(`name is 1 to ${MAX_NAME_CHARS} characters`, 'input.name');
  }
  const params = input.params ?? null;
  if (params !== null && (typeof params !== 'object' || Array.isArray(params) || JSON.stringify(params).length > MAX_PARAMS_CHARS)) {
    throw badInput(`params is a JSON object of at most ${MAX_PARAMS_CHARS} characters`, 'input.params');
  }

  return auditedPgTransaction(scope, async (client, audit) => {
    // One writer per rule: the row lock (or, for a new code, the unique index) orders them.
    const existing = (
      await client.query<{ id: string; kind: AlertRuleKind; enabled: boolean; current_version: number }>(
        `SELECT id::text AS id, kind, enabled, current_version FROM alert_rule WHERE code = $1 FOR UPDATE`,
        [input.code],
      )
    ).rows[0];
    const kind = existing?.kind ?? input.kind ?? null;
    if (kind === null) throw notFound(`No alert rule ${input.code}; pass kind to create one`, 'input.code');
    if (existing !== undefined && input.kind != null && input.kind !== existing.kind) {
      throw badInput(`Rule ${input.code} is of kind ${existing.kind}; a rule keeps its kind`, 'input.kind');
    }
    const definition = ruleDefinition(kind);
    if (definition === undefined) throw badInput(`Alert rule kind ${kind} is not implemented`, 'input.kind');
    if (definition.defaults.threshold !== null && threshold === null) throw badInput(`A ${kind} rule needs a threshold`, 'input.threshold');
    const allowed = PARAMS_OF[kind] ?? [];
    for (const [key, value] of Object.entries(params ?? {})) {
      if (!allowed.includes(key)) {
        throw badInput(`${kind} reads ${allowed.length === 0 ? 'no params' : `only params ${allowed.join(', ')}`}; got ${JSON.stringify(key).slice(0, 70)}`, `input.params.${key}`.slice(0, 100));
      }
      const problem = PARAM_CHECKS[key](value);
      if (problem !== null) throw badInput(`params.${key} is ${problem}`, `input.params.${key}`);
    }
    const enabled = input.enabled ?? existing?.enabled ?? true;

    let ruleId: string;
    let version: number;
    let outcome: RuleChangeOutcome;
    if (existing === undefined) {
      ruleId = (
        await client.query<{ id: string }>(
          `INSERT INTO alert_rule (code, kind, name, enabled, current_version) VALUES ($1, $2, $3, $4, 1) RETURNING id::text AS id`,
          [input.code, kind, name ?? definition.name, enabled],
        )
      ).rows[0].id;
      version = 1;
      outcome = 'CREATED';
    } else {
      ruleId = existing.id;
      const same = await client.query(
        `SELECT 1 FROM alert_rule_version v JOIN alert_rule r ON r.id = v.rule_id AND r.current_version = v.version
          WHERE v.rule_id = $1 AND v.threshold IS NOT DISTINCT FROM $2::numeric AND v.window_days IS NOT DISTINCT FROM $3::int
            AND v.min_denominator IS NOT DISTINCT FROM $4::int AND v.severity = $5 AND v.params IS NOT DISTINCT FROM $6::jsonb
            AND r.enabled = $7 AND ($8::text IS NULL OR r.name = $8)`,
        [ruleId, threshold, windowDays, minDenominator, input.severity, params === null ? null : JSON.stringify(params), enabled, name],
      );
      if (same.rowCount !== 0) return { ruleId, outcome: 'UNCHANGED' as const };
      version = (
        await client.query<{ next: number }>(`SELECT coalesce(max(version), 0) + 1 AS next FROM alert_rule_version WHERE rule_id = $1`, [ruleId])
      ).rows[0].next;
      await client.query(`UPDATE alert_rule SET current_version = $2, enabled = $3, name = coalesce($4, name) WHERE id = $1`, [ruleId, version, enabled, name]);
      outcome = 'UPDATED';
    }
    await client.query(
      `INSERT INTO alert_rule_version (rule_id, version, threshold, window_days, min_denominator, severity, params, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [ruleId, version, threshold, windowDays, minDenominator, input.severity, params === null ? null : JSON.stringify(params), actorLabel(principal)],
    );
    audit.record({
      action: 'RULE_CHANGED',
      operation: 'setAlertRule',
      details: { ruleCode: input.code, ruleId, kind, version, enabled, outcome },
    });
    return { ruleId, outcome };
  });
}
