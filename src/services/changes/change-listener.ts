/**
 * Live delivery of the change feed: one process-wide LISTEN connection on
 * `tripod_changes`, fanned out to every subscriber of this process, and the follower
 * each subscriber reads the feed through.
 *
 * A notification carries nothing a subscriber relies on: it only says "the tail moved".
 * Each follower then reads the feed itself from the last id it delivered, so an event
 * committed between a replay and the first notification, during a reconnect of the
 * LISTEN connection, or while a page was being delivered is read exactly once. Should
 * notifications stop (a lost connection), followers still poll every `pollMs`.
 */
import { Client, type ClientConfig } from 'pg';
import { CHANGE_CHANNEL } from './change-feed';
import { FEED_PAGE_SIZE, readChanges, type FeedDb, type FeedEvent } from './feed-reader';

/** How often a follower re-reads the feed when no notification came. */
export const FEED_POLL_MS = 5_000;
/** How long the listener waits before reconnecting a lost LISTEN connection. */
const RECONNECT_MS = 1_000;

export interface ListenerLog {
  warn(details: object, message: string): void;
}

/** Wakes one follower; a wake-up that arrives while it is reading is kept for its next wait. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;

  fire(): void {
    this.pending = true;
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.();
  }

  /** Forgets wake-ups so far (called just before reading the feed). */
  reset(): void {
    this.pending = false;
  }

  /** Resolves at the next wake-up (at once if one came since `reset`), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = null;
        resolve();
      }, ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The process's LISTEN connection. It connects on the first follower and stays
 * connected (reconnecting after failures) until `close`.
 */
export class ChangeListener {
  private readonly wakeups = new Set<Wakeup>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly connection: ClientConfig,
    private readonly log?: ListenerLog,
  ) {}

  /** Subscribers currently followed (for limits and tests). */
  get followerCount(): number {
    return this.wakeups.size;
  }

  /** Resolves once the LISTEN is in place (so commits from now on are announced). */
  async ready(): Promise<void> {
    if (this.closed) return;
    if (this.client !== null) return;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    await this.connecting;
  }

  /** A follower of the feed after `afterId` (only `types` when given). */
  follow(db: FeedDb, afterId: string, options: { types?: readonly string[] | null; pageSize?: number; pollMs?: number } = {}): FeedFollower {
    const wakeup = new Wakeup();
    this.wakeups.add(wakeup);
    void this.ready().catch(() => undefined);
    return new FeedFollower(db, afterId, wakeup, () => this.wakeups.delete(wakeup), options);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    for (const wakeup of this.wakeups) wakeup.fire();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.connection);
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) this.wakeAll();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Whatever committed while there was no LISTEN: followers re-read from their own ids.
    this.wakeAll();
  }

  private lost(client: Client, error: Error): void {
    if (this.client === client) this.client = null;
    if (this.closed || this.reconnectTimer !== null) return;
    this.log?.warn({ err: error }, 'change feed: LISTEN connection lost; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed && this.client === null && this.wakeups.size > 0) void this.ready().catch(() => undefined);
    }, RECONNECT_MS);
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wakeup of this.wakeups) wakeup.fire();
  }
}

/**
 * One subscriber's position in the feed. `nextPage` returns the next events after the
 * last page it returned, waiting for commits when there are none; null once closed.
 */
export class FeedFollower {
  private last: string;
  private closed = false;
  private readonly types: readonly string[] | null;
  private readonly pageSize: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: FeedDb,
    afterId: string,
    private readonly wakeup: Wakeup,
    private readonly detach: () => void,
    options: { types?: readonly string[] | null; pageSize?: number; pollMs?: number },
  ) {
    this.last = afterId;
    this.types = options.types ?? null;
    this.pageSize = options.pageSize ?? FEED_PAGE_SIZE;
    this.pollMs = options.pollMs ?? FEED_POLL_MS;
  }

  /** The id of the last event returned (the cursor to resume after). */
  get position(): string {
    return this.last;
  }

  async nextPage(): Promise<FeedEvent[] | null> {
    while (!this.closed) {
      this.wakeup.reset();
      const page = await readChanges(this.db, this.last, { limit: this.pageSize, types: this.types });
      if (this.closed) return null;
      if (page.length > 0) {
        this.last = page[page.length - 1].id;
        return page;
      }
      await this.wakeup.wait(this.pollMs);
    }
    return null;
  }

  /** Stops following; a pending `nextPage` resolves with null. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    this.wakeup.fire();
  }
}

/**
 * An async iterator over `source` whose `return()` first runs `onClose`: an async
 * generator suspended in an `await` (waiting for the next commit) only handles `return()`
 * once it reaches a `yield`, so closing the follower first is what lets a subscription
 * end at once when its client goes away.
 */
export function closableIterator<T>(source: AsyncGenerator<T>, onClose: () => void): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: (...args) => source.next(...args),
    return: (value?: unknown) => {
      onClose();
      return source.return(value);
    },
    throw: (error?: unknown) => {
      onClose();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
