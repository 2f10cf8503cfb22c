/**
 * `npm run alerts:sweep -- --as-of 2020-12-31 [--seed-rules]` evaluates every enabled
 * alert rule against DATABASE_URL and prints, per rule, conditions found and alerts
 * raised, kept, resolved and suppressed (false positives). Default rules are inserted
 * first when the database has none (or always with `--seed-rules`; it is idempotent).
 */
import { Pool } from 'pg';
import { loadConfig } from '../config';
import { seedDefaultRules, sweep } from '../services/alerts';

const USAGE = 'usage: npm run alerts:sweep -- --as-of YYYY-MM-DD [--seed-rules]';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let asOf: string | undefined;
  let seedRules = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--as-of') asOf = argv[++i];
    else if (argv[i] === '--seed-rules') seedRules = true;
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}\n${USAGE}`);
  }
  if (asOf === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(USAGE);
  const config = loadConfig();
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for npm run alerts:sweep');
  const pool = new Pool({ connectionString: config.databaseUrl, application_name: 'tripod-alerts-sweep' });
  try {
    const { rows } = await pool.query<{ n: string }>('select count(*) as n from alert_rule');
    if (seedRules || Number(rows[0].n) === 0) {
      const inserted = await seedDefaultRules(pool);
      if (inserted > 0) console.log(`seeded ${inserted} default rules`);
    }
    const started = Date.now();
    const results = await sweep(pool, { asOf });
    console.log(`as of ${asOf}`);
    console.log(['rule'.padEnd(38), 'cond', 'raised', 'kept', 'resolved', 'suppr', 'fp-cleared'].join('\t'));
    for (const r of results) {
      console.log([`${r.code} v${r.version}`.padEnd(38), r.conditions, r.raised, r.kept, r.resolved, r.suppressed, r.falsePositivesCleared].join('\t'));
    }
    console.log(`elapsed ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
