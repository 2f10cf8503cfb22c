import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { toGlobalId, type Context } from '../schema';
import {
  IngestionResultType,
  RecordLoanModificationsInput,
  RecordRepaymentsInput,
  ReportLoanPositionsInput,
  UpsertGuaranteeContractsInput,
  UpsertLoansInput,
  type IngestionItemStatus,
} from '../schema/ingestion';
import {
  recordLoanModifications,
  recordRepayments,
  reportLoanPositions,
  upsertGuaranteeContracts,
  upsertLoans,
  type BatchResult,
  type IngestionDependencies,
} from '../services/ingestion';

function dependencies(ctx: Context): IngestionDependencies {
  return { matchKeyring: ctx.services.matchKeyring, piiKeyring: ctx.services.piiKeyring };
}

/** A service result as GraphQL returns it: records named by their global ids. */
export function toIngestionResult(result: BatchResult): IngestionResultType {
  return {
    ...result,
    items: result.items.map(({ record, status, ...item }) => ({
      ...item,
      status: status as IngestionItemStatus,
      id: record === null ? null : toGlobalId(record.type, record.id),
    })),
  };
}

const BATCH_RULES =
  'One transaction; all-or-nothing unless partial: true; at most 1,000 items; the same batchId and payload again returns the first answer, another payload is CONFLICT.';

@Resolver()
export class IngestionResolver {
  @Mutation(() => IngestionResultType, { description: `A bank reports its loans (BANK, own institution). ${BATCH_RULES}` })
  async upsertLoans(@Arg('input', () => UpsertLoansInput) input: UpsertLoansInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await upsertLoans(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `A bank reports month-end positions of its loans (BANK). ${BATCH_RULES}` })
  async reportLoanPositions(@Arg('input', () => ReportLoanPositionsInput) input: ReportLoanPositionsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await reportLoanPositions(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `A bank records repayments of its loans (BANK). ${BATCH_RULES}` })
  async recordRepayments(@Arg('input', () => RecordRepaymentsInput) input: RecordRepaymentsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await recordRepayments(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `A bank records extensions, renewals and deferrals of its loans (BANK). ${BATCH_RULES}` })
  async recordLoanModifications(
    @Arg('input', () => RecordLoanModificationsInput) input: RecordLoanModificationsInput,
    @Ctx() ctx: Context,
  ): Promise<IngestionResultType> {
    return toIngestionResult(await recordLoanModifications(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `A guarantor reports its guarantee contracts and the loans they cover (GUARANTOR, own institution). ${BATCH_RULES}`,
  })
  async upsertGuaranteeContracts(
    @Arg('input', () => UpsertGuaranteeContractsInput) input: UpsertGuaranteeContractsInput,
    @Ctx() ctx: Context,
  ): Promise<IngestionResultType> {
    return toIngestionResult(await upsertGuaranteeContracts(ctx, dependencies(ctx), input));
  }
}
