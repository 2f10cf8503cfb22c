/**
 * docs/import.md stays true: every `npm run import` command of its example section runs
 * as written (in process, against a fresh database with the two demo institutions the
 * examples name), in order, and imports its example file with nothing rejected; every
 * file in docs/examples is used; every national ID number in them is valid and from
 * the reserved synthetic range.
 */
import '../api/reset-orm-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSyntheticNationalId, validateNationalId } from '../../src/services/identity';
import { useTestDatabase } from '../helpers';
import { COUNTY, ROOT, useImportWorld } from './import-world';

const db = useTestDatabase();
const world = useImportWorld(db);
const EXAMPLES = join(ROOT, 'docs', 'examples');

/** The `npm run import -- …` lines of docs/import.md that import an example file, in document order. */
function exampleCommands(): string[][] {
  const text = readFileSync(join(ROOT, 'docs', 'import.md'), 'utf8');
  return [...text.matchAll(/^npm run import -- (.*docs\/examples\/.*)$/gm)].map((m) => m[1].trim().split(/\s+/));
}

beforeAll(async () => {
  await world.sql("INSERT INTO institution (code, name, kind, home_area_code) VALUES ('REG-52', '贵州银保监局（演示）', 'REGULATOR', '52')");
  await world.sql("INSERT INTO institution (code, name, kind, home_area_code) VALUES ('GOV-522326', '望谟县人民政府（演示）', 'GOVERNMENT', $1)", [COUNTY]);
  await world.sql("INSERT INTO institution (code, name, kind, home_area_code) VALUES ('BANK-RCB-522326', '望谟县农村商业银行（演示）', 'BANK', $1)", [COUNTY]);
  await world.sql("INSERT INTO institution (code, name, kind, home_area_code) VALUES ('GUAR-52', '贵州农业信贷融资担保有限公司（演示）', 'GUARANTOR', '52')");
});

test('every example file is imported by a command of docs/import.md', () => {
  const used = new Set(exampleCommands().map((args) => args[args.indexOf('--file') + 1].replace('docs/examples/', '')));
  expect([...used].sort()).toEqual(readdirSync(EXAMPLES).sort());
});

test('the example files carry only valid, synthetic national ID numbers', () => {
  let found = 0;
  for (const name of readdirSync(EXAMPLES)) {
    for (const match of readFileSync(join(EXAMPLES, name), 'utf8').matchAll(/(?<![0-9A-Z])[0-9]{17}[0-9X](?![0-9A-Z])/g)) {
      found++;
      expect(validateNationalId(match[0]).ok).toBe(true);
      expect(isSyntheticNationalId(match[0])).toBe(true);
    }
  }
  expect(found).toBeGreaterThanOrEqual(5);
});

test('each example command imports its file with nothing rejected', async () => {
  const commands = exampleCommands();
  expect(commands.length).toBeGreaterThanOrEqual(8);
  for (const args of commands) {
    const file = join(ROOT, args[args.indexOf('--file') + 1]);
    const errors = join(world.dir(), 'example.errors.ndjson');
    const { code, stdout } = await world.run([...args.map((arg) => (arg.startsWith('docs/examples/') ? file : arg)), '--json', '--errors', errors]);
    expect({ args: args.join(' '), code, errors: readFileSync(errors, 'utf8') }).toEqual({ args: args.join(' '), code: 0, errors: '' });
    const summary = JSON.parse(stdout) as Record<string, number>;
    expect(summary.rejected).toBe(0);
    expect(summary.received).toBeGreaterThan(0);
    expect(summary.created + summary.pendingLink).toBe(summary.received);
  }
  const [counts] = await world.sql<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM loan) AS loans, (SELECT count(*)::int FROM loan_position) AS positions,
            (SELECT count(*)::int FROM repayment) AS repayments, (SELECT count(*)::int FROM loan_modification) AS modifications,
            (SELECT count(*)::int FROM guarantee_contract) AS guarantees, (SELECT count(*)::int FROM household) AS households,
            (SELECT count(*)::int FROM disaster_event WHERE ref = 'EX-FLOOD-2020-06') AS disasters,
            (SELECT count(*)::int FROM contract_link WHERE status = 'LINKED') AS linked`,
  );
  expect(counts).toEqual({ loans: 6, positions: 5, repayments: 2, modifications: 1, guarantees: 2, households: 5, disasters: 1, linked: 2 });
});
