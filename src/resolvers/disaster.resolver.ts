import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, DisasterAreaRow, DisasterEventRow, ProvenanceColumns } from '../loaders';
import {
  AreaType,
  ClaimConnection,
  ClaimConnectionArgs,
  DisasterAreaConnection,
  DisasterAreaConnectionArgs,
  DisasterAreaType,
  DisasterEventType,
  LoanModificationConnection,
  LoanModificationConnectionArgs,
  nestedConnection,
  ProvenanceType,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => DisasterEventType)
export class DisasterEventResolver {
  @FieldResolver(() => DisasterAreaConnection, { description: 'The areas the event hit, by code.' })
  areas(@Root() event: DisasterEventRow, @Args(() => DisasterAreaConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.areasByDisasterEventId, event.id, args);
  }

  @FieldResolver(() => LoanModificationConnection, { description: 'Loan deferrals granted for the event that the caller may see.' })
  deferrals(@Root() event: DisasterEventRow, @Args(() => LoanModificationConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.deferralsByDisasterEventId, event.id, args);
  }

  @FieldResolver(() => ClaimConnection, { description: 'Insurance claims citing the event that the caller may see.' })
  claims(@Root() event: DisasterEventRow, @Args(() => ClaimConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.claimsByDisasterEventId, event.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() event: DisasterEventRow): ProvenanceColumns {
    return event;
  }
}

@Resolver(() => DisasterAreaType)
export class DisasterAreaResolver {
  @FieldResolver(() => DisasterEventType, { nullable: true })
  event(@Root() area: DisasterAreaRow, @Ctx() ctx: Context): Promise<DisasterEventRow | null> {
    return ctx.loaders.disasterEventById.load(area.eventId);
  }

  @FieldResolver(() => AreaType, { nullable: true })
  area(@Root() area: DisasterAreaRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(area.areaCode);
  }
}
