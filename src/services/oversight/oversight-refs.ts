/**
 * Lookups the regulator-side ingestion kinds share, inside the batch's transaction:
 * areas and counties checked against the caller's area scope, institutions by code.
 * Scope comes only from `access/row-scope.ts`: an area outside the caller's scope is
 * answered exactly like an area that does not exist (NOT_FOUND, same words), so a write
 * never tells a regulator more than its reads would.
 */
import { sql } from '../../db/sql';
import { areaScope } from '../access';
import type { IngestContext } from '../ingestion';
import { invalid, unknownReference } from '../ingestion';
import { queryFragment } from '../ingestion/references';

const COUNTY_CODE = /^\d{6}$/;
const AREA_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

async function memo<T>(ctx: IngestContext, key: string, load: () => Promise<T>): Promise<T> {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = await load();
  ctx.memo.set(key, value);
  return value;
}

/** A county (6 digits) in the caller's area scope. */
export async function countyInScope(ctx: IngestContext, code: string, path: string): Promise<string> {
  if (typeof code !== 'string' || !COUNTY_CODE.test(code)) throw invalid(path, 'INVALID_AREA_CODE', `${path} must be a 6-digit county code`);
  const found = await memo(ctx, `oversight-county:${code}`, async () => {
    const rows = await queryFragment(ctx.client, sql`SELECT 1 AS x FROM area a WHERE a.code = ${code} AND a.level = 'COUNTY' AND ${areaScope(ctx.principal, 'a.code')}`);
    return rows.length > 0;
  });
  if (!found) throw unknownReference(path, `${path}: no county ${code} in your area scope`);
  return code;
}

/** An area of any level (2, 4, 6, 9 or 12 digits) inside the caller's area scope. */
export async function areaInScope(ctx: IngestContext, code: string, path: string): Promise<string> {
  if (typeof code !== 'string' || !AREA_CODE.test(code)) throw invalid(path, 'INVALID_AREA_CODE', `${path} must be an area code of 2, 4, 6, 9 or 12 digits`);
  const found = await memo(ctx, `oversight-area:${code}`, async () => {
    const rows = await queryFragment(ctx.client, sql`SELECT 1 AS x FROM area a WHERE a.code = ${code} AND ${areaScope(ctx.principal, 'a.code')}`);
    return rows.length > 0;
  });
  if (!found) throw unknownReference(path, `${path}: no area ${code} in your area scope`);
  return code;
}

/** An institution (public reference data) by its code: its id, kind and home area. */
export async function institutionByCode(ctx: IngestContext, code: string, path: string): Promise<{ id: string; code: string; kind: string; homeAreaCode: string }> {
  if (typeof code !== 'string' || !/^[A-Za-z0-9_.-]{1,32}$/.test(code)) throw invalid(path, 'INVALID_CODE', `${path} must be an institution code`);
  const found = await memo(ctx, `oversight-institution:${code}`, async () => {
    const rows = await ctx.client.query<{ id: string; kind: string; home_area_code: string }>(
      'SELECT id::text AS id, kind, home_area_code FROM institution WHERE code = $1',
      [code],
    );
    return rows.rows[0] ?? null;
  });
  if (found === null) throw unknownReference(path, `${path}: no institution ${code}`);
  return { id: found.id, code, kind: found.kind, homeAreaCode: found.home_area_code };
}
