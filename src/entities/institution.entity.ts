import { Check, Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Row } from './base';
import { Area } from './area.entity';
import { InstitutionKind } from './enums';

/** A bank, insurer, guarantor, central-bank branch, regulator or county government. */
@Entity({ tableName: 'institution' })
@Check({ name: 'institution_valid_range', expression: 'valid_to is null or valid_to > valid_from' })
export class Institution extends Row {
  @Property({ type: 'string', length: 32 })
  @Unique()
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => InstitutionKind })
  kind!: InstitutionKind;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'home_area_code', index: true, deleteRule: 'restrict' })
  homeArea!: Ref<Area>;

  /** Branches name their head office; head offices have none. */
  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  parent?: Ref<Institution>;

  @Property({ type: 'date', defaultRaw: "'2014-01-01'" })
  validFrom: string = '2014-01-01';

  @Property({ type: 'date', nullable: true })
  validTo?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
