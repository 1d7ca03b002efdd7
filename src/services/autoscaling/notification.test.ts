import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from './activity.js';
import {
  activityEvent,
  groupNotificationMessage,
  lifecycleActionEvent,
  lifecycleActionMessage,
  lifecycleActionSubject,
  testNotificationMessage,
} from './notification.js';

const group = {
  accountId: '123456789012',
  region: 'us-west-2',
  autoScalingGroupName: 'my-asg',
  autoScalingGroupArn:
    'arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:042cba90-ad2f-431c-9b4d-6d9055bcc9fb:autoScalingGroupName/my-asg',
};
const TIME = Date.UTC(2021, 0, 13, 0, 12, 37);
const launchNotice = {
  instanceId: 'i-1234567890abcdef0',
  lifecycleHookName: 'my-lifecycle-hook',
  lifecycleActionToken: '87654321-4321-4321-4321-210987654321',
  lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' as const,
  notificationMetadata: 'additional-info',
};

describe('EventBridge lifecycle action events (A.4)', () => {
  it('carry the documented detail plus Origin and Destination, and only the group ARN', () => {
    expect(lifecycleActionEvent(group, launchNotice, TIME)).toEqual({
      accountId: '123456789012',
      region: 'us-west-2',
      source: 'aws.autoscaling',
      detailType: 'EC2 Instance-launch Lifecycle Action',
      resources: [group.autoScalingGroupArn],
      detail: {
        LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
        AutoScalingGroupName: 'my-asg',
        LifecycleHookName: 'my-lifecycle-hook',
        EC2InstanceId: 'i-1234567890abcdef0',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        NotificationMetadata: 'additional-info',
        Origin: 'EC2',
        Destination: 'AutoScalingGroup',
      },
      timeMs: TIME,
    });
  });

  it('terminate events say so and leave out NotificationMetadata when the hook has none', () => {
    const { notificationMetadata: _none, ...notice } = launchNotice;
    const event = lifecycleActionEvent(
      group,
      { ...notice, lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' },
      TIME,
    );
    expect(event.detailType).toBe('EC2 Instance-terminate Lifecycle Action');
    expect(event.detail).not.toHaveProperty('NotificationMetadata');
    expect(event.detail).toMatchObject({ Origin: 'AutoScalingGroup', Destination: 'EC2' });
  });
});

describe('hook target messages', () => {
  it('the lifecycle message is the SQS key set as JSON', () => {
    expect(JSON.parse(lifecycleActionMessage(group, launchNotice, 'req-1', TIME))).toEqual({
      Origin: 'EC2',
      Destination: 'AutoScalingGroup',
      LifecycleHookName: 'my-lifecycle-hook',
      AccountId: '123456789012',
      RequestId: 'req-1',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      AutoScalingGroupName: 'my-asg',
      Service: 'AWS Auto Scaling',
      Time: '2021-01-13T00:12:37.000Z',
      EC2InstanceId: 'i-1234567890abcdef0',
      LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
      NotificationMetadata: 'additional-info',
    });
    expect(lifecycleActionSubject(launchNotice)).toBe(
      "Auto Scaling:  Lifecycle action 'LAUNCHING' for instance i-1234567890abcdef0 in progress.",
    );
  });

  it('the test notification has no token and names the event', () => {
    expect(JSON.parse(testNotificationMessage(group, 'req-2', TIME))).toEqual({
      AccountId: '123456789012',
      RequestId: 'req-2',
      AutoScalingGroupARN: group.autoScalingGroupArn,
      AutoScalingGroupName: 'my-asg',
      Service: 'AWS Auto Scaling',
      Event: 'autoscaling:TEST_NOTIFICATION',
      Time: '2021-01-13T00:12:37.000Z',
    });
  });
});

describe('launch and terminate results', () => {
  const activity: ActivityRecord = {
    activityId: 'a-1',
    accountId: group.accountId,
    region: group.region,
    autoScalingGroupName: 'my-asg',
    autoScalingGroupArn: group.autoScalingGroupArn,
    kind: 'launch',
    instanceId: 'i-1234567890abcdef0',
    description: 'Launching a new EC2 instance: i-1234567890abcdef0',
    cause: 'description-text',
    startTimeMs: TIME - 30_000,
    endTimeMs: TIME,
    statusCode: 'Successful',
    progress: 100,
    details: { 'Subnet ID': 'subnet-12345678', 'Availability Zone': 'us-west-2b' },
  };

  it('EC2 Instance Launch Successful lists the group and instance ARNs', () => {
    const event = activityEvent(group, activity, 'launch', 'req-3', TIME);
    expect(event.detailType).toBe('EC2 Instance Launch Successful');
    expect(event.resources).toEqual([
      group.autoScalingGroupArn,
      'arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0',
    ]);
    expect(event.detail).toMatchObject({
      StatusCode: 'InProgress',
      StatusMessage: '',
      ActivityId: 'a-1',
      RequestId: 'req-3',
      EC2InstanceId: 'i-1234567890abcdef0',
      Details: { 'Availability Zone': 'us-west-2b', 'Subnet ID': 'subnet-12345678' },
      StartTime: '2021-01-13T00:12:07.000Z',
      EndTime: '2021-01-13T00:12:37.000Z',
      Cause: 'description-text',
    });
  });

  it('unsuccessful results carry Failed and the status message', () => {
    const failed = { ...activity, statusCode: 'Failed' as const, statusMessage: 'boom' };
    expect(activityEvent(group, failed, 'launch-error', 'r', TIME).detail).toMatchObject({
      StatusCode: 'Failed',
      StatusMessage: 'boom',
    });
    expect(JSON.parse(groupNotificationMessage(group, failed, 'launch-error', 'r', TIME))).toMatchObject({
      Event: 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
      StatusCode: 'Failed',
      StatusMessage: 'boom',
      Service: 'AWS Auto Scaling',
    });
  });
});
