import { batchInput, type BatchInputShape } from './batch-input';
import { Field, InputType, Int } from 'type-graphql';
import { DisasterKind, FindingSource } from '../query-enums';
import { DateScalar, DecimalScalar } from '../scalars';

@InputType('RelendingFacilityInput', { description: 'A re-lending draw as the lending central-bank branch reports it, named by its own reference.' })
export class RelendingFacilityInput {
  @Field({ description: 'The branch’s own reference of the draw (idempotency key).' })
  ref!: string;

  @Field({ description: 'The institution code of the borrowing local bank.' })
  borrowerCode!: string;

  @Field(() => String, { nullable: true, description: 'The 6-digit county the draw counts in; by default the borrowing bank’s home county.' })
  countyCode?: string | null;

  @Field(() => DecimalScalar, { description: 'Yuan, at most 2 decimals, as a string.' })
  amount!: string;

  @Field(() => DecimalScalar, { description: 'Annual rate as a fraction: "0.0175" for 1.75 %.' })
  annualRate!: string;

  @Field(() => DateScalar)
  drawnOn!: string;

  @Field(() => DateScalar, { description: 'After drawnOn.' })
  dueOn!: string;

  @Field(() => Int, { nullable: true, description: 'Rollovers so far, 0 to 4 (default 0).' })
  rollovers?: number | null;

  @Field(() => DateScalar, { nullable: true })
  repaidOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version this item is based on; a stale one is CONFLICT.' })
  version?: number | null;
}

export const UpsertRelendingFacilitiesInput = batchInput('UpsertRelendingFacilitiesInput', RelendingFacilityInput);
export type UpsertRelendingFacilitiesInput = BatchInputShape<RelendingFacilityInput>;

@InputType('DisasterEventInput', { description: 'A disaster event as the declaring regulator reports it, named by its own reference.' })
export class DisasterEventInput {
  @Field({ description: 'The regulator’s own reference of the event (idempotency key).' })
  ref!: string;

  @Field(() => DisasterKind)
  kind!: DisasterKind;

  @Field()
  name!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Not before startsOn; absent while the event lasts.' })
  endsOn?: string | null;

  @Field(() => [String], { description: 'The areas hit: codes of any level (2, 4, 6, 9 or 12 digits) in the caller’s scope; replaces the list on an update.' })
  areaCodes!: string[];
}

export const RecordDisasterEventsInput = batchInput('RecordDisasterEventsInput', DisasterEventInput);
export type RecordDisasterEventsInput = BatchInputShape<DisasterEventInput>;

@InputType('RectificationStepInput', { description: 'One rectification step; steps are numbered 1, 2, … in the order given.' })
export class RectificationStepInput {
  @Field()
  description!: string;
}

@InputType('FindingInput', { description: 'An inspection or audit finding as the regulator reports it, named by its own reference.' })
export class FindingInput {
  @Field({ description: 'The regulator’s own reference of the finding (idempotency key).' })
  ref!: string;

  @Field(() => FindingSource)
  source!: FindingSource;

  @Field({ description: 'The 6-digit county the finding concerns, in the caller’s scope.' })
  countyCode!: string;

  @Field(() => String, { nullable: true, description: 'The bank, insurer or guarantor that must rectify; absent for a county’s own work (the county government rectifies).' })
  institutionCode?: string | null;

  @Field()
  text!: string;

  @Field(() => DateScalar)
  foundOn!: string;

  @Field(() => DateScalar, { description: 'Not before foundOn. Past it and not closed, the finding is OVERDUE.' })
  dueOn!: string;

  @Field(() => [RectificationStepInput], { description: '1 to 50 steps. Steps already reported done cannot be reworded or dropped.' })
  steps!: RectificationStepInput[];

  @Field(() => Int, { nullable: true, description: 'The finding version this item is based on; a stale one is CONFLICT.' })
  version?: number | null;
}

export const UpsertFindingsInput = batchInput('UpsertFindingsInput', FindingInput);
export type UpsertFindingsInput = BatchInputShape<FindingInput>;

@InputType('RectificationReportInput', { description: 'A rectification step reported done by the institution concerned.' })
export class RectificationReportInput {
  @Field({ description: 'The institution code of the authority that reported the finding.' })
  authorityCode!: string;

  @Field({ description: 'The authority’s reference of the finding.' })
  findingRef!: string;

  @Field(() => Int, { description: 'The step’s number (1, 2, …).' })
  seq!: number;

  @Field(() => DateScalar, { description: 'When the step was done: not before the finding was found, not in the future.' })
  doneOn!: string;

  @Field({ description: 'What was done and how it can be checked.' })
  evidence!: string;
}

export const ReportRectificationStepsInput = batchInput('ReportRectificationStepsInput', RectificationReportInput);
export type ReportRectificationStepsInput = BatchInputShape<RectificationReportInput>;

@InputType('RectificationVerificationInput', { description: 'A reported rectification step a regulator verifies.' })
export class RectificationVerificationInput {
  @Field({ description: 'The institution code of the authority that reported the finding.' })
  authorityCode!: string;

  @Field()
  findingRef!: string;

  @Field(() => Int)
  seq!: number;
}

export const VerifyRectificationStepsInput = batchInput('VerifyRectificationStepsInput', RectificationVerificationInput);
export type VerifyRectificationStepsInput = BatchInputShape<RectificationVerificationInput>;
