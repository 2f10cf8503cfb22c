/**
 * `reportLoanPositions`, `recordRepayments` and `recordLoanModifications` over real
 * HTTP: versions of a re-reported month with `is_latest` moved, stale corrections,
 * concurrent writers, the integrity rules that reject (and another bank's loan being
 * indistinguishable from no loan), the classification floor that only warns, replays,
 * and provenance read back through the API.
 */
import './reset-orm-metadata';
import { useTestDatabase } from '../helpers';
import { ALL_ID_NUMBERS, COUNTY, gid, ID, placesHoldingIdNumbers, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

const mutation = (name: string, input: string) => /* GraphQL */ `
  mutation Run($input: ${input}!) { ${name}(input: $input) { ${RESULT_FIELDS} } }
`;
const UPSERT_LOANS = mutation('upsertLoans', 'UpsertLoansInput');
const POSITIONS = mutation('reportLoanPositions', 'ReportLoanPositionsInput');
const REPAYMENTS = mutation('recordRepayments', 'RecordRepaymentsInput');
const MODIFICATIONS = mutation('recordLoanModifications', 'RecordLoanModificationsInput');

type Item = Record<string, unknown>;

async function run(name: string, document: string, input: Record<string, unknown>, who = 'bank') {
  return (await world.data(who, document, { input }))[name];
}
const positions = (input: Record<string, unknown>, who = 'bank') => run('reportLoanPositions', POSITIONS, input, who);
const repayments = (input: Record<string, unknown>) => run('recordRepayments', REPAYMENTS, input);
const modifications = (input: Record<string, unknown>) => run('recordLoanModifications', MODIFICATIONS, input);

function position(loanRef: string, monthEnd: string, overrides: Item = {}): Item {
  return { loanRef, monthEnd, balance: '50000', overduePrincipal: '0', overdueDays: 0, fiveClass: 'NORMAL', ...overrides };
}

function accepted(index: number, ref: string, status: string, type: string, id: string, version: number | null, warnings: unknown[] = []) {
  return { index, ref, status, code: null, reason: null, path: null, message: null, id: gid(type, id), version, warnings };
}

function rejected(index: number, ref: string, code: string, reason: string, path: string | null, message: unknown = expect.any(String)) {
  return { index, ref, status: 'REJECTED', code, reason, path, message, id: null, version: null, warnings: [] };
}

const ids: Record<string, string> = {};

async function positionRows(loanRef: string, monthEnd: string) {
  return world.sql(
    `SELECT p.id::text AS id, p.version, p.is_latest, p.balance::text AS balance, b.external_id AS batch
       FROM loan_position p JOIN loan l ON l.id = p.loan_id JOIN ingest_batch b ON b.id = p.batch_id
      WHERE l.ref = $1 AND l.institution_id = $2 AND p.month_end = $3 ORDER BY p.version`,
    [loanRef, world.ids.bank, monthEnd],
  );
}

beforeAll(async () => {
  const loan = (ref: string) => ({
    ref,
    countyCode: COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower: { household: { headIdNumber: ID.known, villageCode: VILLAGE } },
    principal: '50000',
    disbursedOn: '2020-03-15',
    maturesOn: '2023-03-14',
    annualRate: '0.0435',
    guaranteeMode: 'CREDIT',
    paidToAccount: 'HOUSEHOLD',
  });
  const result = await run('upsertLoans', UPSERT_LOANS, { batchId: 'seed-loans', items: [loan('E-1'), loan('E-2'), loan('E-RACE')] });
  expect(result.counts.created).toBe(3);
  for (const ref of ['E-1', 'E-2', 'E-RACE']) {
    const [row] = await world.sql<{ id: string }>('SELECT id::text AS id FROM loan WHERE institution_id = $1 AND ref = $2', [world.ids.bank, ref]);
    ids[ref] = row.id;
  }
});

describe('month-end positions', () => {
  test('only banks report them', async () => {
    const { body } = await world.gql('insurer', POSITIONS, { input: { items: [position('E-1', '2020-03-31')] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('a first report creates version 1, read back with its provenance', async () => {
    const result = await positions({ batchId: 'pos-2020-04', items: [position('E-1', '2020-03-31'), position('E-1', '2020-04-30', { balance: '48000.00' })] });
    const [march] = await positionRows('E-1', '2020-03-31');
    const [april] = await positionRows('E-1', '2020-04-30');
    expect(result.items).toEqual([
      accepted(0, 'E-1@2020-03-31', 'CREATED', 'LoanPosition', march.id, 1),
      accepted(1, 'E-1@2020-04-30', 'CREATED', 'LoanPosition', april.id, 1),
    ]);
    const read = await world.data(
      'bank',
      `query($id: ID!) { node(id: $id) { ... on Loan { position(asOf: "2020-05-10") { monthEnd balance version provenance { sourceInstitution { code } batchId receivedAt } } } } }`,
      { id: gid('Loan', ids['E-1']) },
    );
    expect(read.node.position).toEqual({
      monthEnd: '2020-04-30',
      balance: '48000.00',
      version: 1,
      provenance: { sourceInstitution: { code: 'T-BANK' }, batchId: 'pos-2020-04', receivedAt: result.receivedAt },
    });
  });

  test('the same figures again are UNCHANGED; a re-reported month is a new version and is_latest moves', async () => {
    const [april] = await positionRows('E-1', '2020-04-30');
    const same = await positions({ batchId: 'pos-same', items: [position('E-1', '2020-04-30', { balance: '48000' })] });
    expect(same.items).toEqual([accepted(0, 'E-1@2020-04-30', 'UNCHANGED', 'LoanPosition', april.id, 1)]);

    const corrected = await positions({
      batchId: 'pos-2020-04-r2',
      items: [position('E-1', '2020-04-30', { balance: '47000', overduePrincipal: '1000', overdueDays: 10, fiveClass: 'SPECIAL_MENTION', version: 1 })],
    });
    const rows = await positionRows('E-1', '2020-04-30');
    expect(rows).toEqual([
      { id: april.id, version: 1, is_latest: false, balance: '48000.00', batch: 'pos-2020-04' },
      { id: expect.any(String), version: 2, is_latest: true, balance: '47000.00', batch: 'pos-2020-04-r2' },
    ]);
    expect(corrected.items).toEqual([accepted(0, 'E-1@2020-04-30', 'UPDATED', 'LoanPosition', rows[1].id, 2)]);

    // A correction based on the superseded version is stale.
    const stale = await positions({ batchId: 'pos-stale', items: [position('E-1', '2020-04-30', { balance: '46000', version: 1 })] });
    expect(stale.items).toEqual([
      rejected(0, 'E-1@2020-04-30', 'CONFLICT', 'STALE_VERSION', 'items[0].version', 'The item corrects version 1, but the position of E-1 for 2020-04-30 is at version 2'),
    ]);
    expect(await positionRows('E-1', '2020-04-30')).toHaveLength(2);
  });

  test('integrity rules reject; another bank’s loan is answered exactly like no loan', async () => {
    const before = await world.counts();
    const result = await positions({
      batchId: 'pos-bad',
      partial: true,
      items: [
        position('E-2', '2020-05-31', { balance: '50000.01' }),
        position('E-2', '2020-02-29'),
        position('E-2', '2020-05-15'),
        position('E-2', '2020-06-30', { balance: '100', overduePrincipal: '200' }),
        position('E-2', '2099-12-31'),
        position('E-2', '2020-07-31', { balance: '-1' }),
        position('E-2', '2020-08-31', { overdueDays: -3 }),
        position('OB-1', '2020-05-31'),
        position('NOPE-1', '2020-05-31'),
        position('E-2', '2020-09-30'),
        position('E-2', '2020-09-30', { balance: '1' }),
      ],
    });
    expect(result.items).toEqual([
      rejected(0, 'E-2@2020-05-31', 'BAD_USER_INPUT', 'ABOVE_PRINCIPAL', 'items[0].balance', 'balance exceeds the principal of loan E-2 (50000.00)'),
      rejected(1, 'E-2@2020-02-29', 'BAD_USER_INPUT', 'BEFORE_DISBURSEMENT', 'items[1].monthEnd'),
      rejected(2, 'E-2@2020-05-15', 'BAD_USER_INPUT', 'NOT_MONTH_END', 'items[2].monthEnd', 'monthEnd must be the last day of its month (2020-05-31)'),
      rejected(3, 'E-2@2020-06-30', 'BAD_USER_INPUT', 'ABOVE_BALANCE', 'items[3].overduePrincipal'),
      rejected(4, 'E-2@2099-12-31', 'BAD_USER_INPUT', 'IN_FUTURE', 'items[4].monthEnd'),
      rejected(5, 'E-2@2020-07-31', 'BAD_USER_INPUT', 'NEGATIVE', 'items[5].balance'),
      rejected(6, 'E-2@2020-08-31', 'BAD_USER_INPUT', 'OUT_OF_RANGE', 'items[6].overdueDays'),
      rejected(7, 'OB-1@2020-05-31', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[7].loanRef', 'loanRef: your institution has reported no loan OB-1'),
      rejected(8, 'NOPE-1@2020-05-31', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[8].loanRef', 'loanRef: your institution has reported no loan NOPE-1'),
      rejected(9, 'E-2@2020-09-30', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[9].loanRef'),
      rejected(10, 'E-2@2020-09-30', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[10].loanRef'),
    ]);
    const after = await world.counts();
    expect(after.loan_position).toBe(before.loan_position);
    // The other bank's loan is untouched.
    const [{ n }] = await world.sql<{ n: number }>('SELECT count(*)::int AS n FROM loan_position WHERE loan_id = $1', [world.ids.otherLoan]);
    expect(n).toBe(0);
  });

  test('a class better than its overdue days allow lands, with a warning', async () => {
    const result = await positions({ batchId: 'pos-floor', items: [position('E-2', '2020-10-31', { balance: '40000', overduePrincipal: '40000', overdueDays: 120, fiveClass: 'SPECIAL_MENTION' })] });
    expect(result.items[0]).toMatchObject({ status: 'CREATED', version: 1 });
    expect(result.items[0].warnings).toEqual([
      {
        code: 'CLASS_BETTER_THAN_FLOOR',
        path: 'items[0].fiveClass',
        message: 'SPECIAL_MENTION is better than SUBSTANDARD, the floor for 120 overdue days in force on 2020-10-31',
        parameter: 'classification.floor_days.substandard',
        limit: 'SUBSTANDARD',
        actual: 'SPECIAL_MENTION',
        inForceOn: '2020-10-31',
      },
    ]);
  });

  test('a repeated batch answers the first result again, applying nothing', async () => {
    const input = { batchId: 'pos-replay', partial: true, items: [position('E-2', '2020-11-30', { balance: '39000' }), position('NOPE-2', '2020-11-30')] };
    const first = await positions(input);
    expect(first.counts).toEqual({ created: 1, updated: 0, unchanged: 0, pendingLink: 0, rejected: 1 });
    const before = await world.counts();
    const again = await positions(input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await world.counts()).toEqual(before);
  });

  test('two corrections of the same month at once: one wins, the other is CONFLICT, one latest version', async () => {
    await positions({ batchId: 'race-base', items: [position('E-RACE', '2020-03-31')] });
    const [a, b] = await Promise.all([
      positions({ batchId: 'race-a', items: [position('E-RACE', '2020-03-31', { balance: '49000', version: 1 })] }),
      positions({ batchId: 'race-b', items: [position('E-RACE', '2020-03-31', { balance: '48000', version: 1 })] }),
    ]);
    expect([a, b].map((r) => `${r.items[0].status}:${r.items[0].reason}`).sort()).toEqual(['REJECTED:STALE_VERSION', 'UPDATED:null']);
    const rows = await positionRows('E-RACE', '2020-03-31');
    const winner = a.items[0].status === 'UPDATED' ? '49000.00' : '48000.00';
    expect(rows.map((r) => [r.version, r.is_latest, r.balance])).toEqual([
      [1, false, '50000.00'],
      [2, true, winner],
    ]);
  });
});

describe('repayments', () => {
  const repayment = (ref: string, overrides: Item = {}): Item => ({ ref, loanRef: 'E-1', paidOn: '2020-06-21', principal: '0', interest: '543.75', ...overrides });

  test('recorded once, UNCHANGED when sent again, never overwritten', async () => {
    const first = await repayments({ batchId: 'rep-1', items: [repayment('E-1-R001'), repayment('E-1-R002', { paidOn: '2020-09-21', principal: '10000' })] });
    const rows = await world.sql<{ id: string; ref: string }>(`SELECT id::text AS id, ref FROM repayment WHERE ref LIKE 'E-1-R%' ORDER BY ref`);
    expect(first.items).toEqual([accepted(0, 'E-1-R001', 'CREATED', 'Repayment', rows[0].id, null), accepted(1, 'E-1-R002', 'CREATED', 'Repayment', rows[1].id, null)]);

    const again = await repayments({ batchId: 'rep-2', partial: true, items: [repayment('E-1-R001', { interest: '543.750' }), repayment('E-1-R002', { paidOn: '2020-09-21', principal: '9000' })] });
    expect(again.items).toEqual([
      accepted(0, 'E-1-R001', 'UNCHANGED', 'Repayment', rows[0].id, null),
      rejected(1, 'E-1-R002', 'CONFLICT', 'RECORDED_DIFFERENTLY', 'items[1]', 'E-1-R002 is already recorded with other values; a recorded fact is not overwritten'),
    ]);
    const [kept] = await world.sql(`SELECT principal::text AS principal FROM repayment WHERE ref = 'E-1-R002'`);
    expect(kept).toEqual({ principal: '10000.00' });

    const read = await world.data('bank', `query($id: ID!) { node(id: $id) { ... on Repayment { ref paidOn principal interest provenance { sourceInstitution { code } batchId } } } }`, {
      id: gid('Repayment', rows[0].id),
    });
    expect(read.node).toEqual({ ref: 'E-1-R001', paidOn: '2020-06-21', principal: '0.00', interest: '543.75', provenance: { sourceInstitution: { code: 'T-BANK' }, batchId: 'rep-1' } });
  });

  test('integrity rules reject', async () => {
    const result = await repayments({
      batchId: 'rep-bad',
      partial: true,
      items: [
        repayment('R-EARLY', { paidOn: '2020-03-01' }),
        repayment('R-BIG', { principal: '60000' }),
        repayment('R-ZERO', { interest: '0' }),
        repayment('R-FLOAT', { interest: '0.001' }),
        repayment('R-OTHERS', { loanRef: 'OB-1' }),
      ],
    });
    expect(result.items).toEqual([
      rejected(0, 'R-EARLY', 'BAD_USER_INPUT', 'BEFORE_DISBURSEMENT', 'items[0].paidOn'),
      rejected(1, 'R-BIG', 'BAD_USER_INPUT', 'ABOVE_PRINCIPAL', 'items[1].principal'),
      rejected(2, 'R-ZERO', 'BAD_USER_INPUT', 'ZERO_REPAYMENT', 'items[2].principal'),
      rejected(3, 'R-FLOAT', 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'items[3].interest'),
      rejected(4, 'R-OTHERS', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[4].loanRef', 'loanRef: your institution has reported no loan OB-1'),
    ]);
  });
});

describe('loan modifications', () => {
  const modification = (ref: string, overrides: Item = {}): Item => ({
    ref,
    loanRef: 'E-1',
    kind: 'EPIDEMIC_DEFERRAL',
    effectiveOn: '2020-03-20',
    previousMaturesOn: '2023-03-14',
    newMaturesOn: '2023-09-14',
    disasterEventRef: 'COVID-19',
    classificationRelief: true,
    ...overrides,
  });

  test('recorded with its disaster, UNCHANGED when sent again; bad ones rejected', async () => {
    const first = await modifications({ batchId: 'mod-1', items: [modification('E-1-M1')] });
    const [row] = await world.sql<{ id: string; disaster: string }>(`SELECT id::text AS id, disaster_event_id::text AS disaster FROM loan_modification WHERE ref = 'E-1-M1'`);
    expect(row.disaster).toBe(world.ids.disaster);
    expect(first.items).toEqual([accepted(0, 'E-1-M1', 'CREATED', 'LoanModification', row.id, null)]);

    const result = await modifications({
      batchId: 'mod-2',
      partial: true,
      items: [
        modification('E-1-M1'),
        modification('M-DISASTER', { disasterEventRef: 'NO-SUCH-EVENT' }),
        modification('M-ORDER', { newMaturesOn: '2020-03-01' }),
        modification('M-SHORTER', { newMaturesOn: '2023-01-01' }),
        modification('M-EARLY', { effectiveOn: '2020-03-01' }),
      ],
    });
    expect(result.items).toEqual([
      accepted(0, 'E-1-M1', 'UNCHANGED', 'LoanModification', row.id, null),
      rejected(1, 'M-DISASTER', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[1].disasterEventRef', 'disasterEventRef: no disaster event NO-SUCH-EVENT'),
      rejected(2, 'M-ORDER', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[2].newMaturesOn', 'newMaturesOn must be after effectiveOn'),
      rejected(3, 'M-SHORTER', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[3].newMaturesOn', 'newMaturesOn must be after previousMaturesOn'),
      rejected(4, 'M-EARLY', 'BAD_USER_INPUT', 'BEFORE_DISBURSEMENT', 'items[4].effectiveOn'),
    ]);
  });
});

describe('the national ID number', () => {
  test('reached no table', async () => {
    expect(await placesHoldingIdNumbers(world, ALL_ID_NUMBERS)).toEqual([]);
  });
});
