import { Arg, Ctx, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MAX_ALERT_EVENTS, type AlertEventRow, type AlertRow } from '../loaders';
import {
  AlertEventType,
  AlertRuleType,
  AlertTransitionInput,
  AlertTransitionResultType,
  AlertType,
  fromGlobalId,
  SetAlertRuleInput,
  SetAlertRuleResultType,
  type ChangeOutcome,
  type Context,
} from '../schema';
import { changeAlertStatus, listAlertRules, setAlertRule, type AlertAction, type AlertRuleRow } from '../services/alerts';
import { notFound } from '../services/common';

/** The alert lifecycle mutations, the alert's history, and the rules regulators edit. */
@Resolver(() => AlertType)
export class AlertLifecycleResolver {
  @FieldResolver(() => [AlertEventType], { description: `The alert’s history, oldest first (at most ${MAX_ALERT_EVENTS} steps): raise, acknowledgement, resolution, false positive, each with who, when and a note.` })
  @Extensions({ maxItems: MAX_ALERT_EVENTS })
  history(@Root() alert: AlertRow, @Ctx() ctx: Context): Promise<AlertEventRow[]> {
    return ctx.loaders.eventsByAlertId.load(alert.id);
  }

  @Mutation(() => AlertTransitionResultType, {
    description: 'OPEN → ACKNOWLEDGED, with a note: by the assigned institution, the county government for county-level alerts of its county, or a regulator in scope.',
  })
  acknowledgeAlert(@Arg('input', () => AlertTransitionInput) input: AlertTransitionInput, @Ctx() ctx: Context): Promise<AlertTransitionResultType> {
    return transition(ctx, 'acknowledgeAlert', input);
  }

  @Mutation(() => AlertTransitionResultType, {
    description: 'OPEN or ACKNOWLEDGED → RESOLVED, with a note (same callers). A condition that still holds is raised again by the next evaluation.',
  })
  resolveAlert(@Arg('input', () => AlertTransitionInput) input: AlertTransitionInput, @Ctx() ctx: Context): Promise<AlertTransitionResultType> {
    return transition(ctx, 'resolveAlert', input);
  }

  @Mutation(() => AlertTransitionResultType, {
    description: 'OPEN or ACKNOWLEDGED → FALSE_POSITIVE, with a note (same callers): not raised again until its condition clears and recurs.',
  })
  markAlertFalsePositive(@Arg('input', () => AlertTransitionInput) input: AlertTransitionInput, @Ctx() ctx: Context): Promise<AlertTransitionResultType> {
    return transition(ctx, 'markAlertFalsePositive', input);
  }
}

@Resolver(() => AlertRuleType)
export class AlertRuleResolver {
  @Query(() => [AlertRuleType], { description: 'The early-warning rules with every version of their parameters, by code (docs/early-warning.md).' })
  alertRules(@Arg('code', () => String, { nullable: true }) code: string | null | undefined, @Ctx() ctx: Context): Promise<AlertRuleRow[]> {
    return listAlertRules(ctx, { code });
  }

  @Mutation(() => SetAlertRuleResultType, {
    description:
      'REGULATOR of national scope: a new version of a rule’s parameters (threshold, window, minimum denominator, severity, params, enabled), or a new rule of an implemented kind. Audited.',
  })
  async setAlertRule(@Arg('input', () => SetAlertRuleInput) input: SetAlertRuleInput, @Ctx() ctx: Context): Promise<SetAlertRuleResultType> {
    const { ruleId, outcome } = await setAlertRule(ctx, input);
    const [rule] = (await listAlertRules(ctx, {})).filter((r) => r.id === ruleId);
    if (rule === undefined) throw new Error(`alert rule ${ruleId} vanished after it was written`);
    return { rule, outcome: outcome as ChangeOutcome };
  }
}

async function transition(ctx: Context, action: AlertAction, input: AlertTransitionInput): Promise<AlertTransitionResultType> {
  const id = fromGlobalId(input.id);
  if (id.type !== 'Alert') throw notFound('No such alert', 'input.id');
  const done = await changeAlertStatus(ctx, action, id.key, input.note);
  const alert = await ctx.loaders.alertById.load(done.alertId);
  if (alert === null) throw new Error(`alert ${done.alertId} is not visible to the principal that changed it`);
  return { alert, fromStatus: done.from };
}
