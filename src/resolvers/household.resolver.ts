import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { MAX_STATUS_HISTORY, type AreaRow, type HouseholdRow, type ProvenanceColumns, type StatusChangeRow } from '../loaders';
import { revealHouseholdPii } from '../services/access';
import {
  AreaType,
  checkHouseholdRef,
  CombinedModel,
  CountyType,
  DateScalar,
  GuaranteeContractConnection,
  GuaranteeContractConnectionArgs,
  HouseholdConnection,
  HouseholdConnectionArgs,
  HouseholdStatus,
  HouseholdStatusChangeType,
  HouseholdType,
  InsurancePolicyConnection,
  InsurancePolicyConnectionArgs,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  notePiiRead,
  ProvenanceType,
  rootConnection,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => HouseholdType)
export class HouseholdResolver {
  @Query(() => HouseholdConnection, { description: 'Households the caller may see, by ref unless ordered otherwise.' })
  households(@Args(() => HouseholdConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<HouseholdRow> {
    return rootConnection(ctx, ctx.loaders.householdList, args);
  }

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

  @FieldResolver(() => [HouseholdStatusChangeType], { description: `Every status change, oldest first (at most ${MAX_STATUS_HISTORY}).` })
  @Extensions({ maxItems: MAX_STATUS_HISTORY })
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

  @FieldResolver(() => LoanConnection, { description: 'The household’s loans the caller may see, by disbursement date unless ordered otherwise.' })
  loans(@Root() household: HouseholdRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByHouseholdId, household.id, args);
  }

  @FieldResolver(() => InsurancePolicyConnection, { description: 'Policies held by or listing the household that the caller may see.' })
  policies(@Root() household: HouseholdRow, @Args(() => InsurancePolicyConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.policiesByHouseholdId, household.id, args);
  }

  @FieldResolver(() => GuaranteeContractConnection, { description: 'Guarantees for the household’s borrowing that the caller may see.' })
  guarantees(@Root() household: HouseholdRow, @Args(() => GuaranteeContractConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.guaranteesByHouseholdId, household.id, args);
  }

  @FieldResolver(() => [CombinedModel], {
    description:
      'The combined models of the household’s loans the caller may see (by name): of its loans outstanding on asOf and the contracts in force then, or of all its loans and LINKED contracts without asOf.',
  })
  @Extensions({ maxItems: 4 })
  combinedModels(
    @Root() household: HouseholdRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<CombinedModel[]> {
    return ctx.loaders.combinedModelsByHouseholdIdAsOf.load({ householdId: household.id, asOf: asOf ?? null });
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
