import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

@ObjectType('Provenance', { simpleResolvers: true, description: 'Who reported a value, in which batch and when the hub received it.' })
export class ProvenanceType {
  @Field(() => DateTimeScalar)
  receivedAt!: string;
}
