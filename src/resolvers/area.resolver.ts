import { Arg, Args, Ctx, Extensions, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { MAX_DESIGNATIONS, type AreaRow, type DesignationRow } from '../loaders';
import {
  AlertConnection,
  AlertConnectionArgs,
  AreaDesignationType,
  AreaType,
  checkAreaCode,
  checkCountyCode,
  checkFirst,
  CountyConnection,
  CountyConnectionArgs,
  CountyType,
  DateScalar,
  DisasterEventConnection,
  DisasterEventConnectionArgs,
  DockingEventConnection,
  DockingEventConnectionArgs,
  EnterpriseConnection,
  EnterpriseConnectionArgs,
  FindingConnection,
  FindingConnectionArgs,
  GuaranteeContractConnection,
  GuaranteeContractConnectionArgs,
  HouseholdConnection,
  HouseholdConnectionArgs,
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

const DEFAULT_CHILDREN = 100;
const MAX_CHILDREN = 1000;

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

  @FieldResolver(() => [AreaDesignationType], {
    description: `Designations valid on asOf; every designation, past and present, without it (oldest first, at most ${MAX_DESIGNATIONS}).`,
  })
  @Extensions({ maxItems: MAX_DESIGNATIONS })
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

  @FieldResolver(() => [AreaDesignationType], {
    description: `Designations valid on asOf; every designation, past and present, without it (oldest first, at most ${MAX_DESIGNATIONS}).`,
  })
  @Extensions({ maxItems: MAX_DESIGNATIONS })
  designations(
    @Root() county: AreaRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<DesignationRow[]> {
    return ctx.loaders.designationsByAreaCodeAsOf.load({ code: county.code, asOf: asOf ?? null });
  }

  @Query(() => CountyConnection, { description: 'County-level areas (reference data, visible to every caller), by code unless ordered otherwise.' })
  counties(@Args(() => CountyConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<AreaRow> {
    return rootConnection(ctx, ctx.loaders.countyList, args);
  }

  @FieldResolver(() => HouseholdConnection, { description: 'Households living in the county now that the caller may see, by ref unless ordered otherwise.' })
  households(@Root() county: AreaRow, @Args(() => HouseholdConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.householdsByCountyCode, county.code, args);
  }

  @FieldResolver(() => LoanConnection, { description: 'Loans made in the county that the caller may see.' })
  loans(@Root() county: AreaRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByCountyCode, county.code, args);
  }

  @FieldResolver(() => InsurancePolicyConnection, { description: 'Insurance policies made in the county that the caller may see.' })
  policies(@Root() county: AreaRow, @Args(() => InsurancePolicyConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.policiesByCountyCode, county.code, args);
  }

  @FieldResolver(() => GuaranteeContractConnection, { description: 'Guarantee contracts made in the county that the caller may see.' })
  guarantees(@Root() county: AreaRow, @Args(() => GuaranteeContractConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.guaranteesByCountyCode, county.code, args);
  }

  @FieldResolver(() => EnterpriseConnection, { description: 'Enterprises registered in the county that the caller may see.' })
  enterprises(@Root() county: AreaRow, @Args(() => EnterpriseConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.enterprisesByCountyCode, county.code, args);
  }

  @FieldResolver(() => ServicePointConnection, { description: 'Financial service points in the county’s villages that the caller may see.' })
  servicePoints(@Root() county: AreaRow, @Args(() => ServicePointConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.servicePointsByCountyCode, county.code, args);
  }

  @FieldResolver(() => DockingEventConnection, { description: 'Financing docking events held in the county that the caller may see.' })
  dockingEvents(@Root() county: AreaRow, @Args(() => DockingEventConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.dockingEventsByCountyCode, county.code, args);
  }

  @FieldResolver(() => DisasterEventConnection, { description: 'Disaster events declared over the county, an area containing it or an area inside it.' })
  disasterEvents(@Root() county: AreaRow, @Args(() => DisasterEventConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.disasterEventsByCountyCode, county.code, args);
  }

  @FieldResolver(() => FindingConnection, { description: 'Findings about the county that the caller may see.' })
  findings(@Root() county: AreaRow, @Args(() => FindingConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.findingsByCountyCode, county.code, args);
  }

  @FieldResolver(() => AlertConnection, { description: 'Alerts about the county that the caller may see, newest first unless ordered otherwise.' })
  alerts(@Root() county: AreaRow, @Args(() => AlertConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.alertsByCountyCode, county.code, args);
  }
}
