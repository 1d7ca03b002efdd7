/**
 * A registered target and its health (C.1), as pure transitions:
 *   initial ──1 passed check──▶ healthy ──UnhealthyThreshold failures──▶ unhealthy
 *   initial ──UnhealthyThreshold failures──▶ unhealthy ──HealthyThreshold passes──▶ healthy
 *   any ──DeregisterTargets──▶ draining ──deregistration delay──▶ (removed: unused/Target.NotRegistered)
 * A new target is healthy after ONE passed check (ALB's rule; applied to NLB too, UNCONFIRMED).
 * What DescribeTargetHealth shows also depends on the group (not used by a load balancer →
 * `unused`/Target.NotInUse) and the instance (stopped → `unused`/Target.InvalidState).
 */
import type { ProbeResult } from './ports.js';

export type TargetHealthStatus = 'initial' | 'healthy' | 'unhealthy';

export interface DrainRecord {
  startedAtMs: number;
  /** Start + deregistration_delay.timeout_seconds: the target leaves the group then. */
  deadlineAtMs: number;
  /** When its last connection / in-flight request ended (AWS completes the deregistration then). */
  completedAtMs?: number;
}

export interface TargetRecord {
  targetGroupArn: string;
  id: string;
  port: number;
  availabilityZone?: string;
  registeredAtMs: number;
  health: TargetHealthStatus;
  /** Whether any check has completed since registration (RegistrationInProgress → InitialHealthChecking). */
  probed: boolean;
  /** Capped at the thresholds, so a steady target's record stops changing. */
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  lastFailure?: { reasonCode: string; statusCode?: number };
  drain?: DrainRecord;
}

export interface Thresholds {
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
}

export function newTarget(
  targetGroupArn: string,
  id: string,
  port: number,
  nowMs: number,
  availabilityZone?: string,
): TargetRecord {
  return {
    targetGroupArn,
    id,
    port,
    ...(availabilityZone !== undefined ? { availabilityZone } : {}),
    registeredAtMs: nowMs,
    health: 'initial',
    probed: false,
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
  };
}

/** One completed health check. Returns the same object when nothing changed (so nothing is written). */
export function applyProbe(
  target: TargetRecord,
  result: ProbeResult,
  thresholds: Thresholds,
  network: boolean,
): TargetRecord {
  if (target.drain) return target;
  let next: TargetRecord;
  if (result.ok) {
    const successes = Math.min(target.consecutiveSuccesses + 1, thresholds.healthyThresholdCount);
    const becomesHealthy =
      target.health === 'initial' || (target.health === 'unhealthy' && successes >= thresholds.healthyThresholdCount);
    next = {
      ...target,
      probed: true,
      consecutiveSuccesses: successes,
      consecutiveFailures: 0,
      health: becomesHealthy ? 'healthy' : target.health,
    };
  } else {
    const failures = Math.min(target.consecutiveFailures + 1, thresholds.unhealthyThresholdCount);
    // C.1: NLB reports every failed check as Target.FailedHealthChecks.
    const reasonCode = network ? 'Target.FailedHealthChecks' : (result.reasonCode ?? 'Target.FailedHealthChecks');
    const lastFailure =
      reasonCode === 'Target.ResponseCodeMismatch' && result.statusCode !== undefined
        ? { reasonCode, statusCode: result.statusCode }
        : { reasonCode };
    const becomesUnhealthy = target.health !== 'unhealthy' && failures >= thresholds.unhealthyThresholdCount;
    next = {
      ...target,
      probed: true,
      consecutiveSuccesses: 0,
      consecutiveFailures: failures,
      lastFailure,
      health: becomesUnhealthy ? 'unhealthy' : target.health,
    };
  }
  return sameTarget(target, next) ? target : next;
}

function sameTarget(a: TargetRecord, b: TargetRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** DeregisterTargets: draining at once; done early when nothing is in flight (activeCount 0). */
export function startDrain(target: TargetRecord, nowMs: number, delayMs: number, activeCount: number): TargetRecord {
  if (target.drain) return target;
  const drain: DrainRecord = { startedAtMs: nowMs, deadlineAtMs: nowMs + delayMs };
  if (activeCount === 0) drain.completedAtMs = nowMs;
  return { ...target, drain };
}

/** The data plane reports the target's last connection / request ended. */
export function completeDrain(target: TargetRecord, nowMs: number): TargetRecord {
  if (!target.drain || target.drain.completedAtMs !== undefined) return target;
  return { ...target, drain: { ...target.drain, completedAtMs: nowMs } };
}

/** Registering a draining instance target again returns it to initial health checks. */
export function reregister(target: TargetRecord, nowMs: number): TargetRecord {
  return newTarget(target.targetGroupArn, target.id, target.port, nowMs, target.availabilityZone);
}

/** A group no load balancer uses is not checked: its targets start over when one uses it again. */
export function resetHealth(target: TargetRecord): TargetRecord {
  if (target.health === 'initial' && !target.probed) return target;
  return {
    ...target,
    health: 'initial',
    probed: false,
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    lastFailure: undefined,
  };
}

/**
 * Whether Auto Scaling (and anyone waiting on the deregistration) must still wait: until the
 * delay ends, or until the last connection closed (AWS completes the deregistration early then;
 * UNCONFIRMED that Auto Scaling moves on at that moment rather than at the delay).
 */
export function deregistrationInProgress(target: TargetRecord, nowMs: number): boolean {
  return target.drain !== undefined && target.drain.completedAtMs === undefined && nowMs < target.drain.deadlineAtMs;
}

export interface TargetHealthView {
  State: string;
  Reason?: string;
  Description?: string;
}

export interface HealthContext {
  /** Whether any listener or rule of a load balancer forwards to the group. */
  inUse: boolean;
  /** EC2 state of an instance target (undefined for ip targets or unknown instances). */
  instanceState?: string;
}

const view = (State: string, Reason?: string, Description?: string): TargetHealthView =>
  Reason === undefined ? { State } : { State, Reason, Description };

export const NOT_REGISTERED = view('unused', 'Target.NotRegistered', 'Target is not registered to the target group');

/**
 * DescribeTargetHealth's TargetHealth (C.1). Draining shows until the delay ends even when the
 * deregistration completed early (C.3: "the state still shows draining until the timeout").
 */
export function describeHealth(target: TargetRecord | undefined, context: HealthContext): TargetHealthView {
  if (!target) return NOT_REGISTERED;
  if (target.drain) return view('draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress');
  if (context.instanceState !== undefined && context.instanceState !== 'running') {
    return view('unused', 'Target.InvalidState', `Target is in the ${context.instanceState} state`);
  }
  if (!context.inUse) {
    return view(
      'unused',
      'Target.NotInUse',
      'Target group is not configured to receive traffic from the load balancer',
    );
  }
  switch (target.health) {
    case 'initial':
      return target.probed
        ? view('initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress')
        : view('initial', 'Elb.RegistrationInProgress', 'Target registration is in progress');
    case 'healthy':
      return view('healthy');
    case 'unhealthy':
      return unhealthyView(target.lastFailure);
  }
}

function unhealthyView(failure: TargetRecord['lastFailure']): TargetHealthView {
  switch (failure?.reasonCode) {
    case 'Target.ResponseCodeMismatch':
      return view(
        'unhealthy',
        'Target.ResponseCodeMismatch',
        `Health checks failed with these codes: [${failure.statusCode ?? ''}]`,
      );
    case 'Target.Timeout':
      return view('unhealthy', 'Target.Timeout', 'Request timed out');
    default:
      return view('unhealthy', 'Target.FailedHealthChecks', 'Health checks failed');
  }
}
