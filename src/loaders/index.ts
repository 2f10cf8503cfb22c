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

/** The loader groups of a request, in the order their names were spread (a later group's name wins). */
const GROUPS = [
  createAreaLoaders,
  createInstitutionLoaders,
  createHouseholdLoaders,
  createEnterpriseLoaders,
  createLoanLoaders,
  createInsuranceLoaders,
  createGuaranteeLoaders,
  createConsentLoaders,
  createPolicyParameterLoaders,
  createAuditLogLoaders,
  createSurfaceLoaders,
  createConnectionLoaders,
  createDetailLoaders,
  createAlertLoaders,
] as const;

type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type LoaderGroup = ReturnType<(typeof GROUPS)[number]>;

const SCOPE = Symbol('scope');
const BUILT = Symbol('built');

interface LazyLoaders {
  [SCOPE]: LoaderScope;
  [BUILT]: Array<Record<string, unknown> | undefined>;
}

/**
 * The prototype of every request's loaders: one getter per loader name, which builds the
 * name's whole group (its factory, with the request's scope) on first use. Made once, by
 * the first request, from the names its groups returned.
 */
let prototype: object | undefined;

function makePrototype(built: ReadonlyArray<Record<string, unknown>>): object {
  const proto = {};
  built.forEach((group, index) => {
    for (const name of Object.keys(group)) {
      Object.defineProperty(proto, name, {
        enumerable: true,
        configurable: true,
        get(this: LazyLoaders) {
          const groups = this[BUILT];
          const own = groups[index] ?? (groups[index] = GROUPS[index](this[SCOPE]) as unknown as Record<string, unknown>);
          return own[name];
        },
      });
    }
  });
  return proto;
}

/**
 * A request's loaders. A group is built when one of its loaders is first used: a lookup
 * of one household builds a few of the hundred-odd loaders, not all of them (building
 * them all was 5 % of the Node CPU of such a request, bench/). Each group still gets the
 * request's own scope, and its loaders (and their caches) live as long as the request.
 */
export function createLoaders(scope: LoaderScope): Loaders {
  if (prototype === undefined) {
    const built = GROUPS.map((factory) => factory(scope) as unknown as Record<string, unknown>);
    prototype = makePrototype(built);
    return Object.assign(Object.create(prototype) as LazyLoaders, { [SCOPE]: scope, [BUILT]: built }) as unknown as Loaders;
  }
  return Object.assign(Object.create(prototype) as LazyLoaders, { [SCOPE]: scope, [BUILT]: [] }) as unknown as Loaders;
}

export type Loaders = Intersect<LoaderGroup>;

export type { LoaderScope } from './loader-kit';
export type { ChildrenKey, DesignationsKey } from './area.loaders';
export { MAX_DESIGNATIONS } from './area.loaders';
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
