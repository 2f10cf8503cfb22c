import { Field, Int, ObjectType } from 'type-graphql';
import { HouseholdAttribute, HouseholdStatus } from '../enums';
import { DateScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('Household', {
  simpleResolvers: true,
  implements: NodeInterface,
  description: 'A rural household, named by its opaque hub reference. PII is masked per principal; the national ID is never returned.',
})
export class HouseholdType {
  @Field({ description: 'The hub-assigned opaque reference.' })
  ref!: string;

  @Field(() => DateScalar, { description: 'The date the current status took effect.' })
  statusSince!: string;

  @Field(() => Int, { nullable: true, description: 'The year a LIFTED_OUT household exited poverty.' })
  exitYear!: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'The date the household entered the registry, if it ever did.' })
  registeredOn!: string | null;

  @Field(() => HouseholdAttribute, { nullable: true })
  attribute!: HouseholdAttribute | null;

  @Field(() => Int, { nullable: true })
  size!: number | null;

  @Field(() => Int)
  version!: number;
}

@ObjectType('HouseholdStatusChange', { simpleResolvers: true, implements: NodeInterface, description: 'One dated change of a household’s registry status.' })
export class HouseholdStatusChangeType {
  @Field(() => HouseholdStatus)
  status!: HouseholdStatus;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => Int, { nullable: true })
  exitYear!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}
