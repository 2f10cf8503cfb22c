/**
 * The capped detail lists over real HTTP: a risk compensation fund's agreements and
 * movements, a service point's monthly activity and a compensation's recoveries, each
 * scoped like its parent (a bank sees only its own agreement and the movements about its
 * own loans), in one statement per nesting level.
 */
import './reset-orm-metadata';
import type { Client } from 'pg';
import { statementsDuring, useTestDatabase } from '../helpers';
import { A, gid, insert, seedSurface, startSurface, type SurfaceServer, type SurfaceWorld } from './surface-world';

const db = useTestDatabase();
let s: SurfaceServer;
let ids: Record<string, string>;

/** The surface world, plus a second bank on the fund, movements, activity and a second recovery. */
async function seedDetail(client: Client): Promise<SurfaceWorld> {
  const world = await seedSurface(client);
  const w = world.ids;
  const batch = await insert(client, 'ingest_batch', { institution_id: w.govA, external_id: 'detail-1', kind: 'test', payload_hash: 'd'.repeat(64), item_count: 1 });
  const fromGov = { source_institution_id: w.govA, batch_id: batch, received_at: '2021-01-02T03:00:00Z' };
  await insert(client, 'fund_bank_agreement', {
    ...fromGov, fund_id: w.f1, bank_id: w.bankB, county_code: A, fund_share: '0.5', bank_share: '0.5', leverage_cap: '8', valid_from: '2020-01-01',
  });
  const movement = (ref: string, kind: string, amount: string, occurredOn: string, loanId: string | null) =>
    insert(client, 'fund_movement', { ...fromGov, fund_id: w.f1, ref, county_code: A, kind, amount, occurred_on: occurredOn, loan_id: loanId });
  w.mTopUp = await movement('MV-1', 'TOP_UP', '2000000', '2018-06-01', null);
  w.mPayA = await movement('MV-2', 'PAYOUT', '15000.50', '2020-11-30', w.la1);
  w.mPayB = await movement('MV-3', 'PAYOUT', '9000', '2020-12-31', w.lb1);
  const activity = (pointId: string, month: string, transactions: number, amount: string | null) =>
    insert(client, 'service_point_activity', { ...fromGov, service_point_id: pointId, county_code: A, month, transactions, amount });
  await activity(w.sp1, '2020-05-31', 120, '36000.5');
  await activity(w.sp1, '2020-06-30', 140, '0.07');
  await activity(w.sp2, '2020-06-30', 7, null);
  const fromGuarantor = { source_institution_id: w.guarantor, batch_id: batch, received_at: '2021-05-02T03:00:00Z' };
  await insert(client, 'compensation_recovery', { ...fromGuarantor, compensation_id: w.cp1, ref: 'REC-002', county_code: A, amount: '500', recovered_on: '2021-05-01' });
  return world;
}

beforeAll(async () => {
  s = await startSurface(db, { seed: seedDetail });
  ids = s.world.ids;
});

const FUND = `query Fund($id: ID!) {
  node(id: $id) {
    ... on RiskCompensationFund {
      ref
      agreements { bank { code } fundShare bankShare leverageCap validFrom validTo provenance { receivedAt } }
      movements { ref kind amount occurredOn loan { ref } }
    }
  }
}`;

const TOP_UP = { ref: 'MV-1', kind: 'TOP_UP', amount: '2000000.00', occurredOn: '2018-06-01', loan: null };
const PAY_A = { ref: 'MV-2', kind: 'PAYOUT', amount: '15000.50', occurredOn: '2020-11-30', loan: { ref: 'A-001' } };
const PAY_B = { ref: 'MV-3', kind: 'PAYOUT', amount: '9000.00', occurredOn: '2020-12-31', loan: { ref: 'B-001' } };
const AGREEMENT_A = { bank: { code: 'TQ-BANK-A' }, fundShare: '0.700000', bankShare: '0.300000', leverageCap: null, validFrom: '2018-06-01', validTo: null };
const AGREEMENT_B = { bank: { code: 'TQ-BANK-B' }, fundShare: '0.500000', bankShare: '0.500000', leverageCap: '8.0000', validFrom: '2020-01-01', validTo: null };

function withoutProvenance(fund: { agreements: Array<Record<string, unknown>> } & Record<string, unknown>) {
  return { ...fund, agreements: fund.agreements.map(({ provenance: _p, ...rest }) => rest) };
}

describe('RiskCompensationFund.agreements and .movements', () => {
  it('show an area role every agreement and movement, latest movement first', async () => {
    const { node } = await s.data('regulator', FUND, { id: gid('RiskCompensationFund', ids.f1) });
    expect(withoutProvenance(node)).toEqual({ ref: 'RCF-001', agreements: [AGREEMENT_A, AGREEMENT_B], movements: [PAY_B, PAY_A, TOP_UP] });
    expect(node.agreements[1].provenance).toEqual({ receivedAt: '2021-01-02T03:00:00.000Z' });
  });

  it('show a cooperating bank its own agreement and the movements about the fund or its own loans', async () => {
    const a = await s.data('bankA', FUND, { id: gid('RiskCompensationFund', ids.f1) });
    expect(withoutProvenance(a.node)).toEqual({ ref: 'RCF-001', agreements: [AGREEMENT_A], movements: [PAY_A, TOP_UP] });
    const b = await s.data('bankB', FUND, { id: gid('RiskCompensationFund', ids.f1) });
    // Bank B's loan lies in county B: it still sees its payout, and only its own agreement.
    expect(withoutProvenance(b.node)).toEqual({ ref: 'RCF-001', agreements: [AGREEMENT_B], movements: [PAY_B, TOP_UP] });
  });

  it('are out of reach where the fund is', async () => {
    for (const who of ['insurer', 'guarantor', 'regulatorB', 'analyst']) {
      expect((await s.data(who, FUND, { id: gid('RiskCompensationFund', ids.f1) })).node).toBeNull();
    }
  });
});

describe('ServicePoint.monthlyActivity', () => {
  const ACTIVITY = `query Points($id: ID!) { node(id: $id) { ... on ServicePoint { ref monthlyActivity { month transactions amount } } } }`;

  it('lists the months latest first for whoever sees the point', async () => {
    for (const who of ['bankA', 'regulator', 'govA']) {
      expect((await s.data(who, ACTIVITY, { id: gid('ServicePoint', ids.sp1) })).node).toEqual({
        ref: 'SP-001',
        monthlyActivity: [
          { month: '2020-06-30', transactions: 140, amount: '0.07' },
          { month: '2020-05-31', transactions: 120, amount: '36000.50' },
        ],
      });
    }
    expect((await s.data('bankB', ACTIVITY, { id: gid('ServicePoint', ids.sp1) })).node).toBeNull();
  });

  it('is one statement for every point of a county page', async () => {
    const query = `query County($code: String!) { county(code: $code) { servicePoints(first: 10) { nodes { ref monthlyActivity { month transactions } } } } }`;
    const statements = await countStatements(() => s.data('regulator', query, { code: A }));
    const { county } = await s.data('regulator', query, { code: A });
    // The points in their default order (opened first first).
    expect(county.servicePoints.nodes).toEqual([
      { ref: 'SP-002', monthlyActivity: [{ month: '2020-06-30', transactions: 7 }] },
      { ref: 'SP-001', monthlyActivity: [{ month: '2020-06-30', transactions: 140 }, { month: '2020-05-31', transactions: 120 }] },
    ]);
    expect(statements.filter((text) => /service_point_activity/.test(text))).toHaveLength(1);
  });
});

describe('Compensation.recoveries', () => {
  const RECOVERIES = `query Compensation($id: ID!) { node(id: $id) { ... on Compensation { ref recovered recoveries { ref amount recoveredOn provenance { receivedAt } } } } }`;

  it('lists the recoveries in date order, with their provenance, for whoever sees the compensation', async () => {
    for (const who of ['guarantor', 'regulator', 'bankA']) {
      const { node } = await s.data(who, RECOVERIES, { id: gid('Compensation', ids.cp1) });
      expect(node.recoveries).toEqual([
        { ref: 'REC-001', amount: '2000.00', recoveredOn: '2021-03-01', provenance: { receivedAt: '2019-03-20T01:00:00.000Z' } },
        { ref: 'REC-002', amount: '500.00', recoveredOn: '2021-05-01', provenance: { receivedAt: '2021-05-02T03:00:00.000Z' } },
      ]);
    }
    expect((await s.data('bankB', RECOVERIES, { id: gid('Compensation', ids.cp1) })).node).toBeNull();
  });
});

describe('search by ref, credit code or enterprise name', () => {
  const HOUSEHOLDS = `query Households($prefix: String!) { households(filter: { refPrefix: $prefix }, first: 100) { totalCount nodes { ref } } }`;
  const ENTERPRISES = `query Enterprises($filter: EnterpriseFilter!) { enterprises(filter: $filter, first: 100) { nodes { creditCode } } }`;
  const refs = (data: Record<string, any>) => (data.households.nodes as Array<{ ref: string }>).map((h) => h.ref);

  it('finds households by a ref prefix, within what the caller sees', async () => {
    expect(refs(await s.data('regulator', HOUSEHOLDS, { prefix: 'H00000000000' }))).toEqual(['H00000000000A', 'H00000000000B', 'H00000000000C', 'H00000000000D', 'H00000000000E']);
    expect(refs(await s.data('regulator', HOUSEHOLDS, { prefix: 'H00000000000E' }))).toEqual(['H00000000000E']);
    // Bank A's borrowers only.
    const bank = await s.data('bankA', HOUSEHOLDS, { prefix: 'H0' });
    expect([refs(bank), bank.households.totalCount]).toEqual([['H00000000000A', 'H00000000000B', 'H00000000000C'], 3]);
  });

  it('finds enterprises by a credit code prefix or a name fragment, matched literally', async () => {
    const codes = async (who: string, filter: Record<string, unknown>) =>
      ((await s.data(who, ENTERPRISES, { filter })).enterprises.nodes as Array<{ creditCode: string }>).map((e) => e.creditCode).sort();
    expect(await codes('regulator', { creditCodePrefix: '915223' })).toEqual(['91522324MA6DL0XX2C', '91522326MA6DL0XX1B']);
    expect(await codes('regulator', { creditCodePrefix: '91522324' })).toEqual(['91522324MA6DL0XX2C']);
    expect(await codes('regulator', { name_contains: '茶业' })).toEqual(['91522324MA6DL0XX2C']);
    expect(await codes('bankA', { name_contains: '茶业' })).toEqual([]);
    expect(await codes('bankA', { name_contains: '合作社' })).toEqual(['91522326MA6DL0XX1B']);
    // LIKE wildcards are plain characters.
    expect(await codes('regulator', { name_contains: '%%' })).toEqual([]);
    expect(await codes('regulator', { name_contains: '_县' })).toEqual([]);
  });

  it('refuses malformed search texts with BAD_USER_INPUT', async () => {
    expect(await s.errors('regulator', HOUSEHOLDS, { prefix: 'h0' })).toEqual([
      { message: 'A ref prefix is H followed by 1 to 12 Crockford base32 characters', code: 'BAD_USER_INPUT', field: 'filter.refPrefix' },
    ]);
    expect(await s.errors('regulator', ENTERPRISES, { filter: { name_contains: '茶' } })).toEqual([
      { message: 'A name fragment has 2 to 50 characters and no control characters', code: 'BAD_USER_INPUT', field: 'filter.name_contains' },
    ]);
  });
});

const countStatements = statementsDuring;
