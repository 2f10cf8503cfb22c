/**
 * `npm run feed:prune [-- --days 35]` deletes the change feed's events older than the
 * retention (35 days by default; docs/subscriptions.md) from DATABASE_URL and prints how
 * many went and the new watermark. Idempotent; run it daily (cron, a scheduled job).
 * Subscribers resuming from a cursor below the watermark get CURSOR_EXPIRED.
 */
import { Pool } from 'pg';
import { loadConfig } from '../config';
import { FEED_RETENTION_DAYS, pruneChangeFeed, retentionCutoff } from '../services/changes';

const USAGE = 'usage: npm run feed:prune [-- --days N]   (N ≥ 1, default 35)';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let days = FEED_RETENTION_DAYS;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--days') days = Number(argv[++i]);
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}\n${USAGE}`);
  }
  if (!Number.isInteger(days) || days < 1) throw new Error(USAGE);
  const config = loadConfig();
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for npm run feed:prune');
  const pool = new Pool({ connectionString: config.databaseUrl, application_name: 'tripod-feed-prune' });
  try {
    const cutoff = retentionCutoff(new Date(), days);
    const result = await pruneChangeFeed(pool, cutoff);
    console.log(`pruned ${result.deleted} change feed events older than ${cutoff.toISOString()}; watermark ${result.watermark}`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
