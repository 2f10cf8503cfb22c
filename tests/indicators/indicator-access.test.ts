/**
 * Who sees which figures (DESIGN.md §3): small-cell suppression for analysts and for
 * partners' market views, never for government and regulators in scope; a bank's own
 * book; complementary suppression in breakdowns; scope and role refusals; k read from
 * the policy parameter.
 *
 * The world, all micro-credit at 2020-06-30 and every borrower a registered household:
 * 融水 450225: bank X lends to 10 households (10,000 each; one SUBSTANDARD), bank Y to 1
 * (50,000), bank Z to 6 (20,000 each); 三江 450226: bank X lends to 5 households, bank Y
 * to 1 (the "one competitor household" a bank must never be able to subtract out).
 */
import '../api/reset-orm-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createOrm } from '../../src/db/orm';
import type { Principal } from '../../src/services/access';
import { computeBreakdown, computeIndicators, GroupBy, IndicatorBook, IndicatorKey, type IndicatorFigure } from '../../src/services/indicators';
import { useTestDatabase } from '../helpers';
import { Seeder } from './indicator-seed';

const db = useTestDatabase();

const RONGSHUI = '450225';
const SANJIANG = '450226';
const M = '2020-06-30';
const ids: Record<string, string> = {};
const p: Record<string, Principal> = {};
let orm: MikroORM;

async function seed(client: Client): Promise<void> {
  const s = new Seeder(client);
  ids.gov = await s.institution('T-GOV-450225', 'GOVERNMENT', RONGSHUI);
  ids.gov2 = await s.institution('T-GOV-450226', 'GOVERNMENT', SANJIANG);
  ids.X = await s.institution('T-BANK-X', 'BANK', RONGSHUI);
  ids.Y = await s.institution('T-BANK-Y', 'BANK', RONGSHUI);
  ids.Z = await s.institution('T-BANK-Z', 'BANK', RONGSHUI);
  ids.I = await s.institution('T-INS-I', 'INSURER', '45');
  const villages = (await client.query<{ county: string; code: string }>(
    `SELECT DISTINCT ON (left(code, 6)) left(code, 6) AS county, code FROM area
      WHERE level = 'VILLAGE' AND left(code, 6) IN ($1, $2) AND substr(code, 10, 3) BETWEEN '200' AND '399' ORDER BY left(code, 6), code`,
    [RONGSHUI, SANJIANG],
  )).rows;
  const villageOf = (county: string) => villages.find((v) => v.county === county)!.code;

  const borrower = async (name: string, county: string, bank: string, balance: string, extra: Record<string, unknown> = {}) => {
    const household = await s.household(county === RONGSHUI ? ids.gov : ids.gov2, villageOf(county), [['REGISTERED_POOR', '2016-01-01']]);
    const loan = await s.loan(bank, county, { product: 'POVERTY_MICROCREDIT', household_id: household, principal: '50000', disbursed_on: '2020-01-15', matures_on: '2023-01-14' });
    await s.position(loan, bank, county, M, balance, extra);
    ids[name] = household;
    ids[`loan${name}`] = loan;
  };
  for (let i = 1; i <= 10; i++) {
    await borrower(`X${i}`, RONGSHUI, ids.X, '10000', i === 1 ? { overdue_principal: '2000', overdue_days: 100, five_class: 'SUBSTANDARD' } : {});
  }
  await borrower('Y1', RONGSHUI, ids.Y, '50000');
  for (let i = 1; i <= 6; i++) await borrower(`Z${i}`, RONGSHUI, ids.Z, '20000');
  for (let i = 11; i <= 15; i++) await borrower(`X${i}`, SANJIANG, ids.X, '10000');
  await borrower('Y2', SANJIANG, ids.Y, '10000');

  // The insurer covers X1's loan with a credit-linked policy.
  const policy = await s.policy(ids.I, RONGSHUI, { line: 'CREDIT_LINKED', holder_kind: 'HOUSEHOLD', household_id: ids.X1, premium: '100', sum_insured: '10000', starts_on: '2020-01-15', ends_on: '2021-01-14' });
  await s.link({ policy_id: policy }, ids.I, 'T-BANK-X', ids.loanX1, RONGSHUI);

  const partner = (role: Principal['role'], id: string, code: string, areaCodes: string[] = []): Principal => ({ role, institutionId: id, institutionCode: code, areaCodes });
  p.analyst = { role: 'ANALYST', institutionId: null, institutionCode: null, areaCodes: [] };
  p.regulator = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: ['45'] };
  p.government = partner('GOVERNMENT', ids.gov, 'T-GOV-450225', [RONGSHUI]);
  p.bankX = partner('BANK', ids.X, 'T-BANK-X');
  p.bankY = partner('BANK', ids.Y, 'T-BANK-Y');
  p.bankXGuangxi = partner('BANK', ids.X, 'T-BANK-X', ['45']);
  p.insurer = partner('INSURER', ids.I, 'T-INS-I');
  p.admin = { role: 'ADMIN', institutionId: null, institutionCode: null, areaCodes: [] };
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

const indicatorsAs = async (who: string, code: string | null, book?: IndicatorBook) => {
  const set = await computeIndicators({ em: orm.em.fork(), principal: p[who] }, { area: code === null ? { nation: true } : { code }, asOf: M, book });
  return { set, figure: (key: IndicatorKey): IndicatorFigure => set.indicators.find((f) => f.key === key)! };
};
const shown = (figure: IndicatorFigure) => figure.current.value ?? `null:${figure.current.nullReason}`;

describe('small-cell suppression', () => {
  test('government and regulators in scope see every figure', async () => {
    for (const who of ['government', 'regulator']) {
      const { set, figure } = await indicatorsAs(who, RONGSHUI);
      expect(set.suppressionApplied).toBe(false);
      expect(shown(figure(IndicatorKey.POVERTY_LOAN_NPL_RATIO))).toBe('0.037037'); // 10000 / 270000
      expect(shown(figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('270000.00');
    }
  });

  test('an analyst sees cells of at least k households, and no numerator of fewer', async () => {
    const { set, figure } = await indicatorsAs('analyst', RONGSHUI);
    expect(set.suppressionApplied).toBe(true);
    expect(shown(figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('270000.00');
    expect(shown(figure(IndicatorKey.REGISTERED_HOUSEHOLDS))).toBe('17');
    // One household is non-performing: its balance would be the numerator.
    expect(figure(IndicatorKey.POVERTY_LOAN_NPL_RATIO).current).toEqual({ date: M, value: null, numerator: null, denominator: null, nullReason: 'SUPPRESSED_SMALL_CELL' });
    expect(figure(IndicatorKey.POVERTY_LOAN_NPL_RATIO).changeFromPrevious.absoluteNullReason).toBe('VALUE_UNAVAILABLE');
    expect(figure(IndicatorKey.POVERTY_LOAN_NPL_RATIO).freshness.latestReceivedAt).toBeNull();
    // No household is overdue more than 90 days but X1: the same.
    expect(shown(figure(IndicatorKey.POVERTY_LOAN_OVERDUE_90_RATIO))).toBe('null:SUPPRESSED_SMALL_CELL');
    // Zero households in the numerator reveal nothing.
    expect(shown(figure(IndicatorKey.POVERTY_LOAN_DEFERRED_BALANCE))).toBe('0.00');
  });

  test('a bank never sees a market figure that differs from its own book by one competitor household', async () => {
    const market = await indicatorsAs('bankX', SANJIANG);
    expect(shown(market.figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('null:SUPPRESSED_SMALL_CELL');
    expect(shown(market.figure(IndicatorKey.REGISTERED_HOUSEHOLDS))).toBe('null:SUPPRESSED_SMALL_CELL');
    const own = await indicatorsAs('bankX', SANJIANG, IndicatorBook.OWN_BOOK);
    expect(own.set.book).toBe('OWN_BOOK');
    expect(shown(own.figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('50000.00');
    // Coverage divides by the registry, which is market-wide: one household X cannot see.
    expect(shown(own.figure(IndicatorKey.MICROCREDIT_COVERAGE))).toBe('null:SUPPRESSED_SMALL_CELL');
    // The competitor with one household there sees the market: five households it cannot see.
    const other = await indicatorsAs('bankY', SANJIANG);
    expect(shown(other.figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('60000.00');
    expect(shown(other.figure(IndicatorKey.MICROCREDIT_COVERAGE))).toBe('1.000000');
    // The analyst sees six households it has no access to.
    expect(shown((await indicatorsAs('analyst', SANJIANG)).figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('60000.00');
  });

  test('an insurer’s own book is the loans its policies cover', async () => {
    const own = await indicatorsAs('insurer', RONGSHUI, IndicatorBook.OWN_BOOK);
    expect(shown(own.figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('10000.00');
    expect(shown(own.figure(IndicatorKey.INSURANCE_PREMIUM))).toBe('100.00');
    const market = await indicatorsAs('insurer', RONGSHUI);
    expect(shown(market.figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('270000.00');
  });

  test('breakdowns suppress a second cell so that the suppressed one cannot be subtracted', async () => {
    const byBank = await computeBreakdown(
      { em: orm.em.fork(), principal: p.analyst },
      { metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.INSTITUTION, area: { code: RONGSHUI }, asOf: M },
    );
    // Y has one household (primary); Z, the smallest other cell, goes with it (1 + 6 ≥ 5).
    expect(byBank.rows.map((r) => [r.group, r.label, r.current.value ?? r.current.nullReason])).toEqual([
      ['T-BANK-X', 'T-BANK-X（测试）', '100000.00'],
      ['T-BANK-Y', 'T-BANK-Y（测试）', 'SUPPRESSED_SMALL_CELL'],
      ['T-BANK-Z', 'T-BANK-Z（测试）', 'SUPPRESSED_SMALL_CELL'],
    ]);
    // Bank X in the prefecture: 三江 hides one household of Y's; 融水 (7 of Y's and Z's) goes with it.
    const byCounty = await computeBreakdown(
      { em: orm.em.fork(), principal: p.bankX },
      { metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.COUNTY, area: { code: '4502' }, asOf: M },
    );
    const interesting = byCounty.rows.filter((r) => r.group === RONGSHUI || r.group === SANJIANG);
    expect(interesting.map((r) => [r.group, r.current.value ?? r.current.nullReason])).toEqual([
      [RONGSHUI, 'SUPPRESSED_SMALL_CELL'],
      [SANJIANG, 'SUPPRESSED_SMALL_CELL'],
    ]);
    expect(byCounty.rows.filter((r) => r.current.value !== '0.00' && r.current.nullReason === null)).toEqual([]);
    // Bank X's own rows need no protection from itself: its cell is shown, Y's is not.
    const ownView = await computeBreakdown(
      { em: orm.em.fork(), principal: p.bankX },
      { metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.INSTITUTION, area: { code: SANJIANG }, asOf: M },
    );
    expect(ownView.rows.map((r) => [r.group, r.current.value ?? r.current.nullReason])).toEqual([
      ['T-BANK-X', '50000.00'],
      ['T-BANK-Y', 'SUPPRESSED_SMALL_CELL'],
    ]);
  });

  test('k comes from the policy parameter in force', async () => {
    const client = new Client({ connectionString: db.url() });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO policy_parameter (key, value, unit, valid_from, basis, created_by) VALUES ('suppression.min_households', 20, 'COUNT', '2015-01-01', 'test', 'test')`,
      );
      const { set, figure } = await indicatorsAs('analyst', RONGSHUI);
      expect(set.minHouseholds).toBe(20);
      expect(shown(figure(IndicatorKey.POVERTY_LOAN_BALANCE))).toBe('null:SUPPRESSED_SMALL_CELL'); // 17 < 20
    } finally {
      await client.query(`DELETE FROM policy_parameter WHERE key = 'suppression.min_households' AND valid_from = '2015-01-01'`);
      await client.end();
    }
  });
});

describe('scope and roles', () => {
  const refused = (who: string, code: string | null, book?: IndicatorBook) => indicatorsAs(who, code, book).then(() => 'answered', (e: { extensions?: { code?: string } }) => e.extensions?.code);

  test('the area must lie in the caller’s scope', async () => {
    expect(await refused('government', '4502')).toBe('FORBIDDEN');
    expect(await refused('government', null)).toBe('FORBIDDEN');
    expect(await refused('bankXGuangxi', '52')).toBe('FORBIDDEN');
    expect(await refused('regulator', '4502')).toBe('answered');
    expect(await refused('government', '450225100201')).toBe('answered');
  });

  test('ADMIN sees no aggregates; OWN_BOOK is for partners', async () => {
    expect(await refused('admin', RONGSHUI)).toBe('FORBIDDEN');
    expect(await refused('analyst', RONGSHUI, IndicatorBook.OWN_BOOK)).toBe('BAD_USER_INPUT');
    expect(await refused('regulator', RONGSHUI, IndicatorBook.OWN_BOOK)).toBe('BAD_USER_INPUT');
  });
});
