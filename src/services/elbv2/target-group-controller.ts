/**
 * The target-group controller: level-triggered, keyed by target group ARN. `planTargetGroup`
 * (pure) decides from a snapshot which drains have reached their deregistration delay (the
 * target leaves the group; its remaining connections are closed when the group says so) and
 * which targets start their health over because no load balancer uses the group any more;
 * `reconcileTargetGroup` applies that and asks to be woken at the next drain deadline.
 */
import type { ReconcileResult } from '../../kernel/control-loop.js';
import { loadBalancerArnsOf, type Elbv2Context } from './context.js';
import { targetKey, targetsOf } from './store.js';
import type { TargetGroupRecord } from './target-group.js';
import { resetHealth, type TargetRecord } from './target-health.js';

export const TARGET_GROUP_RECONCILER = 'elbv2-target-groups';

export interface TargetGroupPlan {
  /** Drains whose delay has ended: the targets leave the group. */
  removals: TargetRecord[];
  /** Of those, the ones whose remaining connections the data plane must close. */
  closeConnections: TargetRecord[];
  /** Targets whose health starts over (the group is not used by a load balancer). */
  resets: TargetRecord[];
  nextDeadlineAtMs?: number;
}

/**
 * Whether the connections a target still has are cut when its deregistration delay ends. NLB:
 * only with `deregistration_delay.connection_termination.enabled` (C.3). ALB: always — requests
 * still in flight end with the delay (UNCONFIRMED: AWS documents the delay as the time in-flight
 * requests get, not what happens to one that outlives it).
 */
export function closesConnectionsAtDeadline(group: TargetGroupRecord): boolean {
  return (
    group.protocol === 'HTTP' || group.attributes['deregistration_delay.connection_termination.enabled'] === 'true'
  );
}

export function planTargetGroup(
  group: TargetGroupRecord,
  targets: readonly TargetRecord[],
  inUse: boolean,
  nowMs: number,
): TargetGroupPlan {
  const plan: TargetGroupPlan = { removals: [], closeConnections: [], resets: [] };
  for (const target of targets) {
    if (target.drain) {
      if (target.drain.deadlineAtMs <= nowMs) {
        plan.removals.push(target);
        // A drain that completed early has nothing left to close.
        if (target.drain.completedAtMs === undefined && closesConnectionsAtDeadline(group)) {
          plan.closeConnections.push(target);
        }
      } else {
        plan.nextDeadlineAtMs = Math.min(plan.nextDeadlineAtMs ?? Infinity, target.drain.deadlineAtMs);
      }
      continue;
    }
    if (!inUse && resetHealth(target) !== target) plan.resets.push(target);
  }
  return plan;
}

export function reconcileTargetGroup(ctx: Elbv2Context, targetGroupArn: string): ReconcileResult {
  const group = ctx.tables.targetGroups.get(targetGroupArn);
  if (!group) return;
  const nowMs = ctx.clock.now();
  const inUse = loadBalancerArnsOf(ctx, targetGroupArn).length > 0;
  const plan = planTargetGroup(group, targetsOf(ctx.tables, targetGroupArn), inUse, nowMs);
  if (plan.removals.length > 0 || plan.resets.length > 0) {
    ctx.store.transaction(() => {
      for (const target of plan.removals)
        ctx.tables.targets.delete(targetKey(target.targetGroupArn, target.id, target.port));
      for (const target of plan.resets) {
        ctx.tables.targets.put(targetKey(target.targetGroupArn, target.id, target.port), resetHealth(target));
      }
    });
  }
  for (const target of plan.closeConnections) {
    try {
      ctx.ports.dataplane.closeConnections(target.targetGroupArn, target.id, target.port);
    } catch (error) {
      ctx.logger.error(
        { err: error, targetGroupArn, targetId: target.id },
        'the data plane failed to close connections',
      );
    }
  }
  return plan.nextDeadlineAtMs === undefined
    ? undefined
    : { requeueAfterMs: Math.max(0, plan.nextDeadlineAtMs - nowMs) };
}
