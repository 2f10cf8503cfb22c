import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Loaders } from '../loaders';
import { fromGlobalId, NodeInterface, toGlobalId, typed, type Context, type NodeTypeName } from '../schema';

/** The row field holding each Node type's key (the `<key>` of its global id); `id` otherwise. */
const KEY_FIELD: Partial<Record<NodeTypeName, string>> = {
  Area: 'code',
  County: 'code',
  Institution: 'code',
  Household: 'ref',
  Enterprise: 'creditCode',
};

/** How `node(id)` finds each type by its key: the same scoped loaders as every other path. */
const FIND: Record<NodeTypeName, (loaders: Loaders, key: string) => Promise<object | null>> = {
  Area: (l, key) => l.areaByCode.load(key),
  County: async (l, key) => {
    const area = await l.areaByCode.load(key);
    return area?.level === 'COUNTY' ? area : null;
  },
  AreaDesignation: (l, key) => l.designationById.load(key),
  Institution: (l, key) => l.institutionByCode.load(key),
  Household: (l, key) => l.householdByRef.load(key),
  HouseholdStatusChange: (l, key) => l.statusChangeById.load(key),
  Enterprise: (l, key) => l.enterpriseByCreditCode.load(key),
  Loan: (l, key) => l.loanById.load(key),
  LoanPosition: (l, key) => l.positionById.load(key),
  InsurancePolicy: (l, key) => l.policyById.load(key),
  Claim: (l, key) => l.claimById.load(key),
  GuaranteeContract: (l, key) => l.guaranteeById.load(key),
  ServicePoint: (l, key) => l.servicePointById.load(key),
  RelendingFacility: (l, key) => l.relendingFacilityById.load(key),
  RiskCompensationFund: (l, key) => l.fundById.load(key),
  LoanModification: (l, key) => l.modificationById.load(key),
  Repayment: (l, key) => l.repaymentById.load(key),
  LoanVersion: (l, key) => l.loanVersionById.load(key),
  PolicyInsuredHousehold: (l, key) => l.insuredHouseholdById.load(key),
  Compensation: (l, key) => l.compensationById.load(key),
  DisasterEvent: (l, key) => l.disasterEventById.load(key),
  DisasterArea: (l, key) => l.disasterAreaById.load(key),
  DockingEvent: (l, key) => l.dockingEventById.load(key),
  DockingProject: (l, key) => l.dockingProjectById.load(key),
  Finding: (l, key) => l.findingById.load(key),
  RectificationStep: (l, key) => l.stepById.load(key),
  Alert: (l, key) => l.alertById.load(key),
  Consent: (l, key) => l.consentById.load(key),
  PolicyParameter: (l, key) => l.policyParameterById.load(key),
  AuditLogEntry: (l, key) => l.auditEntryById.load(key),
};

@Resolver(() => NodeInterface)
export class NodeResolver {
  /** The global id of every Node type, from the concrete type's name and its key. */
  @FieldResolver(() => ID)
  id(@Root() row: Record<string, unknown>, @Info() info: GraphQLResolveInfo): string {
    const type = info.parentType.name as NodeTypeName;
    return toGlobalId(type, String(row[KEY_FIELD[type] ?? 'id']));
  }

  @Query(() => NodeInterface, { nullable: true, description: 'Any object by its global id; null when it does not exist or is not visible.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    const { type, key } = fromGlobalId(id);
    const row = await FIND[type](ctx.loaders, key);
    return row === null ? null : typed(type, row);
  }
}
