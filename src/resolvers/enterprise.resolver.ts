import { Arg, Args, Ctx, Extensions, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AreaRow, EnterpriseRow, LinkageRow, ProvenanceColumns } from '../loaders';
import {
  AreaType,
  CountyType,
  DateScalar,
  DockingProjectConnection,
  DockingProjectConnectionArgs,
  EnterpriseConnection,
  EnterpriseConnectionArgs,
  EnterpriseLinkageType,
  EnterpriseType,
  GuaranteeContractConnection,
  GuaranteeContractConnectionArgs,
  InsurancePolicyConnection,
  InsurancePolicyConnectionArgs,
  LoanConnection,
  LoanConnectionArgs,
  nestedConnection,
  ProvenanceType,
  rootConnection,
  type Connection,
  type Context,
  type ListArgs,
} from '../schema';

@Resolver(() => EnterpriseType)
export class EnterpriseResolver {
  @Query(() => EnterpriseConnection, {
    description: 'Enterprises the caller may see (partners their counterparties; area roles those of their area), by name unless ordered otherwise.',
  })
  enterprises(@Args(() => EnterpriseConnectionArgs) args: ListArgs, @Ctx() ctx: Context): Connection<EnterpriseRow> {
    return rootConnection(ctx, ctx.loaders.enterpriseList, args);
  }

  @FieldResolver(() => CountyType)
  county(@Root() enterprise: EnterpriseRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(enterprise.countyCode);
  }

  @FieldResolver(() => AreaType, { nullable: true })
  village(@Root() enterprise: EnterpriseRow, @Ctx() ctx: Context): Promise<AreaRow | null> | null {
    return enterprise.villageCode === null ? null : ctx.loaders.areaByCode.load(enterprise.villageCode);
  }

  @FieldResolver(() => [EnterpriseLinkageType], {
    description: 'Registered households the enterprise employs or contracts, per mode: the latest report on or before asOf (the latest without it).',
  })
  @Extensions({ maxItems: 4 })
  linkages(
    @Root() enterprise: EnterpriseRow,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<LinkageRow[]> {
    return ctx.loaders.linkagesByEnterpriseIdAsOf.load({ enterpriseId: enterprise.id, asOf: asOf ?? null });
  }

  @FieldResolver(() => LoanConnection, { description: 'The enterprise’s loans the caller may see.' })
  loans(@Root() enterprise: EnterpriseRow, @Args(() => LoanConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.loansByEnterpriseId, enterprise.id, args);
  }

  @FieldResolver(() => InsurancePolicyConnection, { description: 'Policies the enterprise holds that the caller may see.' })
  policies(@Root() enterprise: EnterpriseRow, @Args(() => InsurancePolicyConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.policiesByEnterpriseId, enterprise.id, args);
  }

  @FieldResolver(() => GuaranteeContractConnection, { description: 'Guarantees for the enterprise’s borrowing that the caller may see.' })
  guarantees(@Root() enterprise: EnterpriseRow, @Args(() => GuaranteeContractConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.guaranteesByEnterpriseId, enterprise.id, args);
  }

  @FieldResolver(() => DockingProjectConnection, { description: 'Financing docking projects of the enterprise that the caller may see.' })
  dockingProjects(@Root() enterprise: EnterpriseRow, @Args(() => DockingProjectConnectionArgs) args: ListArgs, @Ctx() ctx: Context) {
    return nestedConnection(ctx, ctx.loaders.dockingProjectsByEnterpriseId, enterprise.id, args);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() enterprise: EnterpriseRow): ProvenanceColumns {
    return enterprise;
  }
}
