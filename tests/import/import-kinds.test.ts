/**
 * The import's kinds match the API: each kind's columns are fields of its mutation's
 * input item type (built from the code, as the server builds it), every field of that
 * item has a column, top-level required marks are the input's non-null fields, and
 * integer and boolean columns are Int and Boolean fields. A kind whose mutation the
 * schema does not serve yet is reported by name.
 */
import '../api/reset-orm-metadata';
import { getNamedType, getNullableType, isInputObjectType, isListType, isNonNullType, type GraphQLInputField, type GraphQLInputObjectType, type GraphQLInputType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { buildTripodSchema } from '../../src/server';
import { IMPORT_KINDS, type ImportKind } from '../../src/services/import/kinds';

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await buildTripodSchema();
}, 60_000);

function itemType(kind: ImportKind): GraphQLInputObjectType | null {
  const mutation = schema.getMutationType()?.getFields()[kind.aliases[0]];
  if (mutation === undefined) return null;
  const input = getNamedType(mutation.args.find((a) => a.name === 'input')!.type) as GraphQLInputObjectType;
  return getNamedType(input.getFields().items.type) as GraphQLInputObjectType;
}

/** The input type at a column's path, or a description of where the path breaks. */
function typeAt(root: GraphQLInputObjectType, path: string): GraphQLInputType | string {
  let type: GraphQLInputType = root;
  for (const raw of path.split('.')) {
    const key = raw.replace('[]', '');
    const named: GraphQLNamedType = getNamedType(type);
    if (!isInputObjectType(named)) return `${path}: ${key} is below a scalar`;
    const field: GraphQLInputField | undefined = named.getFields()[key];
    if (field === undefined) return `${path}: no field ${key} in ${named.name}`;
    if (raw.endsWith('[]') && !isListType(getNullableType(field.type))) return `${path}: ${key} is not a list`;
    type = field.type;
  }
  return type;
}

test('the ingestion mutations the schema serves have a kind each', () => {
  const served = IMPORT_KINDS.filter((kind) => itemType(kind) !== null).map((kind) => kind.name);
  expect(served).toEqual(expect.arrayContaining(['loans', 'positions', 'repayments', 'modifications', 'guarantees']));
  expect(IMPORT_KINDS.filter((kind) => itemType(kind) === null).map((kind) => kind.aliases[0])).toEqual([]);
});

test.each(IMPORT_KINDS.map((kind) => [kind.name, kind] as const))('%s: columns are the input item’s fields', (_name, kind) => {
  const root = itemType(kind);
  if (root === null) return; // reported by the test above
  const problems: string[] = [];
  for (const column of kind.columns) {
    const type = typeAt(root, column.path);
    if (typeof type === 'string') {
      problems.push(type);
      continue;
    }
    const scalar = getNamedType(type).name;
    if (column.type === 'integer' && scalar !== 'Int') problems.push(`${column.path}: integer column, ${scalar} field`);
    if (column.type === 'boolean' && scalar !== 'Boolean') problems.push(`${column.path}: boolean column, ${scalar} field`);
    if ((column.type ?? 'string') === 'string' && (scalar === 'Int' || scalar === 'Boolean')) problems.push(`${column.path}: text column, ${scalar} field`);
    if (column.type === 'json' && !isListType(getNullableType(type))) problems.push(`${column.path}: JSON column, not a list field`);
    if (!column.path.includes('.') && !column.path.includes('[]') && Boolean(column.required) !== isNonNullType(type)) {
      problems.push(`${column.path}: required ${Boolean(column.required)}, non-null ${isNonNullType(type)}`);
    }
  }
  const covered = new Set(kind.columns.map((c) => c.path.split('.')[0].replace('[]', '')));
  for (const field of Object.keys(root.getFields())) {
    if (!covered.has(field)) problems.push(`${field}: no column`);
  }
  expect(problems).toEqual([]);
});
