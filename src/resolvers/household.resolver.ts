import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, GuaranteeRow, HouseholdRow, LoanRow, PolicyRow, ProvenanceColumns, StatusChangeRow } from '../loaders';
import { revealHouseholdPii } from '../services/access';
import {
  AreaType,
  checkHouseholdRef,
  CountyType,
  DateScalar,
  GuaranteeContractType,
  HouseholdStatus,
  HouseholdStatusChangeType,
  HouseholdType,
  InsurancePolicyType,
  LoanType,
  notePiiRead,
  ProvenanceType,
  type Context,
} from '../schema';

@Resolver(() => HouseholdType)
export class HouseholdResolver {
  @Query(() => HouseholdType, { nullable: true, description: 'A household by its hub reference; null when unknown or not visible.' })
  household(@Arg('ref') ref: string, @Ctx() ctx: Context): Promise<HouseholdRow | null> {
    return ctx.loaders.householdByRef.load(checkHouseholdRef(ref));
  }

  @FieldResolver(() => AreaType, { description: 'The village the household lives in now.' })
  village(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(household.villageCode);
  }

  @FieldResolver(() => CountyType, { description: 'The county the household lives in now.' })
  county(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(household.countyCode);
  }

  @FieldResolver(() => HouseholdStatus, {
    nullable: true,
    description: 'The registry status on asOf (latest change on or before it), the current one without asOf; null before the first.',
  })
  async status(
    @Root() household: HouseholdRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<HouseholdStatus | null> {
    if (asOf === undefined || asOf === null) return household.status;
    const change = await ctx.loaders.statusByHouseholdIdAsOf.load({ householdId: household.id, asOf });
    return change?.status ?? null;
  }

  @FieldResolver(() => [HouseholdStatusChangeType], { description: 'Every status change, oldest first.' })
  statusHistory(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<StatusChangeRow[]> {
    return ctx.loaders.statusHistoryByHouseholdId.load(household.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The head’s name: full, masked (张*) or null, by the caller’s PII level.' })
  headName(@Root() household: HouseholdRow, @Ctx() ctx: Context): string | null {
    const value = revealHouseholdPii(ctx.principal, ctx.services.piiKeyring, household, 'NAME');
    if (value !== null) notePiiRead(ctx, household.id, 'headName');
    return value;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The head’s phone: full, masked (138****5678) or null, by the caller’s PII level.' })
  headPhone(@Root() household: HouseholdRow, @Ctx() ctx: Context): string | null {
    const value = revealHouseholdPii(ctx.principal, ctx.services.piiKeyring, household, 'PHONE');
    if (value !== null) notePiiRead(ctx, household.id, 'headPhone');
    return value;
  }

  @FieldResolver(() => [LoanType], { description: 'The household’s loans the caller may see, oldest first.' })
  loans(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<LoanRow[]> {
    return ctx.loaders.loansByHouseholdId.load(household.id);
  }

  @FieldResolver(() => [InsurancePolicyType], { description: 'Policies held by or listing the household that the caller may see.' })
  policies(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<PolicyRow[]> {
    return ctx.loaders.policiesByHouseholdId.load(household.id);
  }

  @FieldResolver(() => [GuaranteeContractType], { description: 'Guarantees for the household’s borrowing that the caller may see.' })
  guarantees(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<GuaranteeRow[]> {
    return ctx.loaders.guaranteesByHouseholdId.load(household.id);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() household: HouseholdRow): ProvenanceColumns {
    return household;
  }
}

@Resolver(() => HouseholdStatusChangeType)
export class HouseholdStatusChangeResolver {
  @FieldResolver(() => HouseholdType, { nullable: true })
  household(@Root() change: StatusChangeRow, @Ctx() ctx: Context): Promise<HouseholdRow | null> {
    return ctx.loaders.householdById.load(change.householdId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() change: StatusChangeRow): ProvenanceColumns {
    return change;
  }
}
