/**
 * Instance refresh on the virtual clock (section A.8, `UG:asg/asg-instance-refresh`): batches
 * sized by MinHealthyPercentage, launch-before-terminate with MaxHealthyPercentage, instance
 * warmup, checkpoints, SkipMatching, cancellation, protected and standby instances, and the old
 * instances going through the normal termination path (hooks) while the new ones go through the
 * launch path — every scenario written the way the AWS docs describe it.
 */
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../kernel/service-error.js';
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

const BOOT = 30 * SECOND;
const SHUTDOWN = 20 * SECOND;
const REFRESH_EVENT = 'EC2 Auto Scaling Instance Refresh';

interface Fleet {
  template: string;
  old: string[];
  v2: string;
}

/** A group of `size` in service on version 1 of its template, and a version 2 to move to. */
async function fleet(size: number, extra: Record<string, unknown> = {}): Promise<Fleet> {
  createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: size, ...extra });
  await t.advanceBy(BOOT);
  const old = t.inState('web', 'InService');
  expect(old).toHaveLength(size);
  const template = t.group('web').LaunchTemplate!.LaunchTemplateId!;
  return { template, old, v2: String(t.ec2.createLaunchTemplateVersion(template)) };
}

function start(f: Fleet, preferences: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return t.call<{ InstanceRefreshId: string }>('StartInstanceRefresh', {
    AutoScalingGroupName: 'web',
    DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: f.template, Version: f.v2 } },
    Preferences: preferences,
    ...extra,
  }).InstanceRefreshId;
}

function refresh(): InstanceRefresh {
  return t.call<{ InstanceRefreshes: InstanceRefresh[] }>('DescribeInstanceRefreshes', { AutoScalingGroupName: 'web' })
    .InstanceRefreshes[0]!;
}

/** Old instances (of `f.old`) in each state, new instances in each state: `{ old: {...}, new: {...} }`. */
function census(f: Fleet): { old: Record<string, number>; new: Record<string, number> } {
  const out = { old: {} as Record<string, number>, new: {} as Record<string, number> };
  for (const [id, state] of Object.entries(t.states('web'))) {
    const side = f.old.includes(id) ? out.old : out.new;
    side[state] = (side[state] ?? 0) + 1;
  }
  return out;
}

function versions(): string[] {
  return t.instances('web').map((instance) => instance.LaunchTemplate!.Version!);
}

function refreshEvents(): string[] {
  return t.eventBus.events
    .filter((event) => event.detailType.startsWith(REFRESH_EVENT))
    .map((event) => event.detailType.slice(REFRESH_EVENT.length + 1));
}

describe('StartInstanceRefresh replaces instances in batches that keep MinHealthyPercentage healthy', () => {
  it('MinHealthyPercentage 50 replaces a group of 4 in two batches', async () => {
    const f = await fleet(4);
    const id = start(f, { MinHealthyPercentage: 50, InstanceWarmup: 60 });
    expect(refresh()).toMatchObject({
      InstanceRefreshId: id,
      Status: 'Pending',
      PercentageComplete: 0,
      InstancesToUpdate: 4,
      Preferences: { MinHealthyPercentage: 50, MaxHealthyPercentage: 100, InstanceWarmup: 60, SkipMatching: false },
    });

    // Batch 1: two instances may be below healthy (4 - 50% of 4), so two go and two launch at once.
    await t.settle();
    expect(refresh().Status).toBe('InProgress');
    expect(census(f)).toEqual({ old: { Terminating: 2, InService: 2 }, new: { Pending: 2 } });
    await t.advanceBy(BOOT);
    expect(census(f)).toEqual({ old: { InService: 2 }, new: { InService: 2 } });
    // The new instances warm up for 60 s before the refresh moves on.
    expect(refresh()).toMatchObject({ PercentageComplete: 0, InstancesToUpdate: 4 });
    expect(refresh().StatusReason).toMatch(
      /^Waiting for instances to warm up before continuing\. For example: i-\w+ is warming up\.$/,
    );
    await t.advanceBy(60 * SECOND - 1);
    expect(census(f).old).toEqual({ InService: 2 });

    // Batch 2 starts the moment the first replacements are warm.
    await t.advanceBy(1);
    expect(refresh()).toMatchObject({ PercentageComplete: 50, InstancesToUpdate: 2 });
    expect(census(f)).toEqual({ old: { Terminating: 2 }, new: { InService: 2, Pending: 2 } });
    await t.advanceBy(BOOT + 60 * SECOND);
    expect(refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect(refresh().EndTime).toEqual(new Date(t.clock.now()));
    expect(census(f)).toEqual({ old: {}, new: { InService: 4 } });
    expect(versions()).toEqual(['2', '2', '2', '2']);
    // On success the group takes the desired configuration.
    expect(t.group('web').LaunchTemplate).toMatchObject({ LaunchTemplateId: f.template, Version: f.v2 });
    expect(refreshEvents()).toEqual(['Started', 'Succeeded']);
  });

  it('MinHealthyPercentage 100 replaces one at a time', async () => {
    const f = await fleet(3);
    start(f, { MinHealthyPercentage: 100, InstanceWarmup: 0 });
    for (let replaced = 0; replaced < 3; replaced += 1) {
      await t.settle();
      const now = census(f);
      expect(now.old.Terminating).toBe(1);
      expect(now.new.Pending).toBe(1);
      expect(now.old.InService ?? 0).toBe(2 - replaced);
      await t.advanceBy(BOOT);
    }
    expect(refresh().Status).toBe('Successful');
    expect(versions()).toEqual(['2', '2', '2']);
  });

  it('MinHealthyPercentage 0 replaces every instance at once', async () => {
    const f = await fleet(3);
    start(f, { MinHealthyPercentage: 0, InstanceWarmup: 0 });
    await t.settle();
    expect(census(f)).toEqual({ old: { Terminating: 3 }, new: { Pending: 3 } });
    await t.advanceBy(BOOT);
    expect(refresh().Status).toBe('Successful');
  });

  it('MaxHealthyPercentage 200 launches before terminating', async () => {
    const f = await fleet(4);
    start(f, { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, InstanceWarmup: 0 });
    await t.settle();
    // The group grows to 200% of desired capacity with new instances; no old one goes yet.
    expect(census(f)).toEqual({ old: { InService: 4 }, new: { Pending: 4 } });
    expect(t.group('web').DesiredCapacity).toBe(4);
    await t.advanceBy(BOOT);
    // Once the new instances are healthy, the old ones are taken out of service.
    expect(census(f)).toEqual({ old: { Terminating: 4 }, new: { InService: 4 } });
    await t.advanceBy(SHUTDOWN);
    expect(census(f)).toEqual({ old: {}, new: { InService: 4 } });
    expect(refresh().Status).toBe('Successful');
  });

  it('MaxHealthyPercentage 110 with MinHealthyPercentage 90 keeps a group of 10 between 9 and 11', async () => {
    const f = await fleet(10);
    start(f, { MinHealthyPercentage: 90, MaxHealthyPercentage: 110, InstanceWarmup: 0 });
    await t.settle();
    expect(census(f)).toEqual({ old: { InService: 9, Terminating: 1 }, new: { Pending: 2 } });
    await t.advanceBy(BOOT);
    expect(census(f)).toEqual({ old: { InService: 7, Terminating: 2 }, new: { InService: 2, Pending: 2 } });
    await t.advanceBy(5 * BOOT);
    expect(refresh().Status).toBe('Successful');
    expect(versions()).toEqual(Array(10).fill('2'));
  });
});

describe('old and new instances take the normal lifecycle paths', () => {
  it('a terminate hook holds each replacement until completed', async () => {
    const f = await fleet(2, {
      LifecycleHookSpecificationList: [
        { LifecycleHookName: 'drain', LifecycleTransition: TERMINATING, HeartbeatTimeout: 3600 },
      ],
    });
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    const [first] = t.inState('web', 'Terminating:Wait');
    expect(f.old).toContain(first);
    await t.advanceBy(BOOT);
    // The replacement is in service, so the refresh moves on; the first old instance still waits.
    expect(census(f).old).toEqual({ 'Terminating:Wait': 2 });
    await t.advanceBy(BOOT + 10 * MINUTE);
    expect(census(f)).toEqual({ old: { 'Terminating:Wait': 2 }, new: { InService: 2 } });
    expect(t.ec2.terminateRequests).toEqual([]);
    expect(refresh()).toMatchObject({ Status: 'InProgress', PercentageComplete: 100 });

    // The drain handler completes each action; only then is the instance terminated.
    for (const event of t.eventBus.ofType('EC2 Instance-terminate Lifecycle Action')) {
      t.call('CompleteLifecycleAction', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'drain',
        LifecycleActionToken: event.detail.LifecycleActionToken,
        LifecycleActionResult: 'CONTINUE',
      });
    }
    await t.settle();
    expect(census(f).old).toEqual({ 'Terminating:Proceed': 2 });
    // A handler retrying a completed action is told so, as AWS tells it.
    const [firstAction] = t.eventBus.ofType('EC2 Instance-terminate Lifecycle Action');
    const token = firstAction!.detail.LifecycleActionToken as string;
    const retry = serviceErrorOf(() =>
      t.call('CompleteLifecycleAction', {
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'drain',
        LifecycleActionToken: token,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    expect([retry.code, retry.message]).toEqual([
      'ValidationError',
      `No active Lifecycle Action found with token ${token}`,
    ]);
    await t.advanceBy(SHUTDOWN);
    expect(census(f).old).toEqual({});
    expect(refresh().Status).toBe('Successful');
    const terminations = t.activities('web').filter((activity) => activity.Description?.startsWith('Terminating'));
    expect(terminations).toHaveLength(2);
    for (const activity of terminations) {
      const at = activity.StartTime!.toISOString().replace('.000Z', 'Z');
      const instanceId = activity.Description!.replace('Terminating EC2 instance: ', '');
      expect(activity.Cause).toBe(
        `At ${at} an instance was taken out of service in response to an instance refresh.  At ${at} instance ${instanceId} was selected for termination.`,
      );
    }
  });

  it('new instances wait for their launch hooks, then warm up, before the next batch', async () => {
    const f = await fleet(2);
    t.call('PutLifecycleHook', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'bootstrap',
      LifecycleTransition: LAUNCHING,
      HeartbeatTimeout: 600,
      DefaultResult: 'CONTINUE',
    });
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 120 });
    await t.settle();
    await t.advanceBy(BOOT);
    expect(census(f)).toEqual({ old: { InService: 1 }, new: { 'Pending:Wait': 1 } });
    // The launch hook times out (CONTINUE) 600 s after the launch; the warmup counts from InService.
    await t.advanceBy(600 * SECOND - BOOT);
    expect(census(f).new).toEqual({ InService: 1 });
    await t.advanceBy(120 * SECOND - 1);
    expect(census(f).old).toEqual({ InService: 1 });
    await t.advanceBy(1);
    expect(census(f).old).toEqual({ Terminating: 1 });
    const launches = t.activities('web').filter((activity) => activity.Description?.startsWith('Launching'));
    expect(launches[0]!.Cause).toMatch(/^At \S+Z an instance was launched in response to an instance refresh\.$/);
  });

  it('InstanceWarmup defaults to DefaultInstanceWarmup, else HealthCheckGracePeriod', async () => {
    const f = await fleet(1, { HealthCheckGracePeriod: 90 });
    start(f, {});
    expect(refresh().Preferences).toMatchObject({ InstanceWarmup: 90, MinHealthyPercentage: 90 });
    t.call('CancelInstanceRefresh', { AutoScalingGroupName: 'web', WaitForTransitioningInstances: false });
    await t.settle();
    t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'web', DefaultInstanceWarmup: 45 });
    start(f, {});
    expect(refresh().Preferences!.InstanceWarmup).toBe(45);
  });
});

describe('checkpoints', () => {
  it('checkpoints pause at 50% for CheckpointDelay', async () => {
    const f = await fleet(4);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0, CheckpointPercentages: [50, 100], CheckpointDelay: 600 });
    await t.settle();
    await t.advanceBy(BOOT);
    // Half the group is replaced and warm: the checkpoint is reached and announced.
    expect(refresh()).toMatchObject({ Status: 'InProgress', PercentageComplete: 50 });
    expect(refresh().StatusReason).toBe('Checkpoint 50% reached. Waiting 600 seconds before continuing.');
    const [checkpoint] = t.eventBus.ofType(`${REFRESH_EVENT} Checkpoint Reached`);
    expect(checkpoint!.detail).toEqual({
      InstanceRefreshId: refresh().InstanceRefreshId,
      AutoScalingGroupName: 'web',
      CheckpointPercentage: '50',
      CheckpointDelay: '600',
    });
    expect(checkpoint!.resources).toEqual([t.group('web').AutoScalingGroupARN]);
    await t.advanceBy(600 * SECOND - 1);
    expect(census(f).old).toEqual({ InService: 2 });
    await t.advanceBy(1);
    expect(census(f).old).toEqual({ Terminating: 2 });
    await t.advanceBy(BOOT);
    expect(refresh().Status).toBe('Successful');
    // Every checkpoint is announced, the last one (100) as the refresh ends.
    expect(refreshEvents()).toEqual(['Started', 'Checkpoint Reached', 'Checkpoint Reached', 'Succeeded']);
    expect(
      t.eventBus.ofType(`${REFRESH_EVENT} Checkpoint Reached`).map((event) => event.detail.CheckpointPercentage),
    ).toEqual(['50', '100']);
  });

  it('a last checkpoint below 100 ends a partial refresh there', async () => {
    const f = await fleet(4);
    start(f, { MinHealthyPercentage: 75, InstanceWarmup: 0, CheckpointPercentages: [25, 50], CheckpointDelay: 60 });
    await t.settle();
    await t.advanceBy(BOOT);
    expect(refreshEvents()).toEqual(['Started', 'Checkpoint Reached']);
    await t.advanceBy(60 * SECOND + BOOT);
    expect(refreshEvents()).toEqual(['Started', 'Checkpoint Reached', 'Checkpoint Reached', 'Succeeded']);
    expect(refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 50, InstancesToUpdate: 2 });
    expect(census(f)).toEqual({ old: { InService: 2 }, new: { InService: 2 } });
  });
});

describe('SkipMatching', () => {
  it('SkipMatching skips up-to-date instances', async () => {
    const f = await fleet(2);
    // Two more instances launch from version 2 before the refresh.
    t.call('UpdateAutoScalingGroup', {
      AutoScalingGroupName: 'web',
      LaunchTemplate: { LaunchTemplateId: f.template, Version: f.v2 },
      DesiredCapacity: 4,
    });
    await t.advanceBy(BOOT);
    expect(versions().sort()).toEqual(['1', '1', '2', '2']);
    t.call('StartInstanceRefresh', {
      AutoScalingGroupName: 'web',
      Preferences: { SkipMatching: true, MinHealthyPercentage: 50, InstanceWarmup: 0 },
    });
    expect(refresh()).toMatchObject({ InstancesToUpdate: 2 });
    await t.settle();
    expect(refresh().PercentageComplete).toBe(50);
    expect(census(f)).toEqual({ old: { Terminating: 2 }, new: { InService: 2, Pending: 2 } });
    await t.advanceBy(BOOT);
    expect(refresh().Status).toBe('Successful');
    expect(t.ec2.terminateRequests.sort()).toEqual([...f.old].sort());
  });

  it('with every instance up to date the refresh succeeds at once, replacing nothing', async () => {
    const f = await fleet(2);
    t.call('StartInstanceRefresh', {
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: f.template, Version: '1' } },
      Preferences: { SkipMatching: true },
    });
    await t.settle();
    expect(refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect(t.ec2.terminateRequests).toEqual([]);
    expect(refreshEvents()).toEqual(['Started', 'Succeeded']);
  });

  it('without SkipMatching every instance is replaced, even up-to-date ones', async () => {
    const f = await fleet(2);
    t.call('StartInstanceRefresh', {
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 0, InstanceWarmup: 0 },
    });
    await t.settle();
    expect(census(f).old).toEqual({ Terminating: 2 });
    await t.advanceBy(BOOT);
    expect(versions()).toEqual(['1', '1']);
    expect(refresh().Status).toBe('Successful');
  });
});

describe('CancelInstanceRefresh', () => {
  it('cancel stops after in-flight replacements', async () => {
    const f = await fleet(4);
    const id = start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    expect(t.call('CancelInstanceRefresh', { AutoScalingGroupName: 'web' })).toEqual({ InstanceRefreshId: id });
    expect(refresh().Status).toBe('Cancelling');
    await t.settle();
    // The batch in flight finishes: its launches come into service, its terminations complete.
    expect(refresh().Status).toBe('Cancelling');
    await t.advanceBy(BOOT);
    expect(refresh()).toMatchObject({ Status: 'Cancelled', PercentageComplete: 50 });
    expect(census(f)).toEqual({ old: { InService: 2 }, new: { InService: 2 } });
    await t.advanceBy(HOUR);
    expect(census(f)).toEqual({ old: { InService: 2 }, new: { InService: 2 } });
    // Nothing is rolled back, and the group keeps its launch template version.
    expect(t.group('web').LaunchTemplate!.Version).toBeUndefined();
    expect(refreshEvents()).toEqual(['Started', 'Cancelled']);
    const error = serviceErrorOf(() => t.call('CancelInstanceRefresh', { AutoScalingGroupName: 'web' }));
    expect([error.code, error.message]).toEqual([
      'ActiveInstanceRefreshNotFound',
      'No in progress or pending Instance Refresh found for Auto Scaling group web',
    ]);
  });

  it('WaitForTransitioningInstances false cancels at once', async () => {
    const f = await fleet(2);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    t.call('CancelInstanceRefresh', { AutoScalingGroupName: 'web', WaitForTransitioningInstances: false });
    await t.settle();
    expect(refresh().Status).toBe('Cancelled');
  });

  it('a second refresh waits for none: one is active per group', async () => {
    const f = await fleet(2);
    start(f, { InstanceWarmup: 0 });
    const error = serviceErrorOf(() => start(f, {}));
    expect([error.code, error.message]).toEqual([
      'InstanceRefreshInProgress',
      'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
    ]);
    await t.advanceBy(10 * BOOT);
    expect(refresh().Status).toBe('Successful');
    start(f, { InstanceWarmup: 0 });
    const all = t.call<{ InstanceRefreshes: InstanceRefresh[] }>('DescribeInstanceRefreshes', {
      AutoScalingGroupName: 'web',
    }).InstanceRefreshes;
    expect(all.map((entry) => entry.Status)).toEqual(['Pending', 'Successful']);
  });
});

describe('protected and standby instances', () => {
  async function protectOne(f: Fleet): Promise<string> {
    const protectedId = f.old[0]!;
    t.call('SetInstanceProtection', {
      AutoScalingGroupName: 'web',
      InstanceIds: [protectedId],
      ProtectedFromScaleIn: true,
    });
    await t.settle();
    return protectedId;
  }

  it('protected instances make the refresh wait then fail after an hour', async () => {
    const f = await fleet(3);
    const protectedId = await protectOne(f);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    // One at a time (2 of 3 must stay healthy): the two unprotected instances are replaced.
    await t.advanceBy(2 * BOOT);
    // The protected one is waited for, an hour from when nothing else was left to do.
    expect(census(f)).toEqual({ old: { InService: 1 }, new: { InService: 2 } });
    expect(refresh()).toMatchObject({
      Status: 'InProgress',
      StatusReason: `Waiting for instances protected from scale in to become unprotected before continuing. For example: ${protectedId} is protected from scale in.`,
    });
    await t.advanceBy(HOUR - 1);
    expect(refresh().Status).toBe('InProgress');
    await t.advanceBy(1);
    expect(refresh()).toMatchObject({
      Status: 'Failed',
      StatusReason: `Instance refresh failed after waiting an hour for instances protected from scale in. For example: ${protectedId} is protected from scale in.`,
    });
    expect(t.states('web')[protectedId]).toBe('InService');
    // A failed refresh does not hand the group its desired configuration.
    expect(t.group('web').LaunchTemplate!.Version).toBeUndefined();
    expect(refreshEvents()).toEqual(['Started', 'Failed']);
  });

  it('removing the protection during the wait lets the refresh finish', async () => {
    const f = await fleet(2);
    const protectedId = await protectOne(f);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    await t.advanceBy(BOOT + 30 * MINUTE);
    t.call('SetInstanceProtection', {
      AutoScalingGroupName: 'web',
      InstanceIds: [protectedId],
      ProtectedFromScaleIn: false,
    });
    await t.advanceBy(BOOT);
    expect(refresh().Status).toBe('Successful');
  });

  it('ScaleInProtectedInstances Ignore leaves them; Refresh replaces them', async () => {
    const f = await fleet(2);
    const protectedId = await protectOne(f);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0, ScaleInProtectedInstances: 'Ignore' });
    await t.advanceBy(BOOT + SHUTDOWN);
    expect(refresh().Status).toBe('Successful');
    expect(t.states('web')[protectedId]).toBe('InService');
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0, ScaleInProtectedInstances: 'Refresh' });
    await t.advanceBy(3 * BOOT);
    expect(refresh().Status).toBe('Successful');
    expect(t.states('web')[protectedId]).toBeUndefined();
  });

  it('StandbyInstances Terminate terminates instances in Standby; Wait waits for them', async () => {
    const f = await fleet(3);
    const standbyId = f.old[0]!;
    t.call('EnterStandby', {
      AutoScalingGroupName: 'web',
      InstanceIds: [standbyId],
      ShouldDecrementDesiredCapacity: true,
    });
    await t.settle();
    expect(t.states('web')[standbyId]).toBe('Standby');
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0, StandbyInstances: 'Terminate' });
    await t.settle();
    expect(t.states('web')[standbyId]).toBe('Terminating');
    await t.advanceBy(2 * BOOT);
    expect(refresh().Status).toBe('Successful');
    expect(census(f)).toEqual({ old: {}, new: { InService: 2 } });
  });

  it('StandbyInstances Wait fails after an hour', async () => {
    const f = await fleet(2);
    const standbyId = f.old[0]!;
    t.call('EnterStandby', {
      AutoScalingGroupName: 'web',
      InstanceIds: [standbyId],
      ShouldDecrementDesiredCapacity: true,
    });
    await t.settle();
    start(f, { MinHealthyPercentage: 0, InstanceWarmup: 0 });
    await t.advanceBy(BOOT);
    expect(refresh().StatusReason).toBe(
      `Waiting for instances in Standby to return to service before continuing. For example: ${standbyId} is in Standby.`,
    );
    await t.advanceBy(HOUR);
    expect(refresh().Status).toBe('Failed');
  });
});

describe('the group around a refresh', () => {
  it('replacements that fail to launch are retried for an hour, then the refresh fails', async () => {
    const f = await fleet(2);
    t.ec2.failLaunches = {
      remaining: 1000,
      error: new ServiceError('InsufficientInstanceCapacity', 'We currently do not have sufficient capacity.'),
    };
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    expect(census(f)).toEqual({ old: { Terminating: 1, InService: 1 }, new: {} });
    expect(refresh().StatusReason).toBe(
      'Waiting for new instances to launch. Launches are failing; see the scaling activities for why.',
    );
    await t.advanceBy(HOUR);
    expect(refresh()).toMatchObject({
      Status: 'Failed',
      StatusReason:
        'Instance refresh failed because new instances could not be launched for an hour. See the scaling activities for why.',
    });
    // The group keeps trying to reach its desired capacity, as it does without a refresh.
    t.ec2.failLaunches = undefined;
    await t.advanceBy(10 * MINUTE);
    expect(t.inState('web', 'InService')).toHaveLength(2);
  });

  it('BakeTime holds the refresh in Baking before Successful', async () => {
    const f = await fleet(1);
    start(f, { MinHealthyPercentage: 0, InstanceWarmup: 0, BakeTime: 300 });
    await t.settle();
    await t.advanceBy(BOOT);
    expect(refresh().Status).toBe('Baking');
    expect(t.group('web').LaunchTemplate!.Version).toBeUndefined();
    await t.advanceBy(300 * SECOND);
    expect(refresh().Status).toBe('Successful');
    expect(t.group('web').LaunchTemplate!.Version).toBe(f.v2);
  });

  it('suspending the InstanceRefresh process pauses the refresh', async () => {
    const f = await fleet(2);
    t.call('SuspendProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['InstanceRefresh'] });
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.advanceBy(HOUR);
    expect(refresh()).toMatchObject({
      Status: 'InProgress',
      StatusReason: 'The InstanceRefresh process is suspended.',
    });
    expect(census(f).old).toEqual({ InService: 2 });
    t.call('ResumeProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['InstanceRefresh'] });
    await t.advanceBy(3 * BOOT);
    expect(refresh().Status).toBe('Successful');
  });

  it('deleting the group with ForceDelete cancels its refresh', async () => {
    const f = await fleet(2);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 0 });
    await t.settle();
    t.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'web', ForceDelete: true });
    await t.advanceBy(HOUR);
    expect(refreshEvents()).toEqual(['Started', 'Cancelled']);
  });

  it('launches during the refresh use the desired configuration', async () => {
    const f = await fleet(2);
    start(f, { MinHealthyPercentage: 50, InstanceWarmup: 600 });
    await t.settle();
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    await t.settle();
    const launched = t.ec2.launchRequests.slice(2).map((request) => request.launchTemplate?.version);
    expect(launched).toEqual([f.v2, f.v2]);
    const capacityLaunch = t
      .activities('web')
      .find((activity) => activity.Cause?.includes('explicitly set group desired capacity'));
    expect(capacityLaunch?.Description).toMatch(/^Launching a new EC2 instance: i-/);
  });
});
