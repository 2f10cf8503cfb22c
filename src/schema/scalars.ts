/**
 * The API's own scalars. Money and rates travel as decimal strings (`"12345.67"`,
 * `"0.0435"`), never as JSON numbers, so no amount ever passes through a float.
 */
import { GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { BadUserInputError } from './errors';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 with an explicit offset (`Z` or `±hh:mm`), as clients must send it. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** PostgreSQL's text form of timestamptz: `2020-01-31 08:00:00.123+08` (offset may have minutes). */
const PG_TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/;

/** True when `value` is `YYYY-MM-DD` and a real calendar date. */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) {
    throw new BadUserInputError(`${scalar} must be given as a string`);
  }
  return ast.value;
}

function checkDecimal(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new BadUserInputError('Decimal must be a string of digits with an optional sign and fraction, e.g. "12345.67"');
  }
  return value;
}

function checkDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new BadUserInputError('Date must be a real calendar date in YYYY-MM-DD form');
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "12345.67" (yuan) or "0.043500" (a rate). Never a float.',
  serialize(value) {
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      // Server-side bug (a number or garbage reached the API): masked as INTERNAL.
      throw new TypeError('Decimal.serialize expects a decimal string');
    }
    return value;
  },
  parseValue: checkDecimal,
  parseLiteral: (ast) => checkDecimal(stringLiteral(ast, 'Decimal')),
});

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date (China time) in YYYY-MM-DD form.',
  serialize(value) {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      throw new TypeError('Date.serialize expects a YYYY-MM-DD string');
    }
    return value;
  },
  parseValue: checkDate,
  parseLiteral: (ast) => checkDate(stringLiteral(ast, 'Date')),
});

/** PostgreSQL timestamptz text or a Date → `2020-01-31T00:00:00.000Z`. */
export function toIsoDateTime(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string') {
    const pg = PG_TIMESTAMPTZ.exec(value);
    const text = pg === null ? value : `${pg[1]}T${pg[2]}${pg[3]}:${pg[4] ?? '00'}`;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  throw new TypeError('DateTime.serialize expects a timestamp');
}

function checkDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || !isCalendarDate(value.slice(0, 10)) || Number.isNaN(Date.parse(value))) {
    throw new BadUserInputError('DateTime must be an ISO 8601 timestamp with an offset, e.g. "2020-12-31T16:00:00Z"');
  }
  return new Date(value);
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as an ISO 8601 timestamp in UTC, e.g. "2020-12-31T16:00:00.000Z".',
  serialize: toIsoDateTime,
  parseValue: checkDateTime,
  parseLiteral: (ast) => checkDateTime(stringLiteral(ast, 'DateTime')),
});

/**
 * A JSON object given as input (rule parameters). Unlike graphql-scalars' JSONObject, a
 * refusal never quotes the value back: an error message is not a place to echo input.
 */
export const JsonObjectInputScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObjectInput',
  description: 'A JSON object given as input, e.g. {"products": ["POVERTY_MICROCREDIT"]}.',
  serialize(value) {
    if (!isPlainObject(value)) throw new TypeError('JSONObjectInput.serialize expects an object');
    return value;
  },
  parseValue(value) {
    if (!isPlainObject(value)) throw new BadUserInputError('Expected a JSON object');
    return value;
  },
  parseLiteral(ast, variables) {
    if (ast.kind !== Kind.OBJECT) throw new BadUserInputError('Expected a JSON object');
    return valueFromASTUntyped(ast, variables) as Record<string, unknown>;
  },
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
