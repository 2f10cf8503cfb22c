import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, ClaimRow, DisasterEventRow, HouseholdRow, InstitutionRow, PolicyRow, ProvenanceColumns } from '../loaders';
import {
  ClaimConnection,
  ClaimConnectionArgs,
  ClaimType,
  CountyType,
  DisasterEventType,
  HouseholdType,
  InstitutionType,
  InsurancePolicyConnection,
  InsurancePolicyConnectionArgs,
  InsurancePolicyType,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  PartyUnion,
  PolicyInsuredHouseholdConnection,
  PolicyInsuredHouseholdConnectionArgs,
  ProvenanceType,
  rootConnection,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';
import { loadParty } from './party';

@Resolver(() => InsurancePolicyType)
export class InsurancePolicyResolver {
  @Query(() => InsurancePolicyConnection, {
    description: 'Insurance policies the caller may see (an insurer its own; a bank those LINKED to its loans; area roles those of their area), by start date unless ordered otherwise.',
  })
  insurancePolicies(@Args(() => InsurancePolicyConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<PolicyRow> {
    return rootConnection(ctx, ctx.loaders.policyList, args);
  }

  @FieldResolver(() => InstitutionType, { description: 'The insurer.' })
  institution(@Root() policy: PolicyRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(policy.institutionId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() policy: PolicyRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(policy.countyCode);
  }

  @FieldResolver(() => PartyUnion, { nullable: true, description: 'The policyholder; null for group policies or when not visible.' })
  holder(@Root() policy: PolicyRow, @Ctx() ctx: Context): Promise<object | null> {
    return loadParty(ctx, policy.householdId, policy.enterpriseId);
  }

  @FieldResolver(() => ClaimConnection, { description: 'Claims on the policy, by loss date unless ordered otherwise.' })
  claims(@Root() policy: PolicyRow, @Args(() => ClaimConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.claimsByPolicyId, policy.id, args);
  }

  @FieldResolver(() => PolicyInsuredHouseholdConnection, {
    description: 'A group policy’s insured list: the households on it that the caller may see, in the order the insurer listed them.',
  })
  insuredHouseholds(@Root() policy: PolicyRow, @Args(() => PolicyInsuredHouseholdConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.insuredHouseholdsByPolicyId, policy.id, args);
  }

  @FieldResolver(() => LoanConnection, { description: 'The loans the policy is LINKED to (credit-linked cover) that the caller may see.' })
  loans(@Root() policy: PolicyRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByPolicyId, policy.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() policy: PolicyRow): ProvenanceColumns {
    return policy;
  }
}

@Resolver(() => ClaimType)
export class ClaimResolver {
  @FieldResolver(() => InsurancePolicyType, { nullable: true })
  policy(@Root() claim: ClaimRow, @Ctx() ctx: Context): Promise<PolicyRow | null> {
    return ctx.loaders.policyById.load(claim.policyId);
  }

  @FieldResolver(() => InstitutionType)
  institution(@Root() claim: ClaimRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(claim.institutionId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() claim: ClaimRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(claim.countyCode);
  }

  @FieldResolver(() => HouseholdType, { nullable: true, description: 'For a group policy, the insured household the claim pays.' })
  household(@Root() claim: ClaimRow, @Ctx() ctx: Context): Promise<HouseholdRow | null> | null {
    return claim.householdId === null ? null : ctx.loaders.householdById.load(claim.householdId);
  }

  @FieldResolver(() => DisasterEventType, { nullable: true, description: 'The disaster event the claim cites.' })
  disasterEvent(@Root() claim: ClaimRow, @Ctx() ctx: Context): Promise<DisasterEventRow | null> | null {
    return claim.disasterEventId === null ? null : ctx.loaders.disasterEventById.load(claim.disasterEventId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() claim: ClaimRow): ProvenanceColumns {
    return claim;
  }
}
