/**
 * Scaling activities (section A.9): the record kept per launch, termination, standby move,
 * detach or attach, AWS's Description and Cause sentences (two spaces between sentences, times
 * as `2020-02-11T18:34:10Z`), and the DescribeScalingActivities shape and ordering.
 */
import type { Activity } from '@aws-sdk/client-auto-scaling';

export type ActivityStatusCode =
  | 'PendingSpotBidPlacement'
  | 'WaitingForSpotInstanceRequestId'
  | 'WaitingForSpotInstanceId'
  | 'WaitingForInstanceId'
  | 'PreInService'
  | 'InProgress'
  | 'WaitingForELBConnectionDraining'
  | 'MidLifecycleAction'
  | 'WaitingForInstanceWarmup'
  | 'Successful'
  | 'Failed'
  | 'Cancelled'
  | 'WaitingForConnectionDraining';

export const ACTIVITY_STATUS_CODES: readonly ActivityStatusCode[] = [
  'PendingSpotBidPlacement',
  'WaitingForSpotInstanceRequestId',
  'WaitingForSpotInstanceId',
  'WaitingForInstanceId',
  'PreInService',
  'InProgress',
  'WaitingForELBConnectionDraining',
  'MidLifecycleAction',
  'WaitingForInstanceWarmup',
  'Successful',
  'Failed',
  'Cancelled',
  'WaitingForConnectionDraining',
];

export type ActivityKind =
  'launch' | 'terminate' | 'enter-standby' | 'exit-standby' | 'detach' | 'attach' | 'scale-in-blocked';

export interface ActivityRecord {
  activityId: string;
  accountId: string;
  region: string;
  autoScalingGroupName: string;
  autoScalingGroupArn: string;
  kind: ActivityKind;
  instanceId?: string;
  description: string;
  cause: string;
  startTimeMs: number;
  endTimeMs?: number;
  statusCode: ActivityStatusCode;
  statusMessage?: string;
  progress: number;
  /** Serialized as a JSON string, e.g. `{"Subnet ID":"subnet-…","Availability Zone":"us-west-2a"}`. */
  details: Record<string, string>;
  /** Set when the group is deleted; such activities show only with IncludeDeletedGroups. */
  groupDeleted?: boolean;
}

export type ActivityPatch = Partial<
  Pick<ActivityRecord, 'statusCode' | 'statusMessage' | 'progress' | 'description' | 'endTimeMs' | 'cause'>
>;

/** Activities are keyed `<accountId>/<region>/<activityId>`. */
export function activityKey(accountId: string, region: string, activityId: string): string {
  return `${accountId}/${region}/${activityId}`;
}

/** AWS's times inside Cause sentences: ISO 8601 to the second. */
export function awsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isFinished(statusCode: ActivityStatusCode): boolean {
  return statusCode === 'Successful' || statusCode === 'Failed' || statusCode === 'Cancelled';
}

/** Joins sentences the way AWS does: two spaces between them. */
export function sentences(...parts: Array<string | undefined>): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join('  ');
}

/** Descriptions. */
export const describeLaunch = (instanceId: string) => `Launching a new EC2 instance: ${instanceId}`;
export const describeTerminate = (instanceId: string) => `Terminating EC2 instance: ${instanceId}`;
export const describeEnterStandby = (instanceId: string) => `Moving EC2 instance to Standby: ${instanceId}`;
export const describeExitStandby = (instanceId: string) => `Moving EC2 instance out of Standby: ${instanceId}`;
export const describeDetach = (instanceId: string) => `Detaching EC2 instance: ${instanceId}`;
export const describeAttach = (instanceId: string) => `Attaching an existing EC2 instance: ${instanceId}`;
/** `UG:asg/ec2-auto-scaling-instance-protection`. */
export const ALL_PROTECTED_MESSAGE =
  'Could not scale to desired capacity because all remaining instances are protected from scale-in.';

/** Cause sentences, one per reason, as AWS writes them. */
export const cause = {
  createdGroup: (atMs: number, from: number, to: number) =>
    `At ${awsTime(atMs)} a user request created an AutoScalingGroup changing the desired capacity from ${from} to ${to}.`,
  setDesired: (atMs: number, from: number, to: number) =>
    `At ${awsTime(atMs)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.`,
  updatedGroup: (atMs: number, min: number, max: number, desired: number, from: number) =>
    `At ${awsTime(atMs)} a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired} changing the desired capacity from ${from} to ${desired}.`,
  startedForCapacity: (atMs: number, from: number, to: number) =>
    `At ${awsTime(atMs)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`,
  /** `OBS:` real SNS notifications and handlers that match on "in response to an instance refresh". */
  launchedForRefresh: (atMs: number) =>
    `At ${awsTime(atMs)} an instance was launched in response to an instance refresh.`,
  takenOutForRefresh: (atMs: number) =>
    `At ${awsTime(atMs)} an instance was taken out of service in response to an instance refresh.`,
  launchedForUnhealthy: (atMs: number) =>
    `At ${awsTime(atMs)} an instance was launched in response to an unhealthy instance needing to be replaced.`,
  takenOutForCapacity: (atMs: number, from: number, to: number) =>
    `At ${awsTime(atMs)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}.`,
  selectedForTermination: (atMs: number, instanceId: string) =>
    `At ${awsTime(atMs)} instance ${instanceId} was selected for termination.`,
  userTerminated: (atMs: number, instanceId: string, shrink?: { from: number; to: number }) =>
    `At ${awsTime(atMs)} instance ${instanceId} was taken out of service in response to a user request${shrinkClause(shrink)}.`,
  ec2Unhealthy: (atMs: number) =>
    `At ${awsTime(atMs)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
  elbUnhealthy: (atMs: number) =>
    `At ${awsTime(atMs)} an instance was taken out of service in response to an ELB system health check failure.`,
  userUnhealthy: (atMs: number) =>
    `At ${awsTime(atMs)} an instance was taken out of service in response to a user health-check.`,
  enteredStandby: (atMs: number, instanceId: string, shrink?: { from: number; to: number }) =>
    `At ${awsTime(atMs)} instance ${instanceId} was moved to standby in response to a user request${shrinkClause(shrink)}.`,
  exitedStandby: (atMs: number, instanceId: string, from: number, to: number) =>
    `At ${awsTime(atMs)} instance ${instanceId} was moved out of standby in response to a user request, increasing the capacity from ${from} to ${to}.`,
  detached: (atMs: number, instanceId: string, shrink?: { from: number; to: number }) =>
    `At ${awsTime(atMs)} instance ${instanceId} was detached in response to a user request${shrinkClause(shrink)}.`,
  /** Seen in real SNS notifications of attached instances. */
  attached: (atMs: number, desired: number) =>
    `At ${awsTime(atMs)} an instance was added in response to user request. Keeping the capacity at the new ${desired}.`,
  /** UNCONFIRMED wording: hooks do not run for a forced delete. */
  groupDeleted: (atMs: number, from: number) =>
    `At ${awsTime(atMs)} a user request deleted the AutoScalingGroup changing the desired capacity from ${from} to 0.`,
};

function shrinkClause(shrink: { from: number; to: number } | undefined): string {
  return shrink ? `, shrinking the capacity from ${shrink.from} to ${shrink.to}` : '';
}

/** A.3: what a launch cancelled by ABANDON says. */
export function abandonedLaunchReason(token: string): string {
  return `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${token} was abandoned: Lifecycle Action Completed with ABANDON Result`;
}

export function applyActivityPatch(record: ActivityRecord, patch: ActivityPatch): ActivityRecord {
  const next: ActivityRecord = { ...record };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

export function toActivity(record: ActivityRecord, includeGroupState: boolean): Activity {
  const activity: Activity = {
    ActivityId: record.activityId,
    AutoScalingGroupName: record.autoScalingGroupName,
    Description: record.description,
    Cause: record.cause,
    StartTime: new Date(record.startTimeMs),
    EndTime: record.endTimeMs === undefined ? undefined : new Date(record.endTimeMs),
    StatusCode: record.statusCode,
    StatusMessage: record.statusMessage,
    Progress: record.progress,
    Details: JSON.stringify(record.details),
    AutoScalingGroupARN: record.autoScalingGroupArn,
  };
  if (includeGroupState) activity.AutoScalingGroupState = record.groupDeleted ? 'Deleted' : 'InService';
  return activity;
}

const FAR_FUTURE_MS = 9_999_999_999_999;

/**
 * A key that sorts activities as DescribeScalingActivities lists them: in progress first, then
 * newest first (the id breaks ties), so pagination can resume after the last key returned.
 */
export function activitySortKey(record: ActivityRecord): string {
  const finished = isFinished(record.statusCode) ? 1 : 0;
  const age = String(FAR_FUTURE_MS - record.startTimeMs).padStart(13, '0');
  return `${finished}/${age}/${record.activityId}`;
}
