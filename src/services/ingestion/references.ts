/**
 * Lookups of the records an item names, inside the batch's transaction. Reference data
 * (areas, disaster events) and the caller's own facilities and funds are memoised per
 * batch; loans are read with a row lock, never memoised. A reference the caller may not
 * use (another bank's facility, a fund it has no agreement with, another bank's loan) is
 * rejected exactly like one that does not exist.
 */
import type { Sql } from '../../db/sql';
import type { TransactionClient } from '../common';
import type { IngestContext } from './batch-engine';
import { invalid, unknownReference } from './item-rejection';

/** Runs a `?`-parameter fragment (`src/db/sql.ts`, as the row scopes build them) on a `pg` client. */
export async function queryFragment<R extends Record<string, unknown>>(client: TransactionClient, fragment: Sql): Promise<R[]> {
  let n = 0;
  let quoted = false;
  let text = '';
  for (const ch of fragment.text) {
    if (ch === "'") quoted = !quoted;
    text += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  const result = await client.query<R>(text, [...fragment.params]);
  return result.rows;
}

async function memo<T>(ctx: IngestContext, key: string, load: () => Promise<T>): Promise<T> {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = await load();
  ctx.memo.set(key, value);
  return value;
}

const COUNTY_CODE = /^\d{6}$/;
const VILLAGE_CODE = /^\d{12}$/;

/** A county-level area by its 6-digit code. */
export async function countyArea(ctx: IngestContext, code: string, path: string): Promise<string> {
  if (!COUNTY_CODE.test(code)) {
    throw invalid(path, 'INVALID_AREA_CODE', `${path} must be a 6-digit county code`);
  }
  const found = await memo(ctx, `county:${code}`, async () => {
    const rows = await ctx.client.query("SELECT 1 FROM area WHERE code = $1 AND level = 'COUNTY'", [code]);
    return rows.rows.length > 0;
  });
  if (!found) throw unknownReference(path, `${path}: no county with code ${code}`);
  return code;
}

/** A village by its 12-digit code, with the county it belongs to. */
export async function villageArea(ctx: IngestContext, code: string, path: string): Promise<{ code: string; countyCode: string }> {
  if (!VILLAGE_CODE.test(code)) {
    throw invalid(path, 'INVALID_AREA_CODE', `${path} must be a 12-digit village code`);
  }
  const countyCode = await memo(ctx, `village:${code}`, async () => {
    const rows = await ctx.client.query<{ county: string }>(
      `SELECT c.code AS county FROM area v JOIN area c ON c.code = left(v.code, 6) AND c.level = 'COUNTY'
        WHERE v.code = $1 AND v.level = 'VILLAGE'`,
      [code],
    );
    return rows.rows[0]?.county ?? null;
  });
  if (countyCode === null) throw unknownReference(path, `${path}: no village with code ${code}`);
  return { code, countyCode };
}

/** A re-lending draw the caller borrowed, by its reference. */
export async function ownRelendingFacility(ctx: IngestContext, ref: string, path: string): Promise<string> {
  const ids = await memo(ctx, `facility:${ref}`, async () => {
    const rows = await ctx.client.query<{ id: string }>('SELECT id::text AS id FROM relending_facility WHERE borrower_id = $1 AND ref = $2', [ctx.institution.id, ref]);
    return rows.rows.map((r) => r.id);
  });
  if (ids.length === 0) throw unknownReference(path, `${path}: no re-lending facility ${ref} lent to your institution`);
  if (ids.length > 1) throw invalid(path, 'AMBIGUOUS_REFERENCE', `${path}: ${ref} names more than one of your re-lending facilities`);
  return ids[0];
}

/** A risk compensation fund the caller has a loss-sharing agreement with, by its reference. */
export async function agreedFund(ctx: IngestContext, ref: string, path: string): Promise<string> {
  const ids = await memo(ctx, `fund:${ref}`, async () => {
    const rows = await ctx.client.query<{ id: string }>(
      `SELECT f.id::text AS id FROM risk_compensation_fund f
        WHERE f.ref = $2 AND EXISTS (SELECT 1 FROM fund_bank_agreement a WHERE a.fund_id = f.id AND a.bank_id = $1)`,
      [ctx.institution.id, ref],
    );
    return rows.rows.map((r) => r.id);
  });
  if (ids.length === 0) throw unknownReference(path, `${path}: no risk compensation fund ${ref} with an agreement with your institution`);
  if (ids.length > 1) throw invalid(path, 'AMBIGUOUS_REFERENCE', `${path}: ${ref} names more than one fund`);
  return ids[0];
}

/** A declared disaster event (public reference data), by its reference. */
export async function disasterEvent(ctx: IngestContext, ref: string, path: string): Promise<string> {
  const ids = await memo(ctx, `disaster:${ref}`, async () => {
    const rows = await ctx.client.query<{ id: string }>('SELECT id::text AS id FROM disaster_event WHERE ref = $1', [ref]);
    return rows.rows.map((r) => r.id);
  });
  if (ids.length === 0) throw unknownReference(path, `${path}: no disaster event ${ref}`);
  if (ids.length > 1) throw invalid(path, 'AMBIGUOUS_REFERENCE', `${path}: ${ref} names more than one disaster event`);
  return ids[0];
}

/** The loan facts the rules on positions, repayments and modifications need. */
export interface OwnLoan {
  id: string;
  ref: string;
  countyCode: string;
  principal: string;
  disbursedOn: string;
  maturesOn: string;
  version: number;
}

/**
 * One of the caller's loans by its own reference, locked (FOR NO KEY UPDATE) until the
 * batch commits so that writers of the same loan queue instead of racing. Another bank's
 * loan with that reference is not the caller's: it is not found, with the same words.
 */
export async function lockOwnLoan(ctx: IngestContext, ref: string, path: string): Promise<OwnLoan> {
  const rows = await ctx.client.query<{ id: string; county_code: string; principal: string; disbursed_on: string; matures_on: string; version: number }>(
    `SELECT id::text AS id, county_code, principal::text AS principal, disbursed_on::text AS disbursed_on, matures_on::text AS matures_on, version
       FROM loan WHERE institution_id = $1 AND ref = $2 FOR NO KEY UPDATE`,
    [ctx.institution.id, ref],
  );
  const row = rows.rows[0];
  if (row === undefined) throw unknownReference(path, `${path}: your institution has reported no loan ${ref}`);
  return { id: row.id, ref, countyCode: row.county_code, principal: row.principal, disbursedOn: row.disbursed_on, maturesOn: row.matures_on, version: Number(row.version) };
}
