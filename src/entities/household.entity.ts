import { BlobType, Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { ReportedRow, Row } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { HouseholdAttribute, HouseholdStatus } from './enums';

/**
 * A rural household, named inside the hub by an opaque `ref`. The head's national ID
 * number is never stored: institutions are matched through HouseholdIdentity's keyed
 * hash. Name and phone are encrypted at rest (AES-256-GCM, key version inside the blob).
 * `status` mirrors the latest HouseholdStatusChange; the history is the truth.
 */
@Entity({ tableName: 'household' })
@Index({ name: 'household_county_ref_index', properties: ['county', 'ref'] })
@Check({ name: 'household_exit_year', expression: "status <> 'LIFTED_OUT' or exit_year is not null" })
@Check({ name: 'household_size', expression: 'size is null or (size >= 1 and size <= 30)' })
export class Household extends ReportedRow {
  @Property({ type: 'string', length: 16 })
  @Unique()
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'village_code', index: true, deleteRule: 'restrict' })
  village!: Ref<Area>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => HouseholdStatus })
  status!: HouseholdStatus;

  @Property({ type: 'date' })
  statusSince!: string;

  @Property({ type: 'smallint', nullable: true })
  exitYear?: number;

  /** The date the household entered the registry (建档立卡), if it ever did. */
  @Property({ type: 'date', nullable: true })
  registeredOn?: string;

  @Enum({ items: () => HouseholdAttribute, nullable: true })
  attribute?: HouseholdAttribute;

  @Property({ type: 'smallint', nullable: true })
  size?: number;

  @Property({ type: BlobType, columnType: 'bytea' })
  nameEnc!: Buffer;

  @Property({ type: BlobType, columnType: 'bytea', nullable: true })
  phoneEnc?: Buffer;

  @Property({ type: 'smallint' })
  piiKeyVersion!: number;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/**
 * The keyed match hash (HMAC-SHA256) of a household head's national ID number, with the
 * key version that made it. A change of head or a key rotation closes one identity and
 * opens another; only one live identity per (key version, hash).
 */
@Entity({ tableName: 'household_identity' })
@Index({
  name: 'household_identity_live_unique',
  expression:
    'create unique index "household_identity_live_unique" on "household_identity" ("key_version", "match_hash") where "valid_to" is null',
})
@Check({ name: 'household_identity_hash_length', expression: 'octet_length(match_hash) = 32' })
@Check({ name: 'household_identity_valid_range', expression: 'valid_to is null or valid_to >= valid_from' })
export class HouseholdIdentity extends Row {
  @ManyToOne({ entity: () => Household, ref: true, index: true, deleteRule: 'restrict' })
  household!: Ref<Household>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'smallint' })
  keyVersion!: number;

  @Property({ type: BlobType, columnType: 'bytea' })
  matchHash!: Buffer;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  validFrom: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  validTo?: Date;
}

/** One dated change of a household's registry status; the status on a date is the latest change on or before it. */
@Entity({ tableName: 'household_status_change' })
@Unique({ properties: ['household', 'validFrom'] })
@Index({ properties: ['county', 'validFrom'] })
@Check({ name: 'household_status_change_exit_year', expression: "status <> 'LIFTED_OUT' or exit_year is not null" })
export class HouseholdStatusChange extends ReportedRow {
  @ManyToOne({ entity: () => Household, ref: true, deleteRule: 'restrict' })
  household!: Ref<Household>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => HouseholdStatus })
  status!: HouseholdStatus;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'smallint', nullable: true })
  exitYear?: number;

  @Property({ type: 'text', nullable: true })
  reason?: string;
}

/**
 * A household's consent to share its PII and linked records with an institution beyond
 * contract facts. Live while `revokedAt` is null; at most one live consent per pair.
 */
@Entity({ tableName: 'consent' })
@Index({
  name: 'consent_live_unique',
  expression: 'create unique index "consent_live_unique" on "consent" ("household_id", "institution_id") where "revoked_at" is null',
})
@Check({ name: 'consent_revoked_after_given', expression: 'revoked_at is null or revoked_at >= given_at' })
export class Consent extends ReportedRow {
  @ManyToOne({ entity: () => Household, ref: true, index: true, deleteRule: 'restrict' })
  household!: Ref<Household>;

  /** The institution the household consents to share with. */
  @ManyToOne({ entity: () => Institution, ref: true, index: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  givenAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date;

  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  revokedBy?: Ref<Institution>;

  /** Where the signed consent lives (a form number, a file reference). */
  @Property({ type: 'text', nullable: true })
  evidence?: string;
}
