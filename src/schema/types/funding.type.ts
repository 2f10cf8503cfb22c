import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('RelendingFacility', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'A central-bank poverty re-lending draw to a local bank (3/6/12-month tenors, rolled over at most four times).',
})
export class RelendingFacilityType {
  @Field({ description: 'The lending central-bank branch’s own reference.' })
  ref!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DecimalScalar)
  annualRate!: string;

  @Field(() => DateScalar)
  drawnOn!: string;

  @Field(() => DateScalar)
  dueOn!: string;

  @Field(() => Int)
  rollovers!: number;

  @Field(() => DateScalar, { nullable: true })
  repaidOn!: string | null;

  @Field(() => Int)
  version!: number;
}

@ObjectType('RiskCompensationFund', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'A county government’s risk compensation fund, deposited with cooperating banks that lend a multiple of it.',
})
export class RiskCompensationFundType {
  @Field({ description: 'The government’s own reference.' })
  ref!: string;

  @Field()
  name!: string;

  @Field(() => DecimalScalar, { description: 'Committed capital.' })
  capital!: string;

  @Field(() => DecimalScalar, { description: 'The cap on backed balance / capital.' })
  leverageCap!: string;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => Int)
  version!: number;
}
