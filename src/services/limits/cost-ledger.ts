/**
 * Per-principal daily cost budgets over the `usage_counter` table (entity
 * `UsageCounter`): one row per principal key and China calendar day, so budgets are
 * shared by every hub process and survive restarts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { queryPooled } from '../../db/pooled';

/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The China calendar day (`YYYY-MM-DD`) of an instant. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The next China midnight after an instant: when daily budgets reset. */
export function nextChinaMidnight(at: Date): Date {
  const local = at.getTime() + CHINA_OFFSET_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS + DAY_MS - CHINA_OFFSET_MS);
}

/**
 * `CostLedger.admit`: charges `$3` and one request to `$1`'s counter of day `$2` only if
 * the day's total stays within `$4`; returns the total and whether it was charged.
 *
 * The charge commits without waiting for its WAL flush (`synchronous_commit` off for this
 * statement's own transaction only). Every request of a principal updates the same row,
 * and with a synchronous commit each held the row lock through a disk flush, so a
 * principal's concurrent requests queued one flush at a time (bench/: the CPU sat idle
 * while they did). The price: a crash of PostgreSQL itself (not of the hub) may forget
 * the last fraction of a second of charges, so a principal could be undercharged by
 * that much. The counter protects capacity; it is not a ledger of record.
 */
const ADMIT_SQL = `with charged as (
   insert into usage_counter (principal_key, day, cost, requests)
   select $1::text, $2::date, $3::bigint, $5::int
    where $3::bigint <= $4::bigint and (select set_config('synchronous_commit', 'off', true)) is not null
   on conflict (principal_key, day) do update
     set cost = usage_counter.cost + excluded.cost, requests = usage_counter.requests + excluded.requests
     where usage_counter.cost + excluded.cost <= $4::bigint
   returning cost)
 select cost, true as charged from charged
 union all
 select cost, false from usage_counter where principal_key = $1::text and day = $2::date and not exists (select 1 from charged)`;

/** Whether an admission was charged, and the day's total cost after it (or as it stands). */
export interface Admission {
  charged: boolean;
  cost: number;
}

interface Waiting {
  cost: number;
  resolve(admission: Admission): void;
  reject(error: unknown): void;
}

/** A principal's use on one day. */
export interface DailyUsage {
  day: string;
  cost: number;
  requests: number;
}

/**
 * Charges and reads the daily cost of principals.
 *
 * Statements run on the ORM's write connection outside any request transaction, so a
 * charge stands even when the request's own work rolls back. Between the budget check
 * (`remaining`, before execution) and the charge (after it), concurrent requests of one
 * principal can overshoot the budget by at most their own estimated costs — a few times
 * `maxCost` — which is the price of one statement per step and no locks. `admit` does
 * both in one statement instead, and cannot overshoot.
 */
export class CostLedger {
  /**
   * @param em any EntityManager of the application's ORM (`orm.em`): only its
   *   connection is used, never its identity map.
   * @param clock the current instant, injectable for tests.
   */
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Adds `cost` and one request to today's counter of `principalKey` in one upsert and
   * returns the day's total cost.
   */
  async charge(principalKey: string, cost: number): Promise<number> {
    if (!Number.isSafeInteger(cost) || cost < 0) {
      throw new RangeError(`Invalid cost ${cost}: expected a non-negative integer`);
    }
    const rows = await this.em.getConnection('write').execute<Array<{ cost: string }>>(
      `insert into usage_counter (principal_key, day, cost, requests) values (?, ?, ?, 1)
       on conflict (principal_key, day) do update
         set cost = usage_counter.cost + excluded.cost, requests = usage_counter.requests + 1
       returning cost`,
      [principalKey, chinaDay(this.clock()), cost],
      'all',
    );
    return Number(rows[0].cost);
  }

  /**
   * Charges `cost` and one request to today's counter of `principalKey` only if the
   * day's total stays within `budget`, in one statement (the budget check and the charge
   * of a request, which `limitsPlugin` makes before execution). Returns whether it was
   * charged and the day's total cost: after the charge, or as it stands when refused.
   * Concurrent admissions serialize on the counter row, so the budget is never exceeded.
   *
   * Admissions of one principal that arrive while its previous statement is in flight
   * are charged together by the next one, when their sum fits (group commit): a
   * principal's concurrent requests then cost one statement per round trip instead of
   * one each. When the sum does not fit, they are admitted one by one in arrival order,
   * exactly as if they had come alone.
   */
  admit(principalKey: string, cost: number, budget: number): Promise<Admission> {
    if (!Number.isSafeInteger(cost) || cost < 0) {
      return Promise.reject(new RangeError(`Invalid cost ${cost}: expected a non-negative integer`));
    }
    const day = chinaDay(this.clock());
    const slot = JSON.stringify([principalKey, day, budget]);
    let lane = this.lanes.get(slot);
    if (lane === undefined) {
      lane = [];
      this.lanes.set(slot, lane);
    }
    const queued = lane;
    return new Promise<Admission>((resolve, reject) => {
      queued.push({ cost, resolve, reject });
      // The first admission of an idle lane starts it; later ones wait for its next round.
      if (queued.length === 1) void this.drain(slot, queued, principalKey, day, budget);
    });
  }

  /** Principals' admissions waiting for or riding on a statement, by key, day and budget. */
  private readonly lanes = new Map<string, Waiting[]>();

  private async drain(slot: string, lane: Waiting[], principalKey: string, day: string, budget: number): Promise<void> {
    // The lane stays in the map (non-empty) while a round runs, so arrivals join it.
    let round = lane.slice();
    while (round.length > 0) {
      await this.admitRound(principalKey, day, budget, round);
      lane.splice(0, round.length);
      round = lane.slice();
    }
    this.lanes.delete(slot);
  }

  private async admitRound(principalKey: string, day: string, budget: number, round: readonly Waiting[]): Promise<void> {
    if (round.length > 1) {
      const total = round.reduce((sum, w) => sum + w.cost, 0);
      let together: Admission;
      try {
        together = await this.charged(principalKey, day, total, round.length, budget);
      } catch (error) {
        for (const w of round) w.reject(error);
        return;
      }
      if (together.charged) {
        for (const w of round) w.resolve(together);
        return;
      }
    }
    for (const w of round) {
      try {
        w.resolve(await this.charged(principalKey, day, w.cost, 1, budget));
      } catch (error) {
        w.reject(error);
      }
    }
  }

  private async charged(principalKey: string, day: string, cost: number, requests: number, budget: number): Promise<Admission> {
    // On every request: a prepared statement on a pooled connection (`src/db/pooled.ts`).
    const { rows } = await queryPooled<{ cost: string; charged: boolean }>(this.em.getConnection('write'), {
      text: ADMIT_SQL,
      values: [principalKey, day, cost, budget, requests],
    });
    if (rows.length === 0) return { charged: false, cost: 0 };
    return { charged: rows[0].charged, cost: Number(rows[0].cost) };
  }

  /** Today's cost and requests of `principalKey` (zero before its first request). */
  async today(principalKey: string): Promise<DailyUsage> {
    const day = chinaDay(this.clock());
    const rows = await this.em.getConnection('write').execute<Array<{ cost: string; requests: number }>>(
      'select cost, requests from usage_counter where principal_key = ? and day = ?',
      [principalKey, day],
      'all',
    );
    return { day, cost: rows.length === 0 ? 0 : Number(rows[0].cost), requests: rows[0]?.requests ?? 0 };
  }

  /** What is left of `budget` today for `principalKey`; never negative. */
  async remaining(principalKey: string, budget: number): Promise<number> {
    const { cost } = await this.today(principalKey);
    return Math.max(0, budget - cost);
  }
}
