/**
 * Lifecycle actions out of whatever delivered them. Auto Scaling announces a lifecycle action as
 * an EventBridge event (`EC2 Instance-terminate Lifecycle Action`, the action in `detail`) or as a
 * message to the hook's SNS topic or SQS queue (the action as a JSON string); a queue may also
 * hold SNS notifications (`{"Type": "Notification", "Message": "<json>"}`) or EventBridge
 * envelopes, and a Lambda fed by SNS or SQS gets `Records[]`. Every shape is unwrapped here into
 * the same action, and everything else (the `autoscaling:TEST_NOTIFICATION` sent when a hook's
 * target is set, launch actions, other events) is reported as ignored with the reason.
 */

export const TERMINATE_DETAIL_TYPE = 'EC2 Instance-terminate Lifecycle Action';
export const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';
export const TEST_NOTIFICATION = 'autoscaling:TEST_NOTIFICATION';
/** The key of the event a drain hands over to its next invocation (see drain.mjs). */
export const CONTINUATION_KEY = 'drainContinuation';

/**
 * @typedef {object} LifecycleAction
 * @property {string} autoScalingGroupName
 * @property {string} lifecycleHookName
 * @property {string | undefined} lifecycleActionToken
 * @property {string} instanceId
 */

/**
 * A drain carried over from an earlier invocation: when it began (the handler's clock) and how
 * many invocations it has used.
 * @typedef {object} Continuation
 * @property {LifecycleAction} action
 * @property {number} startedAtMs
 * @property {number} invocation
 */

/**
 * @typedef {{ kind: 'action', action: LifecycleAction, continuation?: Continuation } | { kind: 'ignored', reason: string }} Work
 */

/** How deep wrappers may nest (SQS body → SNS notification → message): more is not a lifecycle message. */
const MAX_DEPTH = 4;

/**
 * @param {unknown} event
 * @returns {Work[]}
 */
export function workIn(event) {
  return unwrap(event, 0);
}

/**
 * @param {unknown} value
 * @param {number} depth
 * @returns {Work[]}
 */
function unwrap(value, depth) {
  if (depth > MAX_DEPTH) return [ignored('wrapped too deeply to be a lifecycle message')];
  if (typeof value === 'string') {
    let parsed;
    try {
      parsed = JSON.parse(value);
    } catch {
      return [ignored('a message that is not JSON')];
    }
    return unwrap(parsed, depth + 1);
  }
  if (!isObject(value)) return [ignored('not a JSON object')];

  const continuation = continuationIn(value[CONTINUATION_KEY]);
  if (continuation) return [{ kind: 'action', action: continuation.action, continuation }];

  if (Array.isArray(value.Records)) {
    return value.Records.flatMap((record) => {
      if (isObject(record) && isObject(record.Sns) && typeof record.Sns.Message === 'string') {
        return unwrap(record.Sns.Message, depth + 1);
      }
      if (isObject(record) && typeof record.body === 'string') return unwrap(record.body, depth + 1);
      return [ignored('a record that is neither an SQS message nor an SNS notification')];
    });
  }

  if (typeof value['detail-type'] === 'string') {
    if (value['detail-type'] !== TERMINATE_DETAIL_TYPE) return [ignored(`event "${value['detail-type']}"`)];
    return [fromLifecycleMessage(value.detail)];
  }

  // An SNS notification delivered to a queue without raw message delivery.
  if (typeof value.Message === 'string') return unwrap(value.Message, depth + 1);

  if (value.Event === TEST_NOTIFICATION) return [ignored('test notification')];
  if (typeof value.LifecycleTransition === 'string') return [fromLifecycleMessage(value)];
  return [ignored('not a lifecycle message')];
}

/**
 * @param {unknown} message
 * @returns {Work}
 */
function fromLifecycleMessage(message) {
  if (!isObject(message)) return ignored('a lifecycle event without detail');
  if (message.LifecycleTransition !== TERMINATING) {
    return ignored(`lifecycle transition ${String(message.LifecycleTransition)}`);
  }
  const { AutoScalingGroupName, LifecycleHookName, EC2InstanceId, LifecycleActionToken } = message;
  if (
    typeof AutoScalingGroupName !== 'string' ||
    typeof LifecycleHookName !== 'string' ||
    typeof EC2InstanceId !== 'string'
  ) {
    return ignored('a lifecycle message without AutoScalingGroupName, LifecycleHookName or EC2InstanceId');
  }
  return {
    kind: 'action',
    action: {
      autoScalingGroupName: AutoScalingGroupName,
      lifecycleHookName: LifecycleHookName,
      lifecycleActionToken: typeof LifecycleActionToken === 'string' ? LifecycleActionToken : undefined,
      instanceId: EC2InstanceId,
    },
  };
}

/**
 * @param {unknown} value
 * @returns {Continuation | undefined}
 */
function continuationIn(value) {
  if (!isObject(value) || !isObject(value.action)) return undefined;
  const { action, startedAtMs, invocation } = value;
  if (
    typeof action.autoScalingGroupName !== 'string' ||
    typeof action.lifecycleHookName !== 'string' ||
    typeof action.instanceId !== 'string' ||
    typeof startedAtMs !== 'number' ||
    typeof invocation !== 'number'
  ) {
    return undefined;
  }
  return {
    action: {
      autoScalingGroupName: action.autoScalingGroupName,
      lifecycleHookName: action.lifecycleHookName,
      lifecycleActionToken: typeof action.lifecycleActionToken === 'string' ? action.lifecycleActionToken : undefined,
      instanceId: action.instanceId,
    },
    startedAtMs,
    invocation,
  };
}

/**
 * @param {string} reason
 * @returns {Work}
 */
function ignored(reason) {
  return { kind: 'ignored', reason };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
