/**
 * `DATABASE_URL=… node -r ./scripts/register.js bench/alert-rules.ts [YYYY-MM-DD]`: how
 * long each early-warning rule takes to evaluate (no alerts written) over all counties
 * (a full sweep) and over the county with most loans (what the evaluator does after one
 * county's batch; rules that are not county-local still run over all counties then).
 * Best of three runs each, on a seeded database (`npm run seed`); never in CI.
 */
import { Pool } from 'pg';
import { evaluateRule, RULES } from '../src/services/alerts';

async function best(run: () => Promise<unknown>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return fastest;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is required');
  const asOf = process.argv[2] ?? '2020-12-31';
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query<{ county: string }>(`select county_code as county from loan group by 1 order by count(*) desc limit 1`);
    const county = rows[0]?.county;
    if (county === undefined) throw new Error('no loans: seed the database first');
    let allTotal = 0;
    let evaluatorTotal = 0;
    console.log(`as of ${asOf}; one county = ${county}`);
    for (const rule of RULES) {
      const all = await best(() => evaluateRule(pool, rule.kind, rule.defaults, asOf));
      const one = await best(() => evaluateRule(pool, rule.kind, rule.defaults, asOf, [county]));
      allTotal += all;
      evaluatorTotal += rule.countyLocal ? one : all;
      console.log(`${rule.kind.padEnd(38)} all ${all.toFixed(1).padStart(7)} ms   one county ${one.toFixed(1).padStart(7)} ms${rule.countyLocal ? '' : '   (evaluator: all counties)'}`);
    }
    console.log(`all rules: all counties ${allTotal.toFixed(0)} ms; after one county's batch ${evaluatorTotal.toFixed(0)} ms`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
