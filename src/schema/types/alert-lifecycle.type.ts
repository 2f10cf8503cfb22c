import { GraphQLJSONObject } from 'graphql-scalars';
import { JsonObjectInputScalar } from '../scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { AlertRow } from '../../loaders';
import { AlertRuleKind, AlertStatus, Severity } from '../query-enums';
import { DateTimeScalar, DecimalScalar } from '../scalars';
import { ChangeOutcome } from './consent.type';
import { AlertType } from './oversight.type';

@ObjectType('AlertEvent', { simpleResolvers: true, description: 'A step in an alert’s life: who moved it, when, from which status to which, and why.' })
export class AlertEventType {
  @Field(() => AlertStatus, { nullable: true, description: 'Null for the raise.' })
  fromStatus!: AlertStatus | null;

  @Field(() => AlertStatus, {
    description: 'The status after the step; FALSE_POSITIVE → FALSE_POSITIVE by `sweep` notes that the condition has cleared.',
  })
  toStatus!: AlertStatus;

  @Field({ description: '`sweep` for the rules engine; otherwise the acting institution (or role) and its API key or token.' })
  actor!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => DateTimeScalar)
  at!: string;
}

@ObjectType('AlertRuleVersion', { simpleResolvers: true, description: 'One version of an alert rule’s parameters; alerts name the version that raised them.' })
export class AlertRuleVersionType {
  @Field(() => Int)
  version!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'The rule kind’s threshold (docs/early-warning.md says what it compares).' })
  threshold!: string | null;

  @Field(() => Int, { nullable: true })
  windowDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'The fewest loans a county-level ratio needs before it may fire.' })
  minDenominator!: number | null;

  @Field(() => Severity)
  severity!: Severity;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Kind-specific parameters (products, kinds, months).' })
  params!: Record<string, unknown> | null;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field({ description: 'Who made the version: `system` for the defaults, else the regulator’s API key or token.' })
  createdBy!: string;
}

@ObjectType('AlertRule', { simpleResolvers: true, description: 'An early-warning rule: a kind implemented in code, its parameters versioned data that regulators edit.' })
export class AlertRuleType {
  @Field()
  code!: string;

  @Field(() => AlertRuleKind)
  kind!: AlertRuleKind;

  @Field()
  name!: string;

  @Field({ description: 'Disabled rules are neither swept nor evaluated at ingestion; their alerts stay as they are.' })
  enabled!: boolean;

  @Field(() => Int)
  currentVersion!: number;

  @Field(() => [AlertRuleVersionType], { description: 'Every version, newest first.' })
  versions!: AlertRuleVersionType[];
}

@InputType('AlertTransitionInput')
export class AlertTransitionInput {
  @Field(() => ID, { description: 'The alert’s node id.' })
  id!: string;

  @Field({ description: 'Why (required, at most 2,000 characters); kept in the alert’s history.' })
  note!: string;
}

@ObjectType('AlertTransitionResult')
export class AlertTransitionResultType {
  @Field(() => AlertType, { description: 'The alert after the change.' })
  alert!: AlertRow;

  @Field(() => AlertStatus)
  fromStatus!: AlertStatus;
}

@InputType('SetAlertRuleInput')
export class SetAlertRuleInput {
  @Field({ description: 'The rule’s code (the default rules use their kind); a new code creates a rule and needs kind.' })
  code!: string;

  @Field(() => AlertRuleKind, { nullable: true, description: 'Only to create a rule; an existing rule keeps its kind.' })
  kind?: AlertRuleKind | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Unchanged when omitted (true for a new rule).' })
  enabled?: boolean | null;

  @Field(() => DecimalScalar, { nullable: true })
  threshold?: string | null;

  @Field(() => Int, { nullable: true })
  windowDays?: number | null;

  @Field(() => Int, { nullable: true })
  minDenominator?: number | null;

  @Field(() => Severity)
  severity!: Severity;

  @Field(() => JsonObjectInputScalar, { nullable: true })
  params?: Record<string, unknown> | null;
}

@ObjectType('SetAlertRuleResult')
export class SetAlertRuleResultType {
  @Field(() => AlertRuleType)
  rule!: AlertRuleType;

  @Field(() => ChangeOutcome, { description: 'CREATED (a new rule), UPDATED (a new version), UNCHANGED (the same parameters as the current version).' })
  outcome!: ChangeOutcome;
}
