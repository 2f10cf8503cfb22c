/**
 * The regulator-side ingestion mutations (DESIGN.md §2, §3): re-lending (central-bank
 * branches), disaster events, findings and the verification of rectifications
 * (REGULATOR, within its area scope), and the rectification reports of the institutions
 * concerned. Each is the batch engine run with one kind, so each behaves like every
 * other ingestion mutation (batch size, batchId replay, all-or-nothing or partial).
 */
import { forbidden, requireRole, type ServiceScope } from '../common';
import { runBatch, type BatchInput, type BatchResult, type IngestionDependencies } from '../ingestion';
import { DISASTER_INGESTION, type DisasterItemInput } from './disaster.ingestion';
import { FINDING_INGESTION, type FindingItemInput } from './finding.ingestion';
import { STEP_REPORT_INGESTION, STEP_VERIFY_INGESTION, type StepReportItemInput, type StepVerifyItemInput } from './rectification.ingestion';
import { RELENDING_INGESTION, type RelendingItemInput } from './relending.ingestion';

/**
 * `upsertRelendingFacilities`: only a regulator acting for a central-bank branch (an
 * institution of kind CENTRAL_BANK) lends re-lending; other regulators are FORBIDDEN.
 */
export async function upsertRelendingFacilities(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<RelendingItemInput>): Promise<BatchResult> {
  requireRole(scope.principal, RELENDING_INGESTION.roles, RELENDING_INGESTION.kind);
  const institutionId = scope.principal.institutionId;
  const rows =
    institutionId === null
      ? []
      : ((await scope.em.getConnection().execute('SELECT kind FROM institution WHERE id = ?', [institutionId], 'all')) as Array<{ kind: string }>);
  if (rows[0]?.kind !== 'CENTRAL_BANK') {
    throw forbidden('upsertRelendingFacilities is reserved to central-bank branches (a REGULATOR acting for a CENTRAL_BANK institution)');
  }
  return runBatch(scope, deps, RELENDING_INGESTION, input);
}

/** `recordDisasterEvents`: events over areas (any level) in the regulator's scope. */
export function recordDisasterEvents(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<DisasterItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, DISASTER_INGESTION, input);
}

/** `upsertFindings`: inspection and audit findings with their rectification steps, versioned. */
export function upsertFindings(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<FindingItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, FINDING_INGESTION, input);
}

/** `reportRectificationSteps`: the institution concerned (or the county government) reports steps done. */
export function reportRectificationSteps(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<StepReportItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, STEP_REPORT_INGESTION, input);
}

/** `verifyRectificationSteps`: a regulator in scope verifies reported steps; complete findings close. */
export function verifyRectificationSteps(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<StepVerifyItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, STEP_VERIFY_INGESTION, input);
}
