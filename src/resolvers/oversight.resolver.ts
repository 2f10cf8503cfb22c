import { Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { MAX_FINDING_STEPS, type AlertRow, type AreaRow, type FindingRow, type InstitutionRow, type ProvenanceColumns, type RectificationStepRow } from '../loaders';
import {
  AlertConnection,
  AlertConnectionArgs,
  AlertType,
  CountyType,
  FindingConnection,
  FindingConnectionArgs,
  FindingType,
  InstitutionType,
  ProvenanceType,
  RectificationStepType,
  rootConnection,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => FindingType)
export class FindingResolver {
  @Query(() => FindingConnection, {
    description: 'Inspection and audit findings the caller may see (an institution those it must rectify; area roles those of their area), by date found unless ordered otherwise.',
  })
  findings(@Args(() => FindingConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<FindingRow> {
    return rootConnection(ctx, ctx.loaders.findingList, args);
  }

  @FieldResolver(() => InstitutionType, { nullable: true, description: 'The institution that must rectify; null for a county’s own work.' })
  institution(@Root() finding: FindingRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return finding.institutionId === null ? null : ctx.loaders.institutionById.load(finding.institutionId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() finding: FindingRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(finding.countyCode);
  }

  @FieldResolver(() => [RectificationStepType], { description: `The rectification steps in order (at most ${MAX_FINDING_STEPS}).` })
  @Extensions({ maxItems: MAX_FINDING_STEPS })
  steps(@Root() finding: FindingRow, @Ctx() ctx: Context): Promise<RectificationStepRow[]> {
    return ctx.loaders.stepsByFindingId.load(finding.id);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() finding: FindingRow): ProvenanceColumns {
    return finding;
  }
}

@Resolver(() => RectificationStepType)
export class RectificationStepResolver {
  @FieldResolver(() => FindingType, { nullable: true })
  finding(@Root() step: RectificationStepRow, @Ctx() ctx: Context): Promise<FindingRow | null> {
    return ctx.loaders.findingById.load(step.findingId);
  }

  @FieldResolver(() => Boolean, { description: 'Verified by a regulator: only then does the step count as done.' })
  verified(@Root() step: RectificationStepRow): boolean {
    return step.verifiedAt !== null;
  }

  @FieldResolver(() => InstitutionType, { nullable: true, description: 'The regulator that verified it.' })
  verifiedBy(@Root() step: RectificationStepRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return step.verifiedById === null ? null : ctx.loaders.institutionById.load(step.verifiedById);
  }
}

@Resolver(() => AlertType)
export class AlertResolver {
  @Query(() => AlertConnection, {
    description: 'Early-warning alerts the caller may see (an institution those assigned to it; area roles those about counties in scope), newest first unless ordered otherwise.',
  })
  alerts(@Args(() => AlertConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<AlertRow> {
    return rootConnection(ctx, ctx.loaders.alertList, args);
  }

  @FieldResolver(() => CountyType, { nullable: true })
  county(@Root() alert: AlertRow, @Ctx() ctx: Context): Promise<AreaRow | null> | null {
    return alert.countyCode === null ? null : ctx.loaders.areaByCode.load(alert.countyCode);
  }

  @FieldResolver(() => InstitutionType, { nullable: true, description: 'The institution the alert is assigned to.' })
  institution(@Root() alert: AlertRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return alert.institutionId === null ? null : ctx.loaders.institutionById.load(alert.institutionId);
  }
}
