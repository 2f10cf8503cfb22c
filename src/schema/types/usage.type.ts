import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

@ObjectType('Usage', { description: 'The caller’s rate limit and daily cost budget, this request included.' })
export class UsageType {
  @Field(() => Int)
  rateLimitPerMinute!: number;

  @Field(() => Int, { description: 'Requests still allowed in the current 60-second window.' })
  remainingThisMinute!: number;

  @Field(() => GraphQLSafeInt, { description: 'Estimated query cost allowed per China calendar day.' })
  dailyCostBudget!: number;

  @Field(() => GraphQLSafeInt, { description: 'Cost charged today, this request included (a request is charged its estimated cost when it is admitted).' })
  costUsedToday!: number;

  @Field(() => GraphQLSafeInt)
  remainingCostToday!: number;

  @Field(() => DateTimeScalar, { description: 'When the daily budget resets: the next midnight, China time.' })
  resetsAt!: Date;
}
