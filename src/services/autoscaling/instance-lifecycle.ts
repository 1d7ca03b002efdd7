/**
 * The instance lifecycle state machine of EC2 Auto Scaling (`UG:asg/ec2-auto-scaling-lifecycle`,
 * section A.1): a pure `(state, event) → state` function with AWS's own state spellings. Warm-pool
 * and root-volume states are not modelled; Quarantined is unused by AWS itself.
 */

export type LifecycleState =
  | 'Pending'
  | 'Pending:Wait'
  | 'Pending:Proceed'
  | 'InService'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Terminated'
  | 'EnteringStandby'
  | 'Standby'
  | 'Detaching'
  | 'Detached';

export type LifecycleEvent =
  /** A launch lifecycle hook exists when the instance launches. */
  | 'LaunchHooksOpened'
  /** Every launch hook's action was completed or timed out with CONTINUE. */
  | 'LaunchContinued'
  /** A launch hook's action ended with ABANDON: the instance is terminated and replaced. */
  | 'LaunchAbandoned'
  /** EC2 reports the instance running and it is registered with the group's target groups. */
  | 'InstanceReady'
  /** Scale-in, TerminateInstanceInAutoScalingGroup, a failed health check, or a forced group delete. */
  | 'TerminationStarted'
  /** Deregistration and draining are done and a termination hook exists. */
  | 'TerminateHooksOpened'
  /** Every termination hook's action was completed (or one was abandoned) or timed out. */
  | 'TerminateHooksResolved'
  /** EC2 reports the instance terminated. */
  | 'InstanceTerminated'
  | 'StandbyRequested'
  /** Deregistration and draining are done. */
  | 'StandbyReached'
  | 'StandbyExited'
  | 'DetachRequested'
  /** Deregistration and draining are done. */
  | 'DetachCompleted';

/** States that count toward the group's desired capacity. */
export const CAPACITY_STATES: readonly LifecycleState[] = ['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService'];

/** States of an instance on its way into service. */
export const PENDING_STATES: readonly LifecycleState[] = ['Pending', 'Pending:Wait', 'Pending:Proceed'];

/** States of an instance on its way out of the group. */
export const TERMINATING_STATES: readonly LifecycleState[] = ['Terminating', 'Terminating:Wait', 'Terminating:Proceed'];

export function countsTowardCapacity(state: LifecycleState): boolean {
  return CAPACITY_STATES.includes(state);
}

export function isPending(state: LifecycleState): boolean {
  return PENDING_STATES.includes(state);
}

export function isTerminating(state: LifecycleState): boolean {
  return TERMINATING_STATES.includes(state);
}

/**
 * The state an event moves an instance to, or undefined when the event is not allowed in that
 * state (the caller turns that into AWS's "The instance … is not in …" error or ignores it).
 */
export function nextLifecycleState(state: LifecycleState, event: LifecycleEvent): LifecycleState | undefined {
  switch (event) {
    case 'LaunchHooksOpened':
      return state === 'Pending' ? 'Pending:Wait' : undefined;
    case 'LaunchContinued':
      return state === 'Pending:Wait' ? 'Pending:Proceed' : undefined;
    case 'LaunchAbandoned':
      return state === 'Pending:Wait' ? 'Terminating' : undefined;
    case 'InstanceReady':
      return state === 'Pending' || state === 'Pending:Proceed' ? 'InService' : undefined;
    case 'TerminationStarted':
      // AWS terminates instances on their way in, in service or in standby; instances already
      // leaving (terminating, detaching) are left to finish.
      return isPending(state) || state === 'InService' || state === 'Standby' || state === 'EnteringStandby'
        ? 'Terminating'
        : undefined;
    case 'TerminateHooksOpened':
      return state === 'Terminating' ? 'Terminating:Wait' : undefined;
    case 'TerminateHooksResolved':
      return state === 'Terminating:Wait' ? 'Terminating:Proceed' : undefined;
    case 'InstanceTerminated':
      return state === 'Terminating' || state === 'Terminating:Proceed' ? 'Terminated' : undefined;
    case 'StandbyRequested':
      return state === 'InService' ? 'EnteringStandby' : undefined;
    case 'StandbyReached':
      return state === 'EnteringStandby' ? 'Standby' : undefined;
    case 'StandbyExited':
      // The lifecycle diagram passes through Pending on the way back into service.
      return state === 'Standby' ? 'Pending' : undefined;
    case 'DetachRequested':
      return state === 'InService' || state === 'Standby' ? 'Detaching' : undefined;
    case 'DetachCompleted':
      return state === 'Detaching' ? 'Detached' : undefined;
    default:
      return assertNever(event);
  }
}

/** Like nextLifecycleState, but an event that is not allowed is a programming error. */
export function requireNextLifecycleState(state: LifecycleState, event: LifecycleEvent): LifecycleState {
  const next = nextLifecycleState(state, event);
  if (next === undefined) throw new Error(`lifecycle event ${event} is not allowed in state ${state}`);
  return next;
}

function assertNever(value: never): never {
  throw new Error(`unhandled lifecycle event ${String(value)}`);
}
