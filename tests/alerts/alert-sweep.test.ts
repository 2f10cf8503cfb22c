/**
 * The alert rules and the sweep against a real database: a small demo data set
 * (300 households) first swept as seeded (every rule must find its planted anomaly),
 * then edited row by row to put each rule just above and just below its threshold, and
 * to drive one condition through its lifecycle (raise, keep, resolve, false positive).
 */
import { Pool } from 'pg';
import { AlertRuleKind } from '../../src/entities/enums';
import { evaluateRule, ruleDefinition, seedDefaultRules, sweep, type RuleVersionParams } from '../../src/services/alerts';
import { seedDemo } from '../../src/services/demo';
import { generateKeyringSpec } from '../../src/services/identity';
import { useTestDatabase } from '../helpers';

const AS_OF = '2020-12-31';
const SLOW = 300_000;
const db = useTestDatabase();
let pool: Pool;

beforeAll(async () => {
  await seedDemo(db.url(), { households: 300, seed: 20201231, matchKeys: generateKeyringSpec(1), piiKeys: generateKeyringSpec(1) });
  pool = new Pool({ connectionString: db.url(), max: 3 });
  db.onTeardown(() => pool.end());
}, SLOW);

function defaults(kind: AlertRuleKind): RuleVersionParams {
  const rule = ruleDefinition(kind);
  if (rule === undefined) throw new Error(kind);
  return rule.defaults;
}

async function fingerprints(kind: AlertRuleKind, version: RuleVersionParams = defaults(kind)): Promise<string[]> {
  return (await evaluateRule(pool, kind, version, AS_OF)).map((c) => c.fingerprint);
}

async function one<T>(text: string, values: unknown[] = []): Promise<T> {
  const { rows } = await pool.query(text, values);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${text}`);
  return rows[0] as T;
}

describe('sweep on the demo data set', () => {
  test('seeds the default rules idempotently and raises every rule on the planted anomalies', async () => {
    expect(await seedDefaultRules(pool)).toBe(7);
    expect(await seedDefaultRules(pool)).toBe(0);
    // 300 households spread over 52 counties leave a handful of micro-credit loans per
    // county, below the default minimum denominator (30 loans): a version 2 of the rule
    // lowers it to 5, which is also how an administrator re-parameterises a rule.
    await pool.query(
      `with r as (update alert_rule set current_version = 2 where code = 'MICROCREDIT_OVERDUE_RATIO' returning id)
       insert into alert_rule_version (rule_id, version, threshold, min_denominator, severity, created_by)
       select id, 2, 0.02, 5, 'HIGH', 'test' from r`,
    );
    const results = await sweep(pool, { asOf: AS_OF });
    const raised = Object.fromEntries(results.map((r) => [r.code, r.raised]));
    console.log('alerts raised on the 300-household demo as of 2020-12-31', raised);
    expect(Object.keys(raised).sort()).toEqual([
      'CLAIM_UNPAID_AFTER_AGREEMENT',
      'CLASS_BETTER_THAN_FLOOR',
      'GUARANTEE_FEE_ABOVE_CAP',
      'HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT',
      'MICROCREDIT_OVERDUE_RATIO',
      'MICROCREDIT_TERMS_OUTSIDE_CAPS',
      'SERVICE_POINT_DORMANT',
    ]);
    for (const [code, n] of Object.entries(raised)) expect([code, n > 0]).toEqual([code, true]);

    const again = await sweep(pool, { asOf: AS_OF });
    for (const r of again) {
      expect({ code: r.code, raised: r.raised, resolved: r.resolved, kept: r.kept }).toEqual({ code: r.code, raised: 0, resolved: 0, kept: raised[r.code] });
    }
    const routing = await one<{ loanWithoutInstitution: number; countyWithInstitution: number }>(
      `select count(*) filter (where a.subject_type = 'LOAN' and a.institution_id is null)::int as "loanWithoutInstitution",
              count(*) filter (where a.subject_type = 'COUNTY' and a.institution_id is not null)::int as "countyWithInstitution"
         from alert a`,
    );
    expect(routing).toEqual({ loanWithoutInstitution: 0, countyWithInstitution: 0 });
    const versions = await pool.query(`select distinct a.rule_version from alert a join alert_rule r on r.id = a.rule_id where r.code = 'MICROCREDIT_OVERDUE_RATIO'`);
    expect(versions.rows).toEqual([{ rule_version: 2 }]);
  }, SLOW);
});

describe('each rule just above and just below its threshold', () => {
  test('CLASS_BETTER_THAN_FLOOR', async () => {
    const { id, loan_id } = await one<{ id: string; loan_id: string }>(
      `select lp.id, lp.loan_id from loan_position lp
        where lp.month_end = $1 and lp.is_latest
          and not exists (select 1 from loan_modification m where m.loan_id = lp.loan_id and m.classification_relief)
        order by lp.id limit 1`,
      [AS_OF],
    );
    const set = (days: number, cls: string) => pool.query(`update loan_position set overdue_days = $2, five_class = $3 where id = $1`, [id, days, cls]);
    const kind = AlertRuleKind.CLASS_BETTER_THAN_FLOOR;
    await set(91, 'SUBSTANDARD');
    expect(await fingerprints(kind)).not.toContain(`loan:${loan_id}`);
    await set(90, 'SPECIAL_MENTION');
    expect(await fingerprints(kind)).not.toContain(`loan:${loan_id}`);
    await set(91, 'SPECIAL_MENTION');
    const hit = (await evaluateRule(pool, kind, defaults(kind), AS_OF)).find((c) => c.fingerprint === `loan:${loan_id}`);
    expect(hit).toMatchObject({ subjectType: 'LOAN', subjectId: loan_id, observed: '91', threshold: '91.000000' });
    expect(hit?.institutionId).toMatch(/^\d+$/);
    await set(0, 'NORMAL');
  });

  test('MICROCREDIT_TERMS_OUTSIDE_CAPS', async () => {
    const { id } = await one<{ id: string }>(
      `select id from loan where product = 'POVERTY_MICROCREDIT' and disbursed_on >= '2019-01-01' and closed_on is null order by id limit 1`,
    );
    const kind = AlertRuleKind.MICROCREDIT_TERMS_OUTSIDE_CAPS;
    await pool.query(`update loan set principal = 50000, matures_on = disbursed_on + interval '36 months' where id = $1`, [id]);
    expect(await fingerprints(kind)).not.toContain(`loan:${id}`);
    await pool.query(`update loan set principal = 50000.01 where id = $1`, [id]);
    expect(await fingerprints(kind)).toContain(`loan:${id}`);
    await pool.query(`update loan set principal = 50000, matures_on = disbursed_on + interval '36 months 1 day' where id = $1`, [id]);
    const hit = (await evaluateRule(pool, kind, defaults(kind), AS_OF)).find((c) => c.fingerprint === `loan:${id}`);
    expect(hit).toMatchObject({ observed: '37', threshold: '36.000000' });
    await pool.query(`update loan set matures_on = disbursed_on + interval '36 months' where id = $1`, [id]);
  });

  test('MICROCREDIT_OVERDUE_RATIO', async () => {
    const kind = AlertRuleKind.MICROCREDIT_OVERDUE_RATIO;
    const all = await evaluateRule(pool, kind, { ...defaults(kind), threshold: '0', minDenominator: 0 }, AS_OF);
    expect(all.length).toBeGreaterThan(0);
    const top = all.reduce((a, b) => (Number(b.observed) > Number(a.observed) ? b : a));
    expect(top).toMatchObject({ subjectType: 'COUNTY', institutionId: null, fingerprint: `county:${top.countyCode}` });
    const at = (threshold: string, minDenominator = 0) => fingerprints(kind, { ...defaults(kind), threshold, minDenominator });
    expect(await at(top.observed ?? '')).not.toContain(top.fingerprint);
    expect(await at((Number(top.observed) - 0.000001).toFixed(6))).toContain(top.fingerprint);
    expect(await at((Number(top.observed) - 0.000001).toFixed(6), 1_000_000)).not.toContain(top.fingerprint);
  });

  test('HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT', async () => {
    const { id } = await one<{ id: string }>(
      `select id from loan where product = 'POVERTY_MICROCREDIT' and paid_to_account = 'HOUSEHOLD' and closed_on is null order by id desc limit 1`,
    );
    const kind = AlertRuleKind.HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT;
    expect(await fingerprints(kind)).not.toContain(`loan:${id}`);
    await pool.query(`update loan set paid_to_account = 'ENTERPRISE' where id = $1`, [id]);
    expect(await fingerprints(kind)).toContain(`loan:${id}`);
    await pool.query(`update loan set paid_to_account = 'HOUSEHOLD' where id = $1`, [id]);
  });

  test('GUARANTEE_FEE_ABOVE_CAP', async () => {
    const { id } = await one<{ id: string }>(
      `select id from guarantee_contract where starts_on >= '2019-01-01' and starts_on <= $1 and ends_on > $1 and released_on is null order by id limit 1`,
      [AS_OF],
    );
    const kind = AlertRuleKind.GUARANTEE_FEE_ABOVE_CAP;
    await pool.query(`update guarantee_contract set fee_rate = 0.008 where id = $1`, [id]);
    expect(await fingerprints(kind)).not.toContain(`guarantee:${id}`);
    await pool.query(`update guarantee_contract set fee_rate = 0.0081 where id = $1`, [id]);
    expect(await fingerprints(kind)).toContain(`guarantee:${id}`);
    await pool.query(`update guarantee_contract set fee_rate = 0.008 where id = $1`, [id]);
  });

  test('CLAIM_UNPAID_AFTER_AGREEMENT', async () => {
    const { id } = await one<{ id: string }>(`select id from claim where paid_on is not null and loss_on <= '2020-12-01' order by id limit 1`);
    const kind = AlertRuleKind.CLAIM_UNPAID_AFTER_AGREEMENT;
    await pool.query(`update claim set agreed_on = $2::date - 10, paid_on = null, paid_amount = null where id = $1`, [id, AS_OF]);
    expect(await fingerprints(kind)).not.toContain(`claim:${id}`);
    await pool.query(`update claim set agreed_on = $2::date - 11 where id = $1`, [id, AS_OF]);
    const hit = (await evaluateRule(pool, kind, defaults(kind), AS_OF)).find((c) => c.fingerprint === `claim:${id}`);
    expect(hit).toMatchObject({ subjectType: 'CLAIM', observed: '11', threshold: '10.000000' });
    await pool.query(`update claim set paid_on = agreed_on + 5, paid_amount = agreed_amount where id = $1`, [id]);
  });

  test('SERVICE_POINT_DORMANT', async () => {
    const { id } = await one<{ id: string }>(
      `select sp.id from service_point sp where sp.closed_on is null and sp.opened_on < '2020-01-01'
          and (select count(*) from service_point_activity a where a.service_point_id = sp.id and a.month > '2020-09-30' and a.transactions > 0) = 3
        order by sp.id limit 1`,
    );
    const kind = AlertRuleKind.SERVICE_POINT_DORMANT;
    await pool.query(`update service_point_activity set transactions = 0 where service_point_id = $1 and month in ('2020-11-30', '2020-12-31')`, [id]);
    expect(await fingerprints(kind)).not.toContain(`service_point:${id}`);
    await pool.query(`update service_point_activity set transactions = 0 where service_point_id = $1 and month = '2020-10-31'`, [id]);
    expect(await fingerprints(kind)).toContain(`service_point:${id}`);
    await pool.query(`update service_point_activity set transactions = 1 where service_point_id = $1 and month = '2020-12-31'`, [id]);
    expect(await fingerprints(kind)).not.toContain(`service_point:${id}`);
  });
});

describe('lifecycle of one condition', () => {
  const CODE = AlertRuleKind.HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT;
  let loan: { id: string; institution_id: string; county_code: string };

  const run = async () => {
    const [result] = await sweep(pool, { asOf: AS_OF, codes: [CODE] });
    return result;
  };
  const alerts = async () =>
    (
      await pool.query<{ status: string; institution_id: string; county_code: string; events: string[] }>(
        `select a.status, a.institution_id, a.county_code,
                array(select coalesce(e.from_status, '-') || '>' || e.to_status || ' ' || e.actor || coalesce(' ' || e.note, '')
                        from alert_event e where e.alert_id = a.id order by e.id) as events
           from alert a join alert_rule r on r.id = a.rule_id
          where r.code = $1 and a.fingerprint = $2 order by a.id`,
        [CODE, `loan:${loan.id}`],
      )
    ).rows;
  const setAccount = (account: string) => pool.query(`update loan set paid_to_account = $2 where id = $1`, [loan.id, account]);

  beforeAll(async () => {
    await seedDefaultRules(pool);
    loan = await one(
      `select id, institution_id, county_code from loan
        where product = 'POVERTY_MICROCREDIT' and paid_to_account = 'HOUSEHOLD' and closed_on is null order by id limit 1`,
    );
  });

  test('raise, keep, resolve, raise again; a false positive is not raised again until cleared and recurred', async () => {
    await setAccount('ENTERPRISE');
    expect(await run()).toMatchObject({ raised: 1, resolved: 0 });
    expect(await run()).toMatchObject({ raised: 0, resolved: 0 });
    const opened = { status: 'OPEN', institution_id: loan.institution_id, county_code: loan.county_code, events: ['->OPEN sweep'] };
    expect(await alerts()).toEqual([opened]);

    await setAccount('HOUSEHOLD');
    expect(await run()).toMatchObject({ raised: 0, resolved: 1 });
    const resolved = { ...opened, status: 'RESOLVED', events: ['->OPEN sweep', 'OPEN>RESOLVED sweep condition cleared'] };
    expect(await alerts()).toEqual([resolved]);

    await setAccount('ENTERPRISE');
    expect(await run()).toMatchObject({ raised: 1 });
    // A reviewer marks the new alert a false positive (the GraphQL mutation is not built yet).
    await pool.query(
      `with a as (update alert set status = 'FALSE_POSITIVE' where fingerprint = $1 and status = 'OPEN' returning id)
       insert into alert_event (alert_id, from_status, to_status, actor, note) select id, 'OPEN', 'FALSE_POSITIVE', 'reviewer', 'paid to its own cooperative' from a`,
      [`loan:${loan.id}`],
    );
    expect(await run()).toMatchObject({ raised: 0, suppressed: 1, falsePositivesCleared: 0 });
    expect(await run()).toMatchObject({ raised: 0, suppressed: 1 });
    expect(await alerts()).toHaveLength(2);

    await setAccount('HOUSEHOLD');
    expect(await run()).toMatchObject({ raised: 0, suppressed: 0, falsePositivesCleared: 1 });
    expect(await run()).toMatchObject({ falsePositivesCleared: 0 });
    const falsePositive = {
      ...opened,
      status: 'FALSE_POSITIVE',
      events: ['->OPEN sweep', 'OPEN>FALSE_POSITIVE reviewer paid to its own cooperative', 'FALSE_POSITIVE>FALSE_POSITIVE sweep condition cleared'],
    };
    expect(await alerts()).toEqual([resolved, falsePositive]);

    await setAccount('ENTERPRISE');
    expect(await run()).toMatchObject({ raised: 1, suppressed: 0 });
    expect(await alerts()).toEqual([resolved, falsePositive, opened]);
    await setAccount('HOUSEHOLD');
  });
});
