import { BlobType, Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Row } from './base';
import { Institution } from './institution.entity';
import { Role } from './enums';

/**
 * An API key of a partner system. The secret is shown once at issue and stored only as
 * a SHA-256 digest (it is 256 random bits, so a plain digest cannot be brute-forced);
 * `keyId` is the public half that names the key in logs, the CLI and the audit trail.
 */
@Entity({ tableName: 'api_key' })
@Check({ name: 'api_key_secret_hash_length', expression: 'octet_length(secret_hash) = 32' })
@Check({ name: 'api_key_dates', expression: '(expires_at is null or expires_at > created_at) and (revoked_at is null or revoked_at >= created_at)' })
@Index({ name: 'api_key_live_index', expression: 'create index "api_key_live_index" on "api_key" ("institution_id") where "revoked_at" is null' })
export class ApiKey extends Row {
  @Property({ type: 'string', length: 32 })
  @Unique()
  keyId!: string;

  @Property({ type: BlobType, columnType: 'bytea' })
  secretHash!: Buffer;

  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, deleteRule: 'restrict' })
  institution?: Ref<Institution>;

  @Enum({ items: () => Role })
  role!: Role;

  /** Area code prefixes the key may see; empty means the whole nation. */
  @Property({ type: 'text[]', default: '{}' })
  areaCodes: string[] = [];

  /** A regulator granted full PII (DESIGN.md §3: "partial unless granted PII"). */
  @Property({ type: 'boolean', default: false })
  piiGranted: boolean = false;

  @Property({ type: 'string', length: 200 })
  label!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date;

  /** The key this one replaced by rotation. */
  @ManyToOne({ entity: () => ApiKey, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  rotatedFrom?: Ref<ApiKey>;

  @Property({ type: 'string', length: 100 })
  createdBy!: string;
}

/** A caller's cost and requests per day (China time), for the daily budget that `usage` reports. */
@Entity({ tableName: 'usage_counter' })
@Unique({ properties: ['principalKey', 'day'] })
@Check({ name: 'usage_counter_non_negative', expression: 'cost >= 0 and requests >= 0' })
export class UsageCounter extends Row {
  /** `key:<keyId>` or `jwt:<issuer>:<subject>`. */
  @Property({ type: 'string', length: 200 })
  principalKey!: string;

  @Property({ type: 'date' })
  day!: string;

  @Property({ type: 'bigint', default: 0 })
  cost: string = '0';

  @Property({ type: 'integer', default: 0 })
  requests: number = 0;
}

/** An operation on the allow-list of persisted-operation mode, by the SHA-256 of its document. */
@Entity({ tableName: 'persisted_operation' })
@Unique({ properties: ['sha256'] })
export class PersistedOperation extends Row {
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'text' })
  document!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  name?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
