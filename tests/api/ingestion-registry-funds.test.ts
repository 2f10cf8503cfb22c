/**
 * `upsertEnterprises`, `upsertRiskCompensationFunds`, `recordFundMovements` and
 * `recordDockingEvents` over real HTTP: versions and UNCHANGED, stale versions, exact
 * money (negative, non-numeric and float amounts refused), a fund's balance never below
 * zero, and another county's or institution's records rejected exactly like records
 * that do not exist.
 */
import './reset-orm-metadata';
import { creditCodeCheckCharacter } from '../../src/services/ingestion';
import { useTestDatabase } from '../helpers';
import { COUNTY, gid, ID, OTHER_COUNTY, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

beforeAll(async () => {
  const [row] = await world.sql<{ id: string }>(
    "INSERT INTO institution (code, name, kind, home_area_code) VALUES ('T-GOV-2', '晴隆县人民政府', 'GOVERNMENT', $1) RETURNING id::text AS id",
    [OTHER_COUNTY],
  );
  world.principals.otherGovernment = { role: 'GOVERNMENT', institutionId: row.id, institutionCode: 'T-GOV-2', areaCodes: [OTHER_COUNTY] };
});

const mutation = (name: string, input: string) => /* GraphQL */ `mutation M($input: ${input}!) { ${name}(input: $input) { ${RESULT_FIELDS} } }`;
const ENTERPRISES = mutation('upsertEnterprises', 'UpsertEnterprisesInput');
const FUNDS = mutation('upsertRiskCompensationFunds', 'UpsertRiskCompensationFundsInput');
const MOVEMENTS = mutation('recordFundMovements', 'RecordFundMovementsInput');
const DOCKING = mutation('recordDockingEvents', 'RecordDockingEventsInput');
const LOANS = mutation('upsertLoans', 'UpsertLoansInput');

type Item = Record<string, unknown>;
const run = async (query: string, who: string, input: Item) => Object.values(await world.data(who, query, { input }))[0] as any;

function accepted(index: number, ref: string, status: string, id: string, version: number | null) {
  return { index, ref, status, code: null, reason: null, path: null, message: null, id, version, warnings: [] };
}
function rejected(index: number, ref: string, code: string, reason: string, path: string | null, message: unknown = expect.any(String)) {
  return { index, ref, status: 'REJECTED', code, reason, path, message, id: null, version: null, warnings: [] };
}
const creditCode = (first17: string) => first17 + creditCodeCheckCharacter(first17);
const ENTERPRISE = creditCode('93522326MA6DL0AB1');

function enterprise(code: string, overrides: Item = {}): Item {
  return {
    creditCode: code,
    name: '望谟县板栗种植专业合作社',
    kind: 'COOPERATIVE',
    countyCode: COUNTY,
    villageCode: VILLAGE,
    povertyDriving: true,
    linkages: [
      { mode: 'EMPLOYMENT', households: 12, asOf: '2020-01-31' },
      { mode: 'DIVIDEND', households: 40, asOf: '2020-01-31' },
    ],
    ...overrides,
  };
}

function loan(ref: string, borrower: Item, overrides: Item = {}): Item {
  return {
    ref,
    countyCode: COUNTY,
    product: 'INDUSTRIAL',
    borrower,
    principal: '500000',
    disbursedOn: '2020-04-01',
    maturesOn: '2022-03-31',
    annualRate: '0.0475',
    guaranteeMode: 'CREDIT',
    paidToAccount: 'COOPERATIVE',
    ...overrides,
  };
}

async function idOf(table: string, where: string, values: unknown[]): Promise<string> {
  const [row] = await world.sql<{ id: string }>(`SELECT id::text AS id FROM ${table} WHERE ${where}`, values);
  return row.id;
}

describe('upsertEnterprises', () => {
  test.each(['bank', 'insurer', 'regulator'])('%s is FORBIDDEN', async (who) => {
    const { body } = await world.gql(who, ENTERPRISES, { input: { items: [enterprise(ENTERPRISE)] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('created with its linkages, UNCHANGED again, a corrected count is a new version, a stale version is CONFLICT', async () => {
    const created = await run(ENTERPRISES, 'government', { items: [enterprise(ENTERPRISE)] });
    expect(created.items).toEqual([accepted(0, ENTERPRISE, 'CREATED', gid('Enterprise', ENTERPRISE), 1)]);
    const id = await idOf('enterprise', 'credit_code = $1', [ENTERPRISE]);
    expect(await world.sql('SELECT mode, households, as_of::text AS as_of FROM enterprise_linkage WHERE enterprise_id = $1 ORDER BY mode', [id])).toEqual([
      { mode: 'DIVIDEND', households: 40, as_of: '2020-01-31' },
      { mode: 'EMPLOYMENT', households: 12, as_of: '2020-01-31' },
    ]);
    const same = await run(ENTERPRISES, 'government', { items: [enterprise(ENTERPRISE)] });
    expect(same.items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
    // A new month's linkages only: the earlier month stays, and the version moves.
    const feb = await run(ENTERPRISES, 'government', {
      items: [enterprise(ENTERPRISE, { linkages: [{ mode: 'EMPLOYMENT', households: 15, asOf: '2020-02-29' }], version: 1 })],
    });
    expect(feb.items).toEqual([accepted(0, ENTERPRISE, 'UPDATED', gid('Enterprise', ENTERPRISE), 2)]);
    const corrected = await run(ENTERPRISES, 'government', { items: [enterprise(ENTERPRISE, { linkages: [{ mode: 'EMPLOYMENT', households: 13, asOf: '2020-01-31' }] })] });
    expect(corrected.items[0]).toMatchObject({ status: 'UPDATED', version: 3 });
    const history = await world.sql<{ version: number; linkages: unknown }>(
      "SELECT version, terms->'linkages' AS linkages FROM record_version WHERE record_kind = 'ENTERPRISE' AND record_id = $1 ORDER BY version",
      [id],
    );
    expect(history.map((h) => h.version)).toEqual([1, 2, 3]);
    expect(history[1].linkages).toContainEqual({ mode: 'EMPLOYMENT', asOf: '2020-01-31', households: 12 });
    expect(history[2].linkages).toContainEqual({ mode: 'EMPLOYMENT', asOf: '2020-01-31', households: 13 });
    const stale = await run(ENTERPRISES, 'government', { items: [enterprise(ENTERPRISE, { name: '改名合作社', version: 2 })] });
    expect(stale.items).toEqual([rejected(0, ENTERPRISE, 'CONFLICT', 'STALE_VERSION', 'items[0].version')]);
  });

  test('an enterprise a bank first named is adopted, not duplicated', async () => {
    const code = creditCode('91522326MA6DL0CD1');
    await run(LOANS, 'bank', { items: [loan('L-ENT-1', { enterprise: { creditCode: code, name: '某公司', kind: 'COMPANY' } })] });
    const adopted = await run(ENTERPRISES, 'government', { items: [enterprise(code, { name: '望谟县某农业开发有限公司', kind: 'COMPANY' })] });
    expect(adopted.items).toEqual([accepted(0, code, 'UPDATED', gid('Enterprise', code), 2)]);
    expect(await world.sql('SELECT name, poverty_driving FROM enterprise WHERE credit_code = $1', [code])).toEqual([{ name: '望谟县某农业开发有限公司', poverty_driving: true }]);
  });

  test('bad codes, another county’s enterprise and out-of-scope areas are rejected', async () => {
    const wrongCheck = ENTERPRISE.slice(0, 17) + (ENTERPRISE[17] === '0' ? '1' : '0');
    const result = await run(ENTERPRISES, 'otherGovernment', {
      partial: true,
      items: [
        enterprise(wrongCheck),
        enterprise(ENTERPRISE, { countyCode: OTHER_COUNTY, villageCode: null }),
        enterprise(creditCode('93522326MA6DL0EF1')),
        enterprise(creditCode('93522324MA6DL0GH1'), { countyCode: OTHER_COUNTY, villageCode: null, linkages: [{ mode: 'EMPLOYMENT', households: -1, asOf: '2020-01-31' }] }),
      ],
    });
    expect(result.items.map((i: Item) => [i.code, i.reason, i.path])).toEqual([
      ['BAD_USER_INPUT', 'CREDIT_CODE_CHECK_CHARACTER', 'items[0].creditCode'],
      ['CONFLICT', 'REGISTERED_ELSEWHERE', 'items[1].creditCode'],
      ['NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[2].countyCode'],
      ['BAD_USER_INPUT', 'OUT_OF_RANGE', 'items[3].linkages[0].households'],
    ]);
  });
});

function fund(ref: string, overrides: Item = {}): Item {
  return {
    ref,
    name: '望谟县产业扶贫贷款风险补偿金',
    countyCode: COUNTY,
    capital: '5000000.00',
    leverageCap: '8',
    establishedOn: '2018-01-01',
    agreements: [
      { bankCode: 'T-BANK', fundShare: '0.7', bankShare: '0.3', validFrom: '2018-01-01' },
      { bankCode: 'T-BANK-2', fundShare: '0.8', bankShare: '0.2', leverageCap: '5', validFrom: '2018-01-01' },
    ],
    ...overrides,
  };
}

describe('upsertRiskCompensationFunds', () => {
  test('bank is FORBIDDEN', async () => {
    const { body } = await world.gql('bank', FUNDS, { input: { items: [fund('RCF-F')] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('created with its agreements, UNCHANGED again, a new version, a stale version is CONFLICT', async () => {
    const created = await run(FUNDS, 'government', { items: [fund('RCF-1')] });
    const id = await idOf('risk_compensation_fund', 'ref = $1', ['RCF-1']);
    expect(created.items).toEqual([accepted(0, 'RCF-1', 'CREATED', gid('RiskCompensationFund', id), 1)]);
    const agreements = () =>
      world.sql(
        'SELECT i.code, a.fund_share::text AS fund_share, a.bank_share::text AS bank_share, a.leverage_cap::text AS cap FROM fund_bank_agreement a JOIN institution i ON i.id = a.bank_id WHERE a.fund_id = $1 ORDER BY i.code',
        [id],
      );
    expect(await agreements()).toEqual([
      { code: 'T-BANK', fund_share: '0.700000', bank_share: '0.300000', cap: null },
      { code: 'T-BANK-2', fund_share: '0.800000', bank_share: '0.200000', cap: '5.0000' },
    ]);
    // "5000000" and "5000000.00" are the same money.
    expect((await run(FUNDS, 'government', { items: [fund('RCF-1', { capital: '5000000' })] })).items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
    const changed = await run(FUNDS, 'government', {
      items: [fund('RCF-1', { capital: '6000000.00', agreements: [{ bankCode: 'T-BANK', fundShare: '0.8', bankShare: '0.2', validFrom: '2018-01-01' }], version: 1 })],
    });
    expect(changed.items).toEqual([accepted(0, 'RCF-1', 'UPDATED', gid('RiskCompensationFund', id), 2)]);
    expect(await agreements()).toEqual([{ code: 'T-BANK', fund_share: '0.800000', bank_share: '0.200000', cap: null }]);
    const [v1] = await world.sql("SELECT terms FROM record_version WHERE record_kind = 'RISK_COMPENSATION_FUND' AND record_id = $1 AND version = 1", [id]);
    expect(v1.terms.agreements).toHaveLength(2);
    expect(v1.terms.capital).toBe('5000000.00');
    const stale = await run(FUNDS, 'government', { items: [fund('RCF-1', { capital: '7000000', version: 1 })] });
    expect(stale.items).toEqual([rejected(0, 'RCF-1', 'CONFLICT', 'STALE_VERSION', 'items[0].version')]);
  });

  test('money must be exact, shares sum to 1, caps be tighter, banks and counties known', async () => {
    const before = await world.counts();
    const result = await run(FUNDS, 'government', {
      items: [
        fund('RCF-B1', { capital: '-1' }),
        fund('RCF-B2', { capital: '1000.005' }),
        fund('RCF-B3', { leverageCap: '0' }),
        fund('RCF-B4', { agreements: [{ bankCode: 'T-BANK', fundShare: '0.7', bankShare: '0.4', validFrom: '2018-01-01' }] }),
        fund('RCF-B5', { agreements: [{ bankCode: 'T-BANK', fundShare: '0.7', bankShare: '0.3', leverageCap: '9', validFrom: '2018-01-01' }] }),
        fund('RCF-B6', { agreements: [{ bankCode: 'NO-SUCH', fundShare: '0.7', bankShare: '0.3', validFrom: '2018-01-01' }] }),
        fund('RCF-B7', { countyCode: OTHER_COUNTY }),
        fund('RCF-B8', { countyCode: '529999' }),
        fund('RCF-B9'),
      ],
    });
    expect(result.committed).toBe(false);
    expect(result.items.map((i: Item) => [i.reason, i.path])).toEqual([
      ['NEGATIVE', 'items[0].capital'],
      ['TOO_MANY_DECIMALS', 'items[1].capital'],
      ['NOT_POSITIVE', 'items[2].leverageCap'],
      ['SHARES_NOT_ONE', 'items[3].agreements[0].bankShare'],
      ['ABOVE_FUND_CAP', 'items[4].agreements[0].leverageCap'],
      ['UNKNOWN_REFERENCE', 'items[5].agreements[0].bankCode'],
      ['UNKNOWN_REFERENCE', 'items[6].countyCode'],
      ['UNKNOWN_REFERENCE', 'items[7].countyCode'],
      ['BATCH_ROLLED_BACK', null],
    ]);
    // Another county reads exactly like a county that does not exist.
    expect(result.items[6].message.replace(OTHER_COUNTY, 'X')).toBe(result.items[7].message.replace('529999', 'X'));
    expect(await world.counts()).toEqual(before);
    // A float, or text that is no number, where a decimal string is expected never reaches the service.
    for (const capital of [1000.5, 'lots', '1e6']) {
      const { body } = await world.gql('government', FUNDS, { input: { items: [fund('RCF-FLOAT', { capital })] } });
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await world.counts()).toEqual(before);
  });

  test('the same batch id with another payload is CONFLICT', async () => {
    await run(FUNDS, 'government', { batchId: 'funds-1', items: [fund('RCF-R')] });
    const { body } = await world.gql('government', FUNDS, { input: { batchId: 'funds-1', items: [fund('RCF-R', { capital: '1' })] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'BATCH_ID_REUSED' });
  });
});

describe('recordFundMovements', () => {
  const move = (ref: string, overrides: Item = {}): Item => ({ fundRef: 'RCF-M', ref, kind: 'TOP_UP', amount: '1000000.00', occurredOn: '2018-01-10', ...overrides });

  test('movements are exact facts: created, UNCHANGED again, never overwritten, and the balance never below zero', async () => {
    await run(FUNDS, 'government', { items: [fund('RCF-M')] });
    const fundId = await idOf('risk_compensation_fund', 'ref = $1', ['RCF-M']);
    const top = await run(MOVEMENTS, 'government', { items: [move('M-1')] });
    expect(top.items).toEqual([accepted(0, 'RCF-M/M-1', 'CREATED', gid('RiskCompensationFund', fundId), null)]);
    expect((await run(MOVEMENTS, 'government', { items: [move('M-1', { amount: '1000000' })] })).items[0]).toMatchObject({ status: 'UNCHANGED' });
    const other = await run(MOVEMENTS, 'government', { items: [move('M-1', { amount: '999999.99' })] });
    expect(other.items).toEqual([rejected(0, 'RCF-M/M-1', 'CONFLICT', 'RECORDED_DIFFERENTLY', 'items[0].ref')]);

    // Paying out exactly the balance is fine; one fen more is not.
    const exact = await run(MOVEMENTS, 'government', { items: [move('M-2', { kind: 'PAYOUT', amount: '999999.99', occurredOn: '2019-06-30' })] });
    expect(exact.items[0]).toMatchObject({ status: 'CREATED' });
    const over = await run(MOVEMENTS, 'government', { items: [move('M-3', { kind: 'WITHDRAWAL', amount: '0.02', occurredOn: '2019-07-01' })] });
    expect(over.items).toEqual([rejected(0, 'RCF-M/M-3', 'BAD_USER_INPUT', 'FUND_OVERDRAWN', 'items[0].amount')]);
    // A back-dated payout that would overdraw an earlier date is refused even if a later top-up covers it.
    const later = await run(MOVEMENTS, 'government', {
      items: [move('M-4', { amount: '500000', occurredOn: '2020-01-10' }), move('M-5', { kind: 'PAYOUT', amount: '100', occurredOn: '2019-12-31' })],
    });
    expect(later.items.map((i: Item) => i.reason)).toEqual(['BATCH_ROLLED_BACK', 'FUND_OVERDRAWN']);
    expect(await world.sql('SELECT ref, kind, amount::text AS amount FROM fund_movement WHERE fund_id = $1 ORDER BY ref', [fundId])).toEqual([
      { ref: 'M-1', kind: 'TOP_UP', amount: '1000000.00' },
      { ref: 'M-2', kind: 'PAYOUT', amount: '999999.99' },
    ]);
  });

  test('bad amounts, another government’s fund and another county’s loan are rejected like what does not exist', async () => {
    await run(FUNDS, 'government', { items: [fund('RCF-N')] });
    await run(MOVEMENTS, 'government', { items: [move('N-0', { fundRef: 'RCF-N' })] });
    // A fund sharing losses with the other bank only.
    await run(FUNDS, 'government', { items: [fund('RCF-NOAGREE', { agreements: [{ bankCode: 'T-BANK-2', fundShare: '0.5', bankShare: '0.5', validFrom: '2018-01-01' }] })] });
    await run(MOVEMENTS, 'government', { items: [move('NA-0', { fundRef: 'RCF-NOAGREE' })] });
    await run(LOANS, 'bank', { items: [loan('L-DEFAULT', { household: { headIdNumber: ID.known, villageCode: VILLAGE } }, { product: 'POVERTY_MICROCREDIT', principal: '50000', paidToAccount: 'HOUSEHOLD' })] });
    const result = await run(MOVEMENTS, 'government', {
      partial: true,
      items: [
        move('N-1', { fundRef: 'RCF-N', amount: '0' }),
        move('N-2', { fundRef: 'RCF-N', amount: '-5' }),
        move('N-3', { fundRef: 'RCF-N', amount: '12.345' }),
        move('N-4', { fundRef: 'RCF-N', kind: 'PAYOUT', amount: '100', occurredOn: '2020-05-01', loan: { bankCode: 'T-BANK-2', loanRef: 'OB-1' } }),
        move('N-5', { fundRef: 'RCF-N', kind: 'PAYOUT', amount: '100', occurredOn: '2020-05-01', loan: { bankCode: 'T-BANK-2', loanRef: 'OB-NONE' } }),
        move('N-6', { fundRef: 'RCF-N', kind: 'PAYOUT', amount: '35000', occurredOn: '2020-05-01', loan: { bankCode: 'T-BANK', loanRef: 'L-DEFAULT' } }),
        move('N-8', { fundRef: 'RCF-NOAGREE', kind: 'PAYOUT', amount: '10', occurredOn: '2020-05-01', loan: { bankCode: 'T-BANK', loanRef: 'L-DEFAULT' } }),
      ],
    });
    expect(result.items.map((i: Item) => [i.status, i.reason, i.path])).toEqual([
      ['REJECTED', 'NOT_POSITIVE', 'items[0].amount'],
      ['REJECTED', 'NEGATIVE', 'items[1].amount'],
      ['REJECTED', 'TOO_MANY_DECIMALS', 'items[2].amount'],
      ['REJECTED', 'UNKNOWN_REFERENCE', 'items[3].loan.loanRef'],
      ['REJECTED', 'UNKNOWN_REFERENCE', 'items[4].loan.loanRef'],
      ['CREATED', null, null],
      ['REJECTED', 'NO_AGREEMENT', 'items[6].loan.bankCode'],
    ]);
    const [payout] = await world.sql("SELECT l.ref FROM fund_movement m JOIN loan l ON l.id = m.loan_id WHERE m.ref = 'N-6'");
    expect(payout).toEqual({ ref: 'L-DEFAULT' });
    expect(result.items[3].message.replace('OB-1', 'X')).toBe(result.items[4].message.replace('OB-NONE', 'X'));
    // 晴隆县's government has no fund RCF-N: its own namespace, worded as for any unknown fund.
    const foreign = await run(MOVEMENTS, 'otherGovernment', { items: [move('N-7', { fundRef: 'RCF-N' })] });
    const none = await run(MOVEMENTS, 'otherGovernment', { items: [move('N-7', { fundRef: 'RCF-NONE' })] });
    expect(foreign.items[0]).toMatchObject({ code: 'NOT_FOUND', reason: 'UNKNOWN_REFERENCE', path: 'items[0].fundRef' });
    expect(foreign.items[0].message.replace('RCF-N', 'X')).toBe(none.items[0].message.replace('RCF-NONE', 'X'));
  });
});

describe('recordDockingEvents', () => {
  const DOCK_ENTERPRISE = creditCode('93522326MA6DL0JK1');
  const OTHER_COUNTY_ENTERPRISE = creditCode('93522324MA6DL0MN1');
  const event = (ref: string, overrides: Item = {}, project: Item = {}): Item => ({
    ref,
    name: '2020年望谟县政银企融资对接会',
    countyCode: COUNTY,
    heldOn: '2020-03-20',
    projects: [
      { ref: 'P-1', enterpriseCreditCode: DOCK_ENTERPRISE, bankCode: 'T-BANK', requested: '800000', signed: '600000', disbursed: '500000', loans: [{ bankCode: 'T-BANK', loanRef: 'L-DOCK' }], ...project },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    await run(ENTERPRISES, 'government', { items: [enterprise(DOCK_ENTERPRISE, { linkages: null })] });
    await run(ENTERPRISES, 'otherGovernment', { items: [enterprise(OTHER_COUNTY_ENTERPRISE, { countyCode: OTHER_COUNTY, villageCode: null, linkages: null })] });
    await run(LOANS, 'bank', { items: [loan('L-DOCK', { enterprise: { creditCode: DOCK_ENTERPRISE, name: 'x', kind: 'COOPERATIVE' } })] });
  });

  test('bank is FORBIDDEN', async () => {
    const { body } = await world.gql('bank', DOCKING, { input: { items: [event('D-F')] } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('an event with its projects and loans: created, UNCHANGED, a new version, a stale version is CONFLICT', async () => {
    const created = await run(DOCKING, 'government', { items: [event('D-1')] });
    const id = await idOf('docking_event', 'ref = $1', ['D-1']);
    expect(created.items).toEqual([accepted(0, 'D-1', 'CREATED', gid('DockingEvent', id), 1)]);
    const projects = () =>
      world.sql(
        `SELECT p.ref, p.requested::text AS requested, p.signed::text AS signed, p.disbursed::text AS disbursed, array_agg(l.ref) AS loans
           FROM docking_project p LEFT JOIN docking_project_loan pl ON pl.project_id = p.id LEFT JOIN loan l ON l.id = pl.loan_id
          WHERE p.event_id = $1 GROUP BY p.ref, p.requested, p.signed, p.disbursed`,
        [id],
      );
    expect(await projects()).toEqual([{ ref: 'P-1', requested: '800000.00', signed: '600000.00', disbursed: '500000.00', loans: ['L-DOCK'] }]);
    expect((await run(DOCKING, 'government', { items: [event('D-1')] })).items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
    const changed = await run(DOCKING, 'government', { items: [event('D-1', { version: 1 }, { disbursed: '600000.00', loans: [] })] });
    expect(changed.items).toEqual([accepted(0, 'D-1', 'UPDATED', gid('DockingEvent', id), 2)]);
    expect(await projects()).toEqual([{ ref: 'P-1', requested: '800000.00', signed: '600000.00', disbursed: '600000.00', loans: [null] }]);
    const stale = await run(DOCKING, 'government', { items: [event('D-1', { name: '改名', version: 1 })] });
    expect(stale.items).toEqual([rejected(0, 'D-1', 'CONFLICT', 'STALE_VERSION', 'items[0].version')]);
  });

  test('another county’s loan reads exactly like a loan that does not exist; amounts must hold together', async () => {
    const result = await run(DOCKING, 'government', {
      partial: true,
      items: [
        event('D-2', {}, { bankCode: 'T-BANK-2', loans: [{ bankCode: 'T-BANK-2', loanRef: 'OB-1' }] }),
        event('D-3', {}, { bankCode: 'T-BANK-2', loans: [{ bankCode: 'T-BANK-2', loanRef: 'OB-NONE' }] }),
        event('D-4', {}, { disbursed: '600000.01' }),
        event('D-5', {}, { enterpriseCreditCode: creditCode('93522326MA6DL0XY1') }),
        event('D-6', {}, { requested: '-1' }),
        event('D-7', {}, { loans: [{ bankCode: 'T-BANK-2', loanRef: 'OB-1' }] }),
        event('D-8', {}, { enterpriseCreditCode: OTHER_COUNTY_ENTERPRISE }),
      ],
    });
    expect(result.items.map((i: Item) => [i.code, i.reason, i.path])).toEqual([
      ['NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[0].projects[0].loans[0].loanRef'],
      ['NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[1].projects[0].loans[0].loanRef'],
      ['BAD_USER_INPUT', 'ABOVE_SIGNED', 'items[2].projects[0].disbursed'],
      ['NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[3].projects[0].enterpriseCreditCode'],
      ['BAD_USER_INPUT', 'NEGATIVE', 'items[4].projects[0].requested'],
      ['BAD_USER_INPUT', 'OTHER_BANK', 'items[5].projects[0].loans[0].bankCode'],
      ['NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[6].projects[0].enterpriseCreditCode'],
    ]);
    expect(result.items[0].message.replace('OB-1', 'X')).toBe(result.items[1].message.replace('OB-NONE', 'X'));
    // Another county's enterprise reads like one that does not exist.
    expect(result.items[6].message.replace(OTHER_COUNTY_ENTERPRISE, 'X').replace('items[6]', '')).toBe(result.items[3].message.replace(creditCode('93522326MA6DL0XY1'), 'X').replace('items[3]', ''));
  });
});
