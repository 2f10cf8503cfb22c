import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import {
  AreaInput,
  BreakdownType,
  DateScalar,
  IndicatorDefinitionType,
  IndicatorFilterInput,
  IndicatorSetType,
  type Context,
} from '../schema';
import {
  computeBreakdown,
  computeIndicators,
  GroupBy,
  INDICATORS,
  IndicatorBook,
  IndicatorKey,
  type Breakdown,
  type IndicatorDefinition,
  type IndicatorSet,
} from '../services/indicators';

@Resolver()
export class IndicatorResolver {
  @Query(() => IndicatorSetType, {
    description:
      'Every indicator of DESIGN.md §4 for an area as of the latest month end on or before asOf, beside a year earlier (or compareWith) and the start of the year. Definitions: docs/indicators.md.',
  })
  indicators(
    @Arg('area', () => AreaInput) area: AreaInput,
    @Arg('asOf', () => DateScalar) asOf: string,
    @Arg('compareWith', () => DateScalar, { nullable: true }) compareWith: string | null | undefined,
    @Arg('book', () => IndicatorBook, { nullable: true, defaultValue: IndicatorBook.MARKET }) book: IndicatorBook,
    @Ctx() ctx: Context,
  ): Promise<IndicatorSet> {
    return computeIndicators(ctx, { area: { code: area.code, nation: area.nation }, asOf, compareWith, book });
  }

  @Query(() => BreakdownType, { description: 'One indicator by county, prefecture, province, institution, product, combined model or month. Also as CSV: GET /export/breakdown.csv.' })
  breakdown(
    @Arg('metric', () => IndicatorKey) metric: IndicatorKey,
    @Arg('groupBy', () => GroupBy) groupBy: GroupBy,
    @Arg('area', () => AreaInput) area: AreaInput,
    @Arg('asOf', () => DateScalar) asOf: string,
    @Arg('compareWith', () => DateScalar, { nullable: true }) compareWith: string | null | undefined,
    @Arg('filter', () => IndicatorFilterInput, { nullable: true }) filter: IndicatorFilterInput | null | undefined,
    @Arg('book', () => IndicatorBook, { nullable: true, defaultValue: IndicatorBook.MARKET }) book: IndicatorBook,
    @Ctx() ctx: Context,
  ): Promise<Breakdown> {
    return computeBreakdown(ctx, { metric, groupBy, area: { code: area.code, nation: area.nation }, asOf, compareWith, filter: filter ?? null, book });
  }

  @Query(() => [IndicatorDefinitionType], { description: 'The indicators, their units and how each may be grouped and filtered.' })
  indicatorDefinitions(): IndicatorDefinition[] {
    return [...INDICATORS];
  }
}
