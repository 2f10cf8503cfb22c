import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, ClaimRow, HouseholdRow, InstitutionRow, PolicyRow, ProvenanceColumns } from '../loaders';
import { ClaimType, CountyType, HouseholdType, InstitutionType, InsurancePolicyType, PartyUnion, ProvenanceType, type Context } from '../schema';
import { loadParty } from './party';

@Resolver(() => InsurancePolicyType)
export class InsurancePolicyResolver {
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

  @FieldResolver(() => [ClaimType], { description: 'Claims on the policy, by loss date.' })
  claims(@Root() policy: PolicyRow, @Ctx() ctx: Context): Promise<ClaimRow[]> {
    return ctx.loaders.claimsByPolicyId.load(policy.id);
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

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() claim: ClaimRow): ProvenanceColumns {
    return claim;
  }
}
