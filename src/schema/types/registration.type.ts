import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../scalars';

export enum RegistrationStatus {
  REGISTERED = 'REGISTERED',
  MARGINAL = 'MARGINAL',
  NOT_REGISTERED = 'NOT_REGISTERED',
}

registerEnumType(RegistrationStatus, {
  name: 'RegistrationStatus',
  description:
    'A household’s registry status as a partner may check it: REGISTERED (registered poor or lifted out), MARGINAL (at risk of falling back), NOT_REGISTERED (not in the registry, or unknown to the hub).',
});

@ObjectType('HouseholdRegistration', { description: 'The registry status of one household, and nothing else about it.' })
export class HouseholdRegistrationType {
  @Field(() => RegistrationStatus)
  status!: RegistrationStatus;

  @Field(() => DateScalar, { description: 'The date (China time) the status holds on.' })
  asOf!: string;
}
