import { Check, Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { ReportedRow } from './base';
import { Area } from './area.entity';
import { EnterpriseKind, LinkageMode } from './enums';

/** A company, cooperative or family farm borrowing for industry, named by its unified social credit code. */
@Entity({ tableName: 'enterprise' })
@Check({ name: 'enterprise_credit_code', expression: "credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'" })
export class Enterprise extends ReportedRow {
  @Property({ type: 'string', length: 18 })
  @Unique()
  creditCode!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => EnterpriseKind })
  kind!: EnterpriseKind;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @ManyToOne({ entity: () => Area, ref: true, nullable: true, fieldName: 'village_code', index: true, deleteRule: 'restrict' })
  village?: Ref<Area>;

  /** Recognised as a poverty-driving enterprise (扶贫龙头企业 and the like). */
  @Property({ type: 'boolean', default: false })
  povertyDriving: boolean = false;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** How many registered households an enterprise employs or contracts, and how, at a month end. */
@Entity({ tableName: 'enterprise_linkage' })
@Unique({ properties: ['enterprise', 'mode', 'asOf'] })
@Check({ name: 'enterprise_linkage_households', expression: 'households >= 0' })
export class EnterpriseLinkage extends ReportedRow {
  @ManyToOne({ entity: () => Enterprise, ref: true, deleteRule: 'restrict' })
  enterprise!: Ref<Enterprise>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => LinkageMode })
  mode!: LinkageMode;

  @Property({ type: 'integer' })
  households!: number;

  @Property({ type: 'date' })
  asOf!: string;
}
