import { Field, ObjectType } from 'type-graphql';
import { DisasterKind } from '../query-enums';
import { DateScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('DisasterEvent', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'A flood, epidemic, drought … declared over some areas for a period; it drives deferrals, claims and alerts.',
})
export class DisasterEventType {
  @Field({ description: 'The declaring authority’s own reference.' })
  ref!: string;

  @Field(() => DisasterKind)
  kind!: DisasterKind;

  @Field()
  name!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar, { nullable: true })
  endsOn!: string | null;
}

@ObjectType('DisasterArea', { implements: NodeInterface, simpleResolvers: true, description: 'An area (any level) a disaster event hit.' })
export class DisasterAreaType {}
