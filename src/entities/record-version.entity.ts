import { Check, Entity, Enum, Index, JsonType, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { ReportedRow } from './base';
import { Area } from './area.entity';
import { RecordKind } from './enums';

/**
 * Every version of a reported record's terms — the first one included — as submitted:
 * a corrected resubmission adds a version here and never overwrites the previous one.
 * `terms` holds the canonical JSON of the item (money as decimal strings).
 */
@Entity({ tableName: 'record_version' })
@Unique({ properties: ['recordKind', 'recordId', 'version'] })
@Index({ properties: ['county', 'recordKind'] })
@Check({ name: 'record_version_version', expression: 'version >= 1' })
export class RecordVersion extends ReportedRow {
  @Enum({ items: () => RecordKind })
  recordKind!: RecordKind;

  @Property({ type: 'bigint' })
  recordId!: string;

  @Property({ type: 'integer' })
  version!: number;

  /** The record's county; null for records that have none (a province-wide disaster event). */
  @ManyToOne({ entity: () => Area, ref: true, nullable: true, fieldName: 'county_code', deleteRule: 'restrict' })
  county?: Ref<Area>;

  @Property({ type: JsonType })
  terms!: Record<string, unknown>;

  /** SHA-256 of the canonical terms: the same item again is UNCHANGED. */
  @Property({ type: 'string', length: 64 })
  termsHash!: string;
}
