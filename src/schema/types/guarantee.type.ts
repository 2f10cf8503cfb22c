import { Field, Int, ObjectType } from 'type-graphql';
import { BorrowerKind } from '../enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('GuaranteeContract', { simpleResolvers: true, implements: NodeInterface, description: 'A guarantor covering part of a loan.' })
export class GuaranteeContractType {
  @Field({ description: 'The guarantor’s own contract reference.' })
  ref!: string;

  @Field(() => BorrowerKind)
  borrowerKind!: BorrowerKind;

  @Field(() => DecimalScalar)
  guaranteedAmount!: string;

  @Field(() => DecimalScalar, { description: 'Annual fee as a rate of the guaranteed amount.' })
  feeRate!: string;

  @Field(() => DecimalScalar, { description: 'Risk shares of guarantor, bank, government and re-guarantee fund sum to 1.' })
  guarantorShare!: string;

  @Field(() => DecimalScalar)
  bankShare!: string;

  @Field(() => DecimalScalar)
  governmentShare!: string;

  @Field(() => DecimalScalar)
  reguaranteeShare!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar)
  endsOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The date the guarantee was released (解保).' })
  releasedOn!: string | null;

  @Field(() => Int)
  version!: number;
}
