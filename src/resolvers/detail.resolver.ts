/**
 * The capped detail lists of funds, service points and compensations (see
 * `src/loaders/detail.loaders.ts`): one statement per nesting level, whatever the number
 * of parents.
 */
import { Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  MAX_ACTIVITY_MONTHS,
  MAX_FUND_AGREEMENTS,
  MAX_FUND_MOVEMENTS,
  MAX_RECOVERIES,
  type CompensationRow,
  type FundAgreementRow,
  type FundMovementRow,
  type FundRow,
  type InstitutionRow,
  type LoanRow,
  type ProvenanceColumns,
  type RecoveryRow,
  type ServicePointMonthRow,
  type ServicePointRow,
} from '../loaders';
import {
  CompensationRecoveryType,
  CompensationType,
  FundAgreementType,
  FundMovementType,
  InstitutionType,
  LoanType,
  ProvenanceType,
  RiskCompensationFundType,
  ServicePointMonthType,
  ServicePointType,
  type Context,
} from '../schema';

@Resolver(() => RiskCompensationFundType)
export class FundDetailResolver {
  @FieldResolver(() => [FundAgreementType], {
    description: `Its loss-sharing agreements the caller may see (a bank: its own), by bank and start date (at most ${MAX_FUND_AGREEMENTS}).`,
  })
  @Extensions({ maxItems: MAX_FUND_AGREEMENTS })
  agreements(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<FundAgreementRow[]> {
    return ctx.loaders.agreementsByFundId.load(fund.id);
  }

  @FieldResolver(() => [FundMovementType], {
    description:
      `Money into and out of it, latest first (at most ${MAX_FUND_MOVEMENTS}). A bank sees the fund’s own movements and those about its own loans.`,
  })
  @Extensions({ maxItems: MAX_FUND_MOVEMENTS })
  movements(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<FundMovementRow[]> {
    return ctx.loaders.movementsByFundId.load(fund.id);
  }
}

@Resolver(() => FundAgreementType)
export class FundAgreementResolver {
  @FieldResolver(() => InstitutionType, { description: 'The cooperating bank.' })
  bank(@Root() agreement: FundAgreementRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(agreement.bankId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() agreement: FundAgreementRow): ProvenanceColumns {
    return agreement;
  }
}

@Resolver(() => FundMovementType)
export class FundMovementResolver {
  @FieldResolver(() => LoanType, { nullable: true, description: 'The loan a payout or recovery is about, when the caller may see it.' })
  loan(@Root() movement: FundMovementRow, @Ctx() ctx: Context): Promise<LoanRow | null> | null {
    return movement.loanId === null ? null : ctx.loaders.loanById.load(movement.loanId);
  }

  @FieldResolver(() => ProvenanceType)
  provenance(@Root() movement: FundMovementRow): ProvenanceColumns {
    return movement;
  }
}

@Resolver(() => ServicePointType)
export class ServicePointActivityResolver {
  @FieldResolver(() => [ServicePointMonthType], { description: `Transactions per month, latest first (at most ${MAX_ACTIVITY_MONTHS} months).` })
  @Extensions({ maxItems: MAX_ACTIVITY_MONTHS })
  monthlyActivity(@Root() point: ServicePointRow, @Ctx() ctx: Context): Promise<ServicePointMonthRow[]> {
    return ctx.loaders.activityByServicePointId.load(point.id);
  }
}

@Resolver(() => CompensationType)
export class CompensationRecoveriesResolver {
  @FieldResolver(() => [CompensationRecoveryType], { description: `What the guarantor recovered since, in date order (at most ${MAX_RECOVERIES}).` })
  @Extensions({ maxItems: MAX_RECOVERIES })
  recoveries(@Root() compensation: CompensationRow, @Ctx() ctx: Context): Promise<RecoveryRow[]> {
    return ctx.loaders.recoveriesByCompensationId.load(compensation.id);
  }
}

@Resolver(() => CompensationRecoveryType)
export class CompensationRecoveryResolver {
  @FieldResolver(() => ProvenanceType)
  provenance(@Root() recovery: RecoveryRow): ProvenanceColumns {
    return recovery;
  }
}
