/**
 * The government-side ingestion mutations (DESIGN.md §3): a county GOVERNMENT reports,
 * in its own county, its registry households and their status, enterprises and their
 * links to registered households, service points, risk compensation funds with their
 * bank agreements and movements, and financing docking events; a BANK the service
 * points it runs. Each is the batch engine run with one kind.
 */
import type { ServiceScope } from '../common';
import { runBatch } from './batch-engine';
import { DOCKING_INGESTION, type DockingItemInput } from './docking.ingestion';
import { ENTERPRISE_INGESTION, type EnterpriseItemInput } from './enterprise.ingestion';
import { FUND_INGESTION, FUND_MOVEMENT_INGESTION, type FundItemInput, type FundMovementItemInput } from './fund.ingestion';
import { HOUSEHOLD_INGESTION, type HouseholdItemInput } from './household.ingestion';
import type { BatchInput, BatchResult, IngestionDependencies } from './ingestion.types';
import { ACTIVITY_INGESTION, SERVICE_POINT_INGESTION, type ActivityItemInput, type ServicePointItemInput } from './service-point.ingestion';

/** `upsertHouseholds`: the poverty registry of a county (GOVERNMENT, own county). */
export function upsertHouseholds(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<HouseholdItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, HOUSEHOLD_INGESTION, input);
}

/** `upsertServicePoints`: village service points (GOVERNMENT own county; BANK own points). */
export function upsertServicePoints(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<ServicePointItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, SERVICE_POINT_INGESTION, input);
}

/** `reportServicePointActivity`: monthly transaction counts per point, idempotent per point and month. */
export function reportServicePointActivity(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<ActivityItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, ACTIVITY_INGESTION, input);
}

/** `upsertEnterprises`: enterprises of a county and their links to registered households (GOVERNMENT, own county). */
export function upsertEnterprises(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<EnterpriseItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, ENTERPRISE_INGESTION, input);
}

/** `upsertRiskCompensationFunds`: a county's funds and their bank agreements (GOVERNMENT, own county). */
export function upsertRiskCompensationFunds(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<FundItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, FUND_INGESTION, input);
}

/** `recordFundMovements`: top-ups, payouts, recoveries and withdrawals of the caller's funds. */
export function recordFundMovements(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<FundMovementItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, FUND_MOVEMENT_INGESTION, input);
}

/** `recordDockingEvents`: financing docking events with their projects and resulting loans (GOVERNMENT, own county). */
export function recordDockingEvents(scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<DockingItemInput>): Promise<BatchResult> {
  return runBatch(scope, deps, DOCKING_INGESTION, input);
}
