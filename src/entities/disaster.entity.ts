import { Check, Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { ref, ReportedRow, Row } from './base';
import { Area } from './area.entity';
import { DisasterKind } from './enums';

/** A flood, epidemic, drought … declared over some areas for a period; drives deferrals, claims and alerts. */
@Entity({ tableName: 'disaster_event' })
@Unique({ properties: ['sourceInstitution', 'ref'] })
@Check({ name: 'disaster_event_period', expression: 'ends_on is null or ends_on >= starts_on' })
export class DisasterEvent extends ReportedRow {
  @Property(ref())
  ref!: string;

  @Enum({ items: () => DisasterKind })
  kind!: DisasterKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date', nullable: true })
  endsOn?: string;
}

/** An area (any level) hit by a disaster event. */
@Entity({ tableName: 'disaster_area' })
@Unique({ properties: ['event', 'area'] })
export class DisasterArea extends Row {
  @ManyToOne({ entity: () => DisasterEvent, ref: true, deleteRule: 'restrict' })
  event!: Ref<DisasterEvent>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'area_code', index: true, deleteRule: 'restrict' })
  area!: Ref<Area>;
}
