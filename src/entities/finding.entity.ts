import { Check, Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { ref, ReportedRow, Row } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { FindingSource, FindingStatus } from './enums';

/** An inspection or audit finding to be rectified "one by one". */
@Entity({ tableName: 'finding' })
@Unique({ properties: ['sourceInstitution', 'ref'] })
@Check({ name: 'finding_dates', expression: 'due_on >= found_on and (closed_on is null or closed_on >= found_on)' })
@Check({ name: 'finding_closed', expression: "(status = 'CLOSED') = (closed_on is not null)" })
export class Finding extends ReportedRow {
  @Property(ref())
  ref!: string;

  @Enum({ items: () => FindingSource })
  source!: FindingSource;

  /** The institution that must rectify; null for findings on a county's own work. */
  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  institution?: Ref<Institution>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'date' })
  foundOn!: string;

  @Property({ type: 'date' })
  dueOn!: string;

  @Enum({ items: () => FindingStatus })
  status!: FindingStatus;

  @Property({ type: 'date', nullable: true })
  closedOn?: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** One rectification step; it counts as done only once a regulator has verified it. */
@Entity({ tableName: 'rectification_step' })
@Unique({ properties: ['finding', 'seq'] })
@Check({ name: 'rectification_step_verified', expression: '(verified_at is null) = (verified_by_id is null)' })
export class RectificationStep extends Row {
  @ManyToOne({ entity: () => Finding, ref: true, deleteRule: 'restrict' })
  finding!: Ref<Finding>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'date', nullable: true })
  reportedDoneOn?: string;

  @Property({ type: 'text', nullable: true })
  evidence?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  verifiedAt?: Date;

  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  verifiedBy?: Ref<Institution>;
}
