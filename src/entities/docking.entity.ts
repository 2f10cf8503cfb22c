import { Check, Entity, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { money, ref, ReportedRow, Row } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { Enterprise } from './enterprise.entity';
import { Loan } from './loan.entity';

/** A government–bank–enterprise financing matchmaking event (政银企融资对接) in a county. */
@Entity({ tableName: 'docking_event' })
@Unique({ properties: ['organizer', 'ref'] })
export class DockingEvent extends ReportedRow {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  organizer!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'date' })
  heldOn!: string;
}

/** One matched project: what the enterprise asked for, what the bank signed and disbursed. */
@Entity({ tableName: 'docking_project' })
@Unique({ properties: ['event', 'ref'] })
@Check({ name: 'docking_project_amounts', expression: 'requested >= 0 and signed >= 0 and disbursed >= 0' })
export class DockingProject extends ReportedRow {
  @ManyToOne({ entity: () => DockingEvent, ref: true, deleteRule: 'restrict' })
  event!: Ref<DockingEvent>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @ManyToOne({ entity: () => Enterprise, ref: true, index: true, deleteRule: 'restrict' })
  enterprise!: Ref<Enterprise>;

  @ManyToOne({ entity: () => Institution, ref: true, index: true, deleteRule: 'restrict' })
  bank!: Ref<Institution>;

  @Property(money())
  requested!: string;

  @Property(money())
  signed!: string;

  @Property(money())
  disbursed!: string;
}

/** A loan that resulted from a docking project. */
@Entity({ tableName: 'docking_project_loan' })
@Unique({ properties: ['project', 'loan'] })
export class DockingProjectLoan extends Row {
  @ManyToOne({ entity: () => DockingProject, ref: true, deleteRule: 'restrict' })
  project!: Ref<DockingProject>;

  @ManyToOne({ entity: () => Loan, ref: true, index: true, deleteRule: 'restrict' })
  loan!: Ref<Loan>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;
}
