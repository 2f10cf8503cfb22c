/**
 * Every indicator against values computed by hand on a small crafted world (seeded here
 * in SQL), with its edges: status changes between the dates, a household that moved
 * counties, loans disbursed and repaid within a year, a written-off loan still reported,
 * a corrected position (only the latest version counts), classes that move, a deferral
 * with classification relief, a released guarantee, a group policy's insured list, zero
 * denominators, a bank that has not reported a month, months without positions,
 * designations as of the date, and a township/village area.
 *
 * Dates: asOf 2020-06-30 (M), a year earlier 2019-06-30 (P), start of year 2019-12-31 (S).
 * Main county A = 522326 (望谟), county B = 522324 (晴隆), both in prefecture 5223;
 * county D = 513431 (昭觉, deeply impoverished). The arithmetic is in the comments.
 */
import '../api/reset-orm-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createOrm } from '../../src/db/orm';
import type { Principal } from '../../src/services/access';
import {
  computeBreakdown,
  computeIndicators,
  GroupBy,
  IndicatorKey,
  type BreakdownArgs,
  type IndicatorFigure,
  type IndicatorsArgs,
  type IndicatorSet,
} from '../../src/services/indicators';
import { useTestDatabase } from '../helpers';
import { Seeder } from './indicator-seed';

const db = useTestDatabase();

const A = '522326';
const B = '522324';
const D = '513431';
const ANLONG = '522328';
const V1 = '522326001201';
const V2 = '522326001203';
const V3 = '522326001204';
const VB = '522324001210';
const VD = '513431100200';
/** Villagers' committees (codes ending 200–399) of 522326 in the 2023 reference codes. */
const VILLAGERS_COMMITTEES_A = 161;

const M = '2020-06-30';

const regulator: Principal = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [] };
const ids: Record<string, string> = {};
let orm: MikroORM;

async function seed(client: Client): Promise<void> {
  const s = new Seeder(client);
  ids.gov = await s.institution('T-GOV-A', 'GOVERNMENT', A);
  ids.govB = await s.institution('T-GOV-B', 'GOVERNMENT', B);
  ids.govD = await s.institution('T-GOV-D', 'GOVERNMENT', D);
  ids.bank1 = await s.institution('T-BANK-1', 'BANK', A);
  ids.bank2 = await s.institution('T-BANK-2', 'BANK', B);
  ids.bank3 = await s.institution('T-BANK-3', 'BANK', D);
  ids.insurer = await s.institution('T-INS', 'INSURER', '52');
  ids.guarantor = await s.institution('T-GUA', 'GUARANTOR', '52');
  ids.pbc = await s.institution('T-PBC', 'CENTRAL_BANK', '52');

  // Households and their status history.
  const h = async (name: string, village: string, history: Array<[string, string, string?]>, government = ids.gov) => {
    ids[name] = await s.household(government, village, history);
  };
  await h('H1', V1, [['REGISTERED_POOR', '2016-03-01'], ['LIFTED_OUT', '2019-12-20']]);
  await h('H2', V1, [['REGISTERED_POOR', '2016-03-01']]);
  await h('H3', V2, [['OTHER', '2014-01-01'], ['REGISTERED_POOR', '2020-03-01']]); // registered between S and M
  await h('H4', V2, [['REGISTERED_POOR', '2015-01-01'], ['OTHER', '2020-01-15']]); // left the registry before M
  await h('H5', V2, [['OTHER', '2014-01-01'], ['MARGINAL', '2020-04-01']]);
  await h('H6', V1, [['REGISTERED_POOR', '2016-01-01']]);
  await h('H7', V1, [['REGISTERED_POOR', '2016-01-01']]);
  await h('H8', V1, [['OTHER', '2014-01-01']]);
  await h('H9', VB, [['REGISTERED_POOR', '2016-01-01']], ids.govB);
  // Registered in B, then moved to A and lifted out there.
  await h('H10', V2, [['REGISTERED_POOR', '2016-01-01', B], ['LIFTED_OUT', '2020-02-01', A]]);
  await h('H11', VD, [['REGISTERED_POOR', '2016-01-01']], ids.govD);
  ids.E1 = await s.enterprise(ids.bank1, A, 1);
  ids.E2 = await s.enterprise(ids.bank2, B, 2);

  // A risk compensation fund of county A.
  ids.F1 = await s.insert('risk_compensation_fund', {
    ...s.by(ids.gov), government_id: ids.gov, ref: 'F1', name: '望谟风险补偿金', county_code: A, capital: '100000', leverage_cap: '10', established_on: '2016-03-01',
  });
  const move = (ref: string, kind: string, amount: string, on: string) =>
    s.insert('fund_movement', { ...s.by(ids.gov), fund_id: ids.F1, ref, county_code: A, kind, amount, occurred_on: on });
  await move('M1', 'TOP_UP', '60000', '2016-03-01');
  await move('M2', 'TOP_UP', '40000', '2019-08-01');
  await move('M3', 'WITHDRAWAL', '10000', '2020-02-01');
  await move('M4', 'PAYOUT', '5000', '2020-04-15');
  await move('M5', 'RECOVERY', '1000', '2020-05-01');

  const b1 = ids.bank1;
  const b2 = ids.bank2;
  const mc = { product: 'POVERTY_MICROCREDIT' };
  // L1: micro-credit of H1, guaranteed (G1) and, from 2020, insured (POL1); June 2020 re-reported.
  ids.L1 = await s.loan(b1, A, { ...mc, household_id: ids.H1, principal: '50000', disbursed_on: '2019-03-15', matures_on: '2022-03-14', risk_compensation_fund_id: ids.F1 });
  await s.position(ids.L1, b1, A, '2019-06-30', '50000');
  await s.position(ids.L1, b1, A, '2019-12-31', '45000');
  await s.position(ids.L1, b1, A, M, '44000', { is_latest: false });
  await s.position(ids.L1, b1, A, M, '40000', { version: 2, overdue_principal: '5000', overdue_days: 35, five_class: 'SPECIAL_MENTION' });
  // L2: H2's micro-credit moving SUBSTANDARD → DOUBTFUL, written off 31 Mar 2020 (a stale June position must not count).
  ids.L2 = await s.loan(b1, A, { ...mc, household_id: ids.H2, principal: '30000', disbursed_on: '2018-05-01', matures_on: '2021-04-30', closed_on: '2020-03-31', closure: 'WRITTEN_OFF' });
  await s.position(ids.L2, b1, A, '2019-06-30', '30000', { overdue_principal: '10000', overdue_days: 100, five_class: 'SUBSTANDARD' });
  await s.position(ids.L2, b1, A, '2019-12-31', '30000', { overdue_principal: '30000', overdue_days: 200, five_class: 'DOUBTFUL' });
  await s.position(ids.L2, b1, A, M, '30000', { overdue_principal: '30000', overdue_days: 380, five_class: 'LOSS' });
  // L3: H3's first micro-credit, after registration; backed by the fund; a PENDING link names it.
  ids.L3 = await s.loan(b1, A, { ...mc, household_id: ids.H3, principal: '20000', disbursed_on: '2020-04-10', matures_on: '2023-04-09', risk_compensation_fund_id: ids.F1 });
  await s.position(ids.L3, b1, A, M, '20000');
  // L4: H6, disbursed and settled within 2019.
  ids.L4 = await s.loan(b1, A, { ...mc, household_id: ids.H6, principal: '10000', disbursed_on: '2019-02-01', matures_on: '2020-01-31', closed_on: '2019-11-15', closure: 'SETTLED' });
  await s.position(ids.L4, b1, A, '2019-06-30', '10000');
  // L5: H7, disbursed and settled within 2020.
  ids.L5 = await s.loan(b1, A, { ...mc, household_id: ids.H7, principal: '15000', disbursed_on: '2020-01-10', matures_on: '2021-01-09', closed_on: '2020-05-20', closure: 'SETTLED' });
  await s.position(ids.L5, b1, A, '2020-01-31', '15000');
  // L6: industrial loan to E1, 95 days overdue but reported SPECIAL_MENTION (floor: SUBSTANDARD); G2 released before M.
  ids.L6 = await s.loan(b1, A, { product: 'INDUSTRIAL', enterprise_id: ids.E1, principal: '800000', disbursed_on: '2019-06-01', matures_on: '2021-05-31', paid_to_account: 'ENTERPRISE' });
  await s.position(ids.L6, b1, A, '2019-06-30', '800000');
  await s.position(ids.L6, b1, A, '2019-12-31', '700000');
  await s.position(ids.L6, b1, A, M, '600000', { overdue_principal: '100000', overdue_days: 95, five_class: 'SPECIAL_MENTION' });
  // L7: relocation loan of H6 under an epidemic deferral in effect at M.
  ids.L7 = await s.loan(b1, A, { product: 'RELOCATION_SUPPORT', household_id: ids.H6, principal: '60000', disbursed_on: '2019-09-01', matures_on: '2020-03-31' });
  await s.position(ids.L7, b1, A, '2019-12-31', '60000');
  await s.position(ids.L7, b1, A, M, '55000');
  await s.insert('loan_modification', {
    ...s.by(b1), loan_id: ids.L7, institution_id: b1, ref: 'MOD-7', county_code: A, kind: 'EPIDEMIC_DEFERRAL',
    effective_on: '2020-02-20', previous_matures_on: '2020-03-31', new_matures_on: '2020-09-30', classification_relief: true,
  });
  // L8: county B, 120 days overdue, SPECIAL_MENTION, under a disaster deferral with relief (not understated).
  ids.L8 = await s.loan(b2, B, { ...mc, household_id: ids.H9, principal: '40000', disbursed_on: '2019-01-05', matures_on: '2020-06-01' });
  await s.position(ids.L8, b2, B, '2019-06-30', '40000');
  await s.position(ids.L8, b2, B, '2019-12-31', '38000');
  await s.position(ids.L8, b2, B, M, '36000', { overdue_principal: '6000', overdue_days: 120, five_class: 'SPECIAL_MENTION' });
  await s.insert('loan_modification', {
    ...s.by(b2), loan_id: ids.L8, institution_id: b2, ref: 'MOD-8', county_code: B, kind: 'DISASTER_DEFERRAL',
    effective_on: '2020-06-01', previous_matures_on: '2020-06-01', new_matures_on: '2020-12-31', classification_relief: true,
  });
  // L9: inclusive small-micro loan to E2 in B.
  ids.L9 = await s.loan(b2, B, { product: 'INCLUSIVE_SMALL_MICRO', enterprise_id: ids.E2, principal: '200000', disbursed_on: '2019-10-01', matures_on: '2022-09-30', paid_to_account: 'ENTERPRISE' });
  await s.position(ids.L9, b2, B, '2019-12-31', '200000');
  await s.position(ids.L9, b2, B, M, '150000');
  // L10: an ordinary agricultural loan of H8 (not registered).
  ids.L10 = await s.loan(b1, A, { product: 'OTHER_AGRI', household_id: ids.H8, principal: '8000', disbursed_on: '2020-02-01', matures_on: '2021-01-31' });
  await s.position(ids.L10, b1, A, M, '8000');
  // L11: micro-credit of the marginal household H5.
  ids.L11 = await s.loan(b1, A, { ...mc, household_id: ids.H5, principal: '10000', disbursed_on: '2020-05-01', matures_on: '2022-04-30' });
  await s.position(ids.L11, b1, A, M, '10000');
  // L12: micro-credit of H10 made in B (the contract stays in B when the household moves).
  ids.L12 = await s.loan(b2, B, { ...mc, household_id: ids.H10, principal: '25000', disbursed_on: '2019-04-01', matures_on: '2022-03-31' });
  await s.position(ids.L12, b2, B, '2019-06-30', '25000');
  await s.position(ids.L12, b2, B, '2019-12-31', '20000');
  await s.position(ids.L12, b2, B, M, '15000');
  // L13: bank 2 in 安龙 reported May 2020 but not June yet: June is incomplete there.
  ids.L13 = await s.loan(b2, ANLONG, { product: 'OTHER_AGRI', household_id: ids.H9, principal: '5000', disbursed_on: '2020-05-10', matures_on: '2021-05-09' });
  await s.position(ids.L13, b2, ANLONG, '2020-05-31', '5000');
  // L14: micro-credit in the deeply impoverished county D.
  ids.L14 = await s.loan(ids.bank3, D, { ...mc, household_id: ids.H11, principal: '30000', disbursed_on: '2019-01-01', matures_on: '2021-12-31' });
  for (const monthEnd of ['2019-06-30', '2019-12-31', M]) await s.position(ids.L14, ids.bank3, D, monthEnd, '30000');

  // Guarantees.
  ids.G1 = await s.guarantee(ids.guarantor, A, { household_id: ids.H1, guaranteed_amount: '40000', starts_on: '2019-03-15', ends_on: '2022-03-14' });
  ids.G2 = await s.guarantee(ids.guarantor, A, { enterprise_id: ids.E1, guaranteed_amount: '500000', starts_on: '2019-06-01', ends_on: '2021-05-31', released_on: '2020-03-01' });
  ids.G3 = await s.guarantee(ids.guarantor, B, { household_id: ids.H9, guaranteed_amount: '20000', starts_on: '2019-01-01', ends_on: '2019-12-31' });
  await s.link({ guarantee_id: ids.G1 }, ids.guarantor, 'T-BANK-1', ids.L1, A);
  await s.link({ guarantee_id: ids.G2 }, ids.guarantor, 'T-BANK-1', ids.L6, A);
  ids.CP1 = await s.insert('compensation', { ...s.by(ids.guarantor), guarantee_id: ids.G3, institution_id: ids.guarantor, ref: 'CP1', county_code: B, amount: '8000', paid_on: '2019-11-20' });
  ids.CP2 = await s.insert('compensation', { ...s.by(ids.guarantor), guarantee_id: ids.G2, institution_id: ids.guarantor, ref: 'CP2', county_code: A, amount: '100000', paid_on: '2020-02-15' });
  await s.insert('compensation_recovery', { ...s.by(ids.guarantor), compensation_id: ids.CP1, ref: 'R1', county_code: B, amount: '2000', recovered_on: '2020-03-10' });

  // Insurance.
  ids.POL1 = await s.policy(ids.insurer, A, {
    line: 'CREDIT_LINKED', holder_kind: 'HOUSEHOLD', household_id: ids.H1, premium: '500', sum_insured: '50000', starts_on: '2020-01-01', ends_on: '2020-12-31',
  });
  await s.link({ policy_id: ids.POL1 }, ids.insurer, 'T-BANK-1', ids.L1, A);
  ids.POL2 = await s.policy(ids.insurer, A, {
    line: 'LIVESTOCK', holder_kind: 'HOUSEHOLD', household_id: ids.H3, premium: '900', central_share: '450', provincial_share: '225', county_share: '135', farmer_share: '90',
    sum_insured: '15000', starts_on: '2020-04-01', ends_on: '2021-03-31',
  });
  await s.link({ policy_id: ids.POL2 }, ids.insurer, 'T-BANK-1', null, A);
  ids.POL3 = await s.policy(ids.insurer, A, {
    line: 'CROP', holder_kind: 'GROUP', premium: '2000', central_share: '900', provincial_share: '540', county_share: '60', farmer_share: '0', poverty_fund_share: '500',
    sum_insured: '110000', starts_on: '2019-04-01', ends_on: '2019-10-31',
  });
  for (const hh of ['H2', 'H4', 'H8']) {
    await s.insert('policy_insured_household', { ...s.by(ids.insurer), policy_id: ids.POL3, household_id: ids[hh], county_code: A });
  }
  ids.POL4 = await s.policy(ids.insurer, B, {
    line: 'INDEX', holder_kind: 'HOUSEHOLD', household_id: ids.H9, premium: '300', sum_insured: '5000', starts_on: '2019-05-01', ends_on: '2020-04-30',
  });
  const claim = (ref: string, policy: string, county: string, row: Record<string, unknown>) =>
    s.insert('claim', { ...s.by(ids.insurer), policy_id: policy, institution_id: ids.insurer, ref, county_code: county, cause: 'FLOOD', ...row });
  await claim('C1', ids.POL3, A, { household_id: ids.H2, loss_on: '2019-09-01', agreed_on: '2019-09-20', agreed_amount: '3000', paid_on: '2019-09-25', paid_amount: '3000' });
  await claim('C2', ids.POL2, A, { loss_on: '2020-05-20', agreed_on: '2020-06-01', agreed_amount: '1200', paid_on: '2020-06-10', paid_amount: '1200' });
  await claim('C3', ids.POL4, B, { loss_on: '2020-03-01', agreed_on: '2020-03-20', agreed_amount: '700' });

  // Re-lending.
  const relend = (ref: string, borrower: string, county: string, amount: string, drawn: string, repaid: string | null) =>
    s.insert('relending_facility', {
      ...s.by(ids.pbc), lender_id: ids.pbc, borrower_id: borrower, ref, county_code: county, amount, annual_rate: '0.0175', drawn_on: drawn, due_on: '2021-12-31', repaid_on: repaid,
    });
  await relend('RF1', ids.bank1, A, '1000000', '2019-03-01', '2019-09-01');
  await relend('RF2', ids.bank1, A, '2000000', '2019-10-01', null);
  await relend('RF3', ids.bank3, D, '3000000', '2019-05-01', null);

  // Service points: V1 twice, V2 closed before M, V3 opened before M; one in a residents' committee.
  const point = (ref: string, village: string, opened: string, closed: string | null) =>
    s.insert('service_point', { ...s.by(ids.bank1), institution_id: ids.bank1, ref, kind: 'AGENT', name: ref, village_code: village, county_code: A, opened_on: opened, closed_on: closed });
  await point('SP1', V1, '2019-01-01', null);
  await point('SP2', V2, '2019-01-01', '2020-03-01');
  await point('SP3', V3, '2020-05-01', null);
  await point('SP4', V1, '2020-02-01', null);
  await point('SP5', '522326001001', '2019-01-01', null);

  // Enterprises' linkage and financing docking.
  const linkage = (enterprise: string, county: string, mode: string, households: number, asOf: string) =>
    s.insert('enterprise_linkage', { ...s.by(ids.gov), enterprise_id: enterprise, county_code: county, mode, households, as_of: asOf });
  await linkage(ids.E1, A, 'EMPLOYMENT', 12, '2019-12-31');
  await linkage(ids.E1, A, 'EMPLOYMENT', 15, M);
  await linkage(ids.E1, A, 'LAND_TRANSFER', 7, '2019-06-30');
  await linkage(ids.E2, B, 'EMPLOYMENT', 4, '2020-03-31');
  const event = (ref: string, heldOn: string) =>
    s.insert('docking_event', { ...s.by(ids.gov), organizer_id: ids.gov, ref, name: ref, county_code: A, held_on: heldOn });
  const project = (eventId: string, ref: string, signed: string, disbursed: string) =>
    s.insert('docking_project', { ...s.by(ids.gov), event_id: eventId, ref, county_code: A, enterprise_id: ids.E1, bank_id: ids.bank1, requested: signed, signed, disbursed });
  const ev1 = await event('EV1', '2020-03-15');
  await project(ev1, 'DP1', '1000000', '600000');
  await project(ev1, 'DP2', '500000', '0');
  const ev2 = await event('EV2', '2019-05-10');
  await project(ev2, 'DP3', '200000', '200000');
}

beforeAll(async () => {
  const client = new Client({ connectionString: db.url() });
  await client.connect();
  try {
    await seed(client);
  } finally {
    await client.end();
  }
  orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
});

const indicators = (args: IndicatorsArgs, principal: Principal = regulator) => computeIndicators({ em: orm.em.fork(), principal }, args);
const breakdown = (args: BreakdownArgs, principal: Principal = regulator) => computeBreakdown({ em: orm.em.fork(), principal }, args);

function byKey(set: IndicatorSet): Record<string, IndicatorFigure> {
  return Object.fromEntries(set.indicators.map((figure) => [figure.key, figure]));
}

/** value at [M, P, S] (null with its reason as `null:REASON`). */
function triple(figure: IndicatorFigure): [string, string, string] {
  const show = (v: IndicatorFigure['current']) => v.value ?? `null:${v.nullReason}`;
  return [show(figure.current), show(figure.previous), show(figure.startOfYear)];
}

describe('county A (522326) as of 2020-06-30', () => {
  let figures: Record<string, IndicatorFigure>;
  let answer: IndicatorSet;

  beforeAll(async () => {
    answer = await indicators({ area: { code: A }, asOf: M });
    figures = byKey(answer);
  });

  test('names its dates, area, schema version and a content hash', () => {
    expect(answer).toMatchObject({
      area: { code: A, name: '望谟县', level: 'COUNTY' },
      requestedAsOf: M,
      asOf: M,
      previousDate: '2019-06-30',
      startOfYear: '2019-12-31',
      book: 'MARKET',
      minHouseholds: 5,
      suppressionApplied: false,
    });
    expect(answer.schemaVersion).toMatch(/^Migration\d{14}_/);
    expect(answer.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.indicators.map((f) => f.key).sort()).toEqual(Object.values(IndicatorKey).sort());
  });

  test('every indicator at M, P and S', () => {
    const values = Object.fromEntries(Object.entries(figures).map(([key, figure]) => [key, triple(figure)]));
    expect(values).toEqual({
      // Poverty loans at P: L1 50000 + L2 30000 + L4 10000 + L6 800000. S: L1 45000 + L2 30000 + L6 700000 + L7 60000 (L4 settled).
      // M: L1 40000 (v2, not v1's 44000) + L3 20000 + L6 600000 + L7 55000 + L11 10000 (L2 written off: its June position does not count).
      POVERTY_LOAN_BALANCE: ['725000.00', '890000.00', '835000.00'],
      LOAN_BALANCE: ['733000.00', '890000.00', '835000.00'], // + L10 8000 at M
      OUTSTANDING_LOANS: ['6', '4', '4'],
      BORROWER_HOUSEHOLDS: ['5', '3', '3'], // M: H1 H3 H5 H6 H8; P: H1 H2 H6; S: H1 H2 H6
      INCLUSIVE_SMALL_MICRO_BALANCE: ['0.00', '0.00', '0.00'],
      INCLUSIVE_SMALL_MICRO_SHARE: ['0.000000', '0.000000', '0.000000'],
      // Registered in A: M H1 H2 H3 H6 H7 H10 (moved in); P and S H1 H2 H4 H6 H7.
      REGISTERED_HOUSEHOLDS: ['6', '5', '5'],
      // With micro-credit balance: M H1 H3 H10 (loan in B) = 3/6; P H1 H2 H6 = 3/5; S H1 H2 = 2/5.
      MICROCREDIT_COVERAGE: ['0.500000', '0.600000', '0.400000'],
      // Ever disbursed: M all six; P and S H1 H2 H6.
      MICROCREDIT_CUMULATIVE_COVERAGE: ['1.000000', '0.600000', '0.600000'],
      MARGINAL_HOUSEHOLDS: ['1', '0', '0'],
      MARGINAL_MICROCREDIT_COVERAGE: ['1.000000', 'null:ZERO_DENOMINATOR', 'null:ZERO_DENOMINATOR'],
      // Overdue: M 5000 + 100000 = 105000 / 725000; P 10000 / 890000; S 30000 / 835000.
      POVERTY_LOAN_OVERDUE_RATIO: ['0.144828', '0.011236', '0.035928'],
      // > 90 days: M L6 600000; P L2 30000; S L2 30000.
      POVERTY_LOAN_OVERDUE_90_RATIO: ['0.827586', '0.033708', '0.035928'],
      // NPL: M none (L1 and L6 SPECIAL_MENTION); P L2 SUBSTANDARD; S L2 DOUBTFUL.
      POVERTY_LOAN_NPL_RATIO: ['0.000000', '0.033708', '0.035928'],
      POVERTY_LOAN_DEFERRED_BALANCE: ['55000.00', '0.00', '0.00'],
      POVERTY_LOAN_MODIFIED_SHARE: ['0.075862', '0.000000', '0.000000'], // 55000 / 725000
      POVERTY_LOAN_CLASS_UNDERSTATED_SHARE: ['0.827586', '0.000000', '0.000000'], // L6: 95 days ≥ 91 → SUBSTANDARD floor
      // Premium: M POL1 500 + POL2 900; P and S POL3 2000 (written in 2019).
      INSURANCE_PREMIUM: ['1400.00', '2000.00', '2000.00'],
      // Subsidy (premium − farmer): M 0 + 810 = 810 / 1400; POL3 all public (incl. 500 poverty fund).
      INSURANCE_PREMIUM_SUBSIDY_SHARE: ['0.578571', '1.000000', '1.000000'],
      INSURANCE_SUM_INSURED: ['65000.00', '110000.00', '110000.00'],
      // Insured in the year to date: M H1 (POL1) H3 (POL2); P and S H2 H4 on POL3's list (H8 is not registered).
      INSURED_REGISTERED_HOUSEHOLDS: ['2', '2', '2'],
      INSURANCE_COVERAGE: ['0.333333', '0.400000', '0.400000'],
      INSURANCE_CLAIMS_PAID: ['1200.00', '0.00', '3000.00'],
      INSURANCE_LOSS_RATIO: ['0.857143', '0.000000', '1.500000'],
      // In force: P and S G1 40000 + G2 500000; M G1 (G2 released 1 Mar 2020).
      GUARANTEED_BALANCE: ['40000.00', '540000.00', '540000.00'],
      // Guaranteed poverty balance: M L1 40000 / 725000; P (50000 + 800000) / 890000; S (45000 + 700000) / 835000.
      POVERTY_LOAN_GUARANTEED_SHARE: ['0.055172', '0.955056', '0.892216'],
      GUARANTEE_COMPENSATIONS: ['100000.00', '0.00', '0.00'],
      GUARANTEE_RECOVERIES: ['0.00', '0.00', '0.00'], // R1 is in B
      // Paid-in capital: P 60000, S 100000, M 90000; backed: P L1 50000, S L1 45000, M L1 40000 + L3 20000.
      FUND_LEVERAGE: ['0.666667', '0.833333', '0.450000'],
      FUND_UTILISATION: ['0.055556', '0.000000', '0.000000'], // 5000 / 90000
      // Packaged: M L1 only (G2 released); P and S L1 and L6.
      PACKAGED_LOANS: ['1', '2', '2'],
      PACKAGED_BALANCE: ['40000.00', '850000.00', '745000.00'],
      PACKAGED_HOUSEHOLDS: ['1', '1', '1'],
      PACKAGED_LOAN_SHARE: ['0.054570', '0.955056', '0.892216'], // 40000 / 733000
      RELENDING_BALANCE: ['2000000.00', '1000000.00', '2000000.00'],
      RELENDING_DEEP_AREA_SHARE: ['0.000000', '0.000000', '0.000000'],
      // Villagers' committees with an open point: M V1 V3, P and S V1 V2 — of 161.
      SERVICE_VILLAGE_COVERAGE: ['0.012422', '0.012422', '0.012422'],
      ENTERPRISE_EMPLOYED_HOUSEHOLDS: ['15', '0', '12'],
      ENTERPRISE_LINKED_HOUSEHOLDS: ['22', '7', '19'],
      DOCKING_CONVERSION: ['0.400000', '1.000000', '1.000000'],
    });
    expect(figures.SERVICE_VILLAGE_COVERAGE.current).toMatchObject({ numerator: '2', denominator: String(VILLAGERS_COMMITTEES_A) });
  });

  test('an amount with its changes, numerator and freshness', () => {
    expect(figures.POVERTY_LOAN_BALANCE).toEqual({
      key: 'POVERTY_LOAN_BALANCE',
      category: 'LOANS',
      unit: 'YUAN',
      timing: 'STOCK',
      current: { date: M, value: '725000.00', numerator: '725000.00', denominator: null, nullReason: null },
      previous: { date: '2019-06-30', value: '890000.00', numerator: '890000.00', denominator: null, nullReason: null },
      startOfYear: { date: '2019-12-31', value: '835000.00', numerator: '835000.00', denominator: null, nullReason: null },
      // −165000 / 890000 = −0.1853932…; −110000 / 835000 = −0.1317365…
      changeFromPrevious: { absolute: '-165000.00', relative: '-0.185393', absoluteNullReason: null, relativeNullReason: null },
      changeFromStartOfYear: { absolute: '-110000.00', relative: '-0.131737', absoluteNullReason: null, relativeNullReason: null },
      freshness: { latestMonthEnd: M, latestReceivedAt: '2020-07-05T02:00:00.000Z' },
    });
  });

  test('a ratio changes in ratio points, with numerator and denominator', () => {
    expect(figures.MICROCREDIT_COVERAGE.current).toEqual({ date: M, value: '0.500000', numerator: '3', denominator: '6', nullReason: null });
    expect(figures.MICROCREDIT_COVERAGE.changeFromPrevious).toEqual({ absolute: '-0.100000', relative: null, absoluteNullReason: null, relativeNullReason: 'NOT_APPLICABLE' });
    expect(figures.MARGINAL_MICROCREDIT_COVERAGE.previous).toEqual({ date: '2019-06-30', value: null, numerator: '0', denominator: '0', nullReason: 'ZERO_DENOMINATOR' });
    expect(figures.MARGINAL_MICROCREDIT_COVERAGE.changeFromPrevious).toEqual({
      absolute: null, relative: null, absoluteNullReason: 'VALUE_UNAVAILABLE', relativeNullReason: 'VALUE_UNAVAILABLE',
    });
    expect(figures.MARGINAL_HOUSEHOLDS.changeFromPrevious).toEqual({ absolute: '1', relative: null, absoluteNullReason: null, relativeNullReason: 'ZERO_BASE' });
    expect(figures.FUND_LEVERAGE).toMatchObject({ unit: 'MULTIPLE', current: { numerator: '60000.00', denominator: '90000.00' } });
  });

  test('year-to-date flows compare year on year, not with the start of the year', () => {
    expect(figures.INSURANCE_PREMIUM).toMatchObject({
      timing: 'FLOW',
      changeFromPrevious: { absolute: '-600.00', relative: '-0.300000' },
      changeFromStartOfYear: { absolute: null, relative: null, absoluteNullReason: 'NOT_APPLICABLE', relativeNullReason: 'NOT_APPLICABLE' },
      freshness: { latestMonthEnd: null },
    });
  });

  test('the same question on the same data gives the same hash; another asOf in the month the same figures', async () => {
    const again = await indicators({ area: { code: A }, asOf: M });
    expect(again.contentHash).toBe(answer.contentHash);
    const midMonth = await indicators({ area: { code: A }, asOf: '2020-07-15' });
    expect(midMonth.asOf).toBe(M);
    expect(midMonth.indicators).toEqual(answer.indicators);
    expect(midMonth.contentHash).not.toBe(answer.contentHash); // requestedAsOf is part of the answer
  });

  test('compareWith replaces the year-earlier date', async () => {
    const set = byKey(await indicators({ area: { code: A }, asOf: M, compareWith: '2020-01-10' }));
    expect(set.POVERTY_LOAN_BALANCE.previous).toEqual({ date: '2019-12-31', value: '835000.00', numerator: '835000.00', denominator: null, nullReason: null });
  });
});

describe('other areas', () => {
  test('county B: a deferral with classification relief is not understated; the moved household is counted in A', async () => {
    const set = byKey(await indicators({ area: { code: B }, asOf: M }));
    expect(triple(set.POVERTY_LOAN_BALANCE)).toEqual(['51000.00', '65000.00', '58000.00']); // L8 + L12
    expect(triple(set.POVERTY_LOAN_CLASS_UNDERSTATED_SHARE)).toEqual(['0.000000', '0.000000', '0.000000']);
    expect(triple(set.POVERTY_LOAN_DEFERRED_BALANCE)).toEqual(['36000.00', '0.00', '0.00']);
    // H9 throughout; H10 registered in B until it moved (2 Feb 2020).
    expect(triple(set.REGISTERED_HOUSEHOLDS)).toEqual(['1', '2', '2']);
    expect(triple(set.INCLUSIVE_SMALL_MICRO_SHARE)).toEqual(['0.746269', '0.000000', '0.775194']); // 150000 / 201000; 200000 / 258000
    expect(triple(set.GUARANTEED_BALANCE)).toEqual(['0.00', '20000.00', '20000.00']); // G3 ends 31 Dec 2019
    expect(triple(set.GUARANTEE_COMPENSATIONS)).toEqual(['0.00', '0.00', '8000.00']);
    expect(triple(set.GUARANTEE_RECOVERIES)).toEqual(['2000.00', '0.00', '0.00']);
    // POL4 (2019-05-01 … 2020-04-30) insures H9 in both years; H10 had no policy.
    expect(triple(set.INSURANCE_COVERAGE)).toEqual(['1.000000', '0.500000', '0.500000']);
  });

  test('the nation: re-lending share in deeply impoverished areas by the borrower’s county designation', async () => {
    const set = byKey(await indicators({ area: { nation: true }, asOf: M }));
    // P: RF1 1,000,000 + RF3 3,000,000 (deep); S and M: RF2 2,000,000 + RF3.
    expect(triple(set.RELENDING_BALANCE)).toEqual(['5000000.00', '4000000.00', '5000000.00']);
    expect(triple(set.RELENDING_DEEP_AREA_SHARE)).toEqual(['0.600000', '0.750000', '0.600000']);
    expect(set.RELENDING_DEEP_AREA_SHARE.changeFromPrevious.absolute).toBe('-0.150000');
    // June 2020 in 安龙 is incomplete (L13 reported in May, not in June): no national June loan figure.
    expect(set.POVERTY_LOAN_BALANCE.current.nullReason).toBe('INCOMPLETE_POSITIONS');
    expect(set.MICROCREDIT_COVERAGE.current.nullReason).toBe('INCOMPLETE_POSITIONS');
    expect(set.REGISTERED_HOUSEHOLDS.current.value).toBe('8'); // A 6 + B 1 + D 1
    expect(triple(set.POVERTY_LOAN_BALANCE).slice(1)).toEqual(['985000.00', '923000.00']); // A + B + D at P and S
  });

  test('a county without any data: zero denominators and months without positions', async () => {
    const set = byKey(await indicators({ area: { code: '522323' }, asOf: M }));
    expect(set.POVERTY_LOAN_BALANCE.current).toEqual({ date: M, value: null, numerator: null, denominator: null, nullReason: 'NO_POSITIONS_FOR_MONTH' });
    expect(set.REGISTERED_HOUSEHOLDS.current.value).toBe('0');
    expect(set.INSURANCE_COVERAGE.current).toEqual({ date: M, value: null, numerator: '0', denominator: '0', nullReason: 'ZERO_DENOMINATOR' });
    expect(set.INSURANCE_LOSS_RATIO.current.nullReason).toBe('ZERO_DENOMINATOR');
    expect(set.DOCKING_CONVERSION.current.nullReason).toBe('ZERO_DENOMINATOR');
    expect(set.FUND_UTILISATION.current.nullReason).toBe('ZERO_DENOMINATOR');
    expect(set.POVERTY_LOAN_BALANCE.freshness).toEqual({ latestMonthEnd: null, latestReceivedAt: null });
  });

  test('before the first report: no positions, so no loan figures', async () => {
    const set = byKey(await indicators({ area: { code: A }, asOf: '2019-03-31' }));
    expect(set.POVERTY_LOAN_BALANCE.current.nullReason).toBe('NO_POSITIONS_FOR_MONTH');
    expect(set.REGISTERED_HOUSEHOLDS.current.value).toBe('5');
  });

  test('a village: household and service figures; county-attributed ones are not available', async () => {
    const set = byKey(await indicators({ area: { code: V1 }, asOf: M }));
    expect(set.REGISTERED_HOUSEHOLDS.current.value).toBe('4'); // H1 H2 H6 H7 live in V1
    expect(set.MICROCREDIT_COVERAGE.current).toMatchObject({ value: '0.250000', numerator: '1', denominator: '4' }); // H1
    expect(set.SERVICE_VILLAGE_COVERAGE.current).toMatchObject({ value: '1.000000', numerator: '1', denominator: '1' });
    expect(set.POVERTY_LOAN_BALANCE.current).toEqual({ date: M, value: null, numerator: null, denominator: null, nullReason: 'AREA_LEVEL_NOT_SUPPORTED' });
    expect(set.INSURANCE_PREMIUM.previous.nullReason).toBe('AREA_LEVEL_NOT_SUPPORTED');
  });
});

describe('breakdowns', () => {
  const rows = async (args: BreakdownArgs) =>
    Object.fromEntries((await breakdown(args)).rows.map((row) => [row.group, [row.current.value ?? `null:${row.current.nullReason}`, row.previous.value ?? `null:${row.previous.nullReason}`]]));

  test('by county: every county of the prefecture, a late bank making its county incomplete', async () => {
    const answer = await breakdown({ metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.COUNTY, area: { code: '5223' }, asOf: M });
    expect(answer.rows.map((r) => r.group)).toEqual(['522301', '522302', '522323', '522324', '522325', '522326', '522327', '522328']);
    expect(Object.fromEntries(answer.rows.map((r) => [r.group, [r.label, r.current.value ?? r.current.nullReason, r.previous.value]]))).toEqual({
      '522301': ['兴义市', '0.00', '0.00'],
      '522302': ['兴仁市', '0.00', '0.00'],
      '522323': ['普安县', '0.00', '0.00'],
      '522324': ['晴隆县', '51000.00', '65000.00'],
      '522325': ['贞丰县', '0.00', '0.00'],
      '522326': ['望谟县', '725000.00', '890000.00'],
      '522327': ['册亨县', '0.00', '0.00'],
      '522328': ['安龙县', 'INCOMPLETE_POSITIONS', '0.00'],
    });
  });

  test('by institution: the late bank’s figure is withheld, the other bank’s is not', async () => {
    expect(await rows({ metric: IndicatorKey.LOAN_BALANCE, groupBy: GroupBy.INSTITUTION, area: { code: '5223' }, asOf: M })).toEqual({
      'T-BANK-1': ['733000.00', '890000.00'],
      'T-BANK-2': ['null:INCOMPLETE_POSITIONS', '65000.00'],
    });
  });

  test('by product and by combined model', async () => {
    expect(await rows({ metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.PRODUCT, area: { code: A }, asOf: M })).toEqual({
      POVERTY_MICROCREDIT: ['70000.00', '90000.00'], // M L1 L3 L11; P L1 L2 L4
      INDUSTRIAL: ['600000.00', '800000.00'],
      RELOCATION_SUPPORT: ['55000.00', '0.00'],
    });
    expect(await rows({ metric: IndicatorKey.LOAN_BALANCE, groupBy: GroupBy.COMBINED_MODEL, area: { code: A }, asOf: M })).toEqual({
      BANK_INSURANCE_GUARANTEE: ['40000.00', '0.00'],
      LOAN_GUARANTEE: ['0.00', '850000.00'],
      LOAN_INSURANCE: ['0.00', '0.00'],
      LOAN_ONLY: ['693000.00', '40000.00'],
    });
  });

  test('by month: the 12 month ends to asOf, each against the same month a year earlier', async () => {
    const answer = await breakdown({ metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.MONTH, area: { code: A }, asOf: M });
    expect(answer.rows.map((r) => r.group)).toEqual([
      '2019-07-31', '2019-08-31', '2019-09-30', '2019-10-31', '2019-11-30', '2019-12-31',
      '2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30', '2020-05-31', '2020-06-30',
    ]);
    const byMonth = Object.fromEntries(answer.rows.map((r) => [r.group, r]));
    expect(byMonth['2019-12-31'].current.value).toBe('835000.00');
    // Only L5 reported January 2020; the loans of December are missing: incomplete, not 15000.
    expect(byMonth['2020-01-31'].current.nullReason).toBe('INCOMPLETE_POSITIONS');
    expect(byMonth['2019-08-31'].current.nullReason).toBe('NO_POSITIONS_FOR_MONTH');
    expect(byMonth['2020-06-30']).toMatchObject({
      current: { value: '725000.00' },
      previous: { date: '2019-06-30', value: '890000.00' },
      startOfYear: { date: '2019-12-31', value: '835000.00' },
      changeFromPrevious: { absolute: '-165000.00' },
    });
  });

  test('designations as of the date: uncapped counties only in 2020', async () => {
    const answer = await breakdown({
      metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.PREFECTURE, area: { code: '52' }, asOf: M, filter: { designation: 'UNCAPPED_2020' },
    });
    // Prefectures holding uncapped counties in Guizhou: 5205 毕节, 5206 铜仁, 5204 安顺, 5226 黔东南, 5223 黔西南.
    expect(answer.rows.map((r) => r.group)).toEqual(['5204', '5205', '5206', '5223', '5226']);
    const r5223 = answer.rows.find((r) => r.group === '5223')!;
    // In June 2020 522326, 522324 (and the incomplete 522328 is not uncapped): 725000 + 51000. A year earlier no county was designated.
    expect([r5223.current.value, r5223.previous.value]).toEqual(['776000.00', '0.00']);
    expect(answer.filter).toEqual({ institutionCode: null, products: null, combinedModels: null, designation: 'UNCAPPED_2020' });
  });

  test('filters narrow rows; a filter that does not apply is refused', async () => {
    expect(
      await rows({ metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.COUNTY, area: { code: A }, asOf: M, filter: { products: ['INDUSTRIAL'], institutionCode: 'T-BANK-1' } }),
    ).toEqual({ [A]: ['600000.00', '800000.00'] });
    expect(
      await rows({ metric: IndicatorKey.MICROCREDIT_COVERAGE, groupBy: GroupBy.COUNTY, area: { code: A }, asOf: M, filter: { institutionCode: 'T-BANK-2' } }),
    ).toEqual({ [A]: ['0.166667', '0.000000'] }); // H10's loan in B, of 6 registered
    await expect(
      breakdown({ metric: IndicatorKey.REGISTERED_HOUSEHOLDS, groupBy: GroupBy.COUNTY, area: { code: A }, asOf: M, filter: { products: ['INDUSTRIAL'] } }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.products' } });
    await expect(breakdown({ metric: IndicatorKey.REGISTERED_HOUSEHOLDS, groupBy: GroupBy.INSTITUTION, area: { code: A }, asOf: M })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'groupBy' },
    });
    await expect(
      breakdown({ metric: IndicatorKey.LOAN_BALANCE, groupBy: GroupBy.COUNTY, area: { code: A }, asOf: M, filter: { institutionCode: 'NOPE' } }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.institutionCode' } });
  });
});

describe('parameters and input', () => {
  test('a classification floor not in force: no understated share', async () => {
    const client = new Client({ connectionString: db.url() });
    await client.connect();
    try {
      await client.query(`UPDATE policy_parameter SET valid_to = '2020-01-01' WHERE key = 'classification.floor_days.loss' AND valid_to IS NULL`);
      const set = byKey(await indicators({ area: { code: A }, asOf: M }));
      expect(set.POVERTY_LOAN_CLASS_UNDERSTATED_SHARE.current.nullReason).toBe('PARAMETER_MISSING');
      expect(set.POVERTY_LOAN_CLASS_UNDERSTATED_SHARE.previous.value).toBe('0.000000');
    } finally {
      await client.query(`UPDATE policy_parameter SET valid_to = NULL WHERE key = 'classification.floor_days.loss' AND valid_to = '2020-01-01'`);
      await client.end();
    }
  });

  test('bad areas and dates are refused', async () => {
    await expect(indicators({ area: { code: '5' }, asOf: M })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'area.code' } });
    await expect(indicators({ area: { code: '999999' }, asOf: M })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'area.code' } });
    await expect(indicators({ area: { code: A, nation: true }, asOf: M })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'area' } });
    await expect(indicators({ area: { code: A }, asOf: '2020-02-30' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'asOf' } });
  });
});
