/**
 * Filters, orders and connection arguments of households, counties, institutions,
 * enterprises, service points, docking, disasters, findings and alerts. Field names
 * match the lists' filter fields (`src/loaders/party.lists.ts`).
 */
import { Field, InputType } from 'type-graphql';
import { DesignationKind, EnterpriseKind, HouseholdAttribute, HouseholdStatus, InstitutionKind } from '../enums';
import { DateRangeInput, DecimalRangeInput, IntRangeInput } from '../filters';
import {
  AlertOrderField,
  AlertRuleKind,
  AlertStatus,
  CountyOrderField,
  DisasterAreaOrderField,
  DisasterEventOrderField,
  DisasterKind,
  DockingEventOrderField,
  DockingProjectOrderField,
  EnterpriseOrderField,
  FindingOrderField,
  FindingSource,
  FindingStatus,
  HouseholdOrderField,
  InstitutionOrderField,
  ServicePointKind,
  ServicePointOrderField,
  Severity,
} from '../query-enums';
import { connectionArgs, orderInput } from './input-kit';

const DESIGNATION = 'The county held one of these designations on asOf (today without it).';

@InputType('HouseholdFilter')
export class HouseholdFilterInput {
  @Field(() => [HouseholdFilterInput], { nullable: true, description: 'Every filter matches.' })
  and?: HouseholdFilterInput[] | null;

  @Field(() => [HouseholdFilterInput], { nullable: true, description: 'At least one filter matches.' })
  or?: HouseholdFilterInput[] | null;

  @Field(() => HouseholdFilterInput, { nullable: true, description: 'The filter does not match.' })
  not?: HouseholdFilterInput | null;

  @Field(() => String, { nullable: true, description: 'An area code of 2, 4, 6, 9 or 12 digits: households living in it now.' })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => [HouseholdStatus], { nullable: true, description: 'The registry status on asOf (the latest change on or before it), the current one without asOf.' })
  status_in?: HouseholdStatus[] | null;

  @Field(() => [HouseholdAttribute], { nullable: true })
  attribute_in?: HouseholdAttribute[] | null;

  @Field(() => DateRangeInput, { nullable: true, description: 'Households never registered do not match.' })
  registeredOn?: DateRangeInput | null;

  @Field(() => IntRangeInput, { nullable: true })
  size?: IntRangeInput | null;

  @Field(() => [String], { nullable: true })
  ref_in?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Households whose ref starts with this (H and 1–12 more characters). Names are stored encrypted and cannot be searched.',
  })
  refPrefix?: string | null;
}

export const HouseholdOrderInput = orderInput('Household', HouseholdOrderField);
export const HouseholdConnectionArgs = connectionArgs({
  filter: HouseholdFilterInput,
  order: HouseholdOrderInput,
  asOf: 'The date statuses and designations are read at; current statuses and today’s designations without it.',
});

@InputType('CountyFilter')
export class CountyFilterInput {
  @Field(() => [CountyFilterInput], { nullable: true })
  and?: CountyFilterInput[] | null;

  @Field(() => [CountyFilterInput], { nullable: true })
  or?: CountyFilterInput[] | null;

  @Field(() => CountyFilterInput, { nullable: true })
  not?: CountyFilterInput | null;

  @Field(() => String, { nullable: true, description: 'A province (2 digits) or prefecture (4) code: its counties; a county code: that county.' })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Statistics-only county-level units (development zones).' })
  statisticalOnly?: boolean | null;

  @Field(() => [String], { nullable: true })
  code_in?: string[] | null;
}

export const CountyOrderInput = orderInput('County', CountyOrderField);
export const CountyConnectionArgs = connectionArgs({
  filter: CountyFilterInput,
  order: CountyOrderInput,
  asOf: 'The date designations are read at; today without it.',
});

@InputType('InstitutionFilter')
export class InstitutionFilterInput {
  @Field(() => [InstitutionFilterInput], { nullable: true })
  and?: InstitutionFilterInput[] | null;

  @Field(() => [InstitutionFilterInput], { nullable: true })
  or?: InstitutionFilterInput[] | null;

  @Field(() => InstitutionFilterInput, { nullable: true })
  not?: InstitutionFilterInput | null;

  @Field(() => String, { nullable: true, description: 'An area code: institutions whose home area lies in it.' })
  area?: string | null;

  @Field(() => [InstitutionKind], { nullable: true })
  kind_in?: InstitutionKind[] | null;

  @Field(() => [String], { nullable: true })
  code_in?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Branches of these head offices.' })
  parentCode_in?: string[] | null;
}

export const InstitutionOrderInput = orderInput('Institution', InstitutionOrderField);
export const InstitutionConnectionArgs = connectionArgs({ filter: InstitutionFilterInput, order: InstitutionOrderInput });

@InputType('EnterpriseFilter')
export class EnterpriseFilterInput {
  @Field(() => [EnterpriseFilterInput], { nullable: true })
  and?: EnterpriseFilterInput[] | null;

  @Field(() => [EnterpriseFilterInput], { nullable: true })
  or?: EnterpriseFilterInput[] | null;

  @Field(() => EnterpriseFilterInput, { nullable: true })
  not?: EnterpriseFilterInput | null;

  @Field(() => String, { nullable: true, description: 'An area code of 2, 4, 6, 9 or 12 digits.' })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => [EnterpriseKind], { nullable: true })
  kind_in?: EnterpriseKind[] | null;

  @Field(() => Boolean, { nullable: true })
  povertyDriving?: boolean | null;

  @Field(() => [String], { nullable: true })
  creditCode_in?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Enterprises whose unified social credit code starts with this (2–18 characters).' })
  creditCodePrefix?: string | null;

  @Field(() => String, { nullable: true, description: 'Enterprises whose name contains this text (2–50 characters, matched literally).' })
  name_contains?: string | null;
}

export const EnterpriseOrderInput = orderInput('Enterprise', EnterpriseOrderField);
export const EnterpriseConnectionArgs = connectionArgs({
  filter: EnterpriseFilterInput,
  order: EnterpriseOrderInput,
  asOf: 'The date designations are read at; today without it.',
});

@InputType('ServicePointFilter')
export class ServicePointFilterInput {
  @Field(() => [ServicePointFilterInput], { nullable: true })
  and?: ServicePointFilterInput[] | null;

  @Field(() => [ServicePointFilterInput], { nullable: true })
  or?: ServicePointFilterInput[] | null;

  @Field(() => ServicePointFilterInput, { nullable: true })
  not?: ServicePointFilterInput | null;

  @Field(() => String, { nullable: true, description: 'An area code of 2, 4, 6, 9 or 12 digits.' })
  area?: string | null;

  @Field(() => [ServicePointKind], { nullable: true })
  kind_in?: ServicePointKind[] | null;

  @Field(() => [String], { nullable: true })
  institutionCode_in?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Open on asOf (today without it).' })
  open?: boolean | null;
}

export const ServicePointOrderInput = orderInput('ServicePoint', ServicePointOrderField);
export const ServicePointConnectionArgs = connectionArgs({
  filter: ServicePointFilterInput,
  order: ServicePointOrderInput,
  asOf: 'The date `open` is read at; today without it.',
});

@InputType('DockingEventFilter')
export class DockingEventFilterInput {
  @Field(() => [DockingEventFilterInput], { nullable: true })
  and?: DockingEventFilterInput[] | null;

  @Field(() => [DockingEventFilterInput], { nullable: true })
  or?: DockingEventFilterInput[] | null;

  @Field(() => DockingEventFilterInput, { nullable: true })
  not?: DockingEventFilterInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  heldOn?: DateRangeInput | null;
}

export const DockingEventOrderInput = orderInput('DockingEvent', DockingEventOrderField);
export const DockingEventConnectionArgs = connectionArgs({ filter: DockingEventFilterInput, order: DockingEventOrderInput });

@InputType('DockingProjectFilter')
export class DockingProjectFilterInput {
  @Field(() => [DockingProjectFilterInput], { nullable: true })
  and?: DockingProjectFilterInput[] | null;

  @Field(() => [DockingProjectFilterInput], { nullable: true })
  or?: DockingProjectFilterInput[] | null;

  @Field(() => DockingProjectFilterInput, { nullable: true })
  not?: DockingProjectFilterInput | null;

  @Field(() => [String], { nullable: true, description: 'The banks’ institution codes.' })
  bankCode_in?: string[] | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  signed?: DecimalRangeInput | null;
}

export const DockingProjectOrderInput = orderInput('DockingProject', DockingProjectOrderField);
export const DockingProjectConnectionArgs = connectionArgs({ filter: DockingProjectFilterInput, order: DockingProjectOrderInput });

@InputType('DisasterEventFilter')
export class DisasterEventFilterInput {
  @Field(() => [DisasterEventFilterInput], { nullable: true })
  and?: DisasterEventFilterInput[] | null;

  @Field(() => [DisasterEventFilterInput], { nullable: true })
  or?: DisasterEventFilterInput[] | null;

  @Field(() => DisasterEventFilterInput, { nullable: true })
  not?: DisasterEventFilterInput | null;

  @Field(() => [DisasterKind], { nullable: true })
  kind_in?: DisasterKind[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  startsOn?: DateRangeInput | null;
}

export const DisasterEventOrderInput = orderInput('DisasterEvent', DisasterEventOrderField);
export const DisasterEventConnectionArgs = connectionArgs({ filter: DisasterEventFilterInput, order: DisasterEventOrderInput });

export const DisasterAreaOrderInput = orderInput('DisasterArea', DisasterAreaOrderField);
export const DisasterAreaConnectionArgs = connectionArgs({ order: DisasterAreaOrderInput });

@InputType('FindingFilter')
export class FindingFilterInput {
  @Field(() => [FindingFilterInput], { nullable: true })
  and?: FindingFilterInput[] | null;

  @Field(() => [FindingFilterInput], { nullable: true })
  or?: FindingFilterInput[] | null;

  @Field(() => FindingFilterInput, { nullable: true })
  not?: FindingFilterInput | null;

  @Field(() => String, { nullable: true, description: 'An area code of 2, 4 or 6 digits.' })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => [String], { nullable: true, description: 'The institutions that must rectify.' })
  institutionCode_in?: string[] | null;

  @Field(() => [FindingSource], { nullable: true })
  source_in?: FindingSource[] | null;

  @Field(() => [FindingStatus], { nullable: true })
  status_in?: FindingStatus[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  foundOn?: DateRangeInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  dueOn?: DateRangeInput | null;

  @Field(() => [String], { nullable: true })
  ref_in?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Past due and not closed on asOf (today without it).' })
  overdue?: boolean | null;
}

export const FindingOrderInput = orderInput('Finding', FindingOrderField);
export const FindingConnectionArgs = connectionArgs({
  filter: FindingFilterInput,
  order: FindingOrderInput,
  asOf: 'The date designations and `overdue` are read at; today without it.',
});

@InputType('AlertFilter')
export class AlertFilterInput {
  @Field(() => [AlertFilterInput], { nullable: true })
  and?: AlertFilterInput[] | null;

  @Field(() => [AlertFilterInput], { nullable: true })
  or?: AlertFilterInput[] | null;

  @Field(() => AlertFilterInput, { nullable: true })
  not?: AlertFilterInput | null;

  @Field(() => String, { nullable: true, description: 'An area code of 2, 4 or 6 digits: alerts about counties in it.' })
  area?: string | null;

  @Field(() => [String], { nullable: true, description: 'The assigned institutions.' })
  institutionCode_in?: string[] | null;

  @Field(() => [AlertStatus], { nullable: true })
  status_in?: AlertStatus[] | null;

  @Field(() => [Severity], { nullable: true })
  severity_in?: Severity[] | null;

  @Field(() => [AlertRuleKind], { nullable: true })
  ruleKind_in?: AlertRuleKind[] | null;

  @Field(() => [String], { nullable: true, description: 'The rules by code (several rules may share a kind).' })
  ruleCode_in?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'LOAN, COUNTY, FUND …' })
  subjectType_in?: string[] | null;

  @Field(() => DateRangeInput, { nullable: true, description: 'The day raised, China time.' })
  raisedOn?: DateRangeInput | null;
}

export const AlertOrderInput = orderInput('Alert', AlertOrderField);
export const AlertConnectionArgs = connectionArgs({ filter: AlertFilterInput, order: AlertOrderInput });
