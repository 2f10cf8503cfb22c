/**
 * Every indicator on the generated demo data (~300 households) against an independent
 * plain-SQL computation written separately from the service (`plain-indicators-sql.ts`,
 * also the floor of `bench/indicators.ts`): one statement per date and area, in a different style (DISTINCT ON for statuses, correlated EXISTS for
 * models and modifications, LIKE for designations, payer shares added up instead of
 * premium minus farmer share). For the nation, a prefecture and a county, at the month
 * end, a year earlier and the start of the year.
 */
import '../api/reset-orm-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createOrm } from '../../src/db/orm';
import type { Principal } from '../../src/services/access';
import { seedDemo } from '../../src/services/demo';
import { generateKeyringSpec } from '../../src/services/identity';
import { computeBreakdown, computeIndicators, GroupBy, IndicatorKey, type IndicatorSet } from '../../src/services/indicators';
import { useTestDatabase } from '../helpers';
import { PLAIN_INDICATORS_SQL } from './plain-indicators-sql';

const db = useTestDatabase();
const regulator: Principal = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [] };
const AS_OF = '2020-06-30';
const DATES = { current: '2020-06-30', previous: '2019-06-30', startOfYear: '2019-12-31' } as const;
let orm: MikroORM;
let client: Client;

async function expected(date: string, counties: string[] | null): Promise<Record<string, string | null>> {
  const { rows } = await client.query<Record<string, string | null>>(PLAIN_INDICATORS_SQL, [date, counties]);
  return rows[0];
}

function actual(set: IndicatorSet, role: 'current' | 'previous' | 'startOfYear'): Record<string, string | null> {
  return Object.fromEntries(set.indicators.map((figure) => [figure.key, figure[role].value]));
}

beforeAll(async () => {
  await seedDemo(db.url(), { households: 300, seed: 20201231, matchKeys: generateKeyringSpec(1), piiKeys: generateKeyringSpec(1) });
  client = new Client({ connectionString: db.url() });
  await client.connect();
  db.onTeardown(() => client.end());
  orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
}, 300_000);

/** The county with the most households, and its prefecture. */
async function busiestCounty(): Promise<string> {
  const { rows } = await client.query<{ county_code: string }>(`SELECT county_code FROM household GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  return rows[0].county_code;
}

describe.each([
  ['the nation', async () => null as string | null],
  ['a prefecture', async () => (await busiestCounty()).slice(0, 4)],
  ['a county', async () => busiestCounty()],
])('%s on demo data', (_name, areaOf) => {
  let set: IndicatorSet;
  let counties: string[] | null;

  beforeAll(async () => {
    const code = await areaOf();
    set = await computeIndicators({ em: orm.em.fork(), principal: regulator }, { area: code === null ? { nation: true } : { code }, asOf: AS_OF });
    counties = code === null ? null : (await client.query<{ code: string }>(`SELECT code FROM area WHERE level = 'COUNTY' AND code LIKE $1`, [`${code}%`])).rows.map((r) => r.code);
  });

  test.each(['current', 'previous', 'startOfYear'] as const)('every indicator at the %s date equals the plain SQL', async (role) => {
    const want = await expected(DATES[role], counties);
    expect(actual(set, role)).toEqual(want);
    // Non-trivial data: the headline figures are not all zero.
    expect(want.POVERTY_LOAN_BALANCE).not.toBe('0.00');
    expect(want.REGISTERED_HOUSEHOLDS).not.toBe('0');
  });

  test('no figure is withheld for a regulator on complete data', () => {
    const reasons = set.indicators.flatMap((f) => [f.current.nullReason, f.previous.nullReason, f.startOfYear.nullReason]);
    expect(reasons.filter((r) => r !== null && r !== 'ZERO_DENOMINATOR')).toEqual([]);
  });
});

test('a breakdown by county adds up to the prefecture, and by combined model to the county', async () => {
  const county = await busiestCounty();
  const prefecture = county.slice(0, 4);
  const whole = await computeIndicators({ em: orm.em.fork(), principal: regulator }, { area: { code: prefecture }, asOf: AS_OF });
  const byCounty = await computeBreakdown(
    { em: orm.em.fork(), principal: regulator },
    { metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.COUNTY, area: { code: prefecture }, asOf: AS_OF },
  );
  const cents = (value: string | null) => BigInt((value ?? '0').replace('.', ''));
  const total = byCounty.rows.reduce((sum, row) => sum + cents(row.current.value), 0n);
  expect(total).toBe(cents(whole.indicators.find((f) => f.key === 'POVERTY_LOAN_BALANCE')!.current.value));
  const byModel = await computeBreakdown(
    { em: orm.em.fork(), principal: regulator },
    { metric: IndicatorKey.LOAN_BALANCE, groupBy: GroupBy.COMBINED_MODEL, area: { code: county }, asOf: AS_OF },
  );
  const packaged = byModel.rows.filter((r) => r.group !== 'LOAN_ONLY').reduce((sum, row) => sum + cents(row.current.value), 0n);
  const countySet = await computeIndicators({ em: orm.em.fork(), principal: regulator }, { area: { code: county }, asOf: AS_OF });
  expect(packaged).toBe(cents(countySet.indicators.find((f) => f.key === 'PACKAGED_BALANCE')!.current.value));
});
