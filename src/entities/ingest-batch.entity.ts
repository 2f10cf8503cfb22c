import { Check, Entity, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Row } from './base';
import { Institution } from './institution.entity';

/**
 * One submission of a partner: a mutation call, a file import chunk or a demo load. Every
 * reported row points at the batch that wrote it; a partner's own batch id is unique per
 * institution, and its payload hash makes a retried batch recognisable.
 */
@Entity({ tableName: 'ingest_batch' })
@Unique({ properties: ['institution', 'externalId'] })
@Check({ name: 'ingest_batch_counts', expression: 'item_count >= 0' })
export class IngestBatch extends Row {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  /** The partner's batch id, or a generated one. */
  @Property({ type: 'string', length: 100 })
  externalId!: string;

  /** Which mutation or import kind wrote it, e.g. `upsertLoans`. */
  @Property({ type: 'string', length: 64 })
  kind!: string;

  /** SHA-256 of the canonical payload; the same batch id with another payload is a conflict. */
  @Property({ type: 'string', length: 64 })
  payloadHash!: string;

  @Property({ type: 'integer', default: 0 })
  itemCount: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();
}
