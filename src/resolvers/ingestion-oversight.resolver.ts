import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FindingRow } from '../loaders';
import { AreaInput, FindingState, FindingType, RectificationGroupBy, RectificationProgressType, type Context } from '../schema';
import {
  IngestionResultType,
  RecordDisasterEventsInput,
  ReportRectificationStepsInput,
  UpsertFindingsInput,
  UpsertRelendingFacilitiesInput,
  VerifyRectificationStepsInput,
} from '../schema/ingestion';
import type { IngestionDependencies } from '../services/ingestion';
import {
  findingStateOn,
  rectificationProgress,
  recordDisasterEvents,
  reportRectificationSteps,
  todayInChina,
  upsertFindings,
  upsertRelendingFacilities,
  verifyRectificationSteps,
} from '../services/oversight';
import { toIngestionResult } from './ingestion.resolver';

function dependencies(ctx: Context): IngestionDependencies {
  return { matchKeyring: ctx.services.matchKeyring, piiKeyring: ctx.services.piiKeyring };
}

const BATCH_RULES =
  'One transaction; all-or-nothing unless partial: true; at most 1,000 items; the same batchId and payload again returns the first answer, another payload is CONFLICT.';

/** The regulator-side ingestion mutations and rectification progress (docs/ingestion.md, docs/early-warning.md). */
@Resolver()
export class OversightIngestionResolver {
  @Mutation(() => IngestionResultType, {
    description: `A central-bank branch reports its poverty re-lending draws to local banks in its area (REGULATOR acting for a CENTRAL_BANK institution); versioned on its reference. ${BATCH_RULES}`,
  })
  async upsertRelendingFacilities(@Arg('input', () => UpsertRelendingFacilitiesInput) input: UpsertRelendingFacilitiesInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await upsertRelendingFacilities(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `A regulator declares disaster events over areas of its scope (REGULATOR). ${BATCH_RULES}` })
  async recordDisasterEvents(@Arg('input', () => RecordDisasterEventsInput) input: RecordDisasterEventsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await recordDisasterEvents(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `A regulator reports inspection and audit findings with their rectification steps in its area (REGULATOR); versioned on the finding's version. ${BATCH_RULES}`,
  })
  async upsertFindings(@Arg('input', () => UpsertFindingsInput) input: UpsertFindingsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await upsertFindings(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `The institution a finding concerns (or the county government, for its county's own work) reports rectification steps done; only a regulator's verification counts them. ${BATCH_RULES}`,
  })
  async reportRectificationSteps(@Arg('input', () => ReportRectificationStepsInput) input: ReportRectificationStepsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await reportRectificationSteps(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `A regulator in scope verifies rectification steps reported done; a finding closes when all its steps are verified (REGULATOR). ${BATCH_RULES}`,
  })
  async verifyRectificationSteps(@Arg('input', () => VerifyRectificationStepsInput) input: VerifyRectificationStepsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await verifyRectificationSteps(ctx, dependencies(ctx), input));
  }

  @Query(() => RectificationProgressType, {
    description:
      'Rectification progress per county or per institution over the findings the caller may see (regulators and county governments their area, an institution its own), optionally narrowed to an area.',
  })
  rectificationProgress(
    @Arg('groupBy', () => RectificationGroupBy) groupBy: RectificationGroupBy,
    @Arg('area', () => AreaInput, { nullable: true }) area: AreaInput | null,
    @Ctx() ctx: Context,
  ): Promise<RectificationProgressType> {
    return rectificationProgress(ctx, { groupBy, area }) as Promise<RectificationProgressType>;
  }
}

/** The derived state of a finding, beside the stored status (which knows only OPEN and CLOSED). */
@Resolver(() => FindingType)
export class FindingStateResolver {
  @FieldResolver(() => FindingState, { description: 'The finding as of today (China time): OPEN, OVERDUE (past due, not closed) or CLOSED.' })
  state(@Root() finding: FindingRow): FindingState {
    return findingStateOn(finding, todayInChina()) as FindingState;
  }
}
