import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AreaRow, DisasterEventRow, InstitutionRow, LoanRow, LoanVersionRow, ModificationRow, ProvenanceColumns, RepaymentRow } from '../loaders';
import {
  CountyType,
  DisasterEventType,
  InstitutionType,
  LoanModificationType,
  LoanType,
  LoanVersionType,
  ProvenanceType,
  RepaymentType,
  type Context,
} from '../schema';

@Resolver(() => LoanModificationType)
export class LoanModificationResolver {
  @FieldResolver(() => LoanType, { nullable: true })
  loan(@Root() modification: ModificationRow, @Ctx() ctx: Context): Promise<LoanRow | null> {
    return ctx.loaders.loanById.load(modification.loanId);
  }

  @FieldResolver(() => InstitutionType, { description: 'The lending bank.' })
  institution(@Root() modification: ModificationRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(modification.institutionId);
  }

  @FieldResolver(() => CountyType)
  county(@Root() modification: ModificationRow, @Ctx() ctx: Context): Promise<AreaRow | null> {
    return ctx.loaders.areaByCode.load(modification.countyCode);
  }

  @FieldResolver(() => DisasterEventType, { nullable: true, description: 'The disaster a deferral was granted for.' })
  disasterEvent(@Root() modification: ModificationRow, @Ctx() ctx: Context): Promise<DisasterEventRow | null> | null {
    return modification.disasterEventId === null ? null : ctx.loaders.disasterEventById.load(modification.disasterEventId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() modification: ModificationRow): ProvenanceColumns {
    return modification;
  }
}

@Resolver(() => RepaymentType)
export class RepaymentResolver {
  @FieldResolver(() => LoanType, { nullable: true })
  loan(@Root() repayment: RepaymentRow, @Ctx() ctx: Context): Promise<LoanRow | null> {
    return ctx.loaders.loanById.load(repayment.loanId);
  }

  @FieldResolver(() => InstitutionType, { description: 'The lending bank.' })
  institution(@Root() repayment: RepaymentRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(repayment.institutionId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() repayment: RepaymentRow): ProvenanceColumns {
    return repayment;
  }
}

@Resolver(() => LoanVersionType)
export class LoanVersionResolver {
  @FieldResolver(() => LoanType, { nullable: true })
  loan(@Root() version: LoanVersionRow, @Ctx() ctx: Context): Promise<LoanRow | null> {
    return ctx.loaders.loanById.load(version.loanId);
  }

  @FieldResolver(() => ProvenanceType, { description: 'Who submitted this version, in which batch and when.' })
  provenance(@Root() version: LoanVersionRow): ProvenanceColumns {
    return version;
  }
}
