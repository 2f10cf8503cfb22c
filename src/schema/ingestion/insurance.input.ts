import { batchInput, type BatchInputShape } from './batch-input';
import { Field, InputType, Int } from 'type-graphql';
import { ClaimCause, InsuranceLine } from '../enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { HouseholdPartyInput, LoanNameInput, PartyInput } from './ingestion.input';

@InputType('InsuredHouseholdInput', {
  description:
    'One household on a group policy’s insured list (分户清单), named by its head’s national ID number and village. A household the hub does not know is registered with status OTHER; the answer is the same either way.',
})
export class InsuredHouseholdInput {
  @Field(() => HouseholdPartyInput)
  household!: HouseholdPartyInput;

  @Field(() => DecimalScalar, { nullable: true, description: 'The household’s insured quantity, in the policy’s unit.' })
  quantity?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Yuan. Given for every household, the list adds up to the policy’s sum insured; otherwise at most it.' })
  sumInsured?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Yuan. Given for every household, the list adds up to the policy’s premium; otherwise at most it.' })
  premium?: string | null;
}

@InputType('InsurancePolicyInput', { description: 'An insurance policy as the insurer reports it, named by its own reference.' })
export class InsurancePolicyInput {
  @Field({ description: 'The insurer’s own policy reference (idempotency key).' })
  ref!: string;

  @Field({ description: 'The 6-digit county the policy was made in.' })
  countyCode!: string;

  @Field(() => InsuranceLine)
  line!: InsuranceLine;

  @Field({ description: 'What is insured: rice, breeding sows, public-welfare forest …' })
  subject!: string;

  @Field(() => DecimalScalar, { description: 'Insured quantity in `unit`, at most 4 decimals, greater than 0.' })
  quantity!: string;

  @Field({ description: 'MU, HEAD, HOUSEHOLD, YUAN … (capital letters).' })
  unit!: string;

  @Field(() => DecimalScalar, { description: 'Yuan.' })
  sumInsured!: string;

  @Field(() => DecimalScalar, { description: 'Yuan: the five payer shares add up to exactly this.' })
  premium!: string;

  @Field(() => DecimalScalar, { description: 'Premium subsidy paid by the central government, yuan.' })
  centralShare!: string;

  @Field(() => DecimalScalar, { description: 'Premium subsidy paid by the province, yuan.' })
  provincialShare!: string;

  @Field(() => DecimalScalar, { description: 'Premium subsidy paid by the county (or prefecture), yuan.' })
  countyShare!: string;

  @Field(() => DecimalScalar, { description: 'Premium paid by the farmer, yuan.' })
  farmerShare!: string;

  @Field(() => DecimalScalar, { description: 'Premium paid from poverty-alleviation funds, yuan.' })
  povertyFundShare!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar, { description: 'After startsOn.' })
  endsOn!: string;

  @Field(() => PartyInput, {
    nullable: true,
    description: 'The policyholder: a household or an enterprise. Absent, or an enterprise (a cooperative), for a group policy, which lists its insured households instead.',
  })
  holder?: PartyInput | null;

  @Field(() => [InsuredHouseholdInput], { nullable: true, description: 'A group policy’s insured households (at most 1,000). A changed list is a new version.' })
  insured?: InsuredHouseholdInput[] | null;

  @Field(() => [LoanNameInput], {
    nullable: true,
    description:
      'The loans it covers (credit-linked cover). Linked once the bank has reported the loan for the holder or a listed household; the answer is PENDING_LINK either way.',
  })
  loans?: LoanNameInput[] | null;

  @Field(() => Int, { nullable: true, description: 'The policy version this item was based on; a stale one is rejected with CONFLICT.' })
  version?: number | null;
}

export const UpsertInsurancePoliciesInput = batchInput('UpsertInsurancePoliciesInput', InsurancePolicyInput);
export type UpsertInsurancePoliciesInput = BatchInputShape<InsurancePolicyInput>;

@InputType('ClaimInput', { description: 'A claim on one of the insurer’s own policies, named by its own claim reference. Send it again as it is agreed and paid: each change is a new version.' })
export class ClaimInput {
  @Field({ description: 'The insurer’s own claim reference (idempotency key).' })
  ref!: string;

  @Field({ description: 'Your reference of the policy it is made on.' })
  policyRef!: string;

  @Field(() => ClaimCause)
  cause!: ClaimCause;

  @Field(() => HouseholdPartyInput, { nullable: true, description: 'For a group policy: the insured household the claim pays; it must be on the policy’s insured list.' })
  insured?: HouseholdPartyInput | null;

  @Field(() => String, { nullable: true, description: 'Reference of the declared disaster event that caused the loss.' })
  disasterEventRef?: string | null;

  @Field(() => DateScalar, { description: 'Inside the policy’s period.' })
  lossOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Loss assessment agreed (定损); with agreedAmount.' })
  agreedOn?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Yuan, at most the sum insured.' })
  agreedAmount?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'On or after agreedOn; with paidAmount.' })
  paidOn?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Yuan, greater than 0 and at most agreedAmount.' })
  paidAmount?: string | null;

  @Field(() => Int, { nullable: true, description: 'The claim version this item was based on; a stale one is rejected with CONFLICT.' })
  version?: number | null;
}

export const RecordClaimsInput = batchInput('RecordClaimsInput', ClaimInput);
export type RecordClaimsInput = BatchInputShape<ClaimInput>;
