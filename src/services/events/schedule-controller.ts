/**
 * The schedule controller: a scheduled rule (`rate(…)`/`cron(…)`, default bus only) sends its
 * targets a `Scheduled Event` from `aws.events` each time its schedule comes due on the clock
 * (`UG:eb/eb-run-lambda-schedule`). The event goes to that rule's targets only, not through the
 * bus's other rules. A schedule missed while drydock was stopped fires once, not once per miss.
 */
import type { ReconcileResult, Reconciler } from '../../kernel/control-loop.js';
import { uuid } from '../../kernel/ids.js';
import type { EventsContext } from './context.js';
import { eventEnvelope, recordDelivery } from './event-router.js';
import { isEnabled, type RuleRecord } from './rule.js';
import { nextFireAtMs, parseScheduleExpression } from './schedule-expression.js';

export const SCHEDULE_RECONCILER = 'events-schedule';

export type SchedulePlan =
  { kind: 'idle' } | { kind: 'wait'; untilMs: number } | { kind: 'fire'; atMs: number; nextAtMs?: number };

/** Pure: what a scheduled rule should do now, given when it last fired. */
export function planSchedule(
  rule: RuleRecord | undefined,
  lastFiredAtMs: number | undefined,
  nowMs: number,
): SchedulePlan {
  if (!rule?.scheduleExpression || !isEnabled(rule)) return { kind: 'idle' };
  const schedule = parseScheduleExpression(rule.scheduleExpression);
  if (!schedule) return { kind: 'idle' };
  const anchorMs = rule.scheduleAnchorMs ?? nowMs;
  const due = nextFireAtMs(schedule, anchorMs, Math.max(lastFiredAtMs ?? anchorMs, anchorMs));
  if (due === undefined) return { kind: 'idle' };
  if (due > nowMs) return { kind: 'wait', untilMs: due };
  // Catch up to the latest due time only: one event, however many periods were missed.
  let fireAtMs = due;
  for (;;) {
    const following = nextFireAtMs(schedule, anchorMs, fireAtMs);
    if (following === undefined || following > nowMs) return { kind: 'fire', atMs: fireAtMs, nextAtMs: following };
    fireAtMs = following;
  }
}

export function createScheduleReconciler(ctx: EventsContext): Reconciler {
  return { name: SCHEDULE_RECONCILER, reconcile: (key) => reconcileSchedule(ctx, key) };
}

export function reconcileSchedule(ctx: EventsContext, key: string): ReconcileResult {
  const rule = ctx.tables.rules.get(key);
  const nowMs = ctx.clock.now();
  const plan = planSchedule(rule, ctx.tables.schedules.get(key)?.lastFiredAtMs, nowMs);
  if (plan.kind === 'idle') {
    if (!rule) ctx.tables.schedules.delete(key);
    return;
  }
  if (plan.kind === 'wait') return { requeueAfterMs: plan.untilMs - nowMs };
  ctx.store.transaction(() => {
    const envelope = eventEnvelope({
      id: uuid(ctx.random),
      detailType: 'Scheduled Event',
      source: 'aws.events',
      accountId: rule!.accountId,
      region: rule!.region,
      timeMs: plan.atMs,
      resources: [rule!.arn],
      detail: new Map(),
    });
    for (const target of rule!.targets) recordDelivery(ctx, rule!, target, envelope, nowMs);
    ctx.tables.schedules.put(key, { lastFiredAtMs: plan.atMs });
  });
  return plan.nextAtMs === undefined ? undefined : { requeueAfterMs: plan.nextAtMs - nowMs };
}
