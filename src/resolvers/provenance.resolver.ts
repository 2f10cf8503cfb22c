import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { InstitutionRow, ProvenanceColumns } from '../loaders';
import { InstitutionType, ProvenanceType, type Context } from '../schema';

@Resolver(() => ProvenanceType)
export class ProvenanceResolver {
  @FieldResolver(() => InstitutionType, { description: 'The institution that reported the value.' })
  sourceInstitution(@Root() row: ProvenanceColumns, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(row.sourceInstitutionId);
  }

  @FieldResolver(() => String, { description: 'The reporting institution’s batch id.' })
  async batchId(@Root() row: ProvenanceColumns, @Ctx() ctx: Context): Promise<string | null> {
    return (await ctx.loaders.batchById.load(row.batchRowId))?.externalId ?? null;
  }
}
