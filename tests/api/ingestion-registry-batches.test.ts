/**
 * The batch rules every government-side mutation shares, run against each of them over
 * real HTTP: duplicate references reject every item carrying them, a batch id replays
 * its first answer (with the records the first call wrote) and is CONFLICT with another
 * payload, all-or-nothing by default and partial on request.
 */
import './reset-orm-metadata';
import { syntheticNationalId } from '../../src/services/identity';
import { creditCodeCheckCharacter } from '../../src/services/ingestion';
import { useTestDatabase } from '../helpers';
import { COUNTY, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

type Item = Record<string, unknown>;
const creditCode = (first17: string) => first17 + creditCodeCheckCharacter(first17);
const ENTERPRISE = creditCode('93522326MA6DL0QR1');

interface Case {
  mutation: string;
  input: string;
  /** A valid item numbered `n` (a distinct reference per n). */
  item(n: number): Item;
  /** The same reference with other facts. */
  changed(n: number): Item;
  /** A rejected item numbered `n`. */
  bad(n: number): Item;
  /** What `changed` does to a recorded item: a new version, or (facts without versions) a refusal to overwrite. */
  onChange: 'UPDATED' | 'RECORDED_DIFFERENTLY';
}

const letters = (n: number) => String.fromCharCode(65 + Math.floor(n / 26) % 26) + String.fromCharCode(65 + (n % 26));

const CASES: Case[] = [
  {
    mutation: 'upsertHouseholds',
    input: 'UpsertHouseholdsInput',
    item: (n) => ({ ref: `R-${n}`, headIdNumber: syntheticNationalId('52', '1970-01-01', 500 + n), villageCode: VILLAGE, headName: '陈七', status: 'REGISTERED_POOR', statusSince: '2016-03-01' }),
    changed: (n) => ({ ref: `R-${n}`, headIdNumber: syntheticNationalId('52', '1970-01-01', 500 + n), villageCode: VILLAGE, headName: '陈七', status: 'MARGINAL', statusSince: '2019-06-30' }),
    bad: (n) => ({ ref: `R-${n}`, headIdNumber: '5299011980010112', villageCode: VILLAGE, headName: '陈七', status: 'REGISTERED_POOR', statusSince: '2016-03-01' }),
    onChange: 'UPDATED',
  },
  {
    mutation: 'upsertEnterprises',
    input: 'UpsertEnterprisesInput',
    item: (n) => ({ creditCode: creditCode(`93522326MA6DL1${letters(n)}1`), name: '合作社', kind: 'COOPERATIVE', countyCode: COUNTY, povertyDriving: true }),
    changed: (n) => ({ creditCode: creditCode(`93522326MA6DL1${letters(n)}1`), name: '合作社', kind: 'COOPERATIVE', countyCode: COUNTY, povertyDriving: false }),
    bad: (n) => ({ creditCode: creditCode(`93522326MA6DL1${letters(n)}1`), name: '合作社', kind: 'COOPERATIVE', countyCode: '999999', povertyDriving: true }),
    onChange: 'UPDATED',
  },
  {
    mutation: 'upsertServicePoints',
    input: 'UpsertServicePointsInput',
    item: (n) => ({ ref: `SP-${n}`, operatorCode: 'T-BANK', kind: 'AGENT', name: '服务点', villageCode: VILLAGE, openedOn: '2018-01-01' }),
    changed: (n) => ({ ref: `SP-${n}`, operatorCode: 'T-BANK', kind: 'ATM', name: '服务点', villageCode: VILLAGE, openedOn: '2018-01-01' }),
    bad: (n) => ({ ref: `SP-${n}`, operatorCode: 'T-BANK', kind: 'AGENT', name: '服务点', villageCode: VILLAGE, openedOn: '2018-01-01', closedOn: '2017-01-01' }),
    onChange: 'UPDATED',
  },
  {
    mutation: 'reportServicePointActivity',
    input: 'ReportServicePointActivityInput',
    item: (n) => ({ servicePointRef: 'SP-BASE', operatorCode: 'T-BANK', month: monthEnd(n), transactions: 10 }),
    changed: (n) => ({ servicePointRef: 'SP-BASE', operatorCode: 'T-BANK', month: monthEnd(n), transactions: 11 }),
    bad: (n) => ({ servicePointRef: 'SP-BASE', operatorCode: 'T-BANK', month: monthEnd(n), transactions: -1 }),
    onChange: 'RECORDED_DIFFERENTLY',
  },
  {
    mutation: 'upsertRiskCompensationFunds',
    input: 'UpsertRiskCompensationFundsInput',
    item: (n) => ({ ref: `RCF-${n}`, name: '风险补偿金', countyCode: COUNTY, capital: '1000000', leverageCap: '10', establishedOn: '2018-01-01' }),
    changed: (n) => ({ ref: `RCF-${n}`, name: '风险补偿金', countyCode: COUNTY, capital: '2000000', leverageCap: '10', establishedOn: '2018-01-01' }),
    bad: (n) => ({ ref: `RCF-${n}`, name: '风险补偿金', countyCode: COUNTY, capital: '-1', leverageCap: '10', establishedOn: '2018-01-01' }),
    onChange: 'UPDATED',
  },
  {
    mutation: 'recordFundMovements',
    input: 'RecordFundMovementsInput',
    item: (n) => ({ fundRef: 'RCF-522326', ref: `M-${n}`, kind: 'TOP_UP', amount: '100.00', occurredOn: '2019-01-01' }),
    changed: (n) => ({ fundRef: 'RCF-522326', ref: `M-${n}`, kind: 'TOP_UP', amount: '100.01', occurredOn: '2019-01-01' }),
    bad: (n) => ({ fundRef: 'RCF-522326', ref: `M-${n}`, kind: 'PAYOUT', amount: '99999999', occurredOn: '2019-01-01' }),
    onChange: 'RECORDED_DIFFERENTLY',
  },
  {
    mutation: 'recordDockingEvents',
    input: 'RecordDockingEventsInput',
    item: (n) => ({ ref: `D-${n}`, name: '对接会', countyCode: COUNTY, heldOn: '2020-03-20', projects: [{ ref: 'P', enterpriseCreditCode: ENTERPRISE, bankCode: 'T-BANK', requested: '10', signed: '5', disbursed: '5' }] }),
    changed: (n) => ({ ref: `D-${n}`, name: '对接会', countyCode: COUNTY, heldOn: '2020-03-21', projects: [] }),
    bad: (n) => ({ ref: `D-${n}`, name: '对接会', countyCode: COUNTY, heldOn: '2020-03-20', projects: [{ ref: 'P', enterpriseCreditCode: ENTERPRISE, bankCode: 'T-BANK', requested: '10', signed: '5', disbursed: '6' }] }),
    onChange: 'UPDATED',
  },
];

function monthEnd(n: number): string {
  const month = 1 + (n % 12);
  const year = 2019 + Math.floor(n / 12);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${last}`;
}

beforeAll(async () => {
  const point = await world.data('government', `mutation { upsertServicePoints(input: { items: [{ ref: "SP-BASE", operatorCode: "T-BANK", kind: AGENT, name: "服务点", villageCode: "${VILLAGE}", openedOn: "2018-01-01" }] }) { committed } }`);
  expect(point.upsertServicePoints.committed).toBe(true);
  const enterprise = await world.data(
    'government',
    `mutation { upsertEnterprises(input: { items: [{ creditCode: "${ENTERPRISE}", name: "合作社", kind: COOPERATIVE, countyCode: "${COUNTY}", povertyDriving: true }] }) { committed } }`,
  );
  expect(enterprise.upsertEnterprises.committed).toBe(true);
});

describe.each(CASES)('$mutation', (c) => {
  const query = /* GraphQL */ `mutation M($input: ${c.input}!) { ${c.mutation}(input: $input) { ${RESULT_FIELDS} } }`;
  const run = async (input: Item) => (await world.data('government', query, { input }))[c.mutation];

  test('duplicate references reject every item carrying them, and nothing is written', async () => {
    const before = await world.counts();
    const result = await run({ items: [c.item(1), c.item(2), c.item(1)] });
    expect(result.committed).toBe(false);
    expect(result.items.map((i: Item) => i.reason)).toEqual(['DUPLICATE_REF', 'BATCH_ROLLED_BACK', 'DUPLICATE_REF']);
    expect(await world.counts()).toEqual(before);
  });

  test('a batch id replays its first answer; another payload under it is CONFLICT and changes nothing', async () => {
    const input = { batchId: `${c.mutation}-replay`, items: [c.item(3), c.item(4)] };
    const first = await run(input);
    expect(first.items.map((i: Item) => i.status)).toEqual(['CREATED', 'CREATED']);
    const again = await run(input);
    expect(again).toEqual({ ...first, replayed: true });
    const before = await world.counts();
    const { body } = await world.gql('government', query, { input: { ...input, items: [c.changed(3), c.item(4)] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'BATCH_ID_REUSED' });
    expect(await world.counts()).toEqual(before);
    // Under a new batch id, the changed item is applied (a new version, or a refusal to overwrite a fact).
    const next = await run({ partial: true, items: [c.changed(3)] });
    if (c.onChange === 'UPDATED') expect(next.items[0]).toMatchObject({ status: 'UPDATED', version: 2 });
    else expect(next.items[0]).toMatchObject({ status: 'REJECTED', code: 'CONFLICT', reason: 'RECORDED_DIFFERENTLY' });
  });

  test('all-or-nothing by default; partial lands the valid items', async () => {
    const before = await world.counts();
    const all = await run({ items: [c.item(5), c.bad(6)] });
    expect(all.committed).toBe(false);
    expect(all.items.map((i: Item) => i.status)).toEqual(['REJECTED', 'REJECTED']);
    expect(await world.counts()).toEqual(before);
    const partial = await run({ partial: true, items: [c.item(5), c.bad(6)] });
    expect(partial).toMatchObject({ committed: true, counts: { created: 1, rejected: 1 } });
    expect(partial.items[1]).toMatchObject({ status: 'REJECTED', code: expect.any(String), path: expect.stringMatching(/^items\[1\]/) });
  });
});
