/**
 * Reading a partner file as a stream of records, in bounded memory: the file is read in
 * 64 KiB blocks and the consumer pulls records one at a time (an async generator), so a
 * slow consumer — the database — holds the reading back instead of letting parsed rows
 * pile up. While reading, the bytes are hashed and counted: the hash names the file's
 * batches (`fileDigest`) and tells whether it changed between the first and the last
 * look; the count drives the progress line.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CsvParser, MAX_RECORD_CHARS } from './csv-parser';

export type FileFormat = 'csv' | 'ndjson';

/** One record of the file: CSV fields or a parsed JSON value, with the line it starts on. */
export interface SourceRecord {
  line: number;
  /** CSV: the record's fields. */
  fields?: string[];
  /** NDJSON: the line's JSON value. */
  value?: unknown;
  /** Why the record could not be read (malformed CSV, invalid JSON); it is reported and skipped. */
  error: string | null;
}

/** A file-level problem (unreadable, a record beyond the size bound): the import stops. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

const BLOCK = 64 * 1024;

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const block of createReadStream(path, { highWaterMark: BLOCK })) {
      hash.update(block as Buffer);
      bytes += (block as Buffer).length;
    }
  } catch (error) {
    throw new ImportFileError(`Cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A pass over the file: its records, and the bytes read and their hash so far. */
export class FileSource {
  bytesRead = 0;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly path: string,
    private readonly format: FileFormat,
  ) {}

  /** SHA-256 of the bytes read; call once the records are exhausted. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  async *records(): AsyncGenerator<SourceRecord> {
    const decoder = new StringDecoder('utf8');
    const parse = this.format === 'csv' ? csvRecords() : ndjsonRecords();
    let stream: AsyncIterable<Buffer>;
    try {
      stream = createReadStream(this.path, { highWaterMark: BLOCK });
    } catch (error) {
      throw new ImportFileError(`Cannot read the file: ${(error as Error).message}`);
    }
    try {
      for await (const block of stream) {
        this.hash.update(block);
        this.bytesRead += block.length;
        yield* parse.push(decoder.write(block));
      }
    } catch (error) {
      if (error instanceof ImportFileError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined) throw new ImportFileError(`Cannot read the file: ${code}`);
      throw error;
    }
    yield* parse.push(decoder.end());
    yield* parse.end();
  }
}

interface RecordParser {
  push(text: string): SourceRecord[];
  end(): SourceRecord[];
}

function csvRecords(): RecordParser {
  const parser = new CsvParser();
  const wrap = (run: () => SourceRecord[]): SourceRecord[] => {
    try {
      return run();
    } catch (error) {
      if (error instanceof Error && error.name === 'CsvRecordTooLongError') throw new ImportFileError(error.message);
      throw error;
    }
  };
  return {
    push: (text) => wrap(() => parser.push(text)),
    end: () => wrap(() => parser.end()),
  };
}

/** NDJSON: one JSON object per line (LF or CRLF); blank lines are skipped; a BOM is dropped. */
function ndjsonRecords(): RecordParser {
  let buffer = '';
  let line = 1;
  let first = true;
  const take = (text: string, lineNo: number): SourceRecord | null => {
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return null;
    try {
      return { line: lineNo, value: JSON.parse(trimmed), error: null };
    } catch {
      return { line: lineNo, error: 'the line is not valid JSON' };
    }
  };
  return {
    push(text) {
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      buffer += text;
      const out: SourceRecord[] = [];
      let start = 0;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
        const record = take(buffer.slice(start, nl), line++);
        if (record !== null) out.push(record);
        start = nl + 1;
      }
      buffer = buffer.slice(start);
      if (buffer.length > MAX_RECORD_CHARS) {
        throw new ImportFileError(`Line ${line} is longer than ${MAX_RECORD_CHARS} characters: not an NDJSON file`);
      }
      return out;
    },
    end() {
      const record = take(buffer, line);
      buffer = '';
      return record === null ? [] : [record];
    },
  };
}
