/**
 * The compiled read path: a read-only operation whose every field this module knows is
 * answered by ONE SQL statement that builds the response's JSON (`json_build_object`,
 * `json_agg`), the way PostGraphile compiles a selection, instead of one loader statement
 * per nesting level and one resolver call per field.
 *
 * It never decides anything the resolver path does not decide the same way, because it
 * is built from the same pieces:
 *
 * - rows come from the same lists and scopes: a connection is the SQL its loader runs
 *   (`RootList.query`, or `NestedList.query` per parent: the list's `listQuery` with row
 *   scope, filter, order and tie-breaker, and the keyset of an `after` cursor), validated
 *   by the same `listRequest`, its cursors encoded by the same `encodeCursor`; a root
 *   lookup and a to-one relation use the row scope of the loader they stand for
 *   (`row-scope.ts`);
 * - a plain field is the column its row type selects (`columns` in `src/loaders/rows.ts`),
 *   serialized as its GraphQL scalar would (every scalar the path accepts passes
 *   PostgreSQL's text through unchanged);
 * - household PII leaves the statement encrypted and is revealed, masked and noted for
 *   the audit by the same functions as the resolvers (`revealHouseholdPii`, `notePiiRead`);
 *   global ids are made by `toGlobalId`.
 *
 * What it does not know — a field without an entry here, a backward page (`before`,
 * `last`), a directive, a field selected twice under one name, `nodes` and `edges` of
 * one connection together, an argument value `listRequest` refuses, a root that is null
 * — makes it decline, and the operation runs on the resolver path as before. It declines before it writes
 * anything; the statement only reads. `tests/api/compiled-read.test.ts` runs operations
 * through both paths and compares the answers.
 */
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isEnumType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableNode,
  visit,
} from 'graphql';
import { and, raw, sql, type Sql } from '../db/sql';
import { enterpriseScope, householdScope, positionScope, revealHouseholdPii, type Principal } from '../services/access';
import { CLAIMS, GUARANTEES, LOANS, POLICIES } from '../loaders/contract.lists';
import { ENTERPRISES, HOUSEHOLDS } from '../loaders/party.lists';
import { columns } from '../loaders/rows';
import { countsWithPage, keyset, orderBy } from '../loaders/page-kit';
import { chinaToday, type EntityList } from '../loaders/list-kit';
import type { ListRequest, NestedList, RootList } from '../loaders/connection.loaders';
import { checkCountyCode, checkHouseholdRef } from '../schema/args';
import { encodeCursor, listRequest } from '../schema/connection';
import { notePiiRead, type Context } from '../schema/context';
import { fromGlobalId, toGlobalId, type NodeTypeName } from '../schema/global-id';

/** Thrown while compiling or building: the operation runs on the resolver path instead. */
class Decline extends Error {}

function decline(reason: string): never {
  throw new Decline(reason);
}

// ---------------------------------------------------------------------------------------
// Row types: where an object's fields come from.

/** `alias.column AS "camel"` select lists (`selectList`) → camel name → column expression. */
function columnMap(selectList: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const part of selectList.split(',')) {
    const m = /^\s*([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)(?:\s+AS\s+"([A-Za-z0-9_]+)")?\s*$/.exec(part);
    if (m === null) throw new Error(`compiled read: unexpected select list part ${part}`);
    map.set(m[3] ?? m[2], `${m[1]}.${m[2]}`);
  }
  return map;
}

/** A relation to one row, as a correlated subquery over the parent's alias. */
interface ToOne {
  readonly type: string;
  /** `(SELECT <object> FROM … WHERE …)` with the object built for the child's alias. */
  subquery(parent: string, object: Sql, p: Readonly<Principal>): Sql;
  /** Another row type per concrete type (a union): the CASE picks one. */
  readonly union?: false;
}

/** A union-typed relation (a loan's borrower, a policy's holder): one subquery per member. */
interface ToUnion {
  readonly union: true;
  readonly members: Readonly<Record<string, (parent: string, object: Sql, p: Readonly<Principal>) => Sql>>;
  /** Which member the parent row points at, in SQL: a CASE over its members. */
  order: readonly string[];
  when(parent: string, member: string): string;
}

interface RowType {
  readonly name: NodeTypeName;
  readonly alias: string;
  readonly columns: ReadonlyMap<string, string>;
  /** The row field holding the global id key (`KEY_FIELD` of `node.resolver.ts`). */
  readonly idColumn: string;
  readonly toOne?: Readonly<Record<string, ToOne | ToUnion>>;
  /** Nested connections: field → the loader (`ctx.loaders[…]`) and the parent key column. */
  readonly connections?: Readonly<Record<string, { loader: string; parentKey: string }>>;
  readonly pii?: Readonly<Record<string, 'NAME' | 'PHONE'>>;
  /** The loan's derived combined model (no `asOf`). */
  readonly combinedModel?: boolean;
}

const aliasOf = (list: EntityList) => list.table.trim().split(/\s+/)[1];

const institutionOf = (column: string): ToOne => ({
  type: 'Institution',
  // institutionById: public reference data (`referenceScope` is TRUE).
  subquery: (parent, object) => sql`(SELECT ${object} FROM institution i WHERE i.id = ${raw(`${parent}.${column}`)})`,
});

/** loadParty: the household if the row names one (visible or null), else the enterprise. */
const partyOf = (householdColumn: string, enterpriseColumn: string): ToUnion => ({
  union: true,
  order: ['Household', 'Enterprise'],
  when: (parent, member) => `${parent}.${member === 'Household' ? householdColumn : enterpriseColumn} IS NOT NULL`,
  members: {
    Household: (parent, object, p) =>
      sql`(SELECT ${object} FROM household h WHERE h.id = ${raw(`${parent}.${householdColumn}`)} AND ${householdScope(p, 'h')})`,
    Enterprise: (parent, object, p) =>
      sql`(SELECT ${object} FROM enterprise e WHERE e.id = ${raw(`${parent}.${enterpriseColumn}`)} AND ${enterpriseScope(p, 'e')})`,
  },
});

const ROW_TYPES: Readonly<Record<string, RowType>> = {
  Household: {
    name: 'Household',
    alias: 'h',
    columns: columnMap(columns.household('h')),
    idColumn: 'ref',
    pii: { headName: 'NAME', headPhone: 'PHONE' },
    connections: {
      loans: { loader: 'loansByHouseholdId', parentKey: 'id' },
      policies: { loader: 'policiesByHouseholdId', parentKey: 'id' },
      guarantees: { loader: 'guaranteesByHouseholdId', parentKey: 'id' },
    },
  },
  Enterprise: { name: 'Enterprise', alias: 'e', columns: columnMap(columns.enterprise('e')), idColumn: 'creditCode' },
  Loan: {
    name: 'Loan',
    alias: aliasOf(LOANS),
    columns: columnMap(columns.loan('l')),
    idColumn: 'id',
    combinedModel: true,
    toOne: {
      institution: institutionOf('institution_id'),
      borrower: partyOf('household_id', 'enterprise_id'),
      // positionByLoanIdAsOf without asOf: the latest reported month end the caller may see.
      position: {
        type: 'LoanPosition',
        subquery: (parent, object, p) =>
          sql`(SELECT ${object} FROM loan_position p WHERE p.loan_id = ${raw(`${parent}.id`)} AND p.is_latest AND ${positionScope(p, 'p')}
                ORDER BY p.month_end DESC LIMIT 1)`,
      },
    },
    connections: {
      guarantees: { loader: 'guaranteesByLoanId', parentKey: 'id' },
      linkedPolicies: { loader: 'policiesByLoanId', parentKey: 'id' },
    },
  },
  LoanPosition: { name: 'LoanPosition', alias: 'p', columns: columnMap(columns.position('p')), idColumn: 'id' },
  InsurancePolicy: {
    name: 'InsurancePolicy',
    alias: aliasOf(POLICIES),
    columns: columnMap(columns.policy('ip')),
    idColumn: 'id',
    toOne: { institution: institutionOf('institution_id'), holder: partyOf('household_id', 'enterprise_id') },
    connections: {
      claims: { loader: 'claimsByPolicyId', parentKey: 'id' },
      loans: { loader: 'loansByPolicyId', parentKey: 'id' },
    },
  },
  Claim: {
    name: 'Claim',
    alias: aliasOf(CLAIMS),
    columns: columnMap(columns.claim('c')),
    idColumn: 'id',
    toOne: { institution: institutionOf('institution_id') },
  },
  GuaranteeContract: {
    name: 'GuaranteeContract',
    alias: aliasOf(GUARANTEES),
    columns: columnMap(columns.guarantee('g')),
    idColumn: 'id',
    toOne: { institution: institutionOf('institution_id'), borrower: partyOf('household_id', 'enterprise_id') },
    connections: { loans: { loader: 'loansByGuaranteeId', parentKey: 'id' } },
  },
  Institution: { name: 'Institution', alias: 'i', columns: columnMap(columns.institution('i')), idColumn: 'code' },
  County: {
    name: 'County',
    alias: 'a',
    columns: columnMap(columns.area('a')),
    idColumn: 'code',
    connections: {
      households: { loader: 'householdsByCountyCode', parentKey: 'code' },
      loans: { loader: 'loansByCountyCode', parentKey: 'code' },
      policies: { loader: 'policiesByCountyCode', parentKey: 'code' },
      guarantees: { loader: 'guaranteesByCountyCode', parentKey: 'code' },
    },
  },
};

// The list behind each row type must use the alias the type's columns are written for.
for (const [list, type] of [
  [HOUSEHOLDS, 'Household'],
  [ENTERPRISES, 'Enterprise'],
  [LOANS, 'Loan'],
  [POLICIES, 'InsurancePolicy'],
  [CLAIMS, 'Claim'],
  [GUARANTEES, 'GuaranteeContract'],
] as const) {
  if (aliasOf(list) !== ROW_TYPES[type].alias) throw new Error(`compiled read: ${type} alias mismatch`);
}

// ---------------------------------------------------------------------------------------
// Plans: what an operation selects, checked once per operation.

type FieldPlan =
  | { kind: 'typename'; key: string; value: string }
  | { kind: 'column'; key: string; column: string; text: boolean }
  | { kind: 'id'; key: string }
  | { kind: 'pii'; key: string; field: 'NAME' | 'PHONE'; name: string }
  | { kind: 'model'; key: string }
  | { kind: 'one'; key: string; relation: string; plan: ObjectPlan }
  | { kind: 'union'; key: string; relation: string; plans: Readonly<Record<string, ObjectPlan>> }
  | { kind: 'connection'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; loader: string; parentKey: string; parts: ConnectionPart[] };

type ConnectionPlan = Extract<FieldPlan, { kind: 'connection' }>;

type ConnectionPart =
  | { kind: 'nodes'; key: string; plan: ObjectPlan }
  | { kind: 'count'; key: string }
  | { kind: 'typename'; key: string; value: string }
  | { kind: 'edges'; key: string; parts: EdgePart[]; plan: ObjectPlan | null }
  | { kind: 'pageInfo'; key: string; parts: InfoPart[] };

type EdgePart = { kind: 'cursor'; key: string } | { kind: 'node'; key: string } | { kind: 'typename'; key: string; value: string };
type InfoPart = { kind: 'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor'; key: string } | { kind: 'typename'; key: string; value: string };

/** Root connections this path answers: field → the root list's loader. */
const ROOT_LISTS: Readonly<Record<string, string>> = {
  households: 'householdList',
  loans: 'loanList',
  insurancePolicies: 'policyList',
  guaranteeContracts: 'guaranteeList',
};

interface ObjectPlan {
  readonly type: RowType;
  readonly fields: readonly FieldPlan[];
}

type RootPlan =
  | { kind: 'household'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; plan: ObjectPlan }
  | { kind: 'county'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; plan: ObjectPlan }
  | { kind: 'node'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; plans: ReadonlyMap<string, ObjectPlan> }
  | { kind: 'list'; key: string; field: GraphQLField<unknown, unknown>; node: FieldNode; connection: ConnectionPlan };

export interface CompiledOperation {
  readonly roots: readonly RootPlan[];
  readonly operation: OperationDefinitionNode;
  /** Variables the statement's text and parameters depend on (nested and root-list arguments). */
  readonly nestedVariables: readonly string[];
}

/** At most 100 arguments to json_build_object: 50 fields per object. */
const MAX_OBJECT_FIELDS = 50;

/** Types `node(id)` answers on this path. */
const NODE_TYPES = ['Household', 'Loan', 'InsurancePolicy', 'Claim', 'GuaranteeContract', 'County'] as const;

class Compiler {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  /** The fields a selection set selects on a concrete type, fragments flattened. */
  private collect(type: GraphQLObjectType, set: SelectionSetNode, into: FieldNode[] = [], seen = new Set<string>()): FieldNode[] {
    for (const selection of set.selections) {
      if ((selection.directives?.length ?? 0) > 0) decline('directive');
      if (selection.kind === Kind.FIELD) {
        into.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(type, selection.typeCondition?.name.value)) this.collect(type, selection.selectionSet, into, seen);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (fragment === undefined) decline('unknown fragment');
        if (seen.has(fragment.name.value)) decline('fragment cycle');
        if (this.applies(type, fragment.typeCondition.name.value)) {
          seen.add(fragment.name.value);
          this.collect(type, fragment.selectionSet, into, seen);
          seen.delete(fragment.name.value);
        }
      }
    }
    return into;
  }

  private applies(type: GraphQLObjectType, condition: string | undefined): boolean {
    if (condition === undefined || condition === type.name) return true;
    const named = this.schema.getType(condition);
    if (isInterfaceType(named)) return type.getInterfaces().some((i) => i.name === named.name);
    if (isUnionType(named)) return named.getTypes().some((t) => t.name === type.name);
    return false;
  }

  private fieldsOf(type: GraphQLObjectType, set: SelectionSetNode | undefined): FieldNode[] {
    if (set === undefined) decline('no selection');
    const fields = this.collect(type, set);
    const keys = new Set<string>();
    for (const f of fields) {
      const key = f.alias?.value ?? f.name.value;
      // graphql-js merges fields selected twice under one name; this path does not.
      if (keys.has(key)) decline('field selected twice');
      keys.add(key);
    }
    if (fields.length > MAX_OBJECT_FIELDS) decline('too many fields');
    return fields;
  }

  object(type: GraphQLObjectType, set: SelectionSetNode | undefined): ObjectPlan {
    const rowType = ROW_TYPES[type.name];
    if (rowType === undefined) decline(`type ${type.name}`);
    const defs = type.getFields();
    const fields: FieldPlan[] = [];
    for (const node of this.fieldsOf(type, set)) {
      const key = node.alias?.value ?? node.name.value;
      const name = node.name.value;
      if (name === '__typename') {
        fields.push({ kind: 'typename', key, value: type.name });
        continue;
      }
      const def = defs[name];
      if (def === undefined) decline(`field ${type.name}.${name}`);
      fields.push(this.field(rowType, type, def, node, key));
    }
    return { type: rowType, fields };
  }

  private field(rowType: RowType, type: GraphQLObjectType, def: GraphQLField<unknown, unknown>, node: FieldNode, key: string): FieldPlan {
    const name = node.name.value;
    const noArguments = () => {
      if ((node.arguments?.length ?? 0) > 0) decline(`arguments on ${type.name}.${name}`);
    };
    // A plain field: the resolver path reads the row's property of the same name.
    if (def.resolve === undefined) {
      const column = rowType.columns.get(name);
      if (column === undefined) decline(`column ${type.name}.${name}`);
      return { kind: 'column', key, column, text: this.scalarText(def) };
    }
    if (name === 'id') return { kind: 'id', key };
    if (rowType.pii?.[name] !== undefined) return { kind: 'pii', key, field: rowType.pii[name], name };
    if (type.name === 'Household' && name === 'status') {
      // Without asOf the status is the row's own (`HouseholdResolver.status`).
      noArguments();
      return { kind: 'column', key, column: rowType.columns.get('status') as string, text: true };
    }
    if (rowType.combinedModel === true && name === 'combinedModel') {
      noArguments();
      return { kind: 'model', key };
    }
    const one = rowType.toOne?.[name];
    if (one !== undefined) {
      noArguments();
      const target = getNamedType(def.type);
      if (one.union === true) {
        if (!isUnionType(target)) decline('union');
        const plans: Record<string, ObjectPlan> = {};
        for (const member of one.order) {
          const memberType = this.schema.getType(member);
          if (!isObjectType(memberType)) decline('union member');
          plans[member] = this.object(memberType, node.selectionSet);
        }
        return { kind: 'union', key, relation: name, plans };
      }
      if (!isObjectType(target) || target.name !== one.type) decline('to-one type');
      return { kind: 'one', key, relation: name, plan: this.object(target, node.selectionSet) };
    }
    const connection = rowType.connections?.[name];
    if (connection !== undefined) return this.connection(def, node, key, connection.loader, connection.parentKey);
    decline(`resolver ${type.name}.${name}`);
  }

  connection(def: GraphQLField<unknown, unknown>, node: FieldNode, key: string, loader: string, parentKey: string): ConnectionPlan {
    for (const argument of node.arguments ?? []) {
      // Backward pages stay on the resolver path.
      if (['before', 'last'].includes(argument.name.value)) decline('backward page');
    }
    const connectionType = getNamedType(def.type);
    if (!isObjectType(connectionType)) decline('connection type');
    const objectType = (field: string) => {
      const t = getNamedType(connectionType.getFields()[field].type);
      if (!isObjectType(t)) decline('connection part type');
      return t;
    };
    const parts: ConnectionPart[] = [];
    let objects = 0;
    for (const part of this.fieldsOf(connectionType, node.selectionSet)) {
      const partKey = part.alias?.value ?? part.name.value;
      switch (part.name.value) {
        case '__typename':
          parts.push({ kind: 'typename', key: partKey, value: connectionType.name });
          break;
        case 'totalCount':
          parts.push({ kind: 'count', key: partKey });
          break;
        case 'nodes':
          objects += 1;
          parts.push({ kind: 'nodes', key: partKey, plan: this.object(objectType('nodes'), part.selectionSet) });
          break;
        case 'edges': {
          const edgeType = objectType('edges');
          const edgeParts: EdgePart[] = [];
          let plan: ObjectPlan | null = null;
          for (const edgePart of this.fieldsOf(edgeType, part.selectionSet)) {
            const edgeKey = edgePart.alias?.value ?? edgePart.name.value;
            if (edgePart.name.value === '__typename') edgeParts.push({ kind: 'typename', key: edgeKey, value: edgeType.name });
            else if (edgePart.name.value === 'cursor') edgeParts.push({ kind: 'cursor', key: edgeKey });
            else if (edgePart.name.value === 'node') {
              objects += 1;
              const nodeType = getNamedType(edgeType.getFields().node.type);
              if (!isObjectType(nodeType)) decline('edge node type');
              plan = this.object(nodeType, edgePart.selectionSet);
              edgeParts.push({ kind: 'node', key: edgeKey });
            } else decline(`edge part ${edgePart.name.value}`);
          }
          parts.push({ kind: 'edges', key: partKey, parts: edgeParts, plan });
          break;
        }
        case 'pageInfo': {
          const infoType = objectType('pageInfo');
          const infoParts: InfoPart[] = [];
          for (const infoPart of this.fieldsOf(infoType, part.selectionSet)) {
            const infoKey = infoPart.alias?.value ?? infoPart.name.value;
            const name = infoPart.name.value;
            if (name === '__typename') infoParts.push({ kind: 'typename', key: infoKey, value: infoType.name });
            else if (name === 'hasNextPage' || name === 'hasPreviousPage' || name === 'startCursor' || name === 'endCursor') infoParts.push({ kind: name, key: infoKey });
            else decline(`page info ${name}`);
          }
          parts.push({ kind: 'pageInfo', key: partKey, parts: infoParts });
          break;
        }
        default:
          decline(`connection part ${part.name.value}`);
      }
    }
    // One object per row: `nodes` and `edges { node }` together are left to the resolvers.
    if (objects > 1) decline('rows selected twice');
    return { kind: 'connection', key, field: def, node, loader, parentKey, parts };
  }

  /** Whether a plain field's value is sent as text (and which scalars this path accepts). */
  private scalarText(def: GraphQLField<unknown, unknown>): boolean {
    const type = getNamedType(def.type);
    if (isEnumType(type)) {
      // Enum values leave as their names; every Tripod enum's value is its name.
      if (type.getValues().some((v) => v.value !== v.name)) decline('enum value');
      return true;
    }
    if (!isScalarType(type)) decline('non-scalar plain field');
    switch (type.name) {
      case 'String':
      case 'ID':
      case 'Decimal':
      case 'Date':
        return true;
      case 'Int':
      case 'Boolean':
        return false;
      default:
        // DateTime (a format of its own), JSON scalars: the resolver path.
        decline(`scalar ${type.name}`);
    }
  }

  root(operation: OperationDefinitionNode): RootPlan[] {
    const query = this.schema.getQueryType();
    if (query === null || query === undefined) decline('no query type');
    const roots: RootPlan[] = [];
    for (const node of this.fieldsOf(query, operation.selectionSet)) {
      const key = node.alias?.value ?? node.name.value;
      const field = query.getFields()[node.name.value];
      const objectType = (name: string) => {
        const t = this.schema.getType(name);
        if (!isObjectType(t)) decline('root type');
        return t;
      };
      switch (node.name.value) {
        case 'household':
          roots.push({ kind: 'household', key, field, node, plan: this.object(objectType('Household'), node.selectionSet) });
          break;
        case 'county':
          roots.push({ kind: 'county', key, field, node, plan: this.object(objectType('County'), node.selectionSet) });
          break;
        case 'node': {
          // Compiled per type on first use: most operations select one type's fragment.
          const plans = new Map<string, ObjectPlan>();
          for (const name of NODE_TYPES) {
            try {
              plans.set(name, this.object(objectType(name), node.selectionSet));
            } catch (error) {
              if (!(error instanceof Decline)) throw error;
            }
          }
          roots.push({ kind: 'node', key, field, node, plans });
          break;
        }
        default: {
          const loader = ROOT_LISTS[node.name.value];
          if (loader === undefined) decline(`root ${node.name.value}`);
          roots.push({ kind: 'list', key, field, node, connection: this.connection(field, node, key, loader, '') });
        }
      }
    }
    return roots;
  }
}

/** Names of the variables a statement's shape depends on: below the roots, and a root list's arguments. */
function nestedVariables(roots: readonly RootPlan[], fragments: readonly FragmentDefinitionNode[]): string[] {
  const names = new Set<string>();
  const collect = { Variable: (node: VariableNode) => void names.add(node.name.value) };
  for (const root of roots) {
    if (root.node.selectionSet !== undefined) visit(root.node.selectionSet, collect);
    // A root list's own arguments shape its statement; the roots looked up by key are
    // bound per request instead (`KEY_PARAMS`).
    if (root.kind === 'list') for (const argument of root.node.arguments ?? []) visit(argument, collect);
  }
  // Fragments may be spread below a root; their variables count wherever they are used.
  for (const fragment of fragments) visit(fragment.selectionSet, collect);
  return [...names].sort();
}

const plans = new WeakMap<OperationDefinitionNode, CompiledOperation | null>();

/**
 * The compiled form of a query operation, or null when any of it is outside what this
 * path answers. Kept per operation node (Apollo keeps parsed documents per text).
 */
export function compileOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CompiledOperation | null {
  const known = plans.get(operation);
  if (known !== undefined) return known;
  let compiled: CompiledOperation | null = null;
  if (operation.operation === 'query' && (operation.directives?.length ?? 0) === 0) {
    const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
    try {
      const compiler = new Compiler(schema, new Map(fragments.map((f) => [f.name.value, f])));
      const roots = compiler.root(operation);
      compiled = { roots, operation, nestedVariables: nestedVariables(roots, fragments) };
    } catch (error) {
      if (!(error instanceof Decline)) throw error;
    }
  }
  plans.set(operation, compiled);
  return compiled;
}

// ---------------------------------------------------------------------------------------
// Statements: a plan with the principal, the variables and the arguments.

interface Build {
  readonly ctx: Context;
  readonly principal: Readonly<Principal>;
  readonly variables: Record<string, unknown>;
}

function pairs(entries: ReadonlyArray<readonly [string, Sql]>): Sql {
  if (entries.length === 0) return raw(`'{}'::json`);
  const parts = entries.map(([key, value]) => sql`${raw(quoteKey(key))}, ${value}`);
  return sql`json_build_object(${{ text: parts.map((p) => p.text).join(', '), params: parts.flatMap((p) => p.params) }})`;
}

/** A response key as an SQL literal: GraphQL names are `[_A-Za-z][_0-9A-Za-z]*`. */
function quoteKey(key: string): string {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(key)) throw new Error('compiled read: not a GraphQL name');
  return `'${key}'`;
}

function objectSql(plan: ObjectPlan, alias: string, b: Build): Sql {
  const type = plan.type;
  const entries: Array<readonly [string, Sql]> = plan.fields.map((field) => [field.key, fieldSql(field, type, alias, b)] as const);
  return pairs(entries);
}

function fieldSql(field: FieldPlan, type: RowType, alias: string, b: Build): Sql {
  const at = (column: string) => column.replace(/^[a-z_][a-z0-9_]*\./, `${alias}.`);
  switch (field.kind) {
    case 'typename':
      return sql`${field.value}::text`;
    case 'column':
      return raw(field.text ? `(${at(field.column)})::text` : at(field.column));
    case 'id':
      return raw(`json_build_object('$gid', '${type.name}', 'k', (${at(type.columns.get(type.idColumn) as string)})::text)`);
    case 'pii': {
      const column = field.field === 'NAME' ? `${alias}.name_enc` : `${alias}.phone_enc`;
      return raw(
        `CASE WHEN ${column} IS NULL THEN NULL ELSE json_build_object('$pii', '${field.field}', 'f', '${field.name}', 'h', ${alias}.id::text, 'v', encode(${column}, 'hex')) END`,
      );
    }
    case 'model':
      // combinedModelOf over the loan's LINKED links (`linksByLoanId`), without asOf.
      return raw(`(CASE
        WHEN EXISTS (SELECT 1 FROM contract_link cm WHERE cm.loan_id = ${alias}.id AND cm.status = 'LINKED' AND cm.policy_id IS NOT NULL)
          THEN CASE WHEN EXISTS (SELECT 1 FROM contract_link cm WHERE cm.loan_id = ${alias}.id AND cm.status = 'LINKED' AND cm.guarantee_id IS NOT NULL)
                    THEN 'BANK_INSURANCE_GUARANTEE' ELSE 'LOAN_INSURANCE' END
        WHEN EXISTS (SELECT 1 FROM contract_link cm WHERE cm.loan_id = ${alias}.id AND cm.status = 'LINKED' AND cm.guarantee_id IS NOT NULL)
          THEN 'LOAN_GUARANTEE'
        ELSE 'LOAN_ONLY' END)`);
    case 'one': {
      const relation = type.toOne?.[field.relation] as ToOne;
      return relation.subquery(alias, objectSql(field.plan, field.plan.type.alias, b), b.principal);
    }
    case 'union': {
      const relation = type.toOne?.[field.relation] as ToUnion;
      const branches = relation.order.map((member) => {
        const plan = field.plans[member];
        return sql`WHEN ${raw(relation.when(alias, member))} THEN ${relation.members[member](alias, objectSql(plan, plan.type.alias, b), b.principal)}`;
      });
      return sql`(CASE ${{ text: branches.map((x) => x.text).join(' '), params: branches.flatMap((x) => x.params) }} END)`;
    }
    case 'connection':
      return connectionSql(field, alias, b);
  }
}

/**
 * A connection: of the parent row `alias` (a nested list), or a root list when `alias` is
 * null. `nodes` and `totalCount` are built in SQL; a selection with `edges` or `pageInfo`
 * becomes a `$conn` object (rows with their sort keys, whether more follow, the count)
 * that `finish` turns into the selected parts, encoding cursors as `toPage` does.
 */
function connectionSql(field: ConnectionPlan, alias: string | null, b: Build): Sql {
  const args = getArgumentValues(field.field, field.node, b.variables);
  const loaders = b.ctx.loaders as unknown as Record<string, NestedList<unknown> & RootList<unknown>>;
  const source = loaders[field.loader];
  let request: ListRequest;
  try {
    request = listRequest(b.ctx, source.list, args);
  } catch {
    decline('arguments refused');
  }
  const window = request.window;
  if (window.backward || window.before !== null) decline('window');
  const query = alias === null ? source.query(request.spec) : source.query(raw(`${alias}.${field.parentKey}`), request.spec);
  const rowAlias = aliasOf(source.list);
  const order = orderBy(query.order, false);
  const where = window.after === null ? query.where : and(query.where, keyset(query.order, window.after, true));
  const count = sql`(SELECT count(*)::int FROM ${query.from} WHERE ${query.where})`;
  // Nested `nodes` and `totalCount` without a cursor are built in SQL directly.
  const simple = alias !== null && window.after === null && field.parts.every((part) => part.kind === 'nodes' || part.kind === 'count' || part.kind === 'typename');
  if (simple) {
    const entries = field.parts.map((part) => {
      switch (part.kind) {
        case 'typename':
          return [part.key, sql`${part.value}::text`] as const;
        case 'count':
          return [part.key, count] as const;
        default: {
          const object = objectSql((part as { plan: ObjectPlan }).plan, rowAlias, b);
          return [
            part.key,
            sql`(SELECT coalesce(json_agg(x.j ORDER BY x.n), '[]'::json) FROM (
                   SELECT ${object} AS j, row_number() OVER (ORDER BY ${order}) AS n
                     FROM ${query.from} WHERE ${query.where}
                    ORDER BY ${order} LIMIT ${raw(String(window.size))}) x)`,
          ] as const;
        }
      }
    });
    return pairs(entries);
  }
  const plan = field.parts.reduce<ObjectPlan | null>(
    (found, part) => found ?? (part.kind === 'nodes' ? part.plan : part.kind === 'edges' ? part.plan : null),
    null,
  );
  const object = plan === null ? raw('NULL::json') : objectSql(plan, rowAlias, b);
  const keys = query.order.map((term) => sql`(${term.sql})::text`);
  const keyArray = sql`json_build_array(${{ text: keys.map((k) => k.text).join(', '), params: keys.flatMap((k) => k.params) }})`;
  const wantsCount = field.parts.some((part) => part.kind === 'count');
  // A page that sorts every matching row anyway counts them in the same pass (`countsWithPage`).
  const windowCount = wantsCount && alias === null && countsWithPage(query, window);
  const total = !wantsCount ? raw('NULL::int') : windowCount ? raw('coalesce(max(x.t), 0)') : count;
  const describe = JSON.stringify(field.parts.map(describePart));
  return sql`(SELECT json_build_object('$conn', ${describe}::json, 'ordering', ${request.ordering}::text, 'size', ${window.size}::int,
                  'after', ${window.after !== null}::boolean, 'total', ${total},
                  'rows', coalesce(json_agg(json_build_array(x.j, x.k) ORDER BY x.n), '[]'::json))
               FROM (SELECT ${object} AS j, ${keyArray} AS k, row_number() OVER (ORDER BY ${order}) AS n${raw(windowCount ? ', count(*) OVER ()::int AS t' : '')}
                       FROM ${query.from} WHERE ${where}
                      ORDER BY ${order} LIMIT ${raw(String(window.size + 1))}) x)`;
}

/** A connection part as `finish` reads it: `[key, kind, value or sub-parts]`. */
function describePart(part: ConnectionPart): unknown[] {
  switch (part.kind) {
    case 'typename':
      return [part.key, 'typename', part.value];
    case 'edges':
      return [part.key, 'edges', part.parts.map((p) => [p.key, p.kind, p.kind === 'typename' ? p.value : null])];
    case 'pageInfo':
      return [part.key, 'pageInfo', part.parts.map((p) => [p.key, p.kind, p.kind === 'typename' ? p.value : null])];
    default:
      return [part.key, part.kind];
  }
}

/** Global-id keys that are row ids: digits only (the loaders cast them to bigint). */
const ROW_ID = /^[1-9][0-9]{0,17}$/;

/** Node types whose key is a row id, and their lists. */
const NODE_LISTS: Readonly<Record<string, EntityList>> = { Loan: LOANS, InsurancePolicy: POLICIES, Claim: CLAIMS, GuaranteeContract: GUARANTEES };

/** What a root looks up in this request: its key value, and for `node(id)` the type. */
interface Lookup {
  readonly value: string;
  readonly type?: NodeTypeName;
}

/** The lookups of a request's roots, checked as their resolvers check them. */
function lookupsOf(compiled: CompiledOperation, variables: Record<string, unknown>): Lookup[] {
  return compiled.roots.map((root) => {
    const args = getArgumentValues(root.field, root.node, variables);
    try {
      switch (root.kind) {
        case 'household':
          return { value: checkHouseholdRef(args.ref as string) };
        case 'county':
          return { value: checkCountyCode(args.code as string) };
        case 'list':
          return { value: '' };
        case 'node': {
          const id = fromGlobalId(args.id as string);
          if (!root.plans.has(id.type)) decline(`node type ${id.type}`);
          if (NODE_LISTS[id.type] !== undefined && !ROW_ID.test(id.key)) decline('row id');
          return { value: id.key, type: id.type };
        }
      }
    } catch (error) {
      if (error instanceof Decline) throw error;
      // The resolver reports the refusal (BAD_USER_INPUT) as it always has.
      decline('root argument refused');
    }
  });
}

/**
 * Stand-ins for the roots' key values in a statement built once per shape: the statement
 * of a household page is the same for every ref, so it is built once per principal and
 * page sizes and its ref bound at each request.
 */
const KEY_PARAMS: ReadonlyArray<{ readonly keyParam: number }> = Array.from({ length: 64 }, (_, i) => ({ keyParam: i }));
const KEY_PARAM_SET = new Set<unknown>(KEY_PARAMS);

function rootSql(root: RootPlan, lookup: Lookup, key: unknown, b: Build): Sql {
  const p = b.principal;
  switch (root.kind) {
    case 'list':
      return connectionSql(root.connection, null, b);
    case 'household':
      return sql`(SELECT ${objectSql(root.plan, 'h', b)} FROM household h WHERE h.ref = ${key} AND ${HOUSEHOLDS.scope(p)})`;
    case 'county':
      return countySql(root.plan, key, b);
    case 'node': {
      const type = lookup.type as NodeTypeName;
      const plan = root.plans.get(type) as ObjectPlan;
      if (type === 'County') return countySql(plan, key, b);
      const object = objectSql(plan, plan.type.alias, b);
      if (type === 'Household') return sql`(SELECT ${object} FROM household h WHERE h.ref = ${key} AND ${HOUSEHOLDS.scope(p)})`;
      const list = NODE_LISTS[type];
      if (list === undefined) decline('node list');
      return sql`(SELECT ${object} FROM ${raw(list.table)} WHERE ${raw(aliasOf(list))}.id = ${key}::bigint AND ${list.scope(p)})`;
    }
  }
}

/** `county(code)`: the area if it is a county (public reference data). */
function countySql(plan: ObjectPlan, code: unknown, b: Build): Sql {
  return sql`(SELECT ${objectSql(plan, 'a', b)} FROM area a WHERE a.code = ${code} AND a.level = 'COUNTY')`;
}

/** Built statements of one operation, by what they depend on besides the roots' keys. */
const built = new WeakMap<CompiledOperation, Map<string, Sql | null>>();
const MAX_BUILT = 200;

/** The one statement of a compiled operation: one row, its `data` column the response's data. */
export function operationSql(compiled: CompiledOperation, ctx: Context, variables: Record<string, unknown>): Sql | null {
  let lookups: Lookup[];
  try {
    if (compiled.roots.length > KEY_PARAMS.length) decline('roots');
    lookups = lookupsOf(compiled, variables);
  } catch (error) {
    if (error instanceof Decline) return null;
    throw error;
  }
  // Everything the text and the other parameters depend on: the principal (row scopes,
  // page-size limits), today's date (current periods), the node types looked up and the
  // variables of nested arguments.
  const shape = JSON.stringify([
    ctx.principal,
    chinaToday(),
    lookups.map((l) => l.type ?? null),
    compiled.nestedVariables.map((name) => variables[name] ?? null),
  ]);
  let byShape = built.get(compiled);
  if (byShape === undefined) built.set(compiled, (byShape = new Map()));
  let statement = byShape.get(shape);
  if (statement === undefined) {
    try {
      const b: Build = { ctx, principal: ctx.principal, variables };
      const entries = compiled.roots.map((root, i) => [root.key, rootSql(root, lookups[i], KEY_PARAMS[i], b)] as const);
      statement = sql`SELECT ${pairs(entries)} AS data`;
    } catch (error) {
      if (!(error instanceof Decline)) throw error;
      statement = null;
    }
    if (byShape.size >= MAX_BUILT) byShape.clear();
    byShape.set(shape, statement);
  }
  if (statement === null) return null;
  const params = statement.params.map((param) => (KEY_PARAM_SET.has(param) ? lookups[(param as { keyParam: number }).keyParam].value : param));
  return { text: statement.text, params };
}

/**
 * Coerced variables, or null when they do not fit the operation (the resolver path then
 * reports it as graphql-js does).
 */
export function coerceVariables(schema: GraphQLSchema, compiled: CompiledOperation, inputs: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const result = getVariableValues(schema, compiled.operation.variableDefinitions ?? [], inputs ?? {});
  return result.errors !== undefined ? null : result.coerced;
}

/**
 * The statement's JSON made into the response's data: household PII revealed, masked and
 * noted for the audit; global ids made. Null when a root is null (the resolver path then
 * answers, with whatever it says of a missing or invisible row).
 */
export function finishData(compiled: CompiledOperation, data: Record<string, unknown>, ctx: Context): Record<string, unknown> | null {
  for (const root of compiled.roots) {
    if (data[root.key] === null || data[root.key] === undefined) return null;
  }
  return finish(data, ctx) as Record<string, unknown>;
}

function finish(value: unknown, ctx: Context): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = finish(value[i], ctx);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('$pii' in object) {
    const blob = Buffer.from(object.v as string, 'hex');
    const field = object.$pii as 'NAME' | 'PHONE';
    const revealed = revealHouseholdPii(ctx.principal, ctx.services.piiKeyring, { nameEnc: blob, phoneEnc: blob }, field);
    if (revealed !== null) notePiiRead(ctx, object.h as string, object.f as string);
    return revealed;
  }
  if ('$gid' in object) return toGlobalId(object.$gid as NodeTypeName, object.k as string);
  if ('$conn' in object) return finishConnection(object, ctx);
  for (const key of Object.keys(object)) object[key] = finish(object[key], ctx);
  return object;
}

/** A `$conn` object (see `connectionSql`) as the connection parts it describes. */
function finishConnection(marker: Record<string, unknown>, ctx: Context): Record<string, unknown> {
  const size = marker.size as number;
  const all = marker.rows as Array<[unknown, Array<string | null>]>;
  const rows = all.length > size ? all.slice(0, size) : all;
  const ordering = marker.ordering as string;
  const nodes = rows.map((row) => finish(row[0], ctx));
  const cursors: Array<string | undefined> = [];
  const cursor = (i: number) => (cursors[i] ??= encodeCursor(ordering, rows[i][1]));
  const out: Record<string, unknown> = {};
  for (const [key, kind, detail] of marker.$conn as Array<[string, string, unknown]>) {
    switch (kind) {
      case 'typename':
        out[key] = detail;
        break;
      case 'nodes':
        out[key] = nodes;
        break;
      case 'count':
        out[key] = marker.total;
        break;
      case 'edges':
        out[key] = rows.map((_, i) => {
          const edge: Record<string, unknown> = {};
          for (const [edgeKey, edgeKind, value] of detail as Array<[string, string, unknown]>) {
            edge[edgeKey] = edgeKind === 'cursor' ? cursor(i) : edgeKind === 'node' ? nodes[i] : value;
          }
          return edge;
        });
        break;
      case 'pageInfo': {
        const info: Record<string, unknown> = {};
        const last = rows.length - 1;
        for (const [infoKey, infoKind, value] of detail as Array<[string, string, unknown]>) {
          info[infoKey] =
            infoKind === 'hasNextPage'
              ? all.length > size
              : infoKind === 'hasPreviousPage'
                ? marker.after === true
                : infoKind === 'startCursor'
                  ? (last < 0 ? null : cursor(0))
                  : infoKind === 'endCursor'
                    ? (last < 0 ? null : cursor(last))
                    : value;
        }
        out[key] = info;
        break;
      }
    }
  }
  return out;
}
