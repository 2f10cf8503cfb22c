import { Field, Int, ObjectType } from 'type-graphql';
import { EnterpriseKind } from '../enums';
import { NodeInterface } from './node.type';

@ObjectType('Enterprise', { simpleResolvers: true, implements: NodeInterface, description: 'A company, cooperative or family farm, named by its unified social credit code.' })
export class EnterpriseType {
  @Field()
  creditCode!: string;

  @Field()
  name!: string;

  @Field(() => EnterpriseKind)
  kind!: EnterpriseKind;

  @Field({ description: 'Recognised as a poverty-driving enterprise.' })
  povertyDriving!: boolean;

  @Field(() => Int)
  version!: number;
}
