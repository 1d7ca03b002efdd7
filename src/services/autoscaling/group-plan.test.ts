/**
 * planGroup as a pure function: hand-built snapshots in, plain plans out (Nomad's table style).
 */
import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from './activity.js';
import type { AutoScalingGroupRecord } from './group.js';
import type { GroupPlan, GroupSnapshot } from './group-plan.js';
import { DRAIN_POLL_MS, planGroup } from './group-plan.js';
import type { InstanceRecord } from './instance.js';
import type { LifecycleState } from './instance-lifecycle.js';
import { openLifecycleAction, resolveAction } from './lifecycle-action.js';
import { putLifecycleHook } from './lifecycle-hook.js';

const NOW = 1_000_000;

function group(overrides: Partial<AutoScalingGroupRecord> = {}): AutoScalingGroupRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    autoScalingGroupName: 'web',
    autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/web',
    minSize: 0,
    maxSize: 10,
    desiredCapacity: 0,
    defaultCooldownS: 300,
    availabilityZones: ['a', 'b'],
    subnets: [
      { subnetId: 'subnet-a', availabilityZone: 'a' },
      { subnetId: 'subnet-b', availabilityZone: 'b' },
    ],
    healthCheckType: 'EC2',
    healthCheckGracePeriodS: 0,
    tags: [],
    createdAtMs: 0,
    terminationPolicies: ['Default'],
    newInstancesProtectedFromScaleIn: false,
    lifecycleHooks: [],
    notificationConfigurations: [],
    targetGroups: [],
    suspendedProcesses: [],
    launchFailureCount: 0,
    pendingTestNotifications: [],
    serviceLinkedRoleArn: 'role',
    capacityRebalance: false,
    ...overrides,
  };
}

function instance(id: string, state: LifecycleState, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    instanceId: id,
    autoScalingGroupName: 'web',
    availabilityZone: id.endsWith('b') ? 'b' : 'a',
    subnetId: id.endsWith('b') ? 'subnet-b' : 'subnet-a',
    instanceType: 't3.micro',
    lifecycleState: state,
    healthStatus: 'Healthy',
    protectedFromScaleIn: false,
    launchedAtMs: 0,
    inServiceAtMs: 0,
    lifecycleActions: [],
    registeredTargetGroups: [],
    drainingTargetGroups: [],
    skipLaunchHooks: false,
    runTerminateHooks: true,
    ...overrides,
  };
}

function snapshot(
  g: AutoScalingGroupRecord,
  instances: InstanceRecord[],
  extra: Partial<Omit<GroupSnapshot, 'group' | 'instances'>> = {},
): GroupSnapshot {
  let next = 0;
  return {
    group: g,
    instances,
    ec2States: Object.fromEntries(instances.map((i) => [i.instanceId, 'running' as const])),
    draining: new Set(),
    targetHealth: {},
    activities: {},
    termination: { launchConfigurationCreatedAtMs: {} },
    ids: { next: () => `id-${++next}` },
    ...extra,
  };
}

const stateOf = (plan: GroupPlan, id: string) => plan.instancePuts.find((i) => i.instanceId === id)?.lifecycleState;
const terminateHook = putLifecycleHook(undefined, {
  LifecycleHookName: 'drain',
  LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
  HeartbeatTimeout: 600,
});
const launchHook = putLifecycleHook(undefined, {
  LifecycleHookName: 'warm',
  LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
  HeartbeatTimeout: 300,
});

describe('planGroup', () => {
  it('scale-out-balances-launches-across-zones', () => {
    const plan = planGroup(snapshot(group({ desiredCapacity: 3 }), [instance('i-1a', 'InService')]), NOW);
    expect(plan.launches.map((launch) => launch.availabilityZone)).toEqual(['b', 'a']);
    expect(plan.launches[0]!.cause).toContain('increasing the capacity from 1 to 3');
    expect(plan.progressed).toBe(true);
  });

  it('steady-group-plans-nothing-and-sets-no-deadline', () => {
    const plan = planGroup(snapshot(group({ desiredCapacity: 1 }), [instance('i-1a', 'InService')]), NOW);
    expect(plan).toMatchObject({ launches: [], instancePuts: [], progressed: false });
    expect(plan.nextDeadlineAtMs).toBeUndefined();
  });

  it('scale-in-skips-protected-instances', () => {
    const plan = planGroup(
      snapshot(group({ desiredCapacity: 1 }), [
        instance('i-1a', 'InService', { protectedFromScaleIn: true }),
        instance('i-2a', 'InService'),
        instance('i-3b', 'InService'),
      ]),
      NOW,
    );
    expect(stateOf(plan, 'i-1a')).toBeUndefined();
    expect(stateOf(plan, 'i-2a')).toBe('Terminating');
    expect(stateOf(plan, 'i-3b')).toBe('Terminating');
  });

  it('all-protected-reports-once-per-desired-capacity', () => {
    const protectedGroup = group({ desiredCapacity: 0 });
    const instances = [instance('i-1a', 'InService', { protectedFromScaleIn: true })];
    const plan = planGroup(snapshot(protectedGroup, instances), NOW);
    expect(plan.activityPuts).toHaveLength(1);
    expect(plan.activityPuts[0]!.statusMessage).toBe(
      'Could not scale to desired capacity because all remaining instances are protected from scale-in.',
    );
    const again = planGroup(snapshot(plan.group, instances), NOW + 1);
    expect(again.activityPuts).toHaveLength(0);
  });

  it('launch-hook-opens-one-action-per-hook', () => {
    const plan = planGroup(
      snapshot(
        group({ desiredCapacity: 1, lifecycleHooks: [launchHook, { ...launchHook, lifecycleHookName: 'second' }] }),
        [instance('i-1a', 'Pending', { inServiceAtMs: undefined })],
      ),
      NOW,
    );
    expect(stateOf(plan, 'i-1a')).toBe('Pending:Wait');
    expect(plan.hookNotifications.map((n) => [n.action.lifecycleHookName, n.action.lifecycleActionToken])).toEqual([
      ['warm', 'id-1'],
      ['second', 'id-2'],
    ]);
    expect(plan.nextDeadlineAtMs).toBe(NOW + 300_000);
  });

  it('attached-and-standby-instances-skip-launch-hooks', () => {
    const plan = planGroup(
      snapshot(group({ desiredCapacity: 1, lifecycleHooks: [launchHook] }), [
        instance('i-1a', 'Pending', { skipLaunchHooks: true }),
      ]),
      NOW,
    );
    expect(stateOf(plan, 'i-1a')).toBe('InService');
  });

  it('pending-instance-waits-for-ec2-running', () => {
    const base = snapshot(group({ desiredCapacity: 1 }), [instance('i-1a', 'Pending')]);
    const plan = planGroup({ ...base, ec2States: { 'i-1a': 'pending' } }, NOW);
    expect(plan.instancePuts).toEqual([]);
    expect(plan.nextDeadlineAtMs).toBeGreaterThan(NOW);
  });

  it('expired-action-takes-default-result', () => {
    const action = openLifecycleAction(terminateHook, 'token', NOW - 600_000);
    const plan = planGroup(
      snapshot(group({ lifecycleHooks: [terminateHook] }), [
        instance('i-1a', 'Terminating:Wait', { lifecycleActions: [action] }),
      ]),
      NOW,
    );
    expect(stateOf(plan, 'i-1a')).toBe('Terminating:Proceed');
  });

  it('open-action-sets-the-deadline', () => {
    const action = openLifecycleAction(terminateHook, 'token', NOW - 100_000);
    const plan = planGroup(
      snapshot(group({ lifecycleHooks: [terminateHook] }), [
        instance('i-1a', 'Terminating:Wait', { lifecycleActions: [action] }),
      ]),
      NOW,
    );
    expect(plan.instancePuts).toEqual([]);
    expect(plan.nextDeadlineAtMs).toBe(NOW + 500_000);
  });

  it('launch-abandon-terminates-and-cancels-the-launch-activity', () => {
    const action = resolveAction(openLifecycleAction(launchHook, 'tok', NOW - 1), 'ABANDON', NOW, 'user');
    const launch: ActivityRecord = {
      activityId: 'launch-1',
      accountId: '123456789012',
      region: 'us-east-1',
      autoScalingGroupName: 'web',
      autoScalingGroupArn: 'arn',
      kind: 'launch',
      instanceId: 'i-1a',
      description: 'Launching a new EC2 instance: i-1a',
      cause: 'c',
      startTimeMs: 0,
      statusCode: 'MidLifecycleAction',
      progress: 40,
      details: {},
    };
    const plan = planGroup(
      snapshot(
        group({ desiredCapacity: 1, lifecycleHooks: [launchHook] }),
        [instance('i-1a', 'Pending:Wait', { lifecycleActions: [action], activityId: 'launch-1' })],
        { activities: { 'launch-1': launch } },
      ),
      NOW,
    );
    const abandoned = plan.instancePuts.find((i) => i.instanceId === 'i-1a')!;
    expect(abandoned.lifecycleState).toBe('Terminating');
    expect(abandoned.runTerminateHooks).toBe(false);
    expect(plan.activityPuts[0]).toMatchObject({ activityId: 'launch-1', statusCode: 'Cancelled' });
    expect(plan.activityNotices).toEqual([{ activityId: 'launch-1', outcome: 'launch-error' }]);
    // The replacement launches in the same step.
    expect(plan.launches).toHaveLength(1);
  });

  it('draining-blocks-terminate-hooks', () => {
    const draining = instance('i-1a', 'Terminating', { drainingTargetGroups: ['tg'], deregisteredAtMs: NOW - 1000 });
    const g = group({ lifecycleHooks: [terminateHook] });
    const waiting = planGroup(snapshot(g, [draining], { draining: new Set(['tg i-1a']) }), NOW);
    expect(waiting.instancePuts).toEqual([]);
    expect(waiting.nextDeadlineAtMs).toBe(NOW + DRAIN_POLL_MS);
    const drained = planGroup(snapshot(g, [draining]), NOW);
    expect(stateOf(drained, 'i-1a')).toBe('Terminating:Wait');
    expect(drained.hookNotifications).toHaveLength(1);
  });

  it('registered-instance-is-deregistered-before-anything-else', () => {
    const plan = planGroup(
      snapshot(group({ lifecycleHooks: [terminateHook] }), [
        instance('i-1a', 'Terminating', { registeredTargetGroups: ['tg'] }),
      ]),
      NOW,
    );
    expect(plan.deregistrations).toEqual([{ targetGroupArn: 'tg', instanceIds: ['i-1a'] }]);
    expect(stateOf(plan, 'i-1a')).toBe('Terminating');
    expect(plan.hookNotifications).toEqual([]);
  });

  it('unhealthy-instance-is-replaced-even-when-protected', () => {
    const base = snapshot(group({ desiredCapacity: 1 }), [
      instance('i-1a', 'InService', { protectedFromScaleIn: true }),
    ]);
    const plan = planGroup({ ...base, ec2States: { 'i-1a': 'stopped' } }, NOW);
    expect(stateOf(plan, 'i-1a')).toBe('Terminating');
    expect(plan.launches).toHaveLength(1);
    expect(plan.launches[0]!.cause).toContain('an unhealthy instance needing to be replaced');
  });

  it('suspended-launch-launches-nothing', () => {
    const plan = planGroup(
      snapshot(
        group({ desiredCapacity: 2, suspendedProcesses: [{ processName: 'Launch', suspensionReason: 'x' }] }),
        [],
      ),
      NOW,
    );
    expect(plan.launches).toEqual([]);
  });

  it('launch-retry-waits-for-the-backoff', () => {
    const plan = planGroup(snapshot(group({ desiredCapacity: 1, launchRetryAtMs: NOW + 5000 }), []), NOW);
    expect(plan.launches).toEqual([]);
    expect(plan.nextDeadlineAtMs).toBe(NOW + 5000);
  });

  it('terminated-in-ec2-ends-the-instance', () => {
    const base = snapshot(group(), [instance('i-1a', 'Terminating:Proceed', { ec2TerminateRequestedAtMs: NOW - 1 })]);
    const plan = planGroup({ ...base, ec2States: { 'i-1a': 'terminated' } }, NOW);
    expect(plan.instanceDeletes).toEqual(['i-1a']);
    expect(plan.transitions).toEqual([{ instanceId: 'i-1a', from: 'Terminating:Proceed', to: 'Terminated' }]);
  });

  it('forced-delete-terminates-everything-without-hooks', () => {
    const plan = planGroup(
      snapshot(group({ status: 'Delete in progress', forceDelete: true, lifecycleHooks: [terminateHook] }), [
        instance('i-1a', 'InService', { registeredTargetGroups: ['tg'] }),
        instance('i-2b', 'Terminating:Wait', { lifecycleActions: [openLifecycleAction(terminateHook, 't', NOW)] }),
      ]),
      NOW,
    );
    expect(stateOf(plan, 'i-1a')).toBe('Terminating');
    expect(stateOf(plan, 'i-2b')).toBe('Terminating:Proceed');
    expect(plan.ec2Terminations.map((termination) => termination.instanceId).sort()).toEqual(['i-1a', 'i-2b']);
    expect(plan.hookNotifications).toEqual([]);
    expect(plan.deleteGroup).toBe(false);
    expect(planGroup(snapshot(plan.group, []), NOW).deleteGroup).toBe(true);
  });
});
