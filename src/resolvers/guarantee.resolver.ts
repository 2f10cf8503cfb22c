import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, GuaranteeRow, InstitutionRow, ProvenanceColumns } from '../loaders';
import {
  CompensationConnection,
  CompensationConnectionArgs,
  CountyType,
  GuaranteeContractConnection,
  GuaranteeContractConnectionArgs,
  GuaranteeContractType,
  InstitutionType,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  PartyUnion,
  ProvenanceType,
  rootConnection,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';
import { loadParty } from './party';

@Resolver(() => GuaranteeContractType)
export class GuaranteeContractResolver {
  @Query(() => GuaranteeContractConnection, {
    description: 'Guarantee contracts the caller may see (a guarantor its own; a bank those LINKED to its loans; area roles those of their area), by start date unless ordered otherwise.',
  })
  guaranteeContracts(@Args(() => GuaranteeContractConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<GuaranteeRow> {
    return rootConnection(ctx, ctx.loaders.guaranteeList, args);
  }

  @FieldResolver(() => InstitutionType, { description: 'The guarantor.' })
  institution(@Root() guarantee: GuaranteeRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(guarantee.institutionId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() guarantee: GuaranteeRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(guarantee.countyCode);
  }

  @FieldResolver(() => PartyUnion, { nullable: true, description: 'The guaranteed borrower, when the caller may see it.' })
  borrower(@Root() guarantee: GuaranteeRow, @Ctx() ctx: Context): Promise<object | null> {
    return loadParty(ctx, guarantee.householdId, guarantee.enterpriseId);
  }

  @FieldResolver(() => CompensationConnection, { description: 'The guarantor’s compensations on the contract, by date.' })
  compensations(@Root() guarantee: GuaranteeRow, @Args(() => CompensationConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.compensationsByGuaranteeId, guarantee.id, args);
  }

  @FieldResolver(() => LoanConnection, { description: 'The loans the guarantee is LINKED to that the caller may see.' })
  loans(@Root() guarantee: GuaranteeRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByGuaranteeId, guarantee.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() guarantee: GuaranteeRow): ProvenanceColumns {
    return guarantee;
  }
}
