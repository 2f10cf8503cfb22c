/**
 * `reportLoanPositions`: a bank's month-end figures for its loans. A position is named
 * by (loan reference, month end). The first report of a month is version 1 (CREATED);
 * the same figures again are UNCHANGED; other figures are a new version (UPDATED) that
 * becomes the latest (`is_latest` moves to it; the earlier version stays as history).
 * `version` in an item is the version it corrects: a stale one is CONFLICT.
 *
 * Integrity: the month end is a real month end, not after the current month, and not
 * before the disbursement month; the balance is at most the principal, overdue
 * principal at most the balance. Policy: a class better than the floor its overdue days
 * imply (classification floors in force at the month end) is a warning.
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { exactDecimal, monthEndOf, MONEY, partnerRef, unitsOf } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { baseVersion, withinPrincipal } from './loan.ingestion';
import { classificationViolations, type FiveClassName } from './policy-rules';
import { lockOwnLoan } from './references';

/** One month-end position (the GraphQL `LoanPositionInput`). */
export interface PositionItemInput {
  loanRef: string;
  monthEnd: string;
  balance: string;
  overduePrincipal: string;
  overdueDays: number;
  fiveClass: string;
  subsidyPaid?: string | null;
  version?: number | null;
}

interface CheckedPosition {
  loanRef: string;
  monthEnd: string;
  balance: string;
  overduePrincipal: string;
  overdueDays: number;
  fiveClass: FiveClassName;
  subsidyPaid: string | null;
  version: number | null;
}

const CLASSES: ReadonlySet<string> = new Set(['NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS']);
/** More overdue days than this (about 270 years) is a typo, not a loan. */
const MAX_OVERDUE_DAYS = 100_000;

function checkPosition(item: PositionItemInput, today: string): CheckedPosition {
  const loanRef = partnerRef(item.loanRef, 'loanRef');
  if (monthEndOf(item.monthEnd) !== item.monthEnd) {
    throw invalid('monthEnd', 'NOT_MONTH_END', `monthEnd must be the last day of its month (${monthEndOf(item.monthEnd)})`);
  }
  if (item.monthEnd > monthEndOf(today)) {
    throw invalid('monthEnd', 'IN_FUTURE', 'monthEnd must not be after the current month');
  }
  const balance = exactDecimal(item.balance, 'balance', MONEY);
  const overdue = exactDecimal(item.overduePrincipal, 'overduePrincipal', MONEY);
  if (overdue.units > balance.units) {
    throw invalid('overduePrincipal', 'ABOVE_BALANCE', 'overduePrincipal must not exceed balance');
  }
  if (!Number.isSafeInteger(item.overdueDays) || item.overdueDays < 0 || item.overdueDays > MAX_OVERDUE_DAYS) {
    throw invalid('overdueDays', 'OUT_OF_RANGE', `overdueDays must be a whole number from 0 to ${MAX_OVERDUE_DAYS}`);
  }
  if (!CLASSES.has(item.fiveClass)) throw invalid('fiveClass', 'INVALID_VALUE', 'fiveClass is not a five-category class');
  return {
    loanRef,
    monthEnd: item.monthEnd,
    balance: balance.text,
    overduePrincipal: overdue.text,
    overdueDays: item.overdueDays,
    fiveClass: item.fiveClass as FiveClassName,
    subsidyPaid: item.subsidyPaid == null ? null : exactDecimal(item.subsidyPaid, 'subsidyPaid', MONEY).text,
    version: baseVersion(item.version),
  };
}

interface LatestPosition {
  id: string;
  version: number;
  balance: string;
  overdue_principal: string;
  overdue_days: number;
  five_class: string;
  subsidy_paid: string | null;
}

function sameFigures(latest: LatestPosition, position: CheckedPosition): boolean {
  const money = (a: string | null, b: string | null) => (a === null || b === null ? a === b : unitsOf(a, 2) === unitsOf(b, 2));
  return (
    money(latest.balance, position.balance) &&
    money(latest.overdue_principal, position.overduePrincipal) &&
    Number(latest.overdue_days) === position.overdueDays &&
    latest.five_class === position.fiveClass &&
    money(latest.subsidy_paid, position.subsidyPaid)
  );
}

async function applyPosition(ctx: IngestContext, position: CheckedPosition): Promise<AppliedItem> {
  const loan = await lockOwnLoan(ctx, position.loanRef, 'loanRef');
  if (position.monthEnd < monthEndOf(loan.disbursedOn)) {
    throw invalid('monthEnd', 'BEFORE_DISBURSEMENT', `monthEnd is before the month loan ${loan.ref} was disbursed (${loan.disbursedOn})`);
  }
  if (!withinPrincipal(position.balance, loan.principal)) {
    throw invalid('balance', 'ABOVE_PRINCIPAL', `balance exceeds the principal of loan ${loan.ref} (${loan.principal})`);
  }
  const warnings = classificationViolations(ctx.policy, position.fiveClass, position.overdueDays, position.monthEnd);
  const found = await ctx.client.query<LatestPosition>(
    `SELECT id::text AS id, version, balance::text AS balance, overdue_principal::text AS overdue_principal, overdue_days, five_class,
            subsidy_paid::text AS subsidy_paid
       FROM loan_position WHERE loan_id = $1 AND month_end = $2 AND is_latest`,
    [loan.id, position.monthEnd],
  );
  const latest = found.rows[0];
  if (latest !== undefined && sameFigures(latest, position)) {
    return { status: 'UNCHANGED', record: { type: 'LoanPosition', id: latest.id }, version: Number(latest.version), warnings };
  }
  if (position.version !== null && (latest === undefined || position.version !== Number(latest.version))) {
    throw conflictWith(
      'version',
      latest === undefined ? 'NO_SUCH_VERSION' : 'STALE_VERSION',
      latest === undefined
        ? `The item corrects version ${position.version}, but no position of ${loan.ref} for ${position.monthEnd} has been reported`
        : `The item corrects version ${position.version}, but the position of ${loan.ref} for ${position.monthEnd} is at version ${latest.version}`,
    );
  }
  const next = latest === undefined ? 1 : Number(latest.version) + 1;
  if (latest !== undefined) {
    await ctx.client.query('UPDATE loan_position SET is_latest = false WHERE id = $1', [latest.id]);
  }
  const inserted = await ctx.client.query<{ id: string }>(
    `INSERT INTO loan_position (source_institution_id, batch_id, received_at, loan_id, county_code, institution_id, month_end, version, is_latest,
                                balance, overdue_principal, overdue_days, five_class, subsidy_paid)
     VALUES ($1, $2, $3, $4, $5, $1, $6, $7, true, $8, $9, $10, $11, $12) RETURNING id::text AS id`,
    [
      ctx.institution.id,
      ctx.batch.rowId,
      ctx.batch.receivedAt,
      loan.id,
      loan.countyCode,
      position.monthEnd,
      next,
      position.balance,
      position.overduePrincipal,
      position.overdueDays,
      position.fiveClass,
      position.subsidyPaid,
    ],
  );
  return { status: next === 1 ? 'CREATED' : 'UPDATED', record: { type: 'LoanPosition', id: inserted.rows[0].id }, version: next, warnings };
}

async function positionsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string }>(
    `SELECT p.id::text AS id, p.version, l.ref || '@' || p.month_end::text AS ref
       FROM loan_position p JOIN loan l ON l.id = p.loan_id WHERE p.batch_id = $1`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map((r) => [r.ref, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'LoanPosition', id: r.id }, version: Number(r.version) }] as const),
  );
}

export const POSITION_INGESTION: IngestionKind<PositionItemInput, CheckedPosition> = {
  kind: 'reportLoanPositions',
  roles: ['BANK'],
  refOf: (item) => ({ ref: `${item.loanRef}@${item.monthEnd}`, path: 'loanRef' }),
  check: checkPosition,
  apply: applyPosition,
  writtenBy: positionsWrittenBy,
};
