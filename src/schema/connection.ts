/**
 * Relay connections (`edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`) over the
 * loaders' keyset pages: the GraphQL types, the page arguments, opaque cursors, and the
 * one path — `listRequest` — by which every connection's arguments are validated before
 * anything is read.
 */
import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import {
  orderSignature,
  orderTerms,
  type EntityList,
  type FilterObject,
  type KeyType,
  type ListOptions,
  type ListRequest,
  type NestedList,
  type OrderChoice,
  type PageRows,
  type PageWindow,
  type RootList,
} from '../loaders';
import { checkPageSize, limitsFor } from '../services/limits';
import type { Context } from './context';
import { BadUserInputError } from './errors';
import { checkFilter } from './filters';
import { isCalendarDate } from './scalars';
import { PageInfoType } from './types/page-info.type';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'The direction of a sort key; missing values (null) come last in either direction.',
});

/** The page arguments every connection takes. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'The first n items after `after` (default 20, at most 100).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'A cursor from this connection (same orderBy): the items after it.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'The last n items before `before` (at most 100); not with `first`.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'A cursor from this connection (same orderBy): the items before it.' })
  before?: string | null;
}

/** What a connection's arguments can hold besides the page: filter, ordering, as-of date. */
export interface ListArgs extends PageArgs {
  filter?: FilterObject | null;
  orderBy?: ReadonlyArray<{ field: string; direction?: OrderDirection | null }> | null;
  asOf?: string | null;
}

/**
 * A connection as resolvers return it. Its parts load when read: the page (edges, nodes,
 * page info: one statement) and `totalCount` (another), so a selection of only one of
 * them costs only its statement. A root list whose page sorts every matching row anyway
 * reads both in one statement when both are selected (`rootConnection`).
 */
export interface Connection<R> {
  readonly edges: Promise<Array<{ cursor: string; node: R }>>;
  readonly nodes: Promise<R[]>;
  readonly pageInfo: Promise<PageInfoType>;
  readonly totalCount: Promise<number>;
}

const DEFAULT_CONNECTION_DESCRIPTION = 'A page of items in a stable order, with opaque cursors (Relay connection).';

/**
 * The `<Name>Connection` and `<Name>Edge` types of a node type. Fields resolve by
 * property (no per-field resolver), `totalCount` through a getter on the value.
 */
export function connectionType<T extends object>(name: string, node: ClassType<T>, description = DEFAULT_CONNECTION_DESCRIPTION): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field({ description: 'Opaque; pass it as `after` or `before` to page from this item.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description })
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Promise<Edge[]>;

    @Field(() => [node], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: Promise<T[]>;

    @Field(() => PageInfoType)
    pageInfo!: Promise<PageInfoType>;

    @Field(() => Int, { description: 'Items matching the filter that the caller may see, on every page (counted only when asked for).' })
    totalCount!: Promise<number>;
  }
  return ConnectionType as unknown as ClassType<Connection<T>>;
}

// ---------------------------------------------------------------------------------------
// Cursors: base64url of JSON `[ordering, key values…]`.

const MAX_CURSOR_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const MAX_BIGINT = 9223372036854775807n;

const VALUE_SHAPES: Record<KeyType, (value: string) => boolean> = {
  bigint: (v) => /^-?\d{1,19}$/.test(v) && BigInt(v) <= MAX_BIGINT && BigInt(v) >= -MAX_BIGINT - 1n,
  int: (v) => /^-?\d{1,10}$/.test(v) && Math.abs(Number(v)) <= 2_147_483_647,
  numeric: (v) => /^-?\d{1,30}(\.\d{1,30})?$/.test(v),
  date: (v) => isCalendarDate(v),
  // PostgreSQL text cannot hold NUL: such a value was never issued.
  text: (v) => v.length <= 1000 && !v.includes('\u0000'),
  timestamptz: (v) => /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/.test(v),
};

export function encodeCursor(signature: string, values: ReadonlyArray<string | null>): string {
  return Buffer.from(JSON.stringify([signature, ...values]), 'utf8').toString('base64url');
}

/**
 * The sort key values a cursor holds, checked against the ordering it must belong to.
 *
 * @throws BadUserInputError for anything this connection did not issue: bad encoding,
 *   another ordering or connection, values of the wrong number or type.
 */
export function decodeCursor(cursor: string, signature: string, types: ReadonlyArray<{ type: KeyType; nullable: boolean }>, argument: string): Array<string | null> {
  const malformed = () => new BadUserInputError(`Invalid cursor: not one this connection issued with this orderBy`, argument);
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw malformed();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length + 1 || parsed[0] !== signature) throw malformed();
  const values = parsed.slice(1) as unknown[];
  return values.map((value, i) => {
    if (value === null && types[i].nullable) return null;
    if (typeof value !== 'string' || !VALUE_SHAPES[types[i].type](value)) throw malformed();
    return value;
  });
}

// ---------------------------------------------------------------------------------------
// Requests

const MAX_ORDER_KEYS = 3;

/**
 * Validates a connection's arguments against its list: page size (default and cap from
 * the caller's limits), cursors, ordering and filter. Nothing is read before this passes.
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming the argument or filter path at fault.
 */
export function listRequest(ctx: Context, list: EntityList, args: ListArgs, options: ListOptions = {}): ListRequest {
  const limits = limitsFor(ctx.services.limits, ctx.principal);
  if (args.first !== null && args.first !== undefined && args.last !== null && args.last !== undefined) {
    throw new BadUserInputError('Pass first or last, not both', 'last');
  }
  const size = checkPageSize(args.first, args.last, limits);
  const backward = args.last !== null && args.last !== undefined;

  const order = checkOrder(list, args.orderBy ?? null);
  const signature = orderSignature(list, order);
  const types = orderTerms(list, order);
  const after = args.after === null || args.after === undefined ? null : decodeCursor(args.after, signature, types, 'after');
  const before = args.before === null || args.before === undefined ? null : decodeCursor(args.before, signature, types, 'before');
  const filter = args.filter === null || args.filter === undefined ? null : checkFilter(args.filter, list.filters, 'filter');

  const window: PageWindow = { size, backward, after, before };
  const spec = { filter, order, asOf: args.asOf ?? null, options };
  return { spec, window, ordering: signature, signature: JSON.stringify([signature, spec, window]) };
}

function checkOrder(list: EntityList, orderBy: ListArgs['orderBy']): OrderChoice[] {
  if (orderBy === null || orderBy === undefined) return [];
  if (orderBy.length > MAX_ORDER_KEYS) throw new BadUserInputError(`orderBy takes at most ${MAX_ORDER_KEYS} keys`, 'orderBy');
  const seen = new Set<string>();
  return orderBy.map((choice, i) => {
    if (!(choice.field in list.orders)) throw new BadUserInputError(`Unknown order field ${choice.field}`, `orderBy[${i}].field`);
    if (seen.has(choice.field)) throw new BadUserInputError(`orderBy names ${choice.field} twice`, `orderBy[${i}].field`);
    seen.add(choice.field);
    return { field: choice.field, descending: choice.direction === OrderDirection.DESC };
  });
}

/**
 * A page's edges, nodes and page info, each built when first read: most queries select
 * `nodes` only, and a cursor costs an encoding per row (a county page of 100 households
 * with their contracts would encode thousands). Page info encodes only its two cursors.
 */
class LoadedPage<R> {
  private builtEdges: Array<{ cursor: string; node: R }> | undefined;
  private builtInfo: PageInfoType | undefined;

  constructor(
    private readonly ordering: string,
    private readonly rows: PageRows<R>,
  ) {}

  get nodes(): R[] {
    return this.rows.rows;
  }

  get edges(): Array<{ cursor: string; node: R }> {
    return (this.builtEdges ??= this.rows.rows.map((node, i) => ({ cursor: this.cursor(i), node })));
  }

  get pageInfo(): PageInfoType {
    const last = this.rows.rows.length - 1;
    return (this.builtInfo ??= {
      hasNextPage: this.rows.hasNextPage,
      hasPreviousPage: this.rows.hasPreviousPage,
      startCursor: last < 0 ? null : this.cursor(0),
      endCursor: last < 0 ? null : this.cursor(last),
    });
  }

  private cursor(i: number): string {
    return this.builtEdges?.[i]?.cursor ?? encodeCursor(this.ordering, this.rows.keys[i]);
  }
}

function lazyConnection<R>(request: ListRequest, loadPage: () => Promise<PageRows<R>>, count: () => Promise<number>): Connection<R> {
  let loaded: Promise<LoadedPage<R>> | undefined;
  const page = (): Promise<LoadedPage<R>> => (loaded ??= loadPage().then((rows) => new LoadedPage(request.ordering, rows)));
  return {
    get edges() {
      return page().then((p) => p.edges);
    },
    get nodes() {
      return page().then((p) => p.nodes);
    },
    get pageInfo() {
      return page().then((p) => p.pageInfo);
    },
    get totalCount() {
      return count();
    },
  };
}

/**
 * A root connection. Its arguments are validated now (errors belong to the connection
 * field); its page and count are read when selected.
 */
export function rootConnection<R>(ctx: Context, source: RootList<R>, args: ListArgs, options?: ListOptions): Connection<R> {
  const request = listRequest(ctx, source.list, args, options);
  // graphql-js resolves all the fields of one selection synchronously before awaiting any,
  // so the parts a query selects are all asked for within one tick. The first read waits a
  // microtask, then reads what was asked for: the page and the count together in one
  // statement where the list allows it (`pageWithCount`), otherwise each on its own.
  const wanted = { page: false, count: false };
  let read: Promise<{ page?: Promise<PageRows<R>>; total?: Promise<number> }> | undefined;
  const start = () =>
    (read ??= Promise.resolve().then(() => {
      if (wanted.page && wanted.count) {
        const both = source.pageWithCount(request);
        if (both !== null) return { page: both.then((b) => b.page), total: both.then((b) => b.total) };
        // Two statements, at the same time, each failing on its own.
        return { page: source.page(request), total: source.count(request) };
      }
      return wanted.page ? { page: source.page(request) } : { total: source.count(request) };
    }));
  let page: Promise<PageRows<R>> | undefined;
  let count: Promise<number> | undefined;
  return lazyConnection(
    request,
    () => {
      wanted.page = true;
      // A part asked for after the first read started (not in one selection) reads alone.
      return (page ??= start().then((r) => r.page ?? source.page(request)));
    },
    () => {
      wanted.count = true;
      return (count ??= start().then((r) => r.total ?? source.count(request)));
    },
  );
}

/**
 * The validated requests of a request's nested connections, by list and arguments: a
 * nested field is resolved once per parent (a county page's 100 households each ask for
 * their loans with the same arguments), and validating, ordering and signing the same
 * arguments 100 times was a visible part of such a page's CPU. Errors are not kept: a
 * bad argument throws on every parent, as before.
 */
const nestedRequests = new WeakMap<Context, Map<EntityList, Map<string, ListRequest>>>();

function nestedRequest(ctx: Context, list: EntityList, args: ListArgs, options: ListOptions | undefined): ListRequest {
  let byList = nestedRequests.get(ctx);
  if (byList === undefined) nestedRequests.set(ctx, (byList = new Map()));
  let byArgs = byList.get(list);
  if (byArgs === undefined) byList.set(list, (byArgs = new Map()));
  const key = argumentsKey(args, options);
  let request = byArgs.get(key);
  if (request === undefined) {
    request = listRequest(ctx, list, args, options);
    byArgs.set(key, request);
  }
  return request;
}

/** Equal for arguments `listRequest` treats alike (JSON of every argument it reads). */
function argumentsKey(args: ListArgs, options: ListOptions | undefined): string {
  return JSON.stringify([args.first, args.last, args.after, args.before, args.asOf, args.orderBy, args.filter, options]);
}

/** A nested connection of one parent; the parents of one field share its statements. */
export function nestedConnection<R>(ctx: Context, source: NestedList<R>, parent: string, args: ListArgs, options?: ListOptions): Connection<R> {
  const request = nestedRequest(ctx, source.list, args, options);
  return lazyConnection(
    request,
    () => source.page(parent, request),
    () => source.count(parent, request),
  );
}
