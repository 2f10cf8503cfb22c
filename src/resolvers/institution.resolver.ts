import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, InstitutionRow } from '../loaders';
import {
  AreaType,
  checkInstitutionCode,
  GuaranteeContractConnection,
  GuaranteeContractConnectionArgs,
  InstitutionConnection,
  InstitutionConnectionArgs,
  InstitutionType,
  InsurancePolicyConnection,
  InsurancePolicyConnectionArgs,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  rootConnection,
  ServicePointConnection,
  ServicePointConnectionArgs,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => InstitutionType)
export class InstitutionResolver {
  @Query(() => InstitutionConnection, { description: 'Institutions (reference data, visible to every caller), by code unless ordered otherwise.' })
  institutions(@Args(() => InstitutionConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<InstitutionRow> {
    return rootConnection(ctx, ctx.loaders.institutionList, args);
  }

  @Query(() => InstitutionType, { nullable: true, description: 'An institution by its code.' })
  institution(@Arg('code') code: string, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionByCode.load(checkInstitutionCode(code));
  }

  @FieldResolver(() => AreaType)
  homeArea(@Root() institution: InstitutionRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(institution.homeAreaCode);
  }

  @FieldResolver(() => InstitutionType, { nullable: true, description: 'The head office of a branch.' })
  parent(@Root() institution: InstitutionRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return institution.parentId === null ? null : ctx.loaders.institutionById.load(institution.parentId);
  }

  @FieldResolver(() => LoanConnection, { description: 'The institution’s loans (as lender) that the caller may see.' })
  loans(@Root() institution: InstitutionRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByInstitutionId, institution.id, args);
  }

  @FieldResolver(() => InsurancePolicyConnection, { description: 'The institution’s policies (as insurer) that the caller may see.' })
  policies(@Root() institution: InstitutionRow, @Args(() => InsurancePolicyConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.policiesByInstitutionId, institution.id, args);
  }

  @FieldResolver(() => GuaranteeContractConnection, { description: 'The institution’s guarantee contracts (as guarantor) that the caller may see.' })
  guarantees(@Root() institution: InstitutionRow, @Args(() => GuaranteeContractConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.guaranteesByInstitutionId, institution.id, args);
  }

  @FieldResolver(() => ServicePointConnection, { description: 'The service points the institution runs that the caller may see.' })
  servicePoints(@Root() institution: InstitutionRow, @Args(() => ServicePointConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.servicePointsByInstitutionId, institution.id, args);
  }
}
