import { Field, Int, ObjectType } from 'type-graphql';
import { AlertRuleKind, AlertStatus, FindingSource, FindingStatus, Severity } from '../query-enums';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('Finding', {
  implements: NodeInterface,
  simpleResolvers: true,
  description: 'An inspection or audit finding, rectified "one by one": it closes only when a regulator has verified every step.',
})
export class FindingType {
  @Field({ description: 'The reporting authority’s own reference.' })
  ref!: string;

  @Field(() => FindingSource)
  source!: FindingSource;

  @Field()
  text!: string;

  @Field(() => DateScalar)
  foundOn!: string;

  @Field(() => DateScalar)
  dueOn!: string;

  @Field(() => FindingStatus)
  status!: FindingStatus;

  @Field(() => DateScalar, { nullable: true })
  closedOn!: string | null;

  @Field(() => Int)
  version!: number;
}

@ObjectType('RectificationStep', { implements: NodeInterface, simpleResolvers: true, description: 'One rectification step of a finding.' })
export class RectificationStepType {
  @Field(() => Int)
  seq!: number;

  @Field()
  description!: string;

  @Field(() => DateScalar, { nullable: true, description: 'When the institution reported it done.' })
  reportedDoneOn!: string | null;

  @Field(() => String, { nullable: true })
  evidence!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When a regulator verified it; the step counts as done only then.' })
  verifiedAt!: string | null;
}

@ObjectType('Alert', { implements: NodeInterface, simpleResolvers: true, description: 'An early warning raised by an alert rule.' })
export class AlertType {
  @Field({ description: 'The rule’s code.' })
  ruleCode!: string;

  @Field(() => AlertRuleKind)
  ruleKind!: AlertRuleKind;

  @Field()
  ruleName!: string;

  @Field(() => Int, { description: 'The version of the rule’s parameters that raised it.' })
  ruleVersion!: number;

  @Field({ description: 'Identifies the condition (subject and period), e.g. `county:513431`.' })
  fingerprint!: string;

  @Field({ description: 'LOAN, COUNTY, FUND, CLAIM, SERVICE_POINT, HOUSEHOLD, GUARANTEE, FINDING …' })
  subjectType!: string;

  @Field()
  subjectId!: string;

  @Field(() => DecimalScalar, { nullable: true })
  observed!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  threshold!: string | null;

  @Field(() => Severity)
  severity!: Severity;

  @Field(() => AlertStatus)
  status!: AlertStatus;

  @Field()
  message!: string;

  @Field(() => DateTimeScalar)
  raisedAt!: string;

  @Field(() => DateTimeScalar)
  updatedAt!: string;
}
