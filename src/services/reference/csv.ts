import { readFileSync } from 'node:fs';

/**
 * Parses the small, well-formed reference CSVs (UTF-8, header row, fields optionally in
 * double quotes, no embedded newlines). Not a general CSV parser: partner files go
 * through the import path, which has its own.
 */
export function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const [header, ...rows] = lines;
  const columns = splitLine(header);
  return rows.map((line, index) => {
    const fields = splitLine(line);
    if (fields.length !== columns.length) {
      throw new Error(`${path}:${index + 2}: expected ${columns.length} fields, found ${fields.length}`);
    }
    return Object.fromEntries(columns.map((column, i) => [column, fields[i]]));
  });
}

function splitLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}
