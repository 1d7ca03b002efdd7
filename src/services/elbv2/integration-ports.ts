/**
 * What ELBv2 offers the other services, through their own port types: Auto Scaling's
 * TargetGroupsPort (instance targets on the group's port; `isDraining` until the deregistration
 * completes — at the delay, or earlier when the last connection closed) and the ECS targets port
 * (task targets: an ip or an instance id, with a port). Both reuse RegisterTargets' rules.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { TargetGroupsPort, TargetHealthView } from '../autoscaling/ports.js';
import { findTargetGroupInScope, targetGroupUsage, type Elbv2Context } from './context.js';
import { targetGroupNotFound } from './errors.js';
import type { Scope } from './ports.js';
import { deregisterTargets, registerTargets } from './registration.js';
import { targetKey, targetsOf } from './store.js';
import type { TargetGroupRecord } from './target-group.js';
import { deregistrationInProgress, describeHealth, type TargetRecord } from './target-health.js';

export interface TaskTarget {
  id: string;
  port?: number;
}

/** The shape of ECS's LoadBalancerTargetsPort (structurally; main.ts binds one to the other). */
export interface TargetsPort {
  /** False for an ARN that names no target group in the scope. */
  exists(scope: Scope, targetGroupArn: string): boolean;
  targetType(scope: Scope, targetGroupArn: string): 'instance' | 'ip' | undefined;
  /** Throws RegisterTargets' ServiceErrors (unknown group, invalid or stopped targets). */
  register(scope: Scope, targetGroupArn: string, targets: TaskTarget[]): void;
  deregister(scope: Scope, targetGroupArn: string, targets: TaskTarget[]): void;
  /** DescribeTargetHealth's State for the target, or undefined when it is not registered. */
  state(scope: Scope, targetGroupArn: string, target: TaskTarget): string | undefined;
}

function healthState(ctx: Elbv2Context, scope: Scope, group: TargetGroupRecord, target: TargetRecord): string {
  const inUse = targetGroupUsage(ctx, scope).has(group.targetGroupArn);
  const instanceState =
    group.targetType === 'instance' ? (ctx.ports.instances.instanceState(scope, target.id) ?? 'terminated') : undefined;
  return describeHealth(target, { inUse, ...(instanceState !== undefined ? { instanceState } : {}) }).State;
}

export function createAutoScalingPort(ctx: Elbv2Context): TargetGroupsPort {
  /** Auto Scaling acts on its own; one instance ELBv2 refuses must not stop the others. */
  const each = (
    scope: Scope,
    targetGroupArn: string,
    instanceIds: string[],
    act: (group: TargetGroupRecord, id: string) => void,
  ) => {
    const group = findTargetGroupInScope(ctx, scope, targetGroupArn);
    if (!group) return;
    for (const id of instanceIds) {
      try {
        act(group, id);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        ctx.logger.warn({ targetGroupArn, instanceId: id, err: error }, 'Auto Scaling target (de)registration refused');
      }
    }
  };
  return {
    missing: (scope, targetGroupArns) => targetGroupArns.filter((arn) => !findTargetGroupInScope(ctx, scope, arn)),
    register: (scope, targetGroupArn, instanceIds) =>
      each(scope, targetGroupArn, instanceIds, (group, id) => registerTargets(ctx, scope, group, [{ id }])),
    deregister: (scope, targetGroupArn, instanceIds) =>
      each(scope, targetGroupArn, instanceIds, (group, id) => deregisterTargets(ctx, scope, group, [{ id }])),
    isDraining: (scope, targetGroupArn, instanceId) => {
      if (!findTargetGroupInScope(ctx, scope, targetGroupArn)) return false;
      const nowMs = ctx.clock.now();
      return targetsOf(ctx.tables, targetGroupArn).some(
        (target) => target.id === instanceId && deregistrationInProgress(target, nowMs),
      );
    },
    health: (scope, targetGroupArn, instanceIds) => {
      const group = findTargetGroupInScope(ctx, scope, targetGroupArn);
      if (!group) return [];
      const targets = targetsOf(ctx.tables, targetGroupArn);
      return instanceIds.flatMap((instanceId): TargetHealthView[] => {
        const target = targets.find((candidate) => candidate.id === instanceId);
        return target ? [{ instanceId, state: healthState(ctx, scope, group, target) }] : [];
      });
    },
  };
}

export function createTargetsPort(ctx: Elbv2Context): TargetsPort {
  const requireGroup = (scope: Scope, targetGroupArn: string) => {
    const group = findTargetGroupInScope(ctx, scope, targetGroupArn);
    if (!group) throw targetGroupNotFound();
    return group;
  };
  return {
    exists: (scope, targetGroupArn) => findTargetGroupInScope(ctx, scope, targetGroupArn) !== undefined,
    targetType: (scope, targetGroupArn) => findTargetGroupInScope(ctx, scope, targetGroupArn)?.targetType,
    register: (scope, targetGroupArn, targets) =>
      registerTargets(ctx, scope, requireGroup(scope, targetGroupArn), targets),
    deregister: (scope, targetGroupArn, targets) =>
      deregisterTargets(ctx, scope, requireGroup(scope, targetGroupArn), targets),
    state: (scope, targetGroupArn, target) => {
      const group = findTargetGroupInScope(ctx, scope, targetGroupArn);
      if (!group) return undefined;
      const record = ctx.tables.targets.get(targetKey(targetGroupArn, target.id, target.port ?? group.port));
      return record ? healthState(ctx, scope, group, record) : undefined;
    },
  };
}
