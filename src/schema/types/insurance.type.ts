import { Field, Int, ObjectType } from 'type-graphql';
import { ClaimCause, InsuranceLine, PolicyholderKind } from '../enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('InsurancePolicy', { simpleResolvers: true, implements: NodeInterface, description: 'An agricultural or credit-linked insurance policy.' })
export class InsurancePolicyType {
  @Field({ description: 'The insurer’s own policy reference.' })
  ref!: string;

  @Field(() => InsuranceLine)
  line!: InsuranceLine;

  @Field({ description: 'What is insured: rice, breeding sows …' })
  subject!: string;

  @Field(() => DecimalScalar)
  quantity!: string;

  @Field({ description: 'MU, HEAD, HOUSEHOLD, YUAN …' })
  unit!: string;

  @Field(() => DecimalScalar)
  sumInsured!: string;

  @Field(() => DecimalScalar)
  premium!: string;

  @Field(() => DecimalScalar, { description: 'Premium paid by the central government.' })
  centralShare!: string;

  @Field(() => DecimalScalar)
  provincialShare!: string;

  @Field(() => DecimalScalar)
  countyShare!: string;

  @Field(() => DecimalScalar)
  farmerShare!: string;

  @Field(() => DecimalScalar)
  povertyFundShare!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar)
  endsOn!: string;

  @Field(() => PolicyholderKind)
  holderKind!: PolicyholderKind;

  @Field(() => Int)
  version!: number;
}

@ObjectType('Claim', { simpleResolvers: true, implements: NodeInterface, description: 'A payout on a policy.' })
export class ClaimType {
  @Field({ description: 'The insurer’s own claim reference.' })
  ref!: string;

  @Field(() => ClaimCause)
  cause!: ClaimCause;

  @Field(() => DateScalar)
  lossOn!: string;

  @Field(() => DateScalar, { nullable: true })
  agreedOn!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  agreedAmount!: string | null;

  @Field(() => DateScalar, { nullable: true })
  paidOn!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  paidAmount!: string | null;

  @Field(() => Int)
  version!: number;
}
