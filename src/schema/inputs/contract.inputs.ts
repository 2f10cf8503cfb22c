/**
 * Filters, orders and connection arguments of contracts and their records: loans,
 * positions, versions, modifications, repayments, policies, claims, insured households,
 * guarantees and compensations. Field names match the lists' filter fields
 * (`src/loaders/contract.lists.ts`): `…_in` takes a list of values, ranges take
 * `{ gte, lte }`, and `and` / `or` / `not` combine whole filters.
 */
import { Field, InputType } from 'type-graphql';
import { BorrowerKind, ClaimCause, CombinedModel, DesignationKind, FiveClass, HouseholdStatus, InsuranceLine, LoanProduct, PolicyholderKind } from '../enums';
import { DateRangeInput, DecimalRangeInput, IntRangeInput } from '../filters';
import {
  ClaimOrderField,
  CompensationOrderField,
  Funding,
  GuaranteeOrderField,
  InsuredHouseholdOrderField,
  LoanOrderField,
  ModificationKind,
  ModificationOrderField,
  PolicyOrderField,
  PositionOrderField,
  RepaymentOrderField,
  VersionOrderField,
} from '../query-enums';
import { connectionArgs, orderInput } from './input-kit';

const AREA = 'An area code of 2, 4, 6, 9 or 12 digits: contracts made in it (below county level: whose borrower or holder, if visible, lives there).';
const DESIGNATION = 'The county held one of these designations on asOf (today without it).';
const INSTITUTION = 'Institution codes.';

@InputType('LoanFilter', { description: 'Conditions on loans. Position conditions (balance, overdue, class) read the position as of the connection’s asOf.' })
export class LoanFilterInput {
  @Field(() => [LoanFilterInput], { nullable: true, description: 'Every filter matches.' })
  and?: LoanFilterInput[] | null;

  @Field(() => [LoanFilterInput], { nullable: true, description: 'At least one filter matches.' })
  or?: LoanFilterInput[] | null;

  @Field(() => LoanFilterInput, { nullable: true, description: 'The filter does not match.' })
  not?: LoanFilterInput | null;

  @Field(() => String, { nullable: true, description: AREA })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => [LoanProduct], { nullable: true })
  product_in?: LoanProduct[] | null;

  @Field(() => [BorrowerKind], { nullable: true })
  borrowerKind_in?: BorrowerKind[] | null;

  @Field(() => [String], { nullable: true, description: `The lending banks. ${INSTITUTION}` })
  institutionCode_in?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The banks’ own loan references.' })
  ref_in?: string[] | null;

  @Field(() => Funding, { nullable: true })
  funding?: Funding | null;

  @Field(() => Boolean, { nullable: true, description: 'Backed by a risk compensation fund (or not).' })
  fundBacked?: boolean | null;

  @Field(() => [CombinedModel], { nullable: true, description: 'The combined model as of asOf (from all LINKED contracts without it).' })
  combinedModel_in?: CombinedModel[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  disbursedOn?: DateRangeInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  maturesOn?: DateRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true, description: 'The contract amount.' })
  principal?: DecimalRangeInput | null;

  @Field(() => Boolean, { nullable: true, description: 'Disbursed and not closed on asOf (today without it).' })
  outstanding?: boolean | null;

  @Field(() => [HouseholdStatus], { nullable: true, description: 'The borrower household’s registry status on asOf (current without it); only borrowers the caller may see.' })
  borrowerStatus_in?: HouseholdStatus[] | null;

  @Field(() => DecimalRangeInput, { nullable: true, description: 'Balance of the position as of asOf; loans without one do not match.' })
  balance?: DecimalRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  overduePrincipal?: DecimalRangeInput | null;

  @Field(() => IntRangeInput, { nullable: true })
  overdueDays?: IntRangeInput | null;

  @Field(() => [FiveClass], { nullable: true, description: 'The five-category class the bank reported for the position month.' })
  fiveClass_in?: FiveClass[] | null;
}

export const LoanOrderInput = orderInput('Loan', LoanOrderField);
export const LoanConnectionArgs = connectionArgs({
  filter: LoanFilterInput,
  order: LoanOrderInput,
  asOf: 'The date positions (latest month end on or before it), statuses, designations and combined models are read at; the latest without it.',
});

@InputType('LoanPositionFilter')
export class LoanPositionFilterInput {
  @Field(() => [LoanPositionFilterInput], { nullable: true })
  and?: LoanPositionFilterInput[] | null;

  @Field(() => [LoanPositionFilterInput], { nullable: true })
  or?: LoanPositionFilterInput[] | null;

  @Field(() => LoanPositionFilterInput, { nullable: true })
  not?: LoanPositionFilterInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  monthEnd?: DateRangeInput | null;

  @Field(() => [FiveClass], { nullable: true })
  fiveClass_in?: FiveClass[] | null;

  @Field(() => IntRangeInput, { nullable: true })
  overdueDays?: IntRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  balance?: DecimalRangeInput | null;
}

export const LoanPositionOrderInput = orderInput('LoanPosition', PositionOrderField);
export const LoanPositionConnectionArgs = connectionArgs({ filter: LoanPositionFilterInput, order: LoanPositionOrderInput });

export const LoanVersionOrderInput = orderInput('LoanVersion', VersionOrderField);
export const LoanVersionConnectionArgs = connectionArgs({ order: LoanVersionOrderInput });

@InputType('LoanModificationFilter')
export class LoanModificationFilterInput {
  @Field(() => [LoanModificationFilterInput], { nullable: true })
  and?: LoanModificationFilterInput[] | null;

  @Field(() => [LoanModificationFilterInput], { nullable: true })
  or?: LoanModificationFilterInput[] | null;

  @Field(() => LoanModificationFilterInput, { nullable: true })
  not?: LoanModificationFilterInput | null;

  @Field(() => [ModificationKind], { nullable: true })
  kind_in?: ModificationKind[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  effectiveOn?: DateRangeInput | null;

  @Field(() => String, { nullable: true, description: 'An area code of 2, 4 or 6 digits: modifications of loans made in it.' })
  area?: string | null;
}

export const LoanModificationOrderInput = orderInput('LoanModification', ModificationOrderField);
export const LoanModificationConnectionArgs = connectionArgs({ filter: LoanModificationFilterInput, order: LoanModificationOrderInput });

@InputType('RepaymentFilter')
export class RepaymentFilterInput {
  @Field(() => [RepaymentFilterInput], { nullable: true })
  and?: RepaymentFilterInput[] | null;

  @Field(() => [RepaymentFilterInput], { nullable: true })
  or?: RepaymentFilterInput[] | null;

  @Field(() => RepaymentFilterInput, { nullable: true })
  not?: RepaymentFilterInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  paidOn?: DateRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  principal?: DecimalRangeInput | null;
}

export const RepaymentOrderInput = orderInput('Repayment', RepaymentOrderField);
export const RepaymentConnectionArgs = connectionArgs({ filter: RepaymentFilterInput, order: RepaymentOrderInput });

@InputType('InsurancePolicyFilter')
export class InsurancePolicyFilterInput {
  @Field(() => [InsurancePolicyFilterInput], { nullable: true })
  and?: InsurancePolicyFilterInput[] | null;

  @Field(() => [InsurancePolicyFilterInput], { nullable: true })
  or?: InsurancePolicyFilterInput[] | null;

  @Field(() => InsurancePolicyFilterInput, { nullable: true })
  not?: InsurancePolicyFilterInput | null;

  @Field(() => String, { nullable: true, description: AREA })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => [InsuranceLine], { nullable: true })
  line_in?: InsuranceLine[] | null;

  @Field(() => [PolicyholderKind], { nullable: true })
  holderKind_in?: PolicyholderKind[] | null;

  @Field(() => [String], { nullable: true, description: `The insurers. ${INSTITUTION}` })
  institutionCode_in?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The insurers’ own policy references.' })
  ref_in?: string[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  startsOn?: DateRangeInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  endsOn?: DateRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  premium?: DecimalRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  sumInsured?: DecimalRangeInput | null;

  @Field(() => Boolean, { nullable: true, description: 'The policy period covers asOf (today without it).' })
  inForce?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'LINKED to a loan (credit-linked cover).' })
  linkedToLoan?: boolean | null;
}

export const InsurancePolicyOrderInput = orderInput('InsurancePolicy', PolicyOrderField);
export const InsurancePolicyConnectionArgs = connectionArgs({
  filter: InsurancePolicyFilterInput,
  order: InsurancePolicyOrderInput,
  asOf: 'The date designations and `inForce` are read at; today without it.',
});

@InputType('ClaimFilter')
export class ClaimFilterInput {
  @Field(() => [ClaimFilterInput], { nullable: true })
  and?: ClaimFilterInput[] | null;

  @Field(() => [ClaimFilterInput], { nullable: true })
  or?: ClaimFilterInput[] | null;

  @Field(() => ClaimFilterInput, { nullable: true })
  not?: ClaimFilterInput | null;

  @Field(() => [ClaimCause], { nullable: true })
  cause_in?: ClaimCause[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  lossOn?: DateRangeInput | null;

  @Field(() => DateRangeInput, { nullable: true, description: 'Unpaid claims do not match.' })
  paidOn?: DateRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true, description: 'Unpaid claims do not match.' })
  paidAmount?: DecimalRangeInput | null;

  @Field(() => Boolean, { nullable: true })
  paid?: boolean | null;
}

export const ClaimOrderInput = orderInput('Claim', ClaimOrderField);
export const ClaimConnectionArgs = connectionArgs({ filter: ClaimFilterInput, order: ClaimOrderInput });

export const PolicyInsuredHouseholdOrderInput = orderInput('PolicyInsuredHousehold', InsuredHouseholdOrderField);
export const PolicyInsuredHouseholdConnectionArgs = connectionArgs({ order: PolicyInsuredHouseholdOrderInput });

@InputType('GuaranteeContractFilter')
export class GuaranteeContractFilterInput {
  @Field(() => [GuaranteeContractFilterInput], { nullable: true })
  and?: GuaranteeContractFilterInput[] | null;

  @Field(() => [GuaranteeContractFilterInput], { nullable: true })
  or?: GuaranteeContractFilterInput[] | null;

  @Field(() => GuaranteeContractFilterInput, { nullable: true })
  not?: GuaranteeContractFilterInput | null;

  @Field(() => String, { nullable: true, description: AREA })
  area?: string | null;

  @Field(() => [DesignationKind], { nullable: true, description: DESIGNATION })
  designation_in?: DesignationKind[] | null;

  @Field(() => [String], { nullable: true, description: `The guarantors. ${INSTITUTION}` })
  institutionCode_in?: string[] | null;

  @Field(() => [BorrowerKind], { nullable: true })
  borrowerKind_in?: BorrowerKind[] | null;

  @Field(() => [String], { nullable: true, description: 'The guarantors’ own contract references.' })
  ref_in?: string[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  startsOn?: DateRangeInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  endsOn?: DateRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  guaranteedAmount?: DecimalRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  feeRate?: DecimalRangeInput | null;

  @Field(() => Boolean, { nullable: true })
  released?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'The period covers asOf (today without it) and the guarantee was not released by then.' })
  inForce?: boolean | null;
}

export const GuaranteeContractOrderInput = orderInput('GuaranteeContract', GuaranteeOrderField);
export const GuaranteeContractConnectionArgs = connectionArgs({
  filter: GuaranteeContractFilterInput,
  order: GuaranteeContractOrderInput,
  asOf: 'The date designations and `inForce` are read at; today without it.',
});

@InputType('CompensationFilter')
export class CompensationFilterInput {
  @Field(() => [CompensationFilterInput], { nullable: true })
  and?: CompensationFilterInput[] | null;

  @Field(() => [CompensationFilterInput], { nullable: true })
  or?: CompensationFilterInput[] | null;

  @Field(() => CompensationFilterInput, { nullable: true })
  not?: CompensationFilterInput | null;

  @Field(() => DateRangeInput, { nullable: true })
  paidOn?: DateRangeInput | null;

  @Field(() => DecimalRangeInput, { nullable: true })
  amount?: DecimalRangeInput | null;
}

export const CompensationOrderInput = orderInput('Compensation', CompensationOrderField);
export const CompensationConnectionArgs = connectionArgs({ filter: CompensationFilterInput, order: CompensationOrderInput });
