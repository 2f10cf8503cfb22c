import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, CompensationRow, GuaranteeRow, HouseholdRow, InstitutionRow, InsuredHouseholdRow, PolicyRow, ProvenanceColumns } from '../loaders';
import {
  CompensationType,
  CountyType,
  GuaranteeContractType,
  HouseholdType,
  InstitutionType,
  InsurancePolicyType,
  PolicyInsuredHouseholdType,
  ProvenanceType,
  type Context,
} from '../schema';

@Resolver(() => PolicyInsuredHouseholdType)
export class PolicyInsuredHouseholdResolver {
  @FieldResolver(() => InsurancePolicyType, { nullable: true })
  policy(@Root() insured: InsuredHouseholdRow, @Ctx() ctx: Context): Promise<PolicyRow | null> {
    return ctx.loaders.policyById.load(insured.policyId);
  }

  @FieldResolver(() => HouseholdType, { nullable: true })
  household(@Root() insured: InsuredHouseholdRow, @Ctx() ctx: Context): Promise<HouseholdRow | null> {
    return ctx.loaders.householdById.load(insured.householdId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() insured: InsuredHouseholdRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(insured.countyCode);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() insured: InsuredHouseholdRow): ProvenanceColumns {
    return insured;
  }
}

@Resolver(() => CompensationType)
export class CompensationResolver {
  @FieldResolver(() => GuaranteeContractType, { nullable: true })
  guarantee(@Root() compensation: CompensationRow, @Ctx() ctx: Context): Promise<GuaranteeRow | null> {
    return ctx.loaders.guaranteeById.load(compensation.guaranteeId);
  }

  @FieldResolver(() => InstitutionType, { description: 'The guarantor.' })
  institution(@Root() compensation: CompensationRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(compensation.institutionId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() compensation: CompensationRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(compensation.countyCode);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() compensation: CompensationRow): ProvenanceColumns {
    return compensation;
  }
}
