/**
 * Crash safety of `npm run import`, with a real process kill: the CLI runs as a child
 * process on a generated loans file; once a few chunks have committed it is killed with
 * SIGKILL in the middle of the run. No chunk may be half-written (every batch row has
 * exactly its chunk's loans and households, and no loan lacks its batch); running the
 * same file again skips the chunks that landed and completes the rest, with every loan
 * exactly once.
 *
 * The file is 30 chunks of 100 rows: on the project's shared 2-core machines `upsertLoans`
 * creating a household per loan runs at a few hundred rows per second, so this keeps the
 * test to seconds; `TRIPOD_IMPORT_CHUNK_DELAY_MS` (a test aid) keeps the run long enough
 * to be killed mid-way however fast the service becomes.
 */
import '../api/reset-orm-metadata';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestDatabase } from '../helpers';
import { BANK, csvLine, LOAN_COLUMNS, loanCells, useImportWorld } from './import-world';

const db = useTestDatabase();
const world = useImportWorld(db);

const CHUNK = 100;
const CHUNKS = 30;
const ROWS = CHUNK * CHUNKS;

interface BatchRow {
  external_id: string;
  item_count: number;
  loans: number;
  households: number;
}

/** Every batch of the bank with the loans and households that carry its id. */
async function batches(): Promise<BatchRow[]> {
  return world.sql<BatchRow>(
    `SELECT b.external_id, b.item_count,
            (SELECT count(*)::int FROM loan l WHERE l.batch_id = b.id) AS loans,
            (SELECT count(*)::int FROM household h WHERE h.batch_id = b.id) AS households
       FROM ingest_batch b WHERE b.institution_id = $1 ORDER BY b.id`,
    [world.ids.bank],
  );
}

async function loanFacts(): Promise<{ loans: number; refs: number; orphans: number }> {
  const [row] = await world.sql<{ loans: number; refs: number; orphans: number }>(
    `SELECT count(*)::int AS loans, count(DISTINCT ref)::int AS refs,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM ingest_batch b WHERE b.id = l.batch_id))::int AS orphans
       FROM loan l WHERE l.institution_id = $1`,
    [world.ids.bank],
  );
  return row;
}

/** Every chunk that landed is whole: its batch row, all its loans, all its households. */
function expectWholeChunks(rows: BatchRow[], fileId: string): void {
  for (const row of rows) {
    expect(row).toEqual({ external_id: expect.stringMatching(new RegExp(`^loans-${fileId}-\\d+$`)), item_count: CHUNK, loans: CHUNK, households: CHUNK });
  }
}

test('a SIGKILL mid-run leaves whole chunks only, and a re-run completes the file without duplicates', async () => {
  const file = join(world.dir(), 'big.csv');
  const lines = [csvLine(LOAN_COLUMNS)];
  for (let n = 1; n <= ROWS; n++) lines.push(csvLine(loanCells(`K-${String(n).padStart(5, '0')}`, n)));
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);

  const child = world.spawn(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', String(CHUNK), '--json'], { TRIPOD_IMPORT_CHUNK_DELAY_MS: '100' });
  let stderr = '';
  child.stderr!.on('data', (data) => (stderr += String(data)));
  const exited = once(child, 'exit');

  // Wait until a few chunks have committed, then kill the process without warning.
  const deadline = Date.now() + 120_000;
  let landed = 0;
  while (landed < 3) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the import did not commit 3 chunks in time (exit ${child.exitCode}): ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    landed = (await batches()).length;
  }
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  expect([code, signal]).toEqual([null, 'SIGKILL']);

  // A COMMIT sent just before the kill may still be in the server's hands: wait until the
  // dead process's sessions are gone, so what is read next is final.
  for (let waited = 0; ; waited += 100) {
    const [{ n }] = await world.sql<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    if (n === 0) break;
    if (waited > 30_000) throw new Error(`${n} sessions of the killed import are still open`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const afterKill = await batches();
  expect(afterKill.length).toBeGreaterThanOrEqual(3);
  expect(afterKill.length).toBeLessThan(CHUNKS);
  const fileId = afterKill[0].external_id.split('-')[1];
  expectWholeChunks(afterKill, fileId);
  // Chunks commit in file order: the ones that landed are the first ones.
  expect(afterKill.map((b) => b.external_id)).toEqual(afterKill.map((_, i) => `loans-${fileId}-${i + 1}`));
  expect(await loanFacts()).toEqual({ loans: afterKill.length * CHUNK, refs: afterKill.length * CHUNK, orphans: 0 });

  // The same file again: the landed chunks are skipped, the rest is imported.
  const rerun = await world.run(['--kind', 'loans', '--file', file, '--institution', BANK, '--chunk', String(CHUNK), '--json']);
  expect(rerun.code).toBe(0);
  const summary = JSON.parse(rerun.stdout) as Record<string, unknown>;
  expect(summary).toEqual(
    expect.objectContaining({
      fileId,
      received: ROWS,
      skipped: afterKill.length * CHUNK,
      chunksSkipped: afterKill.length,
      created: ROWS - afterKill.length * CHUNK,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      chunks: CHUNKS,
      chunksSent: CHUNKS - afterKill.length,
    }),
  );
  const final = await batches();
  expect(final).toHaveLength(CHUNKS);
  expectWholeChunks(final, fileId);
  expect(final.map((b) => b.external_id)).toEqual(final.map((_, i) => `loans-${fileId}-${i + 1}`));
  expect(await loanFacts()).toEqual({ loans: ROWS, refs: ROWS, orphans: 0 });
}, 240_000);
