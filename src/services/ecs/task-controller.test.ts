/**
 * Task lifecycle scenarios on virtual time with the simulated runtime, written to read like the
 * ECS Developer Guide pages they check (task lifecycle, stopTimeout, stopped-task errors,
 * container-instance draining, task placement, task scale-in protection).
 */
import type { Failure, Task } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsWorld, type EcsWorld } from '../../../test/support/ecs-world.js';
import type { TaskRecord } from './task.js';

let world: EcsWorld;

beforeEach(() => {
  world = ecsWorld();
  world.call('CreateCluster', { clusterName: 'default' });
});
afterEach(() => world.close());

interface ContainerInput {
  name: string;
  image: string;
  memory?: number;
  cpu?: number;
  essential?: boolean;
  stopTimeout?: number;
  environment?: Array<{ name: string; value: string }>;
  portMappings?: Array<{ containerPort: number; hostPort?: number }>;
  healthCheck?: { command: string[]; interval?: number };
  dependsOn?: Array<{ containerName: string; condition: string }>;
}

function register(family: string, containers: ContainerInput[], extra: Record<string, unknown> = {}): string {
  const result = world.call<{ taskDefinition: { taskDefinitionArn: string } }>('RegisterTaskDefinition', {
    family,
    containerDefinitions: containers.map((container) => ({ memory: 128, ...container })),
    ...extra,
  });
  return result.taskDefinition.taskDefinitionArn;
}

function run(taskDefinition: string, input: Record<string, unknown> = {}): { tasks: Task[]; failures: Failure[] } {
  return world.call('RunTask', { taskDefinition, ...input });
}

function runOne(taskDefinition: string, input: Record<string, unknown> = {}): string {
  const { tasks, failures } = run(taskDefinition, input);
  expect(failures).toEqual([]);
  return tasks[0]!.taskArn!;
}

function taskEvents(taskArn: string) {
  return world.events.filter((event) => event.detailType === 'ECS Task State Change' && event.resources[0] === taskArn);
}

const web = (): ContainerInput => ({
  name: 'web',
  image: 'drydock/http-echo',
  portMappings: [{ containerPort: 8080, hostPort: 0 }],
});

describe('a task runs through the lifecycle the guide describes', () => {
  it('RunTask: PROVISIONING, PENDING, ACTIVATING, RUNNING, each a state-change event with a growing version', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    expect(world.describeTask(taskArn).lastStatus).toBe('PROVISIONING');

    await world.advance(2_000);
    const task = world.describeTask(taskArn);
    expect(task.lastStatus).toBe('RUNNING');
    expect(task.desiredStatus).toBe('RUNNING');
    expect(task.startedAt).toBeInstanceOf(Date);
    expect(task.pullStartedAt!.getTime()).toBeLessThanOrEqual(task.pullStoppedAt!.getTime());
    expect(task.connectivity).toBe('CONNECTED');
    expect(task.group).toBe('family:web');
    expect(task.containers![0]).toMatchObject({ lastStatus: 'RUNNING', name: 'web', image: 'drydock/http-echo' });
    expect(task.containers![0]!.runtimeId).toMatch(/^[0-9a-f]{64}$/);

    const events = taskEvents(taskArn);
    // The third event is the container's own start, while the task is still PENDING.
    expect(events.map((event) => event.detail.lastStatus)).toEqual([
      'PROVISIONING',
      'PENDING',
      'PENDING',
      'ACTIVATING',
      'RUNNING',
    ]);
    expect((events[2]!.detail.containers as Array<{ lastStatus: string }>)[0]!.lastStatus).toBe('RUNNING');
    const versions = events.map((event) => event.detail.version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(events[0]!.source).toBe('aws.ecs');
    expect(typeof events[0]!.detail.createdAt).toBe('string');
  });

  it('a dynamic host port is allocated from 49153 and shown in networkBindings on the instance address', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    await world.advance(2_000);
    const binding = world.describeTask(taskArn).containers![0]!.networkBindings![0]!;
    expect(binding).toEqual({ bindIP: '127.1.0.1', containerPort: 8080, hostPort: 49153, protocol: 'tcp' });
    const logs = world.service.taskLogs(world.scope, taskArn);
    expect(logs[0]!.lines.map((line) => line.line)).toContain('listening on 127.1.0.1:49153 (container port 8080/tcp)');
  });

  it('StopTask: `Task stopped by user`, UserInitiated, exit 0, through DEACTIVATING, STOPPING, DEPROVISIONING', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    await world.advance(2_000);
    const before = world.events.length;

    const stopped = world.call<{ task: Task }>('StopTask', { task: taskArn });
    expect(stopped.task).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated' });
    expect(stopped.task.stoppedReason).toBe('Task stopped by user');

    await world.advance(1_000);
    const task = world.describeTask(taskArn);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.stoppedReason).toBe('Task stopped by user');
    expect(task.containers![0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    for (const field of ['stoppingAt', 'executionStoppedAt', 'stoppedAt'] as const)
      expect(task[field]).toBeInstanceOf(Date);
    const statuses = world.events
      .slice(before)
      .filter((event) => event.detailType === 'ECS Task State Change')
      .map((event) => event.detail.lastStatus);
    expect(statuses).toEqual(['RUNNING', 'DEACTIVATING', 'STOPPING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
  });

  it('StopTask with a reason records that reason', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    world.call('StopTask', { task: taskArn, reason: 'Scaling down for the night' });
    await world.advance(2_000);
    expect(world.describeTask(taskArn)).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Scaling down for the night',
    });
  });

  it('a task stopped while PENDING never starts its containers', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    await world.advance(0);
    world.call('StopTask', { task: taskArn });
    await world.advance(5_000);
    const task = world.describeTask(taskArn);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.containers![0]!.exitCode).toBeUndefined();
    expect(task.startedAt).toBeUndefined();
  });

  it('STOPPED tasks stay describable for an hour, then are MISSING', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    await world.advance(2_000);
    world.call('StopTask', { task: taskArn });
    await world.advance(1_000);
    await world.advance(3_599_000 - 1);
    expect(world.describeTask(taskArn).lastStatus).toBe('STOPPED');
    await world.advance(1_000);
    const result = world.call<{ tasks: Task[]; failures: Failure[] }>('DescribeTasks', { tasks: [taskArn] });
    expect(result.tasks).toEqual([]);
    expect(result.failures).toEqual([{ arn: taskArn, reason: 'MISSING' }]);
  });
});

describe('stopTimeout: SIGTERM, then SIGKILL (B.4)', () => {
  it('a worker that needs longer than its stopTimeout is SIGKILLed: exit 137 at stopTimeout', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('slow', [
        {
          name: 'worker',
          image: 'drydock/worker',
          stopTimeout: 10,
          environment: [{ name: 'WORKER_SHUTDOWN_MS', value: '60000' }],
        },
      ]),
    );
    await world.advance(2_000);
    world.call('StopTask', { task: taskArn });
    await world.advance(9_999);
    expect(world.describeTask(taskArn).lastStatus).toBe('STOPPING');
    await world.advance(1);
    const task = world.describeTask(taskArn);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.containers![0]!.exitCode).toBe(137);
    expect(task.stoppedAt!.getTime() - task.stoppingAt!.getTime()).toBe(10_000);
  });

  it('a worker that finishes within its stopTimeout exits 0 when it is done', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('quick', [
        { name: 'worker', image: 'drydock/worker', environment: [{ name: 'WORKER_SHUTDOWN_MS', value: '2000' }] },
      ]),
    );
    await world.advance(2_000);
    world.call('StopTask', { task: taskArn });
    await world.advance(1_999);
    expect(world.describeTask(taskArn).lastStatus).toBe('STOPPING');
    await world.advance(1);
    expect(world.describeTask(taskArn)).toMatchObject({ lastStatus: 'STOPPED' });
    expect(world.describeTask(taskArn).containers![0]!.exitCode).toBe(0);
  });

  it('without a stopTimeout the agent default of 30 s applies', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('stubborn', [
        { name: 'worker', image: 'drydock/worker', environment: [{ name: 'WORKER_SHUTDOWN_MS', value: '600000' }] },
      ]),
    );
    await world.advance(2_000);
    world.call('StopTask', { task: taskArn });
    await world.advance(29_999);
    expect(world.describeTask(taskArn).lastStatus).toBe('STOPPING');
    await world.advance(1);
    expect(world.describeTask(taskArn).containers![0]!.exitCode).toBe(137);
  });
});

describe('an essential container that exits stops its task', () => {
  it('the crash stops the task with `Essential container in task exited`; the sidecar gets SIGTERM', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('fragile', [
        {
          name: 'app',
          image: 'drydock/crash',
          environment: [
            { name: 'CRASH_EXIT_CODE', value: '3' },
            { name: 'CRASH_AFTER_MS', value: '5000' },
          ],
        },
        { name: 'sidecar', image: 'drydock/http-echo', essential: false },
      ]),
    );
    await world.advance(2_000);
    expect(world.describeTask(taskArn).lastStatus).toBe('RUNNING');
    await world.advance(6_000);
    const task = world.describeTask(taskArn);
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    const byName = Object.fromEntries(task.containers!.map((container) => [container.name, container]));
    expect(byName.app!.exitCode).toBe(3);
    expect(byName.sidecar!.exitCode).toBe(0);
  });

  it('a non-essential container exiting leaves the task RUNNING', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('batchy', [
        web(),
        {
          name: 'once',
          image: 'drydock/crash',
          essential: false,
          environment: [{ name: 'CRASH_EXIT_CODE', value: '0' }],
        },
      ]),
    );
    await world.advance(10_000);
    const task = world.describeTask(taskArn);
    expect(task.lastStatus).toBe('RUNNING');
    expect(task.containers!.find((container) => container.name === 'once')).toMatchObject({
      lastStatus: 'STOPPED',
      exitCode: 0,
    });
  });

  it('dependsOn SUCCESS: the app starts after its init container exits 0', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('ordered', [
        {
          name: 'init',
          image: 'drydock/crash',
          essential: false,
          environment: [
            { name: 'CRASH_EXIT_CODE', value: '0' },
            { name: 'CRASH_AFTER_MS', value: '3000' },
          ],
        },
        { ...web(), dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
      ]),
    );
    await world.advance(3_000);
    expect(world.describeTask(taskArn).lastStatus).toBe('PENDING');
    await world.advance(5_000);
    const task = world.describeTask(taskArn);
    expect(task.lastStatus).toBe('RUNNING');
    const byName = Object.fromEntries(task.containers!.map((container) => [container.name, container]));
    expect(byName.init).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    expect(byName.web!.lastStatus).toBe('RUNNING');
  });

  it('container health checks are simulated as passing: HEALTHY after the first interval', async () => {
    world.launchInstance();
    const taskArn = runOne(
      register('checked', [
        { ...web(), healthCheck: { command: ['CMD-SHELL', 'curl -f localhost:8080'], interval: 10 } },
      ]),
    );
    await world.advance(2_000);
    expect(world.describeTask(taskArn).healthStatus).toBe('UNKNOWN');
    await world.advance(10_000);
    const task = world.describeTask(taskArn);
    expect(task.healthStatus).toBe('HEALTHY');
    expect(task.containers![0]!.healthStatus).toBe('HEALTHY');
  });
});

describe('container instance resources and counts follow the tasks', () => {
  it('remaining CPU, memory and ports shrink while tasks hold them and come back when they stop', async () => {
    world.launchInstance({ instanceType: 'm5.large' });
    const [instanceArn] = world.call<{ containerInstanceArns: string[] }>(
      'ListContainerInstances',
      {},
    ).containerInstanceArns;
    const taskArn = runOne(
      register('web', [{ ...web(), cpu: 256, memory: 512, portMappings: [{ containerPort: 80, hostPort: 80 }] }]),
    );
    const remaining = () =>
      Object.fromEntries(
        world
          .describeInstance(instanceArn!)
          .remainingResources!.map((resource) => [
            resource.name,
            resource.type === 'STRINGSET' ? resource.stringSetValue : resource.integerValue,
          ]),
      );
    expect(remaining()).toEqual({
      CPU: 2048 - 256,
      MEMORY: 7985 - 512,
      PORTS: ['22', '80', '2375', '2376', '51678', '51679'],
      PORTS_UDP: [],
    });
    expect(world.describeInstance(instanceArn!).pendingTasksCount).toBe(1);
    await world.advance(2_000);
    expect(world.describeInstance(instanceArn!)).toMatchObject({ runningTasksCount: 1, pendingTasksCount: 0 });
    expect(
      world.call<{ clusters: Array<{ runningTasksCount: number }> }>('DescribeClusters', {}).clusters[0]!
        .runningTasksCount,
    ).toBe(1);

    world.call('StopTask', { task: taskArn });
    await world.advance(0);
    // A task being stopped no longer counts as running, though its processes still run.
    expect(world.describeInstance(instanceArn!).runningTasksCount).toBe(0);
    await world.advance(1_000);
    expect(remaining()).toEqual({
      CPU: 2048,
      MEMORY: 7985,
      PORTS: ['22', '2375', '2376', '51678', '51679'],
      PORTS_UDP: [],
    });
  });
});

describe('draining (B.2): no new placements, standalone tasks keep running', () => {
  it('a DRAINING instance keeps its standalone tasks and takes no new ones', async () => {
    world.launchInstance({ instanceId: 'i-0000000000000000a' });
    const family = register('web', [web()]);
    const first = runOne(family);
    await world.advance(2_000);
    const [instanceArn] = world.call<{ containerInstanceArns: string[] }>(
      'ListContainerInstances',
      {},
    ).containerInstanceArns;

    const drained = world.call<{ containerInstances: Array<{ status: string }>; failures: Failure[] }>(
      'UpdateContainerInstancesState',
      { containerInstances: [instanceArn], status: 'DRAINING' },
    );
    expect(drained.containerInstances[0]!.status).toBe('DRAINING');
    expect(drained.failures).toEqual([]);

    await world.advance(3_600_000);
    expect(world.describeTask(first).lastStatus).toBe('RUNNING');
    expect(world.describeInstance(instanceArn!)).toMatchObject({ status: 'DRAINING', runningTasksCount: 1 });

    const refused = run(family);
    expect(refused.tasks).toEqual([]);
    expect(refused.failures).toEqual([{ arn: instanceArn, reason: 'DRAINING' }]);

    world.launchInstance({ instanceId: 'i-0000000000000000b' });
    const placed = run(family);
    expect(placed.tasks[0]!.containerInstanceArn).not.toBe(instanceArn);

    world.call('UpdateContainerInstancesState', { containerInstances: [instanceArn], status: 'ACTIVE' });
    const again = run(family, {
      placementConstraints: [{ type: 'memberOf', expression: 'ec2InstanceId == i-0000000000000000a' }],
    });
    expect(again.tasks[0]!.containerInstanceArn).toBe(instanceArn);
  });

  it('unknown ids are failures[] MISSING; more than 10 ids or another status are refused', () => {
    world.launchInstance();
    const result = world.call<{ failures: Failure[] }>('UpdateContainerInstancesState', {
      containerInstances: ['0123456789abcdef0123456789abcdef'],
      status: 'DRAINING',
    });
    expect(result.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/0123456789abcdef0123456789abcdef',
        reason: 'MISSING',
      },
    ]);
    expect(() =>
      world.call('UpdateContainerInstancesState', { containerInstances: Array(11).fill('x'), status: 'DRAINING' }),
    ).toThrow('Container instances cannot have more than 10 elements.');
    expect(() =>
      world.call('UpdateContainerInstancesState', { containerInstances: ['x'], status: 'REGISTERING' }),
    ).toThrow(/use ACTIVE or DRAINING/);
  });
});

describe('placement strategies and constraints on a real cluster', () => {
  function fleet() {
    world.launchInstance({ availabilityZone: 'us-east-1a', instanceType: 't3.medium' });
    world.launchInstance({ availabilityZone: 'us-east-1a', instanceType: 't3.medium' });
    world.launchInstance({ availabilityZone: 'us-east-1b', instanceType: 'c5.xlarge' });
    const arns = world.call<{ containerInstanceArns: string[] }>('ListContainerInstances', {}).containerInstanceArns;
    const zoneOf = new Map(
      arns.map((arn) => [
        arn,
        world.describeInstance(arn).attributes!.find((attribute) => attribute.name === 'ecs.availability-zone')!.value,
      ]),
    );
    return { arns, zoneOf };
  }

  it('spread over ecs.availability-zone puts half the tasks in each zone', () => {
    const { zoneOf } = fleet();
    const { tasks } = run(register('web', [web()]), {
      count: 6,
      placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    });
    const zones = tasks.map((task) => zoneOf.get(task.containerInstanceArn!));
    expect(zones.filter((zone) => zone === 'us-east-1a')).toHaveLength(3);
    expect(zones.filter((zone) => zone === 'us-east-1b')).toHaveLength(3);
  });

  it('spread over instanceId puts two tasks on each of three instances', () => {
    const { arns } = fleet();
    const { tasks } = run(register('web', [web()]), {
      count: 6,
      placementStrategy: [{ type: 'spread', field: 'instanceId' }],
    });
    for (const arn of arns) expect(tasks.filter((task) => task.containerInstanceArn === arn)).toHaveLength(2);
  });

  it('binpack on memory fills one instance before the next', () => {
    fleet();
    const { tasks } = run(register('big', [{ name: 'app', image: 'drydock/worker', memory: 1024 }]), {
      count: 4,
      placementStrategy: [{ type: 'binpack', field: 'memory' }],
    });
    // Each t3.medium registers 3992 MiB: three 1 GiB tasks fit on the first one chosen.
    const perInstance = new Map<string, number>();
    for (const task of tasks)
      perInstance.set(task.containerInstanceArn!, (perInstance.get(task.containerInstanceArn!) ?? 0) + 1);
    expect([...perInstance.values()].sort()).toEqual([1, 3]);
  });

  it('random placement is reproducible from the seed', async () => {
    const placements = async (seed: number) => {
      const other = ecsWorld({ seed });
      other.call('CreateCluster', {});
      for (let index = 0; index < 3; index += 1) other.launchInstance();
      other.call('RegisterTaskDefinition', {
        family: 'r',
        containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }],
      });
      const { tasks } = other.call<{ tasks: Task[] }>('RunTask', {
        taskDefinition: 'r',
        count: 10,
        placementStrategy: [{ type: 'random' }],
      });
      await other.close();
      return tasks.map((task) => task.containerInstanceArn!.split('/').pop());
    };
    expect(await placements(42)).toEqual(await placements(42));
  });

  it('distinctInstance: never two of the group on one instance; the fourth fails', () => {
    const { arns } = fleet();
    const { tasks, failures } = run(register('web', [web()]), {
      count: 4,
      placementConstraints: [{ type: 'distinctInstance' }],
    });
    expect(new Set(tasks.map((task) => task.containerInstanceArn))).toEqual(new Set(arns));
    expect(failures.map((failure) => failure.reason)).toEqual(
      arns.map(() => 'DistinctInstance placement constraint unsatisfied.'),
    );
  });

  it('memberOf with the cluster query language, on a custom attribute set with PutAttributes', () => {
    const { arns } = fleet();
    world.call('PutAttributes', { attributes: [{ name: 'stack', value: 'prod', targetId: arns[1] }] });
    const { tasks } = run(register('web', [web()]), {
      count: 3,
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }],
    });
    expect(tasks.map((task) => task.containerInstanceArn)).toEqual([arns[1], arns[1], arns[1]]);

    const refused = run(register('db', [web()]), {
      placementConstraints: [
        { type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m5.* or attribute:stack == dev' },
      ],
    });
    expect(refused.tasks).toEqual([]);
    expect(refused.failures.map((failure) => failure.reason)).toEqual(
      arns.map(() => 'MemberOf placement constraint unsatisfied.'),
    );
  });

  it('a fixed host port fits once per instance: RESOURCE:PORTS after that', () => {
    const { arns } = fleet();
    const family = register('port80', [{ ...web(), portMappings: [{ containerPort: 80, hostPort: 80 }] }]);
    const first = run(family, { count: 3 });
    expect(new Set(first.tasks.map((task) => task.containerInstanceArn)).size).toBe(3);
    const second = run(family);
    expect(second.failures.map((failure) => [failure.arn, failure.reason])).toEqual(
      arns.map((arn) => [arn, 'RESOURCE:PORTS']),
    );
  });

  it('too much memory for any instance is RESOURCE:MEMORY; too much CPU is RESOURCE:CPU', () => {
    fleet();
    expect(run(register('huge', [{ name: 'a', image: 'x', memory: 9000 }])).failures.map((f) => f.reason)).toEqual([
      'RESOURCE:MEMORY',
      'RESOURCE:MEMORY',
      'RESOURCE:MEMORY',
    ]);
    expect(run(register('hot', [{ name: 'a', image: 'x', cpu: 8192 }])).failures.map((f) => f.reason)).toEqual([
      'RESOURCE:CPU',
      'RESOURCE:CPU',
      'RESOURCE:CPU',
    ]);
  });

  it('a stopped instance has a disconnected agent: AGENT', () => {
    const instanceId = world.launchInstance();
    world.setInstanceState(instanceId, 'stopping');
    world.setInstanceState(instanceId, 'stopped');
    const { failures } = run(register('web', [web()]));
    expect(failures.map((failure) => failure.reason)).toEqual(['AGENT']);
  });
});

describe('task scale-in protection (B.9)', () => {
  /** The service scheduler (a later issue) marks its tasks with their service; tests do it by hand. */
  function asServiceTask(taskArn: string) {
    const tasks = world.store.table<TaskRecord>('ecs', 'tasks');
    const key = `000000000000/us-east-1/default/${taskArn.split('/').pop()}`;
    tasks.put(key, {
      ...tasks.get(key)!,
      serviceName: 'web',
      startedBy: 'ecs-svc/1234567890123456789',
      group: 'service:web',
    });
  }

  it('protection lapses on its own after expiresInMinutes; protecting again resets the expiry', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    asServiceTask(taskArn);
    await world.advance(2_000);

    const start = world.clock.now();
    const protectedNow = world.call<{ protectedTasks: Array<{ protectionEnabled: boolean; expirationDate: Date }> }>(
      'UpdateTaskProtection',
      { cluster: 'default', tasks: [taskArn], protectionEnabled: true, expiresInMinutes: 10 },
    );
    expect(protectedNow.protectedTasks[0]!.expirationDate.getTime()).toBe(start + 600_000);

    await world.advance(300_000);
    world.call('UpdateTaskProtection', {
      cluster: 'default',
      tasks: [taskArn],
      protectionEnabled: true,
      expiresInMinutes: 10,
    });
    await world.advance(300_000);
    const get = () =>
      world.call<{ protectedTasks: Array<{ protectionEnabled: boolean }> }>('GetTaskProtection', {
        cluster: 'default',
        tasks: [taskArn],
      }).protectedTasks[0]!.protectionEnabled;
    expect(get()).toBe(true);
    await world.advance(300_000);
    expect(get()).toBe(false);
  });

  it('the default protection lasts 120 minutes, through the agent endpoint too', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    asServiceTask(taskArn);
    const put = world.service.agentApi.putTaskProtection(taskArn, { ProtectionEnabled: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      protection: {
        ExpirationDate: new Date(world.clock.now() + 120 * 60_000).toISOString(),
        ProtectionEnabled: true,
        TaskArn: taskArn,
      },
    });
    await world.advance(120 * 60_000);
    expect(world.service.agentApi.getTaskProtection(taskArn)).toEqual({
      protection: { ExpirationDate: null, ProtectionEnabled: false, TaskArn: taskArn },
    });
  });

  it('standalone tasks are TASK_NOT_VALID; unknown ones MISSING; the agent says so in its own shape', () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    const result = world.call<{ failures: Failure[] }>('UpdateTaskProtection', {
      cluster: 'default',
      tasks: [taskArn, 'ffffffffffffffffffffffffffffffff'],
      protectionEnabled: true,
    });
    expect(result.failures).toEqual([
      { arn: taskArn, reason: 'TASK_NOT_VALID' },
      { arn: 'arn:aws:ecs:us-east-1:000000000000:task/default/ffffffffffffffffffffffffffffffff', reason: 'MISSING' },
    ]);
    expect(world.service.agentApi.putTaskProtection(taskArn, { ProtectionEnabled: true })).toEqual({
      status: 200,
      body: { failure: { Arn: taskArn, Detail: null, Reason: 'TASK_NOT_VALID' } },
    });
    expect(world.service.agentApi.putTaskProtection(taskArn, {})).toEqual({
      status: 400,
      body: {
        error: {
          Arn: taskArn,
          Code: 'InvalidParameterException',
          Message: "Invalid request: does not contain 'ProtectionEnabled' field",
        },
      },
    });
  });
});

describe('the task metadata the agent serves', () => {
  it('v4 /task shows the task, its containers, their ports on the instance address', async () => {
    world.launchInstance();
    const taskArn = runOne(register('web', [web()]));
    await world.advance(2_000);
    const metadata = world.service.agentApi.taskMetadata(taskArn)!;
    expect(metadata).toMatchObject({
      Cluster: 'default',
      TaskARN: taskArn,
      Family: 'web',
      Revision: '1',
      DesiredStatus: 'RUNNING',
      KnownStatus: 'RUNNING',
      LaunchType: 'EC2',
      AvailabilityZone: 'us-east-1a',
    });
    const container = world.service.agentApi.containerMetadata(taskArn, 'web')!;
    expect(container).toMatchObject({
      Name: 'web',
      KnownStatus: 'RUNNING',
      Ports: [{ ContainerPort: 8080, HostPort: 49153, Protocol: 'tcp', HostIp: '127.1.0.1' }],
    });
    expect(world.service.agentApi.taskMetadata('arn:aws:ecs:us-east-1:000000000000:task/default/nope')).toBeUndefined();
  });
});
