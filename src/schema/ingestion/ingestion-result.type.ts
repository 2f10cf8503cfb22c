import { Extensions, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';

export enum IngestionItemStatus {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  PENDING_LINK = 'PENDING_LINK',
  REJECTED = 'REJECTED',
}

registerEnumType(IngestionItemStatus, {
  name: 'IngestionItemStatus',
  description:
    'What happened to one item: CREATED, UPDATED (a new version; the previous one is kept), UNCHANGED (the same item again), PENDING_LINK (accepted; its link to another institution’s loan resolves on the hub’s side, and the answer is the same whether or not that loan exists), REJECTED (see code, reason, path).',
});

@ObjectType('PolicyViolation', {
  description: 'A policy-compliance finding on an accepted item. It never rejects: the item lands and the violation is kept with its version.',
})
export class PolicyViolationType {
  @Field({ description: 'Stable code, e.g. MICROCREDIT_AMOUNT_ABOVE_CAP, CLASS_BETTER_THAN_FLOOR, GUARANTEE_FEE_ABOVE_CAP.' })
  code!: string;

  @Field({ description: 'The input path of the field concerned, e.g. items[3].principal.' })
  path!: string;

  @Field()
  message!: string;

  @Field(() => String, { nullable: true, description: 'The policy parameter whose value in force was exceeded.' })
  parameter!: string | null;

  @Field(() => String, { nullable: true, description: 'The limit in force.' })
  limit!: string | null;

  @Field(() => String, { nullable: true, description: 'The reported value compared with the limit.' })
  actual!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The date whose parameter values applied.' })
  inForceOn!: string | null;
}

@ObjectType('IngestionItemResult', { description: 'The result of one item of a batch.' })
export class IngestionItemResultType {
  @Field(() => Int, { description: 'The item’s position in the input list, from 0.' })
  index!: number;

  @Field({ description: 'The item’s own reference as sent (positions: `loanRef@monthEnd`).' })
  ref!: string;

  @Field(() => IngestionItemStatus)
  status!: IngestionItemStatus;

  @Field(() => String, { nullable: true, description: 'For REJECTED: BAD_USER_INPUT, NOT_FOUND or CONFLICT.' })
  code!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For REJECTED: a finer stable reason, e.g. ID_CHECK_CHARACTER, TOO_MANY_DECIMALS, DUPLICATE_REF, STALE_VERSION, BATCH_ROLLED_BACK.',
  })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'For REJECTED: the input path at fault, e.g. items[2].borrower.household.headIdNumber.' })
  path!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the record written or matched.' })
  id!: string | null;

  @Field(() => Int, { nullable: true, description: 'The record’s version after the item, for versioned records.' })
  version!: number | null;

  @Field(() => [PolicyViolationType])
  @Extensions({ maxItems: 10 })
  warnings!: PolicyViolationType[];
}

@ObjectType('IngestionCounts')
export class IngestionCountsType {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => Int)
  pendingLink!: number;

  @Field(() => Int)
  rejected!: number;
}

@ObjectType('IngestionResult', { description: 'The answer to one ingestion call: the batch and one result per item, in input order.' })
export class IngestionResultType {
  @Field({ description: 'The caller’s batch id, or the one the hub generated.' })
  batchId!: string;

  @Field({ description: 'The mutation that received the batch.' })
  kind!: string;

  @Field({ description: 'SHA-256 of the canonical payload (national ID numbers enter it only as keyed digests).' })
  payloadHash!: string;

  @Field(() => DateTimeScalar, { description: 'When the hub received the batch: the receivedAt of every row it wrote.' })
  receivedAt!: Date;

  @Field()
  partial!: boolean;

  @Field({ description: 'False when nothing was written (an all-or-nothing batch with a rejected item).' })
  committed!: boolean;

  @Field({ description: 'True when this repeats the answer to an earlier call with the same batchId and payload; nothing was applied again.' })
  replayed!: boolean;

  @Field(() => IngestionCountsType)
  counts!: IngestionCountsType;

  @Field(() => [IngestionItemResultType])
  @Extensions({ maxItems: 1000 })
  items!: IngestionItemResultType[];
}
