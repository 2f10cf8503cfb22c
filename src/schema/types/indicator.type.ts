/**
 * The GraphQL face of the indicators service (DESIGN.md §4): answers with their values
 * at three dates, the changes between them, numerator and denominator, why a value is
 * null, the freshness of the data behind it, and what makes the answer reproducible
 * (as-of date, schema version, content hash). Definitions: docs/indicators.md.
 */
import { Field, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import {
  ChangeNullReason,
  GroupBy,
  IndicatorBook,
  IndicatorCategory,
  IndicatorKey,
  IndicatorNullReason,
  IndicatorTiming,
  IndicatorUnit,
} from '../../services/indicators';
import { CombinedModel, DesignationKind, LoanProduct } from '../enums';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';

registerEnumType(IndicatorKey, { name: 'IndicatorKey', description: 'An indicator of DESIGN.md §4; definitions in docs/indicators.md.' });
registerEnumType(IndicatorCategory, { name: 'IndicatorCategory' });
registerEnumType(IndicatorUnit, {
  name: 'IndicatorUnit',
  description: 'YUAN values have 2 decimals, HOUSEHOLDS and LOANS none, RATIO (0–1) and MULTIPLE 6.',
});
registerEnumType(IndicatorTiming, {
  name: 'IndicatorTiming',
  description: 'STOCK: read at the date. FLOW: summed over the year to the date (1 January … date).',
});
registerEnumType(GroupBy, { name: 'GroupBy', description: 'How a breakdown groups: by area level, institution, loan product, combined model, or month end (the 12 months to asOf).' });
registerEnumType(IndicatorBook, {
  name: 'IndicatorBook',
  description: 'MARKET: every row in the area (small cells suppressed where the caller lacks row access). OWN_BOOK: the rows a BANK, INSURER or GUARANTOR has access to.',
});
registerEnumType(IndicatorNullReason, { name: 'IndicatorNullReason', description: 'Why a value is null.' });
registerEnumType(ChangeNullReason, { name: 'ChangeNullReason', description: 'Why a change is null.' });

@ObjectType('IndicatorValue', { simpleResolvers: true, description: 'An indicator at one date.' })
export class IndicatorValueType {
  @Field(() => DateScalar, { description: 'The month end the value is as of.' })
  date!: string;

  @Field(() => DecimalScalar, { nullable: true })
  value!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The ratio’s numerator, or the value itself for amounts and counts.' })
  numerator!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The ratio’s denominator; null for amounts and counts.' })
  denominator!: string | null;

  @Field(() => IndicatorNullReason, { nullable: true })
  nullReason!: IndicatorNullReason | null;
}

@ObjectType('IndicatorChange', { simpleResolvers: true, description: 'The change of a value from a base date.' })
export class IndicatorChangeType {
  @Field(() => DecimalScalar, { nullable: true, description: 'Value minus base; for ratios, in ratio points (0.01 = one percentage point).' })
  absolute!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: '(value − base) / base, 6 decimals; amounts and counts only.' })
  relative!: string | null;

  @Field(() => ChangeNullReason, { nullable: true })
  absoluteNullReason!: ChangeNullReason | null;

  @Field(() => ChangeNullReason, { nullable: true })
  relativeNullReason!: ChangeNullReason | null;
}

@ObjectType('IndicatorFreshness', { simpleResolvers: true, description: 'How recent the data behind the current value is.' })
export class IndicatorFreshnessType {
  @Field(() => DateScalar, { nullable: true, description: 'Position-based figures: the latest month end on or before asOf with positions reported in the area.' })
  latestMonthEnd!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the hub received the latest row behind the current value.' })
  latestReceivedAt!: string | null;
}

@ObjectType('IndicatorArea', { simpleResolvers: true })
export class IndicatorAreaType {
  @Field(() => String, { nullable: true, description: 'Null for the nation.' })
  code!: string | null;

  @Field()
  name!: string;

  @Field({ description: 'NATION, PROVINCE, PREFECTURE, COUNTY, TOWNSHIP or VILLAGE.' })
  level!: string;
}

@ObjectType('Indicator', { simpleResolvers: true, description: 'One indicator at asOf, a year earlier (or compareWith) and at the start of the year.' })
export class IndicatorType {
  @Field(() => IndicatorKey)
  key!: IndicatorKey;

  @Field(() => IndicatorCategory)
  category!: IndicatorCategory;

  @Field(() => IndicatorUnit)
  unit!: IndicatorUnit;

  @Field(() => IndicatorTiming)
  timing!: IndicatorTiming;

  @Field(() => IndicatorValueType)
  current!: IndicatorValueType;

  @Field(() => IndicatorValueType, { description: 'At the same month end a year earlier, or at compareWith’s month end.' })
  previous!: IndicatorValueType;

  @Field(() => IndicatorValueType, { description: 'At 31 December of the previous year.' })
  startOfYear!: IndicatorValueType;

  @Field(() => IndicatorChangeType, { description: 'Year on year (同比), or since compareWith.' })
  changeFromPrevious!: IndicatorChangeType;

  @Field(() => IndicatorChangeType, { description: 'Since the start of the year (比年初); not applicable to year-to-date flows.' })
  changeFromStartOfYear!: IndicatorChangeType;

  @Field(() => IndicatorFreshnessType)
  freshness!: IndicatorFreshnessType;
}

@InterfaceType('IndicatorAnswer', {
  description: 'What every indicator answer names so that it can be reproduced: area, dates, book, suppression, schema version and content hash.',
  resolveType: (value: { metric?: string }) => (value.metric === undefined ? 'IndicatorSet' : 'Breakdown'),
})
export abstract class IndicatorAnswerType {
  @Field(() => IndicatorAreaType)
  area!: IndicatorAreaType;

  @Field(() => DateScalar, { description: 'The asOf asked for.' })
  requestedAsOf!: string;

  @Field(() => DateScalar, { description: 'The month end the answer is as of: the latest on or before requestedAsOf.' })
  asOf!: string;

  @Field(() => DateScalar)
  previousDate!: string;

  @Field(() => DateScalar)
  startOfYear!: string;

  @Field(() => IndicatorBook)
  book!: IndicatorBook;

  @Field(() => Int, { description: 'k of small-cell suppression (policy parameter suppression.min_households).' })
  minHouseholds!: number;

  @Field({ description: 'Whether small cells are suppressed for this caller.' })
  suppressionApplied!: boolean;

  @Field({ description: 'The latest applied database migration.' })
  schemaVersion!: string;

  @Field({ description: 'SHA-256 (hex) of the canonical JSON of the answer (keys sorted, no whitespace) without this field: the same question on the same data gives the same hash.' })
  contentHash!: string;
}

@ObjectType('IndicatorSet', { simpleResolvers: true, implements: IndicatorAnswerType, description: 'Every indicator for an area as of a month end.' })
export class IndicatorSetType extends IndicatorAnswerType {
  @Field(() => [IndicatorType])
  indicators!: IndicatorType[];
}

@ObjectType('BreakdownRow', { simpleResolvers: true })
export class BreakdownRowType {
  @Field({ description: 'Area code, institution code, product, combined model, or month end (YYYY-MM-DD).' })
  group!: string;

  @Field(() => String, { nullable: true, description: 'The area’s or institution’s name.' })
  label!: string | null;

  @Field(() => IndicatorValueType)
  current!: IndicatorValueType;

  @Field(() => IndicatorValueType)
  previous!: IndicatorValueType;

  @Field(() => IndicatorValueType)
  startOfYear!: IndicatorValueType;

  @Field(() => IndicatorChangeType)
  changeFromPrevious!: IndicatorChangeType;

  @Field(() => IndicatorChangeType)
  changeFromStartOfYear!: IndicatorChangeType;

  @Field(() => IndicatorFreshnessType)
  freshness!: IndicatorFreshnessType;
}

@ObjectType('BreakdownFilter', { simpleResolvers: true, description: 'The filter a breakdown was computed with.' })
export class BreakdownFilterType {
  @Field(() => String, { nullable: true })
  institutionCode!: string | null;

  @Field(() => [LoanProduct], { nullable: true })
  products!: LoanProduct[] | null;

  @Field(() => [CombinedModel], { nullable: true })
  combinedModels!: CombinedModel[] | null;

  @Field(() => DesignationKind, { nullable: true })
  designation!: DesignationKind | null;
}

@ObjectType('Breakdown', { simpleResolvers: true, implements: IndicatorAnswerType, description: 'One indicator by group. Rows are in group order.' })
export class BreakdownType extends IndicatorAnswerType {
  @Field(() => IndicatorKey)
  metric!: IndicatorKey;

  @Field(() => IndicatorCategory)
  category!: IndicatorCategory;

  @Field(() => IndicatorUnit)
  unit!: IndicatorUnit;

  @Field(() => IndicatorTiming)
  timing!: IndicatorTiming;

  @Field(() => GroupBy)
  groupBy!: GroupBy;

  @Field(() => BreakdownFilterType)
  filter!: BreakdownFilterType;

  @Field(() => [BreakdownRowType])
  rows!: BreakdownRowType[];
}

@ObjectType('IndicatorDefinition', { simpleResolvers: true, description: 'What an indicator is and how it may be cut.' })
export class IndicatorDefinitionType {
  @Field(() => IndicatorKey)
  key!: IndicatorKey;

  @Field(() => IndicatorCategory)
  category!: IndicatorCategory;

  @Field(() => IndicatorUnit)
  unit!: IndicatorUnit;

  @Field(() => IndicatorTiming)
  timing!: IndicatorTiming;

  @Field()
  description!: string;

  @Field(() => [GroupBy])
  groupings!: GroupBy[];

  @Field(() => [String], { description: 'The IndicatorFilter fields it accepts.' })
  filters!: string[];
}
