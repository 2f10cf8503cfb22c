import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, InstitutionRow } from '../loaders';
import { AreaType, checkInstitutionCode, InstitutionType, type Context } from '../schema';

@Resolver(() => InstitutionType)
export class InstitutionResolver {
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
}
