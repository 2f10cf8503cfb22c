/**
 * `recordCompensations` over real HTTP: a guarantor's payments on its own guarantees,
 * recorded once and never overwritten, with recoveries appended later; the amounts and
 * dates they must respect; another guarantor's guarantee answered like a missing one.
 */
import './reset-orm-metadata';
import { useTestDatabase } from '../helpers';
import { COUNTY, ID, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

const COMPENSATIONS = /* GraphQL */ `
  mutation Run($input: RecordCompensationsInput!) { recordCompensations(input: $input) { ${RESULT_FIELDS} } }
`;
const GUARANTEES = /* GraphQL */ `
  mutation Run($input: UpsertGuaranteeContractsInput!) { upsertGuaranteeContracts(input: $input) { ${RESULT_FIELDS} } }
`;

type Item = Record<string, any>;

/** On the seeded G-RIGHT: 40,000 guaranteed from 2020-03-01. */
function compensation(ref: string, overrides: Item = {}): Item {
  return { ref, guaranteeRef: 'G-RIGHT', amount: '20000', paidOn: '2021-03-01', ...overrides };
}

async function record(input: Item, who = 'guarantor') {
  return (await world.data(who, COMPENSATIONS, { input })).recordCompensations;
}

const outcomes = (result: { items: Item[] }) => result.items.map((r) => [r.status, r.code, r.reason, r.path]);

beforeAll(async () => {
  const [other] = await world.sql(`INSERT INTO institution (code, name, kind, home_area_code) VALUES ('T-GUARANTOR-2', '黔西南州融资担保公司', 'GUARANTOR', '5223') RETURNING id::text AS id`);
  world.principals.otherGuarantor = { role: 'GUARANTOR', institutionId: other.id, institutionCode: 'T-GUARANTOR-2', areaCodes: [] };
  await world.data('otherGuarantor', GUARANTEES, {
    input: {
      batchId: 'other-g',
      items: [
        {
          ref: 'G-OTHERS',
          countyCode: COUNTY,
          borrower: { household: { headIdNumber: ID.fresh, villageCode: VILLAGE } },
          guaranteedAmount: '30000',
          feeRate: '0.008',
          guarantorShare: '0.8',
          bankShare: '0.2',
          governmentShare: '0',
          reguaranteeShare: '0',
          startsOn: '2020-04-01',
          endsOn: '2023-03-31',
        },
      ],
    },
  });
});

test('only guarantors record compensations', async () => {
  for (const who of ['bank', 'insurer', 'government']) {
    const { body } = await world.gql(who, COMPENSATIONS, { input: { items: [compensation('K-FORBIDDEN')] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  }
});

test('recorded once, unchanged again, recoveries appended, never overwritten; a replay answers alike', async () => {
  const created = await record({ batchId: 'k-1', items: [compensation('K-1')] });
  expect(created.items[0]).toEqual({
    index: 0,
    ref: 'K-1',
    status: 'CREATED',
    code: null,
    reason: null,
    path: null,
    message: null,
    id: expect.any(String),
    version: null,
    warnings: [],
  });
  const [row] = await world.sql(`SELECT amount::text, paid_on::text, county_code FROM compensation WHERE ref = 'K-1'`);
  expect(row).toEqual({ amount: '20000.00', paid_on: '2021-03-01', county_code: COUNTY });

  expect((await record({ batchId: 'k-2', items: [compensation('K-1', { amount: '20000.00' })] })).items[0].status).toBe('UNCHANGED');

  const withRecovery = { batchId: 'k-3', items: [compensation('K-1', { recoveries: [{ ref: 'R-1', amount: '5000', recoveredOn: '2021-06-30' }] })] };
  const recovered = await record(withRecovery);
  expect(recovered.items[0]).toMatchObject({ status: 'UPDATED', id: created.items[0].id });
  // The same batch again: replayed with the first answer, nothing applied twice.
  const replay = await record(withRecovery);
  expect(replay).toMatchObject({ replayed: true, committed: true });
  expect(replay.items[0]).toMatchObject({ status: 'UPDATED', id: created.items[0].id });
  // Recorded recoveries need not be sent again; a new one is added beside them.
  const second = await record({ batchId: 'k-4', items: [compensation('K-1', { recoveries: [{ ref: 'R-2', amount: '2500.50', recoveredOn: '2021-09-30' }] })] });
  expect(second.items[0].status).toBe('UPDATED');
  expect(await world.sql(`SELECT r.ref, r.amount::text FROM compensation_recovery r JOIN compensation c ON c.id = r.compensation_id WHERE c.ref = 'K-1' ORDER BY r.ref`)).toEqual([
    { ref: 'R-1', amount: '5000.00' },
    { ref: 'R-2', amount: '2500.50' },
  ]);
  expect(
    (await record({ batchId: 'k-5', items: [compensation('K-1', { recoveries: [{ ref: 'R-1', amount: '5000', recoveredOn: '2021-06-30' }] })] })).items[0].status,
  ).toBe('UNCHANGED');

  const changed = await record({
    batchId: 'k-6',
    partial: true,
    items: [
      compensation('K-1', { amount: '21000' }),
      // Partial: a new compensation beside the refused change still lands.
      compensation('K-1b', { amount: '1000' }),
    ],
  });
  expect(outcomes(changed)).toEqual([
    ['REJECTED', 'CONFLICT', 'RECORDED_DIFFERENTLY', 'items[0]'],
    ['CREATED', null, null, null],
  ]);
  const recoveryChanged = await record({ batchId: 'k-7', items: [compensation('K-1', { recoveries: [{ ref: 'R-1', amount: '4000', recoveredOn: '2021-06-30' }] })] });
  expect(outcomes(recoveryChanged)).toEqual([['REJECTED', 'CONFLICT', 'RECORDED_DIFFERENTLY', 'items[0].recoveries[0]']]);
  expect(await world.sql(`SELECT amount::text FROM compensation WHERE ref = 'K-1'`)).toEqual([{ amount: '20000.00' }]);

  const events = await world.sql(`SELECT action FROM change_event WHERE record_type = 'Compensation' ORDER BY id`);
  expect(events.map((e) => e.action)).toEqual(['CREATED', 'UPDATED', 'UPDATED', 'CREATED']);
});

test('integrity rules reject with the field path, and another guarantor’s guarantee is not found', async () => {
  const result = await record({
    batchId: 'k-bad',
    partial: true,
    items: [
      compensation('K-NEG', { amount: '-1' }),
      compensation('K-ZERO', { amount: '0' }),
      compensation('K-FLOAT', { amount: '100.001' }),
      compensation('K-EARLY', { paidOn: '2020-02-29' }),
      compensation('K-FUTURE', { paidOn: '2999-01-01' }),
      compensation('K-TOO-MUCH', { amount: '19000.01' }),
      compensation('K-REC-DATE', { amount: '100', recoveries: [{ ref: 'R-X', amount: '10', recoveredOn: '2021-02-28' }] }),
      compensation('K-REC-SUM', {
        amount: '100',
        recoveries: [
          { ref: 'R-A', amount: '60', recoveredOn: '2021-04-01' },
          { ref: 'R-B', amount: '40.01', recoveredOn: '2021-05-01' },
        ],
      }),
      compensation('K-REC-TWICE', {
        amount: '100',
        recoveries: [
          { ref: 'R-A', amount: '1', recoveredOn: '2021-04-01' },
          { ref: 'R-A', amount: '1', recoveredOn: '2021-04-01' },
        ],
      }),
      compensation('K-OTHERS', { guaranteeRef: 'G-OTHERS' }),
      compensation('K-NONE', { guaranteeRef: 'G-NO-SUCH' }),
      compensation('K-DUP', { amount: '10' }),
      compensation('K-DUP', { amount: '10' }),
    ],
  });
  expect(outcomes(result)).toEqual([
    ['REJECTED', 'BAD_USER_INPUT', 'NEGATIVE', 'items[0].amount'],
    ['REJECTED', 'BAD_USER_INPUT', 'NOT_POSITIVE', 'items[1].amount'],
    ['REJECTED', 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'items[2].amount'],
    ['REJECTED', 'BAD_USER_INPUT', 'BEFORE_COVER', 'items[3].paidOn'],
    ['REJECTED', 'BAD_USER_INPUT', 'IN_FUTURE', 'items[4].paidOn'],
    // 20,000 + 1,000 recorded above, 40,000 guaranteed.
    ['REJECTED', 'BAD_USER_INPUT', 'ABOVE_GUARANTEED', 'items[5].amount'],
    ['REJECTED', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[6].recoveries[0].recoveredOn'],
    ['REJECTED', 'BAD_USER_INPUT', 'RECOVERED_ABOVE_PAID', 'items[7].recoveries'],
    ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[8].recoveries[1].ref'],
    ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[9].guaranteeRef'],
    ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[10].guaranteeRef'],
    ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[11].ref'],
    ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[12].ref'],
  ]);
  expect(result.items[9].message.replace('G-OTHERS', 'X')).toBe(result.items[10].message.replace('G-NO-SUCH', 'X'));
  expect(await world.sql(`SELECT ref FROM compensation WHERE ref LIKE 'K-%' ORDER BY ref`)).toEqual([{ ref: 'K-1' }, { ref: 'K-1b' }]);
  expect(await world.sql(`SELECT count(*)::int AS n FROM compensation_recovery`)).toEqual([{ n: 2 }]);
});

test('all-or-nothing by default; a non-numeric amount is refused before execution', async () => {
  const result = await record({ batchId: 'k-aon', items: [compensation('K-AON-1', { amount: '10' }), compensation('K-AON-2', { amount: '10', paidOn: '2019-01-01' })] });
  expect(result.committed).toBe(false);
  expect(outcomes(result)).toEqual([
    ['REJECTED', 'BAD_USER_INPUT', 'BATCH_ROLLED_BACK', null],
    ['REJECTED', 'BAD_USER_INPUT', 'BEFORE_COVER', 'items[1].paidOn'],
  ]);
  for (const amount of [10.5, 'ten']) {
    const { status, body } = await world.gql('guarantor', COMPENSATIONS, { input: { items: [compensation('K-JSON', { amount })] } });
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
  }
  expect(await world.sql(`SELECT ref FROM compensation WHERE ref LIKE 'K-AON-%' OR ref = 'K-JSON'`)).toEqual([]);
});
