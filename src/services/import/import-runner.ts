/**
 * The bulk import of one partner file (issue 5): the file is read as a stream, cut into
 * chunks of at most 1,000 rows, and each chunk is sent to the kind's ingestion service —
 * the function the mutation calls — as one batch, committed atomically by the batch
 * engine. Nothing here decides whether a row is valid beyond turning cells into an item;
 * the services' rules are the rules.
 *
 * Resumability. A chunk's batch id is derived from the file's content:
 * `<prefix>-<first 12 hex of the file's SHA-256>-<chunk number>`. Before a chunk is sent
 * its id is looked up in `ingest_batch`; a chunk that landed (its payload hash matches the
 * rows now read, in either mode) is skipped. So re-running a file after a crash, a kill
 * or a lost connection sends only the chunks that did not commit, and nothing is written
 * twice; were a landed chunk sent again anyway (a race with another run), the engine would
 * answer it as a replay and apply nothing. A batch id found with a different payload
 * (the same file cut with another `--chunk`) stops the import: use another `--batch-prefix`.
 *
 * Memory stays bounded by one chunk: the next chunk is read only after the previous one
 * committed, and the error report is written with back-pressure.
 *
 * National ID numbers never leave the item they arrived in: the error report carries
 * the engine's echoed references (which withhold any reference containing one) and
 * messages that name fields, and anything shaped like an ID number is cut from every
 * string written.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../access/principal';
import { createAuditSink } from '../audit';
import { toQueryable } from '../auth';
import { containsNationalId, type BatchResult, type IngestionDependencies, type ItemResult } from '../ingestion';
import { payloadHash } from '../ingestion/payload-hash';
import { FileSource, fileDigest, ImportFileError, type FileFormat, type SourceRecord } from './file-source';
import type { ImportKind } from './kinds';
import { bindHeader, HeaderError, itemFromCells, itemFromJson, RowError, type BoundHeader } from './row-mapping';

/** Most rows per chunk: the services' batch limit. */
export const MAX_CHUNK_ROWS = 1000;
const BATCH_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** A chunk that met a concurrent writer (CONFLICT / RETRY) is sent again this many times. */
const RETRIES = 4;

export interface ImportOptions {
  kind: ImportKind;
  file: string;
  format: FileFormat;
  /** First part of every batch id; the kind's name by default. */
  batchPrefix?: string | null;
  /** Rows per chunk, 1 to 1,000. */
  chunkSize: number;
  /** True (the default): valid rows of a chunk land, rejected ones are reported. False: a chunk is all-or-nothing. */
  partial: boolean;
  /** Where the per-row error report (NDJSON) goes; null: not written. */
  errorsPath: string | null;
  /** Test aid: a pause after each chunk sent, so that a test can kill the process mid-run. */
  chunkDelayMs?: number;
  /** Called often while reading; throttle in the callee. */
  onProgress?(progress: ImportProgress): void;
}

export interface ImportProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
  chunks: number;
}

/** The reconciliation of one run: every row read is in exactly one of the counts below `received`. */
export interface ImportSummary {
  kind: string;
  /** First 12 hex digits of the file's SHA-256: the middle part of its batch ids. */
  fileId: string;
  batchPrefix: string;
  partial: boolean;
  chunkSize: number;
  chunks: number;
  chunksSent: number;
  chunksSkipped: number;
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  pendingLink: number;
  rejected: number;
  /** Rows of chunks that had already landed (an earlier run): not sent again. */
  skipped: number;
  errorsFile: string | null;
  elapsedMs: number;
}

/** One line of the error report. */
export interface ImportRowError {
  /** Line of the file the row starts on (1 is a CSV file's header). */
  line: number;
  ref: string;
  code: string;
  reason: string | null;
  /** The field at fault, as a column name (`borrower.household.headIdNumber`), if one is. */
  path: string | null;
  message: string;
  /** The chunk's batch id; null for rows never sent. */
  batchId: string | null;
}

/** The import stopped (a usage, file or database problem); `summary` says what was done before. */
export class ImportAbortedError extends Error {
  constructor(
    readonly summary: ImportSummary,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'ImportAbortedError';
  }
}

/** A problem with the options or the file's identity, found before or while importing. */
export class ImportUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportUsageError';
  }
}

export interface ImportEnvironment {
  /** The EntityManager each chunk forks its scope from. */
  em: EntityManager;
  principal: Readonly<Principal>;
  deps: IngestionDependencies;
  /** One id for the run: every chunk's audit entry carries it. */
  requestId?: string;
}

interface Row {
  line: number;
  item: Record<string, unknown> | null;
  error: RowError | null;
}

/**
 * Imports one file.
 *
 * @throws ImportUsageError, HeaderError or ImportFileError before anything is written
 *   (bad options, an unknown or missing column, an unreadable file).
 * @throws ImportAbortedError when the import stops after it started writing; its
 *   `cause` is the original error (a file error, a refusal, a database error).
 */
export async function runImport(env: ImportEnvironment, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const prefix = options.batchPrefix ?? options.kind.name;
  if (!BATCH_PREFIX.test(prefix) || containsNationalId(prefix)) {
    throw new ImportUsageError('--batch-prefix must be 1 to 64 letters, digits or ". _ : -", starting with a letter or digit');
  }
  if (!Number.isSafeInteger(options.chunkSize) || options.chunkSize < 1 || options.chunkSize > MAX_CHUNK_ROWS) {
    throw new ImportUsageError(`--chunk must be a whole number from 1 to ${MAX_CHUNK_ROWS}`);
  }
  if (options.errorsPath !== null && resolve(options.errorsPath) === resolve(options.file)) {
    throw new ImportUsageError('--errors names the file being imported; the report would overwrite it');
  }
  if (env.principal.institutionId === null) throw new ImportUsageError('An import acts for an institution');
  const institutionId = env.principal.institutionId;
  const requestId = env.requestId ?? `cli-import-${randomUUID()}`;
  const db = toQueryable(env.em);

  const digest = await fileDigest(options.file);
  const fileId = digest.sha256.slice(0, 12);
  const summary: ImportSummary = {
    kind: options.kind.name,
    fileId,
    batchPrefix: prefix,
    partial: options.partial,
    chunkSize: options.chunkSize,
    chunks: 0,
    chunksSent: 0,
    chunksSkipped: 0,
    received: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    pendingLink: 0,
    rejected: 0,
    skipped: 0,
    errorsFile: options.errorsPath,
    elapsedMs: 0,
  };

  const source = new FileSource(options.file, options.format);
  const records = source.records();
  // The header is checked before anything is written, and before the error report is opened.
  let header: BoundHeader | null = null;
  if (options.format === 'csv') {
    try {
      const first = await records.next();
      if (first.done) throw new HeaderError('The file is empty: a CSV file starts with a header row');
      if (first.value.error !== null) throw new HeaderError(`The header row is malformed: ${first.value.error}`);
      header = bindHeader(options.kind, first.value.fields ?? []);
    } catch (error) {
      await records.return(undefined);
      throw error;
    }
  }

  const report = options.errorsPath === null ? null : new ErrorReport(options.errorsPath);
  const progress = (): void =>
    options.onProgress?.({ rows: summary.received, bytesRead: source.bytesRead, totalBytes: digest.bytes, elapsedMs: Date.now() - started, chunks: summary.chunks });

  let failure: unknown = null;
  try {
    if (report !== null) await report.open();
    let rows: Row[] = [];
    const flush = async (): Promise<void> => {
      if (rows.length === 0) return;
      summary.chunks++;
      await importChunk(env, options, { db, institutionId, requestId, batchId: `${prefix}-${fileId}-${summary.chunks}`, rows, summary, report });
      rows = [];
      progress();
      if (options.chunkDelayMs !== undefined && options.chunkDelayMs > 0) await sleep(options.chunkDelayMs);
    };
    for await (const record of records) {
      summary.received++;
      rows.push(toRow(options.kind, header, record));
      if (summary.received % 256 === 0) progress();
      if (rows.length >= options.chunkSize) await flush();
    }
    await flush();
    if (source.sha256() !== digest.sha256) {
      throw new ImportFileError('The file changed while it was being imported; run the import again on the final file');
    }
  } catch (error) {
    failure = error;
  } finally {
    await report?.close().catch((error: unknown) => {
      failure ??= new ImportFileError(`Cannot write the error report: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    });
    summary.elapsedMs = Date.now() - started;
    progress();
  }
  await auditRun(env, requestId, summary, failure).catch((error: unknown) => {
    failure ??= error;
  });
  if (failure !== null) throw new ImportAbortedError(summary, failure);
  return summary;
}

function toRow(kind: ImportKind, header: BoundHeader | null, record: SourceRecord): Row {
  if (record.error !== null) {
    return { line: record.line, item: null, error: new RowError(header === null ? 'INVALID_JSON' : 'CSV_SYNTAX', null, `The row cannot be read: ${record.error}`) };
  }
  try {
    const item = header === null ? itemFromJson(kind, record.value) : itemFromCells(header, record.fields ?? []);
    return { line: record.line, item, error: null };
  } catch (error) {
    if (error instanceof RowError) return { line: record.line, item: null, error };
    throw error;
  }
}

interface ChunkContext {
  db: ReturnType<typeof toQueryable>;
  institutionId: string;
  requestId: string;
  batchId: string;
  rows: Row[];
  summary: ImportSummary;
  report: ErrorReport | null;
}

async function importChunk(env: ImportEnvironment, options: ImportOptions, chunk: ChunkContext): Promise<void> {
  const { rows, summary, batchId } = chunk;
  const valid = rows.filter((row) => row.item !== null);
  const items = valid.map((row) => row.item!);
  const malformed = rows.filter((row) => row.error !== null);

  if (items.length > 0 && (await landedBefore(env, chunk, items))) {
    summary.chunksSkipped++;
    summary.skipped += rows.length;
    return;
  }
  // The chunk's rejections, written in line order once the chunk is done.
  const errors: ImportRowError[] = malformed.map((row) => rowError(options.kind, row, null));
  summary.rejected += malformed.length;
  try {
    if (items.length === 0) return;
    if (!options.partial && malformed.length > 0) {
      // All-or-nothing: a row that could not even be read sinks its chunk like a rejected item.
      const lines = malformed.map((row) => row.line);
      const list = lines.length > 10 ? `${lines.slice(0, 10).join(', ')} …` : lines.join(', ');
      for (const row of valid) {
        summary.rejected++;
        errors.push({
          line: row.line,
          ref: echo(options.kind.refOf(row.item!)),
          code: 'BAD_USER_INPUT',
          reason: 'BATCH_ROLLED_BACK',
          path: null,
          message: `Not applied: the chunk is all-or-nothing and line(s) ${list} were rejected`,
          batchId: null,
        });
      }
      return;
    }

    const result = await sendWithRetries(env, options, chunk.requestId, batchId, items);
    summary.chunksSent++;
    summary.created += result.counts.created;
    summary.updated += result.counts.updated;
    summary.unchanged += result.counts.unchanged;
    summary.pendingLink += result.counts.pendingLink;
    summary.rejected += result.counts.rejected;
    for (const item of result.items) {
      if (item.status === 'REJECTED') errors.push(itemError(valid[item.index], item, batchId));
    }
  } finally {
    errors.sort((a, b) => a.line - b.line);
    for (const error of errors) await chunk.report?.write(error);
  }
}

/**
 * True when this chunk already landed: its batch id is in `ingest_batch` with the payload
 * hash of these rows (in either mode: a chunk that landed all-or-nothing also landed).
 *
 * @throws ImportUsageError when the id is taken by another payload.
 */
async function landedBefore(env: ImportEnvironment, chunk: ChunkContext, items: Array<Record<string, unknown>>): Promise<boolean> {
  const found = await chunk.db.query<{ kind: string; payload_hash: string }>(
    'SELECT kind, payload_hash FROM ingest_batch WHERE institution_id = $1 AND external_id = $2',
    [chunk.institutionId, chunk.batchId],
  );
  const row = found.rows[0];
  if (row === undefined) return false;
  for (const partial of [true, false]) {
    if (payloadHash(row.kind, partial, items, env.deps.matchKeyring) === row.payload_hash) return true;
  }
  throw new ImportUsageError(
    `Batch id ${chunk.batchId} was already used for other rows (the same file cut with another --chunk, or the matching key rotated): ` +
      'import with another --batch-prefix',
  );
}

async function sendWithRetries(env: ImportEnvironment, options: ImportOptions, requestId: string, batchId: string, items: Array<Record<string, unknown>>): Promise<BatchResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await options.kind.service({ em: env.em.fork(), principal: env.principal, requestId }, env.deps, { batchId, partial: options.partial, items });
    } catch (error) {
      const extensions = (error as GraphQLError | null)?.extensions;
      if (attempt < RETRIES && extensions?.code === 'CONFLICT' && extensions.reason === 'RETRY') {
        await sleep(500 * 2 ** attempt);
        continue;
      }
      throw error;
    }
  }
}

function rowError(kind: ImportKind, row: Row, batchId: string | null): ImportRowError {
  const error = row.error!;
  return { line: row.line, ref: echo(row.item === null ? '' : kind.refOf(row.item)), code: 'BAD_USER_INPUT', reason: error.reason, path: error.path, message: error.message, batchId };
}

function itemError(row: Row, item: ItemResult, batchId: string): ImportRowError {
  // The engine's paths are `items[i].field`; the file knows the field as a column.
  const path = item.path === null ? null : item.path.replace(/^items\[\d+\]\.?/, '') || null;
  return { line: row.line, ref: item.ref, code: item.code ?? 'BAD_USER_INPUT', reason: item.reason, path, message: item.message ?? '', batchId };
}

/** A reference as the engine echoes it: cut to 100 characters, withheld when it carries a national ID number. */
function echo(ref: string): string {
  const cut = Array.from(ref).slice(0, 100).join('');
  return containsNationalId(cut) ? '(withheld: contains a national ID number)' : cut;
}

/** Anything shaped like a national ID number, valid or not, cut from text written to the report. */
export function withholdIdNumbers(text: string): string {
  return text.replace(/[0-9]{17}[0-9Xx]/g, '(withheld)');
}

/** The per-row error report: NDJSON, written as rows are rejected, with back-pressure. */
class ErrorReport {
  private stream: WriteStream | null = null;

  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    const stream = createWriteStream(this.path, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new ImportFileError(`Cannot write the error report: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
    });
    this.stream = stream;
  }

  async write(entry: ImportRowError): Promise<void> {
    if (this.stream === null) return;
    const safe: ImportRowError = {
      line: entry.line,
      ref: withholdIdNumbers(entry.ref),
      code: entry.code,
      reason: entry.reason,
      path: entry.path === null ? null : withholdIdNumbers(entry.path),
      message: withholdIdNumbers(entry.message),
      batchId: entry.batchId,
    };
    if (!this.stream.write(`${JSON.stringify(safe)}\n`)) {
      await new Promise<void>((resolve) => this.stream!.once('drain', () => resolve()));
    }
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream === null) return;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/**
 * One audit entry for the run, besides the engine's one per chunk: what was imported,
 * by which operator (the principal's `cli:<user>`), and how it ended.
 */
async function auditRun(env: ImportEnvironment, requestId: string, summary: ImportSummary, failure: unknown): Promise<void> {
  const sink = createAuditSink({ requestId, principal: env.principal as Principal, db: toQueryable(env.em) });
  const { errorsFile: _errorsFile, ...facts } = summary;
  sink.record({ action: 'IMPORT_FILE', operation: `import ${summary.kind}`, details: { ...facts, outcome: failure === null ? 'COMPLETED' : 'ABORTED' } });
  await sink.flush();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
