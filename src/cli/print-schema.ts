/**
 * `npm run schema:print` writes the public contract, `schema.graphql` at the repository
 * root, from the schema the server builds (types sorted by name, so a diff shows only
 * real changes). `tests/schema.test.ts` fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { projectRoot } from '../config';
import { buildTripodSchema } from '../server';

export const SCHEMA_FILE = join(projectRoot(), 'schema.graphql');

/** The SDL text as committed: sorted, with a trailing newline. */
export function printTripodSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

async function main(): Promise<void> {
  const text = printTripodSchema(await buildTripodSchema());
  writeFileSync(SCHEMA_FILE, text);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
