/**
 * The building blocks of typed filters — inclusive ranges of dates, amounts and counts —
 * and `checkFilter`, which validates a whole filter (every value, the `and` / `or` /
 * `not` nesting) against the field kinds its list declares, naming the path of the first
 * bad value (`filter.or[1].overdueDays`). Compiling to SQL happens in the loaders.
 */
import { Field, InputType, Int } from 'type-graphql';
import type { FilterFields, FilterObject, Range } from '../loaders';
import { checkAreaCode } from './args';
import { BadUserInputError } from './errors';
import { DateScalar, DecimalScalar } from './scalars';

@InputType('DateRange', { description: 'Dates from `gte` through `lte`, both inclusive; either may be omitted.' })
export class DateRangeInput {
  @Field(() => DateScalar, { nullable: true })
  gte?: string | null;

  @Field(() => DateScalar, { nullable: true })
  lte?: string | null;
}

@InputType('DecimalRange', { description: 'Amounts or rates from `gte` through `lte`, both inclusive; either may be omitted.' })
export class DecimalRangeInput {
  @Field(() => DecimalScalar, { nullable: true })
  gte?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  lte?: string | null;
}

@InputType('IntRange', { description: 'Whole numbers from `gte` through `lte`, both inclusive; either may be omitted.' })
export class IntRangeInput {
  @Field(() => Int, { nullable: true })
  gte?: number | null;

  @Field(() => Int, { nullable: true })
  lte?: number | null;
}

/** Bounds that keep a filter's SQL small; generous for any real query. */
export const FILTER_LIMITS = {
  /** Nesting of `and` / `or` / `not`. */
  maxDepth: 5,
  /** Conditions in one filter, all levels together. */
  maxConditions: 50,
  /** Values in one `…_in` list, and filters in one `and` / `or` list. */
  maxListItems: 100,
} as const;

const DECIMAL_BOUNDS = /^-?\d{1,20}(\.\d{1,10})?$/;

interface Budget {
  conditions: number;
}

/**
 * Checks a filter against its list's fields.
 *
 * @returns the filter, unchanged.
 * @throws BadUserInputError naming the path of the first invalid value.
 */
export function checkFilter(filter: FilterObject, fields: FilterFields, path: string): FilterObject {
  walk(filter, fields, path, 1, { conditions: 0 });
  return filter;
}

function walk(filter: FilterObject, fields: FilterFields, path: string, depth: number, budget: Budget): void {
  if (depth > FILTER_LIMITS.maxDepth) {
    throw new BadUserInputError(`Filters nest at most ${FILTER_LIMITS.maxDepth} levels deep`, path);
  }
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    const at = `${path}.${key}`;
    if (key === 'and' || key === 'or') {
      const list = value as FilterObject[];
      checkLength(list, at);
      list.forEach((sub, i) => walk(sub, fields, `${at}[${i}]`, depth + 1, budget));
      continue;
    }
    if (key === 'not') {
      walk(value as FilterObject, fields, at, depth + 1, budget);
      continue;
    }
    budget.conditions += 1;
    if (budget.conditions > FILTER_LIMITS.maxConditions) {
      throw new BadUserInputError(`A filter has at most ${FILTER_LIMITS.maxConditions} conditions`, at);
    }
    const field = fields[key];
    if (field === undefined) throw new Error(`filter field ${key} is not declared by its list`);
    switch (field.kind) {
      case 'in': {
        const values = value as string[];
        checkLength(values, at);
        values.forEach((item, i) => {
          if (item.includes('\u0000')) throw new BadUserInputError('A value may not contain a NUL character', `${at}[${i}]`);
          if (field.pattern !== undefined && !field.pattern.test(item)) {
            throw new BadUserInputError(field.patternMessage ?? 'Invalid value', `${at}[${i}]`);
          }
        });
        break;
      }
      case 'area':
        checkAreaCode(value as string, at);
        break;
      case 'decimalRange':
        checkRange(value as Range<string>, at, (v) => {
          if (!DECIMAL_BOUNDS.test(v)) throw new BadUserInputError('A bound has at most 20 digits before the point and 10 after', at);
        }, compareDecimals);
        break;
      case 'dateRange':
        checkRange(value as Range<string>, at, () => undefined, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
        break;
      case 'intRange':
        checkRange(value as Range<number>, at, (v) => {
          if (v < field.min) throw new BadUserInputError(`A bound is at least ${field.min}`, at);
        }, (a, b) => a - b);
        break;
      case 'text':
        if (!field.pattern.test(value as string)) throw new BadUserInputError(field.patternMessage, at);
        break;
      case 'boolean':
      case 'value':
        break;
    }
  }
}

function checkLength(list: readonly unknown[], at: string): void {
  if (list.length > FILTER_LIMITS.maxListItems) {
    throw new BadUserInputError(`A list in a filter has at most ${FILTER_LIMITS.maxListItems} items`, at);
  }
}

function checkRange<T>(range: Range<T>, at: string, checkBound: (value: T) => void, compare: (a: T, b: T) => number): void {
  const { gte, lte } = range;
  if (gte !== null && gte !== undefined) checkBound(gte);
  if (lte !== null && lte !== undefined) checkBound(lte);
  if (gte !== null && gte !== undefined && lte !== null && lte !== undefined && compare(gte, lte) > 0) {
    throw new BadUserInputError('The range is empty: gte is above lte', at);
  }
}

/** Compares two decimal strings exactly (no float). */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const x = scaled(a, scale);
  const y = scaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function fractionDigits(value: string): number {
  const point = value.indexOf('.');
  return point === -1 ? 0 : value.length - point - 1;
}

function scaled(value: string, scale: number): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
}
