/**
 * Calendar dates as integer day numbers (days since 1970-01-01), so that date arithmetic
 * in the generator is integer arithmetic and never depends on the machine's time zone.
 * All dates are calendar dates in China; timestamps are written with an explicit +08:00.
 */

export type Day = number;

const MS_PER_DAY = 86_400_000;
const isoCache = new Map<Day, string>();

/** `YYYY-MM-DD` → day number. */
export function day(isoDate: string): Day {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return dayOf(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Year, month (1–12), day of month → day number. */
export function dayOf(year: number, month: number, dayOfMonth: number): Day {
  return Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY;
}

/** Day number → `YYYY-MM-DD`. */
export function iso(d: Day): string {
  let text = isoCache.get(d);
  if (text === undefined) {
    text = new Date(d * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(d, text);
  }
  return text;
}

/** Year, month (1–12) and day of month of a day number. */
export function parts(d: Day): { year: number; month: number; dayOfMonth: number } {
  const date = new Date(d * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, dayOfMonth: date.getUTCDate() };
}

/** The last day of a month. */
export function monthEnd(year: number, month: number): Day {
  return dayOf(year, month + 1, 1) - 1;
}

/** The last day of the month `d` falls in. */
export function monthEndOf(d: Day): Day {
  const p = parts(d);
  return monthEnd(p.year, p.month);
}

/** `d` plus `months` calendar months, the day of month clamped to the target month's length. */
export function addMonths(d: Day, months: number): Day {
  const p = parts(d);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return Math.min(dayOf(year, month, p.dayOfMonth), monthEnd(year, month));
}

/** `YYYY-MM` of a day. */
export function monthKey(d: Day): string {
  return iso(d).slice(0, 7);
}

/** Whole months from `from` to `to` by calendar month (day of month ignored). */
export function monthsBetween(from: Day, to: Day): number {
  const a = parts(from);
  const b = parts(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

/** A China-time timestamp: the given day at `minuteOfDay` minutes past midnight, +08:00. */
export function chinaTimestamp(d: Day, minuteOfDay: number): string {
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${iso(d)}T${hh}:${mm}:00+08:00`;
}

/** The first day the demo data covers. */
export const WINDOW_START: Day = day('2019-01-01');
/** The last day the demo data covers: nothing after it is known. */
export const HORIZON: Day = day('2020-12-31');

/** The 24 month ends of the demo period, 2019-01-31 … 2020-12-31. */
export const MONTH_ENDS: readonly Day[] = Array.from({ length: 24 }, (_, i) => monthEnd(2019 + Math.floor(i / 12), (i % 12) + 1));
