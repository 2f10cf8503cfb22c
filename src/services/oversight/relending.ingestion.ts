/**
 * `upsertRelendingFacilities`: a central-bank branch (a REGULATOR principal acting for a
 * CENTRAL_BANK institution) reports its poverty re-lending draws to local banks, named
 * by its own reference. Versioned like guarantees: CREATED / UPDATED with a new
 * `record_version`, UNCHANGED for the same terms, a stale `version` is CONFLICT.
 *
 * The facility's county is the borrowing bank's (what "share in deeply impoverished
 * areas" is computed from, DOMAIN.md §1.7): its home county unless `countyCode` names
 * another; either way it must lie in the branch's area scope, or the item is NOT_FOUND
 * exactly like an unknown county. Integrity: amount and rate exact, `dueOn` after
 * `drawnOn`, at most 4 rollovers (the programme's limit), repayment not before drawing.
 */
import type { IngestContext, IngestionKind, WrittenItem } from '../ingestion';
import { conflictWith, exactDecimal, invalid, notInFuture, partnerRef, POSITIVE_MONEY, RATE, type AppliedItem } from '../ingestion';
import { baseVersion } from '../ingestion/loan.ingestion';
import { hashTerms, insertRecordVersion, termsHashOf, versionsWrittenBy, type Terms } from '../ingestion/record-versions';
import { countyInScope, institutionByCode } from './oversight-refs';

/** One re-lending draw (the GraphQL `RelendingFacilityInput`). */
export interface RelendingItemInput {
  ref: string;
  borrowerCode: string;
  countyCode?: string | null;
  amount: string;
  annualRate: string;
  drawnOn: string;
  dueOn: string;
  rollovers?: number | null;
  repaidOn?: string | null;
  version?: number | null;
}

interface CheckedRelending {
  ref: string;
  borrowerCode: string;
  countyCode: string | null;
  amount: string;
  annualRate: string;
  drawnOn: string;
  dueOn: string;
  rollovers: number;
  repaidOn: string | null;
  version: number | null;
}

/** At most four rollovers of a 3/6/12-month draw (DOMAIN.md §1.7). */
const MAX_ROLLOVERS = 4;

function checkRelending(item: RelendingItemInput, today: string): CheckedRelending {
  const ref = partnerRef(item.ref, 'ref');
  const countyCode = item.countyCode ?? null;
  if (countyCode !== null && !/^\d{6}$/.test(countyCode)) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  const amount = exactDecimal(item.amount, 'amount', POSITIVE_MONEY).text;
  const annualRate = exactDecimal(item.annualRate, 'annualRate', RATE).text;
  notInFuture(item.drawnOn, today, 'drawnOn');
  if (!(item.dueOn > item.drawnOn)) throw invalid('dueOn', 'DATE_ORDER', 'dueOn must be after drawnOn');
  const rollovers = item.rollovers ?? 0;
  if (!Number.isSafeInteger(rollovers) || rollovers < 0 || rollovers > MAX_ROLLOVERS) {
    throw invalid('rollovers', 'OUT_OF_RANGE', `rollovers must be 0 to ${MAX_ROLLOVERS}`);
  }
  const repaidOn = item.repaidOn ?? null;
  if (repaidOn !== null) {
    if (repaidOn < item.drawnOn) throw invalid('repaidOn', 'DATE_ORDER', 'repaidOn must not be before drawnOn');
    notInFuture(repaidOn, today, 'repaidOn');
  }
  return { ref, borrowerCode: item.borrowerCode, countyCode, amount, annualRate, drawnOn: item.drawnOn, dueOn: item.dueOn, rollovers, repaidOn, version: baseVersion(item.version) };
}

async function applyRelending(ctx: IngestContext, item: CheckedRelending): Promise<AppliedItem> {
  const borrower = await institutionByCode(ctx, item.borrowerCode, 'borrowerCode');
  if (borrower.kind !== 'BANK') throw invalid('borrowerCode', 'NOT_A_BANK', `borrowerCode: ${item.borrowerCode} is not a bank; re-lending goes to local banks`);
  let countyPath = 'countyCode';
  let county = item.countyCode;
  if (county === null) {
    if (borrower.homeAreaCode.length < 6) {
      throw invalid('countyCode', 'COUNTY_REQUIRED', `countyCode is required: bank ${item.borrowerCode} is not based in one county`);
    }
    county = borrower.homeAreaCode.slice(0, 6);
    countyPath = 'borrowerCode';
  }
  const countyCode = await countyInScope(ctx, county, countyPath);

  const existing = await ctx.client.query<{ id: string; version: number; county_code: string }>(
    'SELECT id::text AS id, version, county_code FROM relending_facility WHERE lender_id = $1 AND ref = $2 FOR NO KEY UPDATE',
    [ctx.institution.id, item.ref],
  );
  const row = existing.rows[0];
  if (row !== undefined) await countyInScope(ctx, row.county_code, 'ref');
  if (row === undefined && item.version !== null) {
    throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${item.version}, but your institution has reported no re-lending facility ${item.ref}`);
  }
  const terms: Terms = {
    lenderCode: ctx.institution.code,
    ref: item.ref,
    borrowerCode: item.borrowerCode,
    countyCode,
    amount: item.amount,
    annualRate: item.annualRate,
    drawnOn: item.drawnOn,
    dueOn: item.dueOn,
    rollovers: item.rollovers,
    repaidOn: item.repaidOn ?? undefined,
  };
  const { hash } = hashTerms(terms);
  const columns = [borrower.id, countyCode, item.amount, item.annualRate, item.drawnOn, item.dueOn, item.rollovers, item.repaidOn];

  if (row === undefined) {
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO relending_facility (source_institution_id, batch_id, received_at, lender_id, ref, borrower_id, county_code, amount, annual_rate, drawn_on, due_on, rollovers, repaid_on, version)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)
       ON CONFLICT (lender_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, item.ref, ...columns],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) throw conflictWith(null, 'CONCURRENT_CHANGE', `Re-lending facility ${item.ref} was created by another call meanwhile; send the item again`);
    await insertRecordVersion(ctx, 'RELENDING_FACILITY', id, 1, countyCode, terms);
    return { status: 'CREATED', record: { type: 'RelendingFacility', id }, version: 1, warnings: [] };
  }

  const current = { id: row.id, version: Number(row.version) };
  if ((await termsHashOf(ctx, 'RELENDING_FACILITY', current.id, current.version)) === hash) {
    return { status: 'UNCHANGED', record: { type: 'RelendingFacility', id: current.id }, version: current.version, warnings: [] };
  }
  if (item.version !== null && item.version !== current.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${item.version}, but re-lending facility ${item.ref} is at version ${current.version}; read it again`);
  }
  const updated = await ctx.client.query(
    `UPDATE relending_facility SET source_institution_id = $1, batch_id = $2, received_at = $3,
            borrower_id = $6, county_code = $7, amount = $8, annual_rate = $9, drawn_on = $10, due_on = $11, rollovers = $12, repaid_on = $13,
            version = version + 1
      WHERE id = $4 AND version = $5`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, current.id, current.version, ...columns],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Re-lending facility ${item.ref} changed meanwhile; read it again`);
  const version = current.version + 1;
  await insertRecordVersion(ctx, 'RELENDING_FACILITY', current.id, version, countyCode, terms);
  return { status: 'UPDATED', record: { type: 'RelendingFacility', id: current.id }, version, warnings: [] };
}

function relendingWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  return versionsWrittenBy(ctx, 'RELENDING_FACILITY', 'RelendingFacility');
}

export const RELENDING_INGESTION: IngestionKind<RelendingItemInput, CheckedRelending> = {
  kind: 'upsertRelendingFacilities',
  roles: ['REGULATOR'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkRelending,
  apply: applyRelending,
  writtenBy: relendingWrittenBy,
};
