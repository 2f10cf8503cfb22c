/**
 * A streaming RFC 4180 CSV parser for partner files: text goes in piece by piece (a
 * file read in 64 KiB blocks), complete records come out with the line they started on,
 * so a file of millions of rows is parsed in bounded memory.
 *
 * What it accepts: fields separated by commas, records by CRLF, LF or a lone CR; fields
 * in double quotes may hold commas, quotes (doubled) and line breaks; a UTF-8 byte order
 * mark at the start is dropped; blank lines are skipped. What it refuses, per record (the
 * record is returned with `error` set and the parser carries on at the next record): a
 * quote inside an unquoted field, characters after a closing quote, and a quoted field
 * still open at the end of the file. A record longer than `maxRecordChars` (an unclosed
 * quote swallowing the rest of the file, or not a CSV file at all) stops the parse with
 * `CsvRecordTooLongError`, since nothing after it can be trusted.
 */

/** One record: its fields, the (1-based) line it starts on, and why it is malformed, if it is. */
export interface CsvRecord {
  line: number;
  fields: string[];
  error: string | null;
}

/** Thrown when one record grows beyond the parser's bound. */
export class CsvRecordTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly limit: number,
  ) {
    super(`The record starting on line ${line} is longer than ${limit} characters: an unclosed quote, or not a CSV file`);
    this.name = 'CsvRecordTooLongError';
  }
}

/** Default bound on one record's size: far above any real row, far below memory trouble. */
export const MAX_RECORD_CHARS = 1 << 20;

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote seen inside a quoted field: the end of the field, or the first of a doubled quote. */
  QuoteInQuoted,
}

export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private error: string | null = null;
  /** Line the current record started on. */
  private recordLine = 1;
  private line = 1;
  /** Characters of the current record so far, for the size bound. */
  private recordChars = 0;
  /** Whether the current record has any content (a lone `""` counts; an empty line does not). */
  private started = false;
  /** The previous character was a CR ending a record: a following LF belongs to it. */
  private afterCr = false;
  private first = true;

  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  /** Parses the next piece of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const ch = text[i];
      if (this.afterCr) {
        this.afterCr = false;
        if (ch === '\n') continue;
      }
      if (++this.recordChars > this.maxRecordChars) throw new CsvRecordTooLongError(this.recordLine, this.maxRecordChars);
      switch (this.state) {
        case State.Quoted:
          if (ch === '"') {
            this.state = State.QuoteInQuoted;
          } else {
            if (ch === '\n') this.line++;
            this.field += ch;
          }
          break;
        case State.QuoteInQuoted:
          if (ch === '"') {
            this.field += '"';
            this.state = State.Quoted;
          } else if (!this.delimiter(ch, out)) {
            this.error ??= 'characters after a closing quote (a quote inside a quoted field must be doubled)';
            this.field += ch;
            this.state = State.Unquoted;
          }
          break;
        case State.FieldStart:
          if (ch === '"') {
            this.started = true;
            this.state = State.Quoted;
          } else if (!this.delimiter(ch, out)) {
            this.started = true;
            this.field += ch;
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          if (ch === '"') {
            this.error ??= 'a quote inside an unquoted field (quote the whole field and double the quote)';
            this.field += ch;
          } else if (!this.delimiter(ch, out)) {
            this.field += ch;
          }
          break;
      }
    }
    return out;
  }

  /** Ends the input; returns the last record, if the file did not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === State.Quoted) {
      this.error ??= 'a quoted field is not closed before the end of the file';
    }
    if (this.started || this.fields.length > 0) {
      this.fields.push(this.field);
      out.push({ line: this.recordLine, fields: this.fields, error: this.error });
    }
    this.reset(this.line);
    return out;
  }

  /** Handles a comma or a line break outside quotes; false for any other character. */
  private delimiter(ch: string, out: CsvRecord[]): boolean {
    if (ch === ',') {
      this.started = true;
      this.fields.push(this.field);
      this.field = '';
      this.state = State.FieldStart;
      return true;
    }
    if (ch === '\n' || ch === '\r') {
      this.afterCr = ch === '\r';
      if (this.started || this.fields.length > 0) {
        this.fields.push(this.field);
        out.push({ line: this.recordLine, fields: this.fields, error: this.error });
      }
      this.reset(this.line + 1);
      return true;
    }
    return false;
  }

  private reset(nextLine: number): void {
    this.line = nextLine;
    this.recordLine = nextLine;
    this.fields = [];
    this.field = '';
    this.error = null;
    this.started = false;
    this.recordChars = 0;
    this.state = State.FieldStart;
  }
}

/** Parses a whole (small) CSV text: for tests and examples; files go through `CsvParser`. */
export function parseCsvText(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}
