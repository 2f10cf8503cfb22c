/**
 * Per-request DataLoaders, named by their key. Built once per request by `createLoaders`
 * (never at module level, where one tenant's rows could be served to another); each
 * issues one SQL statement per batch, scoped to the request's principal.
 */
import { createAlertLoaders } from './alert.loaders';
import { createAreaLoaders } from './area.loaders';
import { createConnectionLoaders } from './connection.loaders';
import { createAuditLogLoaders } from './audit-log.loaders';
import { createConsentLoaders } from './consent.loaders';
import { createDetailLoaders } from './detail.loaders';
import { createEnterpriseLoaders } from './enterprise.loaders';
import { createGuaranteeLoaders } from './guarantee.loaders';
import { createHouseholdLoaders } from './household.loaders';
import { createInstitutionLoaders } from './institution.loaders';
import { createInsuranceLoaders } from './insurance.loaders';
import { createLoanLoaders } from './loan.loaders';
import { createPolicyParameterLoaders } from './policy-parameter.loaders';
import { createSurfaceLoaders } from './surface.loaders';
import type { LoaderScope } from './loader-kit';

export function createLoaders(scope: LoaderScope) {
  return {
    ...createAreaLoaders(scope),
    ...createInstitutionLoaders(scope),
    ...createHouseholdLoaders(scope),
    ...createEnterpriseLoaders(scope),
    ...createLoanLoaders(scope),
    ...createInsuranceLoaders(scope),
    ...createGuaranteeLoaders(scope),
    ...createConsentLoaders(scope),
    ...createPolicyParameterLoaders(scope),
    ...createAuditLogLoaders(scope),
    ...createSurfaceLoaders(scope),
    ...createConnectionLoaders(scope),
    ...createDetailLoaders(scope),
    ...createAlertLoaders(scope),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export type { LoaderScope } from './loader-kit';
export type { ChildrenKey, DesignationsKey } from './area.loaders';
export type { StatusAsOfKey } from './household.loaders';
export type { PositionAsOfKey } from './loan.loaders';
export type { ConsentRow } from './consent.loaders';
export * from './rows';
export * from './surface-rows';
export type { AlertEventRow } from './alert.loaders';
export { MAX_ALERT_EVENTS } from './alert.loaders';
export * from './contract.lists';
export * from './party.lists';
export type { ListRequest, NestedList, RootList } from './connection.loaders';
export type { HouseholdModelsKey, LinkagesKey } from './surface.loaders';
export { MAX_FINDING_STEPS } from './surface.loaders';
export { MAX_STATUS_HISTORY } from './household.loaders';
export { MAX_ACTIVITY_MONTHS, MAX_FUND_AGREEMENTS, MAX_FUND_MOVEMENTS, MAX_RECOVERIES } from './detail.loaders';
export type { FundAgreementRow, FundMovementRow, RecoveryRow, ServicePointMonthRow } from './detail.loaders';
export type { CompileContext, EntityList, FilterField, FilterFieldKind, FilterFields, FilterObject, ListOptions, ListSpec, OrderChoice, Range } from './list-kit';
export { chinaToday, orderSignature, orderTerms } from './list-kit';
export type { KeyType, PageRows, PageWindow, SortKey, SortTerm } from './page-kit';
