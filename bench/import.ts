/**
 * `npm run bench:import`: bulk-import throughput against PostgreSQL `COPY` (issue 5;
 * never part of `npm test` or CI). Target: the hub's path at ≥ 25 % of COPY's rows/s,
 * with memory flat.
 *
 * 1. Its own database `tripod_bench_import` (DATABASE_URL's server, or an embedded
 *    PostgreSQL in `.data/bench-import-pg` without it), dropped and re-created: migrated,
 *    reference data loaded (`prepareDatabase`), one bank.
 * 2. BENCH_IMPORT_HOUSEHOLDS (300,000) registered households in the villages of real
 *    counties, each with its head's synthetic national ID number (valid check character,
 *    reserved `PP99xx` address codes) matched through `household_identity` — created in
 *    SQL, untimed.
 * 3. BENCH_IMPORT_ROWS (1,000,000) synthetic loans to them, written twice from the same
 *    generator: the partner file the import CLI reads (`loans.csv`, borrowers named by
 *    ID number and village), and the same rows as `loan` table columns (`loans.copy.csv`,
 *    borrowers as household ids) for COPY.
 * 4. (a) FLOOR: `\copy loan (…) FROM 'loans.copy.csv' CSV` through psql — one statement
 *    into the same table with all its indexes, constraints and foreign keys in place.
 *    Only the `loan` rows: no ID hashing or matching, no versions, no change feed, no
 *    batch bookkeeping. The loans are then truncated.
 *    (b) HUB: the partner file read as a stream, cut into chunks of 1,000 rows, each sent
 *    to `upsertLoans` (the service the mutation and the import CLI call) with
 *    `partial: true` and its own batch id, one after the other, in this process. RSS
 *    sampled every 200 ms: start, peak, end.
 *    (c) CLI (BENCH_IMPORT_CLI=1, when `src/cli/import.ts` exists): the same file through
 *    `npm run import` end to end, in a child process, after truncating again.
 *    (d) BENCH_IMPORT_ITEM_ROWS=n: the item-by-item path the set-based one replaced (the
 *    same kind without `applyAll`) on the first n rows, for comparison.
 * 5. Rows/s of each, the ratio hub / COPY, and memory, on stdout (markdown).
 *
 * Settings: DATABASE_URL, BENCH_IMPORT_ROWS, BENCH_IMPORT_HOUSEHOLDS, BENCH_IMPORT_CLI, BENCH_IMPORT_ITEM_ROWS,
 * BENCH_IMPORT_KEEP=1 (keep the database and files afterwards).
 */
import './production-env';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { projectRoot } from '../src/config';
import { createDatabase, databaseExists, dropDatabase, withClient, withDatabase } from '../src/db/admin';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded';
import { createOrm } from '../src/db/orm';
import { prepareDatabase } from '../src/db/prepare';
import type { Principal } from '../src/services/access';
import { deterministicHouseholdRef, encryptPii, matchHash, parseKeyring, syntheticNationalId } from '../src/services/identity';
import { runBatch, upsertLoans, type LoanItemInput } from '../src/services/ingestion';
import { LOAN_INGESTION } from '../src/services/ingestion/loan.ingestion';
import { freePort } from './dataset';

const DATABASE = 'tripod_bench_import';
const BANK_CODE = 'BENCH-BANK';
const say = (line: string) => process.stderr.write(`${line}\n`);

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Synthetic keys for synthetic data: they protect nothing real. */
const derive = (purpose: string) => `v1:${createHash('sha256').update(`tripod-bench-import:${purpose}`).digest('base64')}`;
const MATCH_KEYS = derive('match');
const PII_KEYS = derive('pii');

/** A small deterministic generator (mulberry32), so every run imports the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (base: string, days: number) => new Date(Date.parse(`${base}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** RSS sampled every 200 ms while `work` runs. */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; rss: { start: number; peak: number; end: number } }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 200);
  const began = process.hrtime.bigint();
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    const end = process.memoryUsage.rss();
    return { value, seconds, rss: { start, peak: Math.max(peak, end), end } };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

interface Household {
  id: string;
  idNumber: string;
  village: string;
  county: string;
}

async function seedHouseholds(client: Client, count: number, bankId: string, batchId: string): Promise<Household[]> {
  const pii = parseKeyring(PII_KEYS, 'pii');
  const match = parseKeyring(MATCH_KEYS, 'match');
  // Villages of the counties still "uncapped" in 2020 (real geography), all counties otherwise.
  let villages = (
    await client.query<{ code: string; county: string }>(
      `SELECT v.code, c.code AS county FROM area v JOIN area c ON c.code = left(v.code, 6) AND c.level = 'COUNTY'
        WHERE v.level = 'VILLAGE' AND c.code IN (SELECT area_code FROM area_designation WHERE kind = 'UNCAPPED_2020') ORDER BY v.code`,
    ).catch(() => ({ rows: [] as Array<{ code: string; county: string }> }))
  ).rows;
  if (villages.length === 0) {
    villages = (
      await client.query<{ code: string; county: string }>(
        `SELECT v.code, c.code AS county FROM area v JOIN area c ON c.code = left(v.code, 6) AND c.level = 'COUNTY' WHERE v.level = 'VILLAGE' ORDER BY v.code`,
      )
    ).rows;
  }
  say(`bench:import: ${count} households in ${villages.length} villages of ${new Set(villages.map((v) => v.county)).size} counties`);
  const next = random(7);
  const households: Household[] = [];
  const name = encryptPii(pii, '测试户主');
  for (let from = 0; from < count; from += 10_000) {
    const chunk: Array<Household & { ref: string; hash: Buffer }> = [];
    for (let k = from; k < Math.min(count, from + 10_000); k++) {
      const village = villages[Math.floor(next() * villages.length)];
      // Heads born 1960–1987 (ages 32–60 in 2020); one number per (birth date, sequence).
      const idNumber = syntheticNationalId(village.code.slice(0, 2), day('1960-01-01', k % 10_000), 1 + Math.floor(k / 10_000));
      chunk.push({ id: '', idNumber, village: village.code, county: village.county, ref: deterministicHouseholdRef(5, k), hash: matchHash(match, idNumber).hash });
    }
    const ids = await client.query<{ id: string }>(
      `INSERT INTO household (source_institution_id, batch_id, received_at, ref, village_code, county_code, status, status_since, name_enc, pii_key_version, version)
       SELECT $1, $2, now(), h.ref, h.village, h.county, 'REGISTERED_POOR', '2016-03-01', $3, 1, 1
         FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS h(ref, village, county, ord) ORDER BY h.ord
       RETURNING id::text AS id`,
      [bankId, batchId, name, chunk.map((h) => h.ref), chunk.map((h) => h.village), chunk.map((h) => h.county)],
    );
    chunk.forEach((h, i) => (h.id = ids.rows[i].id));
    await client.query(
      `INSERT INTO household_identity (household_id, county_code, key_version, match_hash)
       SELECT h.id, h.county, 1, decode(h.digest, 'hex') FROM unnest($1::bigint[], $2::text[], $3::text[]) AS h(id, county, digest)`,
      [chunk.map((h) => h.id), chunk.map((h) => h.county), chunk.map((h) => h.hash.toString('hex'))],
    );
    for (const h of chunk) households.push({ id: h.id, idNumber: h.idNumber, village: h.village, county: h.county });
  }
  return households;
}

const PARTNER_COLUMNS = [
  'ref',
  'countyCode',
  'product',
  'borrower.household.headIdNumber',
  'borrower.household.villageCode',
  'principal',
  'disbursedOn',
  'maturesOn',
  'annualRate',
  'subsidyRate',
  'guaranteeMode',
  'paidToAccount',
  'purpose',
];
const COPY_COLUMNS = [
  'source_institution_id',
  'batch_id',
  'institution_id',
  'ref',
  'county_code',
  'product',
  'borrower_kind',
  'household_id',
  'principal',
  'disbursed_on',
  'matures_on',
  'annual_rate',
  'subsidy_rate',
  'guarantee_mode',
  'paid_to_account',
  'purpose',
  'version',
];

async function writeFiles(dir: string, rows: number, households: readonly Household[], bankId: string, batchId: string): Promise<{ partner: string; copy: string }> {
  const partner = join(dir, 'loans.csv');
  const copy = join(dir, 'loans.copy.csv');
  const a = createWriteStream(partner);
  const b = createWriteStream(copy);
  const write = (stream: ReturnType<typeof createWriteStream>, line: string) =>
    stream.write(line) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  await write(a, `${PARTNER_COLUMNS.join(',')}\n`);
  const next = random(11);
  const products = ['POVERTY_MICROCREDIT', 'POVERTY_MICROCREDIT', 'POVERTY_MICROCREDIT', 'INDUSTRIAL', 'OTHER_AGRI'];
  const modes = ['CREDIT', 'CREDIT', 'GUARANTEE', 'INSURANCE', 'MIXED'];
  const purposes = ['养殖能繁母猪', '种植茶叶', '发展林下经济', '购买农机具', '经营农家乐'];
  let lineA = '';
  let lineB = '';
  for (let n = 0; n < rows; n++) {
    const h = households[Math.floor(next() * households.length)];
    const ref = `BL${String(n).padStart(8, '0')}`;
    const product = products[Math.floor(next() * products.length)];
    const principal = `${(10 + Math.floor(next() * 41)) * 1000}.00`;
    const disbursed = day('2019-01-01', Math.floor(next() * 700));
    const matures = day(disbursed, 365 * (1 + Math.floor(next() * 3)) - 1);
    const rate = '0.043500';
    const subsidy = product === 'POVERTY_MICROCREDIT' ? rate : '';
    const mode = modes[Math.floor(next() * modes.length)];
    const purpose = purposes[Math.floor(next() * purposes.length)];
    lineA += `${ref},${h.county},${product},${h.idNumber},${h.village},${principal},${disbursed},${matures},${rate},${subsidy},${mode},HOUSEHOLD,${purpose}\n`;
    lineB += `${bankId},${batchId},${bankId},${ref},${h.county},${product},HOUSEHOLD,${h.id},${principal},${disbursed},${matures},${rate},${subsidy},${mode},HOUSEHOLD,${purpose},1\n`;
    if (lineA.length > 1 << 20) {
      await write(a, lineA);
      await write(b, lineB);
      lineA = lineB = '';
    }
  }
  await write(a, lineA);
  await write(b, lineB);
  await Promise.all([new Promise((resolve) => a.end(resolve)), new Promise((resolve) => b.end(resolve))]);
  return { partner, copy };
}

/** The partner file in chunks of 1,000 items, as the import CLI cuts it (a CSV of plain cells: no quoting needed). */
async function* chunks(file: string, size: number): AsyncGenerator<LoanItemInput[]> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: string[] | null = null;
  let chunk: LoanItemInput[] = [];
  for await (const line of lines) {
    if (header === null) {
      header = line.split(',');
      continue;
    }
    const c = line.split(',');
    chunk.push({
      ref: c[0],
      countyCode: c[1],
      product: c[2],
      borrower: { household: { headIdNumber: c[3], villageCode: c[4] } },
      principal: c[5],
      disbursedOn: c[6],
      maturesOn: c[7],
      annualRate: c[8],
      subsidyRate: c[9] === '' ? null : c[9],
      guaranteeMode: c[10],
      paidToAccount: c[11],
      purpose: c[12],
    });
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function truncateLoans(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('TRUNCATE loan, change_event CASCADE');
    await client.query(`DELETE FROM record_version WHERE record_kind = 'LOAN'`);
    await client.query(`DELETE FROM ingest_batch WHERE kind = 'upsertLoans'`);
    await client.query('VACUUM ANALYZE');
  });
}

async function main(): Promise<void> {
  const rows = intSetting('BENCH_IMPORT_ROWS', 1_000_000);
  const householdCount = intSetting('BENCH_IMPORT_HOUSEHOLDS', Math.min(300_000, rows));
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const dir = join(projectRoot(), 'bench', 'out', 'import');
  await mkdir(dir, { recursive: true });

  let embedded: EmbeddedPostgres | undefined;
  let adminUrl: string;
  if (databaseUrl !== undefined) {
    adminUrl = withDatabase(databaseUrl, 'postgres');
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: join(projectRoot(), '.data', 'bench-import-pg'), port: await freePort(), portSetting: 'the bench (a free port is picked)', log: say });
    adminUrl = embedded.url;
  }
  const url = withDatabase(adminUrl, DATABASE);
  try {
    if (await databaseExists(adminUrl, DATABASE)) await dropDatabase(adminUrl, DATABASE);
    await createDatabase(adminUrl, DATABASE);
    await prepareDatabase(url);
    const setupStarted = Date.now();
    const { bankId, batchId, households } = await withClient(url, async (client) => {
      const bank = await client.query<{ id: string }>(
        `INSERT INTO institution (code, name, kind, home_area_code) VALUES ($1, '基准测试农商银行（演示）', 'BANK', '52') RETURNING id::text AS id`,
        [BANK_CODE],
      );
      const bankId = bank.rows[0].id;
      const batch = await client.query<{ id: string }>(
        `INSERT INTO ingest_batch (institution_id, external_id, kind, payload_hash, item_count) VALUES ($1, 'bench-seed', 'benchSeed', $2, 0) RETURNING id::text AS id`,
        [bankId, 'f'.repeat(64)],
      );
      const households = await seedHouseholds(client, householdCount, bankId, batch.rows[0].id);
      await client.query('VACUUM ANALYZE');
      return { bankId, batchId: batch.rows[0].id, households };
    });
    const files = await writeFiles(dir, rows, households, bankId, batchId);
    const fileSize = (await stat(files.partner)).size;
    say(`bench:import: setup (households, files) in ${((Date.now() - setupStarted) / 1000).toFixed(0)} s; partner file ${mb(fileSize)}`);

    // (a) COPY, the floor.
    say('bench:import: COPY …');
    const copied = await sampled(() =>
      promisify(execFile)('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy loan (${COPY_COLUMNS.join(', ')}) FROM '${files.copy}' WITH (FORMAT csv)`], {
        maxBuffer: 1 << 20,
      }),
    );
    const copyRate = rows / copied.seconds;
    say(`bench:import: COPY ${rows} rows in ${copied.seconds.toFixed(1)} s = ${copyRate.toFixed(0)} rows/s (${copied.value.stdout.trim()})`);
    await truncateLoans(url);

    // (b) The hub's path: upsertLoans per 1,000-row chunk.
    const orm = await createOrm({ url, poolMax: 2 });
    const principal: Principal = { role: 'BANK', institutionId: bankId, institutionCode: BANK_CODE, areaCodes: [], keyId: 'bench-import' };
    const deps = { matchKeyring: parseKeyring(MATCH_KEYS, 'match'), piiKeyring: parseKeyring(PII_KEYS, 'pii') };
    const counts = { created: 0, updated: 0, unchanged: 0, rejected: 0, batches: 0 };
    say('bench:import: hub (upsertLoans, 1,000-row batches) …');
    const runId = randomUUID().slice(0, 8);
    const hub = await sampled(async () => {
      for await (const items of chunks(files.partner, 1000)) {
        const result = await upsertLoans({ em: orm.em.fork(), principal, requestId: `bench-import-${counts.batches}` }, deps, {
          batchId: `bench-${runId}-${counts.batches}`,
          partial: true,
          items,
        });
        counts.created += result.counts.created;
        counts.updated += result.counts.updated;
        counts.unchanged += result.counts.unchanged;
        counts.rejected += result.counts.rejected;
        counts.batches++;
        if (counts.batches % 50 === 0) say(`bench:import:   ${counts.batches * 1000} rows, rss ${mb(process.memoryUsage.rss())}`);
      }
    });
    await orm.close(true);
    const hubRate = rows / hub.seconds;
    say(`bench:import: hub ${rows} rows in ${hub.seconds.toFixed(1)} s = ${hubRate.toFixed(0)} rows/s; ${JSON.stringify(counts)}`);

    // (c) The import CLI end to end, if asked for and present.
    let cli: { seconds: number; exit: number | null } | null = null;
    if (process.env.BENCH_IMPORT_CLI === '1' && existsSync(join(projectRoot(), 'src', 'cli', 'import.ts'))) {
      await truncateLoans(url);
      say('bench:import: CLI (npm run import) …');
      const began = Date.now();
      const exit = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/cli/import.ts', '--kind', 'loans', '--file', files.partner, '--institution', BANK_CODE], {
          cwd: projectRoot(),
          env: { ...process.env, DATABASE_URL: url, TRIPOD_MATCH_KEYS: MATCH_KEYS, TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_TOKEN_SECRET: 'bench-import-only-synthetic-token-secret', NODE_ENV: 'production' },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.on('exit', (code) => resolve(code));
      });
      cli = { seconds: (Date.now() - began) / 1000, exit };
      say(`bench:import: CLI ${rows} rows in ${cli.seconds.toFixed(1)} s = ${(rows / cli.seconds).toFixed(0)} rows/s (exit ${exit})`);
    }

    // (d) For comparison, the item-by-item path the set-based one replaced, on the first rows.
    let itemPath: { rows: number; seconds: number } | null = null;
    const itemRows = Math.min(rows, intSetting('BENCH_IMPORT_ITEM_ROWS', 0) || 0);
    if (itemRows > 0) {
      await truncateLoans(url);
      say(`bench:import: item-by-item path on the first ${itemRows} rows …`);
      const itemOrm = await createOrm({ url, poolMax: 2 });
      const oneByOne = { ...LOAN_INGESTION, applyAll: undefined };
      let sent = 0;
      const timed = await sampled(async () => {
        for await (const items of chunks(files.partner, 1000)) {
          if (sent >= itemRows) break;
          await runBatch({ em: itemOrm.em.fork(), principal, requestId: `bench-item-${sent}` }, deps, oneByOne, { batchId: `bench-item-${runId}-${sent}`, partial: true, items });
          sent += items.length;
        }
      });
      await itemOrm.close(true);
      itemPath = { rows: sent, seconds: timed.seconds };
      say(`bench:import: item-by-item ${sent} rows in ${timed.seconds.toFixed(1)} s = ${(sent / timed.seconds).toFixed(0)} rows/s`);
    }

    const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
    const lines = [
      `| measure | rows | seconds | rows/s | vs COPY | RSS start / peak / end |`,
      `| --- | ---: | ---: | ---: | ---: | --- |`,
      `| COPY into \`loan\` (psql \\copy) | ${rows} | ${copied.seconds.toFixed(1)} | ${copyRate.toFixed(0)} | 100 % | (psql) |`,
      `| hub: \`upsertLoans\`, 1,000-row batches | ${rows} | ${hub.seconds.toFixed(1)} | ${hubRate.toFixed(0)} | ${((100 * hubRate) / copyRate).toFixed(1)} % | ${mb(hub.rss.start)} / ${mb(hub.rss.peak)} / ${mb(hub.rss.end)} |`,
      ...(itemPath === null
        ? []
        : [`| item-by-item path (before; first rows only) | ${itemPath.rows} | ${itemPath.seconds.toFixed(1)} | ${(itemPath.rows / itemPath.seconds).toFixed(0)} | ${((100 * itemPath.rows) / itemPath.seconds / copyRate).toFixed(1)} % | |`]),
      ...(cli === null
        ? []
        : cli.exit === 0
          ? [`| CLI: \`npm run import\` end to end | ${rows} | ${cli.seconds.toFixed(1)} | ${(rows / cli.seconds).toFixed(0)} | ${((100 * rows) / cli.seconds / copyRate).toFixed(1)} % | (child) |`]
          : [`| CLI: \`npm run import\` end to end | failed (exit ${cli.exit}) | | | | |`]),
      '',
      `${householdCount} households pre-registered; ${counts.batches} batches: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.rejected} rejected.`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${mb(os.totalmem())}, Node ${process.version}, ${databaseUrl === undefined ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}; load average at the end ${load}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (process.env.BENCH_IMPORT_KEEP !== '1') {
      await rm(dir, { recursive: true, force: true });
      await dropDatabase(adminUrl, DATABASE).catch(() => undefined);
    }
    await embedded?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
