/**
 * Per-principal request rate limits.
 *
 * `RateLimiter` is the seam: `SlidingWindowRateLimiter` keeps its windows in this
 * process, which is right for one hub process (the default deployment, the demo, the
 * tests). Several hub processes behind a load balancer must share the windows, or each
 * would allow the full rate: implement the same interface over Redis (DESIGN.md §6),
 * with a sorted set per key scored by request time, in one Lua script or MULTI:
 * `ZREMRANGEBYSCORE key -inf now-60000` → `ZCARD key` → if below the limit `ZADD key
 * now <unique member>` → `PEXPIRE key 60000`; the oldest score (`ZRANGE key 0 0
 * WITHSCORES`) gives `retryAfterSeconds`. Nothing else changes: callers only see
 * `consume` and `peek`, which are asynchronous for that reason.
 */
import { createHash } from 'node:crypto';

/** The outcome of one rate-limit check. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until a request would be allowed again; 0 when allowed. */
  retryAfterSeconds: number;
  /** Requests still allowed in the current window (after this one, if it was allowed). */
  remaining: number;
}

export interface RateLimiter {
  /** Counts one request of `key` if fewer than `limitPerMinute` fell in the last 60 s. */
  consume(key: string, limitPerMinute: number): Promise<RateLimitDecision>;
  /** The same answer without counting a request (for the `usage` query). */
  peek(key: string, limitPerMinute: number): Promise<RateLimitDecision>;
}

export const RATE_WINDOW_MS = 60_000;

/** Timestamps of a key's allowed requests within the window, oldest first. */
interface Window {
  hits: number[];
  /** Index of the oldest live hit; entries before it have expired. */
  head: number;
}

/**
 * An exact sliding window: a request is allowed when fewer than `limit` allowed
 * requests of the same key fall in the 60 seconds before it. Refused requests are not
 * counted, so a client that backs off for `retryAfterSeconds` gets through. Memory is
 * one timestamp per allowed request in the last minute per active key (600 numbers,
 * under 5 KiB, for a key at the default limit); idle keys are swept.
 */
export class SlidingWindowRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private callsSinceSweep = 0;

  /** @param now the clock, injectable for tests (milliseconds since the epoch). */
  constructor(private readonly now: () => number = Date.now) {}

  consume(key: string, limitPerMinute: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.check(key, limitPerMinute, true));
  }

  peek(key: string, limitPerMinute: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.check(key, limitPerMinute, false));
  }

  /** Keys with a live window (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private check(key: string, limit: number, count: boolean): RateLimitDecision {
    const now = this.now();
    if (count && ++this.callsSinceSweep >= 1_000) {
      this.sweep(now);
    }
    let window = this.windows.get(key);
    if (window) {
      expire(window, now);
    }
    const used = window ? window.hits.length - window.head : 0;
    if (used >= limit) {
      // The request that frees a slot is the one `limit` places back from the newest.
      const freeing = window!.hits[window!.hits.length - limit];
      const retryAfterSeconds = Math.max(1, Math.ceil((freeing + RATE_WINDOW_MS - now) / 1000));
      return { allowed: false, retryAfterSeconds, remaining: 0 };
    }
    if (!count) {
      return { allowed: true, retryAfterSeconds: 0, remaining: limit - used };
    }
    if (!window) {
      window = { hits: [], head: 0 };
      this.windows.set(key, window);
    }
    window.hits.push(now);
    return { allowed: true, retryAfterSeconds: 0, remaining: limit - used - 1 };
  }

  private sweep(now: number): void {
    this.callsSinceSweep = 0;
    for (const [key, window] of this.windows) {
      expire(window, now);
      if (window.head >= window.hits.length) {
        this.windows.delete(key);
      }
    }
  }
}

function expire(window: Window, now: number): void {
  const cutoff = now - RATE_WINDOW_MS;
  while (window.head < window.hits.length && window.hits[window.head] <= cutoff) {
    window.head++;
  }
  // Compact once the dead prefix dominates, so the array does not grow without bound.
  if (window.head > 64 && window.head * 2 > window.hits.length) {
    window.hits = window.hits.slice(window.head);
    window.head = 0;
  }
}

/** The `usage_counter.principal_key` column's width. */
const MAX_PRINCIPAL_KEY_LENGTH = 200;

/** The development principal's key. */
export const DEV_PRINCIPAL_KEY = 'dev';

/** `key:<keyId>`: the rate-limit and budget key of an API key. */
export function apiKeyPrincipalKey(keyId: string): string {
  return bounded(`key:${keyId}`, 'key');
}

/**
 * `jwt:<iss>:<sub>`: the key of a token's subject. Keys longer than the column are
 * replaced by a digest (`jwt:sha256:<hex>`), still one key per issuer and subject.
 */
export function jwtPrincipalKey(issuer: string, subject: string): string {
  return bounded(`jwt:${issuer}:${subject}`, 'jwt');
}

function bounded(key: string, prefix: string): string {
  return key.length <= MAX_PRINCIPAL_KEY_LENGTH
    ? key
    : `${prefix}:sha256:${createHash('sha256').update(key).digest('hex')}`;
}
