/**
 * The context of one subscription over WebSocket. A subscription lives for hours, so
 * unlike a request's context it is renewed as it goes: before each page of events the
 * connection's credentials are checked again (a revoked key ends the subscription) and
 * the principal, the EntityManager fork and the loaders are replaced, so that no cache
 * outlives one delivery and a revoked consent takes effect on the next event.
 */
import type { ChangeListener, FeedDb } from '../services/changes';
import type { Context } from './context';

/** Process-wide change feed services the subscriptions read through. */
export interface FeedServices {
  db: FeedDb;
  listener: ChangeListener;
}

export interface SubscriptionContext extends Context {
  feed: FeedServices;
  /**
   * Re-authenticates the connection and renews principal, EntityManager fork and loaders.
   *
   * @throws UnauthenticatedError when the connection's credentials are no longer valid.
   */
  renew(): Promise<void>;
}

/** True for the context of a subscription (the WebSocket path builds one). */
export function isSubscriptionContext(ctx: Context): ctx is SubscriptionContext {
  return typeof (ctx as Partial<SubscriptionContext>).renew === 'function' && (ctx as Partial<SubscriptionContext>).feed !== undefined;
}
