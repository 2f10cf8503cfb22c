import { createHash } from 'node:crypto';

/** A JSON value as the canonical form accepts it: no numbers with fractions (money is a string). */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Money,
 * rates and dates are decimal or ISO strings in the terms, so two submissions of the
 * same item always serialise to the same bytes and hash alike.
 */
export function canonicalJson(value: CanonicalValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`canonicalJson: ${value} is not an integer; write decimals as strings`);
    return String(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}

/** SHA-256 hex of a string (UTF-8). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
