import { Check, Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { money, ref, ReportedRow } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { ServicePointKind } from './enums';

/** Where a village gets basic financial services: a branch, an ATM, an agent point or a mobile service. */
@Entity({ tableName: 'service_point' })
@Unique({ properties: ['institution', 'ref'] })
@Check({ name: 'service_point_dates', expression: 'closed_on is null or closed_on >= opened_on' })
export class ServicePoint extends ReportedRow {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @Enum({ items: () => ServicePointKind })
  kind!: ServicePointKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'village_code', index: true, deleteRule: 'restrict' })
  village!: Ref<Area>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'date' })
  openedOn!: string;

  @Property({ type: 'date', nullable: true })
  closedOn?: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/**
 * A service point's transaction count for one month (month-end date), and optionally the
 * month's transaction amount (yuan): older reports and operators that only count carry none.
 */
@Entity({ tableName: 'service_point_activity' })
@Unique({ properties: ['servicePoint', 'month'] })
@Check({ name: 'service_point_activity_transactions', expression: 'transactions >= 0' })
@Check({ name: 'service_point_activity_amount', expression: 'amount is null or amount >= 0' })
@Check({ name: 'service_point_activity_is_month_end', expression: 'extract(day from month + 1) = 1' })
export class ServicePointActivity extends ReportedRow {
  @ManyToOne({ entity: () => ServicePoint, ref: true, deleteRule: 'restrict' })
  servicePoint!: Ref<ServicePoint>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'date' })
  month!: string;

  @Property({ type: 'integer' })
  transactions!: number;

  @Property(money({ nullable: true }))
  amount?: string | null;
}
