/**
 * Registering and deregistering targets (C.4), shared by RegisterTargets/DeregisterTargets, the
 * Auto Scaling port and the ECS port. A target is (Id, Port), the port defaulting to the group's.
 * Instance targets must be running EC2 instances; ip targets private (RFC 1918/6598) or, in
 * drydock, loopback addresses. Deregistration starts the drain at once: no new traffic, and the
 * target leaves after `deregistration_delay.timeout_seconds` (the target-group controller ends it).
 */
import { isIPv4 } from 'node:net';
import type { Elbv2Context } from './context.js';
import { targetGroupUsage } from './context.js';
import {
  invalidInstanceId,
  invalidIpAddress,
  ipNotAllowed,
  ipTargetStillDraining,
  targetsNotRunning,
  targetsNotValidInstances,
  tooManyTargets,
} from './errors.js';
import { isAllowedTargetIp } from './ip-range.js';
import { LIMITS } from './limits.js';
import type { Scope } from './ports.js';
import { targetKey, targetsOf } from './store.js';
import type { TargetGroupRecord } from './target-group.js';
import {
  describeHealth,
  newTarget,
  reregister,
  startDrain,
  type TargetHealthView,
  type TargetRecord,
} from './target-health.js';

export interface TargetInput {
  id: string;
  port?: number;
  availabilityZone?: string;
}

const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export function deregistrationDelayMs(group: TargetGroupRecord): number {
  return Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300') * 1000;
}

function checkIds(group: TargetGroupRecord, targets: readonly TargetInput[]): void {
  for (const target of targets) {
    if (group.targetType === 'instance' && !INSTANCE_ID.test(target.id)) throw invalidInstanceId(target.id);
    if (group.targetType === 'ip' && !isIPv4(target.id)) throw invalidIpAddress(target.id);
  }
}

export function registerTargets(
  ctx: Elbv2Context,
  scope: Scope,
  group: TargetGroupRecord,
  targets: readonly TargetInput[],
): void {
  checkIds(group, targets);
  if (group.targetType === 'instance') {
    const states = targets.map((target) => [target.id, ctx.ports.instances.instanceState(scope, target.id)] as const);
    const unknown = states.filter(([, state]) => state === undefined).map(([id]) => id);
    if (unknown.length > 0) throw targetsNotValidInstances(unknown);
    const notRunning = states.filter(([, state]) => state !== 'running').map(([id]) => id);
    if (notRunning.length > 0) throw targetsNotRunning(notRunning);
  } else {
    const outside = targets.filter((target) => !isAllowedTargetIp(target.id));
    if (outside.length > 0) throw ipNotAllowed(outside[0]!.id);
  }
  const nowMs = ctx.clock.now();
  const writes = new Map<string, TargetRecord>();
  const stillDraining: string[] = [];
  for (const target of targets) {
    const port = target.port ?? group.port;
    const key = targetKey(group.targetGroupArn, target.id, port);
    const existing = writes.get(key) ?? ctx.tables.targets.get(key);
    if (existing && !existing.drain) continue;
    if (existing?.drain) {
      // C.4: an IP target registers again only once its deregistration has finished.
      if (group.targetType === 'ip') stillDraining.push(`${target.id}:${port}`);
      else writes.set(key, reregister(existing, nowMs));
      continue;
    }
    writes.set(key, newTarget(group.targetGroupArn, target.id, port, nowMs, target.availabilityZone));
  }
  if (stillDraining.length > 0) throw ipTargetStillDraining(stillDraining);
  const current = targetsOf(ctx.tables, group.targetGroupArn).length;
  const added = [...writes.keys()].filter((key) => !ctx.tables.targets.has(key)).length;
  if (current + added > LIMITS.targetsPerTargetGroup) throw tooManyTargets(LIMITS.targetsPerTargetGroup);
  ctx.store.transaction(() => {
    for (const [key, record] of writes) ctx.tables.targets.put(key, record);
  });
}

/** Deregistering a target that is not registered succeeds (C.4). */
export function deregisterTargets(
  ctx: Elbv2Context,
  scope: Scope,
  group: TargetGroupRecord,
  targets: readonly TargetInput[],
): void {
  checkIds(group, targets);
  const inUse = targetGroupUsage(ctx, scope).has(group.targetGroupArn);
  const nowMs = ctx.clock.now();
  ctx.store.transaction(() => {
    for (const target of targets) {
      const key = targetKey(group.targetGroupArn, target.id, target.port ?? group.port);
      const existing = ctx.tables.targets.get(key);
      if (!existing || existing.drain) continue;
      // No load balancer sends it traffic: nothing to drain (UNCONFIRMED that AWS skips draining then).
      if (!inUse) {
        ctx.tables.targets.delete(key);
        continue;
      }
      ctx.tables.targets.put(
        key,
        startDrain(existing, nowMs, deregistrationDelayMs(group), ctx.activity.get(key) ?? 0),
      );
    }
  });
}

export interface TargetHealthDescription {
  Target: { Id: string; Port: number; AvailabilityZone?: string };
  HealthCheckPort: string;
  TargetHealth: TargetHealthView;
}

/** DescribeTargetHealth: every registered target (draining ones included), or the ones asked for. */
export function describeTargetHealth(
  ctx: Elbv2Context,
  scope: Scope,
  group: TargetGroupRecord,
  wanted: readonly TargetInput[] | undefined,
): TargetHealthDescription[] {
  const inUse = targetGroupUsage(ctx, scope).has(group.targetGroupArn);
  const registered = targetsOf(ctx.tables, group.targetGroupArn);
  const describe = (target: TargetRecord | undefined, id: string, port: number, availabilityZone?: string) => {
    const instanceState =
      group.targetType === 'instance' ? (ctx.ports.instances.instanceState(scope, id) ?? 'terminated') : undefined;
    const zone = availabilityZone ?? target?.availabilityZone;
    return {
      Target: { Id: id, Port: port, ...(zone !== undefined ? { AvailabilityZone: zone } : {}) },
      HealthCheckPort: group.healthCheck.port === 'traffic-port' ? String(port) : group.healthCheck.port,
      TargetHealth: describeHealth(target, { inUse, ...(instanceState !== undefined ? { instanceState } : {}) }),
    };
  };
  if (!wanted || wanted.length === 0) return registered.map((target) => describe(target, target.id, target.port));
  checkIds(group, wanted);
  if (group.targetType === 'instance') {
    const unknown = wanted.filter((target) => ctx.ports.instances.instanceState(scope, target.id) === undefined);
    if (unknown.length > 0) throw targetsNotValidInstances(unknown.map((target) => target.id));
  }
  return wanted.flatMap((target) => {
    if (target.port !== undefined) {
      const key = targetKey(group.targetGroupArn, target.id, target.port);
      return [describe(ctx.tables.targets.get(key), target.id, target.port, target.availabilityZone)];
    }
    const matches = registered.filter((candidate) => candidate.id === target.id);
    return matches.length > 0
      ? matches.map((match) => describe(match, match.id, match.port))
      : [describe(undefined, target.id, group.port, target.availabilityZone)];
  });
}
