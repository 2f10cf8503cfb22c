/**
 * `npm run import` end to end through the command's own code path (in process, against
 * this file's database): a loans CSV in chunks with rejected rows, an NDJSON file, the
 * summary reconciled against the database, the error report (line numbers, no ID
 * numbers), re-running a file (everything skipped, nothing new), all-or-nothing chunks,
 * and the usage errors that stop an import before anything is written.
 */
import '../api/reset-orm-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestDatabase } from '../helpers';
import { BANK, csvLine, GUARANTOR, headId, LOAN_COLUMNS, loanCells, useImportWorld } from './import-world';

const db = useTestDatabase();
const world = useImportWorld(db);

interface Summary {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  pendingLink: number;
  rejected: number;
  skipped: number;
  chunks: number;
  chunksSent: number;
  chunksSkipped: number;
  fileId: string;
  batchPrefix: string;
  aborted: boolean;
}

async function importJson(args: string[]): Promise<{ code: number; summary: Summary; stderr: string }> {
  const { code, stdout, stderr } = await world.run([...args, '--json']);
  return { code, summary: JSON.parse(stdout) as Summary, stderr };
}

async function loanCount(): Promise<number> {
  const [row] = await world.sql<{ n: string }>('SELECT count(*) AS n FROM loan WHERE institution_id = $1', [world.ids.bank]);
  return Number(row.n);
}

function errorLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every ID number the file carries, valid or not: none may appear in any output. */
const sentIds: string[] = [];

describe('a loans CSV in chunks, with rejected rows', () => {
  let file: string;
  let errors: string;
  let first: { code: number; summary: Summary; stderr: string };
  const ROWS = 25;

  beforeAll(async () => {
    file = join(world.dir(), 'loans.csv');
    errors = join(world.dir(), 'loans.errors.ndjson');
    const lines = [`\uFEFF${csvLine(LOAN_COLUMNS)}`];
    for (let n = 1; n <= ROWS; n++) {
      let cells = loanCells(`L-${String(n).padStart(4, '0')}`, n);
      if (n === 4) cells = loanCells('L-0004', 4, { 'borrower.household.headIdNumber': headId(4).slice(0, 17) + (headId(4)[17] === '0' ? '1' : '0') });
      if (n === 9) cells = loanCells('L-0009', 9, { principal: '12345.678' });
      if (n === 13) cells = loanCells(`L-${headId(13)}`, 13);
      sentIds.push(cells[3]);
      lines.push(csvLine(cells));
      // Line 19: a quote inside an unquoted field.
      if (n === 17) lines.push('L-BROKEN,522326,POVERTY_"MICRO"CREDIT');
    }
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    first = await importJson(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', '10', '--errors', errors]);
  });

  test('the summary reconciles with the database', async () => {
    expect(first.code).toBe(1);
    const s = first.summary;
    expect(s.received).toBe(ROWS + 1);
    expect(s.created + s.updated + s.unchanged + s.pendingLink + s.rejected + s.skipped).toBe(s.received);
    expect(s).toEqual(expect.objectContaining({ created: ROWS - 3, updated: 0, unchanged: 0, pendingLink: 0, rejected: 4, skipped: 0, chunks: 3, chunksSent: 3, chunksSkipped: 0, aborted: false }));
    expect(await loanCount()).toBe(ROWS - 3);
    const batches = await world.sql<{ external_id: string; item_count: number; loans: string }>(
      `SELECT b.external_id, b.item_count, count(l.id) AS loans FROM ingest_batch b LEFT JOIN loan l ON l.batch_id = b.id
        WHERE b.institution_id = $1 GROUP BY b.id ORDER BY b.id`,
      [world.ids.bank],
    );
    expect(batches.map((b) => b.external_id)).toEqual([1, 2, 3].map((n) => `loans-${s.fileId}-${n}`));
    expect(s.fileId).toMatch(/^[0-9a-f]{12}$/);
  });

  test('progress goes to stderr as plain lines when it is not a terminal', () => {
    expect(first.stderr).toMatch(/^loans: [0-9,]+ rows, [0-9,]+ rows\/s, chunk \d+, \d+ %, ETA \d+:\d\d$/m);
    expect(first.stderr).not.toContain('\r');
  });

  test('rejected rows are in the error report with their lines, reasons and columns, and no ID number', () => {
    const entries = errorLines(errors);
    expect(entries.map((e) => [e.line, e.code, e.reason, e.path])).toEqual([
      [5, 'BAD_USER_INPUT', 'ID_CHECK_CHARACTER', 'borrower.household.headIdNumber'],
      [10, 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'principal'],
      [14, 'BAD_USER_INPUT', expect.any(String), 'ref'],
      [19, 'BAD_USER_INPUT', 'CSV_SYNTAX', null],
    ]);
    expect(entries[0].ref).toBe('L-0004');
    expect(entries[2].ref).toBe('(withheld: contains a national ID number)');
    const text = readFileSync(errors, 'utf8');
    for (const id of sentIds) expect(text).not.toContain(id);
    expect(text).not.toMatch(/[0-9]{17}[0-9Xx]/);
    expect(first.stderr).not.toMatch(/[0-9]{17}[0-9Xx]/);
  });

  test('re-running the same file skips every chunk and writes nothing', async () => {
    const before = await world.sql('SELECT count(*) AS n FROM ingest_batch');
    const again = await importJson(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', '10', '--errors', errors]);
    expect(again.code).toBe(0);
    expect(again.summary).toEqual(expect.objectContaining({ received: ROWS + 1, created: 0, rejected: 0, skipped: ROWS + 1, chunks: 3, chunksSent: 0, chunksSkipped: 3 }));
    expect(await loanCount()).toBe(ROWS - 3);
    expect(await world.sql('SELECT count(*) AS n FROM ingest_batch')).toEqual(before);
  });

  test('the same rows under another batch prefix are sent again and come back UNCHANGED', async () => {
    const again = await importJson(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', '10', '--batch-prefix', 'again']);
    expect(again.summary).toEqual(expect.objectContaining({ received: ROWS + 1, created: 0, unchanged: ROWS - 3, rejected: 4, skipped: 0, chunksSent: 3 }));
    expect(await loanCount()).toBe(ROWS - 3);
  });

  test('the same file cut into other chunks under the same ids is refused, not skipped', async () => {
    const other = await importJson(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', '7']);
    expect(other.code).toBe(2);
    expect(other.summary.aborted).toBe(true);
    expect(other.stderr).toMatch(/already used for other rows.*--batch-prefix/);
    expect(await loanCount()).toBe(ROWS - 3);
  });

  test('the human summary names every count', async () => {
    const { code, stdout } = await world.run(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', '10']);
    expect(code).toBe(0);
    for (const label of ['received', 'created', 'updated', 'unchanged', 'pending link', 'rejected', 'skipped', 'chunks sent']) {
      expect(stdout).toMatch(new RegExp(`^  ${label} +[0-9,]+`, 'm'));
    }
    expect(stdout).toMatch(/skipped +26 +\(already landed: 3 of 3 chunks\)/);
  });
});

describe('an NDJSON file', () => {
  test('loans as JSON lines land with the same rules; bad lines are reported', async () => {
    const file = join(world.dir(), 'more.ndjson');
    const errors = join(world.dir(), 'more.errors.ndjson');
    const item = (n: number) => ({
      ref: `N-${n}`,
      countyCode: '522326',
      product: 'INCLUSIVE_SMALL_MICRO',
      borrower: { household: { headIdNumber: headId(1000 + n), villageCode: '522326101201', headName: '测试户主' } },
      principal: '80000.50',
      disbursedOn: '2020-06-30',
      maturesOn: '2021-06-29',
      annualRate: '0.0500',
      guaranteeMode: 'GUARANTEE',
      paidToAccount: 'HOUSEHOLD',
    });
    const lines = [JSON.stringify(item(1)), '', JSON.stringify(item(2)), '{"ref": "N-3",', JSON.stringify({ ...item(4), colour: 'red' }), JSON.stringify({ ...item(5), principal: 80000.5 })];
    writeFileSync(file, lines.join('\n'));
    const before = await loanCount();
    const { code, summary } = await importJson(['--kind', 'loans', '--file', file, '--institution', BANK, '--errors', errors]);
    expect(code).toBe(1);
    expect(summary).toEqual(expect.objectContaining({ received: 5, created: 2, rejected: 3, skipped: 0, chunks: 1 }));
    expect(await loanCount()).toBe(before + 2);
    const [loan] = await world.sql<{ principal: string; product: string }>('SELECT principal::text AS principal, product FROM loan WHERE institution_id = $1 AND ref = $2', [world.ids.bank, 'N-2']);
    expect(loan).toEqual({ principal: '80000.50', product: 'INCLUSIVE_SMALL_MICRO' });
    expect(errorLines(errors).map((e) => [e.line, e.reason, e.path])).toEqual([
      [4, 'INVALID_JSON', null],
      [5, 'UNKNOWN_FIELD', 'colour'],
      [6, 'INVALID_DECIMAL', 'principal'],
    ]);
  });
});

describe('all-or-nothing chunks', () => {
  test('a chunk with one rejected row lands nothing; the other chunks land', async () => {
    const file = join(world.dir(), 'strict.csv');
    const errors = join(world.dir(), 'strict.errors.ndjson');
    const lines = [csvLine(LOAN_COLUMNS)];
    for (let n = 1; n <= 6; n++) lines.push(csvLine(loanCells(`S-${n}`, 2000 + n, n === 5 ? { maturesOn: '2019-01-01' } : {})));
    writeFileSync(file, lines.join('\n') + '\n');
    const before = await loanCount();
    const { code, summary } = await importJson(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', '3', '--all-or-nothing', '--errors', errors]);
    expect(code).toBe(1);
    expect(summary).toEqual(expect.objectContaining({ received: 6, created: 3, rejected: 3, chunks: 2, partial: false }));
    const refs = await world.sql<{ ref: string }>("SELECT ref FROM loan WHERE institution_id = $1 AND ref LIKE 'S-%' ORDER BY ref", [world.ids.bank]);
    expect(refs.map((r) => r.ref)).toEqual(['S-1', 'S-2', 'S-3']);
    expect(await loanCount()).toBe(before + 3);
    expect(errorLines(errors).map((e) => [e.line, e.reason])).toEqual([
      [5, 'BATCH_ROLLED_BACK'],
      [6, 'DATE_ORDER'],
      [7, 'BATCH_ROLLED_BACK'],
    ]);
  });
});

describe('refused before anything is written', () => {
  const batches = async () => (await world.sql<{ n: string }>('SELECT count(*) AS n FROM ingest_batch'))[0].n;
  let file: string;

  beforeAll(() => {
    file = join(world.dir(), 'one.csv');
    writeFileSync(file, `${csvLine(LOAN_COLUMNS)}\n${csvLine(loanCells('U-1', 3001))}\n`);
  });

  test.each([
    ['an unknown column', ['--kind', 'loans', '--institution', BANK], 'colour', /unknown column "colour"/],
    ['a missing required column', ['--kind', 'loans', '--institution', BANK], '-principal', /missing required column "principal"/],
    ['an unknown institution', ['--kind', 'loans', '--institution', 'NOPE'], '', /Unknown institution "NOPE"/],
    ['an institution whose role may not report the kind', ['--kind', 'loans', '--institution', GUARANTOR], '', /not allowed for the GUARANTOR role/],
    ['an institution of a kind that reports nothing', ['--kind', 'loans', '--institution', 'IMP-OPERATOR'], '', /OPERATOR, which reports no data/],
    ['an unknown kind', ['--kind', 'potatoes', '--institution', BANK], '', /Unknown --kind "potatoes"/],
    ['a chunk above 1,000 rows', ['--kind', 'loans', '--institution', BANK, '--chunk', '1001'], '', /--chunk must be a whole number from 1 to 1000/],
  ])('%s: exit 2', async (_label, args, change, message) => {
    let path = file;
    if (change !== '') {
      path = join(world.dir(), `changed-${change}.csv`);
      const header = change.startsWith('-') ? LOAN_COLUMNS.filter((c) => c !== change.slice(1)) : [...LOAN_COLUMNS, change];
      const cells = change.startsWith('-') ? loanCells('U-2', 3002).filter((_, i) => LOAN_COLUMNS[i] !== change.slice(1)) : [...loanCells('U-2', 3002), 'red'];
      writeFileSync(path, `${csvLine(header)}\n${csvLine(cells)}\n`);
    }
    const before = await batches();
    const { code, stderr } = await world.run([...args, '--file', path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(await batches()).toBe(before);
  });

  test('a CSV file without its header row: exit 2, and the ID number in the first row is not echoed', async () => {
    const path = join(world.dir(), 'headless.csv');
    const cells = loanCells('U-3', 3003);
    writeFileSync(path, `${csvLine(cells)}\n`);
    const before = await batches();
    const { code, stderr } = await world.run(['--kind', 'loans', '--institution', BANK, '--file', path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown column "U-3"/);
    expect(stderr).not.toContain(cells[3]);
    expect(stderr).not.toMatch(/[0-9]{17}[0-9Xx]/);
    expect(await batches()).toBe(before);
  });

  test('an error report that would overwrite the file: exit 2, the file intact', async () => {
    const { code, stderr } = await world.run(['--kind', 'loans', '--institution', BANK, '--file', file, '--errors', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--errors names the file being imported/);
    expect(readFileSync(file, 'utf8')).toContain('U-1');
  });

  test('a file that does not exist: exit 2', async () => {
    const { code, stderr } = await world.run(['--kind', 'loans', '--institution', BANK, '--file', join(world.dir(), 'missing.csv')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Cannot read the file: ENOENT/);
  });
});

test('every run is audited as a command-line import of the institution, its chunks as ingestion batches of the same request', async () => {
  const rows = await world.sql<{ action: string; operation: string; request_id: string; actor_key: string; actor_role: string; actor_institution_id: string; details: Record<string, unknown> }>(
    `SELECT action, operation, request_id, actor_key, actor_role, actor_institution_id::text AS actor_institution_id, details
       FROM audit_log WHERE action IN ('IMPORT_FILE', 'INGEST_BATCH') ORDER BY id`,
  );
  const runs = rows.filter((r) => r.action === 'IMPORT_FILE');
  expect(runs.length).toBeGreaterThanOrEqual(5);
  for (const row of rows) {
    const institution = row.actor_role === 'GUARANTOR' ? world.ids.guarantor : world.ids.bank;
    expect(row).toEqual(expect.objectContaining({ actor_key: expect.stringMatching(/^cli:/), actor_institution_id: institution, request_id: expect.stringMatching(/^cli-import-/) }));
  }
  // The guarantor's refused attempt at loans is on record too, as aborted, with nothing sent.
  expect(runs.filter((r) => r.actor_role === 'GUARANTOR').map((r) => [r.details.outcome, r.details.chunksSent])).toEqual([['ABORTED', 0]]);
  expect(rows.filter((r) => r.action === 'INGEST_BATCH').every((r) => r.operation === 'upsertLoans')).toBe(true);
  // The first run: one IMPORT_FILE entry closing the three INGEST_BATCH entries of its request.
  const first = runs[0];
  expect(first).toEqual(expect.objectContaining({ operation: 'import loans', details: expect.objectContaining({ kind: 'loans', received: 26, created: 22, rejected: 4, outcome: 'COMPLETED' }) }));
  expect(rows.filter((r) => r.request_id === first.request_id).map((r) => r.action)).toEqual(['INGEST_BATCH', 'INGEST_BATCH', 'INGEST_BATCH', 'IMPORT_FILE']);
});
