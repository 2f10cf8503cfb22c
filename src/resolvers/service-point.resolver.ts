import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, InstitutionRow, ProvenanceColumns, ServicePointRow } from '../loaders';
import { AreaType, CountyType, InstitutionType, ProvenanceType, ServicePointType, type Context } from '../schema';

@Resolver(() => ServicePointType)
export class ServicePointResolver {
  @FieldResolver(() => InstitutionType, { description: 'The institution that runs it.' })
  institution(@Root() point: ServicePointRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(point.institutionId);
  }

  @FieldResolver(() => AreaType)
  village(@Root() point: ServicePointRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(point.villageCode);
  }

  @FieldResolver(() => CountyType)
  county(@Root() point: ServicePointRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(point.countyCode);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() point: ServicePointRow): ProvenanceColumns {
    return point;
  }
}
