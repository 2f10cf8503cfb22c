/**
 * Reproducible figures (DESIGN.md §7): every answer carries the SHA-256 of its canonical
 * JSON — object keys sorted, no whitespace, every number a string or an integer — so
 * the same question on the same data gives the same hash, and anyone holding the answer
 * can recompute it.
 */
import { createHash } from 'node:crypto';

export type CanonicalValue = string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue | undefined };

/** Canonical JSON: keys sorted, no whitespace, `undefined` members dropped, integers only. */
export function canonicalJson(value: CanonicalValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`canonicalJson: ${value} is not a safe integer; write decimals as strings`);
    return String(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item: CanonicalValue) => canonicalJson(item)).join(',')}]`;
  const object = value as { readonly [key: string]: CanonicalValue | undefined };
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`).join(',')}}`;
}

/** The content hash of an answer: SHA-256 (hex) of its canonical JSON without `contentHash`. */
export function contentHash<T extends object>(answer: T): string {
  const { contentHash: _ignored, ...rest } = answer as T & { contentHash?: string };
  return createHash('sha256')
    .update(canonicalJson(rest as unknown as CanonicalValue), 'utf8')
    .digest('hex');
}
