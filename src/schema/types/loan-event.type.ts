import { Field, Int, ObjectType } from 'type-graphql';
import { AccountKind, GuaranteeMode, LoanProduct } from '../enums';
import { ModificationKind } from '../query-enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('LoanModification', { implements: NodeInterface, simpleResolvers: true, description: 'An extension, renewal, or epidemic / disaster deferral of a loan.' })
export class LoanModificationType {
  @Field({ description: 'The bank’s own reference.' })
  ref!: string;

  @Field(() => ModificationKind)
  kind!: ModificationKind;

  @Field(() => DateScalar)
  effectiveOn!: string;

  @Field(() => DateScalar)
  previousMaturesOn!: string;

  @Field(() => DateScalar)
  newMaturesOn!: string;

  @Field({ description: 'A 2020 epidemic deferral allowed not to downgrade the class.' })
  classificationRelief!: boolean;
}

@ObjectType('Repayment', { implements: NodeInterface, simpleResolvers: true, description: 'A repayment of principal and interest.' })
export class RepaymentType {
  @Field({ description: 'The bank’s own reference.' })
  ref!: string;

  @Field(() => DateScalar)
  paidOn!: string;

  @Field(() => DecimalScalar)
  principal!: string;

  @Field(() => DecimalScalar)
  interest!: string;
}

@ObjectType('LoanVersion', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'One version of a loan’s terms as the bank submitted it: a corrected resubmission adds a version, never overwrites one.',
})
export class LoanVersionType {
  @Field(() => Int)
  version!: number;

  @Field({ description: 'SHA-256 (hex) of the canonical terms: equal hashes, equal terms.' })
  termsHash!: string;

  @Field(() => LoanProduct, { nullable: true })
  product!: LoanProduct | null;

  @Field(() => DecimalScalar, { nullable: true })
  principal!: string | null;

  @Field(() => DateScalar, { nullable: true })
  disbursedOn!: string | null;

  @Field(() => DateScalar, { nullable: true })
  maturesOn!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  annualRate!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  subsidyRate!: string | null;

  @Field(() => GuaranteeMode, { nullable: true })
  guaranteeMode!: GuaranteeMode | null;

  @Field(() => AccountKind, { nullable: true })
  paidToAccount!: AccountKind | null;

  @Field(() => String, { nullable: true })
  purpose!: string | null;
}
