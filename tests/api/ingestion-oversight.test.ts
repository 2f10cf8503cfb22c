/**
 * The regulator-side ingestion mutations over real HTTP (issues 5 and 7): re-lending
 * draws of a central-bank branch, disaster events, findings with their rectification
 * steps, the institutions' reports and the regulators' verifications that close
 * findings, the derived OVERDUE state and rectification progress — with the scoping
 * rule that a finding an institution is not concerned by behaves like one that does not
 * exist.
 */
import './reset-orm-metadata';
import type { TransactionClient } from '../../src/services/common';
import { markOverdueFindings } from '../../src/services/oversight';
import { useTestDatabase } from '../helpers';
import { gid } from './ingestion-world';
import { COUNTY, OTHER_COUNTY, RESULT_FIELDS, useOversightWorld, VILLAGE } from './oversight-world';

const db = useTestDatabase();
const world = useOversightWorld(db);

const mutation = (name: string, input: string) => /* GraphQL */ `mutation Run($input: ${input}!) { ${name}(input: $input) { ${RESULT_FIELDS} } }`;
const RELENDING = mutation('upsertRelendingFacilities', 'UpsertRelendingFacilitiesInput');
const DISASTERS = mutation('recordDisasterEvents', 'RecordDisasterEventsInput');
const FINDINGS = mutation('upsertFindings', 'UpsertFindingsInput');
const REPORT = mutation('reportRectificationSteps', 'ReportRectificationStepsInput');
const VERIFY = mutation('verifyRectificationSteps', 'VerifyRectificationStepsInput');

type Item = Record<string, unknown>;

async function run(who: string, query: string, input: Record<string, unknown>) {
  const data = await world.data(who, query, { input });
  return Object.values(data)[0] as { committed: boolean; replayed: boolean; counts: Record<string, number>; items: Array<Record<string, any>> };
}

/** The code of a call refused as a whole. */
async function refusal(who: string, query: string, input: Record<string, unknown>) {
  const { body } = await world.gql(who, query, { input });
  expect(body.data ?? null).toBeNull();
  return body.errors?.[0].extensions;
}

const outcome = (item: Record<string, any>) => ({ status: item.status, code: item.code, reason: item.reason, path: item.path });

/** Today in China time, as the hub computes it. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------
// Re-lending

function facility(ref: string, overrides: Item = {}): Item {
  return { ref, borrowerCode: 'T-BANK', amount: '20000000', annualRate: '0.0175', drawnOn: '2020-03-02', dueOn: '2021-03-01', ...overrides };
}

describe('upsertRelendingFacilities', () => {
  test('only a regulator acting for a central-bank branch may report re-lending', async () => {
    expect(await refusal('bank', RELENDING, { items: [facility('RL-F')] })).toEqual({ code: 'FORBIDDEN' });
    expect(await refusal('cbirc', RELENDING, { items: [facility('RL-F')] })).toEqual({ code: 'FORBIDDEN' });
    expect(await world.sql(`SELECT ref FROM relending_facility WHERE ref = 'RL-F'`)).toEqual([]);
  });

  test('created in the borrowing bank’s county, then UNCHANGED, UPDATED as a new version, and a stale version is CONFLICT', async () => {
    const created = await run('pboc', RELENDING, { items: [facility('RL-A')] });
    expect(outcome(created.items[0])).toEqual({ status: 'CREATED', code: null, reason: null, path: null });
    expect(created.items[0].version).toBe(1);
    const [row] = await world.sql(
      `SELECT r.county_code, r.amount::text AS amount, r.rollovers, r.version, l.code AS lender, b.code AS borrower, r.id::text AS id
         FROM relending_facility r JOIN institution l ON l.id = r.lender_id JOIN institution b ON b.id = r.borrower_id WHERE r.ref = 'RL-A'`,
    );
    expect(row).toEqual({ county_code: COUNTY, amount: '20000000.00', rollovers: 0, version: 1, lender: 'T-PBOC', borrower: 'T-BANK', id: expect.any(String) });
    expect(created.items[0].id).toBe(gid('RelendingFacility', row.id));

    const again = await run('pboc', RELENDING, { items: [facility('RL-A')] });
    expect(again.items[0]).toMatchObject({ status: 'UNCHANGED', version: 1, id: created.items[0].id });

    const rolled = await run('pboc', RELENDING, { items: [facility('RL-A', { rollovers: 1, version: 1 })] });
    expect(rolled.items[0]).toMatchObject({ status: 'UPDATED', version: 2 });

    const stale = await run('pboc', RELENDING, { items: [facility('RL-A', { rollovers: 2, version: 1 })] });
    expect(stale.committed).toBe(false);
    expect(outcome(stale.items[0])).toEqual({ status: 'REJECTED', code: 'CONFLICT', reason: 'STALE_VERSION', path: 'items[0].version' });
    const versions = await world.sql(`SELECT version, terms->>'rollovers' AS rollovers FROM record_version WHERE record_kind = 'RELENDING_FACILITY' AND record_id = $1 ORDER BY version`, [row.id]);
    expect(versions).toEqual([
      { version: 1, rollovers: '0' },
      { version: 2, rollovers: '1' },
    ]);
    const [event] = await world.sql(`SELECT action, county_code FROM change_event WHERE record_type = 'RelendingFacility' AND record_id = $1 ORDER BY id DESC LIMIT 1`, [row.id]);
    expect(event).toEqual({ action: 'UPDATED', county_code: COUNTY });
  });

  test('a bank outside the branch’s area is NOT_FOUND; bad terms are rejected and nothing lands', async () => {
    const before = await world.sql(`SELECT count(*)::int AS n FROM relending_facility`);
    const result = await run('pboc', RELENDING, {
      items: [
        facility('RL-OUT', { borrowerCode: 'T-BANK-2' }),
        facility('RL-COUNTY', { countyCode: OTHER_COUNTY }),
        facility('RL-NOBANK', { borrowerCode: 'T-NOPE' }),
        facility('RL-INSURER', { borrowerCode: 'T-INSURER' }),
        facility('RL-DATES', { dueOn: '2020-03-02' }),
        facility('RL-ROLL', { rollovers: 5 }),
        facility('RL-FLOAT', { amount: '100.005' }),
        facility('RL-DUP'),
        facility('RL-DUP'),
        facility('RL-OK'),
      ],
    });
    expect(result.committed).toBe(false);
    expect(result.items.map(outcome)).toEqual([
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].borrowerCode' },
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[1].countyCode' },
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[2].borrowerCode' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'NOT_A_BANK', path: 'items[3].borrowerCode' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DATE_ORDER', path: 'items[4].dueOn' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', path: 'items[5].rollovers' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'TOO_MANY_DECIMALS', path: 'items[6].amount' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DUPLICATE_REF', path: 'items[7].ref' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DUPLICATE_REF', path: 'items[8].ref' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'BATCH_ROLLED_BACK', path: null },
    ]);
    expect(await world.sql(`SELECT count(*)::int AS n FROM relending_facility`)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------
// Disasters

function disaster(ref: string, overrides: Item = {}): Item {
  return { ref, kind: 'FLOOD', name: '2020年6月黔西南洪涝', startsOn: '2020-06-08', areaCodes: [COUNTY, VILLAGE, OTHER_COUNTY], ...overrides };
}

const areasOf = async (ref: string) =>
  (await world.sql(`SELECT da.area_code FROM disaster_area da JOIN disaster_event e ON e.id = da.event_id WHERE e.ref = $1 ORDER BY 1`, [ref])).map((r) => r.area_code);

describe('recordDisasterEvents', () => {
  test('only regulators declare disasters', async () => {
    expect(await refusal('government', DISASTERS, { items: [disaster('D-F')] })).toEqual({ code: 'FORBIDDEN' });
  });

  test('an event over areas of any level: CREATED, UNCHANGED, UPDATED with its areas replaced', async () => {
    const created = await run('cbirc', DISASTERS, { items: [disaster('D-FLOOD', { areaCodes: ['5223', COUNTY, VILLAGE] })] });
    expect(created.items[0]).toMatchObject({ status: 'CREATED', code: null });
    expect(await areasOf('D-FLOOD')).toEqual(['5223', COUNTY, VILLAGE]);
    const again = await run('cbirc', DISASTERS, { items: [disaster('D-FLOOD', { areaCodes: [VILLAGE, COUNTY, '5223'] })] });
    expect(again.items[0]).toMatchObject({ status: 'UNCHANGED', id: created.items[0].id });
    const ended = await run('cbirc', DISASTERS, { items: [disaster('D-FLOOD', { endsOn: '2020-07-15', areaCodes: [COUNTY, OTHER_COUNTY] })] });
    expect(ended.items[0]).toMatchObject({ status: 'UPDATED', id: created.items[0].id });
    expect(await areasOf('D-FLOOD')).toEqual([OTHER_COUNTY, COUNTY]);
    const [row] = await world.sql(`SELECT kind, ends_on::text AS ends_on FROM disaster_event WHERE ref = 'D-FLOOD'`);
    expect(row).toEqual({ kind: 'FLOOD', ends_on: '2020-07-15' });
    expect([created.items[0].version, again.items[0].version, ended.items[0].version]).toEqual([1, 1, 2]);
    // Nothing reported is lost: every state is a version, without a county.
    const versions = await world.sql(
      `SELECT v.version, v.county_code, v.terms->>'endsOn' AS ends_on, v.terms->'areaCodes' AS areas
         FROM record_version v JOIN disaster_event e ON e.id = v.record_id
        WHERE v.record_kind = 'DISASTER_EVENT' AND e.ref = 'D-FLOOD' ORDER BY v.version`,
    );
    expect(versions).toEqual([
      { version: 1, county_code: null, ends_on: null, areas: ['5223', COUNTY, VILLAGE].sort() },
      { version: 2, county_code: null, ends_on: '2020-07-15', areas: [COUNTY, OTHER_COUNTY].sort() },
    ]);
    // Readers see it as reference data.
    const read = await world.data('bank', `{ node(id: "${created.items[0].id}") { ... on DisasterEvent { ref endsOn } } }`);
    expect(read.node).toEqual({ ref: 'D-FLOOD', endsOn: '2020-07-15' });
  });

  test('unknown, malformed and out-of-scope areas and dates out of order are rejected; partial lands the rest', async () => {
    const future = `${Number(today().slice(0, 4)) + 1}-01-01`;
    const result = await run('cbirc', DISASTERS, {
      partial: true,
      items: [
        disaster('D-UNKNOWN', { areaCodes: [COUNTY, '529999'] }),
        disaster('D-MALFORMED', { areaCodes: ['52232'] }),
        disaster('D-OUTSIDE', { areaCodes: ['450102'] }),
        disaster('D-ORDER', { endsOn: '2020-06-01' }),
        disaster('D-FUTURE', { startsOn: future }),
        disaster('D-TWICE', { areaCodes: [COUNTY, COUNTY] }),
        disaster('D-GOOD', { kind: 'DROUGHT' }),
      ],
    });
    expect(result.committed).toBe(true);
    expect(result.items.map(outcome)).toEqual([
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].areaCodes[1]' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'INVALID_AREA_CODE', path: 'items[1].areaCodes[0]' },
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[2].areaCodes[0]' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DATE_ORDER', path: 'items[3].endsOn' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'IN_FUTURE', path: 'items[4].startsOn' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DUPLICATE_AREA', path: 'items[5].areaCodes[1]' },
      { status: 'CREATED', code: null, reason: null, path: null },
    ]);
    expect((await world.sql(`SELECT ref FROM disaster_event WHERE ref LIKE 'D-%' ORDER BY ref`)).map((r) => r.ref)).toEqual(['D-FLOOD', 'D-GOOD']);
    // A regulator of another province: the same county is not in its scope.
    const far = await run('farRegulator', DISASTERS, { items: [disaster('D-FAR', { areaCodes: [COUNTY] })] });
    expect(outcome(far.items[0])).toEqual({ status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].areaCodes[0]' });
  });
});

// ---------------------------------------------------------------------------------------
// Findings, rectification and verification

function finding(ref: string, overrides: Item = {}): Item {
  return {
    ref,
    source: 'INSPECTION',
    countyCode: COUNTY,
    institutionCode: 'T-BANK',
    text: '扶贫小额信贷贷后管理不到位',
    foundOn: '2020-05-10',
    dueOn: '2099-12-31',
    steps: [{ description: '补齐贷后检查记录' }, { description: '追责相关客户经理' }],
    ...overrides,
  };
}

const step = (findingRef: string, seq: number, extra: Item = {}): Item => ({ authorityCode: 'T-CBIRC', findingRef, seq, ...extra });
const report = (findingRef: string, seq: number, extra: Item = {}): Item => step(findingRef, seq, { doneOn: '2020-08-01', evidence: '检查记录已补齐（附件3份）', ...extra });

const FINDING_FIELDS = 'ref status state closedOn version institution { code } steps { seq reportedDoneOn evidence verified verifiedBy { code } }';

async function readFinding(who: string, ref: string) {
  const data = await world.data(who, `{ findings(filter: { ref_in: ["${ref}"] }) { totalCount nodes { ${FINDING_FIELDS} } } }`);
  return data.findings.nodes[0] ?? null;
}

describe('findings and rectification', () => {
  test('only regulators report findings; an out-of-scope regulator, unknown names and bad dates are rejected', async () => {
    expect(await refusal('bank', FINDINGS, { items: [finding('F-X')] })).toEqual({ code: 'FORBIDDEN' });
    const far = await run('farRegulator', FINDINGS, { items: [finding('F-FAR')] });
    expect(outcome(far.items[0])).toEqual({ status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].countyCode' });
    const bad = await run('cbirc', FINDINGS, {
      items: [
        finding('F-B1', { institutionCode: 'T-NOPE' }),
        finding('F-B2', { countyCode: '529999' }),
        finding('F-B3', { dueOn: '2020-05-01' }),
        finding('F-B4', { institutionCode: 'T-PBOC' }),
        finding('F-B5', { steps: [] }),
        finding('F-B6', { version: 1 }),
      ],
    });
    expect(bad.items.map(outcome)).toEqual([
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].institutionCode' },
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[1].countyCode' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DATE_ORDER', path: 'items[2].dueOn' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'NOT_A_RECTIFYING_INSTITUTION', path: 'items[3].institutionCode' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'STEP_COUNT', path: 'items[4].steps' },
      { status: 'REJECTED', code: 'CONFLICT', reason: 'NO_SUCH_VERSION', path: 'items[5].version' },
    ]);
    expect(await world.sql(`SELECT ref FROM finding WHERE ref LIKE 'F-B%' OR ref = 'F-FAR'`)).toEqual([]);
  });

  test('a finding is versioned: UNCHANGED again, UPDATED on its version, CONFLICT when stale', async () => {
    const created = await run('cbirc', FINDINGS, { items: [finding('F-V')] });
    expect(created.items[0]).toMatchObject({ status: 'CREATED', version: 1 });
    expect((await run('cbirc', FINDINGS, { items: [finding('F-V')] })).items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
    const reworded = await run('cbirc', FINDINGS, { items: [finding('F-V', { text: '贷后管理不到位，资金用途未核实', version: 1, steps: [{ description: '补齐贷后检查记录' }, { description: '追责相关客户经理' }, { description: '核实资金用途' }] })] });
    expect(reworded.items[0]).toMatchObject({ status: 'UPDATED', version: 2 });
    const stale = await run('cbirc', FINDINGS, { items: [finding('F-V', { text: '另一种说法', version: 1 })] });
    expect(outcome(stale.items[0])).toEqual({ status: 'REJECTED', code: 'CONFLICT', reason: 'STALE_VERSION', path: 'items[0].version' });
    const read = await readFinding('cbirc', 'F-V');
    expect(read).toEqual({
      ref: 'F-V',
      status: 'OPEN',
      state: 'OPEN',
      closedOn: null,
      version: 2,
      institution: { code: 'T-BANK' },
      steps: [1, 2, 3].map((seq) => ({ seq, reportedDoneOn: null, evidence: null, verified: false, verifiedBy: null })),
    });
  });

  test('the institution reports, only a regulator verifies, and the finding closes when every step is verified', async () => {
    await run('cbirc', FINDINGS, { items: [finding('F-1')] });

    // Another bank, a government and a nonexistent finding: all alike NOT_FOUND.
    const unseen = [
      await run('otherBank', REPORT, { items: [report('F-1', 1)] }),
      await run('government', REPORT, { items: [report('F-1', 1)] }),
      await run('bank', REPORT, { items: [report('F-NONE', 1)] }),
    ];
    for (const answer of unseen) {
      expect(outcome(answer.items[0])).toEqual({ status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].findingRef' });
    }
    expect(unseen[0].items[0].message.replace('F-1', 'F-?')).toBe(unseen[2].items[0].message.replace('F-NONE', 'F-?'));

    const bad = await run('bank', REPORT, {
      partial: true,
      items: [report('F-1', 1, { doneOn: '2020-05-01' }), report('F-1', 3), report('F-1', 2, { evidence: ' ' })],
    });
    expect(bad.items.map(outcome)).toEqual([
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'DATE_ORDER', path: 'items[0].doneOn' },
      { status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[1].seq' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', reason: 'REQUIRED', path: 'items[2].evidence' },
    ]);

    // The institution cannot verify; a regulator cannot verify what was not reported.
    expect(await refusal('bank', VERIFY, { items: [step('F-1', 1)] })).toEqual({ code: 'FORBIDDEN' });
    const unreported = await run('cbirc', VERIFY, { items: [step('F-1', 1)] });
    expect(outcome(unreported.items[0])).toEqual({ status: 'REJECTED', code: 'CONFLICT', reason: 'STEP_NOT_REPORTED', path: 'items[0]' });

    const reported = await run('bank', REPORT, { batchId: 'rect-1', items: [report('F-1', 1)] });
    expect(reported.items[0]).toMatchObject({ status: 'UPDATED', ref: 'T-CBIRC/F-1#1' });
    const replay = await run('bank', REPORT, { batchId: 'rect-1', items: [report('F-1', 1)] });
    expect(replay).toMatchObject({ replayed: true, items: [{ status: 'UPDATED', id: reported.items[0].id }] });
    expect((await run('bank', REPORT, { items: [report('F-1', 1)] })).items[0].status).toBe('UNCHANGED');

    // A regulator of another province does not see the finding.
    const far = await run('farRegulator', VERIFY, { items: [step('F-1', 1)] });
    expect(outcome(far.items[0])).toEqual({ status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].findingRef' });

    const verified = await run('cbirc', VERIFY, { items: [step('F-1', 1)] });
    expect(verified.items[0]).toMatchObject({ status: 'UPDATED', id: reported.items[0].id });
    expect((await run('cbirc', VERIFY, { items: [step('F-1', 1)] })).items[0].status).toBe('UNCHANGED');
    // One step of two verified: still open. A verified report can no longer change.
    expect(await readFinding('bank', 'F-1')).toMatchObject({ status: 'OPEN', state: 'OPEN', closedOn: null, version: 1 });
    const late = await run('bank', REPORT, { items: [report('F-1', 1, { evidence: '改口' })] });
    expect(outcome(late.items[0])).toEqual({ status: 'REJECTED', code: 'CONFLICT', reason: 'STEP_VERIFIED', path: 'items[0]' });

    // A reported step cannot be reworded or dropped by the regulator either.
    const reword = await run('cbirc', FINDINGS, { items: [finding('F-1', { steps: [{ description: '另写一步' }, { description: '追责相关客户经理' }] })] });
    expect(outcome(reword.items[0])).toEqual({ status: 'REJECTED', code: 'CONFLICT', reason: 'STEP_IN_PROGRESS', path: 'items[0].steps[0].description' });

    await run('bank', REPORT, { items: [report('F-1', 2, { doneOn: '2020-08-15', evidence: '已处分2人' })] });
    expect((await readFinding('bank', 'F-1')).status).toBe('OPEN');
    await run('cbirc', VERIFY, { items: [step('F-1', 2)] });
    expect(await readFinding('bank', 'F-1')).toEqual({
      ref: 'F-1',
      status: 'CLOSED',
      state: 'CLOSED',
      closedOn: today(),
      version: 2,
      institution: { code: 'T-BANK' },
      steps: [
        { seq: 1, reportedDoneOn: '2020-08-01', evidence: '检查记录已补齐（附件3份）', verified: true, verifiedBy: { code: 'T-CBIRC' } },
        { seq: 2, reportedDoneOn: '2020-08-15', evidence: '已处分2人', verified: true, verifiedBy: { code: 'T-CBIRC' } },
      ],
    });
    // The same finding again is UNCHANGED; a change to a closed finding is CONFLICT.
    expect((await run('cbirc', FINDINGS, { items: [finding('F-1')] })).items[0]).toMatchObject({ status: 'UNCHANGED', version: 2 });
    const closed = await run('cbirc', FINDINGS, { items: [finding('F-1', { text: '再改' })] });
    expect(outcome(closed.items[0])).toEqual({ status: 'REJECTED', code: 'CONFLICT', reason: 'FINDING_CLOSED', path: 'items[0]' });

    const events = await world.sql(
      `SELECT ce.action, ce.county_code FROM change_event ce JOIN rectification_step st ON st.id = ce.record_id AND ce.record_type = 'RectificationStep'
         JOIN finding f ON f.id = st.finding_id WHERE f.ref = 'F-1' ORDER BY ce.id`,
    );
    expect(events).toEqual(Array(4).fill({ action: 'UPDATED', county_code: COUNTY }));
  });

  test('a county’s own findings are rectified by its government and no one else', async () => {
    await run('cbirc', FINDINGS, { items: [finding('F-GOV', { institutionCode: null, steps: [{ description: '完善风险补偿金管理办法' }] })] });
    for (const who of ['bank', 'government2']) {
      const answer = await run(who, REPORT, { items: [report('F-GOV', 1)] });
      expect(outcome(answer.items[0])).toEqual({ status: 'REJECTED', code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].findingRef' });
    }
    expect((await run('government', REPORT, { items: [report('F-GOV', 1)] })).items[0].status).toBe('UPDATED');
    await run('cbirc', VERIFY, { items: [step('F-GOV', 1)] });
    expect(await readFinding('government', 'F-GOV')).toMatchObject({ status: 'CLOSED', institution: null });
  });
});

// ---------------------------------------------------------------------------------------
// Overdue and progress (runs on the findings created above, plus its own)

describe('overdue findings and rectification progress', () => {
  const PROGRESS = /* GraphQL */ `query P($groupBy: RectificationGroupBy!, $area: AreaInput) {
    rectificationProgress(groupBy: $groupBy, area: $area) { asOf groupBy rows { countyCode institutionCode findings open overdue closed steps reported verified } }
  }`;
  const progress = async (who: string, groupBy: string, area?: Item) => (await world.data(who, PROGRESS, { groupBy, area })).rectificationProgress;

  beforeAll(async () => {
    await run('cbirc', FINDINGS, {
      items: [
        finding('F-LATE', { dueOn: '2020-06-30' }),
        finding('F-OTHER', { countyCode: OTHER_COUNTY, institutionCode: 'T-BANK-2', dueOn: '2020-09-30', steps: [{ description: '整改' }] }),
      ],
    });
    await run('bank', REPORT, { items: [report('F-LATE', 1)] });
  });

  test('a finding past its due date and not closed reads OVERDUE; the sweep lists it', async () => {
    expect(await readFinding('cbirc', 'F-LATE')).toMatchObject({ status: 'OPEN', state: 'OVERDUE' });
    const client = { query: async (text: string, values?: unknown[]) => ({ rows: await world.sql(text, values) }) } as unknown as TransactionClient;
    const overdue = await markOverdueFindings(client, '2020-07-31');
    expect(overdue.map((f) => [f.ref, f.daysOverdue])).toEqual([['F-LATE', 31]]);
    expect((await markOverdueFindings(client, '2020-12-31')).map((f) => f.ref)).toEqual(['F-LATE', 'F-OTHER']);
    // Closed findings never are: F-1 was due 2099 and closed anyway.
    expect((await markOverdueFindings(client, '2100-01-01')).map((f) => f.ref)).toEqual(['F-LATE', 'F-OTHER', 'F-V']);
  });

  test('per county and per institution, scoped like findings', async () => {
    // Findings of 望谟县: F-V (open, 3 steps), F-1 (closed, 2 verified), F-GOV (closed, 1 verified), F-LATE (overdue, 1 of 2 reported).
    const county = { countyCode: COUNTY, institutionCode: null, findings: 4, open: 1, overdue: 1, closed: 2, steps: 8, reported: 4, verified: 3 };
    const other = { countyCode: OTHER_COUNTY, institutionCode: null, findings: 1, open: 0, overdue: 1, closed: 0, steps: 1, reported: 0, verified: 0 };
    expect(await progress('cbirc', 'COUNTY')).toEqual({ asOf: today(), groupBy: 'COUNTY', rows: [other, county] });
    expect((await progress('cbirc', 'COUNTY', { code: COUNTY })).rows).toEqual([county]);
    expect((await progress('government', 'COUNTY')).rows).toEqual([county]);
    expect((await progress('cbirc', 'INSTITUTION')).rows).toEqual([
      { countyCode: null, institutionCode: 'T-BANK', findings: 3, open: 1, overdue: 1, closed: 1, steps: 7, reported: 3, verified: 2 },
      { countyCode: null, institutionCode: 'T-BANK-2', findings: 1, open: 0, overdue: 1, closed: 0, steps: 1, reported: 0, verified: 0 },
      { countyCode: null, institutionCode: null, findings: 1, open: 0, overdue: 0, closed: 1, steps: 1, reported: 1, verified: 1 },
    ]);
    // Each bank sees only its own findings, in the list and in the progress.
    expect((await progress('bank', 'INSTITUTION')).rows.map((r: Item) => r.institutionCode)).toEqual(['T-BANK']);
    expect((await progress('otherBank', 'COUNTY')).rows).toEqual([other]);
    expect((await progress('insurer', 'COUNTY')).rows).toEqual([]);
    expect((await progress('farRegulator', 'COUNTY')).rows).toEqual([]);
    const lists = await world.data('otherBank', `{ findings { totalCount nodes { ref } } }`);
    expect(lists.findings).toEqual({ totalCount: 1, nodes: [{ ref: 'F-OTHER' }] });
    expect(await readFinding('otherBank', 'F-1')).toBeNull();
  });

  test('bad areas are refused', async () => {
    for (const [area, field] of [
      [{ code: '5299' }, 'area.code'],
      [{ code: '52a' }, 'area.code'],
      [{ code: COUNTY, nation: true }, 'area'],
    ] as const) {
      const { body } = await world.gql('cbirc', PROGRESS, { groupBy: 'COUNTY', area });
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

// ---------------------------------------------------------------------------------------
// Replays (last: their records would change the counts above)

describe('batchId replays', () => {
  test('the same batch again answers the first call without applying anything; another payload is CONFLICT', async () => {
    const batches = [
      { who: 'pboc', query: RELENDING, items: [facility('RL-R1'), facility('RL-R2', { amount: '300000' })] },
      { who: 'cbirc', query: DISASTERS, items: [disaster('D-R1'), disaster('D-R2', { kind: 'HAIL' })] },
      { who: 'cbirc', query: FINDINGS, items: [finding('F-R1'), finding('F-R2', { institutionCode: null })] },
    ];
    for (const [i, { who, query, items }] of batches.entries()) {
      const first = await run(who, query, { batchId: `replay-${i}`, items });
      expect(first.items.map((item) => item.status)).toEqual(['CREATED', 'CREATED']);
      const events = await world.sql(`SELECT count(*)::int AS n FROM change_event`);
      const again = await run(who, query, { batchId: `replay-${i}`, items });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await world.sql(`SELECT count(*)::int AS n FROM change_event`)).toEqual(events);
      expect(await refusal(who, query, { batchId: `replay-${i}`, items: items.slice(1) })).toEqual({ code: 'CONFLICT', reason: 'BATCH_ID_REUSED' });
    }
  });
});
