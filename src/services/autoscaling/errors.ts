/**
 * Auto Scaling's errors (section A.10 of the semantics reference), with AWS's messages where they
 * are known from real responses. On the wire the codec maps each code to the model's query code
 * and HTTP status (`ResourceContention` is a 500). Messages marked UNCONFIRMED are best guesses
 * in AWS's style; each lives here once so it is easy to correct.
 */
import { ServiceError } from '../../kernel/service-error.js';

export const validationError = (message: string) => new ServiceError('ValidationError', message);

export const invalidNextToken = () => new ServiceError('InvalidNextToken', 'The token provided is not valid.');

export const alreadyExists = (message: string) => new ServiceError('AlreadyExists', message);

export const limitExceeded = (message: string) => new ServiceError('LimitExceeded', message);

export const resourceInUse = (message: string) => new ServiceError('ResourceInUse', message);

export const scalingActivityInProgress = (message: string) => new ServiceError('ScalingActivityInProgress', message);

/** `OBS:` recorder output; older responses ended in `- null`. */
export const groupNotFound = (name: string) =>
  validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);

/** Real wording (TerminateInstanceInAutoScalingGroup, SetInstanceHealth on an unknown instance). */
export const instanceNotFound = (instanceId: string) =>
  validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);

export const launchConfigurationNotFound = (name: string) =>
  validationError(`Launch configuration name not found - Launch configuration ${name} not found`);

/** A.3: the exact texts lifecycle-hook handlers match on to stay idempotent. */
export const noActiveActionWithToken = (token: string) =>
  validationError(`No active Lifecycle Action found with token ${token}`);
export const noActiveActionWithInstance = (instanceId: string) =>
  validationError(`No active Lifecycle Action found with instance ID ${instanceId}`);

/** Seen from a re-implementation of real behaviour; quoting of the names UNCONFIRMED. */
export const hookNotFound = (hookName: string, groupName: string) =>
  validationError(`No Lifecycle Hook found with name '${hookName}' for group '${groupName}'`);

/** Real wording (CreateAutoScalingGroup/UpdateAutoScalingGroup with Min > Max). */
export const maxBelowMin = (min: number, max: number) =>
  validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);

/** Real wording (CreateAutoScalingGroup/UpdateAutoScalingGroup with Desired outside [Min, Max]). */
export const desiredOutOfBounds = (desired: number, min: number, max: number) =>
  validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);

/** The code and the limit are from the model and the quotas page; the wording is UNCONFIRMED. */
export const tooManyHooks = (groupName: string, limit: number) =>
  limitExceeded(`Cannot put more than ${limit} lifecycle hooks to AutoScalingGroup ${groupName}.`);

/** `OBS:` the message real StartInstanceRefresh calls get while another refresh is active. */
export const instanceRefreshInProgress = () =>
  new ServiceError(
    'InstanceRefreshInProgress',
    'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
  );

/** `OBS:` handlers match "No in progress or pending Instance Refresh found"; the group suffix is UNCONFIRMED. */
export const activeInstanceRefreshNotFound = (groupName: string) =>
  new ServiceError(
    'ActiveInstanceRefreshNotFound',
    `No in progress or pending Instance Refresh found for Auto Scaling group ${groupName}`,
  );
