import { Field, Int, ObjectType } from 'type-graphql';
import { ServicePointKind } from '../query-enums';
import { DateScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('ServicePoint', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'Where a village gets basic financial services: a branch, an ATM, an agent ("help-farmer withdrawal") point or a mobile service.',
})
export class ServicePointType {
  @Field({ description: 'The institution’s own reference.' })
  ref!: string;

  @Field(() => ServicePointKind)
  kind!: ServicePointKind;

  @Field()
  name!: string;

  @Field(() => DateScalar)
  openedOn!: string;

  @Field(() => DateScalar, { nullable: true })
  closedOn!: string | null;

  @Field(() => Int)
  version!: number;
}
