/**
 * The committed SDL is the public contract other teams build against: it must be exactly
 * what the code builds. After a deliberate change, run `npm run schema:print` and commit
 * the diff for review.
 */
import { readFileSync } from 'node:fs';
import { printTripodSchema, SCHEMA_FILE } from '../src/cli/print-schema';
import { buildTripodSchema } from '../src/server';

test('schema.graphql is the schema the server builds', async () => {
  const printed = printTripodSchema(await buildTripodSchema());
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printed);
});

test('money and rates are Decimal strings, never Float', async () => {
  expect(printTripodSchema(await buildTripodSchema())).not.toMatch(/\bFloat\b/);
});
