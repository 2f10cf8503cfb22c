import { Field, Int, ObjectType } from 'type-graphql';
import { LinkageMode } from '../query-enums';
import { DateScalar } from '../scalars';

@ObjectType('EnterpriseLinkage', {
  simpleResolvers: true,
  description: 'How many registered households an enterprise employs or contracts in one way, as reported at a month end.',
})
export class EnterpriseLinkageType {
  @Field(() => LinkageMode)
  mode!: LinkageMode;

  @Field(() => Int)
  households!: number;

  @Field(() => DateScalar, { description: 'The month end the figure was reported for.' })
  asOf!: string;
}
