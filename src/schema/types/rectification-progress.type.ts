import { Extensions, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../scalars';

/** Rows a progress answer can hold: every county of the nation, with room to spare. */
export const MAX_PROGRESS_ROWS = 5000;

/** A finding's state on a date; OVERDUE is derived from the dates, never stored. */
export enum FindingState {
  OPEN = 'OPEN',
  OVERDUE = 'OVERDUE',
  CLOSED = 'CLOSED',
}

registerEnumType(FindingState, {
  name: 'FindingState',
  description: 'A finding as of today (China time): OPEN, OVERDUE (past its due date and not closed) or CLOSED (every step verified by a regulator).',
});

export enum RectificationGroupBy {
  COUNTY = 'COUNTY',
  INSTITUTION = 'INSTITUTION',
}

registerEnumType(RectificationGroupBy, { name: 'RectificationGroupBy', description: 'How rectification progress is grouped: per county, or per institution that must rectify.' });

@ObjectType('RectificationProgressRow', { description: 'Rectification progress of one county or one institution. open + overdue + closed = findings.' })
export class RectificationProgressRowType {
  @Field(() => String, { nullable: true, description: 'The county (COUNTY grouping).' })
  countyCode!: string | null;

  @Field(() => String, { nullable: true, description: 'The institution that must rectify (INSTITUTION grouping); null for the counties’ own work.' })
  institutionCode!: string | null;

  /** For the `institution` field resolver. */
  institutionId!: string | null;

  @Field(() => Int)
  findings!: number;

  @Field(() => Int, { description: 'Not closed and not yet due.' })
  open!: number;

  @Field(() => Int, { description: 'Past the due date and not closed.' })
  overdue!: number;

  @Field(() => Int, { description: 'Closed: every step verified by a regulator.' })
  closed!: number;

  @Field(() => Int)
  steps!: number;

  @Field(() => Int, { description: 'Steps reported done by the institution concerned (verified ones included).' })
  reported!: number;

  @Field(() => Int, { description: 'Steps verified by a regulator.' })
  verified!: number;
}

@ObjectType('RectificationProgress', { description: 'Rectification progress over the findings the caller may see.' })
export class RectificationProgressType {
  @Field(() => DateScalar, { description: 'The date the states are computed on: today, China time.' })
  asOf!: string;

  @Field(() => RectificationGroupBy)
  groupBy!: RectificationGroupBy;

  @Field(() => [RectificationProgressRowType], { description: 'One row per county or institution with findings, in code order.' })
  @Extensions({ maxItems: MAX_PROGRESS_ROWS })
  rows!: RectificationProgressRowType[];
}
