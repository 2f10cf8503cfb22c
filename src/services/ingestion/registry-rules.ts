/**
 * Helpers shared by the government-side kinds (households, enterprises, service points,
 * funds, docking): closed vocabularies, "in the caller's area" lookups that go through
 * `row-scope.ts`, and the next version of a record kept only in `record_version`.
 *
 * A county government writes only in its own county (DESIGN.md §3). An area, a record
 * or a loan outside the caller's scope is answered exactly like one that does not exist:
 * the same code, reason and words.
 */
import { sql } from '../../db/sql';
import { areaScope } from '../access';
import type { IngestContext } from './batch-engine';
import { invalid, ItemRejection, unknownReference } from './item-rejection';
import { queryFragment, villageArea } from './references';
import type { VersionedKind } from './record-versions';

/** A value of a closed vocabulary, or BAD_USER_INPUT naming the field. */
export function oneOf(set: ReadonlySet<string>, value: unknown, path: string): string {
  if (typeof value !== 'string' || !set.has(value)) throw invalid(path, 'INVALID_VALUE', `${path} is not one of ${[...set].join(', ')}`);
  return value;
}

const INSTITUTION_CODE = /^[A-Za-z0-9_.-]{1,32}$/;

/** An institution code as the caller sent it (existence is checked against the database later). */
export function institutionCode(value: unknown, path: string): string {
  if (typeof value !== 'string' || !INSTITUTION_CODE.test(value)) throw invalid(path, 'INVALID_CODE', `${path} is not an institution code`);
  return value;
}

/**
 * Runs a rule written for another item shape (the borrower rules of `borrowers.ts`)
 * and re-words its rejections for this item: `prefix` (e.g. `p.household.`) is removed
 * from paths and messages, so one rule serves both without a copy.
 */
export function reworded<T>(prefix: string, rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (!(error instanceof ItemRejection)) throw error;
    const strip = (text: string) => text.split(prefix).join('');
    throw new ItemRejection(error.code, error.reason, error.path === null ? null : strip(error.path), strip(error.message));
  }
}

/** A whole number in a range, or BAD_USER_INPUT. */
export function wholeNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(path, 'OUT_OF_RANGE', `${path} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A village in the caller's area (for a county government: its county), with its county. */
export async function villageInScope(ctx: IngestContext, code: string, path: string): Promise<{ code: string; countyCode: string }> {
  const village = await villageArea(ctx, code, path);
  if (!(await inScope(ctx, village.countyCode))) throw unknownReference(path, `${path}: no village with code ${code}`);
  return village;
}

/** A county in the caller's area, by its 6-digit code; words as for an unknown county. */
export async function countyInScope(ctx: IngestContext, code: string, path: string): Promise<string> {
  if (!/^\d{6}$/.test(code ?? '')) throw invalid(path, 'INVALID_AREA_CODE', `${path} must be a 6-digit county code`);
  const key = `county-in-scope:${code}`;
  if (!ctx.memo.has(key)) {
    const rows = await queryFragment(ctx.client, sql`SELECT 1 AS one FROM area a WHERE a.code = ${code} AND a.level = 'COUNTY' AND ${areaScope(ctx.principal, 'a.code')}`);
    ctx.memo.set(key, rows.length > 0);
  }
  if (ctx.memo.get(key) !== true) throw unknownReference(path, `${path}: no county with code ${code}`);
  return code;
}

/** Whether a county code lies in the caller's area scope (row-scope's area rule). */
export async function inScope(ctx: IngestContext, countyCode: string): Promise<boolean> {
  const key = `in-scope:${countyCode}`;
  if (!ctx.memo.has(key)) {
    const rows = await queryFragment(ctx.client, sql`SELECT 1 AS one FROM (SELECT ${countyCode}::text AS county_code) c WHERE ${areaScope(ctx.principal, 'c.county_code')}`);
    ctx.memo.set(key, rows.length > 0);
  }
  return ctx.memo.get(key) === true;
}

/** The latest version and terms hash of a record kept in `record_version` (null when it has none). */
export async function latestVersion(ctx: IngestContext, kind: VersionedKind, recordId: string): Promise<{ version: number; hash: string; terms: Record<string, unknown> } | null> {
  const rows = await ctx.client.query<{ version: number; terms_hash: string; terms: Record<string, unknown> }>(
    'SELECT version, terms_hash, terms FROM record_version WHERE record_kind = $1 AND record_id = $2 ORDER BY version DESC LIMIT 1',
    [kind, recordId],
  );
  const row = rows.rows[0];
  return row === undefined ? null : { version: Number(row.version), hash: row.terms_hash, terms: row.terms };
}

/** An institution by code and kind (public reference data), memoised per batch; null when there is none. */
export async function institutionByCode(ctx: IngestContext, code: string, kinds: readonly string[]): Promise<string | null> {
  const key = `institution:${code}:${kinds.join(',')}`;
  if (!ctx.memo.has(key)) {
    const rows = await ctx.client.query<{ id: string }>('SELECT id::text AS id FROM institution WHERE code = $1 AND kind = ANY($2::text[])', [code, kinds]);
    ctx.memo.set(key, rows.rows[0]?.id ?? null);
  }
  return ctx.memo.get(key) as string | null;
}

/** `YYYY` of a date as a number. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
