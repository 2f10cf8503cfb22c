import { Field, Int, ObjectType } from 'type-graphql';
import { FundMovementKind } from '../../entities/enums';
import { DateScalar, DecimalScalar } from '../scalars';

// FundMovementKind is registered with the ingestion inputs (`src/schema/ingestion/registry.input.ts`).

@ObjectType('FundAgreement', {
  simpleResolvers: true,
  description: 'A risk compensation fund’s loss-sharing agreement with one cooperating bank, for a period.',
})
export class FundAgreementType {
  @Field(() => DecimalScalar, { description: 'The fund’s share of a loss (0–1).' })
  fundShare!: string;

  @Field(() => DecimalScalar, { description: 'The bank’s share of a loss (0–1); the two add up to 1.' })
  bankShare!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'The cap on the bank’s backed balance / capital, where it differs from the fund’s.' })
  leverageCap!: string | null;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true })
  validTo!: string | null;
}

@ObjectType('FundMovement', { simpleResolvers: true, description: 'Money into or out of a risk compensation fund.' })
export class FundMovementType {
  @Field({ description: 'The government’s own reference.' })
  ref!: string;

  @Field(() => FundMovementKind)
  kind!: FundMovementKind;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DateScalar)
  occurredOn!: string;
}

@ObjectType('ServicePointMonth', { simpleResolvers: true, description: 'A service point’s transactions in one month.' })
export class ServicePointMonthType {
  @Field(() => DateScalar, { description: 'The month, as its last day.' })
  month!: string;

  @Field(() => Int)
  transactions!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'The month’s transaction amount, yuan; null where the point reported only a count.' })
  amount!: string | null;
}

@ObjectType('CompensationRecovery', { simpleResolvers: true, description: 'Money a guarantor recovered (追偿) after a compensation.' })
export class CompensationRecoveryType {
  @Field({ description: 'The guarantor’s own reference.' })
  ref!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DateScalar)
  recoveredOn!: string;
}
