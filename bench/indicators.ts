/**
 * `node -r ./scripts/register.js bench/indicators.ts`: latencies of the indicators
 * service against the equivalent plain SQL (never part of `npm test`).
 *
 * On DATABASE_URL, a database holding demo data (`npm run seed -- --households N`), for
 * the nation, the province, prefecture and county with the most households:
 *
 * - `indicators` (every indicator at asOf, a year earlier and the start of the year) as
 *   a nation-wide REGULATOR, an ANALYST (suppression), the biggest lender (BANK, market
 *   book) and the biggest insurer (INSURER, market book);
 * - `breakdown(POVERTY_LOAN_BALANCE, COUNTY)` as the REGULATOR;
 * - the floors, for the same three dates and no scoping, suppression or completeness
 *   checks: for `indicators`, `tests/indicators/plain-indicators-sql.ts` (every indicator,
 *   one plain statement per date, written for clarity); for the breakdown, the plain
 *   aggregate `sum(balance) … GROUP BY month_end, county` over the latest positions.
 *
 * Each case runs BENCH_ROUNDS times (5) after one warm-up, sequentially on one connection
 * at a time; the table gives the median and the slowest round. Settings: BENCH_AS_OF
 * (2020-06-30), BENCH_ROUNDS, BENCH_OUT (a markdown file to write besides stdout),
 * BENCH_AREAS (nation,province,prefecture,county), BENCH_ROLES (REGULATOR,ANALYST,BANK,INSURER).
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { createOrm } from '../src/db/orm';
import type { Principal } from '../src/services/access';
import { computeBreakdown, computeIndicators, GroupBy, IndicatorKey, tripletOf } from '../src/services/indicators';
import { PLAIN_INDICATORS_SQL } from '../tests/indicators/plain-indicators-sql';

const say = (line: string) => process.stderr.write(`${line}\n`);

async function timed(rounds: number, work: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL (a database with demo data) is required');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const asOf = process.env.BENCH_AS_OF ?? '2020-06-30';
  const triplet = tripletOf(asOf);
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  const orm = await createOrm({ url: config.databaseUrl, poolMax: 2 });
  try {
    const one = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows[0];
    const facts = await one<{ households: string; positions: string }>(
      `SELECT (SELECT count(*) FROM household)::text AS households, (SELECT count(*) FROM loan_position)::text AS positions`,
    );
    const county = (await one<{ c: string }>(`SELECT county_code AS c FROM household GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)).c;
    const bank = (await one<{ id: string; code: string }>(
      `SELECT l.institution_id::text AS id, i.code FROM loan l JOIN institution i ON i.id = l.institution_id GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
    ));
    const insurer = (await one<{ id: string; code: string }>(
      `SELECT p.institution_id::text AS id, i.code FROM insurance_policy p JOIN institution i ON i.id = p.institution_id GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
    ));
    const principals: Record<string, Principal> = {
      REGULATOR: { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [] },
      ANALYST: { role: 'ANALYST', institutionId: null, institutionCode: null, areaCodes: [] },
      BANK: { role: 'BANK', institutionId: bank.id, institutionCode: bank.code, areaCodes: [] },
      INSURER: { role: 'INSURER', institutionId: insurer.id, institutionCode: insurer.code, areaCodes: [] },
    };
    const areas: Array<[string, string | null]> = [
      ['nation', null],
      [`province ${county.slice(0, 2)}`, county.slice(0, 2)],
      [`prefecture ${county.slice(0, 4)}`, county.slice(0, 4)],
      [`county ${county}`, county],
    ];
    const wantedAreas = (process.env.BENCH_AREAS ?? 'nation,province,prefecture,county').split(',');
    const wantedRoles = (process.env.BENCH_ROLES ?? 'REGULATOR,ANALYST,BANK,INSURER').split(',');
    const lines: string[] = [];
    const row = (cells: Array<string | number>) => lines.push(`| ${cells.join(' | ')} |`);
    row(['area', 'case', 'median ms', 'max ms', 'floor median ms', '× floor']);
    lines.push('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const [label, code] of areas.filter(([label]) => wantedAreas.includes(label.split(' ')[0]))) {
      const area = code === null ? { nation: true as const } : { code };
      const counties =
        code === null ? null : (await client.query<{ code: string }>(`SELECT code FROM area WHERE level = 'COUNTY' AND code LIKE $1`, [`${code}%`])).rows.map((r) => r.code);
      const anyRole = Object.keys(principals).some((role) => wantedRoles.includes(role));
      const floorAll = !anyRole ? { median: NaN, max: NaN } : await timed(rounds, async () => {
        for (const date of [triplet.current, triplet.previous, triplet.startOfYear]) await client.query(PLAIN_INDICATORS_SQL, [date, counties]);
      });
      const floorBreakdown = await timed(rounds, () =>
        client.query(
          `SELECT p.month_end, p.county_code, sum(p.balance) FROM loan_position p JOIN loan l ON l.id = p.loan_id
            WHERE p.is_latest AND p.month_end = ANY($1::date[]) AND ($2::text[] IS NULL OR p.county_code = ANY($2::text[]))
              AND l.product IN ('POVERTY_MICROCREDIT', 'INDUSTRIAL', 'RELOCATION_SUPPORT') AND (l.closed_on IS NULL OR l.closed_on > p.month_end)
            GROUP BY 1, 2`,
          [[triplet.current, triplet.previous, triplet.startOfYear], counties],
        ),
      );
      const cases: Array<[string, () => Promise<unknown>, { median: number }]> = [
        ...Object.entries(principals).filter(([role]) => wantedRoles.includes(role)).map(([role, principal]): [string, () => Promise<unknown>, { median: number }] => [
          `indicators as ${role}`,
          () => computeIndicators({ em: orm.em.fork(), principal }, { area, asOf }),
          floorAll,
        ]),
        [
          'breakdown POVERTY_LOAN_BALANCE by COUNTY as REGULATOR',
          () => computeBreakdown({ em: orm.em.fork(), principal: principals.REGULATOR }, { metric: IndicatorKey.POVERTY_LOAN_BALANCE, groupBy: GroupBy.COUNTY, area, asOf }),
          floorBreakdown,
        ],
      ];
      for (const [name, work, floor] of cases) {
        say(`${label}: ${name} …`);
        const result = await timed(rounds, work);
        row([label, name, result.median.toFixed(0), result.max.toFixed(0), floor.median.toFixed(0), (result.median / floor.median).toFixed(2)]);
      }
    }
    const header = [
      `${Number(facts.households).toLocaleString('en')} households, ${Number(facts.positions).toLocaleString('en')} positions; asOf ${asOf}; ` +
        `${rounds} rounds after a warm-up; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
        `floors: plain-indicators-sql.ts ×3 dates for indicators; a plain GROUP BY month_end, county for the breakdown; both unscoped.`,
      '',
    ];
    const report = [...header, ...lines].join('\n');
    process.stdout.write(`${report}\n`);
    if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, `${report}\n`, 'utf8');
  } finally {
    await orm.close(true);
    await client.end();
  }
}

main().catch((error: unknown) => {
  say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
