/**
 * GraphQL inputs of the government-side ingestion mutations: registry households,
 * enterprises and their linkages, service points and their monthly activity, risk
 * compensation funds with their bank agreements and movements, financing docking events. Enum-typed fields reuse the domain's
 * GraphQL enums; a national ID number arrives only through `NationalIdNumber`.
 */
import { batchInput, type BatchInputShape } from './batch-input';
import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { FundMovementKind } from '../../entities/enums';
import { EnterpriseKind, HouseholdAttribute, HouseholdStatus } from '../enums';
import { LinkageMode, ServicePointKind } from '../query-enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { LoanNameInput } from './ingestion.input';
import { NationalIdNumberScalar } from './national-id.scalar';

registerEnumType(FundMovementKind, {
  name: 'FundMovementKind',
  description: 'Money into a risk compensation fund (TOP_UP, RECOVERY) or out of it (PAYOUT on a default, WITHDRAWAL).',
});

@InputType('HouseholdRegistryInput', {
  description:
    'A registry household as its county government reports it. Matched to the hub’s household by the head’s national ID number (never stored or echoed); a household a lender first reported is adopted, not duplicated.',
})
export class HouseholdRegistryInput {
  @Field({ description: 'The government’s own registry household number (户编号): echoed in results and the key of replays. Must not contain an ID number.' })
  ref!: string;

  @Field(() => NationalIdNumberScalar)
  headIdNumber!: string;

  @Field({ description: 'The household’s 12-digit village code, in your county.' })
  villageCode!: string;

  @Field(() => String, { nullable: true, description: 'Stored encrypted; required for a household new to the hub; absent keeps what is stored.' })
  headName?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored encrypted; absent keeps what is stored.' })
  headPhone?: string | null;

  @Field(() => HouseholdStatus)
  status!: HouseholdStatus;

  @Field(() => DateScalar, { description: 'The date the status took effect: a changed status is appended to the history from this date.' })
  statusSince!: string;

  @Field(() => Int, { nullable: true, description: 'The exit year; required with LIFTED_OUT.' })
  exitYear?: number | null;

  @Field(() => DateScalar, { nullable: true })
  registeredOn?: string | null;

  @Field(() => HouseholdAttribute, { nullable: true })
  attribute?: HouseholdAttribute | null;

  @Field(() => Int, { nullable: true, description: 'Household members, 1 to 30.' })
  size?: number | null;

  @Field(() => String, { nullable: true, description: 'Why the status changed (kept with the status change).' })
  statusReason?: string | null;

  @Field(() => Int, { nullable: true, description: 'The household version this item was based on; a stale one is rejected with CONFLICT.' })
  version?: number | null;
}

export const UpsertHouseholdsInput = batchInput('UpsertHouseholdsInput', HouseholdRegistryInput);
export type UpsertHouseholdsInput = BatchInputShape<HouseholdRegistryInput>;

@InputType('ServicePointInput', { description: 'A village service point, named by its operator’s code and the operator’s own reference.' })
export class ServicePointInput {
  @Field({ description: 'The operator’s own reference of the point (idempotency key with the operator).' })
  ref!: string;

  @Field(() => String, { nullable: true, description: 'The operating institution: a bank reports only its own points (omit it); a county government its own or a bank’s.' })
  operatorCode?: string | null;

  @Field(() => ServicePointKind)
  kind!: ServicePointKind;

  @Field()
  name!: string;

  @Field({ description: '12-digit village code, in your scope.' })
  villageCode!: string;

  @Field(() => DateScalar)
  openedOn!: string;

  @Field(() => DateScalar, { nullable: true })
  closedOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'The point version this item was based on; a stale one is rejected with CONFLICT.' })
  version?: number | null;
}

export const UpsertServicePointsInput = batchInput('UpsertServicePointsInput', ServicePointInput);
export type UpsertServicePointsInput = BatchInputShape<ServicePointInput>;

@InputType('ServicePointActivityInput', { description: 'One month of a service point’s transactions; idempotent per point and month.' })
export class ServicePointActivityInput {
  @Field()
  servicePointRef!: string;

  @Field(() => String, { nullable: true, description: 'The point’s operator, when it is not you.' })
  operatorCode?: string | null;

  @Field(() => DateScalar, { description: 'The last day of the month.' })
  month!: string;

  @Field(() => Int)
  transactions!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'The month’s transaction amount, yuan, an exact decimal string (at least 0); omit when the point counts only.' })
  amount?: string | null;
}

export const ReportServicePointActivityInput = batchInput('ReportServicePointActivityInput', ServicePointActivityInput);
export type ReportServicePointActivityInput = BatchInputShape<ServicePointActivityInput>;

@InputType('EnterpriseLinkageInput', { description: 'How many registered households an enterprise links to in one way, at a month end.' })
export class EnterpriseLinkageInput {
  @Field(() => LinkageMode)
  mode!: LinkageMode;

  @Field(() => Int)
  households!: number;

  @Field(() => DateScalar, { description: 'The last day of the month.' })
  asOf!: string;
}

@InputType('EnterpriseRegistryInput', { description: 'An enterprise of your county, named by its unified social credit code (idempotency key).' })
export class EnterpriseRegistryInput {
  @Field()
  creditCode!: string;

  @Field()
  name!: string;

  @Field(() => EnterpriseKind)
  kind!: EnterpriseKind;

  @Field({ description: 'The 6-digit county of its registered seat, in your scope.' })
  countyCode!: string;

  @Field(() => String, { nullable: true })
  villageCode?: string | null;

  @Field({ description: 'Recognised as a poverty-driving enterprise.' })
  povertyDriving!: boolean;

  @Field(() => [EnterpriseLinkageInput], { nullable: true, description: 'Linkage counts by mode and month end; a corrected count is a new version.' })
  linkages?: EnterpriseLinkageInput[] | null;

  @Field(() => Int, { nullable: true })
  version?: number | null;
}

export const UpsertEnterprisesInput = batchInput('UpsertEnterprisesInput', EnterpriseRegistryInput);
export type UpsertEnterprisesInput = BatchInputShape<EnterpriseRegistryInput>;

@InputType('FundBankAgreementInput', { description: 'The loss-sharing agreement of a fund with one bank from a date.' })
export class FundBankAgreementInput {
  @Field()
  bankCode!: string;

  @Field(() => DecimalScalar, { description: 'The fund’s share of a loss, e.g. "0.7".' })
  fundShare!: string;

  @Field(() => DecimalScalar, { description: 'The bank’s share; the two sum to exactly 1.' })
  bankShare!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'A bank-specific leverage cap, at most the fund’s.' })
  leverageCap?: string | null;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true })
  validTo?: string | null;
}

@InputType('RiskCompensationFundInput', { description: 'A county risk compensation fund, named by your own reference.' })
export class RiskCompensationFundInput {
  @Field()
  ref!: string;

  @Field()
  name!: string;

  @Field()
  countyCode!: string;

  @Field(() => DecimalScalar, { description: 'Committed capital, yuan.' })
  capital!: string;

  @Field(() => DecimalScalar, { description: 'Backed balance / capital may not exceed this multiple, e.g. "10".' })
  leverageCap!: string;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => [FundBankAgreementInput], { nullable: true, description: 'The full list of agreements; one no longer listed is ended with this version.' })
  agreements?: FundBankAgreementInput[] | null;

  @Field(() => Int, { nullable: true })
  version?: number | null;
}

export const UpsertRiskCompensationFundsInput = batchInput('UpsertRiskCompensationFundsInput', RiskCompensationFundInput);
export type UpsertRiskCompensationFundsInput = BatchInputShape<RiskCompensationFundInput>;

@InputType('FundMovementInput', { description: 'Money into or out of one of your funds, named by (fundRef, ref).' })
export class FundMovementInput {
  @Field()
  fundRef!: string;

  @Field()
  ref!: string;

  @Field(() => FundMovementKind)
  kind!: FundMovementKind;

  @Field(() => DecimalScalar, { description: 'Yuan, greater than 0.' })
  amount!: string;

  @Field(() => DateScalar)
  occurredOn!: string;

  @Field(() => LoanNameInput, { nullable: true, description: 'The defaulted loan a payout or recovery concerns.' })
  loan?: LoanNameInput | null;
}

export const RecordFundMovementsInput = batchInput('RecordFundMovementsInput', FundMovementInput);
export type RecordFundMovementsInput = BatchInputShape<FundMovementInput>;

@InputType('DockingProjectInput', { description: 'One matched project of a docking event.' })
export class DockingProjectInput {
  @Field()
  ref!: string;

  @Field()
  enterpriseCreditCode!: string;

  @Field()
  bankCode!: string;

  @Field(() => DecimalScalar)
  requested!: string;

  @Field(() => DecimalScalar)
  signed!: string;

  @Field(() => DecimalScalar)
  disbursed!: string;

  @Field(() => [LoanNameInput], { nullable: true, description: 'The loans that resulted, as the project’s bank names them.' })
  loans?: LoanNameInput[] | null;
}

@InputType('DockingEventInput', { description: 'A government–bank–enterprise financing docking event, named by your own reference.' })
export class DockingEventInput {
  @Field()
  ref!: string;

  @Field()
  name!: string;

  @Field()
  countyCode!: string;

  @Field(() => DateScalar)
  heldOn!: string;

  @Field(() => [DockingProjectInput], { nullable: true, description: 'The full list of projects; one no longer listed is removed with this version.' })
  projects?: DockingProjectInput[] | null;

  @Field(() => Int, { nullable: true })
  version?: number | null;
}

export const RecordDockingEventsInput = batchInput('RecordDockingEventsInput', DockingEventInput);
export type RecordDockingEventsInput = BatchInputShape<DockingEventInput>;
