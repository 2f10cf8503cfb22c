import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';
import { NodeInterface } from './node.type';

/** What a write did to the record it names. */
export enum ChangeOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
}

registerEnumType(ChangeOutcome, {
  name: 'ChangeOutcome',
  description: 'What a write did: CREATED a record, UPDATED it, or found it already so (UNCHANGED, nothing written).',
});

@ObjectType('Consent', {
  implements: NodeInterface,
  description:
    'A household’s consent to share its PII and its other records in the same packages with an institution beyond contract facts. Live until revoked; revocation counts from the next request.',
})
export class ConsentType {
  @Field(() => DateTimeScalar)
  givenAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'Where the signed consent lives (a form number, a file reference).' })
  evidence!: string | null;
}

@InputType('RecordConsentInput')
export class RecordConsentInput {
  @Field()
  householdRef!: string;

  @Field({ description: 'The institution the household consents to share with: a bank, insurer or guarantor.' })
  institutionCode!: string;

  @Field(() => String, { nullable: true })
  evidence?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the household gave it; now when omitted. Not in the future.' })
  givenAt?: Date | null;
}

@InputType('RevokeConsentInput')
export class RevokeConsentInput {
  @Field()
  householdRef!: string;

  @Field()
  institutionCode!: string;
}

@ObjectType('ConsentResult')
export class ConsentResultType {
  @Field(() => ConsentType)
  consent!: object;

  @Field(() => ChangeOutcome, { description: 'recordConsent: CREATED or UNCHANGED (already live); revokeConsent: UPDATED or UNCHANGED (already revoked).' })
  outcome!: ChangeOutcome;
}
