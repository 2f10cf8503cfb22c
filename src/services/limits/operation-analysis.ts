/**
 * Static measures of one operation — depth, aliases, root fields, estimated cost — and
 * the checks against a principal's limits. Pure functions of the schema, the document
 * and the variables: the Apollo plugin, the validation rules and the graphql-ws server
 * all use them.
 */
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  visit,
} from 'graphql';
import type { LimitSettings } from './limits.config';
import { limitError, tooComplex } from './limit.errors';

/** What the cost estimate needs besides the document. */
export interface CostOptions {
  /** Page size of a connection requested without `first`/`last`. */
  defaultPageSize: number;
  /**
   * Size assumed for a list field with no `first`/`last` and no declared cap
   * (`extensions.maxItems` on the field, or `listCaps`). Default 100, the page cap.
   */
  defaultListSize?: number;
  /** Caps of list fields by `Type.field`, for schemas that cannot carry extensions. */
  listCaps?: Readonly<Record<string, number>>;
  /** When set, `first`/`last` outside 0…maxPageSize are reported as `invalidPage`. */
  maxPageSize?: number;
}

/** A `first`/`last` argument outside the allowed page sizes. */
export interface InvalidPageArgument {
  argument: 'first' | 'last';
  value: unknown;
}

export interface OperationAnalysis {
  /** Deepest field nesting; a root field is depth 1. */
  depth: number;
  /** Estimated cost (see `analyzeOperation`), saturating at `Number.MAX_SAFE_INTEGER`. */
  cost: number;
  /** Aliased fields, counting each use of a fragment. */
  aliases: number;
  /** Fields selected at the root, fragments expanded. */
  rootFields: number;
  /** The first out-of-range page argument, when `maxPageSize` was given. */
  invalidPage?: InvalidPageArgument;
}

export type Variables = Readonly<Record<string, unknown>> | null | undefined;

const DEFAULT_LIST_SIZE = 100;
const PAGE_ARGUMENTS = ['first', 'last'] as const;

/**
 * Measures the operation `operationName` (or the only one) of a document.
 *
 * Cost: every field costs 1. A field with a `first`/`last` argument (literal, or a
 * variable read from `variables`, else from the variable's default) multiplies the
 * cost of its sub-selection by that size; without one, a connection (a type named
 * `…Connection`) multiplies by `defaultPageSize` and a list by its declared cap
 * (`extensions.maxItems`, or `listCaps`) or `defaultListSize`. The `edges`/`nodes`
 * lists of a connection describe the page already counted and multiply by 1.
 * Fragments on different types of an abstract field are summed (an upper bound).
 * `__typename` costs nothing; introspection fields (`__schema`, `__type`) cost 1 and
 * are not descended into: their size is bounded by the schema, and production servers
 * disable introspection.
 *
 * Each fragment is measured once, so the work is linear in the document even when
 * fragments spread each other exponentially; fragment cycles (rejected by validation)
 * count as empty. An unknown operation measures as empty: execution reports it.
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  options: CostOptions,
): OperationAnalysis {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) {
    return { depth: 0, cost: 0, aliases: 0, rootFields: 0 };
  }
  return analyzeOperationNode(schema, document, operation, variables, options);
}

/** `analyzeOperation` for an operation already picked out of its document. */
export function analyzeOperationNode(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  options: CostOptions,
): OperationAnalysis {
  return new OperationWalker(schema, document, operation, variables, options).analyze();
}

/**
 * The estimated cost of an operation, with its variables (see `analyzeOperation`).
 * Meant for an Apollo plugin's `didResolveOperation`, where the variables are known.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  options: Pick<CostOptions, 'defaultPageSize' | 'defaultListSize' | 'listCaps'>,
): number {
  return analyzeOperation(schema, document, operationName, variables, options).cost;
}

/** The limits `checkOperationLimits` applies; an absent one is not checked. */
export type OperationLimits = Partial<Pick<LimitSettings, 'maxDepth' | 'maxRootFields' | 'maxAliases' | 'maxCost' | 'maxPageSize'>>;

/**
 * Throws the first limit an analysed operation breaks: an out-of-range page size
 * (`BAD_USER_INPUT`), then depth, root fields, aliases and cost (`QUERY_TOO_COMPLEX`).
 */
export function checkOperationLimits(analysis: OperationAnalysis, limits: OperationLimits): void {
  if (analysis.invalidPage && limits.maxPageSize !== undefined) {
    throw pageSizeError(analysis.invalidPage.argument, analysis.invalidPage.value, limits.maxPageSize);
  }
  if (limits.maxDepth !== undefined && analysis.depth > limits.maxDepth) {
    throw tooComplex('Query depth', 'maxDepth', analysis.depth, limits.maxDepth);
  }
  if (limits.maxRootFields !== undefined && analysis.rootFields > limits.maxRootFields) {
    throw tooComplex('Root field count', 'maxRootFields', analysis.rootFields, limits.maxRootFields);
  }
  if (limits.maxAliases !== undefined && analysis.aliases > limits.maxAliases) {
    throw tooComplex('Alias count', 'maxAliases', analysis.aliases, limits.maxAliases);
  }
  if (limits.maxCost !== undefined && analysis.cost > limits.maxCost) {
    throw tooComplex('Query cost', 'maxCost', analysis.cost, limits.maxCost);
  }
}

/** What `enforceOperationLimits` checks. */
export interface OperationRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Variables;
}

/**
 * Analyses an operation with the caller's limits and throws the first one broken;
 * returns the analysis (its `cost` is what the daily budget is charged). For the
 * Apollo plugin and for transports Apollo plugins do not see (graphql-ws).
 */
export function enforceOperationLimits(request: OperationRequest, limits: LimitSettings): OperationAnalysis {
  rejectNulCharacters(request.document, request.variables);
  const analysis = cachedAnalysis(request, limits, () =>
    analyzeOperation(request.schema, request.document, request.operationName, request.variables, {
      defaultPageSize: limits.defaultPageSize,
      // A nested list without first/last is sized like a default page: every such list is
      // a capped list or a connection whose loader returns at most that many items.
      defaultListSize: limits.defaultPageSize,
      maxPageSize: limits.maxPageSize,
    }),
  );
  checkOperationLimits(analysis, limits);
  return analysis;
}

/**
 * Analyses by document (Apollo keeps one parsed document per operation text), operation,
 * page-size settings and the values of the variables the analysis reads — those given
 * to `first` or `last` — so that the same operation with another household's ref is not
 * walked again. Bounded per document.
 */
const analyses = new WeakMap<DocumentNode, { pageVariables: readonly string[]; byKey: Map<string, OperationAnalysis> }>();
const MAX_ANALYSES_PER_DOCUMENT = 100;

function cachedAnalysis(request: OperationRequest, limits: LimitSettings, analyze: () => OperationAnalysis): OperationAnalysis {
  let entry = analyses.get(request.document);
  if (entry === undefined) {
    entry = { pageVariables: pageVariables(request.document), byKey: new Map() };
    analyses.set(request.document, entry);
  }
  const variables = request.variables ?? {};
  const key = JSON.stringify([
    request.operationName ?? null,
    limits.defaultPageSize,
    limits.maxPageSize,
    entry.pageVariables.map((name) => (name in variables ? variables[name] : '$default')),
  ]);
  let analysis = entry.byKey.get(key);
  if (analysis === undefined) {
    analysis = analyze();
    if (entry.byKey.size >= MAX_ANALYSES_PER_DOCUMENT) entry.byKey.clear();
    entry.byKey.set(key, analysis);
  }
  return analysis;
}

/** Names of the variables a document passes to `first` or `last` anywhere. */
function pageVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if ((node.name.value === 'first' || node.name.value === 'last') && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names].sort();
}

/**
 * Checks a connection's `first`/`last` against the page cap and returns the page size
 * to load: `first`, else `last`, else the default. Connection resolvers call it too,
 * so that the rule holds whatever path a request took.
 *
 * @throws GraphQLError `BAD_USER_INPUT` (`first must be between 0 and 100`).
 */
export function checkPageSize(
  first: number | null | undefined,
  last: number | null | undefined,
  limits: Pick<LimitSettings, 'maxPageSize' | 'defaultPageSize'>,
): number {
  for (const [argument, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value !== null && value !== undefined && !isPageSize(value, limits.maxPageSize)) {
      throw pageSizeError(argument, value, limits.maxPageSize);
    }
  }
  return first ?? last ?? limits.defaultPageSize;
}

function pageSizeError(argument: 'first' | 'last', value: unknown, maxPageSize: number) {
  return limitError('BAD_USER_INPUT', `${argument} must be between 0 and ${maxPageSize}`, {
    limit: 'maxPageSize',
    max: maxPageSize,
    actual: typeof value === 'number' ? value : undefined,
  });
}

function isPageSize(value: unknown, maxPageSize: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= maxPageSize;
}

/** True for the types whose page size the connection's arguments decide. */
export function isConnectionType(type: GraphQLNamedType | undefined): boolean {
  return type !== undefined && (isObjectType(type) || isInterfaceType(type)) && type.name.endsWith('Connection');
}

interface Metrics {
  depth: number;
  cost: number;
  aliases: number;
  fields: number;
  invalidPage?: InvalidPageArgument;
}

const EMPTY: Metrics = Object.freeze({ depth: 0, cost: 0, aliases: 0, fields: 0 });

class OperationWalker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, Metrics>();
  private readonly measuring = new Set<string>();
  private readonly variableDefaults = new Map<string, ValueNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Variables,
    private readonly options: CostOptions,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        this.fragments.set(definition.name.value, definition);
      }
    }
    for (const definition of operation.variableDefinitions ?? []) {
      if (definition.defaultValue) {
        this.variableDefaults.set(definition.variable.name.value, definition.defaultValue);
      }
    }
  }

  analyze(): OperationAnalysis {
    const root = this.schema.getRootType(this.operation.operation) ?? undefined;
    const metrics = this.selectionSet(this.operation.selectionSet, root);
    const analysis: OperationAnalysis = {
      depth: metrics.depth,
      cost: metrics.cost,
      aliases: metrics.aliases,
      rootFields: metrics.fields,
    };
    if (metrics.invalidPage) {
      analysis.invalidPage = metrics.invalidPage;
    }
    return analysis;
  }

  private selectionSet(selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined): Metrics {
    let total = EMPTY;
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          total = combine(total, this.field(selection, parentType));
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
          total = combine(total, this.selectionSet(selection.selectionSet, type ?? undefined));
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          total = combine(total, this.fragment(selection.name.value));
          break;
      }
    }
    return total;
  }

  private fragment(name: string): Metrics {
    const known = this.measured.get(name);
    if (known) {
      return known;
    }
    const definition = this.fragments.get(name);
    if (!definition || this.measuring.has(name)) {
      return EMPTY;
    }
    this.measuring.add(name);
    const type = this.schema.getType(definition.typeCondition.name.value) ?? undefined;
    const metrics = this.selectionSet(definition.selectionSet, type);
    this.measuring.delete(name);
    this.measured.set(name, metrics);
    return metrics;
  }

  private field(node: FieldNode, parentType: GraphQLNamedType | undefined): Metrics {
    const name = node.name.value;
    const aliases = node.alias ? 1 : 0;
    if (name === '__typename') {
      return { depth: 1, cost: 0, aliases, fields: 1 };
    }
    if (name.startsWith('__')) {
      return { depth: 1, cost: 1, aliases, fields: 1 };
    }
    const definition = fieldOf(parentType, name);
    const type = definition ? getNamedType(definition.type) : undefined;
    const child = node.selectionSet ? this.selectionSet(node.selectionSet, type) : EMPTY;
    const page = this.pageArguments(node);
    const multiplier = this.multiplier(definition, parentType, type, page.size);
    const metrics: Metrics = {
      depth: 1 + child.depth,
      cost: saturate(1 + saturate(multiplier * child.cost)),
      aliases: saturate(aliases + child.aliases),
      fields: 1,
    };
    const invalidPage = page.invalid ?? child.invalidPage;
    if (invalidPage) {
      metrics.invalidPage = invalidPage;
    }
    return metrics;
  }

  private multiplier(
    definition: GraphQLField<unknown, unknown> | undefined,
    parentType: GraphQLNamedType | undefined,
    type: GraphQLNamedType | undefined,
    pageSize: number | undefined,
  ): number {
    if (!definition) {
      return 1;
    }
    if (isConnectionType(parentType) && (definition.name === 'edges' || definition.name === 'nodes')) {
      return 1;
    }
    if (pageSize !== undefined) {
      return pageSize;
    }
    if (isConnectionType(type)) {
      return this.options.defaultPageSize;
    }
    if (isListType(getNullableType(definition.type))) {
      return this.listCap(definition, parentType) ?? this.options.defaultListSize ?? DEFAULT_LIST_SIZE;
    }
    return 1;
  }

  private listCap(definition: GraphQLField<unknown, unknown>, parentType: GraphQLNamedType | undefined): number | undefined {
    const declared = (definition.extensions as { maxItems?: unknown } | undefined)?.maxItems;
    if (typeof declared === 'number' && declared >= 0) {
      return declared;
    }
    return parentType ? this.options.listCaps?.[`${parentType.name}.${definition.name}`] : undefined;
  }

  /** The requested page size (the larger of `first`/`last`) and the first invalid one. */
  private pageArguments(node: FieldNode): { size?: number; invalid?: InvalidPageArgument } {
    let size: number | undefined;
    let invalid: InvalidPageArgument | undefined;
    for (const argument of node.arguments ?? []) {
      const name = argument.name.value;
      if (name !== 'first' && name !== 'last') {
        continue;
      }
      const value = this.argumentValue(argument.value);
      if (value === undefined || value === null) {
        continue;
      }
      const max = this.options.maxPageSize;
      if (max !== undefined && !isPageSize(value, max) && invalid === undefined) {
        invalid = { argument: name as (typeof PAGE_ARGUMENTS)[number], value };
      }
      // A non-number fails variable coercion at execution; count what would run.
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
        size = Math.max(size ?? 0, Math.floor(value));
      }
    }
    return { size, invalid };
  }

  /** A literal, or a variable's value, else its default; `undefined` when unknown. */
  private argumentValue(value: ValueNode): unknown {
    switch (value.kind) {
      case Kind.INT:
        return Number.parseInt(value.value, 10);
      case Kind.NULL:
        return null;
      case Kind.VARIABLE: {
        const name = value.name.value;
        const given = this.variables?.[name];
        if (given !== undefined) {
          return given;
        }
        const fallback = this.variableDefaults.get(name);
        return fallback ? this.argumentValue(fallback) : undefined;
      }
      default:
        // Other literals (a float, a string) fail validation of an Int argument.
        return undefined;
    }
  }
}

function fieldOf(type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
}

function combine(a: Metrics, b: Metrics): Metrics {
  const metrics: Metrics = {
    depth: Math.max(a.depth, b.depth),
    cost: saturate(a.cost + b.cost),
    aliases: saturate(a.aliases + b.aliases),
    fields: saturate(a.fields + b.fields),
  };
  const invalidPage = a.invalidPage ?? b.invalidPage;
  if (invalidPage) {
    metrics.invalidPage = invalidPage;
  }
  return metrics;
}

function saturate(value: number): number {
  return value > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : value;
}

/**
 * PostgreSQL text cannot hold a NUL character, and a driver that meets one fails the
 * statement or the connection: refused for the whole request, before any resolver runs,
 * wherever it hides (a string literal of the document, a variable at any depth).
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming where the NUL was found.
 */
export function rejectNulCharacters(document: DocumentNode, variables: Readonly<Record<string, unknown>> | null | undefined): void {
  const refuse = (field: string | undefined) => {
    const error = limitError('BAD_USER_INPUT', 'A value may not contain a NUL character');
    if (field !== undefined) error.extensions.field = field;
    throw error;
  };
  if (literalsHoldNul(document)) refuse(undefined);
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) refuse(path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) refuse(path);
        walk(item, path === '' ? key : `${path}.${key}`, depth + 1);
      }
    }
  };
  // Paths name the field as resolvers do (`filter.ref_in[1]`), from the variable's name.
  for (const [name, value] of Object.entries(variables ?? {})) walk(value, name, 0);
}

/**
 * Whether a string literal of the document holds a NUL, once per document: Apollo reuses
 * the parsed document of an operation text it has seen, so the walk over the whole tree
 * runs once per distinct operation, not once per request.
 */
const literalNul = new WeakMap<DocumentNode, boolean>();

function literalsHoldNul(document: DocumentNode): boolean {
  let found = literalNul.get(document);
  if (found === undefined) {
    found = false;
    visitLiterals(document, (value) => {
      if (value.includes('\u0000')) found = true;
    });
    literalNul.set(document, found);
  }
  return found;
}

function visitLiterals(node: unknown, onString: (value: string) => void): void {
  if (node === null || typeof node !== 'object') return;
  const record = node as { kind?: unknown; value?: unknown };
  if (record.kind === Kind.STRING && typeof record.value === 'string') onString(record.value);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(child)) child.forEach((c) => visitLiterals(c, onString));
    else if (child !== null && typeof child === 'object') visitLiterals(child, onString);
  }
}
