/**
 * Per-request DataLoaders, named by their key. Built once per request by `createLoaders`
 * (never at module level, where one tenant's rows could be served to another); each
 * issues one SQL statement per batch, scoped to the request's principal.
 */
import { createAreaLoaders } from './area.loaders';
import { createEnterpriseLoaders } from './enterprise.loaders';
import { createGuaranteeLoaders } from './guarantee.loaders';
import { createHouseholdLoaders } from './household.loaders';
import { createInstitutionLoaders } from './institution.loaders';
import { createInsuranceLoaders } from './insurance.loaders';
import { createLoanLoaders } from './loan.loaders';
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export type { LoaderScope } from './loader-kit';
export type { ChildrenKey, DesignationsKey } from './area.loaders';
export type { CountyHouseholdsKey, StatusAsOfKey } from './household.loaders';
export type { PositionAsOfKey } from './loan.loaders';
export * from './rows';
