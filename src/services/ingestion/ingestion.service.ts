/**
 * The ingestion mutations (DESIGN.md §2, §3): BANK writes loans, positions, repayments
 * and modifications of its own institution, GUARANTOR its guarantee contracts; every
 * other role is FORBIDDEN. Each is the batch engine run with one kind.
 */
import type { ServiceScope } from '../common';
import { runBatch } from './batch-engine';
import { GUARANTEE_INGESTION, type GuaranteeItemInput } from './guarantee.ingestion';
import type { BatchInput, BatchResult, IngestionDependencies } from './ingestion.types';
import { MODIFICATION_INGESTION, REPAYMENT_INGESTION, type ModificationItemInput, type RepaymentItemInput } from './loan-event.ingestion';
import { LOAN_INGESTION, type LoanItemInput } from './loan.ingestion';
import { POSITION_INGESTION, type PositionItemInput } from './position.ingestion';

/** `upsertLoans`: create or version a bank's loans by its own references. */
export function upsertLoans(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<LoanItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, LOAN_INGESTION, input);
}

/** `reportLoanPositions`: month-end positions; a re-reported month is a new version. */
export function reportLoanPositions(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<PositionItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, POSITION_INGESTION, input);
}

/** `recordRepayments`: repayments of principal and interest. */
export function recordRepayments(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<RepaymentItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, REPAYMENT_INGESTION, input);
}

/** `recordLoanModifications`: extensions, renewals and deferrals. */
export function recordLoanModifications(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<ModificationItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, MODIFICATION_INGESTION, input);
}

/** `upsertGuaranteeContracts`: a guarantor's contracts and the loans they cover (GUARANTOR, own institution). */
export function upsertGuaranteeContracts(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<GuaranteeItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, GUARANTEE_INGESTION, input);
}
