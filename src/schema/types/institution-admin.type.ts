import { Field, InputType, ObjectType } from 'type-graphql';
import { InstitutionKind } from '../enums';
import { DateScalar } from '../scalars';
import { ChangeOutcome } from './consent.type';
import { InstitutionType } from './institution.type';

@InputType('UpsertInstitutionInput', {
  description: 'An institution by code. Optional fields left out keep their value (defaults on creation); null clears parentCode or validTo.',
})
export class UpsertInstitutionInput {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field(() => InstitutionKind, { description: 'Fixed once the institution exists.' })
  kind!: InstitutionKind;

  @Field()
  homeAreaCode!: string;

  @Field(() => String, { nullable: true, description: 'The head office of a branch.' })
  parentCode?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Default 2014-01-01.' })
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  validTo?: string | null;
}

@ObjectType('InstitutionResult')
export class InstitutionResultType {
  @Field(() => InstitutionType)
  institution!: object;

  @Field(() => ChangeOutcome)
  outcome!: ChangeOutcome;
}
