import { Field, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('PolicyInsuredHousehold', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'One household on a group policy’s insured list, with its own quantity, sum insured and premium where reported.',
})
export class PolicyInsuredHouseholdType {
  @Field(() => DecimalScalar, { nullable: true })
  quantity!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  sumInsured!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  premium!: string | null;
}

@ObjectType('Compensation', { implements: NodeInterface, simpleResolvers: true, description: 'A guarantor’s payment on a default (代偿).' })
export class CompensationType {
  @Field({ description: 'The guarantor’s own reference.' })
  ref!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DateScalar)
  paidOn!: string;

  @Field(() => DecimalScalar, { description: 'Recovered since (追偿), in total.' })
  recovered!: string;
}
