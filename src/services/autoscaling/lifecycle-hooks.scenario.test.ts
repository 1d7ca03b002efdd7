/**
 * Lifecycle hooks and actions on the virtual clock, one scenario per rule of sections A.1–A.4:
 * instances really wait in Pending:Wait / Terminating:Wait until an action is completed,
 * heartbeated or timed out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AutoScalingScenario } from './test-support.js';
import {
  autoscalingScenario,
  createGroup,
  HOUR,
  LAUNCHING,
  MINUTE,
  SECOND,
  serviceErrorOf,
  TERMINATING,
} from './test-support.js';

let t: AutoScalingScenario;
beforeEach(() => {
  t = autoscalingScenario();
});
afterEach(async () => t.close());

/** A group of `size` in service with the given hooks; returns when every instance is InService. */
async function groupInService(size: number, hooks: object[], name = 'web'): Promise<string[]> {
  createGroup(t, { AutoScalingGroupName: name, DesiredCapacity: size, LifecycleHookSpecificationList: hooks });
  await t.advanceBy(t.ec2.bootMs);
  const inService = t.inState(name, 'InService');
  expect(inService).toHaveLength(size);
  return inService;
}

function terminateEvents() {
  return t.eventBus.ofType('EC2 Instance-terminate Lifecycle Action');
}

describe('a terminate hook holds the instance in Terminating:Wait', () => {
  it('until the heartbeat timeout, then DefaultResult applies', async () => {
    await groupInService(1, [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING, HeartbeatTimeout: 600 }]);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [waiting] = t.inState('web', 'Terminating:Wait');
    expect(waiting).toBeDefined();
    await t.advanceBy(600 * SECOND - 1);
    expect(t.states('web')).toEqual({ [waiting!]: 'Terminating:Wait' });
    await t.advanceBy(1);
    expect(t.states('web')).toEqual({ [waiting!]: 'Terminating:Proceed' });
    expect(t.ec2.state(waiting!)).toBe('shutting-down');
    await t.advanceBy(t.ec2.shutdownMs);
    expect(t.states('web')).toEqual({});
    expect(t.ec2.state(waiting!)).toBe('terminated');
  });

  it('a heartbeat at 30 min of a 60 min hook keeps the instance waiting until 90 min', async () => {
    await groupInService(1, [
      { LifecycleHookName: 'drain', LifecycleTransition: TERMINATING, DefaultResult: 'CONTINUE' },
    ]);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [instanceId] = t.inState('web', 'Terminating:Wait');
    await t.advanceBy(30 * MINUTE);
    t.call('RecordLifecycleActionHeartbeat', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'drain',
      InstanceId: instanceId,
    });
    await t.advanceBy(60 * MINUTE - 1);
    expect(t.states('web')[instanceId!]).toBe('Terminating:Wait');
    await t.advanceBy(1);
    expect(t.states('web')[instanceId!]).toBe('Terminating:Proceed');
  });

  it('heartbeats every 50 min cannot pass the global timeout of 48 hours', async () => {
    await groupInService(1, [
      { LifecycleHookName: 'drain', LifecycleTransition: TERMINATING, DefaultResult: 'CONTINUE' },
    ]);
    const hook = t.call<{ LifecycleHooks: Array<{ GlobalTimeout: number }> }>('DescribeLifecycleHooks', {
      AutoScalingGroupName: 'web',
    }).LifecycleHooks[0]!;
    expect(hook.GlobalTimeout).toBe(172_800);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [instanceId] = t.inState('web', 'Terminating:Wait');
    const enteredAtMs = t.clock.now();
    const heartbeat = () =>
      t.call('RecordLifecycleActionHeartbeat', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'drain',
        InstanceId: instanceId,
      });
    for (let elapsed = 50 * MINUTE; elapsed < 48 * HOUR; elapsed += 50 * MINUTE) {
      await t.clock.advanceTo((enteredAtMs + elapsed) as never);
      expect(t.states('web')[instanceId!]).toBe('Terminating:Wait');
      heartbeat();
    }
    await t.clock.advanceTo((enteredAtMs + 48 * HOUR - 1) as never);
    expect(t.states('web')[instanceId!]).toBe('Terminating:Wait');
    await t.advanceBy(1);
    expect(t.states('web')[instanceId!]).toBe('Terminating:Proceed');
    expect(() => heartbeat()).toThrow(`No active Lifecycle Action found with instance ID ${instanceId}`);
  });

  it('DefaultResult ABANDON on a terminate hook still terminates', async () => {
    await groupInService(1, [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING, HeartbeatTimeout: 60 }]);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [instanceId] = t.inState('web', 'Terminating:Wait');
    await t.advanceBy(60 * SECOND);
    expect(t.ec2.state(instanceId!)).toBe('shutting-down');
    await t.advanceBy(t.ec2.shutdownMs);
    expect(t.states('web')).toEqual({});
    const [activity] = t.activities('web');
    expect(activity).toMatchObject({
      Description: `Terminating EC2 instance: ${instanceId}`,
      StatusCode: 'Successful',
    });
  });
});

describe('completing lifecycle actions', () => {
  it('by instance id and by token: both instances terminate, the activity history reads like AWS', async () => {
    await groupInService(3, [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }]);
    const setAtMs = t.clock.now();
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.settle();
    const waiting = t.inState('web', 'Terminating:Wait');
    expect(waiting).toHaveLength(2);
    expect(terminateEvents()).toHaveLength(2);
    const [first, second] = waiting as [string, string];
    const tokenOf = (instanceId: string) =>
      terminateEvents().find((event) => event.detail.EC2InstanceId === instanceId)!.detail.LifecycleActionToken;

    await t.advanceBy(5 * MINUTE);
    t.call('RecordLifecycleActionHeartbeat', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'drain',
      LifecycleActionToken: tokenOf(first),
    });
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'drain',
      InstanceId: first,
      LifecycleActionResult: 'CONTINUE',
    });
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'drain',
      LifecycleActionToken: tokenOf(second),
      LifecycleActionResult: 'CONTINUE',
    });
    await t.settle();
    expect(t.inState('web', 'Terminating:Proceed').sort()).toEqual([first, second].sort());
    await t.advanceBy(t.ec2.shutdownMs);
    expect(Object.values(t.states('web'))).toEqual(['InService']);

    const at = new Date(setAtMs).toISOString().replace('.000Z', 'Z');
    const terminations = t.activities('web').filter((activity) => activity.Description?.startsWith('Terminating'));
    expect(terminations).toHaveLength(2);
    for (const activity of terminations) {
      expect(activity.StatusCode).toBe('Successful');
      expect(activity.Progress).toBe(100);
      expect(activity.Cause).toBe(
        `At ${at} a user request explicitly set group desired capacity changing the desired capacity from 3 to 1.  ` +
          `At ${at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 1.  ` +
          `At ${at} instance ${activity.Description!.slice('Terminating EC2 instance: '.length)} was selected for termination.`,
      );
    }
  });

  it('answers AWS ValidationErrors for actions that are not active', async () => {
    await groupInService(1, [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }]);
    const [inService] = t.inState('web', 'InService');
    const complete = (input: object) =>
      t.call('CompleteLifecycleAction', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'drain',
        LifecycleActionResult: 'CONTINUE',
        ...input,
      });
    const token = '11111111-2222-4333-8444-555555555555';
    let error = serviceErrorOf(() => complete({ LifecycleActionToken: token }));
    expect([error.code, error.message]).toEqual([
      'ValidationError',
      `No active Lifecycle Action found with token ${token}`,
    ]);
    error = serviceErrorOf(() => complete({ InstanceId: inService }));
    expect(error.message).toBe(`No active Lifecycle Action found with instance ID ${inService}`);

    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const realToken = String(terminateEvents()[0]!.detail.LifecycleActionToken);
    // The right token under another hook's name is not an active action either.
    error = serviceErrorOf(() => complete({ LifecycleActionToken: realToken, LifecycleHookName: 'other' }));
    expect(error.message).toBe(`No active Lifecycle Action found with token ${realToken}`);
    complete({ LifecycleActionToken: realToken });
    // Completing twice: the action is no longer active.
    error = serviceErrorOf(() => complete({ LifecycleActionToken: realToken }));
    expect(error.message).toBe(`No active Lifecycle Action found with token ${realToken}`);
    // An unknown group has no active actions.
    error = serviceErrorOf(() => complete({ AutoScalingGroupName: 'ghost', InstanceId: inService }));
    expect(error.message).toBe(`No active Lifecycle Action found with instance ID ${inService}`);
  });

  it('two hooks on one transition: each gets its own token, the instance leaves when both are resolved', async () => {
    await groupInService(1, [
      { LifecycleHookName: 'drain-tasks', LifecycleTransition: TERMINATING, HeartbeatTimeout: 600 },
      { LifecycleHookName: 'ship-logs', LifecycleTransition: TERMINATING, HeartbeatTimeout: 1200 },
    ]);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [instanceId] = t.inState('web', 'Terminating:Wait');
    const events = terminateEvents();
    expect(events.map((event) => event.detail.LifecycleHookName).sort()).toEqual(['drain-tasks', 'ship-logs']);
    expect(new Set(events.map((event) => event.detail.LifecycleActionToken)).size).toBe(2);

    await t.advanceBy(MINUTE);
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'drain-tasks',
      InstanceId: instanceId,
      LifecycleActionResult: 'CONTINUE',
    });
    // ship-logs is still open: the instance keeps waiting, past drain-tasks' own timeout.
    await t.advanceBy(15 * MINUTE);
    expect(t.states('web')[instanceId!]).toBe('Terminating:Wait');
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'ship-logs',
      InstanceId: instanceId,
      LifecycleActionResult: 'CONTINUE',
    });
    await t.settle();
    expect(t.states('web')[instanceId!]).toBe('Terminating:Proceed');
  });

  it('ABANDON on one terminate hook skips the others', async () => {
    await groupInService(1, [
      { LifecycleHookName: 'first', LifecycleTransition: TERMINATING },
      { LifecycleHookName: 'second', LifecycleTransition: TERMINATING },
    ]);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [instanceId] = t.inState('web', 'Terminating:Wait');
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'first',
      InstanceId: instanceId,
      LifecycleActionResult: 'ABANDON',
    });
    await t.settle();
    expect(t.states('web')[instanceId!]).toBe('Terminating:Proceed');
  });
});

describe('launch hooks', () => {
  it('hooks given at creation apply to the first instances', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 2,
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'warm-up', LifecycleTransition: LAUNCHING }],
    });
    await t.settle();
    expect(Object.values(t.states('web'))).toEqual(['Pending:Wait', 'Pending:Wait']);
    const events = t.eventBus.ofType('EC2 Instance-launch Lifecycle Action');
    expect(events).toHaveLength(2);
    expect(events[0]!.detail).toMatchObject({
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'warm-up',
      LifecycleTransition: LAUNCHING,
      Origin: 'EC2',
      Destination: 'AutoScalingGroup',
    });
    expect(events[0]!.resources).toEqual([t.group('web').AutoScalingGroupARN]);
    const [activity] = t.activities('web');
    expect(activity).toMatchObject({ StatusCode: 'MidLifecycleAction' });
  });

  it('CONTINUE before EC2 has booted the instance waits in Pending:Proceed until it runs', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'warm-up', LifecycleTransition: LAUNCHING }],
    });
    await t.settle();
    const [instanceId] = t.inState('web', 'Pending:Wait');
    await t.advanceBy(10 * SECOND);
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'warm-up',
      InstanceId: instanceId,
      LifecycleActionResult: 'CONTINUE',
    });
    await t.settle();
    expect(t.states('web')[instanceId!]).toBe('Pending:Proceed');
    await t.advanceBy(t.ec2.bootMs - 10 * SECOND);
    expect(t.states('web')[instanceId!]).toBe('InService');
    expect(t.eventBus.ofType('EC2 Instance Launch Successful')).toHaveLength(1);
  });

  it('ABANDON on launch terminates the instance and launches a replacement', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'warm-up', LifecycleTransition: LAUNCHING }],
    });
    await t.settle();
    const [abandoned] = t.inState('web', 'Pending:Wait');
    const token = String(t.eventBus.ofType('EC2 Instance-launch Lifecycle Action')[0]!.detail.LifecycleActionToken);
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'warm-up',
      LifecycleActionToken: token,
      LifecycleActionResult: 'ABANDON',
    });
    await t.settle();
    const states = t.states('web');
    expect(states[abandoned!]).toBe('Terminating');
    const replacement = Object.keys(states).find((id) => id !== abandoned)!;
    expect(states[replacement]).toBe('Pending:Wait');
    expect(t.ec2.state(abandoned!)).toBe('shutting-down');

    const reason = `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${token} was abandoned: Lifecycle Action Completed with ABANDON Result`;
    const cancelled = t.activities('web').find((activity) => activity.StatusCode === 'Cancelled')!;
    expect(cancelled.Description).toBe(`Launching a new EC2 instance: ${abandoned}.  Status Reason: ${reason}`);
    expect(cancelled.StatusMessage).toBe(reason);
    expect(t.eventBus.ofType('EC2 Instance Launch Unsuccessful')).toHaveLength(1);
    await t.advanceBy(t.ec2.shutdownMs);
    expect(Object.keys(t.states('web'))).toEqual([replacement]);
  });

  it('DefaultResult CONTINUE on a launch hook puts the instance in service at the timeout', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: 'warm-up',
          LifecycleTransition: LAUNCHING,
          HeartbeatTimeout: 120,
          DefaultResult: 'CONTINUE',
        },
      ],
    });
    await t.settle();
    const [instanceId] = t.inState('web', 'Pending:Wait');
    await t.advanceBy(120 * SECOND - 1);
    expect(t.states('web')[instanceId!]).toBe('Pending:Wait');
    await t.advanceBy(1);
    expect(t.states('web')[instanceId!]).toBe('InService');
  });
});

describe('hook management', () => {
  it('DeleteLifecycleHook completes outstanding actions: ABANDON for launching, CONTINUE for terminating', async () => {
    await groupInService(1, [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }]);
    t.call('PutLifecycleHook', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'warm-up',
      LifecycleTransition: LAUNCHING,
    });
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    await t.settle();
    const [launching] = t.inState('web', 'Pending:Wait');
    const [old] = t.inState('web', 'InService');
    t.call('TerminateInstanceInAutoScalingGroup', { InstanceId: old, ShouldDecrementDesiredCapacity: true });
    await t.settle();
    expect(t.states('web')[old!]).toBe('Terminating:Wait');

    t.call('DeleteLifecycleHook', { AutoScalingGroupName: 'web', LifecycleHookName: 'drain' });
    t.call('DeleteLifecycleHook', { AutoScalingGroupName: 'web', LifecycleHookName: 'warm-up' });
    await t.settle();
    expect(t.states('web')[old!]).toBe('Terminating:Proceed');
    // The launching instance was abandoned: terminated, and its replacement launched without hooks.
    expect(t.states('web')[launching!]).toBe('Terminating');
    expect(t.activities('web').some((activity) => activity.StatusCode === 'Cancelled')).toBe(true);
    expect(
      t.call<{ LifecycleHooks: unknown[] }>('DescribeLifecycleHooks', { AutoScalingGroupName: 'web' }).LifecycleHooks,
    ).toEqual([]);
    const error = serviceErrorOf(() =>
      t.call('DeleteLifecycleHook', { AutoScalingGroupName: 'web', LifecycleHookName: 'drain' }),
    );
    expect([error.code, error.message]).toEqual([
      'ValidationError',
      "No Lifecycle Hook found with name 'drain' for group 'web'",
    ]);
  });

  it('PutLifecycleHook overwrites a hook of the same name, keeps defaults, and stops at 50 hooks', () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    t.call('PutLifecycleHook', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'h',
      LifecycleTransition: TERMINATING,
    });
    t.call('PutLifecycleHook', { AutoScalingGroupName: 'web', LifecycleHookName: 'h', HeartbeatTimeout: 60 });
    const hooks = t.call<{ LifecycleHooks: object[] }>('DescribeLifecycleHooks', {
      AutoScalingGroupName: 'web',
    }).LifecycleHooks;
    expect(hooks).toEqual([
      {
        LifecycleHookName: 'h',
        AutoScalingGroupName: 'web',
        LifecycleTransition: TERMINATING,
        HeartbeatTimeout: 60,
        GlobalTimeout: 6000,
        DefaultResult: 'ABANDON',
      },
    ]);
    for (let index = 1; index < 50; index += 1) {
      t.call('PutLifecycleHook', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: `h${index}`,
        LifecycleTransition: LAUNCHING,
      });
    }
    const error = serviceErrorOf(() =>
      t.call('PutLifecycleHook', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'h50',
        LifecycleTransition: LAUNCHING,
      }),
    );
    expect(error.code).toBe('LimitExceeded');
    // Overwriting an existing hook is still allowed at the limit.
    t.call('PutLifecycleHook', { AutoScalingGroupName: 'web', LifecycleHookName: 'h1', HeartbeatTimeout: 30 });
  });

  it('refuses heartbeat timeouts outside 30–7200 s, a missing transition, and an unknown group', () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    expect(
      serviceErrorOf(() =>
        t.call('PutLifecycleHook', {
          AutoScalingGroupName: 'web',
          LifecycleHookName: 'h',
          LifecycleTransition: TERMINATING,
          HeartbeatTimeout: 10,
        }),
      ).message,
    ).toBe(
      "1 validation error detected: Value '10' at 'heartbeatTimeout' failed to satisfy constraint: Member must have value greater than or equal to 30",
    );
    expect(
      serviceErrorOf(() => t.call('PutLifecycleHook', { AutoScalingGroupName: 'web', LifecycleHookName: 'h' })).code,
    ).toBe('ValidationError');
    expect(
      serviceErrorOf(() =>
        t.call('PutLifecycleHook', {
          AutoScalingGroupName: 'nope',
          LifecycleHookName: 'h',
          LifecycleTransition: LAUNCHING,
        }),
      ).message,
    ).toBe('AutoScalingGroup name not found - AutoScalingGroup nope not found');
  });

  it('DescribeLifecycleHookTypes lists both transitions', () => {
    expect(t.call('DescribeLifecycleHookTypes', {})).toEqual({ LifecycleHookTypes: [LAUNCHING, TERMINATING] });
  });
});

describe('notifications to the hook target', () => {
  const queue = 'arn:aws:sqs:us-east-1:123456789012:lifecycle';

  it('a test notification on creation, then one JSON message per action', async () => {
    t.notifications.deliverable.add(queue);
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: 'drain',
          LifecycleTransition: TERMINATING,
          NotificationTargetARN: queue,
          RoleARN: 'arn:aws:iam::123456789012:role/hooks',
          NotificationMetadata: 'cluster=prod',
        },
      ],
    });
    await t.advanceBy(t.ec2.bootMs);
    const [test] = t.notifications.to(queue);
    expect(test!.message).toEqual({
      AccountId: '123456789012',
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      AutoScalingGroupARN: t.group('web').AutoScalingGroupARN,
      AutoScalingGroupName: 'web',
      Service: 'AWS Auto Scaling',
      Event: 'autoscaling:TEST_NOTIFICATION',
      Time: expect.any(String),
    });

    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const [instanceId] = t.inState('web', 'Terminating:Wait');
    const message = t.notifications.to(queue)[1]!.message;
    expect(message).toEqual({
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
      LifecycleHookName: 'drain',
      AccountId: '123456789012',
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      LifecycleTransition: TERMINATING,
      AutoScalingGroupName: 'web',
      Service: 'AWS Auto Scaling',
      Time: new Date(t.clock.now()).toISOString(),
      EC2InstanceId: instanceId,
      LifecycleActionToken: terminateEvents()[0]!.detail.LifecycleActionToken,
      NotificationMetadata: 'cluster=prod',
    });
    // The message's token completes the action, as a queue consumer would.
    t.call('CompleteLifecycleAction', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'drain',
      LifecycleActionToken: message.LifecycleActionToken,
      LifecycleActionResult: 'CONTINUE',
    });
    await t.settle();
    expect(t.states('web')[instanceId!]).toBe('Terminating:Proceed');
  });

  it('a target that cannot receive the test message is refused', () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    const error = serviceErrorOf(() =>
      t.call('PutLifecycleHook', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'h',
        LifecycleTransition: TERMINATING,
        NotificationTargetARN: queue,
        RoleARN: 'arn:aws:iam::123456789012:role/hooks',
      }),
    );
    expect(error.message).toBe(
      `Unable to publish test message to notification target ${queue} using IAM role arn:aws:iam::123456789012:role/hooks. Please check your target and role configuration and try to put lifecycle hook again.`,
    );
  });
});
