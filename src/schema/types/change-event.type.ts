import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';
import { NodeInterface } from './node.type';

/**
 * One entry of the change feed as the `changes` subscription delivers it: only ever
 * about a record the subscriber may read at delivery time, which it carries.
 */
@ObjectType('ChangeEvent', { simpleResolvers: true, description: 'A record created or changed, delivered by the `changes` subscription.' })
export class ChangeEventType {
  @Field({ description: 'Opaque position of this event in the feed: subscribe with `changes(after: cursor)` to resume after it.' })
  cursor!: string;

  @Field({ description: 'The GraphQL type of the record: `Loan`, `InsurancePolicy`, `Alert` …' })
  recordType!: string;

  @Field({ description: 'CREATED, UPDATED, PENDING_LINK, LINKED, or an alert’s new status.' })
  action!: string;

  @Field(() => DateTimeScalar, { description: 'When the change was committed (its transaction’s start).' })
  occurredAt!: Date;

  @Field(() => ID, { description: 'The global id of the record (as `record.id`).' })
  id!: string;

  @Field(() => NodeInterface, { description: 'The record as it is now, read with the subscriber’s own scoping and masking.' })
  record!: object;
}
