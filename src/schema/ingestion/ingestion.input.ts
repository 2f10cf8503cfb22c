import { batchInput, type BatchInputShape } from './batch-input';
import { Field, InputType, Int } from 'type-graphql';
import { AccountKind, EnterpriseKind, FiveClass, GuaranteeMode, LoanClosure, LoanProduct } from '../enums';
import { ModificationKind } from '../query-enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { NationalIdNumberScalar } from './national-id.scalar';

@InputType('HouseholdPartyInput', {
  description:
    'A household named by its head’s national ID number. A household the hub does not know is registered with status OTHER; the answer is the same either way.',
})
export class HouseholdPartyInput {
  @Field(() => NationalIdNumberScalar)
  headIdNumber!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The household’s 12-digit village code. Required with every ID number, so that no answer depends on whether the hub knew the household.',
  })
  villageCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored encrypted, for a household the hub does not know yet; ignored otherwise.' })
  headName?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored encrypted, for a household the hub does not know yet; ignored otherwise.' })
  headPhone?: string | null;
}

@InputType('EnterprisePartyInput', { description: 'An enterprise named by its unified social credit code; created when the hub does not know it.' })
export class EnterprisePartyInput {
  @Field()
  creditCode!: string;

  @Field({ description: 'Used when the hub does not know the enterprise yet.' })
  name!: string;

  @Field(() => EnterpriseKind)
  kind!: EnterpriseKind;

  @Field(() => String, { nullable: true })
  villageCode?: string | null;
}

@InputType('PartyInput', { description: 'Exactly one of household, householdRef (a household you already see) or enterprise.' })
export class PartyInput {
  @Field(() => HouseholdPartyInput, { nullable: true })
  household?: HouseholdPartyInput | null;

  @Field(() => String, { nullable: true })
  householdRef?: string | null;

  @Field(() => EnterprisePartyInput, { nullable: true })
  enterprise?: EnterprisePartyInput | null;
}

@InputType('LoanInput', { description: 'A loan as the lending bank reports it, named by the bank’s own reference.' })
export class LoanInput {
  @Field({ description: 'The bank’s own loan reference (idempotency key).' })
  ref!: string;

  @Field({ description: 'The 6-digit county the contract was made in.' })
  countyCode!: string;

  @Field(() => LoanProduct)
  product!: LoanProduct;

  @Field(() => PartyInput)
  borrower!: PartyInput;

  @Field(() => DecimalScalar, { description: 'Yuan, at most 2 decimals, as a string.' })
  principal!: string;

  @Field(() => DateScalar)
  disbursedOn!: string;

  @Field(() => DateScalar)
  maturesOn!: string;

  @Field(() => DecimalScalar, { description: 'Annual rate as a fraction: "0.0435" for 4.35 %.' })
  annualRate!: string;

  @Field(() => DecimalScalar, { nullable: true })
  subsidyRate?: string | null;

  @Field(() => GuaranteeMode)
  guaranteeMode!: GuaranteeMode;

  @Field(() => AccountKind)
  paidToAccount!: AccountKind;

  @Field(() => String, { nullable: true, description: 'Reference of the re-lending draw funding it (one lent to your institution).' })
  relendingFacilityRef?: string | null;

  @Field(() => String, { nullable: true, description: 'Reference of the county risk compensation fund backing it (one you have an agreement with).' })
  riskCompensationFundRef?: string | null;

  @Field(() => String, { nullable: true })
  purpose?: string | null;

  @Field(() => DateScalar, { nullable: true })
  closedOn?: string | null;

  @Field(() => LoanClosure, { nullable: true })
  closure?: LoanClosure | null;

  @Field(() => Int, { nullable: true, description: 'The loan version this item was based on; a stale one is rejected with CONFLICT.' })
  version?: number | null;
}

export const UpsertLoansInput = batchInput('UpsertLoansInput', LoanInput);
export type UpsertLoansInput = BatchInputShape<LoanInput>;

@InputType('LoanPositionInput', { description: 'A loan’s month-end position; a re-reported month becomes a new version.' })
export class LoanPositionInput {
  @Field()
  loanRef!: string;

  @Field(() => DateScalar, { description: 'The last day of the month.' })
  monthEnd!: string;

  @Field(() => DecimalScalar)
  balance!: string;

  @Field(() => DecimalScalar)
  overduePrincipal!: string;

  @Field(() => Int)
  overdueDays!: number;

  @Field(() => FiveClass)
  fiveClass!: FiveClass;

  @Field(() => DecimalScalar, { nullable: true })
  subsidyPaid?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version of this month’s position the item corrects.' })
  version?: number | null;
}

export const ReportLoanPositionsInput = batchInput('ReportLoanPositionsInput', LoanPositionInput);
export type ReportLoanPositionsInput = BatchInputShape<LoanPositionInput>;

@InputType('RepaymentInput')
export class RepaymentInput {
  @Field({ description: 'The bank’s own repayment reference.' })
  ref!: string;

  @Field()
  loanRef!: string;

  @Field(() => DateScalar)
  paidOn!: string;

  @Field(() => DecimalScalar)
  principal!: string;

  @Field(() => DecimalScalar)
  interest!: string;
}

export const RecordRepaymentsInput = batchInput('RecordRepaymentsInput', RepaymentInput);
export type RecordRepaymentsInput = BatchInputShape<RepaymentInput>;

@InputType('LoanModificationInput')
export class LoanModificationInput {
  @Field({ description: 'The bank’s own modification reference.' })
  ref!: string;

  @Field()
  loanRef!: string;

  @Field(() => ModificationKind)
  kind!: ModificationKind;

  @Field(() => DateScalar)
  effectiveOn!: string;

  @Field(() => DateScalar)
  previousMaturesOn!: string;

  @Field(() => DateScalar)
  newMaturesOn!: string;

  @Field(() => String, { nullable: true })
  disasterEventRef?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A deferral allowed not to downgrade the class (2020 epidemic).' })
  classificationRelief?: boolean | null;
}

export const RecordLoanModificationsInput = batchInput('RecordLoanModificationsInput', LoanModificationInput);
export type RecordLoanModificationsInput = BatchInputShape<LoanModificationInput>;

@InputType('LoanNameInput', { description: 'A loan as its bank names it: the bank’s institution code and its own loan reference.' })
export class LoanNameInput {
  @Field()
  bankCode!: string;

  @Field()
  loanRef!: string;
}

@InputType('GuaranteeContractInput', { description: 'A guarantee contract as the guarantor reports it, named by its own reference.' })
export class GuaranteeContractInput {
  @Field({ description: 'The guarantor’s own reference (idempotency key).' })
  ref!: string;

  @Field()
  countyCode!: string;

  @Field(() => PartyInput, { description: 'The guaranteed borrower.' })
  borrower!: PartyInput;

  @Field(() => DecimalScalar)
  guaranteedAmount!: string;

  @Field(() => DecimalScalar, { description: 'Annual fee as a fraction of the guaranteed amount.' })
  feeRate!: string;

  @Field(() => DecimalScalar)
  guarantorShare!: string;

  @Field(() => DecimalScalar)
  bankShare!: string;

  @Field(() => DecimalScalar)
  governmentShare!: string;

  @Field(() => DecimalScalar, { description: 'The four shares add up to exactly 1.' })
  reguaranteeShare!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar)
  endsOn!: string;

  @Field(() => DateScalar, { nullable: true })
  releasedOn?: string | null;

  @Field(() => [LoanNameInput], {
    nullable: true,
    description: 'The loans it covers. Linked once the bank has reported the loan for the same borrower; the answer is PENDING_LINK either way.',
  })
  loans?: LoanNameInput[] | null;

  @Field(() => Int, { nullable: true })
  version?: number | null;
}

export const UpsertGuaranteeContractsInput = batchInput('UpsertGuaranteeContractsInput', GuaranteeContractInput);
export type UpsertGuaranteeContractsInput = BatchInputShape<GuaranteeContractInput>;
