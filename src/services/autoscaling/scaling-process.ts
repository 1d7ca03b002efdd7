/**
 * Scaling processes (SuspendProcesses/ResumeProcesses, `M:asg`): what a suspended process stops
 * the group controller from doing. Launch: no new instances. Terminate: no scale-in and no
 * unhealthy replacement. HealthCheck: EC2/ELB checks do not mark instances unhealthy.
 * ReplaceUnhealthy: unhealthy instances stay. AddToLoadBalancer: new instances are not
 * registered with target groups. The others have no machinery in drydock to stop.
 */
import { awsTime } from './activity.js';
import { validationError } from './errors.js';

export type ScalingProcess =
  | 'Launch'
  | 'Terminate'
  | 'AddToLoadBalancer'
  | 'AlarmNotification'
  | 'AZRebalance'
  | 'HealthCheck'
  | 'InstanceRefresh'
  | 'ReplaceUnhealthy'
  | 'ScheduledActions';

export const SCALING_PROCESSES: readonly ScalingProcess[] = [
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'AlarmNotification',
  'AZRebalance',
  'HealthCheck',
  'InstanceRefresh',
  'ReplaceUnhealthy',
  'ScheduledActions',
];

export interface SuspendedProcess {
  processName: ScalingProcess;
  suspensionReason: string;
}

/** The processes a call names; none named means all of them. Unknown names are an error (UNCONFIRMED wording). */
export function processesNamed(names: readonly string[] | undefined): ScalingProcess[] {
  if (names === undefined || names.length === 0) return [...SCALING_PROCESSES];
  for (const name of names) {
    if (!SCALING_PROCESSES.includes(name as ScalingProcess)) throw validationError(`Invalid scaling process: ${name}`);
  }
  return [...new Set(names as ScalingProcess[])];
}

export function suspend(
  current: readonly SuspendedProcess[],
  names: readonly ScalingProcess[],
  nowMs: number,
): SuspendedProcess[] {
  const out = [...current];
  for (const name of names) {
    if (!out.some((process) => process.processName === name)) {
      out.push({ processName: name, suspensionReason: `User suspended at ${awsTime(nowMs)}` });
    }
  }
  return out;
}

export function resume(current: readonly SuspendedProcess[], names: readonly ScalingProcess[]): SuspendedProcess[] {
  return current.filter((process) => !names.includes(process.processName));
}

export function isSuspended(suspended: readonly SuspendedProcess[], name: ScalingProcess): boolean {
  return suspended.some((process) => process.processName === name);
}
