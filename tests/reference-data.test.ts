/**
 * The real reference geography and its derived designations, as loaded into every
 * database (tests/global-setup prepares the template with them).
 */
import { withClient } from '../src/db/admin';
import { useTestDatabase } from './helpers';

const db = useTestDatabase();

const query = <R extends Record<string, unknown>>(text: string) =>
  withClient(db.url(), async (client) => (await client.query<R>(text)).rows);

test('every province, prefecture and county, and the townships and villages of the 52 uncapped counties', async () => {
  expect(await query(`SELECT level, count(*)::int AS n FROM area GROUP BY level ORDER BY level`)).toEqual([
    { level: 'COUNTY', n: 2978 },
    { level: 'PREFECTURE', n: 342 },
    { level: 'PROVINCE', n: 31 },
    { level: 'TOWNSHIP', n: 957 },
    { level: 'VILLAGE', n: 12534 },
  ]);
  // Villages and townships hang below exactly the 52 counties, each child under its parent's code.
  expect(
    await query(`SELECT count(DISTINCT substr(code, 1, 6))::int AS counties,
                        count(*) FILTER (WHERE substr(code, 1, length(parent_code)) <> parent_code)::int AS misplaced
                   FROM area WHERE level IN ('TOWNSHIP', 'VILLAGE')`),
  ).toEqual([{ counties: 52, misplaced: 0 }]);
  expect(await query(`SELECT count(*)::int AS n FROM area WHERE level <> 'PROVINCE' AND parent_code IS NULL`)).toEqual([{ n: 0 }]);
  expect(await query(`SELECT count(*)::int AS n FROM area WHERE statistical_only`)).toEqual([{ n: 124 }]);
  expect(await query(`SELECT name FROM area WHERE code = '513431'`)).toEqual([{ name: '昭觉县' }]);
});

test('dated designations derived from the reference files', async () => {
  expect(await query(`SELECT kind, count(*)::int AS n, min(valid_from)::text AS "from", max(valid_to)::text AS "to", bool_or(demo_only) AS demo
                        FROM area_designation GROUP BY kind ORDER BY kind`)).toEqual([
    { kind: 'DEEPLY_IMPOVERISHED', n: 215, from: '2017-06-23', to: null, demo: false },
    { kind: 'NATIONAL_POVERTY_COUNTY', n: 52, from: '2014-01-01', to: null, demo: false },
    { kind: 'UNCAPPED_2020', n: 52, from: '2020-01-01', to: '2020-11-24', demo: false },
  ]);
  // 22 of the 52 lie in the three regions and three states (Liangshan 7, Nujiang 3, Linxia 2, southern Xinjiang 10).
  expect(
    await query(`SELECT count(*)::int AS n FROM area_designation u JOIN area_designation d ON d.area_code = u.area_code AND d.kind = 'DEEPLY_IMPOVERISHED'
                  WHERE u.kind = 'UNCAPPED_2020'`),
  ).toEqual([{ n: 22 }]);
  expect(
    await query(`SELECT substr(area_code, 1, 2) AS province, count(*)::int AS n FROM area_designation WHERE kind = 'UNCAPPED_2020' GROUP BY 1 ORDER BY 1`),
  ).toEqual([
    { province: '45', n: 8 },
    { province: '51', n: 7 },
    { province: '52', n: 9 },
    { province: '53', n: 9 },
    { province: '62', n: 8 },
    { province: '64', n: 1 },
    { province: '65', n: 10 },
  ]);
});

test('default policy parameters are dated and carry their basis', async () => {
  expect(
    await query(`SELECT key, value::text, valid_from::text AS "from", valid_to::text AS "to" FROM policy_parameter
                  WHERE key LIKE 'microcredit.max_%' OR key LIKE 'classification.floor_days.doubtful' ORDER BY key, valid_from`),
  ).toEqual([
    { key: 'classification.floor_days.doubtful', value: '181.000000', from: '2007-01-01', to: '2023-07-01' },
    { key: 'classification.floor_days.doubtful', value: '271.000000', from: '2023-07-01', to: null },
    { key: 'microcredit.max_amount', value: '50000.000000', from: '2014-01-01', to: null },
    { key: 'microcredit.max_borrower_age', value: '60.000000', from: '2014-01-01', to: '2019-01-01' },
    { key: 'microcredit.max_borrower_age', value: '65.000000', from: '2019-01-01', to: null },
    { key: 'microcredit.max_term_months', value: '36.000000', from: '2014-01-01', to: null },
  ]);
  expect(await query(`SELECT count(*)::int AS n FROM policy_parameter WHERE basis = ''`)).toEqual([{ n: 0 }]);
});
