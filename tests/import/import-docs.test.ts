/**
 * docs/import.md documents exactly the kinds and columns the importer accepts: one
 * section per kind of `src/services/import/kinds.ts`, each with a table whose columns
 * (and required marks) are that kind's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_KINDS } from '../../src/services/import/kinds';

const text = readFileSync(join(__dirname, '..', '..', 'docs', 'import.md'), 'utf8');

/** Column tables of the "Columns per kind" section, by kind: `name` or `name*`. */
function documented(): Map<string, string[]> {
  const section = text.slice(text.indexOf('## Columns per kind'), text.indexOf('## Examples'));
  const byKind = new Map<string, string[]>();
  for (const part of section.split(/^### /m).slice(1)) {
    const kind = /^`([a-z-]+)`/.exec(part)?.[1];
    if (kind === undefined) continue;
    const columns = [...part.matchAll(/^\| `([^`]+)`(\*?) \|/gm)].map((m) => `${m[1].replace('[N]', '[]')}${m[2]}`);
    byKind.set(kind, columns);
  }
  return byKind;
}

test('every kind has its section, and every section a kind', () => {
  expect([...documented().keys()].sort()).toEqual(IMPORT_KINDS.map((k) => k.name).sort());
});

test.each(IMPORT_KINDS.map((k) => [k.name, k] as const))('the %s table lists its columns, required ones marked', (name, kind) => {
  expect(documented().get(name)).toEqual(kind.columns.map((c) => `${c.path}${c.required ? '*' : ''}`));
});

test('the option table names every kind', () => {
  for (const kind of IMPORT_KINDS) expect(text).toContain(`\`${kind.name}\``);
});
