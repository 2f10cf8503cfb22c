/**
 * Rectification "one by one" (DESIGN.md §1, §3), as two ingestion mutations:
 *
 * - `reportRectificationSteps`: the institution a finding concerns (BANK, INSURER,
 *   GUARANTOR) — or the county GOVERNMENT, for findings on its county's own work —
 *   reports steps done, with the date and the evidence. A finding it is not concerned
 *   by is NOT_FOUND, worded exactly like one that does not exist. A report can be
 *   corrected until the step is verified; after that it is CONFLICT. Reporting never
 *   verifies and never closes anything.
 * - `verifyRectificationSteps`: a REGULATOR in scope verifies steps reported done (who
 *   and when are recorded). A step not reported is CONFLICT, one already verified is
 *   UNCHANGED. When every step of a finding is verified, the finding closes (status
 *   CLOSED, closed on today's date, its version bumped): a finding never closes on the
 *   institution's word alone.
 *
 * Steps are named like partners name each other's records: the finding's authority (the
 * regulator's institution code) and its reference, plus the step's number; the item's
 * reference is `AUTHORITY/findingRef#seq`.
 */
import { and, raw, sql, type Sql } from '../../db/sql';
import { findingScope } from '../access';
import type { Principal } from '../access';
import type { IngestContext, IngestionKind, WrittenItem } from '../ingestion';
import { conflictWith, freeText, invalid, notInFuture, unknownReference, type AppliedItem } from '../ingestion';
import { queryFragment } from '../ingestion/references';
import { closeIfComplete } from './findings';
import { MAX_STEPS_PER_FINDING } from './finding.ingestion';

/** A step as named in both mutations. */
export interface StepNameInput {
  /** The institution code of the authority that reported the finding. */
  authorityCode: string;
  findingRef: string;
  seq: number;
}

/** One step reported done (the GraphQL `RectificationReportInput`). */
export interface StepReportItemInput extends StepNameInput {
  doneOn: string;
  evidence: string;
}

/** One step to verify (the GraphQL `RectificationVerificationInput`). */
export type StepVerifyItemInput = StepNameInput;

interface CheckedName {
  authorityCode: string;
  findingRef: string;
  seq: number;
}

interface CheckedReport extends CheckedName {
  doneOn: string;
  evidence: string;
}

const stepRef = (item: StepNameInput): string => `${String(item.authorityCode)}/${String(item.findingRef)}#${String(item.seq)}`;

function checkName(item: StepNameInput): CheckedName {
  if (typeof item.authorityCode !== 'string' || !/^[A-Za-z0-9_.-]{1,32}$/.test(item.authorityCode)) {
    throw invalid('authorityCode', 'INVALID_CODE', 'authorityCode must be an institution code');
  }
  if (typeof item.findingRef !== 'string' || item.findingRef.length === 0 || item.findingRef.length > 64) {
    throw invalid('findingRef', 'INVALID_REF', 'findingRef must be 1 to 64 characters');
  }
  if (!Number.isSafeInteger(item.seq) || item.seq < 1 || item.seq > MAX_STEPS_PER_FINDING) {
    throw invalid('seq', 'OUT_OF_RANGE', `seq must be 1 to ${MAX_STEPS_PER_FINDING}`);
  }
  return { authorityCode: item.authorityCode, findingRef: item.findingRef, seq: item.seq };
}

/**
 * Findings a principal must rectify: those `findingScope` shows a partner (its own), and
 * for a county government those of its county on the county's own work (no institution).
 */
function rectifierScope(principal: Readonly<Principal>, alias: string): Sql {
  const visible = findingScope(principal, alias);
  return principal.role === 'GOVERNMENT' ? and(visible, raw(`${alias}.institution_id IS NULL`)) : visible;
}

interface LockedStep {
  findingId: string;
  foundOn: string;
  stepId: string;
  reportedDoneOn: string | null;
  evidence: string | null;
  verified: boolean;
}

/** The finding (in `scope`) and its step, both locked; NOT_FOUND alike for unknown and unseen. */
async function lockStep(ctx: IngestContext, name: CheckedName, scope: Sql): Promise<LockedStep> {
  const findings = await queryFragment<{ id: string; found_on: string }>(
    ctx.client,
    sql`SELECT f.id::text AS id, f.found_on::text AS found_on FROM finding f JOIN institution a ON a.id = f.source_institution_id
         WHERE a.code = ${name.authorityCode} AND f.ref = ${name.findingRef} AND ${scope} FOR NO KEY UPDATE OF f`,
  );
  const finding = findings[0];
  if (finding === undefined) throw unknownReference('findingRef', `findingRef: no finding ${name.findingRef} of ${name.authorityCode} for you`);
  const steps = await ctx.client.query<{ id: string; reported_done_on: string | null; evidence: string | null; verified: boolean }>(
    `SELECT id::text AS id, reported_done_on::text AS reported_done_on, evidence, verified_at IS NOT NULL AS verified
       FROM rectification_step WHERE finding_id = $1 AND seq = $2 FOR NO KEY UPDATE`,
    [finding.id, name.seq],
  );
  const step = steps.rows[0];
  if (step === undefined) throw unknownReference('seq', `seq: finding ${name.findingRef} has no step ${name.seq}`);
  return { findingId: finding.id, foundOn: finding.found_on, stepId: step.id, reportedDoneOn: step.reported_done_on, evidence: step.evidence, verified: step.verified };
}

function checkReport(item: StepReportItemInput, today: string): CheckedReport {
  const name = checkName(item);
  notInFuture(item.doneOn, today, 'doneOn');
  const evidence = freeText(item.evidence, 'evidence', 2000);
  if (evidence === null) throw invalid('evidence', 'REQUIRED', 'evidence must say what was done (documents, amounts, dates)');
  return { ...name, doneOn: item.doneOn, evidence };
}

async function applyReport(ctx: IngestContext, item: CheckedReport): Promise<AppliedItem> {
  const step = await lockStep(ctx, item, rectifierScope(ctx.principal, 'f'));
  const record = { type: 'RectificationStep' as const, id: step.stepId };
  if (item.doneOn < step.foundOn) throw invalid('doneOn', 'DATE_ORDER', `doneOn must not be before the finding was found (${step.foundOn})`);
  const same = step.reportedDoneOn === item.doneOn && step.evidence === item.evidence;
  if (same) return { status: 'UNCHANGED', record, version: null, warnings: [] };
  if (step.verified) throw conflictWith(null, 'STEP_VERIFIED', `Step ${item.seq} of finding ${item.findingRef} is verified; its report can no longer change`);
  await ctx.client.query('UPDATE rectification_step SET reported_done_on = $2, evidence = $3 WHERE id = $1', [step.stepId, item.doneOn, item.evidence]);
  return { status: 'UPDATED', record, version: null, warnings: [] };
}

async function applyVerify(ctx: IngestContext, item: CheckedName): Promise<AppliedItem> {
  const step = await lockStep(ctx, item, findingScope(ctx.principal, 'f'));
  const record = { type: 'RectificationStep' as const, id: step.stepId };
  if (step.verified) return { status: 'UNCHANGED', record, version: null, warnings: [] };
  if (step.reportedDoneOn === null) {
    throw conflictWith(null, 'STEP_NOT_REPORTED', `Step ${item.seq} of finding ${item.findingRef} has not been reported done; only reported steps can be verified`);
  }
  await ctx.client.query('UPDATE rectification_step SET verified_at = $2, verified_by_id = $3 WHERE id = $1', [step.stepId, ctx.batch.receivedAt, ctx.institution.id]);
  await closeIfComplete(ctx.client, step.findingId, ctx.today);
  return { status: 'UPDATED', record, version: null, warnings: [] };
}

/** For replays: the steps the first call changed, from the change feed it appended. */
async function stepsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; authority: string; ref: string; seq: number }>(
    `SELECT st.id::text AS id, a.code AS authority, f.ref, st.seq
       FROM change_event ce JOIN rectification_step st ON st.id = ce.record_id JOIN finding f ON f.id = st.finding_id
       JOIN institution a ON a.id = f.source_institution_id
      WHERE ce.batch_id = $1 AND ce.record_type = 'RectificationStep'`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map((r) => [stepRef({ authorityCode: r.authority, findingRef: r.ref, seq: r.seq }), { status: 'UPDATED', record: { type: 'RectificationStep', id: r.id }, version: null }] as const),
  );
}

export const STEP_REPORT_INGESTION: IngestionKind<StepReportItemInput, CheckedReport> = {
  kind: 'reportRectificationSteps',
  roles: ['BANK', 'INSURER', 'GUARANTOR', 'GOVERNMENT'],
  refOf: (item) => ({ ref: stepRef(item), path: 'findingRef' }),
  check: checkReport,
  apply: applyReport,
  writtenBy: stepsWrittenBy,
};

export const STEP_VERIFY_INGESTION: IngestionKind<StepVerifyItemInput, CheckedName> = {
  kind: 'verifyRectificationSteps',
  roles: ['REGULATOR'],
  refOf: (item) => ({ ref: stepRef(item), path: 'findingRef' }),
  check: (item) => checkName(item),
  apply: applyVerify,
  writtenBy: stepsWrittenBy,
};
