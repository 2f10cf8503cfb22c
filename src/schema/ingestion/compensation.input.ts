import { batchInput, type BatchInputShape } from './batch-input';
import { Field, InputType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';

@InputType('CompensationRecoveryInput', { description: 'Money recovered (追偿) after a compensation, named by its own reference. Recorded once; never overwritten.' })
export class CompensationRecoveryInput {
  @Field()
  ref!: string;

  @Field(() => DecimalScalar, { description: 'Yuan, greater than 0.' })
  amount!: string;

  @Field(() => DateScalar, { description: 'On or after the compensation was paid.' })
  recoveredOn!: string;
}

@InputType('CompensationInput', {
  description:
    'A guarantor’s payment (代偿) on a default under one of its own guarantees, named by its own reference. A recorded compensation is never overwritten; recoveries are added to it.',
})
export class CompensationInput {
  @Field({ description: 'The guarantor’s own compensation reference (idempotency key).' })
  ref!: string;

  @Field({ description: 'Your reference of the guarantee contract it pays under.' })
  guaranteeRef!: string;

  @Field(() => DecimalScalar, { description: 'Yuan, greater than 0; the guarantee’s compensations together at most its guaranteed amount.' })
  amount!: string;

  @Field(() => DateScalar, { description: 'On or after the guarantee started.' })
  paidOn!: string;

  @Field(() => [CompensationRecoveryInput], {
    nullable: true,
    description: 'Recoveries to record (at most 100); those recorded earlier need not be sent again. Together at most the amount paid.',
  })
  recoveries?: CompensationRecoveryInput[] | null;
}

export const RecordCompensationsInput = batchInput('RecordCompensationsInput', CompensationInput);
export type RecordCompensationsInput = BatchInputShape<CompensationInput>;
