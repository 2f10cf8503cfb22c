/**
 * Calendar arithmetic of the indicator dates (DESIGN.md §1 "Time"), on `YYYY-MM-DD`
 * strings: an `asOf` selects the latest month end on or before it; "same period last
 * year" is the same month end a year earlier; "start of year" is 31 December of the
 * previous year.
 */

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days in a month (1-based month). */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last day of the month `offset` months after the month of (`year`, `month`). */
function monthEndOf(year: number, month: number, offset = 0): string {
  const index = year * 12 + (month - 1) + offset;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return iso(y, m, daysIn(y, m));
}

/** True when `date` is the last day of its month. */
export function isMonthEnd(date: string): boolean {
  const [y, m, d] = parts(date);
  return d === daysIn(y, m);
}

/** The latest month end on or before `date` (the date itself when it is one). */
export function monthEndOnOrBefore(date: string): string {
  const [y, m] = parts(date);
  return isMonthEnd(date) ? date : monthEndOf(y, m, -1);
}

/** The month end `months` months after (negative: before) the month end `monthEnd`. */
export function addMonths(monthEnd: string, months: number): string {
  const [y, m] = parts(monthEnd);
  return monthEndOf(y, m, months);
}

/** The same month end a year earlier (29 Feb → 28 Feb). */
export function yearEarlier(monthEnd: string): string {
  return addMonths(monthEnd, -12);
}

/** 31 December of the year before `date`. */
export function startOfYear(date: string): string {
  return iso(parts(date)[0] - 1, 12, 31);
}

/** The dates one answer compares: the month end, its comparison and the start of its year. */
export interface DateTriplet {
  current: string;
  previous: string;
  startOfYear: string;
}

/** The triplet of an `asOf` (and optional `compareWith`). */
export function tripletOf(asOf: string, compareWith?: string | null): DateTriplet {
  const current = monthEndOnOrBefore(asOf);
  const previous = compareWith ? monthEndOnOrBefore(compareWith) : yearEarlier(current);
  return { current, previous, startOfYear: startOfYear(current) };
}

/** The triplets of the twelve month ends ending at `asOf`'s month end, oldest first. */
export function monthlyTriplets(asOf: string): DateTriplet[] {
  const last = monthEndOnOrBefore(asOf);
  const triplets: DateTriplet[] = [];
  for (let i = 11; i >= 0; i--) {
    const current = addMonths(last, -i);
    triplets.push({ current, previous: yearEarlier(current), startOfYear: startOfYear(current) });
  }
  return triplets;
}

/** Every distinct date of some triplets, sorted. */
export function datesOf(triplets: readonly DateTriplet[]): string[] {
  const all = new Set<string>();
  for (const t of triplets) {
    all.add(t.current);
    all.add(t.previous);
    all.add(t.startOfYear);
  }
  return [...all].sort();
}
