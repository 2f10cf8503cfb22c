import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { IngestBatch } from './ingest-batch.entity';

/**
 * The change feed: one row per record an ingestion (or an alert's lifecycle) created or
 * changed, written in the same transaction as the change itself. Its id is the feed's
 * cursor. Writers append under one transaction-scoped advisory lock taken just before
 * commit (`recordChanges`), so ids become visible in increasing order and a reader that
 * remembers the last id it saw misses nothing. Consumers: the `changes` subscription
 * (replay from a cursor) and the early-warning evaluator (`feed_consumer`).
 *
 * The row names the record, never its content: a subscriber sees an event only if it
 * may read the record, checked with the same scoping as `node(id)`.
 */
@Entity({ tableName: 'change_event' })
@Index({ name: 'change_event_occurred_at_index', properties: ['occurredAt'] })
export class ChangeEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** The GraphQL Node type of the record: `Loan`, `InsurancePolicy`, `Alert` … */
  @Property({ type: 'string', length: 40 })
  recordType!: string;

  @Property({ type: new BigIntType('string') })
  recordId!: string;

  /** CREATED, UPDATED, PENDING_LINK, LINKED, or an alert's new status. */
  @Property({ type: 'string', length: 24 })
  action!: string;

  /** The county of the record, when it has one (every fact row does). */
  @ManyToOne({ entity: () => Area, ref: true, nullable: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county?: Ref<Area>;

  /** The institution whose report or action caused the change. */
  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  institution?: Ref<Institution>;

  @ManyToOne({ entity: () => IngestBatch, ref: true, nullable: true, fieldName: 'batch_id', index: true, deleteRule: 'restrict' })
  batch?: Ref<IngestBatch>;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  occurredAt: Date = new Date();
}

/**
 * How far a durable consumer of the change feed has got (e.g. `alerts`, the early-warning
 * evaluator). It advances in the same transaction as the consumer's own writes, so a
 * crash between the two repeats the work (idempotent) rather than losing it.
 */
@Entity({ tableName: 'feed_consumer' })
export class FeedConsumer {
  @PrimaryKey({ type: 'string', length: 40 })
  name!: string;

  @Property({ type: new BigIntType('string'), default: 0 })
  lastEventId: string = '0';

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
