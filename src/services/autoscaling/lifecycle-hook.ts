/**
 * Lifecycle hooks as a group keeps them (PutLifecycleHook, section A.2): defaults, limits, the
 * global timeout min(48 h, 100 × HeartbeatTimeout), input validation and the DescribeLifecycleHooks
 * shape. Hooks live inside the group record: there are at most 50 per group.
 */
import type { LifecycleHook, LifecycleHookSpecification } from '@aws-sdk/client-auto-scaling';
import { tooManyHooks, validationError } from './errors.js';

export type LifecycleTransition = 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
export type LifecycleActionResult = 'CONTINUE' | 'ABANDON';

export const LAUNCHING: LifecycleTransition = 'autoscaling:EC2_INSTANCE_LAUNCHING';
export const TERMINATING: LifecycleTransition = 'autoscaling:EC2_INSTANCE_TERMINATING';
export const LIFECYCLE_TRANSITIONS: readonly LifecycleTransition[] = [LAUNCHING, TERMINATING];

export const DEFAULT_HEARTBEAT_TIMEOUT_S = 3600;
export const MIN_HEARTBEAT_TIMEOUT_S = 30;
export const MAX_HEARTBEAT_TIMEOUT_S = 7200;
/** 48 hours: no wait state lasts longer, however many heartbeats are recorded. */
export const MAX_GLOBAL_TIMEOUT_S = 172_800;
export const MAX_HOOKS_PER_GROUP = 50;
export const DEFAULT_RESULT: LifecycleActionResult = 'ABANDON';

export interface LifecycleHookRecord {
  lifecycleHookName: string;
  lifecycleTransition: LifecycleTransition;
  notificationTargetArn?: string;
  roleArn?: string;
  notificationMetadata?: string;
  heartbeatTimeoutS: number;
  globalTimeoutS: number;
  defaultResult: LifecycleActionResult;
}

/** What PutLifecycleHook and LifecycleHookSpecificationList carry (all optional on update). */
export interface LifecycleHookInput {
  LifecycleHookName: string;
  LifecycleTransition?: string;
  NotificationTargetARN?: string;
  RoleARN?: string;
  NotificationMetadata?: string;
  HeartbeatTimeout?: number;
  DefaultResult?: string;
}

export function globalTimeoutS(heartbeatTimeoutS: number): number {
  return Math.min(MAX_GLOBAL_TIMEOUT_S, 100 * heartbeatTimeoutS);
}

/**
 * The hook after a Put: a new hook takes the defaults, an existing one keeps what the call leaves
 * out ("If a lifecycle hook with the same name already exists, it will be overwritten" — the
 * members given). An empty NotificationTargetARN clears the target.
 */
export function putLifecycleHook(
  existing: LifecycleHookRecord | undefined,
  input: LifecycleHookInput,
): LifecycleHookRecord {
  const transition = input.LifecycleTransition ?? existing?.lifecycleTransition;
  if (transition === undefined) {
    // UNCONFIRMED wording: the model makes the member optional, AWS requires it for a new hook.
    throw validationError(`LifecycleTransition is required when creating lifecycle hook ${input.LifecycleHookName}.`);
  }
  if (!LIFECYCLE_TRANSITIONS.includes(transition as LifecycleTransition)) {
    throw validationError(enumViolation(transition, 'lifecycleTransition', LIFECYCLE_TRANSITIONS as readonly string[]));
  }
  const defaultResult = input.DefaultResult ?? existing?.defaultResult ?? DEFAULT_RESULT;
  if (defaultResult !== 'CONTINUE' && defaultResult !== 'ABANDON') {
    throw validationError(enumViolation(defaultResult, 'defaultResult', ['CONTINUE', 'ABANDON']));
  }
  const heartbeatTimeoutS = input.HeartbeatTimeout ?? existing?.heartbeatTimeoutS ?? DEFAULT_HEARTBEAT_TIMEOUT_S;
  // The model carries no range; AWS enforces 30–7200 itself (message in Coral's style, UNCONFIRMED).
  if (heartbeatTimeoutS < MIN_HEARTBEAT_TIMEOUT_S || heartbeatTimeoutS > MAX_HEARTBEAT_TIMEOUT_S) {
    const bound =
      heartbeatTimeoutS < MIN_HEARTBEAT_TIMEOUT_S
        ? `greater than or equal to ${MIN_HEARTBEAT_TIMEOUT_S}`
        : `less than or equal to ${MAX_HEARTBEAT_TIMEOUT_S}`;
    throw validationError(
      `1 validation error detected: Value '${heartbeatTimeoutS}' at 'heartbeatTimeout' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  const target = input.NotificationTargetARN ?? existing?.notificationTargetArn;
  const record: LifecycleHookRecord = {
    lifecycleHookName: input.LifecycleHookName,
    lifecycleTransition: transition as LifecycleTransition,
    heartbeatTimeoutS,
    globalTimeoutS: globalTimeoutS(heartbeatTimeoutS),
    defaultResult,
  };
  if (target !== undefined && target !== '') record.notificationTargetArn = target;
  const roleArn = input.RoleARN ?? existing?.roleArn;
  if (roleArn !== undefined) record.roleArn = roleArn;
  const metadata = input.NotificationMetadata ?? existing?.notificationMetadata;
  if (metadata !== undefined) record.notificationMetadata = metadata;
  return record;
}

/** The hooks of a CreateAutoScalingGroup call; names must be unique within the list. */
export function hooksFromSpecifications(
  groupName: string,
  specs: readonly LifecycleHookSpecification[],
): LifecycleHookRecord[] {
  if (specs.length > MAX_HOOKS_PER_GROUP) throw tooManyHooks(groupName, MAX_HOOKS_PER_GROUP);
  const hooks: LifecycleHookRecord[] = [];
  for (const spec of specs) {
    const name = spec.LifecycleHookName ?? '';
    if (hooks.some((hook) => hook.lifecycleHookName === name)) {
      throw validationError(`Duplicate lifecycle hook name ${name} in LifecycleHookSpecificationList.`);
    }
    hooks.push(putLifecycleHook(undefined, { ...spec, LifecycleHookName: name }));
  }
  return hooks;
}

export function toLifecycleHook(groupName: string, hook: LifecycleHookRecord): LifecycleHook {
  return {
    LifecycleHookName: hook.lifecycleHookName,
    AutoScalingGroupName: groupName,
    LifecycleTransition: hook.lifecycleTransition,
    NotificationTargetARN: hook.notificationTargetArn,
    RoleARN: hook.roleArn,
    NotificationMetadata: hook.notificationMetadata,
    HeartbeatTimeout: hook.heartbeatTimeoutS,
    GlobalTimeout: hook.globalTimeoutS,
    DefaultResult: hook.defaultResult,
  };
}

export function hooksFor(
  hooks: readonly LifecycleHookRecord[],
  transition: LifecycleTransition,
): readonly LifecycleHookRecord[] {
  return hooks.filter((hook) => hook.lifecycleTransition === transition);
}

function enumViolation(value: string, member: string, allowed: readonly string[]): string {
  return `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`;
}
