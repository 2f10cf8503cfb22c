/**
 * The insurers' and guarantors' ingestion mutations beyond guarantee contracts
 * (DESIGN.md §2, §3): INSURER writes its policies and their claims, GUARANTOR the
 * compensations on its guarantees; every other role is FORBIDDEN. Each is the batch
 * engine run with one kind.
 */
import type { ServiceScope } from '../common';
import { runBatch } from './batch-engine';
import { CLAIM_INGESTION, type ClaimItemInput } from './claim.ingestion';
import { COMPENSATION_INGESTION, type CompensationItemInput } from './compensation.ingestion';
import type { BatchInput, BatchResult, IngestionDependencies } from './ingestion.types';
import { INSURANCE_POLICY_INGESTION, type InsurancePolicyItemInput } from './insurance-policy.ingestion';

/** `upsertInsurancePolicies`: an insurer's policies, their insured lists and the loans they cover (INSURER, own institution). */
export function upsertInsurancePolicies(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<InsurancePolicyItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, INSURANCE_POLICY_INGESTION, input);
}

/** `recordClaims`: claims on the insurer's own policies, versioned as they are agreed and paid (INSURER). */
export function recordClaims(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<ClaimItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, CLAIM_INGESTION, input);
}

/** `recordCompensations`: a guarantor's payments on its own guarantees and the recoveries after them (GUARANTOR). */
export function recordCompensations(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<CompensationItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, COMPENSATION_INGESTION, input);
}
