import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, DesignationRow, HouseholdRow } from '../loaders';
import {
  AreaDesignationType,
  AreaType,
  checkAreaCode,
  checkCountyCode,
  checkFirst,
  CountyType,
  DateScalar,
  HouseholdType,
  type Context,
} from '../schema';

const DEFAULT_CHILDREN = 100;
const MAX_CHILDREN = 1000;
const DEFAULT_COUNTY_HOUSEHOLDS = 20;
const MAX_COUNTY_HOUSEHOLDS = 100;

@Resolver(() => AreaType)
export class AreaResolver {
  @Query(() => AreaType, { nullable: true, description: 'A division by its 2, 4, 6, 9 or 12-digit code.' })
  area(@Arg('code') code: string, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(checkAreaCode(code));
  }

  @FieldResolver(() => AreaType, { nullable: true })
  parent(@Root() area: AreaRow, @Ctx() ctx: Context): Promise<AreaRow | null> | null {
    return area.parentCode === null ? null : ctx.loaders.areaByCode.load(area.parentCode);
  }

  @FieldResolver(() => [AreaType], { description: `The divisions directly below, by code; at most ${MAX_CHILDREN}.` })
  children(
    @Root() area: AreaRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_CHILDREN }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<AreaRow[]> {
    return ctx.loaders.childrenByAreaCode.load({ code: area.code, first: checkFirst(first ?? DEFAULT_CHILDREN, MAX_CHILDREN) });
  }

  @FieldResolver(() => CountyType, { nullable: true, description: 'The county this area is or lies in (null above county level).' })
  county(@Root() area: AreaRow, @Ctx() ctx: Context): Promise<AreaRow | null> | null {
    return area.code.length < 6 ? null : ctx.loaders.areaByCode.load(area.code.slice(0, 6));
  }

  @FieldResolver(() => [AreaDesignationType], { description: 'Designations valid on asOf; every designation, past and present, without it.' })
  designations(
    @Root() area: AreaRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<DesignationRow[]> {
    return ctx.loaders.designationsByAreaCodeAsOf.load({ code: area.code, asOf: asOf ?? null });
  }
}

@Resolver(() => CountyType)
export class CountyResolver {
  @Query(() => CountyType, { nullable: true, description: 'A county-level area by its 6-digit code.' })
  async county(@Arg('code') code: string, @Ctx() ctx: Context): Promise<AreaRow | null> {
    const area = await ctx.loaders.areaByCode.load(checkCountyCode(code));
    return area?.level === 'COUNTY' ? area : null;
  }

  @FieldResolver(() => AreaType, { description: 'The county as an area (parent, children …).' })
  area(@Root() county: AreaRow): AreaRow {
    return county;
  }

  @FieldResolver(() => AreaType, { nullable: true })
  prefecture(@Root() county: AreaRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(county.code.slice(0, 4));
  }

  @FieldResolver(() => AreaType, { nullable: true })
  province(@Root() county: AreaRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(county.code.slice(0, 2));
  }

  @FieldResolver(() => [AreaDesignationType], { description: 'Designations valid on asOf; every designation, past and present, without it.' })
  designations(
    @Root() county: AreaRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<DesignationRow[]> {
    return ctx.loaders.designationsByAreaCodeAsOf.load({ code: county.code, asOf: asOf ?? null });
  }

  @FieldResolver(() => [HouseholdType], {
    description: `The first households living in the county that the caller may see, by ref; at most ${MAX_COUNTY_HOUSEHOLDS}.`,
  })
  households(
    @Root() county: AreaRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_COUNTY_HOUSEHOLDS }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<HouseholdRow[]> {
    return ctx.loaders.householdsByCountyCode.load({
      countyCode: county.code,
      first: checkFirst(first ?? DEFAULT_COUNTY_HOUSEHOLDS, MAX_COUNTY_HOUSEHOLDS),
    });
  }
}
