import { Field, InputType, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('PolicyParameter', {
  implements: NodeInterface,
  description: 'One version of a policy value, valid on [validFrom, validTo), with the document it rests on. Rules read these, never constants.',
})
export class PolicyParameterType {
  @Field({ description: 'e.g. microcredit.max_amount' })
  key!: string;

  @Field(() => DecimalScalar)
  value!: string;

  @Field({ description: 'YUAN, MONTHS, DAYS, RATE, RATIO, COUNT …' })
  unit!: string;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Exclusive; null while the version is in force.' })
  validTo!: string | null;

  @Field()
  basis!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: string;
}

@InputType('SetPolicyParameterInput', {
  description: 'A new version of a parameter from validFrom on; the open-ended version before it is closed at that date, never overwritten.',
})
export class SetPolicyParameterInput {
  @Field()
  key!: string;

  @Field(() => DecimalScalar)
  value!: string;

  @Field({ description: 'The unit of the parameter’s current version, for an existing key.' })
  unit!: string;

  @Field(() => DateScalar, { description: 'After the start of the current version.' })
  validFrom!: string;

  @Field({ description: 'The document the value rests on.' })
  basis!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType('SetPolicyParameterResult')
export class SetPolicyParameterResultType {
  @Field(() => PolicyParameterType, { description: 'The new version.' })
  parameter!: object;

  @Field(() => PolicyParameterType, { nullable: true, description: 'The version it closed, if one was open-ended.' })
  closed!: object | null;
}
