import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, GuaranteeRow, InstitutionRow, LoanRow, PolicyRow, PositionRow, ProvenanceColumns } from '../loaders';
import { combinedModelOf } from '../services/packages';
import {
  CombinedModel,
  CountyType,
  DateScalar,
  GuaranteeContractType,
  InstitutionType,
  InsurancePolicyType,
  LoanPositionType,
  LoanType,
  PartyUnion,
  ProvenanceType,
  type Context,
} from '../schema';
import { loadParty } from './party';

@Resolver(() => LoanType)
export class LoanResolver {
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

  @FieldResolver(() => [GuaranteeContractType], { description: 'Guarantee contracts linked to the loan that the caller may see.' })
  guarantees(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<GuaranteeRow[]> {
    return ctx.loaders.guaranteesByLoanId.load(loan.id);
  }

  @FieldResolver(() => [InsurancePolicyType], { description: 'Insurance policies linked to the loan that the caller may see.' })
  linkedPolicies(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<PolicyRow[]> {
    return ctx.loaders.policiesByLoanId.load(loan.id);
  }

  @FieldResolver(() => CombinedModel, { description: 'The bank–insurance–guarantee model, derived from the contracts linked to the loan.' })
  async combinedModel(@Root() loan: LoanRow, @Ctx() ctx: Context): Promise<CombinedModel> {
    return combinedModelOf(await ctx.loaders.linksByLoanId.load(loan.id));
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
