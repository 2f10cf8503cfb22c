import { BlobType, Entity, Index, JsonType, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Row } from './base';
import { Institution } from './institution.entity';
import { Household } from './household.entity';

/**
 * One audited event: a read of household PII, a registration lookup, an admin action.
 * Writers only insert (never wait for one another); a single chainer then gives each
 * committed entry the next `chainSeq` and `hash = sha256(prevHash || canonical entry)`,
 * so any edit, deletion or reordering of chained entries breaks verification.
 */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['at'] })
@Index({ name: 'audit_log_unchained_index', expression: 'create index "audit_log_unchained_index" on "audit_log" ("id") where "hash" is null' })
export class AuditLog extends Row {
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ type: 'string', length: 64 })
  requestId!: string;

  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  actorInstitution?: Ref<Institution>;

  @Property({ type: 'string', length: 16 })
  actorRole!: string;

  /** The API key id or token subject that acted. */
  @Property({ type: 'string', length: 100, nullable: true })
  actorKey?: string;

  /** PII_READ, REGISTRATION_LOOKUP, KEY_ISSUED, PARAMETER_CHANGED, CONSENT_RECORDED … */
  @Property({ type: 'string', length: 48 })
  action!: string;

  /** The GraphQL operation name or CLI command. */
  @Property({ type: 'string', length: 200, nullable: true })
  operation?: string;

  @ManyToOne({ entity: () => Household, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  household?: Ref<Household>;

  @Property({ type: 'text[]', nullable: true })
  fields?: string[];

  @Property({ type: JsonType, nullable: true })
  details?: Record<string, unknown>;

  /** Position in the hash chain, assigned by the chainer in commit order. */
  @Property({ type: 'bigint', nullable: true, unique: 'audit_log_chain_seq_unique' })
  chainSeq?: string;

  @Property({ type: BlobType, columnType: 'bytea', nullable: true })
  prevHash?: Buffer;

  @Property({ type: BlobType, columnType: 'bytea', nullable: true })
  hash?: Buffer;
}
