import { Check, Entity, Enum, Index, JsonType, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Row } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { AlertRuleKind, AlertStatus, Severity } from './enums';

/** An early-warning rule: a kind implemented in code, its parameters versioned as data. */
@Entity({ tableName: 'alert_rule' })
export class AlertRule extends Row {
  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  @Enum({ items: () => AlertRuleKind })
  kind!: AlertRuleKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Property({ type: 'integer', default: 1 })
  currentVersion: number = 1;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** One version of a rule's parameters; alerts name the version that raised them. */
@Entity({ tableName: 'alert_rule_version' })
@Unique({ properties: ['rule', 'version'] })
@Check({ name: 'alert_rule_version_params', expression: '(window_days is null or window_days > 0) and (min_denominator is null or min_denominator >= 0)' })
export class AlertRuleVersion extends Row {
  @ManyToOne({ entity: () => AlertRule, ref: true, deleteRule: 'restrict' })
  rule!: Ref<AlertRule>;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'decimal', precision: 20, scale: 6, nullable: true })
  threshold?: string;

  @Property({ type: 'integer', nullable: true })
  windowDays?: number;

  @Property({ type: 'integer', nullable: true })
  minDenominator?: number;

  @Enum({ items: () => Severity })
  severity!: Severity;

  @Property({ type: JsonType, nullable: true })
  params?: Record<string, unknown>;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'string', length: 100 })
  createdBy!: string;
}

/**
 * An early warning. One condition (rule + fingerprint) has at most one open alert; its
 * lifecycle is kept in AlertEvent.
 */
@Entity({ tableName: 'alert' })
@Index({
  name: 'alert_open_unique',
  expression: `create unique index "alert_open_unique" on "alert" ("rule_id", "fingerprint") where "status" in ('OPEN', 'ACKNOWLEDGED')`,
})
@Index({ properties: ['county', 'status'] })
@Index({ name: 'alert_raised_at_index', expression: 'create index "alert_raised_at_index" on "alert" ("raised_at" desc, "id" desc)' })
@Index({ properties: ['institution', 'status'] })
export class Alert extends Row {
  @ManyToOne({ entity: () => AlertRule, ref: true, index: true, deleteRule: 'restrict' })
  rule!: Ref<AlertRule>;

  @Property({ type: 'integer' })
  ruleVersion!: number;

  /** Identifies the condition: the rule's subject and period, e.g. `county:513431`. */
  @Property({ type: 'string', length: 200 })
  fingerprint!: string;

  /** LOAN, COUNTY, FUND, CLAIM, SERVICE_POINT, HOUSEHOLD, GUARANTEE, FINDING … */
  @Property({ type: 'string', length: 32 })
  subjectType!: string;

  @Property({ type: 'string', length: 64 })
  subjectId!: string;

  @ManyToOne({ entity: () => Area, ref: true, nullable: true, fieldName: 'county_code', deleteRule: 'restrict' })
  county?: Ref<Area>;

  /** The institution the alert is assigned to, when it concerns an institution's records. */
  @ManyToOne({ entity: () => Institution, ref: true, nullable: true, deleteRule: 'restrict' })
  institution?: Ref<Institution>;

  @Property({ type: 'decimal', precision: 20, scale: 6, nullable: true })
  observed?: string;

  @Property({ type: 'decimal', precision: 20, scale: 6, nullable: true })
  threshold?: string;

  @Enum({ items: () => Severity })
  severity!: Severity;

  @Enum({ items: () => AlertStatus })
  status!: AlertStatus;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  raisedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/** A step in an alert's life: who moved it, when, to which status, and why. */
@Entity({ tableName: 'alert_event' })
export class AlertEvent extends Row {
  @ManyToOne({ entity: () => Alert, ref: true, index: true, deleteRule: 'restrict' })
  alert!: Ref<Alert>;

  @Enum({ items: () => AlertStatus, nullable: true })
  fromStatus?: AlertStatus;

  @Enum({ items: () => AlertStatus })
  toStatus!: AlertStatus;

  @Property({ type: 'string', length: 100 })
  actor!: string;

  @Property({ type: 'text', nullable: true })
  note?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();
}
