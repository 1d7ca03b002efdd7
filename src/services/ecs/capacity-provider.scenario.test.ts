/**
 * Capacity providers on virtual time, with the real EC2, Auto Scaling and ECS services wired as
 * main.ts wires them (test/support/ecs-fleet-world.ts). Each scenario reads like the ECS
 * Developer Guide page it checks: cluster auto scaling (managed scaling from zero), managed
 * termination protection, and managed instance draining during scale-in and instance refresh.
 */
import type { Task } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { ecsFleetWorld, type FleetWorld } from '../../../test/support/ecs-fleet-world.js';
import { MANAGED_DRAINING_HOOK } from './capacity-provider.js';
import { CAPACITY_UNAVAILABLE } from './task-lifecycle.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const CLUSTER = 'fleet';

let world: FleetWorld;
afterEach(async () => {
  await world?.close();
});

interface FleetOptions {
  min?: number;
  max?: number;
  desired?: number;
  protectNewInstances?: boolean;
  managedScaling?: Record<string, unknown>;
  managedTerminationProtection?: 'ENABLED' | 'DISABLED';
  managedDraining?: 'ENABLED' | 'DISABLED';
}

/** A cluster with one capacity provider over a group of m5.large (2 vCPU) instances, as its default strategy. */
async function fleet(options: FleetOptions = {}): Promise<{ groupArn: string }> {
  world = ecsFleetWorld();
  await world.ecsCall('CreateCluster', { clusterName: CLUSTER });
  await world.launchTemplate('node', CLUSTER);
  const groupArn = await world.group({
    name: 'nodes',
    launchTemplate: 'node',
    min: options.min ?? 0,
    max: options.max ?? 10,
    desired: options.desired ?? 0,
    protectNewInstances: options.protectNewInstances ?? false,
  });
  await world.ecsCall('CreateCapacityProvider', {
    name: 'nodes-cp',
    autoScalingGroupProvider: {
      autoScalingGroupArn: groupArn,
      managedScaling: { status: 'ENABLED', targetCapacity: 100, instanceWarmupPeriod: 60, ...options.managedScaling },
      managedTerminationProtection: options.managedTerminationProtection ?? 'DISABLED',
      managedDraining: options.managedDraining ?? 'ENABLED',
    },
  });
  await world.ecsCall('PutClusterCapacityProviders', {
    cluster: CLUSTER,
    capacityProviders: ['nodes-cp'],
    defaultCapacityProviderStrategy: [{ capacityProvider: 'nodes-cp', weight: 1 }],
  });
  // Half an instance each: an m5.large holds two.
  await world.ecsCall('RegisterTaskDefinition', {
    family: 'web',
    containerDefinitions: [
      {
        name: 'web',
        image: 'drydock/http-echo',
        cpu: 1024,
        memory: 1024,
        portMappings: [{ containerPort: 8080, hostPort: 0 }],
      },
    ],
  });
  return { groupArn };
}

async function createService(desiredCount: number, deploymentConfiguration?: Record<string, unknown>): Promise<void> {
  await world.ecsCall('CreateService', {
    cluster: CLUSTER,
    serviceName: 'web',
    taskDefinition: 'web',
    desiredCount,
    ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
  });
}

const running = (tasks: readonly Task[]) => tasks.filter((task) => task.lastStatus === 'RUNNING');

describe('managed scaling (cluster auto scaling)', () => {
  it('managed scaling from zero: a service of 4 on an empty group scales the group out and places the tasks', async () => {
    await fleet();
    await createService(4);
    await world.advance(SECOND);

    // "Tasks that can't be placed go to PROVISIONING instead of failing": none has an instance yet.
    let tasks = await world.serviceTasks(CLUSTER, 'web');
    expect(tasks).toHaveLength(4);
    for (const task of tasks) {
      expect(task).toMatchObject({ lastStatus: 'PROVISIONING', capacityProviderName: 'nodes-cp' });
      expect(task.containerInstanceArn).toBeUndefined();
    }
    expect(await world.describeService(CLUSTER, 'web')).toMatchObject({
      pendingCount: 4,
      runningCount: 0,
      capacityProviderStrategy: [{ capacityProvider: 'nodes-cp', base: 0, weight: 1 }],
    });

    // N = 0 and M > 0: the reservation reads 200 and the group scales out to the two instances the tasks need.
    await world.advance(4 * SECOND);
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(2);

    await world.advance(2 * MINUTE, { stepMs: 5 * SECOND });
    tasks = await world.serviceTasks(CLUSTER, 'web');
    expect(running(tasks)).toHaveLength(4);
    const instances = await world.containerInstances(CLUSTER);
    expect(instances).toHaveLength(2);
    for (const instance of instances) {
      expect(instance).toMatchObject({ runningTasksCount: 2, capacityProviderName: 'nodes-cp' });
    }
    expect(new Set(tasks.map((task) => task.containerInstanceArn)).size).toBe(2);
    expect(await world.describeService(CLUSTER, 'web')).toMatchObject({ runningCount: 4, pendingCount: 0 });
    // M = N = 2: the reservation is 100 and the group stays where it is.
    await world.advance(20 * MINUTE, { stepMs: MINUTE });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(2);
  });

  it('scales out when the service grows, one step at a time within maximumScalingStepSize', async () => {
    await fleet({ managedScaling: { maximumScalingStepSize: 1, instanceWarmupPeriod: 60 } });
    await createService(6);
    // From zero the reservation asks for three instances; the step is capped at one.
    await world.advance(5 * SECOND);
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(1);
    // No further scale-out while the first instance warms up (instanceWarmupPeriod 60 s).
    await world.advance(50 * SECOND, { stepMs: 5 * SECOND });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(1);
    await world.advance(5 * MINUTE, { stepMs: 5 * SECOND });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(3);
    expect(running(await world.serviceTasks(CLUSTER, 'web'))).toHaveLength(6);
  });

  it('targetCapacity 50 keeps an instance of headroom for every busy one', async () => {
    await fleet({ managedScaling: { targetCapacity: 50, instanceWarmupPeriod: 60 } });
    await createService(2);
    await world.advance(5 * SECOND);
    // Both tasks fit one instance, but from zero ECS asks for two (200 %).
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(2);
    // The service spreads its tasks over the zones: two busy instances of two is 100 %, twice the
    // target, so once they have warmed up the group doubles; four with two busy is the 50 % asked for.
    await world.advance(5 * MINUTE, { stepMs: 5 * SECOND });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(4);
    await world.advance(30 * MINUTE, { stepMs: MINUTE });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(4);
    expect(running(await world.serviceTasks(CLUSTER, 'web'))).toHaveLength(2);
  });

  it('scales in after 15 minutes below target, never below MinSize', async () => {
    await fleet({ min: 1, desired: 1 });
    await createService(4);
    await world.advance(3 * MINUTE, { stepMs: 5 * SECOND });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(2);

    await world.ecsCall('UpdateService', { cluster: CLUSTER, service: 'web', desiredCount: 0 });
    await world.advance(2 * MINUTE, { stepMs: 10 * SECOND });
    expect(await world.serviceTasks(CLUSTER, 'web')).toHaveLength(0);
    // The low alarm needs 15 datapoints.
    await world.advance(10 * MINUTE, { stepMs: MINUTE });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(2);
    await world.advance(10 * MINUTE, { stepMs: MINUTE });
    expect((await world.describeGroup('nodes')).DesiredCapacity).toBe(1);
  });

  it('a task that never finds capacity stops after waiting 30 minutes in PROVISIONING', async () => {
    await fleet({ max: 0 });
    const run = await world.ecsCall<{ tasks: Task[]; failures: unknown[] }>('RunTask', {
      cluster: CLUSTER,
      taskDefinition: 'web',
    });
    expect(run.failures).toEqual([]);
    expect(run.tasks[0]).toMatchObject({ lastStatus: 'PROVISIONING', capacityProviderName: 'nodes-cp' });
    await world.advance(29 * MINUTE, { stepMs: MINUTE });
    const taskArn = run.tasks[0]!.taskArn!;
    const waiting = await world.ecsCall<{ tasks: Task[] }>('DescribeTasks', { cluster: CLUSTER, tasks: [taskArn] });
    expect(waiting.tasks[0]!.lastStatus).toBe('PROVISIONING');
    await world.advance(2 * MINUTE, { stepMs: MINUTE });
    const stopped = await world.ecsCall<{ tasks: Task[] }>('DescribeTasks', { cluster: CLUSTER, tasks: [taskArn] });
    expect(stopped.tasks[0]).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: CAPACITY_UNAVAILABLE,
    });
  });
});

describe('capacity provider strategies', () => {
  it("RunTask splits tasks by base and weight, each on its own provider's instances; without managed scaling what does not fit fails", async () => {
    world = ecsFleetWorld();
    await world.ecsCall('CreateCluster', { clusterName: CLUSTER });
    await world.launchTemplate('node', CLUSTER);
    const providers: Record<string, string> = {};
    for (const name of ['on-demand', 'spot']) {
      const groupArn = await world.group({ name, launchTemplate: 'node', min: 0, max: 4, desired: 2 });
      await world.ecsCall('CreateCapacityProvider', {
        name: `${name}-cp`,
        autoScalingGroupProvider: { autoScalingGroupArn: groupArn, managedScaling: { status: 'DISABLED' } },
      });
      providers[`${name}-cp`] = name;
    }
    await world.ecsCall('PutClusterCapacityProviders', {
      cluster: CLUSTER,
      capacityProviders: ['on-demand-cp', 'spot-cp'],
      defaultCapacityProviderStrategy: [],
    });
    await world.ecsCall('RegisterTaskDefinition', {
      family: 'small',
      containerDefinitions: [{ name: 'app', image: 'drydock/worker', cpu: 256, memory: 256 }],
    });
    await world.advance(MINUTE, { stepMs: 5 * SECOND });
    const run = await world.ecsCall<{ tasks: Task[]; failures: unknown[] }>('RunTask', {
      cluster: CLUSTER,
      taskDefinition: 'small',
      count: 6,
      capacityProviderStrategy: [
        { capacityProvider: 'on-demand-cp', base: 2, weight: 1 },
        { capacityProvider: 'spot-cp', weight: 1 },
      ],
    });
    expect(run.failures).toEqual([]);
    const byProvider = (name: string) => run.tasks.filter((task) => task.capacityProviderName === name);
    // Base 2 on on-demand, then the other 4 split 1:1.
    expect(byProvider('on-demand-cp')).toHaveLength(4);
    expect(byProvider('spot-cp')).toHaveLength(2);
    const instances = await world.containerInstances(CLUSTER);
    const groupOf = new Map<string, string>();
    for (const name of ['on-demand', 'spot']) {
      for (const instance of (await world.describeGroup(name)).Instances!) groupOf.set(instance.InstanceId!, name);
    }
    for (const task of run.tasks) {
      const instance = instances.find((candidate) => candidate.containerInstanceArn === task.containerInstanceArn)!;
      expect(groupOf.get(instance.ec2InstanceId!)).toBe(providers[task.capacityProviderName!]);
      expect(instance.capacityProviderName).toBe(task.capacityProviderName);
    }

    // 2 m5.large of spot hold 16 of these; 20 more cannot all fit, and without managed scaling nothing waits.
    const more = await world.ecsCall<{ tasks: Task[]; failures: Array<{ reason: string }> }>('RunTask', {
      cluster: CLUSTER,
      taskDefinition: 'small',
      count: 10,
      capacityProviderStrategy: [{ capacityProvider: 'spot-cp', weight: 1 }],
    });
    const again = await world.ecsCall<{ tasks: Task[]; failures: Array<{ reason: string }> }>('RunTask', {
      cluster: CLUSTER,
      taskDefinition: 'small',
      count: 10,
      capacityProviderStrategy: [{ capacityProvider: 'spot-cp', weight: 1 }],
    });
    expect(more.tasks.length + again.tasks.length).toBe(14);
    expect(again.failures.length).toBeGreaterThan(0);
    expect(again.failures.every((failure) => failure.reason === 'RESOURCE:CPU')).toBe(true);
    expect(
      [...more.tasks, ...again.tasks].every((task) => task.lastStatus === 'PROVISIONING' && task.containerInstanceArn),
    ).toBe(true);
  });
});

describe('managed termination protection', () => {
  it('managed termination protection protects busy instances and releases empty ones', async () => {
    await fleet({ protectNewInstances: true, managedTerminationProtection: 'ENABLED', desired: 3 });
    await world.advance(MINUTE, { stepMs: 5 * SECOND });
    // Three empty instances: nothing to protect, so ECS releases Auto Scaling's launch-time protection.
    let group = await world.describeGroup('nodes');
    expect(group.Instances!.map((instance) => instance.ProtectedFromScaleIn)).toEqual([false, false, false]);

    await createService(2);
    await world.advance(MINUTE, { stepMs: 5 * SECOND });
    const tasks = running(await world.serviceTasks(CLUSTER, 'web'));
    expect(tasks).toHaveLength(2);
    const instances = await world.containerInstances(CLUSTER);
    const busy = new Set(
      instances
        .filter((instance) => tasks.some((task) => task.containerInstanceArn === instance.containerInstanceArn))
        .map((instance) => instance.ec2InstanceId),
    );
    group = await world.describeGroup('nodes');
    for (const instance of group.Instances!) {
      expect(instance.ProtectedFromScaleIn).toBe(busy.has(instance.InstanceId!));
    }

    // Scale-in (15 minutes of low reservation) takes only what is not protected.
    await world.advance(20 * MINUTE, { stepMs: MINUTE });
    group = await world.describeGroup('nodes');
    expect(group.DesiredCapacity).toBe(busy.size);
    const inService = group.Instances!.filter((instance) => instance.LifecycleState === 'InService');
    expect(new Set(inService.map((instance) => instance.InstanceId))).toEqual(busy);
    expect(running(await world.serviceTasks(CLUSTER, 'web'))).toHaveLength(2);

    // The service goes away: the instances empty, and ECS releases them.
    await world.ecsCall('UpdateService', { cluster: CLUSTER, service: 'web', desiredCount: 0 });
    await world.advance(2 * MINUTE, { stepMs: 10 * SECOND });
    group = await world.describeGroup('nodes');
    for (const instance of group.Instances!.filter((candidate) => candidate.LifecycleState === 'InService')) {
      expect(instance.ProtectedFromScaleIn).toBe(false);
    }
  });

  it('cannot be turned on without managed scaling or the group protecting new instances', async () => {
    world = ecsFleetWorld();
    await world.launchTemplate('node', CLUSTER);
    const groupArn = await world.group({ name: 'nodes', launchTemplate: 'node', min: 0, max: 2, desired: 0 });
    await expect(
      world.ecsCall('CreateCapacityProvider', {
        name: 'cp',
        autoScalingGroupProvider: {
          autoScalingGroupArn: groupArn,
          managedScaling: { status: 'ENABLED' },
          managedTerminationProtection: 'ENABLED',
        },
      }),
    ).rejects.toMatchObject({
      code: 'ClientException',
      message: expect.stringMatching(/instance protection from scale in/),
    });
  });
});

describe('managed instance draining', () => {
  it('installs the ecs-managed-draining-termination-hook on the group', async () => {
    await fleet();
    const hooks = await world.asgCall<{ LifecycleHooks: Array<Record<string, unknown>> }>('DescribeLifecycleHooks', {
      AutoScalingGroupName: 'nodes',
    });
    expect(hooks.LifecycleHooks).toEqual([
      expect.objectContaining({
        LifecycleHookName: MANAGED_DRAINING_HOOK,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 3600,
        DefaultResult: 'CONTINUE',
      }),
    ]);
  });

  it('scale-in with managed draining waits for replacements', async () => {
    // Three instances, four tasks: scale-in to two lands on an instance with tasks.
    await fleet({ min: 0, desired: 3, managedScaling: { status: 'DISABLED' } });
    await world.advance(MINUTE, { stepMs: 5 * SECOND });
    await createService(4);
    await world.advance(2 * MINUTE, { stepMs: 5 * SECOND });
    expect(running(await world.serviceTasks(CLUSTER, 'web'))).toHaveLength(4);

    await world.asgCall('SetDesiredCapacity', { AutoScalingGroupName: 'nodes', DesiredCapacity: 2 });
    let leaving: string | undefined;
    let drained = false;
    await world.advance(5 * MINUTE, {
      stepMs: SECOND,
      check: async () => {
        const service = await world.describeService(CLUSTER, 'web');
        // minimumHealthyPercent 100: never fewer than 4 running while the instance drains.
        expect(service.runningCount).toBeGreaterThanOrEqual(4);
        const group = await world.describeGroup('nodes');
        const waiting = group.Instances!.find((instance) => instance.LifecycleState === 'Terminating:Wait');
        if (waiting) leaving = waiting.InstanceId;
        if (
          leaving &&
          !group.Instances!.some(
            (instance) => instance.InstanceId === leaving && instance.LifecycleState === 'Terminating:Wait',
          )
        ) {
          drained = true;
        }
      },
    });
    expect(leaving).toBeDefined();
    expect(drained).toBe(true);
    const group = await world.describeGroup('nodes');
    expect(group.Instances!.filter((instance) => instance.LifecycleState === 'InService')).toHaveLength(2);
    const tasks = running(await world.serviceTasks(CLUSTER, 'web'));
    expect(tasks).toHaveLength(4);
    const instances = await world.containerInstances(CLUSTER);
    const leftInstance = instances.find((instance) => instance.ec2InstanceId === leaving);
    // Terminated: deregistered (INACTIVE), and no task of the service ran there to the end.
    expect(leftInstance === undefined || leftInstance.status === 'INACTIVE').toBe(true);
    const service = await world.describeService(CLUSTER, 'web');
    expect(service.events!.some((event) => /has stopped 1 running tasks/.test(event.message!))).toBe(true);
  });

  it('a standalone task holds the instance in Terminating:Wait past the hook timeout (heartbeats) until it exits', async () => {
    await fleet({ min: 0, desired: 1, managedScaling: { status: 'DISABLED' } });
    await world.advance(MINUTE, { stepMs: 5 * SECOND });
    const run = await world.ecsCall<{ tasks: Task[] }>('RunTask', { cluster: CLUSTER, taskDefinition: 'web' });
    const taskArn = run.tasks[0]!.taskArn!;
    await world.advance(30 * SECOND, { stepMs: 5 * SECOND });
    const instanceId = (await world.describeGroup('nodes')).Instances![0]!.InstanceId!;
    await world.asgCall('TerminateInstanceInAutoScalingGroup', {
      InstanceId: instanceId,
      ShouldDecrementDesiredCapacity: true,
    });
    await world.advance(10 * SECOND, { stepMs: SECOND });
    const [instance] = await world.containerInstances(CLUSTER);
    expect(instance).toMatchObject({ ec2InstanceId: instanceId, status: 'DRAINING', runningTasksCount: 1 });

    // B.2: ECS does not stop standalone tasks; the hook's 3600 s heartbeat timeout passes, ECS's heartbeats hold it.
    await world.advance(90 * MINUTE, { stepMs: MINUTE });
    let group = await world.describeGroup('nodes');
    expect(group.Instances![0]).toMatchObject({ InstanceId: instanceId, LifecycleState: 'Terminating:Wait' });
    const described = await world.ecsCall<{ tasks: Task[] }>('DescribeTasks', { cluster: CLUSTER, tasks: [taskArn] });
    expect(described.tasks[0]!.lastStatus).toBe('RUNNING');

    // The task exits: the instance is drained, ECS completes the action and Auto Scaling terminates it.
    await world.ecsCall('StopTask', { cluster: CLUSTER, task: taskArn });
    await world.advance(2 * MINUTE, { stepMs: 5 * SECOND });
    group = await world.describeGroup('nodes');
    expect(group.Instances!).toEqual([]);
    const activities = await world.asgCall<{ Activities: Array<{ Description: string; StatusCode: string }> }>(
      'DescribeScalingActivities',
      { AutoScalingGroupName: 'nodes' },
    );
    expect(activities.Activities[0]).toMatchObject({
      Description: `Terminating EC2 instance: ${instanceId}`,
      StatusCode: 'Successful',
    });
  });

  it.each([
    { desiredCount: 4, minimumHealthyPercent: 50, note: 'room on the other instances' },
    { desiredCount: 6, minimumHealthyPercent: 100, note: 'full instances: replacements wait for new ones' },
  ])(
    'an instance refresh of 3 instances with managed draining keeps runningCount ≥ ceil(desired × min%) at every clock step ($desiredCount tasks, min $minimumHealthyPercent %: $note)',
    async ({ desiredCount, minimumHealthyPercent }) => {
      await fleet({ min: 3, max: 6, desired: 3, managedScaling: { status: 'ENABLED', instanceWarmupPeriod: 30 } });
      await world.advance(MINUTE, { stepMs: 5 * SECOND });
      await createService(desiredCount, { minimumHealthyPercent, maximumPercent: 200 });
      await world.advance(2 * MINUTE, { stepMs: 5 * SECOND });
      expect(running(await world.serviceTasks(CLUSTER, 'web'))).toHaveLength(desiredCount);
      const before = new Set((await world.describeGroup('nodes')).Instances!.map((instance) => instance.InstanceId));

      await world.ec2Call('CreateLaunchTemplateVersion', {
        LaunchTemplateName: 'node',
        SourceVersion: '1',
        LaunchTemplateData: { ImageId: 'ami-0fedcba9876543210' },
      });
      await world.asgCall('StartInstanceRefresh', {
        AutoScalingGroupName: 'nodes',
        Preferences: { MinHealthyPercentage: 66, InstanceWarmup: 30 },
      });
      const floor = Math.ceil((desiredCount * minimumHealthyPercent) / 100);
      let lowest = Number.POSITIVE_INFINITY;
      let waitedForCapacity = false;
      let drainingSeen = 0;
      let refreshStatus = '';
      await world.advance(30 * MINUTE, {
        stepMs: SECOND,
        check: async () => {
          const service = await world.describeService(CLUSTER, 'web');
          lowest = Math.min(lowest, service.runningCount!);
          expect(service.runningCount).toBeGreaterThanOrEqual(floor);
          const tasks = await world.serviceTasks(CLUSTER, 'web');
          if (tasks.some((task) => task.lastStatus === 'PROVISIONING' && task.containerInstanceArn === undefined)) {
            waitedForCapacity = true;
          }
          const instances = await world.containerInstances(CLUSTER);
          drainingSeen = Math.max(drainingSeen, instances.filter((instance) => instance.status === 'DRAINING').length);
          const refreshes = await world.asgCall<{ InstanceRefreshes: Array<{ Status: string }> }>(
            'DescribeInstanceRefreshes',
            { AutoScalingGroupName: 'nodes' },
          );
          refreshStatus = refreshes.InstanceRefreshes[0]!.Status;
        },
      });
      expect(refreshStatus).toBe('Successful');
      const group = await world.describeGroup('nodes');
      const after = group.Instances!.filter((instance) => instance.LifecycleState === 'InService');
      expect(after).toHaveLength(3);
      for (const instance of after) expect(before.has(instance.InstanceId)).toBe(false);
      expect(running(await world.serviceTasks(CLUSTER, 'web'))).toHaveLength(desiredCount);
      expect(lowest).toBeGreaterThanOrEqual(floor);
      expect(drainingSeen).toBeGreaterThan(0);
      // With min 100 % and no room, the replacements waited in PROVISIONING for the refresh's new instances.
      if (minimumHealthyPercent === 100) expect(waitedForCapacity).toBe(true);
      // Every old task was stopped by the drain, none by its host going away.
      const stopped = await world.serviceTasks(CLUSTER, 'web', 'STOPPED');
      expect(stopped.length).toBeGreaterThanOrEqual(desiredCount);
      for (const task of stopped) expect(task.stoppedReason).toMatch(/DRAINING/);
    },
  );

  it('DescribeClusters with ATTACHMENTS shows the scaling policy and the managed-draining hook', async () => {
    await fleet();
    const result = await world.ecsCall<{ clusters: Array<Record<string, unknown>> }>('DescribeClusters', {
      clusters: [CLUSTER],
      include: ['ATTACHMENTS'],
    });
    expect(result.clusters[0]).toMatchObject({
      capacityProviders: ['nodes-cp'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'nodes-cp', base: 0, weight: 1 }],
      attachmentsStatus: 'UPDATE_COMPLETE',
      attachments: [
        {
          type: 'as_policy',
          status: 'CREATED',
          details: [
            { name: 'capacityProviderName', value: 'nodes-cp' },
            { name: 'scalingPolicyName', value: expect.stringMatching(/^ECSManagedAutoScalingPolicy-[0-9a-f-]{36}$/) },
          ],
        },
        {
          type: 'managed_draining',
          status: 'CREATED',
          details: [
            { name: 'capacityProviderName', value: 'nodes-cp' },
            { name: 'autoScalingLifecycleHookName', value: MANAGED_DRAINING_HOOK },
          ],
        },
      ],
    });
  });
});
