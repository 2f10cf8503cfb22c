/**
 * The live feeds over WebSocket (docs/subscriptions.md): `changes` and `alerts`.
 *
 * Each subscription follows the change feed from a cursor (or from now) through the
 * process's one LISTEN connection, and decides per subscriber, at delivery time, what it
 * may see: before each page of events the connection is re-authenticated and given fresh
 * loaders, then the page's records are read through the same scoped loaders as
 * `node(id)` — one statement per record type per page — and an event whose record is
 * not visible is skipped, never sent as a null.
 */
import type DataLoader from 'dataloader';
import { Args, ArgsType, Field, Resolver, Root, Subscription } from 'type-graphql';
import type { AlertRow, Loaders } from '../loaders';
import { visibleAlertsById } from '../loaders/alert-feed';
import { ALERTS } from '../loaders/party.lists';
import { AlertFilterInput, AlertType, BadUserInputError, toGlobalId, typed, type Context, type NodeTypeName } from '../schema';
import { checkFilter } from '../schema/filters';
import { isSubscriptionContext, type SubscriptionContext } from '../schema/subscription-context';
import { ChangeEventType } from '../schema/types/change-event.type';
import { checkFeedPosition, closableIterator, decodeFeedCursor, encodeFeedCursor, feedBounds, type FeedEvent } from '../services/changes';

type RecordLoader = (loaders: Loaders) => DataLoader<string, object | null>;

/**
 * The record types the feed can deliver, each with the scoped by-id loader `node(id)`
 * reads it with. Feed entries of other types (a fund movement, a compensation's
 * recovery) are not Nodes a subscriber could query, so they are never delivered.
 */
const RECORD_LOADERS: Readonly<Record<string, RecordLoader>> = {
  Household: (l) => l.householdById,
  Enterprise: (l) => l.enterpriseById,
  Loan: (l) => l.loanById,
  LoanPosition: (l) => l.positionById,
  Repayment: (l) => l.repaymentById,
  LoanModification: (l) => l.modificationById,
  InsurancePolicy: (l) => l.policyById,
  Claim: (l) => l.claimById,
  GuaranteeContract: (l) => l.guaranteeById,
  Compensation: (l) => l.compensationById,
  ServicePoint: (l) => l.servicePointById,
  RiskCompensationFund: (l) => l.fundById,
  RelendingFacility: (l) => l.relendingFacilityById,
  DockingEvent: (l) => l.dockingEventById,
  Finding: (l) => l.findingById,
  Alert: (l) => l.alertById,
};

/** The row field holding a type's global-id key, where it is not `id` (as `node(id)` reads it). */
const KEY_FIELD: Readonly<Record<string, string>> = { Household: 'ref', Enterprise: 'creditCode' };

export const FEED_RECORD_TYPES: readonly string[] = Object.keys(RECORD_LOADERS);
const MAX_TYPES = FEED_RECORD_TYPES.length;

@ArgsType()
export class ChangesArgs {
  @Field(() => String, { nullable: true, description: 'Resume after this event’s `cursor`: every later event is delivered first, then live ones. Without it, only events from now.' })
  after?: string | null;

  @Field(() => [String], { nullable: true, description: `Only records of these types (${FEED_RECORD_TYPES.join(', ')}).` })
  types?: string[] | null;
}

@ArgsType()
export class AlertSubscriptionArgs {
  @Field(() => AlertFilterInput, { nullable: true, description: 'The same filter as the `alerts` connection.' })
  filter?: AlertFilterInput | null;

  @Field(() => String, { nullable: true, description: 'Resume after a `ChangeEvent.cursor` of the feed; without it, only alerts raised or changed from now.' })
  after?: string | null;
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => ChangeEventType, {
    description:
      'Records created or changed, as they commit (over WebSocket, `graphql-transport-ws`). Only records the subscriber may read at delivery time; resumable from a cursor within the feed’s retention (35 days).',
    subscribe: ({ args, context }) => changesStream(context as Context, args as ChangesArgs),
  })
  changes(@Root() event: ChangeEventType | undefined, @Args(() => ChangesArgs) _args: ChangesArgs): ChangeEventType {
    return delivered(event);
  }

  @Subscription(() => AlertType, {
    description:
      'Early-warning alerts raised or changing status, as they commit: those the subscriber may see (its own institution’s; area roles those of counties in scope) and that match the filter.',
    subscribe: ({ args, context }) => alertsStream(context as Context, args as AlertSubscriptionArgs),
  })
  alerts(@Root() alert: AlertRow | undefined, @Args(() => AlertSubscriptionArgs) _args: AlertSubscriptionArgs): AlertRow {
    return delivered(alert);
  }
}

/**
 * The event a subscription delivers. Over HTTP, Apollo executes a subscription operation
 * like a query, with no event at the root: that is refused here rather than answered
 * with a null.
 */
function delivered<T>(event: T | undefined): T {
  if (event === undefined || event === null) {
    throw new BadUserInputError(`Subscriptions are served over WebSocket (graphql-transport-ws) on the same path, not over HTTP`);
  }
  return event;
}

async function changesStream(ctx: Context, args: ChangesArgs): Promise<AsyncIterableIterator<ChangeEventType>> {
  const sub = subscriptionContext(ctx);
  const types = checkTypes(args.types);
  const start = await startPosition(sub, args.after);
  return follow(sub, start, types, async (page) => {
    const visible = await visibleRecords(sub.loaders, page);
    return page.flatMap((event) => {
      const row = visible.get(`${event.recordType}:${event.recordId}`);
      if (row === undefined) return [];
      const type = event.recordType as NodeTypeName;
      const key = String((row as Record<string, unknown>)[KEY_FIELD[type] ?? 'id']);
      return [{ cursor: encodeFeedCursor(event.id), recordType: type, action: event.action, occurredAt: event.occurredAt, id: toGlobalId(type, key), record: typed(type, row) }];
    });
  });
}

async function alertsStream(ctx: Context, args: AlertSubscriptionArgs): Promise<AsyncIterableIterator<AlertRow>> {
  const sub = subscriptionContext(ctx);
  const filter = args.filter === null || args.filter === undefined ? null : checkFilter(args.filter as never, ALERTS.filters, 'filter');
  const start = await startPosition(sub, args.after);
  return follow(sub, start, ['Alert'], async (page) => {
    const visible = await visibleAlertsById(sub, page.map((event) => event.recordId), filter);
    return page.flatMap((event) => {
      const row = visible.get(event.recordId);
      return row === undefined ? [] : [row];
    });
  });
}

function subscriptionContext(ctx: Context): SubscriptionContext {
  if (!isSubscriptionContext(ctx)) {
    throw new BadUserInputError('Subscriptions are served over WebSocket (graphql-transport-ws) on the same path');
  }
  return ctx;
}

function checkTypes(types: string[] | null | undefined): string[] | null {
  if (types === null || types === undefined) return null;
  if (types.length === 0 || types.length > MAX_TYPES) {
    throw new BadUserInputError(`types names 1 to ${MAX_TYPES} record types`, 'types');
  }
  types.forEach((type, i) => {
    if (!Object.prototype.hasOwnProperty.call(RECORD_LOADERS, type)) {
      throw new BadUserInputError(`Unknown record type; one of ${FEED_RECORD_TYPES.join(', ')}`, `types[${i}]`);
    }
  });
  return [...new Set(types)];
}

/** The event id to follow from: the cursor's (checked against the retained window), or the feed's tail. */
async function startPosition(ctx: SubscriptionContext, after: string | null | undefined): Promise<string> {
  if (after === null || after === undefined) {
    return (await feedBounds(ctx.feed.db)).tail;
  }
  const id = decodeFeedCursor(after, 'after');
  await checkFeedPosition(ctx.feed.db, id, 'after');
  return id;
}

/**
 * Follows the feed from `afterId`, renewing the context before each page and yielding
 * what `deliver` makes of it (only visible records), in feed order.
 */
async function follow<T>(ctx: SubscriptionContext, afterId: string, types: string[] | null, deliver: (page: FeedEvent[]) => Promise<T[]>): Promise<AsyncIterableIterator<T>> {
  // Commits from here on are announced; earlier ones are read from the cursor anyway.
  await ctx.feed.listener.ready().catch(() => undefined);
  const follower = ctx.feed.listener.follow(ctx.feed.db, afterId, { types });
  async function* run(): AsyncGenerator<T> {
    try {
      for (;;) {
        const page = await follower.nextPage();
        if (page === null) return;
        await ctx.renew();
        for (const item of await deliver(page)) yield item;
      }
    } finally {
      follower.close();
    }
  }
  return closableIterator(run(), () => follower.close());
}

/** The page's records the principal may read, keyed `Type:id`: one scoped statement per record type. */
async function visibleRecords(loaders: Loaders, page: readonly FeedEvent[]): Promise<Map<string, object>> {
  const byType = new Map<string, string[]>();
  for (const event of page) {
    if (RECORD_LOADERS[event.recordType] === undefined) continue;
    const ids = byType.get(event.recordType) ?? [];
    ids.push(event.recordId);
    byType.set(event.recordType, ids);
  }
  const visible = new Map<string, object>();
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const rows = await RECORD_LOADERS[type](loaders).loadMany(ids);
      rows.forEach((row, i) => {
        if (row instanceof Error) throw row;
        if (row !== null) visible.set(`${type}:${ids[i]}`, row);
      });
    }),
  );
  return visible;
}
