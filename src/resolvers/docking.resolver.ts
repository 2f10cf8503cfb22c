import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, DockingEventRow, DockingProjectRow, EnterpriseRow, InstitutionRow, ProvenanceColumns } from '../loaders';
import {
  CountyType,
  DockingEventType,
  DockingProjectConnection,
  DockingProjectConnectionArgs,
  DockingProjectType,
  EnterpriseType,
  InstitutionType,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  ProvenanceType,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => DockingEventType)
export class DockingEventResolver {
  @FieldResolver(() => InstitutionType, { description: 'The organizer (usually the county government).' })
  organizer(@Root() event: DockingEventRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(event.organizerId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() event: DockingEventRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(event.countyCode);
  }

  @FieldResolver(() => DockingProjectConnection, { description: 'The matched projects the caller may see (a bank its own).' })
  projects(@Root() event: DockingEventRow, @Args(() => DockingProjectConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.projectsByDockingEventId, event.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() event: DockingEventRow): ProvenanceColumns {
    return event;
  }
}

@Resolver(() => DockingProjectType)
export class DockingProjectResolver {
  @FieldResolver(() => DockingEventType, { nullable: true })
  event(@Root() project: DockingProjectRow, @Ctx() ctx: Context): Promise<DockingEventRow | null> {
    return ctx.loaders.dockingEventById.load(project.eventId);
  }

  @FieldResolver(() => EnterpriseType, { nullable: true, description: 'The enterprise, when the caller may see it.' })
  enterprise(@Root() project: DockingProjectRow, @Ctx() ctx: Context): Promise<EnterpriseRow | null> {
    return ctx.loaders.enterpriseById.load(project.enterpriseId);
  }

  @FieldResolver(() => InstitutionType)
  bank(@Root() project: DockingProjectRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(project.bankId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() project: DockingProjectRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(project.countyCode);
  }

  @FieldResolver(() => LoanConnection, { description: 'The loans that resulted, those the caller may see.' })
  loans(@Root() project: DockingProjectRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByDockingProjectId, project.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() project: DockingProjectRow): ProvenanceColumns {
    return project;
  }
}
