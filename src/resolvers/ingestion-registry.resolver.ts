import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../schema';
import {
  IngestionResultType,
  RecordDockingEventsInput,
  RecordFundMovementsInput,
  ReportServicePointActivityInput,
  UpsertEnterprisesInput,
  UpsertHouseholdsInput,
  UpsertRiskCompensationFundsInput,
  UpsertServicePointsInput,
} from '../schema/ingestion';
import {
  recordDockingEvents,
  recordFundMovements,
  reportServicePointActivity,
  upsertEnterprises,
  upsertHouseholds,
  upsertRiskCompensationFunds,
  upsertServicePoints,
  type BatchResult,
  type IngestionDependencies,
} from '../services/ingestion';
import { toIngestionResult } from './ingestion.resolver';

function dependencies(ctx: Context): IngestionDependencies {
  return { matchKeyring: ctx.services.matchKeyring, piiKeyring: ctx.services.piiKeyring };
}

/** Records whose global id is keyed by something other than the row id (a household's ref) are named by that key. */
function keyed(result: BatchResult): IngestionResultType {
  return toIngestionResult({
    ...result,
    items: result.items.map((item) => (item.record?.key === undefined ? item : { ...item, record: { type: item.record.type, id: item.record.key } })),
  });
}

const BATCH_RULES =
  'One transaction; all-or-nothing unless partial: true; at most 1,000 items; the same batchId and payload again returns the first answer, another payload is CONFLICT.';

/** The government-side ingestion mutations: registry households, enterprises, service points, funds and docking events. */
@Resolver()
export class IngestionRegistryResolver {
  @Mutation(() => IngestionResultType, {
    description: `A county government reports its registry households and their status (GOVERNMENT, own county). ${BATCH_RULES}`,
  })
  async upsertHouseholds(@Arg('input', () => UpsertHouseholdsInput) input: UpsertHouseholdsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return keyed(await upsertHouseholds(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `Village service points (GOVERNMENT, own county; BANK, its own points). ${BATCH_RULES}` })
  async upsertServicePoints(@Arg('input', () => UpsertServicePointsInput) input: UpsertServicePointsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return keyed(await upsertServicePoints(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `Monthly transaction counts of service points (GOVERNMENT, own county; BANK, its own points). ${BATCH_RULES}` })
  async reportServicePointActivity(
    @Arg('input', () => ReportServicePointActivityInput) input: ReportServicePointActivityInput,
    @Ctx() ctx: Context,
  ): Promise<IngestionResultType> {
    return keyed(await reportServicePointActivity(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `Enterprises of a county and how many registered households they link to (GOVERNMENT, own county). ${BATCH_RULES}`,
  })
  async upsertEnterprises(@Arg('input', () => UpsertEnterprisesInput) input: UpsertEnterprisesInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return keyed(await upsertEnterprises(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `County risk compensation funds with their bank loss-sharing agreements (GOVERNMENT, own county). ${BATCH_RULES}`,
  })
  async upsertRiskCompensationFunds(
    @Arg('input', () => UpsertRiskCompensationFundsInput) input: UpsertRiskCompensationFundsInput,
    @Ctx() ctx: Context,
  ): Promise<IngestionResultType> {
    return keyed(await upsertRiskCompensationFunds(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `Top-ups, payouts, recoveries and withdrawals of your funds; a fund's balance never goes below zero (GOVERNMENT). ${BATCH_RULES}`,
  })
  async recordFundMovements(@Arg('input', () => RecordFundMovementsInput) input: RecordFundMovementsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return keyed(await recordFundMovements(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `Financing docking events with their projects and resulting loans (GOVERNMENT, own county). ${BATCH_RULES}`,
  })
  async recordDockingEvents(@Arg('input', () => RecordDockingEventsInput) input: RecordDockingEventsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return keyed(await recordDockingEvents(ctx, dependencies(ctx), input));
  }
}
