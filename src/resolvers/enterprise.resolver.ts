import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, EnterpriseRow, ProvenanceColumns } from '../loaders';
import { AreaType, CountyType, EnterpriseType, ProvenanceType, type Context } from '../schema';

@Resolver(() => EnterpriseType)
export class EnterpriseResolver {
  @FieldResolver(() => CountyType)
  county(@Root() enterprise: EnterpriseRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(enterprise.countyCode);
  }

  @FieldResolver(() => AreaType, { nullable: true })
  village(@Root() enterprise: EnterpriseRow, @Ctx() ctx: Context): Promise<AreaRow | null> | null {
    return enterprise.villageCode === null ? null : ctx.loaders.areaByCode.load(enterprise.villageCode);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() enterprise: EnterpriseRow): ProvenanceColumns {
    return enterprise;
  }
}
