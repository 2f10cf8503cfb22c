/**
 * `npm run seed -- [--households 6000] [--seed 20201231] [--hash]` generates the
 * deterministic demo data set into DATABASE_URL, after bringing that database to the
 * current schema with its reference data. Prints rows per table, elapsed time and rows
 * per second; `--hash` also prints the content hash (equal for equal seed and size).
 *
 * Keys: TRIPOD_MATCH_KEYS and TRIPOD_PII_KEYS when configured, otherwise the local demo
 * secrets of the data folder (the ones `npm start` uses), so the hub can read what was
 * written.
 */
import { loadConfig } from '../config';
import { prepareDatabase } from '../db/prepare';
import { loadOrCreateDemoSecrets } from '../db/secrets';
import { DEMO_TABLES, demoContentHash, seedDemo } from '../services/demo';

interface Args {
  households?: number;
  seed?: number;
  hash: boolean;
}

const USAGE = 'usage: npm run seed -- [--households <1..10000000>] [--seed <non-negative integer>] [--hash]';

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { hash: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--hash') {
      args.hash = true;
    } else if (flag === '--households' || flag === '--seed') {
      const raw = argv[++i];
      if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw new Error(`${flag} needs a non-negative integer\n${USAGE}`);
      }
      if (flag === '--households') args.households = Number(raw);
      else args.seed = Number(raw);
    } else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for npm run seed');
  const secrets = config.matchKeys !== undefined && config.piiKeys !== undefined ? undefined : await loadOrCreateDemoSecrets(config.dataDir);
  const households = args.households ?? config.demoHouseholds;
  const seed = args.seed ?? config.demoSeed;

  const prepared = await prepareDatabase(config.databaseUrl);
  if (prepared.migrations.length > 0) console.log(`applied migrations: ${prepared.migrations.join(', ')}`);

  const summary = await seedDemo(config.databaseUrl, {
    households,
    seed,
    matchKeys: config.matchKeys ?? secrets!.matchKeys,
    piiKeys: config.piiKeys ?? secrets!.piiKeys,
    log: (line) => console.log(line),
  });

  const width = Math.max(...DEMO_TABLES.map((t) => t.length));
  console.log(`\ndemo data set: ${summary.households} households, seed ${summary.seed}`);
  for (const table of DEMO_TABLES) {
    console.log(`  ${table.padEnd(width)} ${String(summary.counts[table]).padStart(10)}`);
  }
  const seconds = summary.elapsedMs / 1000;
  console.log(`  ${'total'.padEnd(width)} ${String(summary.totalRows).padStart(10)}`);
  console.log(`elapsed ${seconds.toFixed(1)} s, ${Math.round(summary.totalRows / seconds)} rows/s`);
  if (args.hash) {
    const hash = await demoContentHash(config.databaseUrl);
    console.log(`content hash ${hash.overall}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
