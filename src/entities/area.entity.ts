import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Row } from './base';
import { AreaLevel, DesignationKind } from './enums';

/**
 * A statistical division: province (2 digits), prefecture (4), county (6), township (9),
 * village (12). The code is the key, so "everything in prefecture 5134" is a prefix match.
 */
@Entity({ tableName: 'area' })
@Check({ name: 'area_code_digits', expression: "code ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?$'" })
@Check({ name: 'area_valid_range', expression: 'valid_to is null or valid_from is null or valid_to > valid_from' })
@Index({ name: 'area_code_prefix_index', expression: 'create index "area_code_prefix_index" on "area" ("code" text_pattern_ops)' })
export class Area {
  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Enum({ items: () => AreaLevel })
  level!: AreaLevel;

  @ManyToOne({ entity: () => Area, ref: true, nullable: true, fieldName: 'parent_code', index: true, deleteRule: 'restrict' })
  parent?: Ref<Area>;

  /** Statistics-only county-level units (development zones) that are not GB/T 2260 counties. */
  @Property({ type: 'boolean', default: false })
  statisticalOnly: boolean = false;

  @Property({ type: 'date', nullable: true })
  validFrom?: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;
}

/**
 * A dated designation of an area, valid on [validFrom, validTo). Designations come and go
 * (a county exits poverty, becomes a revitalization key county), so a filter "as of a date"
 * reads this table, never a boolean on the county.
 */
@Entity({ tableName: 'area_designation' })
@Unique({ properties: ['area', 'kind', 'validFrom'] })
@Index({ properties: ['kind', 'validFrom'] })
@Check({ name: 'area_designation_valid_range', expression: 'valid_to is null or valid_to > valid_from' })
export class AreaDesignation extends Row {
  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'area_code', deleteRule: 'restrict' })
  area!: Ref<Area>;

  @Enum({ items: () => DesignationKind })
  kind!: DesignationKind;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;

  /** The policy document or data file the designation comes from. */
  @Property({ type: 'text' })
  basis!: string;

  /** Synthetic designations of the demo data set, labelled so wherever they are shown. */
  @Property({ type: 'boolean', default: false })
  demoOnly: boolean = false;
}
