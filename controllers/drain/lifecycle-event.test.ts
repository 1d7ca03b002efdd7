/**
 * The shapes a lifecycle action arrives in (AWS's documented EventBridge event, SNS/SQS message,
 * SNS → Lambda record, SQS → Lambda record, SNS-wrapped and EventBridge bodies in a queue) all
 * give the same action; the test notification, launch actions and other events are ignored.
 */
import { describe, expect, it } from 'vitest';
import { CONTINUATION_KEY, workIn } from './lifecycle-event.mjs';
import { readSettings } from './settings.mjs';

const MESSAGE = {
  Origin: 'AutoScalingGroup',
  Destination: 'EC2',
  LifecycleHookName: 'drain',
  AccountId: '123456789012',
  RequestId: '0c0629a0-93f1-4599-90cc-f513489b075d',
  LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
  AutoScalingGroupName: 'web',
  Service: 'AWS Auto Scaling',
  Time: '2026-01-01T00:00:00.000Z',
  EC2InstanceId: 'i-0123456789abcdef0',
  LifecycleActionToken: '2349362a-8a39-4413-9fff-62bc895f9578',
};
const ACTION = {
  kind: 'action',
  action: {
    autoScalingGroupName: 'web',
    lifecycleHookName: 'drain',
    lifecycleActionToken: '2349362a-8a39-4413-9fff-62bc895f9578',
    instanceId: 'i-0123456789abcdef0',
  },
};
const ENVELOPE = {
  version: '0',
  id: '36d72624-a48e-44cd-97a6-929e1e2eda12',
  'detail-type': 'EC2 Instance-terminate Lifecycle Action',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/web'],
  detail: {
    LifecycleActionToken: MESSAGE.LifecycleActionToken,
    AutoScalingGroupName: 'web',
    LifecycleHookName: 'drain',
    EC2InstanceId: MESSAGE.EC2InstanceId,
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    Origin: 'AutoScalingGroup',
    Destination: 'EC2',
  },
};
const TEST_NOTIFICATION = {
  AccountId: '123456789012',
  RequestId: '4506b316-e822-4514-a476-8121d18b25e7',
  AutoScalingGroupARN: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/web',
  AutoScalingGroupName: 'web',
  Service: 'AWS Auto Scaling',
  Event: 'autoscaling:TEST_NOTIFICATION',
  Time: '2026-01-01T00:00:00.000Z',
};
const snsNotification = (message: object) => ({
  Type: 'Notification',
  MessageId: 'b7c0f6d1-0000-4000-8000-000000000001',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:lifecycle',
  Subject: 'Auto Scaling:  Lifecycle action',
  Message: JSON.stringify(message),
  Timestamp: '2026-01-01T00:00:00.000Z',
});

describe('workIn', () => {
  it.each([
    ['an EventBridge event', ENVELOPE],
    ['the lifecycle message itself', MESSAGE],
    ['the message as a JSON string', JSON.stringify(MESSAGE)],
    ['an SNS → Lambda record', { Records: [{ EventSource: 'aws:sns', Sns: snsNotification(MESSAGE) }] }],
    ['an SQS record holding the raw message', { Records: [{ eventSource: 'aws:sqs', body: JSON.stringify(MESSAGE) }] }],
    [
      'an SQS record holding an SNS notification',
      { Records: [{ eventSource: 'aws:sqs', body: JSON.stringify(snsNotification(MESSAGE)) }] },
    ],
    [
      'an SQS record holding an EventBridge event',
      { Records: [{ eventSource: 'aws:sqs', body: JSON.stringify(ENVELOPE) }] },
    ],
    ['an SNS notification with only Message', { Message: JSON.stringify(MESSAGE) }],
  ])('finds the action in %s', (_name, event) => {
    expect(workIn(event)).toEqual([ACTION]);
  });

  it('finds every action of an SQS batch, and ignores what is not one', () => {
    const other = { ...MESSAGE, EC2InstanceId: 'i-1', LifecycleActionToken: 't-1' };
    const work = workIn({
      Records: [
        { body: JSON.stringify(MESSAGE) },
        { body: JSON.stringify(TEST_NOTIFICATION) },
        { body: JSON.stringify(other) },
      ],
    });
    expect(work.map((w) => (w.kind === 'action' ? w.action.instanceId : w.reason))).toEqual([
      'i-0123456789abcdef0',
      'test notification',
      'i-1',
    ]);
  });

  it.each([
    ['the test notification', TEST_NOTIFICATION, 'test notification'],
    [
      'the test notification through SNS',
      { Records: [{ Sns: snsNotification(TEST_NOTIFICATION) }] },
      'test notification',
    ],
    [
      'a launch action',
      { ...MESSAGE, LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' },
      'lifecycle transition autoscaling:EC2_INSTANCE_LAUNCHING',
    ],
    [
      'another Auto Scaling event',
      { ...ENVELOPE, 'detail-type': 'EC2 Instance Terminate Successful' },
      'event "EC2 Instance Terminate Successful"',
    ],
    ['a body that is not JSON', { Records: [{ body: 'hello' }] }, 'a message that is not JSON'],
    ['an unrelated object', { hello: 'world' }, 'not a lifecycle message'],
    [
      'a lifecycle message without the instance',
      { ...MESSAGE, EC2InstanceId: undefined },
      'a lifecycle message without AutoScalingGroupName, LifecycleHookName or EC2InstanceId',
    ],
  ])('ignores %s', (_name, event, reason) => {
    expect(workIn(event)).toEqual([{ kind: 'ignored', reason }]);
  });

  it('takes up a drain handed over by an earlier invocation', () => {
    const continuation = { action: ACTION.action, startedAtMs: 1_000, invocation: 3 };
    expect(workIn({ [CONTINUATION_KEY]: continuation })).toEqual([{ ...ACTION, continuation }]);
  });
});

describe('readSettings', () => {
  it('has defaults for everything', () => {
    expect(readSettings({})).toEqual({
      clusters: undefined,
      standaloneTasks: 'wait',
      standaloneDeadlineMs: 3_600_000,
      pollMs: 10_000,
      marginMs: 30_000,
    });
  });

  it('reads the variables, fractions of seconds included', () => {
    expect(
      readSettings({
        CLUSTER: 'blue, green',
        STANDALONE_TASKS: 'STOP',
        STANDALONE_DEADLINE_SECONDS: '600',
        POLL_SECONDS: '0.25',
        MARGIN_SECONDS: '2',
      }),
    ).toEqual({
      clusters: ['blue', 'green'],
      standaloneTasks: 'stop',
      standaloneDeadlineMs: 600_000,
      pollMs: 250,
      marginMs: 2_000,
    });
  });

  it('refuses values it cannot use, naming the variable', () => {
    expect(() => readSettings({ STANDALONE_TASKS: 'kill' })).toThrow('STANDALONE_TASKS must be "wait" or "stop"');
    expect(() => readSettings({ POLL_SECONDS: '0' })).toThrow(
      'POLL_SECONDS must be a number of seconds greater than 0',
    );
    expect(() => readSettings({ STANDALONE_DEADLINE_SECONDS: 'soon' })).toThrow('STANDALONE_DEADLINE_SECONDS');
  });
});
