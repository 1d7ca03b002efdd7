/**
 * The messages Auto Scaling sends (section A.4): EventBridge events (`aws.autoscaling` lifecycle
 * actions and instance launch/terminate results), lifecycle-hook messages for a hook's SNS/SQS
 * target including the test notification, and PutNotificationConfiguration messages. Pure
 * builders: the controller hands the results to the ports.
 *
 * Lifecycle messages are JSON for SNS as for SQS: the docs print the SNS body as `Key: Value`
 * lines (what an e-mail subscription shows), but the Message that reaches SNS subscribers is the
 * JSON object, which is what drain handlers `JSON.parse` (api-surface.md).
 */
import type { AwsEventInput } from '../events/ports.js';
import type { ActivityRecord } from './activity.js';
import type { RefreshEvent } from './instance-refresh-plan.js';
import type { LifecycleTransition } from './lifecycle-hook.js';

export const SOURCE = 'aws.autoscaling';
export const SERVICE = 'AWS Auto Scaling';

export interface GroupIdentity {
  accountId: string;
  region: string;
  autoScalingGroupName: string;
  autoScalingGroupArn: string;
}

export interface LifecycleNotice {
  instanceId: string;
  lifecycleHookName: string;
  lifecycleActionToken: string;
  lifecycleTransition: LifecycleTransition;
  notificationMetadata?: string;
}

/**
 * Where the instance comes from and goes to. AWS documents these for warm pools; programs in the
 * wild read them on every event, so drydock always sends them (api-surface.md).
 */
export function originAndDestination(transition: LifecycleTransition): { Origin: string; Destination: string } {
  return transition === 'autoscaling:EC2_INSTANCE_LAUNCHING'
    ? { Origin: 'EC2', Destination: 'AutoScalingGroup' }
    : { Origin: 'AutoScalingGroup', Destination: 'EC2' };
}

export function lifecycleActionDetailType(transition: LifecycleTransition): string {
  return transition === 'autoscaling:EC2_INSTANCE_LAUNCHING'
    ? 'EC2 Instance-launch Lifecycle Action'
    : 'EC2 Instance-terminate Lifecycle Action';
}

/** `EC2 Instance-launch|terminate Lifecycle Action`: only the group ARN in resources. */
export function lifecycleActionEvent(group: GroupIdentity, notice: LifecycleNotice, timeMs: number): AwsEventInput {
  const detail: Record<string, unknown> = {
    LifecycleActionToken: notice.lifecycleActionToken,
    AutoScalingGroupName: group.autoScalingGroupName,
    LifecycleHookName: notice.lifecycleHookName,
    EC2InstanceId: notice.instanceId,
    LifecycleTransition: notice.lifecycleTransition,
  };
  if (notice.notificationMetadata !== undefined) detail.NotificationMetadata = notice.notificationMetadata;
  Object.assign(detail, originAndDestination(notice.lifecycleTransition));
  return {
    accountId: group.accountId,
    region: group.region,
    source: SOURCE,
    detailType: lifecycleActionDetailType(notice.lifecycleTransition),
    resources: [group.autoScalingGroupArn],
    detail,
    timeMs,
  };
}

/** The hook target's message; NotificationMetadata is left out when the hook has none (UNCONFIRMED). */
export function lifecycleActionMessage(
  group: GroupIdentity,
  notice: LifecycleNotice,
  requestId: string,
  timeMs: number,
): string {
  const body: Record<string, unknown> = {
    ...originAndDestination(notice.lifecycleTransition),
    LifecycleHookName: notice.lifecycleHookName,
    AccountId: group.accountId,
    RequestId: requestId,
    LifecycleTransition: notice.lifecycleTransition,
    AutoScalingGroupName: group.autoScalingGroupName,
    Service: SERVICE,
    Time: new Date(timeMs).toISOString(),
    EC2InstanceId: notice.instanceId,
    LifecycleActionToken: notice.lifecycleActionToken,
  };
  if (notice.notificationMetadata !== undefined) body.NotificationMetadata = notice.notificationMetadata;
  return JSON.stringify(body);
}

export function lifecycleActionSubject(notice: LifecycleNotice): string {
  const verb = notice.lifecycleTransition === 'autoscaling:EC2_INSTANCE_LAUNCHING' ? 'LAUNCHING' : 'TERMINATING';
  return `Auto Scaling:  Lifecycle action '${verb}' for instance ${notice.instanceId} in progress.`;
}

/** Sent once when a hook target or a notification configuration is put; consumers must ignore it. */
export function testNotificationMessage(group: GroupIdentity, requestId: string, timeMs: number): string {
  return JSON.stringify({
    AccountId: group.accountId,
    RequestId: requestId,
    AutoScalingGroupARN: group.autoScalingGroupArn,
    AutoScalingGroupName: group.autoScalingGroupName,
    Service: SERVICE,
    Event: 'autoscaling:TEST_NOTIFICATION',
    Time: new Date(timeMs).toISOString(),
  });
}

export function testNotificationSubject(group: GroupIdentity): string {
  return `Auto Scaling: test notification for group "${group.autoScalingGroupName}"`;
}

export type ActivityOutcome = 'launch' | 'launch-error' | 'terminate' | 'terminate-error';

const DETAIL_TYPES: Record<ActivityOutcome, string> = {
  launch: 'EC2 Instance Launch Successful',
  'launch-error': 'EC2 Instance Launch Unsuccessful',
  terminate: 'EC2 Instance Terminate Successful',
  'terminate-error': 'EC2 Instance Terminate Unsuccessful',
};

/** PutNotificationConfiguration's notification types, by outcome. */
export const NOTIFICATION_TYPES: Record<ActivityOutcome, string> = {
  launch: 'autoscaling:EC2_INSTANCE_LAUNCH',
  'launch-error': 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  terminate: 'autoscaling:EC2_INSTANCE_TERMINATE',
  'terminate-error': 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
};

const SUBJECTS: Record<ActivityOutcome, string> = {
  launch: 'launch',
  'launch-error': 'failed launch',
  terminate: 'termination',
  'terminate-error': 'failed termination',
};

function isLaunch(outcome: ActivityOutcome): boolean {
  return outcome === 'launch' || outcome === 'launch-error';
}

function instanceArn(group: GroupIdentity, instanceId: string): string {
  return `arn:aws:ec2:${group.region}:${group.accountId}:instance/${instanceId}`;
}

/**
 * `EC2 Instance Launch/Terminate Successful/Unsuccessful`. The documented sample of a successful
 * one carries `"StatusCode":"InProgress"` and an empty StatusMessage; drydock sends the same.
 */
export function activityEvent(
  group: GroupIdentity,
  activity: ActivityRecord,
  outcome: ActivityOutcome,
  requestId: string,
  timeMs: number,
): AwsEventInput {
  const failed = outcome === 'launch-error' || outcome === 'terminate-error';
  const detail: Record<string, unknown> = {
    ...originAndDestination(
      isLaunch(outcome) ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
    ),
    StatusCode: failed ? 'Failed' : 'InProgress',
    Description: activity.description,
    AutoScalingGroupName: group.autoScalingGroupName,
    ActivityId: activity.activityId,
    Details: activity.details,
    RequestId: requestId,
    StatusMessage: failed ? (activity.statusMessage ?? '') : '',
    EndTime: new Date(activity.endTimeMs ?? timeMs).toISOString(),
    EC2InstanceId: activity.instanceId ?? '',
    StartTime: new Date(activity.startTimeMs).toISOString(),
    Cause: activity.cause,
  };
  const resources = [group.autoScalingGroupArn];
  if (activity.instanceId) resources.push(instanceArn(group, activity.instanceId));
  return {
    accountId: group.accountId,
    region: group.region,
    source: SOURCE,
    detailType: DETAIL_TYPES[outcome],
    resources,
    detail,
    timeMs,
  };
}

/** The JSON a PutNotificationConfiguration topic receives for a launch or termination. */
export function groupNotificationMessage(
  group: GroupIdentity,
  activity: ActivityRecord,
  outcome: ActivityOutcome,
  requestId: string,
  timeMs: number,
): string {
  return JSON.stringify({
    ...originAndDestination(
      isLaunch(outcome) ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
    ),
    Progress: activity.progress,
    AccountId: group.accountId,
    Description: activity.description,
    RequestId: requestId,
    EndTime: new Date(activity.endTimeMs ?? timeMs).toISOString(),
    AutoScalingGroupARN: group.autoScalingGroupArn,
    ActivityId: activity.activityId,
    StartTime: new Date(activity.startTimeMs).toISOString(),
    Service: SERVICE,
    Time: new Date(timeMs).toISOString(),
    EC2InstanceId: activity.instanceId ?? '',
    StatusCode: activity.statusCode,
    StatusMessage: activity.statusMessage ?? '',
    Details: activity.details,
    AutoScalingGroupName: group.autoScalingGroupName,
    Cause: activity.cause,
    Event: NOTIFICATION_TYPES[outcome],
  });
}

export function groupNotificationSubject(group: GroupIdentity, outcome: ActivityOutcome): string {
  return `Auto Scaling: ${SUBJECTS[outcome]} for group "${group.autoScalingGroupName}"`;
}

/**
 * `EC2 Auto Scaling Instance Refresh Started|Succeeded|Failed|Cancelled|Checkpoint Reached`
 * (`UG:asg/ec2-auto-scaling-event-reference`): the group ARN in resources; a checkpoint adds its
 * percentage and delay, as strings.
 */
export function instanceRefreshEvent(group: GroupIdentity, event: RefreshEvent, timeMs: number): AwsEventInput {
  const detail: Record<string, unknown> = {
    InstanceRefreshId: event.instanceRefreshId,
    AutoScalingGroupName: group.autoScalingGroupName,
  };
  if (event.checkpointPercentage !== undefined) detail.CheckpointPercentage = String(event.checkpointPercentage);
  if (event.checkpointDelayS !== undefined) detail.CheckpointDelay = String(event.checkpointDelayS);
  return {
    accountId: group.accountId,
    region: group.region,
    source: SOURCE,
    detailType: `EC2 Auto Scaling Instance Refresh ${event.kind}`,
    resources: [group.autoScalingGroupArn],
    detail,
    timeMs,
  };
}
