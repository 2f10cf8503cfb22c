import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { toGlobalId, type Context } from '../schema';
import { ReportingCompletenessType } from '../schema/ingestion';
import { DateScalar } from '../schema/scalars';
import { COMPLETENESS_LIST_DEFAULT, reportingCompleteness } from '../services/ingestion';

@Resolver()
export class ReportingCompletenessResolver {
  @Query(() => ReportingCompletenessType, {
    description:
      'Month-end position reporting of one bank for the month containing `month`: expected, arrived, missing, late and corrected positions. A bank reads its own (another institution’s is FORBIDDEN); a regulator any bank’s, over the loans in its area scope.',
  })
  async reportingCompleteness(
    @Arg('institutionCode') institutionCode: string,
    @Arg('month', () => DateScalar, { description: 'Any day of the month; the answer names its month end.' }) month: string,
    @Arg('limit', () => Int, { defaultValue: COMPLETENESS_LIST_DEFAULT, description: 'Loans listed per category, at most 1,000.' }) limit: number,
    @Ctx() ctx: Context,
  ): Promise<ReportingCompletenessType> {
    const result = await reportingCompleteness(ctx, { institutionCode, month, limit });
    const named = (loans: typeof result.missingLoans) => loans.map((loan) => ({ ...loan, id: toGlobalId('Loan', loan.id) }));
    return { ...result, missingLoans: named(result.missingLoans), lateLoans: named(result.lateLoans), correctedLoans: named(result.correctedLoans) };
  }
}
