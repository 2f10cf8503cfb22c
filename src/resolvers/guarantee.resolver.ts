import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, GuaranteeRow, InstitutionRow, ProvenanceColumns } from '../loaders';
import { CountyType, GuaranteeContractType, InstitutionType, PartyUnion, ProvenanceType, type Context } from '../schema';
import { loadParty } from './party';

@Resolver(() => GuaranteeContractType)
export class GuaranteeContractResolver {
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

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() guarantee: GuaranteeRow): ProvenanceColumns {
    return guarantee;
  }
}
