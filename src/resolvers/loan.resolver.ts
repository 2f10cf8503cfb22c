import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, FundRow, InstitutionRow, LoanRow, PositionRow, ProvenanceColumns, RelendingFacilityRow } from '../loaders';
import { combinedModelOf, inForceOn } from '../services/packages';
import {
  CombinedModel,
  CountyType,
  DateScalar,
  GuaranteeContractConnection,
  GuaranteeContractConnectionArgs,
  InstitutionType,
  InsurancePolicyConnection,
  InsurancePolicyConnectionArgs,
  LoanConnection,
  LoanConnectionArgs,
  LoanModificationConnection,
  LoanModificationConnectionArgs,
  LoanPositionConnection,
  LoanPositionConnectionArgs,
  LoanPositionType,
  LoanType,
  LoanVersionConnection,
  LoanVersionConnectionArgs,
  nestedConnection,
  PartyUnion,
  ProvenanceType,
  RelendingFacilityType,
  RepaymentConnection,
  RepaymentConnectionArgs,
  RiskCompensationFundType,
  rootConnection,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';
import { loadParty } from './party';

@Resolver(() => LoanType)
export class LoanResolver {
  @Query(() => LoanConnection, {
    description: 'Loans the caller may see (a bank its own; an insurer or guarantor those its contracts cover; area roles those of their area), by disbursement date unless ordered otherwise.',
  })
  loans(@Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<LoanRow> {
    return rootConnection(ctx, ctx.loaders.loanList, args);
  }

  @FieldResolver(() => InstitutionType, { description: 'The lending bank.' })
  institution(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(loan.institutionId);
  }

  @FieldResolver(() => CountyType, { description: 'The county the contract was made in.' })
  county(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(loan.countyCode);
  }

  @FieldResolver(() => PartyUnion, { nullable: true, description: 'The borrowing household or enterprise, when the caller may see it.' })
  borrower(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<object | null> {
    return loadParty(ctx, loan.householdId, loan.enterpriseId);
  }

  @FieldResolver(() => LoanPositionType, {
    nullable: true,
    description: 'The position at the latest month end on or before asOf; the latest reported without it.',
  })
  position(
    @Root() loan: LoanRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<PositionRow | null> {
    return ctx.loaders.positionByLoanIdAsOf.load({ loanId: loan.id, asOf: asOf ?? null });
  }

  @FieldResolver(() => LoanPositionConnection, {
    description: 'The month-end positions, oldest first unless ordered otherwise: the latest version of each month, or every version with allVersions.',
  })
  positions(
    @Root() loan: LoanRow,
    @Args(() => LoanPositionConnectionArgs) args: ListArgs,
    @Arg('allVersions', () => Boolean, { defaultValue: false, description: 'Include superseded versions of re-reported months.' }) allVersions: boolean,
    @Ctx() ctx: Context,
  ) {
    return nestedConnection(ctx, ctx.loaders.positionsByLoanId, loan.id, args, { allVersions });
  }

  @FieldResolver(() => LoanVersionConnection, { description: 'Every version of the terms as submitted, the first included.' })
  versions(@Root() loan: LoanRow, @Args(() => LoanVersionConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.versionsByLoanId, loan.id, args);
  }

  @FieldResolver(() => LoanModificationConnection, { description: 'Extensions, renewals and deferrals, by effective date.' })
  modifications(@Root() loan: LoanRow, @Args(() => LoanModificationConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.modificationsByLoanId, loan.id, args);
  }

  @FieldResolver(() => RepaymentConnection, { description: 'Repayments, by date.' })
  repayments(@Root() loan: LoanRow, @Args(() => RepaymentConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.repaymentsByLoanId, loan.id, args);
  }

  @FieldResolver(() => GuaranteeContractConnection, { description: 'Guarantee contracts LINKED to the loan that the caller may see.' })
  guarantees(@Root() loan: LoanRow, @Args(() => GuaranteeContractConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.guaranteesByLoanId, loan.id, args);
  }

  @FieldResolver(() => InsurancePolicyConnection, { description: 'Insurance policies LINKED to the loan that the caller may see.' })
  linkedPolicies(@Root() loan: LoanRow, @Args(() => InsurancePolicyConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.policiesByLoanId, loan.id, args);
  }

  @FieldResolver(() => RelendingFacilityType, { nullable: true, description: 'The re-lending facility funding the loan, when the caller may see it.' })
  relendingFacility(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<RelendingFacilityRow | null> | null {
    return loan.relendingFacilityId !== null ? ctx.loaders.relendingFacilityById.load(loan.relendingFacilityId) : null;
  }

  @FieldResolver(() => RiskCompensationFundType, { nullable: true, description: 'The risk compensation fund backing the loan, when the caller may see it.' })
  riskCompensationFund(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<FundRow | null> | null {
    return loan.riskCompensationFundId !== null ? ctx.loaders.fundById.load(loan.riskCompensationFundId) : null;
  }

  @FieldResolver(() => CombinedModel, {
    description:
      'The bank–insurance–guarantee model, derived from the contracts LINKED to the loan; with asOf, from those in force on that date.',
  })
  async combinedModel(
    @Root() loan: LoanRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<CombinedModel> {
    const links = await ctx.loaders.linksByLoanId.load(loan.id);
    return combinedModelOf(asOf === null || asOf === undefined ? links : links.filter((link) => inForceOn(link, asOf)));
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() loan: LoanRow): ProvenanceColumns {
    return loan;
  }
}

@Resolver(() => LoanPositionType)
export class LoanPositionResolver {
  @FieldResolver(() => LoanType, { nullable: true })
  loan(@Root() position: PositionRow, @Ctx() ctx: Context): Promise<LoanRow | null> {
    return ctx.loaders.loanById.load(position.loanId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() position: PositionRow): ProvenanceColumns {
    return position;
  }
}
