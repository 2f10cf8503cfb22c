/**
 * Integrity rules on single values, shared by every ingestion kind: exact decimals
 * (money, rates), dates, partners' references and free text. Each throws an
 * `ItemRejection` naming the field; none ever puts a national ID number in a message.
 */
import { validateNationalId } from '../identity';
import { invalid } from './item-rejection';

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** How a decimal field is checked and written. */
export interface DecimalRule {
  /** Digits after the point it is stored with (2 for money, 6 for rates). */
  scale: number;
  /** Digits before the point the column holds (16 for numeric(18,2)). */
  integerDigits: number;
  /** Whether zero is allowed (`principal` must be positive, `balance` may be 0). */
  allowZero: boolean;
  /** Exclusive upper bound in the same units, if any (rates are fractions below 1), and what to say when it is reached. */
  below?: { units: bigint; rule: string };
}

export const MONEY: DecimalRule = { scale: 2, integerDigits: 16, allowZero: true };
export const POSITIVE_MONEY: DecimalRule = { ...MONEY, allowZero: false };
/** An annual rate as a fraction: "0.0435" for 4.35 %. */
export const RATE: DecimalRule = { scale: 6, integerDigits: 3, allowZero: true, below: { units: 1_000_000n, rule: 'must be below 1: a rate is a fraction, "0.0435" for 4.35 %' } };
/** A share of one whole (risk shares). */
export const SHARE: DecimalRule = { scale: 6, integerDigits: 1, allowZero: true, below: { units: 1_000_001n, rule: 'must be at most 1: a share of one whole' } };

/** An exact decimal in integer units of 10^-scale, and its canonical text. */
export interface ExactDecimal {
  units: bigint;
  /** Fixed `scale` digits after the point: "50000.00", "0.043500" — the form terms store. */
  text: string;
}

/**
 * Parses a decimal string exactly (no float ever). Rejects what is not a plain decimal,
 * negative values, more fraction digits than the column keeps (unless they are zeros:
 * "12.340" is 12.34, "12.345" is a float where a decimal was expected), and values the
 * column cannot hold.
 */
export function exactDecimal(value: string, path: string, rule: DecimalRule): ExactDecimal {
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (match === null) {
    throw invalid(path, 'INVALID_DECIMAL', `${path} must be a decimal string such as "12345.67"`);
  }
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > rule.scale) {
    throw invalid(path, 'TOO_MANY_DECIMALS', `${path} has more than ${rule.scale} decimal places; send the exact amount as a decimal string, not a float`);
  }
  const units = BigInt(whole + significant.padEnd(rule.scale, '0'));
  if (sign === '-' && units !== 0n) {
    throw invalid(path, 'NEGATIVE', `${path} must not be negative`);
  }
  if (units === 0n && !rule.allowZero) {
    throw invalid(path, 'NOT_POSITIVE', `${path} must be greater than 0`);
  }
  const integerPart = whole.replace(/^0+(?=\d)/, '');
  if (integerPart.length > rule.integerDigits) {
    throw invalid(path, 'OUT_OF_RANGE', `${path} is too large`);
  }
  if (rule.below !== undefined && units >= rule.below.units) {
    throw invalid(path, 'OUT_OF_RANGE', `${path} ${rule.below.rule}`);
  }
  return { units, text: formatUnits(units, rule.scale) };
}

/** Integer units → fixed-scale text. */
export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** A `numeric` value read from the database (`"50000.00"`, `"0.0435"`) in units of 10^-scale. */
export function unitsOf(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text);
  if (match === null) throw new TypeError('unitsOf: not a decimal');
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole + fraction.slice(0, scale).padEnd(scale, '0'));
  return sign === '-' ? -units : units;
}

const REF = /^[\p{L}\p{N}][\p{L}\p{N}._:/#()\-]{0,63}$/u;

/**
 * A partner's own reference: 1–64 letters, digits and `. _ : / # ( ) -`, starting with a
 * letter or digit. It is echoed in results and stored in clear, so it must not carry a
 * national ID number.
 */
export function partnerRef(value: string, path: string): string {
  if (typeof value !== 'string' || Array.from(value).length > 64 || !REF.test(value)) {
    throw invalid(path, 'INVALID_REF', `${path} must be 1 to 64 letters, digits or ". _ : / # ( ) -", starting with a letter or digit`);
  }
  if (containsNationalId(value)) {
    throw invalid(path, 'CONTAINS_ID_NUMBER', `${path} must not contain a national ID number`);
  }
  return value;
}

/** Optional free text (a purpose, a name): trimmed, bounded, no control characters, no ID numbers. */
export function freeText(value: string | null | undefined, path: string, maxChars: number): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (Array.from(text).length > maxChars || /[\u0000-\u001f\u007f]/.test(text)) {
    throw invalid(path, 'INVALID_TEXT', `${path} must be at most ${maxChars} characters without control characters`);
  }
  if (containsNationalId(text)) {
    throw invalid(path, 'CONTAINS_ID_NUMBER', `${path} must not contain a national ID number`);
  }
  return text;
}

const ID_CANDIDATE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;

/**
 * True when `text` holds a checksum-valid national ID number: free text and references
 * are stored in clear and echoed, so one that carries a number is refused before it
 * can leak. (Only valid numbers count, so long account numbers pass.)
 */
export function containsNationalId(text: string): boolean {
  for (const match of text.matchAll(ID_CANDIDATE)) {
    if (validateNationalId(match[0]).ok) return true;
  }
  return false;
}

/** `YYYY-MM-DD` of the last day of the month of `date`. */
export function monthEndOf(date: string): string {
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${date.slice(0, 7)}-${String(last).padStart(2, '0')}`;
}

/** `date` plus `months` calendar months, clamped to the month's last day (2020-01-31 + 1 → 2020-02-29). */
export function addMonths(date: string, months: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const day = Number(date.slice(8, 10));
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const last = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth + 1).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Whole years between two dates (an age on a date). */
export function yearsBetween(from: string, to: string): number {
  let years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (to.slice(5) < from.slice(5)) years -= 1;
  return years;
}

/** A date that must not lie after `today` (China time). */
export function notInFuture(date: string, today: string, path: string): void {
  if (date > today) {
    throw invalid(path, 'IN_FUTURE', `${path} must not be after today (${today}, China time)`);
  }
}

/** China Standard Time: a fixed UTC+8 offset, no daylight saving. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
