/**
 * `npm run export -- --metric KEY --group-by GROUP --area CODE|nation --as-of YYYY-MM-DD
 *   [--compare-with YYYY-MM-DD] [--book MARKET|OWN_BOOK] [--institution CODE]
 *   [--products A,B] [--models A,B] [--designation KIND] [--out FILE] [--key tpd_…]`
 *
 * Writes a breakdown as CSV (the format of `GET /export/breakdown.csv`) computed on
 * DATABASE_URL as the principal of an API key: `--key`, or TRIPOD_API_KEY so that the
 * key stays out of the shell history. The key decides scoping and suppression exactly
 * as over HTTP; there is no way around it from here. As-of date, schema version and
 * content hash go to stderr (and are columns of every CSV row).
 *
 * Exit codes: 0 done; 1 failed (configuration, database, unexpected); 2 usage error;
 * 3 refused (bad key, a question the key may not ask, a bad argument).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { loadConfig } from '../config';
import { createOrm } from '../db/orm';
import { AuthenticationError, resolvePrincipal } from '../services/auth';
import { breakdownCsv, computeBreakdown, parseBreakdownQuery } from '../services/indicators';

const USAGE = `Usage: npm run export -- --metric KEY --group-by GROUP --area CODE|nation --as-of YYYY-MM-DD
  [--compare-with YYYY-MM-DD] [--book MARKET|OWN_BOOK] [--institution CODE] [--products A,B]
  [--models A,B] [--designation KIND] [--out FILE] [--key tpd_… | env TRIPOD_API_KEY]`;

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_REFUSED = 3;

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        metric: { type: 'string' },
        'group-by': { type: 'string' },
        area: { type: 'string' },
        'as-of': { type: 'string' },
        'compare-with': { type: 'string' },
        book: { type: 'string' },
        institution: { type: 'string' },
        products: { type: 'string' },
        models: { type: 'string' },
        designation: { type: 'string' },
        out: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const key = (values.key as string | undefined) ?? process.env.TRIPOD_API_KEY;
  if (key === undefined || key === '') {
    process.stderr.write(`An API key is required (--key or TRIPOD_API_KEY)\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const config = loadConfig();
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required: the export works on a configured database');

  const orm = await createOrm({ url: config.databaseUrl, poolMax: 2 });
  try {
    const principal = await resolvePrincipal({ authorization: `Bearer ${key}` }, { db: orm.em });
    if (principal === null) throw new AuthenticationError('MALFORMED');
    const args = parseBreakdownQuery({
      metric: values.metric as string | undefined,
      groupBy: values['group-by'] as string | undefined,
      area: values.area as string | undefined,
      asOf: values['as-of'] as string | undefined,
      compareWith: values['compare-with'] as string | undefined,
      book: values.book as string | undefined,
      institution: values.institution as string | undefined,
      products: values.products as string | undefined,
      models: values.models as string | undefined,
      designation: values.designation as string | undefined,
    });
    const breakdown = await computeBreakdown({ em: orm.em.fork(), principal }, args);
    const csv = breakdownCsv(breakdown);
    if (typeof values.out === 'string') writeFileSync(values.out, csv, 'utf8');
    else process.stdout.write(csv);
    process.stderr.write(
      `${breakdown.metric} by ${breakdown.groupBy}, ${breakdown.area.code ?? 'nation'}, as of ${breakdown.asOf}: ${breakdown.rows.length} rows; schema ${breakdown.schemaVersion}; sha256 ${breakdown.contentHash}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AuthenticationError) {
      process.stderr.write('The API key was refused\n');
      return EXIT_REFUSED;
    }
    if (error instanceof GraphQLError && typeof error.extensions?.code === 'string' && error.extensions.code !== 'INTERNAL') {
      process.stderr.write(`${error.extensions.code}: ${error.message}\n`);
      return EXIT_REFUSED;
    }
    throw error;
  } finally {
    await orm.close(true);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
