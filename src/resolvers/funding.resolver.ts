import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, FundRow, InstitutionRow, ProvenanceColumns, RelendingFacilityRow } from '../loaders';
import {
  CountyType,
  InstitutionType,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  ProvenanceType,
  RelendingFacilityType,
  RiskCompensationFundType,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => RelendingFacilityType)
export class RelendingFacilityResolver {
  @FieldResolver(() => InstitutionType, { description: 'The central-bank branch that lends.' })
  lender(@Root() facility: RelendingFacilityRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(facility.lenderId);
  }

  @FieldResolver(() => InstitutionType, { description: 'The local bank that borrows.' })
  borrower(@Root() facility: RelendingFacilityRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(facility.borrowerId);
  }

  @FieldResolver(() => CountyType, { description: 'The borrowing bank’s county.' })
  county(@Root() facility: RelendingFacilityRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(facility.countyCode);
  }

  @FieldResolver(() => LoanConnection, { description: 'The loans it funds that the caller may see.' })
  loans(@Root() facility: RelendingFacilityRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByRelendingFacilityId, facility.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() facility: RelendingFacilityRow): ProvenanceColumns {
    return facility;
  }
}

@Resolver(() => RiskCompensationFundType)
export class RiskCompensationFundResolver {
  @FieldResolver(() => InstitutionType, { description: 'The county government that set it up.' })
  government(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(fund.governmentId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(fund.countyCode);
  }

  @FieldResolver(() => LoanConnection, { description: 'The loans it backs that the caller may see.' })
  loans(@Root() fund: FundRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByFundId, fund.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() fund: FundRow): ProvenanceColumns {
    return fund;
  }
}
