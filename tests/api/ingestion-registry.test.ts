/**
 * `upsertHouseholds`, `upsertServicePoints` and `reportServicePointActivity` over real
 * HTTP: a county government's registry (households named by the head's ID number, never
 * echoed or stored; status history appended; lender-created households adopted, not
 * duplicated), service points and their monthly activity, and another county's or
 * institution's records rejected exactly like records that do not exist.
 */
import './reset-orm-metadata';
import { decryptPii, matchHash, syntheticNationalId } from '../../src/services/identity';
import { useTestDatabase } from '../helpers';
import {
  ALL_ID_NUMBERS,
  COUNTY,
  gid,
  ID,
  KNOWN_HOUSEHOLD,
  matchKeyring,
  OTHER_COUNTY,
  OTHER_VILLAGE,
  piiKeyring,
  placesHoldingIdNumbers,
  RESULT_FIELDS,
  useIngestionWorld,
  VILLAGE,
} from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

beforeAll(async () => {
  // 晴隆县's government: a county government outside the world's county.
  const [row] = await world.sql<{ id: string }>(
    "INSERT INTO institution (code, name, kind, home_area_code) VALUES ('T-GOV-2', '晴隆县人民政府', 'GOVERNMENT', $1) RETURNING id::text AS id",
    [OTHER_COUNTY],
  );
  world.principals.otherGovernment = { role: 'GOVERNMENT', institutionId: row.id, institutionCode: 'T-GOV-2', areaCodes: [OTHER_COUNTY] };
});

const HOUSEHOLDS = /* GraphQL */ `
  mutation Households($input: UpsertHouseholdsInput!) { upsertHouseholds(input: $input) { ${RESULT_FIELDS} } }
`;
const POINTS = /* GraphQL */ `
  mutation Points($input: UpsertServicePointsInput!) { upsertServicePoints(input: $input) { ${RESULT_FIELDS} } }
`;
const ACTIVITY = /* GraphQL */ `
  mutation Activity($input: ReportServicePointActivityInput!) { reportServicePointActivity(input: $input) { ${RESULT_FIELDS} } }
`;

type Item = Record<string, unknown>;
let sequence = 100;
/** A fresh synthetic head's ID number, unknown to the hub. */
const freshId = (birth = '1975-05-05') => syntheticNationalId('52', birth, ++sequence);

function household(ref: string, headIdNumber: string, overrides: Item = {}): Item {
  return {
    ref,
    headIdNumber,
    villageCode: VILLAGE,
    headName: '王五',
    headPhone: '13800001111',
    status: 'REGISTERED_POOR',
    statusSince: '2016-03-01',
    registeredOn: '2016-03-01',
    attribute: 'GENERAL',
    size: 4,
    ...overrides,
  };
}

async function call(mutation: string, field: string, who: string, input: Item) {
  return (await world.data(who, mutation, { input }))[field];
}
const households = (who: string, input: Item) => call(HOUSEHOLDS, 'upsertHouseholds', who, input);
const points = (who: string, input: Item) => call(POINTS, 'upsertServicePoints', who, input);
const activity = (who: string, input: Item) => call(ACTIVITY, 'reportServicePointActivity', who, input);

function accepted(index: number, ref: string, status: string, id: string, version: number | null) {
  return { index, ref, status, code: null, reason: null, path: null, message: null, id, version, warnings: [] };
}
function rejected(index: number, ref: string, code: string, reason: string, path: string | null, message: unknown = expect.any(String)) {
  return { index, ref, status: 'REJECTED', code, reason, path, message, id: null, version: null, warnings: [] };
}

async function householdByRef(ref: string) {
  const [row] = await world.sql(
    `SELECT h.id::text AS id, h.ref, h.status, h.status_since::text AS status_since, h.exit_year, h.version, h.village_code, h.size, h.name_enc, h.phone_enc
       FROM household h WHERE h.ref = $1`,
    [ref],
  );
  return row;
}
async function statusHistory(householdId: string) {
  return world.sql('SELECT status, valid_from::text AS valid_from, exit_year FROM household_status_change WHERE household_id = $1 ORDER BY valid_from', [householdId]);
}
const householdRefOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').replace(/^Household:/, '');

describe('upsertHouseholds', () => {
  test.each(['bank', 'insurer', 'guarantor', 'regulator', 'analyst'])('%s is FORBIDDEN and nothing is written', async (who) => {
    const before = await world.counts();
    const { body } = await world.gql(who, HOUSEHOLDS, { input: { items: [household('R-FORBIDDEN', freshId())] } });
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(await world.counts()).toEqual(before);
  });

  test('a new household is created with its status history, identity and encrypted PII; the same item again is UNCHANGED', async () => {
    const idNumber = freshId();
    const first = await households('government', { batchId: 'hh-new', items: [household('R-001', idNumber)] });
    expect(first).toMatchObject({ kind: 'upsertHouseholds', committed: true, replayed: false, counts: { created: 1, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 } });
    const ref = householdRefOf(first.items[0].id);
    expect(first.items).toEqual([accepted(0, 'R-001', 'CREATED', gid('Household', ref), 1)]);

    const row = await householdByRef(ref);
    expect(row).toMatchObject({ status: 'REGISTERED_POOR', status_since: '2016-03-01', version: 1, village_code: VILLAGE, size: 4 });
    expect(decryptPii(piiKeyring, row.name_enc)).toBe('王五');
    expect(decryptPii(piiKeyring, row.phone_enc)).toBe('13800001111');
    expect(await statusHistory(row.id)).toEqual([{ status: 'REGISTERED_POOR', valid_from: '2016-03-01', exit_year: null }]);
    expect(await world.sql('SELECT count(*)::int AS n FROM household_identity WHERE household_id = $1 AND valid_to IS NULL', [row.id])).toEqual([{ n: 1 }]);

    const before = await world.counts();
    const again = await households('government', { batchId: 'hh-new-again', items: [household('R-001', idNumber)] });
    expect(again.items).toEqual([accepted(0, 'R-001', 'UNCHANGED', gid('Household', ref), 1)]);
    // Only the batch row is new.
    expect(await world.counts()).toEqual({ ...before, ingest_batch: before.ingest_batch + 1 });
    expect(await placesHoldingIdNumbers(world, [idNumber])).toEqual([]);
    // Neither the number nor its match hash is in any answer.
    const hash = matchHash(matchKeyring, idNumber).hash;
    for (const text of [JSON.stringify(first), JSON.stringify(again)]) {
      for (const secret of [idNumber, idNumber.slice(0, 17), hash.toString('hex'), hash.toString('base64'), hash.toString('base64url')]) expect(text).not.toContain(secret);
    }
  });

  test('two calls first registering one household at once make one household', async () => {
    const idNumber = freshId('1966-06-06');
    const before = await world.counts();
    const [a, b] = await Promise.all([
      households('government', { batchId: 'hh-race-a', items: [household('R-RACE', idNumber)] }),
      households('government', { batchId: 'hh-race-b', items: [household('R-RACE', idNumber)] }),
    ]);
    expect([a.items[0].status, b.items[0].status].sort()).toEqual(['CREATED', 'UNCHANGED']);
    expect(a.items[0].id).toBe(b.items[0].id);
    const after = await world.counts();
    expect(after.household).toBe(before.household + 1);
    expect(after.household_identity).toBe(before.household_identity + 1);
  });

  test('a changed status is appended to the history and becomes a new version; a stale version is CONFLICT', async () => {
    const idNumber = freshId();
    const created = await households('government', { items: [household('R-002', idNumber)] });
    const ref = householdRefOf(created.items[0].id);
    const lifted = await households('government', {
      items: [household('R-002', idNumber, { status: 'LIFTED_OUT', statusSince: '2019-12-31', exitYear: 2019, version: 1 })],
    });
    expect(lifted.items).toEqual([accepted(0, 'R-002', 'UPDATED', gid('Household', ref), 2)]);
    const row = await householdByRef(ref);
    expect(row).toMatchObject({ status: 'LIFTED_OUT', status_since: '2019-12-31', exit_year: 2019, version: 2 });
    expect(await statusHistory(row.id)).toEqual([
      { status: 'REGISTERED_POOR', valid_from: '2016-03-01', exit_year: null },
      { status: 'LIFTED_OUT', valid_from: '2019-12-31', exit_year: 2019 },
    ]);
    const versions = await world.sql("SELECT version, terms->>'status' AS status FROM record_version WHERE record_kind = 'HOUSEHOLD' AND record_id = $1 ORDER BY version", [row.id]);
    expect(versions).toEqual([
      { version: 1, status: 'REGISTERED_POOR' },
      { version: 2, status: 'LIFTED_OUT' },
    ]);

    const stale = await households('government', { items: [household('R-002', idNumber, { status: 'MARGINAL', statusSince: '2020-06-30', version: 1 })] });
    expect(stale).toMatchObject({ committed: false });
    expect(stale.items).toEqual([rejected(0, 'R-002', 'CONFLICT', 'STALE_VERSION', 'items[0].version', 'The item is based on version 1, but household R-002 is at version 2; read it again')]);

    // History is appended in date order, never rewritten.
    const backdated = await households('government', { items: [household('R-002', idNumber, { status: 'MARGINAL', statusSince: '2018-06-30' })] });
    expect(backdated.items[0]).toMatchObject({ status: 'REJECTED', code: 'CONFLICT', reason: 'STATUS_OUT_OF_ORDER', path: 'items[0].statusSince' });
    expect(await statusHistory(row.id)).toHaveLength(2);

    // A changed head's phone is a new version too, with nothing of the PII in its terms.
    const phone = await households('government', {
      items: [household('R-002', idNumber, { status: 'LIFTED_OUT', statusSince: '2019-12-31', exitYear: 2019, headPhone: '13900002222' })],
    });
    expect(phone.items).toEqual([accepted(0, 'R-002', 'UPDATED', gid('Household', ref), 3)]);
    expect(decryptPii(piiKeyring, (await householdByRef(ref)).phone_enc)).toBe('13900002222');
    expect(await world.sql("SELECT count(*)::int AS n FROM record_version WHERE record_kind = 'HOUSEHOLD' AND terms::text LIKE '%13900002222%'")).toEqual([{ n: 0 }]);
  });

  test('a household a lender first reported (status OTHER) is adopted, not duplicated', async () => {
    const idNumber = freshId('1988-08-08');
    const loan = await world.data(
      'bank',
      /* GraphQL */ `mutation L($input: UpsertLoansInput!) { upsertLoans(input: $input) { items { status } } }`,
      {
        input: {
          items: [
            {
              ref: 'L-ADOPT',
              countyCode: COUNTY,
              product: 'POVERTY_MICROCREDIT',
              borrower: { household: { headIdNumber: idNumber, villageCode: VILLAGE, headName: '赵六' } },
              principal: '30000',
              disbursedOn: '2020-03-15',
              maturesOn: '2022-03-14',
              annualRate: '0.0435',
              guaranteeMode: 'CREDIT',
              paidToAccount: 'HOUSEHOLD',
            },
          ],
        },
      },
    );
    expect(loan.upsertLoans.items).toEqual([{ status: 'CREATED' }]);
    const [lenders] = await world.sql("SELECT h.id::text AS id, h.ref FROM household h JOIN loan l ON l.household_id = h.id WHERE l.ref = 'L-ADOPT'");
    const before = await world.counts();

    const adopted = await households('government', { items: [household('R-003', idNumber, { headName: '赵六' })] });
    expect(adopted.items).toEqual([accepted(0, 'R-003', 'UPDATED', gid('Household', lenders.ref), 2)]);
    const after = await world.counts();
    expect(after.household).toBe(before.household);
    expect(after.household_identity).toBe(before.household_identity);
    expect(await householdByRef(lenders.ref)).toMatchObject({ status: 'REGISTERED_POOR', status_since: '2016-03-01', version: 2 });
    // The lender's "not in the registry" placeholder from 2020-03-15 is answered by the registry.
    expect(await statusHistory(lenders.id)).toEqual([{ status: 'REGISTERED_POOR', valid_from: '2016-03-01', exit_year: null }]);
  });

  test('the seeded registered household is matched by its head’s number', async () => {
    const result = await households('government', { items: [household('R-KNOWN', ID.known, { headName: '张三', headPhone: null })] });
    expect(result.items).toEqual([accepted(0, 'R-KNOWN', 'UPDATED', gid('Household', KNOWN_HOUSEHOLD), 2)]);
    expect(await householdByRef(KNOWN_HOUSEHOLD)).toMatchObject({ status: 'REGISTERED_POOR', status_since: '2016-03-01' });
  });

  test('another county: its villages are unknown and its households are not the caller’s to change', async () => {
    const before = await world.counts();
    const inOtherCounty = await households('government', { partial: true, items: [household('R-X1', freshId(), { villageCode: OTHER_VILLAGE })] });
    const nowhere = await households('government', { partial: true, items: [household('R-X1', freshId(), { villageCode: '522326999999' })] });
    const shape = (r: { items: Item[] }, code: string) => ({ ...r.items[0], message: (r.items[0].message as string).replace(code, '<code>') });
    expect(shape(inOtherCounty, OTHER_VILLAGE)).toEqual(shape(nowhere, '522326999999'));
    expect(inOtherCounty.items[0]).toMatchObject({ code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].villageCode' });

    // 晴隆县's government naming a household registered in 望谟县.
    const elsewhere = await households('otherGovernment', { items: [household('R-X2', ID.known, { villageCode: OTHER_VILLAGE })] });
    expect(elsewhere.items).toEqual([rejected(0, 'R-X2', 'CONFLICT', 'REGISTERED_ELSEWHERE', 'items[0].headIdNumber')]);
    // The two partial batches committed (with nothing in them); the all-or-nothing one did not.
    expect(await world.counts()).toEqual({ ...before, ingest_batch: before.ingest_batch + 2 });
    expect(await householdByRef(KNOWN_HOUSEHOLD)).toMatchObject({ village_code: VILLAGE });
  });

  test('malformed numbers, wrong check characters, impossible birth dates and unknown provinces are rejected without echoing the number', async () => {
    const before = await world.counts();
    const result = await households('government', {
      partial: true,
      items: [
        household('R-BAD-1', ID.malformed),
        household('R-BAD-2', ID.wrongCheck),
        household('R-BAD-3', ID.impossibleDate),
        household('R-BAD-4', ID.badProvince),
        household('R-BAD-5', freshId(), { exitYear: 2019 }),
        household('R-BAD-6', freshId(), { status: 'LIFTED_OUT', statusSince: '2019-12-31' }),
        household('R-BAD-7', freshId(), { size: 0 }),
        household(`R-${ID.fresh}`, freshId()),
      ],
    });
    expect(result.counts).toEqual({ created: 1, updated: 0, unchanged: 0, pendingLink: 0, rejected: 7 });
    expect(result.items.map((i: Item) => [i.status, i.reason, i.path])).toEqual([
      ['REJECTED', 'ID_FORMAT', 'items[0].headIdNumber'],
      ['REJECTED', 'ID_CHECK_CHARACTER', 'items[1].headIdNumber'],
      ['REJECTED', 'ID_BIRTH_DATE', 'items[2].headIdNumber'],
      ['REJECTED', 'ID_PROVINCE', 'items[3].headIdNumber'],
      ['CREATED', null, null],
      ['REJECTED', 'EXIT_YEAR_REQUIRED', 'items[5].exitYear'],
      ['REJECTED', 'OUT_OF_RANGE', 'items[6].size'],
      ['REJECTED', 'CONTAINS_ID_NUMBER', 'items[7].ref'],
    ]);
    expect(result.items[7].ref).toBe('(withheld: contains a national ID number)');
    const text = JSON.stringify(result);
    for (const number of ALL_ID_NUMBERS) expect(text).not.toContain(number.slice(0, 17));
    expect((await world.counts()).household).toBe(before.household + 1);
    expect(await placesHoldingIdNumbers(world, ALL_ID_NUMBERS)).toEqual([]);
  });

  test('duplicate refs, and one household under two refs, are rejected; all-or-nothing leaves nothing', async () => {
    const before = await world.counts();
    const idNumber = freshId();
    const dup = await households('government', { items: [household('R-DUP', freshId()), household('R-DUP', freshId())] });
    expect(dup.items.map((i: Item) => i.reason)).toEqual(['DUPLICATE_REF', 'DUPLICATE_REF']);
    const twice = await households('government', { items: [household('R-TWICE-A', idNumber), household('R-TWICE-B', idNumber)] });
    expect(twice).toMatchObject({ committed: false, counts: { rejected: 2 } });
    expect(twice.items[1]).toMatchObject({ status: 'REJECTED', reason: 'DUPLICATE_HOUSEHOLD', path: 'items[1].headIdNumber' });
    expect(twice.items[0]).toMatchObject({ status: 'REJECTED', reason: 'BATCH_ROLLED_BACK' });
    expect(await world.counts()).toEqual(before);
  });

  test('a batch id replays its first answer; with another payload it is CONFLICT', async () => {
    const idNumber = freshId();
    const input = { batchId: 'hh-replay', items: [household('R-REPLAY', idNumber)] };
    const first = await households('government', input);
    const again = await households('government', input);
    expect(again).toEqual({ ...first, replayed: true });
    const { body } = await world.gql('government', HOUSEHOLDS, { input: { batchId: 'hh-replay', items: [household('R-REPLAY', idNumber, { size: 5 })] } });
    expect(body.errors?.[0]).toMatchObject({ message: 'batchId hh-replay was already used with a different payload', extensions: { code: 'CONFLICT', reason: 'BATCH_ID_REUSED' } });
    expect(await householdByRef(householdRefOf(first.items[0].id))).toMatchObject({ size: 4 });
  });

  test('a landed household appears in the change feed', async () => {
    const created = await households('government', { batchId: 'hh-feed', items: [household('R-FEED', freshId())] });
    const row = await householdByRef(householdRefOf(created.items[0].id));
    expect(
      await world.sql(
        `SELECT e.record_type, e.action, e.county_code FROM change_event e JOIN ingest_batch b ON b.id = e.batch_id WHERE b.external_id = 'hh-feed' AND e.record_id = $1`,
        [row.id],
      ),
    ).toEqual([{ record_type: 'Household', action: 'CREATED', county_code: COUNTY }]);
  });
});

function point(ref: string, overrides: Item = {}): Item {
  return { ref, kind: 'AGENT', name: '纳夜村助农取款服务点', villageCode: VILLAGE, openedOn: '2018-05-01', ...overrides };
}

async function pointId(operator: string, ref: string): Promise<string> {
  const [row] = await world.sql<{ id: string }>('SELECT sp.id::text AS id FROM service_point sp JOIN institution i ON i.id = sp.institution_id WHERE i.code = $1 AND sp.ref = $2', [operator, ref]);
  return row.id;
}

describe('upsertServicePoints', () => {
  test.each(['insurer', 'guarantor', 'regulator', 'analyst'])('%s is FORBIDDEN', async (who) => {
    const { body } = await world.gql(who, POINTS, { input: { items: [point('SP-F')] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('a government reports a bank’s point in its county: created, unchanged, a new version, and a stale version is CONFLICT', async () => {
    const created = await points('government', { items: [point('SP-1', { operatorCode: 'T-BANK' })] });
    const id = await pointId('T-BANK', 'SP-1');
    expect(created.items).toEqual([accepted(0, 'T-BANK/SP-1', 'CREATED', gid('ServicePoint', id), 1)]);
    const same = await points('government', { items: [point('SP-1', { operatorCode: 'T-BANK' })] });
    expect(same.items).toEqual([accepted(0, 'T-BANK/SP-1', 'UNCHANGED', gid('ServicePoint', id), 1)]);
    // The bank that runs it sees the same point under its own reference.
    const closed = await points('bank', { items: [point('SP-1', { closedOn: '2020-06-30', version: 1 })] });
    expect(closed.items).toEqual([accepted(0, 'SP-1', 'UPDATED', gid('ServicePoint', id), 2)]);
    const stale = await points('government', { items: [point('SP-1', { operatorCode: 'T-BANK', name: '改名', version: 1 })] });
    expect(stale.items).toEqual([rejected(0, 'T-BANK/SP-1', 'CONFLICT', 'STALE_VERSION', 'items[0].version')]);
    expect(await world.sql("SELECT version, terms->>'closedOn' AS closed FROM record_version WHERE record_kind = 'SERVICE_POINT' AND record_id = $1 ORDER BY version", [id])).toEqual([
      { version: 1, closed: null },
      { version: 2, closed: '2020-06-30' },
    ]);
  });

  test('another institution’s or county’s point is rejected exactly like one that does not exist', async () => {
    await points('bank', { items: [point('SP-OWN')] });
    // A bank naming another operator.
    const foreign = await points('otherBank', { partial: true, items: [point('SP-OWN', { operatorCode: 'T-BANK', villageCode: OTHER_VILLAGE })] });
    const ghost = await points('otherBank', { partial: true, items: [point('SP-NONE', { operatorCode: 'T-BANK', villageCode: OTHER_VILLAGE })] });
    expect(foreign.items[0]).toEqual(rejected(0, 'T-BANK/SP-OWN', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[0].operatorCode', 'operatorCode: no service point SP-OWN of T-BANK you may report'));
    expect(ghost.items[0]).toEqual(rejected(0, 'T-BANK/SP-NONE', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[0].operatorCode', 'operatorCode: no service point SP-NONE of T-BANK you may report'));
    // Another county's government reporting activity of a point in 望谟县, and of one that does not exist.
    const hidden = await activity('otherGovernment', { partial: true, items: [{ servicePointRef: 'SP-OWN', operatorCode: 'T-BANK', month: '2020-01-31', transactions: 5 }] });
    const none = await activity('otherGovernment', { partial: true, items: [{ servicePointRef: 'SP-NONE', operatorCode: 'T-BANK', month: '2020-01-31', transactions: 5 }] });
    expect(hidden.items[0]).toEqual({ ...none.items[0], ref: hidden.items[0].ref, message: (none.items[0].message as string).replace('SP-NONE', 'SP-OWN') });
    expect(hidden.items[0]).toMatchObject({ code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].servicePointRef' });
    // A government outside its county.
    const outside = await points('otherGovernment', { partial: true, items: [point('SP-OUT', { operatorCode: 'T-BANK' })] });
    expect(outside.items[0]).toMatchObject({ code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].villageCode' });
  });

  test('bad input is rejected with its field', async () => {
    const result = await points('bank', {
      partial: true,
      items: [point('SP-B1', { closedOn: '2017-01-01' }), point('SP-B2', { villageCode: '5223' }), point('SP-B3', { name: '  ' }), point('SP-B3x', { openedOn: '2999-01-01' })],
    });
    expect(result.items.map((i: Item) => [i.reason, i.path])).toEqual([
      ['DATE_ORDER', 'items[0].closedOn'],
      ['INVALID_AREA_CODE', 'items[1].villageCode'],
      ['NAME_REQUIRED', 'items[2].name'],
      ['IN_FUTURE', 'items[3].openedOn'],
    ]);
  });
});

describe('reportServicePointActivity', () => {
  test('a month is created once, the same count is UNCHANGED, another count is CONFLICT and nothing is overwritten', async () => {
    await points('bank', { items: [point('SP-ACT')] });
    const id = await pointId('T-BANK', 'SP-ACT');
    const first = await activity('bank', { items: [{ servicePointRef: 'SP-ACT', month: '2020-01-31', transactions: 120 }] });
    expect(first.items).toEqual([accepted(0, 'SP-ACT@2020-01-31', 'CREATED', gid('ServicePoint', id), null)]);
    const same = await activity('government', { items: [{ servicePointRef: 'SP-ACT', operatorCode: 'T-BANK', month: '2020-01-31', transactions: 120 }] });
    expect(same.items[0]).toMatchObject({ status: 'UNCHANGED' });
    const other = await activity('bank', { items: [{ servicePointRef: 'SP-ACT', month: '2020-01-31', transactions: 121 }] });
    expect(other.items).toEqual([rejected(0, 'SP-ACT@2020-01-31', 'CONFLICT', 'RECORDED_DIFFERENTLY', 'items[0].transactions')]);
    expect(await world.sql('SELECT month::text AS month, transactions FROM service_point_activity WHERE service_point_id = $1', [id])).toEqual([{ month: '2020-01-31', transactions: 120 }]);
  });

  test('months that are not month ends, before opening, negative counts and non-integers are rejected', async () => {
    await points('bank', { items: [point('SP-ACT2')] });
    const result = await activity('bank', {
      partial: true,
      items: [
        { servicePointRef: 'SP-ACT2', month: '2020-01-30', transactions: 1 },
        { servicePointRef: 'SP-ACT2', month: '2018-01-31', transactions: 1 },
        { servicePointRef: 'SP-ACT2', month: '2020-02-29', transactions: -1 },
      ],
    });
    expect(result.items.map((i: Item) => [i.reason, i.path])).toEqual([
      ['NOT_MONTH_END', 'items[0].month'],
      ['BEFORE_OPENING', 'items[1].month'],
      ['OUT_OF_RANGE', 'items[2].transactions'],
    ]);
    const { body } = await world.gql('bank', ACTIVITY, { input: { items: [{ servicePointRef: 'SP-ACT2', month: '2020-02-29', transactions: 1.5 }] } });
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('an amount is stored exactly with its month, re-sent unchanged, and another amount (or none) is CONFLICT', async () => {
    await points('bank', { items: [point('SP-AMT')] });
    const id = await pointId('T-BANK', 'SP-AMT');
    const first = await activity('bank', {
      items: [
        { servicePointRef: 'SP-AMT', month: '2020-01-31', transactions: 120, amount: '36000.1' },
        { servicePointRef: 'SP-AMT', month: '2020-02-29', transactions: 0, amount: '0' },
        { servicePointRef: 'SP-AMT', month: '2020-03-31', transactions: 9 },
      ],
    });
    expect(first.items.map((i: Item) => i.status)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    const same = await activity('government', { items: [{ servicePointRef: 'SP-AMT', operatorCode: 'T-BANK', month: '2020-01-31', transactions: 120, amount: '36000.10' }] });
    expect(same.items[0]).toMatchObject({ status: 'UNCHANGED' });
    const changed = await activity('bank', {
      partial: true,
      items: [
        { servicePointRef: 'SP-AMT', month: '2020-01-31', transactions: 120, amount: '36000.11' },
        { servicePointRef: 'SP-AMT', month: '2020-03-31', transactions: 9, amount: '900' },
      ],
    });
    expect(changed.items.map((i: Item) => [i.status, i.reason, i.path])).toEqual([
      ['REJECTED', 'RECORDED_DIFFERENTLY', 'items[0].amount'],
      ['REJECTED', 'RECORDED_DIFFERENTLY', 'items[1].amount'],
    ]);
    const dropped = await activity('bank', { partial: true, items: [{ servicePointRef: 'SP-AMT', month: '2020-01-31', transactions: 120 }] });
    expect(dropped.items).toEqual([rejected(0, 'SP-AMT@2020-01-31', 'CONFLICT', 'RECORDED_DIFFERENTLY', 'items[0].amount')]);
    expect(await world.sql('SELECT month::text AS month, transactions, amount::text AS amount FROM service_point_activity WHERE service_point_id = $1 ORDER BY month', [id])).toEqual([
      { month: '2020-01-31', transactions: 120, amount: '36000.10' },
      { month: '2020-02-29', transactions: 0, amount: '0.00' },
      { month: '2020-03-31', transactions: 9, amount: null },
    ]);
  });

  test('amounts that are negative, have more than 2 decimals, are too large or not decimals are rejected and write nothing', async () => {
    await points('bank', { items: [point('SP-AMT2')] });
    const result = await activity('bank', {
      partial: true,
      items: [
        { servicePointRef: 'SP-AMT2', month: '2020-01-31', transactions: 1, amount: '-1' },
        { servicePointRef: 'SP-AMT2', month: '2020-02-29', transactions: 1, amount: '10.005' },
        { servicePointRef: 'SP-AMT2', month: '2020-04-30', transactions: 1, amount: '12345678901234567' },
      ],
    });
    expect(result.items.map((i: Item) => [i.reason, i.path])).toEqual([
      ['NEGATIVE', 'items[0].amount'],
      ['TOO_MANY_DECIMALS', 'items[1].amount'],
      ['OUT_OF_RANGE', 'items[2].amount'],
    ]);
    // Not a decimal string at all: the Decimal scalar refuses the whole operation.
    const { body } = await world.gql('bank', ACTIVITY, { input: { items: [{ servicePointRef: 'SP-AMT2', month: '2020-03-31', transactions: 1, amount: '1e3' }] } });
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await world.sql('SELECT count(*)::int AS n FROM service_point_activity WHERE service_point_id = $1', [await pointId('T-BANK', 'SP-AMT2')])).toEqual([{ n: 0 }]);
  });
});
