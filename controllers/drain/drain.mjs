/**
 * The lifecycle-hook drain: for each `autoscaling:EC2_INSTANCE_TERMINATING` action it is handed,
 * it sets the instance's container instance DRAINING, so ECS stops placing tasks there and
 * replaces its service tasks elsewhere within each service's minimum/maximum healthy percent;
 * records a lifecycle heartbeat on every look while tasks remain, so the hook's heartbeat timeout
 * never ends a long drain; and completes the action with CONTINUE once no task on the instance is
 * left in any state but STOPPED. Standalone tasks are waited for, or stopped after a deadline.
 * An instance that is not a container instance is completed at once; an action that is already
 * completed (a duplicate delivery, a second invocation) ends quietly.
 *
 * A Lambda invocation lasts at most 15 minutes and a drain may last hours, so when an invocation's
 * time runs short the drain is handed to a new asynchronous invocation of the same function
 * (InvocationType Event, to context.invokedFunctionArn) carrying the action and when it began.
 *
 * Only the AWS SDK v3 is used, so the same code runs on AWS and on drydock. Time (now, sleep) and
 * the hand-over are injectable so tests can drive the handler on a virtual clock.
 */
import console from 'node:console';
import { setTimeout as delay } from 'node:timers/promises';
import { TextEncoder } from 'node:util';
import { CompleteLifecycleActionCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import { StopTaskCommand, UpdateContainerInstancesStateCommand } from '@aws-sdk/client-ecs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { errorName, findContainerInstance, isServiceTask, tasksNotStopped } from './container-instance.mjs';
import { CONTINUATION_KEY, workIn } from './lifecycle-event.mjs';

/** @typedef {import('./settings.mjs').DrainSettings} DrainSettings */
/** @typedef {import('./lifecycle-event.mjs').LifecycleAction} LifecycleAction */
/** @typedef {import('./lifecycle-event.mjs').Continuation} Continuation */
/** @typedef {import('./container-instance.mjs').SdkClient} SdkClient */

/**
 * The part of Lambda's `context` the drain reads.
 * @typedef {object} LambdaContext
 * @property {string} [invokedFunctionArn]
 * @property {() => number} [getRemainingTimeInMillis]
 */

/**
 * @typedef {object} DrainDeps
 * @property {SdkClient} ecs
 * @property {SdkClient} autoscaling
 * @property {SdkClient} [lambda] Used by the default hand-over to the next invocation.
 * @property {DrainSettings} settings
 * @property {() => number} [now] Milliseconds; default Date.now.
 * @property {(ms: number) => Promise<void>} [sleep] Default: a real timer.
 * @property {(line: Record<string, unknown>) => void} [log] Default: one JSON line on stdout.
 * @property {(payload: object, context: LambdaContext) => Promise<void>} [continueLater]
 *   Starts the next invocation with `payload`; default: Lambda Invoke, InvocationType Event.
 */

/**
 * @typedef {object} DrainResult
 * @property {'completed' | 'already-completed' | 'continued' | 'ignored'} outcome
 * @property {string} reason
 * @property {string} [instanceId]
 * @property {number} [invocation] Which invocation of this drain this was (1 for the first).
 * @property {number} [heartbeats] Heartbeats recorded by this invocation.
 * @property {string[]} [stoppedTasks] Standalone tasks this invocation stopped.
 */

/** The ValidationError Auto Scaling answers for an action that is completed, timed out or unknown. */
const NO_ACTIVE_ACTION = /No active Lifecycle Action found/i;

/** Why a standalone task was stopped, as DescribeTasks shows it (`stoppedReason`, at most 255 characters). */
export const STANDALONE_STOP_REASON =
  'Stopped by the drain function: instance is terminating and the standalone-task deadline passed';

/**
 * @param {DrainDeps} deps
 * @returns {(event: unknown, context?: LambdaContext) => Promise<{ results: DrainResult[] }>}
 */
export function createDrainHandler(deps) {
  const { ecs, autoscaling, settings } = deps;
  const now = deps.now ?? (() => Date.now());
  const sleep = deps.sleep ?? ((ms) => delay(ms).then(() => undefined));
  const log = deps.log ?? ((line) => console.log(JSON.stringify(line)));
  const continueLater = deps.continueLater ?? invokeSelf;

  /** @type {(payload: object, context: LambdaContext) => Promise<void>} */
  async function invokeSelf(payload, context) {
    if (!deps.lambda || !context.invokedFunctionArn) {
      throw new Error(
        'The drain needs more time than this invocation has, and cannot invoke itself (no Lambda client or invokedFunctionArn).',
      );
    }
    await deps.lambda.send(
      new InvokeCommand({
        FunctionName: context.invokedFunctionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  }

  return async function handler(event, context = {}) {
    const hasTimeFor = timeBudget(context, settings.marginMs);
    const outcomes = await Promise.allSettled(
      workIn(event).map(async (work) => {
        if (work.kind === 'ignored') {
          log({ message: 'ignored', reason: work.reason });
          return /** @type {DrainResult} */ ({ outcome: 'ignored', reason: work.reason });
        }
        const continuation = work.continuation ?? { action: work.action, startedAtMs: now(), invocation: 1 };
        return drain(continuation, context, hasTimeFor);
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    // Failing the invocation makes Lambda (async retries) or SQS (redelivery) try again; every step is idempotent.
    if (failed) throw failed.reason;
    return { results: outcomes.map((outcome) => /** @type {PromiseFulfilledResult<DrainResult>} */ (outcome).value) };
  };

  /**
   * @param {Continuation} continuation
   * @param {LambdaContext} context
   * @param {(ms: number) => boolean} hasTimeFor
   * @returns {Promise<DrainResult>}
   */
  async function drain(continuation, context, hasTimeFor) {
    const { action, invocation } = continuation;
    const base = { instanceId: action.instanceId, invocation };
    const instance = await findContainerInstance(ecs, action.instanceId, settings.clusters);
    if (!instance) {
      return { ...base, ...(await complete(action, 'not a container instance')) };
    }
    if (instance.status === 'ACTIVE') {
      await ecs.send(
        new UpdateContainerInstancesStateCommand({
          cluster: instance.clusterArn,
          containerInstances: [instance.containerInstanceArn],
          status: 'DRAINING',
        }),
      );
      log({ message: 'container instance set DRAINING', ...base, containerInstanceArn: instance.containerInstanceArn });
    }

    const standaloneDeadlineMs = continuation.startedAtMs + settings.standaloneDeadlineMs;
    /** @type {string[]} */
    const stoppedTasks = [];
    let heartbeats = 0;
    for (;;) {
      const tasks = await tasksNotStopped(ecs, instance);
      if (tasks.length === 0) {
        return { ...base, heartbeats, stoppedTasks, ...(await complete(action, 'drained')) };
      }
      const standalone = tasks.filter((task) => !isServiceTask(task));
      if (settings.standaloneTasks === 'stop' && now() >= standaloneDeadlineMs) {
        for (const task of standalone) {
          if (task.desiredStatus === 'STOPPED') continue;
          await ecs.send(
            new StopTaskCommand({ cluster: instance.clusterArn, task: task.taskArn, reason: STANDALONE_STOP_REASON }),
          );
          stoppedTasks.push(task.taskArn);
          log({ message: 'standalone task stopped', ...base, taskArn: task.taskArn });
        }
      }
      if (!(await heartbeat(action))) {
        log({ message: 'lifecycle action no longer active; stopping', ...base });
        return {
          ...base,
          heartbeats,
          stoppedTasks,
          outcome: 'already-completed',
          reason: 'the lifecycle action is no longer active',
        };
      }
      heartbeats += 1;
      log({
        message: 'waiting for tasks',
        ...base,
        serviceTasks: tasks.length - standalone.length,
        standaloneTasks: standalone.length,
        lastStatuses: countBy(tasks.map((task) => String(task.lastStatus))),
      });
      if (!hasTimeFor(settings.pollMs)) {
        /** @type {Continuation} */
        const next = { action, startedAtMs: continuation.startedAtMs, invocation: invocation + 1 };
        await continueLater({ [CONTINUATION_KEY]: next }, context);
        log({ message: 'handed over to the next invocation', ...base, next: next.invocation });
        return {
          ...base,
          heartbeats,
          stoppedTasks,
          outcome: 'continued',
          reason: `${tasks.length} task(s) not stopped yet`,
        };
      }
      await sleep(settings.pollMs);
    }
  }

  /**
   * @param {LifecycleAction} action
   * @param {string} reason
   * @returns {Promise<{ outcome: 'completed' | 'already-completed', reason: string }>}
   */
  async function complete(action, reason) {
    try {
      await autoscaling.send(
        new CompleteLifecycleActionCommand({ ...actionKey(action), LifecycleActionResult: 'CONTINUE' }),
      );
    } catch (error) {
      if (!isNoActiveAction(error)) throw error;
      log({ message: 'lifecycle action already completed', instanceId: action.instanceId });
      return { outcome: 'already-completed', reason: 'the lifecycle action is no longer active' };
    }
    log({ message: 'lifecycle action completed with CONTINUE', instanceId: action.instanceId, reason });
    return { outcome: 'completed', reason };
  }

  /**
   * @param {LifecycleAction} action
   * @returns {Promise<boolean>} false when the action is no longer active
   */
  async function heartbeat(action) {
    try {
      await autoscaling.send(new RecordLifecycleActionHeartbeatCommand(actionKey(action)));
      return true;
    } catch (error) {
      if (isNoActiveAction(error)) return false;
      throw error;
    }
  }
}

/**
 * The action by its token when the message carried one (it names exactly this action), else by
 * instance id.
 * @param {LifecycleAction} action
 */
function actionKey(action) {
  return {
    AutoScalingGroupName: action.autoScalingGroupName,
    LifecycleHookName: action.lifecycleHookName,
    ...(action.lifecycleActionToken
      ? { LifecycleActionToken: action.lifecycleActionToken }
      : { InstanceId: action.instanceId }),
  };
}

/**
 * Whether there is time for a wait of `ms` and one more look before the invocation must hand over:
 * a margin (MARGIN_SECONDS, at most a quarter of the invocation's time) is kept for that. Without
 * a Lambda context (a library call), there is no limit.
 * @param {LambdaContext} context
 * @param {number} marginMs
 * @returns {(ms: number) => boolean}
 */
function timeBudget(context, marginMs) {
  const remaining = context.getRemainingTimeInMillis;
  if (typeof remaining !== 'function') return () => true;
  const margin = Math.min(marginMs, remaining() / 4);
  return (ms) => remaining() - margin > ms;
}

/** @param {unknown} error */
function isNoActiveAction(error) {
  return errorName(error) === 'ValidationError' && error instanceof Error && NO_ACTIVE_ACTION.test(error.message);
}

/** @param {string[]} values */
function countBy(values) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
