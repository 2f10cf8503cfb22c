import { Field, ObjectType } from 'type-graphql';
import { InstitutionKind } from '../enums';
import { DateScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('Institution', {
  simpleResolvers: true,
  implements: NodeInterface,
  description: 'A bank, insurer, guarantor, central-bank branch, regulator or county government.',
})
export class InstitutionType {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field(() => InstitutionKind)
  kind!: InstitutionKind;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true })
  validTo!: string | null;
}
