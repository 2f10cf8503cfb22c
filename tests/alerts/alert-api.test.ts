/**
 * Early warning through the real pipeline: a bank's batch lands over HTTP, the evaluator
 * (the change-feed consumer, no sweep) raises the alert; a crash before commit loses
 * nothing; the lifecycle mutations with who may act, illegal transitions and history; a
 * false positive stays suppressed while its condition holds; the `alerts` filters; and
 * `setAlertRule` / `alertRules` for regulators.
 */
import '../api/reset-orm-metadata';
import { Pool } from 'pg';
import { ALERTS_CONSUMER, evaluatePending, evaluatorCursor, seedDefaultRules, startAlertEvaluator, sweep } from '../../src/services/alerts';
import { useTestDatabase } from '../helpers';
import { COUNTY, gid, ID, OTHER_COUNTY, RESULT_FIELDS, useIngestionWorld, VILLAGE } from '../api/ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);
let pool: Pool;

const UPSERT_LOANS = `mutation Run($input: UpsertLoansInput!) { upsertLoans(input: $input) { ${RESULT_FIELDS} } }`;
const POSITIONS = `mutation Run($input: ReportLoanPositionsInput!) { reportLoanPositions(input: $input) { ${RESULT_FIELDS} } }`;
const ALERT_FIELDS = `id ruleCode ruleKind ruleVersion fingerprint subjectType severity status observed threshold
  institution { code } county { code } history { fromStatus toStatus actor note }`;
const transition = (name: string) => `mutation T($input: AlertTransitionInput!) { ${name}(input: $input) { fromStatus alert { ${ALERT_FIELDS} } } }`;
const ACK = transition('acknowledgeAlert');
const RESOLVE = transition('resolveAlert');
const FALSE_POSITIVE = transition('markAlertFalsePositive');
const SET_RULE = `mutation S($input: SetAlertRuleInput!) { setAlertRule(input: $input) {
  outcome rule { code kind name enabled currentVersion versions { version threshold windowDays minDenominator severity params createdBy } } } }`;

const LOAN_REF = 'L-ALERT';
const FLOOR_RULE = 'CLASS_BETTER_THAN_FLOOR';

function position(monthEnd: string, overdueDays: number, fiveClass: string) {
  return { loanRef: LOAN_REF, monthEnd, balance: '40000', overduePrincipal: overdueDays > 0 ? '5000' : '0', overdueDays, fiveClass };
}

async function report(batchId: string, items: unknown[]): Promise<void> {
  const result = (await world.data('bank', POSITIONS, { input: { batchId, items } })).reportLoanPositions;
  expect(result.committed).toBe(true);
}

async function floorAlerts(): Promise<Array<{ id: string; status: string }>> {
  return world.sql(
    `select a.id::text as id, a.status from alert a join alert_rule r on r.id = a.rule_id where r.code = $1 order by a.id`,
    [FLOOR_RULE],
  );
}

async function errorOf(who: string, document: string, variables: Record<string, unknown>) {
  const { body } = await world.gql(who, document, variables);
  expect(body.data?.[Object.keys(body.data ?? {})[0]] ?? null).toBeNull();
  return { message: body.errors?.[0]?.message, extensions: body.errors?.[0]?.extensions };
}

beforeAll(async () => {
  pool = new Pool({ connectionString: db.url(), max: 3 });
  db.onTeardown(() => pool.end());
  await seedDefaultRules(pool);
  const loans = await world.data('bank', UPSERT_LOANS, {
    input: {
      batchId: 'alert-loans',
      items: [
        {
          ref: LOAN_REF,
          countyCode: COUNTY,
          product: 'POVERTY_MICROCREDIT',
          borrower: { household: { headIdNumber: ID.known, villageCode: VILLAGE } },
          principal: '40000',
          disbursedOn: '2020-01-15',
          maturesOn: '2022-01-14',
          annualRate: '0.0435',
          subsidyRate: '0.0435',
          guaranteeMode: 'CREDIT',
          paidToAccount: 'HOUSEHOLD',
        },
      ],
    },
  });
  expect(loans.upsertLoans.counts.created).toBe(1);
});

describe('evaluation at ingestion', () => {
  test('a position reported over HTTP raises the alert once the evaluator runs, without a sweep', async () => {
    await report('pos-1', [position('2020-03-31', 0, 'NORMAL')]);
    // The first step catches up with everything so far: nothing to raise.
    const first = await evaluatePending(pool);
    expect(first).toMatchObject({ fromEventId: '0', asOf: '2020-03-31' });
    expect(await floorAlerts()).toEqual([]);
    expect(await evaluatePending(pool)).toBeNull();

    // 100 days overdue reported NORMAL: better than the substandard floor (91 days).
    await report('pos-2', [position('2020-04-30', 100, 'NORMAL')]);
    expect(await floorAlerts()).toEqual([]);
    const step = await evaluatePending(pool);
    expect(step?.asOf).toBe('2020-04-30');
    expect(step?.rules.find((r) => r.code === FLOOR_RULE)).toMatchObject({ counties: [COUNTY], raised: 1, resolved: 0 });
    // The guarantee rule reads no loan position: not evaluated.
    expect(step?.rules.map((r) => r.code)).not.toContain('GUARANTEE_FEE_ABOVE_CAP');
    const [alert] = await floorAlerts();
    expect(alert.status).toBe('OPEN');
    const [row] = await world.sql(
      `select a.fingerprint, a.institution_id::text as institution, a.county_code, a.observed::text as observed,
              (select l.id::text from loan l where l.ref = $2) as loan
         from alert a where a.id = $1`,
      [alert.id, LOAN_REF],
    );
    expect(row).toEqual({ fingerprint: `loan:${row.loan}`, institution: world.ids.bank, county_code: COUNTY, observed: '100.000000', loan: row.loan });
    // The raise is on the change feed for the `alerts` subscription, and the cursor is past it all.
    expect(await world.sql(`select action, county_code from change_event where record_type = 'Alert' and record_id = $1`, [alert.id])).toEqual([
      { action: 'OPEN', county_code: COUNTY },
    ]);
    expect(await evaluatorCursor(pool)).toBe(step?.toEventId);
  });

  test('a failure before commit leaves cursor and alerts untouched; the retry does the work once', async () => {
    const cursor = await evaluatorCursor(pool);
    await report('pos-3', [position('2020-05-31', 0, 'NORMAL')]);
    const crash = new Error('process died');
    await expect(evaluatePending(pool, { beforeCommit: () => Promise.reject(crash) })).rejects.toBe(crash);
    expect(await evaluatorCursor(pool)).toBe(cursor);
    expect((await floorAlerts()).map((a) => a.status)).toEqual(['OPEN']);

    const retry = await evaluatePending(pool);
    expect(retry?.fromEventId).toBe(cursor);
    expect(retry?.rules.find((r) => r.code === FLOOR_RULE)).toMatchObject({ raised: 0, resolved: 1 });
    expect((await floorAlerts()).map((a) => a.status)).toEqual(['RESOLVED']);
    const [history] = await world.sql(`select array_agg(to_status || ':' || actor || ':' || coalesce(note, '') order by id) as h from alert_event where alert_id = $1`, [
      (await floorAlerts())[0].id,
    ]);
    expect(history.h).toEqual(['OPEN:sweep:', 'RESOLVED:sweep:condition cleared']);
    // Running again finds only the evaluator's own alert events: nothing evaluated.
    const again = await evaluatePending(pool);
    expect(again?.rules ?? []).toEqual([]);
    expect(await evaluatePending(pool)).toBeNull();
    expect(await world.sql(`select count(*)::int as n from feed_consumer where name = $1`, [ALERTS_CONSUMER])).toEqual([{ n: 1 }]);
  });
});

describe('county-scoped reconciliation', () => {
  test('an evaluation after a batch of one county leaves other counties’ alerts alone; a full sweep does not', async () => {
    const [other] = await world.sql<{ id: string }>(
      `insert into alert (rule_id, rule_version, fingerprint, subject_type, subject_id, county_code, institution_id, severity, status, message)
       select id, 1, 'loan:' || $1, 'LOAN', $1, $2, $3, 'HIGH', 'OPEN', 'test: a condition elsewhere' from alert_rule where code = $4
       returning id::text as id`,
      [world.ids.otherLoan, OTHER_COUNTY, world.ids.otherBank, FLOOR_RULE],
    );
    const status = async () => (await world.sql(`select status from alert where id = $1`, [other.id]))[0].status;
    await report('pos-3b', [{ ...position('2020-05-31', 0, 'NORMAL'), balance: '39000' }]);
    expect((await evaluatePending(pool))?.rules.find((r) => r.code === FLOOR_RULE)).toMatchObject({ counties: [COUNTY], resolved: 0 });
    expect(await status()).toBe('OPEN');
    expect(await sweep(pool, { asOf: '2020-05-31', codes: [FLOOR_RULE] })).toMatchObject([{ resolved: 1 }]);
    expect(await status()).toBe('RESOLVED');
    await world.sql(`delete from alert_event where alert_id = $1`, [other.id]);
    await world.sql(`delete from alert where id = $1`, [other.id]);
  });
});

describe('the alert lifecycle', () => {
  let alertId: string;
  let nodeId: string;

  beforeAll(async () => {
    await report('pos-4', [position('2020-06-30', 95, 'SPECIAL_MENTION')]);
    await evaluatePending(pool);
    const open = (await floorAlerts()).filter((a) => a.status === 'OPEN');
    expect(open).toHaveLength(1);
    alertId = open[0].id;
    nodeId = gid('Alert', alertId);
    world.principals.farRegulator = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: ['45'] };
  });

  test('who may act: others get NOT_FOUND exactly as for a missing alert, analysts FORBIDDEN, the county government FORBIDDEN on a bank’s alert', async () => {
    const input = { id: nodeId, note: 'looking into it' };
    const missing = await errorOf('bank', ACK, { input: { id: gid('Alert', '999999'), note: 'x' } });
    expect(missing).toEqual({ message: 'No such alert', extensions: { code: 'NOT_FOUND', field: 'input.id' } });
    expect(await errorOf('otherBank', ACK, { input })).toEqual(missing);
    expect(await errorOf('farRegulator', ACK, { input })).toEqual(missing);
    expect(await errorOf('insurer', ACK, { input })).toEqual(missing);
    expect((await errorOf('analyst', ACK, { input })).extensions).toEqual({ code: 'FORBIDDEN' });
    expect((await errorOf('government', ACK, { input })).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(await errorOf('bank', ACK, { input: { id: nodeId, note: '   ' } })).toEqual({
      message: 'note must not be empty: say why',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.note' },
    });
    expect((await floorAlerts()).find((a) => a.id === alertId)?.status).toBe('OPEN');
  });

  test('acknowledge, then illegal transitions name the current status; history and change feed keep each step', async () => {
    const ack = (await world.data('bank', ACK, { input: { id: nodeId, note: 'reclassifying next month' } })).acknowledgeAlert;
    expect(ack).toEqual({
      fromStatus: 'OPEN',
      alert: {
        id: nodeId,
        ruleCode: FLOOR_RULE,
        ruleKind: FLOOR_RULE,
        ruleVersion: 1,
        fingerprint: expect.stringMatching(/^loan:\d+$/),
        subjectType: 'LOAN',
        severity: 'HIGH',
        status: 'ACKNOWLEDGED',
        observed: '95.000000',
        threshold: '91.000000',
        institution: { code: 'T-BANK' },
        county: { code: COUNTY },
        history: [
          { fromStatus: null, toStatus: 'OPEN', actor: 'sweep', note: null },
          { fromStatus: 'OPEN', toStatus: 'ACKNOWLEDGED', actor: 'T-BANK api:test-bank', note: 'reclassifying next month' },
        ],
      },
    });
    expect(await errorOf('bank', ACK, { input: { id: nodeId, note: 'again' } })).toEqual({
      message: 'The alert is ACKNOWLEDGED; acknowledgeAlert applies to OPEN alerts',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.id', reason: 'ALERT_ACKNOWLEDGED' },
    });
    expect(await world.sql(`select count(*)::int as n from alert_event where alert_id = $1`, [alertId])).toEqual([{ n: 2 }]);

    // A regulator in scope may act too; the county filter, rule, severity and status filters find it.
    const fp = (await world.data('regulator', FALSE_POSITIVE, { input: { id: nodeId, note: 'restructured under the 2020 notice' } })).markAlertFalsePositive;
    expect(fp.alert.status).toBe('FALSE_POSITIVE');
    expect((await errorOf('bank', RESOLVE, { input: { id: nodeId, note: 'done' } })).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.id',
      reason: 'ALERT_FALSE_POSITIVE',
    });
    expect(await world.sql(`select action from change_event where record_type = 'Alert' and record_id = $1 order by id`, [alertId])).toEqual([
      { action: 'OPEN' },
      { action: 'ACKNOWLEDGED' },
      { action: 'FALSE_POSITIVE' },
    ]);
    const filtered = await world.data(
      'bank',
      `query($f: AlertFilter) { alerts(filter: $f) { totalCount nodes { id status history { toStatus } } } }`,
      { f: { area: COUNTY, institutionCode_in: ['T-BANK'], ruleKind_in: [FLOOR_RULE], ruleCode_in: [FLOOR_RULE], severity_in: ['HIGH'], status_in: ['FALSE_POSITIVE'] } },
    );
    expect(filtered.alerts).toEqual({ totalCount: 1, nodes: [{ id: nodeId, status: 'FALSE_POSITIVE', history: [{ toStatus: 'OPEN' }, { toStatus: 'ACKNOWLEDGED' }, { toStatus: 'FALSE_POSITIVE' }] }] });
    const otherRule = await world.data('bank', `{ alerts(filter: { ruleCode_in: ["MATURITY_PEAK"] }) { totalCount } }`);
    expect(otherRule.alerts.totalCount).toBe(0);
    const competitor = await world.data('otherBank', `{ alerts { totalCount } }`);
    expect(competitor.alerts.totalCount).toBe(0);
  });

  test('a false positive is not raised again while its condition holds, and is after it clears and recurs', async () => {
    await report('pos-5', [position('2020-07-31', 120, 'SPECIAL_MENTION')]);
    expect((await evaluatePending(pool))?.rules.find((r) => r.code === FLOOR_RULE)).toMatchObject({ raised: 0, suppressed: 1 });
    await report('pos-6', [position('2020-08-31', 0, 'NORMAL')]);
    expect((await evaluatePending(pool))?.rules.find((r) => r.code === FLOOR_RULE)).toMatchObject({ raised: 0, falsePositivesCleared: 1 });
    await report('pos-7', [position('2020-09-30', 100, 'NORMAL')]);
    expect((await evaluatePending(pool))?.rules.find((r) => r.code === FLOOR_RULE)).toMatchObject({ raised: 1 });
    expect((await floorAlerts()).map((a) => a.status)).toEqual(['RESOLVED', 'FALSE_POSITIVE', 'OPEN']);
  });

  test('a county-level alert: the county government acts on it, the bank cannot see it', async () => {
    const [row] = await world.sql<{ id: string }>(
      `insert into alert (rule_id, rule_version, fingerprint, subject_type, subject_id, county_code, severity, status, message)
       select id, 1, 'county:' || $1, 'COUNTY', $1, $1, 'MEDIUM', 'OPEN', 'test: repayment peak' from alert_rule where code = 'MATURITY_PEAK'
       returning id::text as id`,
      [COUNTY],
    );
    const input = { id: gid('Alert', row.id), note: 'county office informed the banks' };
    expect((await errorOf('bank', RESOLVE, { input })).extensions).toEqual({ code: 'NOT_FOUND', field: 'input.id' });
    const resolved = (await world.data('government', RESOLVE, { input })).resolveAlert;
    expect(resolved.alert).toMatchObject({ status: 'RESOLVED', institution: null, history: [{ toStatus: 'RESOLVED', actor: 'T-GOV api:GOVERNMENT' }] });
  });
});

describe('alert rules as versioned data', () => {
  test('only a national regulator changes a rule; a change is a new version, audited; the same again is UNCHANGED', async () => {
    const input = { code: 'MICROCREDIT_OVERDUE_RATIO', threshold: '0.03', minDenominator: 10, severity: 'CRITICAL' };
    expect((await errorOf('bank', SET_RULE, { input })).extensions).toEqual({ code: 'FORBIDDEN' });
    world.principals.provincialRegulator = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: ['52'] };
    expect((await errorOf('provincialRegulator', SET_RULE, { input })).extensions).toEqual({ code: 'FORBIDDEN' });

    const changed = (await world.data('regulator', SET_RULE, { input })).setAlertRule;
    expect(changed).toEqual({
      outcome: 'UPDATED',
      rule: {
        code: 'MICROCREDIT_OVERDUE_RATIO',
        kind: 'MICROCREDIT_OVERDUE_RATIO',
        name: 'County micro-credit overdue ratio above threshold',
        enabled: true,
        currentVersion: 2,
        versions: [
          { version: 2, threshold: '0.030000', windowDays: null, minDenominator: 10, severity: 'CRITICAL', params: null, createdBy: 'api:REGULATOR' },
          { version: 1, threshold: '0.020000', windowDays: null, minDenominator: 30, severity: 'HIGH', params: null, createdBy: 'system' },
        ],
      },
    });
    expect((await world.data('regulator', SET_RULE, { input })).setAlertRule.outcome).toBe('UNCHANGED');
    expect(await world.sql(`select action, operation, details->>'ruleCode' as code, (details->>'version')::int as version from audit_log where action = 'RULE_CHANGED'`)).toEqual([
      { action: 'RULE_CHANGED', operation: 'setAlertRule', code: 'MICROCREDIT_OVERDUE_RATIO', version: 2 },
    ]);

    const created = (
      await world.data('regulator', SET_RULE, {
        input: { code: 'DORMANT_POINTS_6M', kind: 'SERVICE_POINT_DORMANT', severity: 'MEDIUM', params: { months: 6 } },
      })
    ).setAlertRule;
    expect(created).toMatchObject({ outcome: 'CREATED', rule: { code: 'DORMANT_POINTS_6M', currentVersion: 1, versions: [{ params: { months: 6 } }] } });
    const listed = await world.data('analyst', `{ alertRules(code: "DORMANT_POINTS_6M") { code kind enabled } }`);
    expect(listed.alertRules).toEqual([{ code: 'DORMANT_POINTS_6M', kind: 'SERVICE_POINT_DORMANT', enabled: true }]);
  });

  test.each([
    [{ code: 'MICROCREDIT_OVERDUE_RATIO', threshold: '-1', severity: 'HIGH' }, 'input.threshold'],
    [{ code: 'MICROCREDIT_OVERDUE_RATIO', severity: 'HIGH' }, 'input.threshold'],
    [{ code: 'MICROCREDIT_OVERDUE_RATIO', threshold: '0.02', windowDays: 0, severity: 'HIGH' }, 'input.windowDays'],
    [{ code: 'SERVICE_POINT_DORMANT', severity: 'LOW', params: { months: 0 } }, 'input.params.months'],
    [{ code: 'SERVICE_POINT_DORMANT', severity: 'LOW', params: { products: ['INDUSTRIAL'] } }, 'input.params.products'],
    [{ code: 'MATURITY_PEAK', kind: 'FINDING_OVERDUE', threshold: '0.3', severity: 'LOW' }, 'input.kind'],
    [{ code: 'bad code', severity: 'LOW' }, 'input.code'],
  ])('%j is BAD_USER_INPUT at %s and writes nothing', async (input, field) => {
    const before = await world.sql(`select count(*)::int as n from alert_rule_version`);
    expect((await errorOf('regulator', SET_RULE, { input })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await world.sql(`select count(*)::int as n from alert_rule_version`)).toEqual(before);
  });

  test('an unknown code without a kind is NOT_FOUND', async () => {
    expect((await errorOf('regulator', SET_RULE, { input: { code: 'NO_SUCH_RULE', severity: 'LOW' } })).extensions).toEqual({
      code: 'NOT_FOUND',
      field: 'input.code',
    });
  });
});

describe('the in-process evaluator', () => {
  test('a commit notifies it (LISTEN tripod_changes) and it resolves the cleared condition by itself; stop is clean', async () => {
    const logged: string[] = [];
    const evaluator = startAlertEvaluator({ databaseUrl: db.url(), pool, sweepMinutes: 0, log: (m) => logged.push(m) });
    try {
      await evaluator.idle();
      expect((await floorAlerts()).map((a) => a.status)).toEqual(['RESOLVED', 'FALSE_POSITIVE', 'OPEN']);
      await report('pos-8', [position('2020-10-31', 0, 'NORMAL')]);
      const deadline = Date.now() + 15_000;
      while ((await floorAlerts()).at(-1)?.status !== 'RESOLVED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect((await floorAlerts()).map((a) => a.status)).toEqual(['RESOLVED', 'FALSE_POSITIVE', 'RESOLVED']);
      await evaluator.idle();
      expect(logged.filter((m) => !m.startsWith('alerts: '))).toEqual([]);
    } finally {
      await evaluator.stop();
    }
    expect(await evaluatePending(pool)).toBeNull();
  });
});
