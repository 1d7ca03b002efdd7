/**
 * Wire adapter for lifecycle hooks and actions: Put/Describe/DeleteLifecycleHook,
 * DescribeLifecycleHookTypes, CompleteLifecycleAction and RecordLifecycleActionHeartbeat (A.2,
 * A.3). An action is found by its token or by the instance id, and only while it is open:
 * otherwise AWS's "No active Lifecycle Action found with …" ValidationError, which handlers
 * match on to stay idempotent.
 */
import type {
  CompleteLifecycleActionType,
  DeleteLifecycleHookType,
  DescribeLifecycleHooksAnswer,
  DescribeLifecycleHooksType,
  DescribeLifecycleHookTypesAnswer,
  PutLifecycleHookType,
  RecordLifecycleActionHeartbeatType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler, RequestContext } from '../../kernel/operation.js';
import {
  hookNotFound,
  noActiveActionWithInstance,
  noActiveActionWithToken,
  tooManyHooks,
  validationError,
} from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import { checkNotificationTarget } from './group-configuration.js';
import type { InstanceRecord } from './instance.js';
import type { LifecycleActionRecord } from './lifecycle-action.js';
import {
  actionDeadlineAtMs,
  isOpen,
  recordHeartbeat,
  resolveAction,
  resultForDeletedHook,
} from './lifecycle-action.js';
import { LIFECYCLE_TRANSITIONS, MAX_HOOKS_PER_GROUP, putLifecycleHook, toLifecycleHook } from './lifecycle-hook.js';
import type { OperationsSupport } from './operations-support.js';

interface ActionRef {
  AutoScalingGroupName?: string;
  LifecycleHookName?: string;
  LifecycleActionToken?: string;
  InstanceId?: string;
}

interface FoundAction {
  group: AutoScalingGroupRecord;
  instance: InstanceRecord;
  index: number;
  action: LifecycleActionRecord;
}

export function lifecycleOperations(support: OperationsSupport) {
  /**
   * Where the open actions seen by the last scan of a group were, by `<account>/<region>/<token>`:
   * a hint that spares a drain handler's every call a scan of the whole group (a refresh of 1,000
   * instances completes 1,000 actions). It is only ever a hint: what it points at is checked
   * against the store, and a miss scans the group and rebuilds it from the actions open now.
   */
  let tokenHints = new Map<string, string>();

  const matchAction = (instance: InstanceRecord, ref: ActionRef, nowMs: number): number =>
    instance.lifecycleActions.findIndex(
      (action) =>
        isOpen(action) &&
        // An action past its deadline has timed out, even before the controller has noticed.
        actionDeadlineAtMs(action) > nowMs &&
        action.lifecycleHookName === ref.LifecycleHookName &&
        (ref.LifecycleActionToken === undefined || action.lifecycleActionToken === ref.LifecycleActionToken) &&
        (ref.InstanceId === undefined || instance.instanceId === ref.InstanceId),
    );

  /** The open action a Complete/Heartbeat call names; the token wins when both are given. */
  const findOpenAction = (ctx: RequestContext, ref: ActionRef): FoundAction => {
    const token = ref.LifecycleActionToken;
    const instanceId = ref.InstanceId;
    const notFound = () =>
      token !== undefined ? noActiveActionWithToken(token) : noActiveActionWithInstance(instanceId ?? '');
    if (token === undefined && instanceId === undefined) {
      // UNCONFIRMED wording.
      throw validationError('Either LifecycleActionToken or InstanceId must be specified.');
    }
    const group = support.findGroup(ctx, ref.AutoScalingGroupName!);
    if (!group) throw notFound();
    const nowMs = support.nowMs();
    const inGroup = (instance: InstanceRecord | undefined): instance is InstanceRecord =>
      instance?.autoScalingGroupName === group.autoScalingGroupName;
    if (token === undefined) {
      const instance = support.findInstance(ctx, instanceId!);
      const index = inGroup(instance) ? matchAction(instance, ref, nowMs) : -1;
      if (index === -1) throw notFound();
      return { group, instance: instance!, index, action: instance!.lifecycleActions[index]! };
    }
    const hintKey = (value: string) => `${ctx.accountId}/${ctx.region}/${value}`;
    const hinted = tokenHints.get(hintKey(token));
    if (hinted !== undefined) {
      const instance = support.findInstance(ctx, hinted);
      const index = inGroup(instance) ? matchAction(instance, ref, nowMs) : -1;
      if (index !== -1) return { group, instance: instance!, index, action: instance!.lifecycleActions[index]! };
    }
    const hints = new Map<string, string>();
    let found: FoundAction | undefined;
    for (const instance of support.instancesOf(group)) {
      // Most instances of a large group wait on nothing.
      if (instance.lifecycleActions.length === 0) continue;
      for (const action of instance.lifecycleActions) {
        if (isOpen(action)) hints.set(hintKey(action.lifecycleActionToken), instance.instanceId);
      }
      if (found) continue;
      const index = matchAction(instance, ref, nowMs);
      if (index !== -1) found = { group, instance, index, action: instance.lifecycleActions[index]! };
    }
    tokenHints = hints;
    if (!found) throw notFound();
    return found;
  };

  const replaceAction = (found: FoundAction, action: LifecycleActionRecord) => {
    const lifecycleActions = [...found.instance.lifecycleActions];
    lifecycleActions[found.index] = action;
    support.commit(found.group, () => support.putInstance({ ...found.instance, lifecycleActions }));
  };

  const PutLifecycleHook: OperationHandler<PutLifecycleHookType, object> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const name = input.LifecycleHookName!;
    const existing = group.lifecycleHooks.find((hook) => hook.lifecycleHookName === name);
    if (!existing && group.lifecycleHooks.length >= MAX_HOOKS_PER_GROUP) {
      throw tooManyHooks(group.autoScalingGroupName, MAX_HOOKS_PER_GROUP);
    }
    const hook = putLifecycleHook(existing, { ...input, LifecycleHookName: name });
    const target = hook.notificationTargetArn;
    const targetChanged = target !== undefined && target !== existing?.notificationTargetArn;
    if (targetChanged)
      checkNotificationTarget(support.ports, support.scope(ctx), target, hook.roleArn, 'lifecycle hook');
    const lifecycleHooks = existing
      ? group.lifecycleHooks.map((candidate) => (candidate === existing ? hook : candidate))
      : [...group.lifecycleHooks, hook];
    const next: AutoScalingGroupRecord = {
      ...group,
      lifecycleHooks,
      pendingTestNotifications: targetChanged
        ? [...group.pendingTestNotifications, { targetArn: target }]
        : group.pendingTestNotifications,
    };
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const DescribeLifecycleHooks: OperationHandler<DescribeLifecycleHooksType, DescribeLifecycleHooksAnswer> = (
    input,
    ctx,
  ) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const names = input.LifecycleHookNames ?? [];
    return {
      LifecycleHooks: group.lifecycleHooks
        .filter((hook) => names.length === 0 || names.includes(hook.lifecycleHookName))
        .map((hook) => toLifecycleHook(group.autoScalingGroupName, hook)),
    };
  };

  /** Outstanding actions of the hook are completed first: ABANDON on launch, CONTINUE on termination. */
  const DeleteLifecycleHook: OperationHandler<DeleteLifecycleHookType, object> = (input, ctx) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const name = input.LifecycleHookName!;
    const hook = group.lifecycleHooks.find((candidate) => candidate.lifecycleHookName === name);
    if (!hook) throw hookNotFound(name, group.autoScalingGroupName);
    const nowMs = support.nowMs();
    const result = resultForDeletedHook(hook.lifecycleTransition);
    support.commit(group, () => {
      for (const instance of support.instancesOf(group)) {
        if (!instance.lifecycleActions.some((action) => isOpen(action) && action.lifecycleHookName === name)) continue;
        const lifecycleActions = instance.lifecycleActions.map((action) =>
          isOpen(action) && action.lifecycleHookName === name
            ? resolveAction(action, result, nowMs, 'hook-deleted')
            : action,
        );
        support.putInstance({ ...instance, lifecycleActions });
      }
      support.putGroup({ ...group, lifecycleHooks: group.lifecycleHooks.filter((candidate) => candidate !== hook) });
    });
    return {};
  };

  const DescribeLifecycleHookTypes: OperationHandler<object, DescribeLifecycleHookTypesAnswer> = () => ({
    LifecycleHookTypes: [...LIFECYCLE_TRANSITIONS],
  });

  const CompleteLifecycleAction: OperationHandler<CompleteLifecycleActionType, object> = (input, ctx) => {
    const result = input.LifecycleActionResult!;
    if (result !== 'CONTINUE' && result !== 'ABANDON') {
      // UNCONFIRMED wording.
      throw validationError(`Invalid LifecycleActionResult: ${result}. Valid values are CONTINUE and ABANDON.`);
    }
    const found = findOpenAction(ctx, input);
    replaceAction(found, resolveAction(found.action, result, support.nowMs(), 'user'));
    return {};
  };

  const RecordLifecycleActionHeartbeat: OperationHandler<RecordLifecycleActionHeartbeatType, object> = (input, ctx) => {
    const found = findOpenAction(ctx, input);
    replaceAction(found, recordHeartbeat(found.action, support.nowMs()));
    return {};
  };

  return {
    PutLifecycleHook,
    DescribeLifecycleHooks,
    DeleteLifecycleHook,
    DescribeLifecycleHookTypes,
    CompleteLifecycleAction,
    RecordLifecycleActionHeartbeat,
  };
}
