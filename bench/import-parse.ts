/**
 * `node -r ./scripts/register.js bench/import-parse.ts [rows]`: how fast the bulk import
 * reads a loans CSV and turns its rows into items, and in how much memory — the part of
 * `npm run import` that is not the ingestion service. Generates a synthetic file of
 * `rows` loans (default 1,000,000) in a temporary folder, streams it through the same
 * reader and row mapping the import uses (chunks of 1,000 items built and dropped, as the
 * import does between service calls), and prints rows per second, MB per second and
 * the peak resident set size. No database; never in CI.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticNationalId } from '../src/services/identity';
import { bindHeader, FileSource, findImportKind, itemFromCells } from '../src/services/import';

const COLUMNS = 'ref,countyCode,product,borrower.household.headIdNumber,borrower.household.villageCode,principal,disbursedOn,maturesOn,annualRate,subsidyRate,guaranteeMode,paidToAccount,purpose';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'tripod-import-bench-'));
  const file = join(dir, 'loans.csv');
  try {
    const fd = openSync(file, 'w');
    writeSync(fd, `${COLUMNS}\r\n`);
    let buffer = '';
    for (let n = 1; n <= rows; n++) {
      const id = syntheticNationalId('52', `19${60 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`, n % 100_000);
      buffer += `B-${n},522326,POVERTY_MICROCREDIT,${id},522326101201,${10000 + (n % 40) * 1000},2020-03-15,2023-03-14,0.0435,0.0435,CREDIT,HOUSEHOLD,"养殖, ""能繁母猪"""\r\n`;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
    closeSync(fd);
    const bytes = statSync(file).size;

    const kind = findImportKind('loans')!;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = process.hrtime.bigint();
    const source = new FileSource(file, 'csv');
    let header = null as ReturnType<typeof bindHeader> | null;
    let chunk: Array<Record<string, unknown>> = [];
    let items = 0;
    for await (const record of source.records()) {
      if (header === null) {
        header = bindHeader(kind, record.fields ?? []);
        continue;
      }
      chunk.push(itemFromCells(header, record.fields ?? []));
      if (chunk.length === 1000) {
        items += chunk.length;
        chunk = [];
        // Let the sampler run, as the import's awaits on the database would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    items += chunk.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log(`import parse: ${items.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
    console.log(`  ${Math.round(items / seconds).toLocaleString('en-US')} rows/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s, peak RSS ${(peakRss / 1e6).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
