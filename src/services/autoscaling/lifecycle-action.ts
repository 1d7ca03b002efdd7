/**
 * Lifecycle actions (section A.3): one per hook per instance in a wait state, each with its own
 * UUID token. A heartbeat restarts the full HeartbeatTimeout from the call; nothing extends the
 * wait past the hook's GlobalTimeout measured from entry into the wait state; on expiry the
 * hook's DefaultResult applies. All functions here are pure.
 */
import type { LifecycleActionResult, LifecycleHookRecord, LifecycleTransition } from './lifecycle-hook.js';

export type ActionResolution = 'user' | 'timeout' | 'hook-deleted';

export interface LifecycleActionRecord {
  lifecycleHookName: string;
  lifecycleActionToken: string;
  lifecycleTransition: LifecycleTransition;
  /** Copied from the hook when the action opened: a later PutLifecycleHook changes new actions only. */
  heartbeatTimeoutS: number;
  defaultResult: LifecycleActionResult;
  notificationTargetArn?: string;
  notificationMetadata?: string;
  /** Entry into the wait state; the global timeout counts from here. */
  startedAtMs: number;
  heartbeatDeadlineAtMs: number;
  globalDeadlineAtMs: number;
  result?: LifecycleActionResult;
  resolvedAtMs?: number;
  resolvedBy?: ActionResolution;
}

export function openLifecycleAction(hook: LifecycleHookRecord, token: string, nowMs: number): LifecycleActionRecord {
  const globalDeadlineAtMs = nowMs + hook.globalTimeoutS * 1000;
  const action: LifecycleActionRecord = {
    lifecycleHookName: hook.lifecycleHookName,
    lifecycleActionToken: token,
    lifecycleTransition: hook.lifecycleTransition,
    heartbeatTimeoutS: hook.heartbeatTimeoutS,
    defaultResult: hook.defaultResult,
    startedAtMs: nowMs,
    heartbeatDeadlineAtMs: Math.min(nowMs + hook.heartbeatTimeoutS * 1000, globalDeadlineAtMs),
    globalDeadlineAtMs,
  };
  if (hook.notificationTargetArn !== undefined) action.notificationTargetArn = hook.notificationTargetArn;
  if (hook.notificationMetadata !== undefined) action.notificationMetadata = hook.notificationMetadata;
  return action;
}

export function isOpen(action: LifecycleActionRecord): boolean {
  return action.result === undefined;
}

/** When the action times out unless a heartbeat or a completion comes first. */
export function actionDeadlineAtMs(action: LifecycleActionRecord): number {
  return Math.min(action.heartbeatDeadlineAtMs, action.globalDeadlineAtMs);
}

/** RecordLifecycleActionHeartbeat: a full HeartbeatTimeout from now, capped by the global timeout. */
export function recordHeartbeat(action: LifecycleActionRecord, nowMs: number): LifecycleActionRecord {
  return {
    ...action,
    heartbeatDeadlineAtMs: Math.min(nowMs + action.heartbeatTimeoutS * 1000, action.globalDeadlineAtMs),
  };
}

export function resolveAction(
  action: LifecycleActionRecord,
  result: LifecycleActionResult,
  nowMs: number,
  resolvedBy: ActionResolution,
): LifecycleActionRecord {
  return { ...action, result, resolvedAtMs: nowMs, resolvedBy };
}

/** Open actions whose deadline has come take their DefaultResult. */
export function expireActions(actions: readonly LifecycleActionRecord[], nowMs: number): LifecycleActionRecord[] {
  return actions.map((action) =>
    isOpen(action) && actionDeadlineAtMs(action) <= nowMs
      ? resolveAction(action, action.defaultResult, nowMs, 'timeout')
      : action,
  );
}

export type WaitOutcome =
  | { kind: 'waiting'; deadlineAtMs: number }
  | { kind: 'CONTINUE' }
  | { kind: 'ABANDON'; abandoned: LifecycleActionRecord };

/**
 * Whether the instance may leave its wait state. ABANDON ends the wait at once: on launch the
 * instance is terminated and replaced, on termination the remaining hooks are skipped
 * (`UG:asg/adding-lifecycle-hooks`). CONTINUE waits for every other hook of the transition.
 */
export function waitOutcome(actions: readonly LifecycleActionRecord[]): WaitOutcome {
  const abandoned = actions.find((action) => action.result === 'ABANDON');
  if (abandoned) return { kind: 'ABANDON', abandoned };
  const open = actions.filter(isOpen);
  if (open.length === 0) return { kind: 'CONTINUE' };
  return { kind: 'waiting', deadlineAtMs: Math.min(...open.map(actionDeadlineAtMs)) };
}

/**
 * DeleteLifecycleHook completes the hook's outstanding actions first: ABANDON for launching
 * instances, CONTINUE for terminating ones (`M:asg` DeleteLifecycleHook).
 */
export function resultForDeletedHook(transition: LifecycleTransition): LifecycleActionResult {
  return transition === 'autoscaling:EC2_INSTANCE_LAUNCHING' ? 'ABANDON' : 'CONTINUE';
}
