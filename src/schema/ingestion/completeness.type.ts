import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';

@ObjectType('CompletenessLoan', { description: 'One expected loan in a reporting-completeness list.' })
export class CompletenessLoanType {
  @Field(() => ID, { description: 'The loan’s global id.' })
  id!: string;

  @Field({ description: 'The bank’s own loan reference.' })
  ref!: string;

  @Field()
  countyCode!: string;

  @Field(() => DateScalar)
  disbursedOn!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the month’s first position version arrived; null while missing.' })
  firstReceivedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the latest version arrived.' })
  latestReceivedAt!: Date | null;

  @Field(() => Int, { description: 'Versions of the month’s position (0 while missing; more than 1 when corrected).' })
  versions!: number;
}

@ObjectType('ReportingCompleteness', {
  description:
    'Month-end position reporting of one bank for one month: expected = its loans active in the month (disbursed by the month end, not closed before the month start); arrived, missing, late (first version received after the deadline) and corrected (more than one version). Lists hold at most `limit` loans each, by reference; the counts are complete.',
})
export class ReportingCompletenessType {
  @Field()
  institutionCode!: string;

  @Field(() => DateScalar)
  monthEnd!: string;

  @Field(() => DateScalar, { description: 'The last day (China time) on which the month’s positions were on time: the 15th of the following month.' })
  deadline!: string;

  @Field(() => Int)
  expected!: number;

  @Field(() => Int)
  arrived!: number;

  @Field(() => Int)
  missing!: number;

  @Field(() => Int)
  late!: number;

  @Field(() => Int)
  corrected!: number;

  @Field(() => Int, { description: 'Positions for the month of loans that were not expected (closed before the month, disbursed after it).' })
  unexpected!: number;

  @Field(() => [CompletenessLoanType])
  missingLoans!: CompletenessLoanType[];

  @Field(() => [CompletenessLoanType])
  lateLoans!: CompletenessLoanType[];

  @Field(() => [CompletenessLoanType])
  correctedLoans!: CompletenessLoanType[];
}
