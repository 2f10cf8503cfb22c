/**
 * The lists behind every connection: the root lists (one statement per page, one per
 * `totalCount`, or one for both where the page sorts every row anyway) and the nested relations (one statement per nesting level and distinct
 * arguments, whatever the number of parents), each named by the key that selects its rows.
 */
import { raw, sql, type Sql } from '../db/sql';
import {
  CLAIMS,
  COMPENSATIONS,
  GUARANTEES,
  INSURED_HOUSEHOLDS,
  LOAN_VERSIONS,
  LOANS,
  MODIFICATIONS,
  POLICIES,
  POSITIONS,
  REPAYMENTS,
} from './contract.lists';
import { chinaToday, listQuery, type EntityList, type ListSpec } from './list-kit';
import type { ListQuery } from './page-kit';
import type { LoaderScope } from './loader-kit';
import {
  countsWithPage,
  relation,
  selectCount,
  selectPage,
  selectPageWithCount,
  type CountedPage,
  type PageRows,
  type PageWindow,
  type ParentType,
  type Relation,
} from './page-kit';
import {
  ALERTS,
  COUNTIES,
  DISASTER_AREAS,
  DISASTER_EVENTS,
  DOCKING_EVENTS,
  DOCKING_PROJECTS,
  ENTERPRISES,
  FINDINGS,
  HOUSEHOLDS,
  INSTITUTIONS,
  SERVICE_POINTS,
} from './party.lists';
import type { AreaRow, ClaimRow, EnterpriseRow, GuaranteeRow, HouseholdRow, InstitutionRow, LoanRow, PolicyRow, PositionRow } from './rows';
import type {
  AlertRow,
  CompensationRow,
  DisasterAreaRow,
  DisasterEventRow,
  DockingEventRow,
  DockingProjectRow,
  FindingRow,
  InsuredHouseholdRow,
  LoanVersionRow,
  ModificationRow,
  RepaymentRow,
  ServicePointRow,
} from './surface-rows';

/** A validated connection request: what to list, in which order, and which page. */
export interface ListRequest {
  readonly spec: ListSpec;
  readonly window: PageWindow;
  /** The ordering the page's cursors belong to (`orderSignature`). */
  readonly ordering: string;
  /** The normalized arguments: nested requests with equal signatures share a statement. */
  readonly signature: string;
}

/** A root connection's rows. */
export interface RootList<R> {
  readonly list: EntityList;
  /** The whole list (scope, filter, order) for the compiled read path (`src/compiled/`). */
  query(spec: ListSpec): ListQuery;
  page(request: ListRequest): Promise<PageRows<R>>;
  count(request: ListRequest): Promise<number>;
  /**
   * The page and the count in one statement, or null where two are cheaper
   * (`countsWithPage`): for a caller that wants both.
   */
  pageWithCount(request: ListRequest): Promise<CountedPage<R>> | null;
}

/** A nested connection's rows, per parent (a row id or an area code). */
export interface NestedList<R> {
  readonly list: EntityList;
  /**
   * The list of one parent, `parent` being the SQL expression of the parent's key: what
   * the page and count statements run per parent, for the compiled read path
   * (`src/compiled/`), which nests it under its parent's row in one statement.
   */
  query(parent: Sql, spec: ListSpec): ListQuery;
  page(parent: string, request: ListRequest): Promise<PageRows<R>>;
  count(parent: string, request: ListRequest): Promise<number>;
}

export function createConnectionLoaders(scope: LoaderScope) {
  const { principal } = scope;
  // One date per request for "current" designations and periods.
  const today = chinaToday();

  function root<R>(list: EntityList): RootList<R> {
    return {
      list,
      query: (spec) => listQuery(list, principal, spec, undefined, today),
      page: (request) => selectPage<R>(scope, listQuery(list, principal, request.spec, undefined, today), request.window),
      count: (request) => selectCount(scope, listQuery(list, principal, request.spec, undefined, today)),
      pageWithCount: (request) => {
        const query = listQuery(list, principal, request.spec, undefined, today);
        return countsWithPage(query, request.window) ? selectPageWithCount<R>(scope, query, request.window) : null;
      },
    };
  }

  /** `match(parent)` is the condition tying a row to the parent whose key is `parent`. */
  function nested<R>(list: EntityList, parentType: ParentType, match: (parent: Sql) => Sql): NestedList<R> {
    // Built on first use: a request reads a few of the fifty-odd relations.
    let built: Relation<R> | undefined;
    const loaders = () => (built ??= relation<R>(scope, parentType));
    const key = (parent: string, request: ListRequest) => ({
      parent,
      request: {
        signature: request.signature,
        window: request.window,
        build: (p: Sql) => listQuery(list, principal, request.spec, match(p), today),
      },
    });
    return {
      list,
      query: (parent, spec) => listQuery(list, principal, spec, match(parent), today),
      page: (parent, request) => loaders().page.load(key(parent, request)),
      count: (parent, request) => loaders().count.load(key(parent, request)),
    };
  }

  const linkedTo = (kind: 'policy_id' | 'guarantee_id', parent: Sql) =>
    sql`l.id IN (SELECT cl_p.loan_id FROM contract_link cl_p WHERE cl_p.${raw(kind)} = ${parent} AND cl_p.status = 'LINKED')`;
  const linkedFrom = (kind: 'policy_id' | 'guarantee_id', idColumn: string, parent: Sql) =>
    sql`${raw(idColumn)} IN (SELECT cl_p.${raw(kind)} FROM contract_link cl_p WHERE cl_p.loan_id = ${parent} AND cl_p.status = 'LINKED')`;

  return {
    householdList: root<HouseholdRow>(HOUSEHOLDS),
    countyList: root<AreaRow>(COUNTIES),
    loanList: root<LoanRow>(LOANS),
    policyList: root<PolicyRow>(POLICIES),
    guaranteeList: root<GuaranteeRow>(GUARANTEES),
    enterpriseList: root<EnterpriseRow>(ENTERPRISES),
    institutionList: root<InstitutionRow>(INSTITUTIONS),
    findingList: root<FindingRow>(FINDINGS),
    alertList: root<AlertRow>(ALERTS),

    householdsByCountyCode: nested<HouseholdRow>(HOUSEHOLDS, 'text', (p) => sql`h.county_code = ${p}`),
    loansByCountyCode: nested<LoanRow>(LOANS, 'text', (p) => sql`l.county_code = ${p}`),
    policiesByCountyCode: nested<PolicyRow>(POLICIES, 'text', (p) => sql`ip.county_code = ${p}`),
    guaranteesByCountyCode: nested<GuaranteeRow>(GUARANTEES, 'text', (p) => sql`g.county_code = ${p}`),
    enterprisesByCountyCode: nested<EnterpriseRow>(ENTERPRISES, 'text', (p) => sql`e.county_code = ${p}`),
    servicePointsByCountyCode: nested<ServicePointRow>(SERVICE_POINTS, 'text', (p) => sql`sp.county_code = ${p}`),
    dockingEventsByCountyCode: nested<DockingEventRow>(DOCKING_EVENTS, 'text', (p) => sql`dk.county_code = ${p}`),
    findingsByCountyCode: nested<FindingRow>(FINDINGS, 'text', (p) => sql`f.county_code = ${p}`),
    alertsByCountyCode: nested<AlertRow>(ALERTS, 'text', (p) => sql`al.county_code = ${p}`),
    /** Events that hit the county, an area containing it, or an area inside it. */
    disasterEventsByCountyCode: nested<DisasterEventRow>(
      DISASTER_EVENTS,
      'text',
      (p) => sql`de.id IN (SELECT da_p.event_id FROM disaster_area da_p
                            WHERE ${p} LIKE da_p.area_code || '%' OR da_p.area_code LIKE ${p} || '%')`,
    ),

    loansByHouseholdId: nested<LoanRow>(LOANS, 'bigint', (p) => sql`l.household_id = ${p}`),
    /** As the policyholder or on a group policy's insured list. */
    policiesByHouseholdId: nested<PolicyRow>(
      POLICIES,
      'bigint',
      (p) => sql`ip.id IN (SELECT ip_h.id FROM insurance_policy ip_h WHERE ip_h.household_id = ${p}
                           UNION ALL SELECT pih_h.policy_id FROM policy_insured_household pih_h WHERE pih_h.household_id = ${p})`,
    ),
    guaranteesByHouseholdId: nested<GuaranteeRow>(GUARANTEES, 'bigint', (p) => sql`g.household_id = ${p}`),

    loansByEnterpriseId: nested<LoanRow>(LOANS, 'bigint', (p) => sql`l.enterprise_id = ${p}`),
    policiesByEnterpriseId: nested<PolicyRow>(POLICIES, 'bigint', (p) => sql`ip.enterprise_id = ${p}`),
    guaranteesByEnterpriseId: nested<GuaranteeRow>(GUARANTEES, 'bigint', (p) => sql`g.enterprise_id = ${p}`),
    dockingProjectsByEnterpriseId: nested<DockingProjectRow>(DOCKING_PROJECTS, 'bigint', (p) => sql`dp.enterprise_id = ${p}`),

    positionsByLoanId: nested<PositionRow>(POSITIONS, 'bigint', (p) => sql`p.loan_id = ${p}`),
    versionsByLoanId: nested<LoanVersionRow>(LOAN_VERSIONS, 'bigint', (p) => sql`rv.record_id = ${p}`),
    modificationsByLoanId: nested<ModificationRow>(MODIFICATIONS, 'bigint', (p) => sql`m.loan_id = ${p}`),
    repaymentsByLoanId: nested<RepaymentRow>(REPAYMENTS, 'bigint', (p) => sql`r.loan_id = ${p}`),
    guaranteesByLoanId: nested<GuaranteeRow>(GUARANTEES, 'bigint', (p) => linkedFrom('guarantee_id', 'g.id', p)),
    policiesByLoanId: nested<PolicyRow>(POLICIES, 'bigint', (p) => linkedFrom('policy_id', 'ip.id', p)),

    claimsByPolicyId: nested<ClaimRow>(CLAIMS, 'bigint', (p) => sql`c.policy_id = ${p}`),
    insuredHouseholdsByPolicyId: nested<InsuredHouseholdRow>(INSURED_HOUSEHOLDS, 'bigint', (p) => sql`pih.policy_id = ${p}`),
    loansByPolicyId: nested<LoanRow>(LOANS, 'bigint', (p) => linkedTo('policy_id', p)),

    compensationsByGuaranteeId: nested<CompensationRow>(COMPENSATIONS, 'bigint', (p) => sql`cp.guarantee_id = ${p}`),
    loansByGuaranteeId: nested<LoanRow>(LOANS, 'bigint', (p) => linkedTo('guarantee_id', p)),

    loansByInstitutionId: nested<LoanRow>(LOANS, 'bigint', (p) => sql`l.institution_id = ${p}`),
    policiesByInstitutionId: nested<PolicyRow>(POLICIES, 'bigint', (p) => sql`ip.institution_id = ${p}`),
    guaranteesByInstitutionId: nested<GuaranteeRow>(GUARANTEES, 'bigint', (p) => sql`g.institution_id = ${p}`),
    servicePointsByInstitutionId: nested<ServicePointRow>(SERVICE_POINTS, 'bigint', (p) => sql`sp.institution_id = ${p}`),

    areasByDisasterEventId: nested<DisasterAreaRow>(DISASTER_AREAS, 'bigint', (p) => sql`da.event_id = ${p}`),
    deferralsByDisasterEventId: nested<ModificationRow>(MODIFICATIONS, 'bigint', (p) => sql`m.disaster_event_id = ${p}`),
    claimsByDisasterEventId: nested<ClaimRow>(CLAIMS, 'bigint', (p) => sql`c.disaster_event_id = ${p}`),

    projectsByDockingEventId: nested<DockingProjectRow>(DOCKING_PROJECTS, 'bigint', (p) => sql`dp.event_id = ${p}`),
    loansByDockingProjectId: nested<LoanRow>(
      LOANS,
      'bigint',
      (p) => sql`l.id IN (SELECT dpl_p.loan_id FROM docking_project_loan dpl_p WHERE dpl_p.project_id = ${p})`,
    ),

    loansByRelendingFacilityId: nested<LoanRow>(LOANS, 'bigint', (p) => sql`l.relending_facility_id = ${p}`),
    loansByFundId: nested<LoanRow>(LOANS, 'bigint', (p) => sql`l.risk_compensation_fund_id = ${p}`),
  };
}
