import { Field, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('DockingEvent', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'A government–bank–enterprise financing matchmaking event (政银企融资对接) in a county.',
})
export class DockingEventType {
  @Field({ description: 'The organizer’s own reference.' })
  ref!: string;

  @Field()
  name!: string;

  @Field(() => DateScalar)
  heldOn!: string;
}

@ObjectType('DockingProject', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'One matched project of a docking event: what the enterprise asked for, what the bank signed and disbursed.',
})
export class DockingProjectType {
  @Field()
  ref!: string;

  @Field(() => DecimalScalar)
  requested!: string;

  @Field(() => DecimalScalar)
  signed!: string;

  @Field(() => DecimalScalar)
  disbursed!: string;
}
