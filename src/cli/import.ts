/**
 * `npm run import -- --kind loans --file loans.csv --institution CODE [options]`: bulk
 * import of a partner file into DATABASE_URL through the ingestion services, in chunks
 * of at most 1,000 rows, each committed atomically; re-running a file skips the chunks
 * that landed. Full description: docs/import.md.
 *
 * Exit codes: 0 every row landed (or had landed); 1 rows were rejected (see the error
 * report); 2 usage or file error (nothing written when found before the first chunk);
 * 3 database error (the chunks committed so far stay; re-run to complete).
 *
 * `TRIPOD_IMPORT_CHUNK_DELAY_MS` (a test aid, read here only) pauses after each chunk so
 * that a test can kill the process mid-run.
 */
import { randomUUID } from 'node:crypto';
import { basename, extname } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '../config';
import { createOrm } from '../db/orm';
import { loadOrCreateDemoSecrets } from '../db/secrets';
import { toQueryable } from '../services/auth';
import { parseKeyring } from '../services/identity';
import {
  describeColumns,
  findImportKind,
  HeaderError,
  IMPORT_KINDS,
  ImportAbortedError,
  ImportFileError,
  importPrincipal,
  ImportPrincipalError,
  ImportUsageError,
  MAX_CHUNK_ROWS,
  runImport,
  type FileFormat,
  type ImportProgress,
  type ImportSummary,
} from '../services/import';

export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;
export const EXIT_DATABASE = 3;

const USAGE = `Usage: npm run import -- --kind KIND --file PATH --institution CODE [options]
  --kind KIND            ${IMPORT_KINDS.map((k) => k.name).join(', ')}
  --file PATH            the file to import (CSV with a header row, or NDJSON)
  --institution CODE     the institution the import acts for (with its institution's role)
  --format csv|ndjson    default: from the file's extension (.ndjson, .jsonl → ndjson; else csv)
  --batch-prefix X       first part of the batch ids (default: the kind)
  --chunk N              rows per chunk, 1-${MAX_CHUNK_ROWS} (default ${MAX_CHUNK_ROWS})
  --errors PATH          write the per-row error report (NDJSON) there
  --partial              valid rows of a chunk land, rejected ones are reported (default)
  --all-or-nothing       one rejected row rejects its whole chunk
  --json                 print the summary as one JSON object
Columns of each kind: docs/import.md, or --kind KIND --help.`;

class UsageError extends Error {}

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

interface Args {
  kind: NonNullable<ReturnType<typeof findImportKind>>;
  file: string;
  institution: string;
  format: FileFormat;
  batchPrefix: string | null;
  chunk: number;
  errors: string | null;
  partial: boolean;
  json: boolean;
}

function parse(argv: string[]): Args | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        kind: { type: 'string' },
        file: { type: 'string' },
        institution: { type: 'string' },
        format: { type: 'string' },
        'batch-prefix': { type: 'string' },
        chunk: { type: 'string' },
        errors: { type: 'string' },
        partial: { type: 'boolean' },
        'all-or-nothing': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) {
    const kind = v.kind === undefined ? null : findImportKind(v.kind);
    if (kind !== null) throw Object.assign(new UsageError(`${kind.name}: ${kind.description}. Columns (* required): ${describeColumns(kind)}`), { help: true });
    return 'help';
  }
  if (v.kind === undefined) throw new UsageError('--kind is required');
  const kind = findImportKind(v.kind);
  if (kind === null) throw new UsageError(`Unknown --kind ${JSON.stringify(v.kind.slice(0, 40))}; one of ${IMPORT_KINDS.map((k) => k.name).join(', ')}`);
  if (v.file === undefined) throw new UsageError('--file is required');
  if (v.institution === undefined) throw new UsageError('--institution is required');
  if (v.partial && v['all-or-nothing']) throw new UsageError('--partial and --all-or-nothing exclude each other');
  const ext = extname(v.file).toLowerCase();
  const format = (v.format ?? (ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'csv')).toLowerCase();
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError(`--format must be csv or ndjson, not ${JSON.stringify(format.slice(0, 20))}`);
  const chunkText = v.chunk ?? String(MAX_CHUNK_ROWS);
  if (!/^\d{1,4}$/.test(chunkText) || Number(chunkText) < 1 || Number(chunkText) > MAX_CHUNK_ROWS) {
    throw new UsageError(`--chunk must be a whole number from 1 to ${MAX_CHUNK_ROWS}`);
  }
  return {
    kind,
    file: v.file,
    institution: v.institution,
    format,
    batchPrefix: v['batch-prefix'] ?? null,
    chunk: Number(chunkText),
    errors: v.errors ?? null,
    partial: !v['all-or-nothing'],
    json: v.json === true,
  };
}

/**
 * Runs the command with `argv` (the arguments after `--`) and returns its exit code.
 * The whole command is this function, so that tests can run it in process.
 */
export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: Args | 'help';
  try {
    args = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      if ((error as { help?: boolean }).help) {
        io.stdout.write(`${error.message}\n`);
        return EXIT_OK;
      }
      io.stderr.write(`import: ${error.message}\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }

  let orm: MikroORM | null = null;
  const progress = new ProgressLine(io.stderr, args.kind.name);
  try {
    const config = loadConfig(io.env);
    if (config.databaseUrl === undefined) {
      io.stderr.write('import: DATABASE_URL is required: the import writes to a configured database\n');
      return EXIT_USAGE;
    }
    const secrets = config.matchKeys !== undefined && config.piiKeys !== undefined ? null : await loadOrCreateDemoSecrets(config.dataDir);
    const deps = {
      matchKeyring: parseKeyring(config.matchKeys ?? secrets!.matchKeys, 'TRIPOD_MATCH_KEYS'),
      piiKeyring: parseKeyring(config.piiKeys ?? secrets!.piiKeys, 'TRIPOD_PII_KEYS'),
    };
    const delay = io.env.TRIPOD_IMPORT_CHUNK_DELAY_MS;
    orm = await createOrm({ url: config.databaseUrl, poolMax: 2 });
    const principal = await importPrincipal(toQueryable(orm.em), args.institution, `cli:${osUser()}`);
    const summary = await runImport(
      { em: orm.em, principal, deps, requestId: `cli-import-${randomUUID()}` },
      {
        kind: args.kind,
        file: args.file,
        format: args.format,
        batchPrefix: args.batchPrefix,
        chunkSize: args.chunk,
        partial: args.partial,
        errorsPath: args.errors,
        chunkDelayMs: delay !== undefined && /^\d{1,6}$/.test(delay) ? Number(delay) : undefined,
        onProgress: (p) => progress.update(p),
      },
    );
    progress.done();
    writeSummary(io, args, summary, null);
    return summary.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
  } catch (error) {
    progress.done();
    const cause = error instanceof ImportAbortedError ? error.cause : error;
    if (error instanceof ImportAbortedError) writeSummary(io, args, error.summary, exitFor(cause));
    io.stderr.write(`import: ${describe(cause)}\n`);
    if (cause instanceof HeaderError) io.stderr.write(`(kind ${args.kind.name}; columns marked * are required)\n`);
    return exitFor(cause);
  } finally {
    await orm?.close(true).catch(() => undefined);
  }
}

function exitFor(error: unknown): number {
  if (
    error instanceof HeaderError ||
    error instanceof ImportFileError ||
    error instanceof ImportUsageError ||
    error instanceof ImportPrincipalError ||
    error instanceof ConfigError
  ) {
    return EXIT_USAGE;
  }
  // A refusal of the whole batch by the service: the institution's role may not import this kind, or the input is not acceptable.
  const code = (error as { extensions?: { code?: unknown; reason?: unknown } } | null)?.extensions?.code;
  const reason = (error as { extensions?: { reason?: unknown } } | null)?.extensions?.reason;
  if (code === 'FORBIDDEN' || code === 'BAD_USER_INPUT' || (code === 'CONFLICT' && reason === 'BATCH_ID_REUSED')) return EXIT_USAGE;
  return EXIT_DATABASE;
}

function describe(error: unknown): string {
  if (error instanceof ConfigError) return error.issues.join('; ');
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message || (error instanceof AggregateError ? error.errors.map((e: Error) => e.message).join('; ') : '') || code || error.name;
    // Messages are ours or the driver's; an ID-number-shaped run never reaches the terminal either way.
    return message.split('\n')[0].replace(/[0-9]{17}[0-9Xx]/g, '(withheld)');
  }
  return String(error);
}

function writeSummary(io: CommandIo, args: Args, s: ImportSummary, exitCode: number | null): void {
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ ...s, file: basename(args.file), institution: args.institution, aborted: exitCode !== null })}\n`);
    return;
  }
  const n = (value: number): string => value.toLocaleString('en-US').padStart(10);
  const lines = [
    `${exitCode === null ? 'Imported' : 'Stopped importing'} ${s.kind} from ${basename(args.file)} for ${args.institution}: ` +
      `${s.partial ? 'partial' : 'all-or-nothing'} chunks of ${s.chunkSize}, batch ids ${s.batchPrefix}-${s.fileId}-<chunk>`,
    `  received     ${n(s.received)}`,
    `  created      ${n(s.created)}`,
    `  updated      ${n(s.updated)}`,
    `  unchanged    ${n(s.unchanged)}`,
    `  pending link ${n(s.pendingLink)}`,
    `  rejected     ${n(s.rejected)}${s.rejected > 0 ? (s.errorsFile === null ? '   (no --errors report requested)' : `   (see ${basename(s.errorsFile)})`) : ''}`,
    `  skipped      ${n(s.skipped)}   (already landed: ${s.chunksSkipped} of ${s.chunks} chunks)`,
    `  chunks sent  ${n(s.chunksSent)}`,
    `elapsed ${(s.elapsedMs / 1000).toFixed(1)} s${s.elapsedMs > 0 ? `, ${Math.round((s.received * 1000) / s.elapsedMs)} rows/s` : ''}`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The progress line on stderr: rows, rows per second and (the file's size being known)
 * percentage and ETA. On a terminal it is redrawn at most 5 times a second; otherwise a
 * plain line is written every 10 seconds, so logs stay readable.
 */
class ProgressLine {
  private last = 0;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly out: CommandIo['stderr'],
    private readonly label: string,
  ) {
    this.tty = out.isTTY === true;
  }

  update(p: ImportProgress): void {
    const now = Date.now();
    if (now - this.last < (this.tty ? 200 : 10_000)) return;
    this.last = now;
    const seconds = Math.max(p.elapsedMs / 1000, 0.001);
    const rate = Math.round(p.rows / seconds);
    let text = `${this.label}: ${p.rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s, chunk ${p.chunks}`;
    if (p.totalBytes > 0 && p.bytesRead > 0) {
      const share = Math.min(p.bytesRead / p.totalBytes, 1);
      const eta = share > 0 ? Math.round(seconds * (1 / share - 1)) : 0;
      text += `, ${Math.floor(share * 100)} %, ETA ${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}`;
    }
    if (this.tty) {
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else {
      this.out.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

function osUser(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit still names the CLI.
  }
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'unknown';
}

if (require.main === module) {
  importCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`import: ${describe(error)}\n`);
      process.exitCode = EXIT_DATABASE;
    },
  );
}
