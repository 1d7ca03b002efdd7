/**
 * Service scheduler scenarios on virtual time with the simulated runtime and a fake ELBv2,
 * written to read like the ECS Developer Guide pages they check (service definition parameters,
 * rolling deployments, the deployment circuit breaker, container-instance draining, task
 * scale-in protection, service event messages).
 */
import type { Service, Task } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsWorld, type EcsWorld } from '../../../test/support/ecs-world.js';
import { isDrainComplete, type ContainerInstanceRecord } from './container-instance.js';
import type { TaskRecord } from './task.js';

let world: EcsWorld;

beforeEach(() => {
  world = ecsWorld();
  world.call('CreateCluster', { clusterName: 'default' });
});
afterEach(() => world.close());

interface ContainerInput {
  name?: string;
  image?: string;
  environment?: Array<{ name: string; value: string }>;
  healthCheck?: { command: string[]; interval?: number };
  stopTimeout?: number;
  essential?: boolean;
  dependsOn?: Array<{ containerName: string; condition: string }>;
}

/** A web task definition revision (`drydock/http-echo` on container port 8080, dynamic host port). */
function register(family = 'web', container: ContainerInput = {}, extra: ContainerInput[] = []): string {
  const result = world.call<{ taskDefinition: { taskDefinitionArn: string } }>('RegisterTaskDefinition', {
    family,
    containerDefinitions: [
      {
        name: 'web',
        image: 'drydock/http-echo',
        memory: 128,
        portMappings: [{ containerPort: 8080, hostPort: 0 }],
        ...container,
      },
      ...extra.map((definition) => ({ memory: 64, ...definition })),
    ],
  });
  return result.taskDefinition.taskDefinitionArn;
}

function create(input: Record<string, unknown>): Service {
  return world.call<{ service: Service }>('CreateService', { serviceName: 'web', ...input }).service;
}

function update(input: Record<string, unknown>): Service {
  return world.call<{ service: Service }>('UpdateService', { service: 'web', ...input }).service;
}

function describeService(name = 'web'): Service {
  return world.call<{ services: Service[] }>('DescribeServices', { services: [name] }).services[0]!;
}

const tasksTable = () => world.store.table<TaskRecord>('ecs', 'tasks');
const serviceTasks = (name = 'web') =>
  tasksTable()
    .values()
    .filter((task) => task.serviceName === name);
const live = (name = 'web') => serviceTasks(name).filter((task) => task.lastStatus !== 'STOPPED');
const running = (name = 'web') =>
  serviceTasks(name).filter((task) => task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING');
/** Healthy as ECS counts it with no load balancer and no health check: RUNNING for 40 s. */
const healthy = (name = 'web') =>
  running(name).filter((task) => world.clock.now() - (task.startedAtMs ?? world.clock.now()) >= 40_000);

const messages = (name = 'web') => (describeService(name).events ?? []).map((event) => event.message ?? '');
const busEvents = (detailType: string) =>
  world.events.filter((event) => event.detailType === detailType).map((event) => event.detail);

function instances(): ContainerInstanceRecord[] {
  return world.store.table<ContainerInstanceRecord>('ecs', 'containerInstances').values();
}

function drain(containerInstanceId: string): void {
  world.call('UpdateContainerInstancesState', { containerInstances: [containerInstanceId], status: 'DRAINING' });
}

/** Advances in steps of stepMs, calling check after each, until done() or maxMs. */
async function advanceUntil(done: () => boolean, maxMs: number, stepMs = 1_000, check?: () => void): Promise<void> {
  for (let elapsed = 0; elapsed < maxMs && !done(); elapsed += stepMs) {
    await world.advance(stepMs);
    check?.();
  }
  expect(done()).toBe(true);
}

const steady = (name = 'web') => {
  const service = describeService(name);
  return (
    service.deployments?.length === 1 &&
    service.deployments[0]!.rolloutState === 'COMPLETED' &&
    live(name).length === service.desiredCount
  );
};

describe('a service keeps desiredCount tasks running (B.5)', () => {
  it('CreateService starts the tasks: startedBy the deployment, group service:<name>, spread over zones', async () => {
    world.launchInstance({ availabilityZone: 'us-east-1a' });
    world.launchInstance({ availabilityZone: 'us-east-1b' });
    const created = create({ taskDefinition: register(), desiredCount: 4 });
    const deploymentId = created.deployments![0]!.id!;
    expect(deploymentId).toMatch(/^ecs-svc\/[1-9]\d{18}$/);
    expect(created).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 4,
      runningCount: 0,
      schedulingStrategy: 'REPLICA',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    });

    await world.advance(2_000);
    const tasks = live();
    expect(tasks).toHaveLength(4);
    for (const task of tasks) {
      expect(task).toMatchObject({ startedBy: deploymentId, group: 'service:web', serviceName: 'web' });
    }
    const perZone = tasks.reduce<Record<string, number>>((counts, task) => {
      counts[task.availabilityZone] = (counts[task.availabilityZone] ?? 0) + 1;
      return counts;
    }, {});
    expect(perZone).toEqual({ 'us-east-1a': 2, 'us-east-1b': 2 });
    const listed = world.call<{ taskArns: string[] }>('ListTasks', { serviceName: 'web' }).taskArns;
    expect(listed).toHaveLength(4);
    expect(describeService()).toMatchObject({ runningCount: 4, pendingCount: 0 });
  });

  it('a task whose essential container exits is replaced', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 1 });
    await advanceUntil(() => steady(), 120_000);
    const [first] = live();
    world.runtime.stop(first!.taskArn);
    await advanceUntil(() => live().length === 1 && live()[0]!.taskId !== first!.taskId, 10_000, 100);
    const stopped = tasksTable().get(`000000000000/us-east-1/default/${first!.taskId}`)!;
    expect(stopped).toMatchObject({ stopCode: 'EssentialContainerExited', lastStatus: 'STOPPED' });
    await world.advance(2_000);
    expect(describeService().runningCount).toBe(1);
  });

  it('UpdateService desiredCount scales out and in; scale-in stops tasks with the deployment as the reason', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 1 });
    update({ desiredCount: 3 });
    await world.advance(3_000);
    expect(running()).toHaveLength(3);
    update({ desiredCount: 1 });
    await world.advance(1_000);
    const stopping = serviceTasks().filter((task) => task.desiredStatus === 'STOPPED');
    expect(stopping).toHaveLength(2);
    const deploymentId = describeService().deployments![0]!.id!;
    for (const task of stopping) {
      expect(task).toMatchObject({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: `Scaling activity initiated by (deployment ${deploymentId})`,
      });
    }
    expect(messages()[0]).toMatch(
      /^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
    );
  });
});

describe('the rolling deployment (B.5, F.2)', () => {
  it('a min 50 / max 200 rolling update of 4 tasks never has fewer than 2 healthy nor more than 8 tasks', async () => {
    world.launchInstance({ availabilityZone: 'us-east-1a' });
    world.launchInstance({ availabilityZone: 'us-east-1b' });
    // Workers take 5 s to exit after SIGTERM, so stopping tasks are seen counting against the 8.
    const worker = { image: 'drydock/worker', environment: [{ name: 'WORKER_SHUTDOWN_MS', value: '5000' }] };
    create({
      taskDefinition: register('web', worker),
      desiredCount: 4,
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 },
    });
    await advanceUntil(() => steady(), 120_000);
    const first = describeService().deployments![0]!.id!;

    const v2 = register('web', worker);
    const updated = update({ taskDefinition: v2 });
    expect(updated.taskDefinition).toBe(v2);
    const [primary, active] = updated.deployments!;
    expect(primary).toMatchObject({ status: 'PRIMARY', taskDefinition: v2, rolloutState: 'IN_PROGRESS' });
    expect(active).toMatchObject({ id: first, status: 'ACTIVE', rolloutState: 'COMPLETED' });

    let fewest = Number.POSITIVE_INFINITY;
    let most = 0;
    await advanceUntil(
      () => steady(),
      300_000,
      250,
      () => {
        fewest = Math.min(fewest, healthy().length);
        most = Math.max(most, live().length);
        expect(healthy().length).toBeGreaterThanOrEqual(2);
        expect(live().length).toBeLessThanOrEqual(8);
      },
    );
    expect(fewest).toBe(2);
    expect(most).toBe(8);
    expect(live().every((task) => task.taskDefinitionArn === v2 && task.startedBy === primary!.id)).toBe(true);
    const done = describeService();
    expect(done.deployments).toHaveLength(1);
    expect(done.deployments![0]).toMatchObject({ id: primary!.id, rolloutState: 'COMPLETED', runningCount: 4 });
    expect(done.deployments![0]!.rolloutStateReason).toBe(`ECS deployment ${primary!.id} completed.`);
    expect(messages().slice(0, 2)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${primary!.id}) deployment completed.`,
    ]);
    const deploymentEvents = busEvents('ECS Deployment State Change');
    expect(deploymentEvents.slice(-2)).toEqual([
      expect.objectContaining({
        eventType: 'INFO',
        eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
        deploymentId: primary!.id,
        reason: `ECS deployment ${primary!.id} in progress.`,
      }),
      expect.objectContaining({
        eventType: 'INFO',
        eventName: 'SERVICE_DEPLOYMENT_COMPLETED',
        deploymentId: primary!.id,
        reason: `ECS deployment ${primary!.id} completed.`,
      }),
    ]);
  });

  it('forceNewDeployment replaces every task with the same task definition', async () => {
    world.launchInstance();
    const v1 = register();
    create({ taskDefinition: v1, desiredCount: 2 });
    await advanceUntil(() => steady(), 120_000);
    const before = live().map((task) => task.taskId);
    const forced = update({ forceNewDeployment: true });
    expect(forced.deployments).toHaveLength(2);
    await advanceUntil(() => steady(), 300_000);
    expect(
      live()
        .map((task) => task.taskId)
        .filter((id) => before.includes(id)),
    ).toEqual([]);
    expect(live().every((task) => task.taskDefinitionArn === v1)).toBe(true);
  });

  it('an update that changes only desiredCount starts no deployment', () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 1 });
    expect(update({ desiredCount: 2 }).deployments).toHaveLength(1);
  });
});

describe('the deployment circuit breaker (`DG:ecs/deployment-circuit-breaker`)', () => {
  it('rolls back after its threshold of failed tasks: clamp(ceil(0.5 × 2), 10, 200) = 10', async () => {
    world.launchInstance();
    const good = register();
    create({
      taskDefinition: good,
      desiredCount: 2,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    await advanceUntil(() => steady(), 120_000);
    const completed = describeService().deployments![0]!.id!;

    const bad = register('web', {
      image: 'drydock/crash',
      environment: [{ name: 'CRASH_AFTER_MS', value: '2000' }],
    });
    const failing = update({ taskDefinition: bad }).deployments![0]!.id!;
    let failedTasks = 0;
    await advanceUntil(
      () => busEvents('ECS Deployment State Change').some((detail) => detail.eventName === 'SERVICE_DEPLOYMENT_FAILED'),
      600_000,
      100,
      () => {
        const deployment = describeService().deployments!.find((candidate) => candidate.id === failing);
        if (deployment?.rolloutState === 'IN_PROGRESS') {
          expect(deployment.failedTasks).toBeGreaterThanOrEqual(failedTasks);
          failedTasks = deployment.failedTasks!;
        }
      },
    );
    // Ten crashed tasks, each counted: the tenth tripped the breaker.
    const crashed = serviceTasks().filter(
      (task) => task.startedBy === failing && task.stopCode === 'EssentialContainerExited',
    );
    expect(crashed).toHaveLength(10);
    expect(failedTasks).toBeGreaterThanOrEqual(8);
    const rolledBack = describeService();
    expect(rolledBack.taskDefinition).toBe(good);
    const [rollback, ...older] = rolledBack.deployments!;
    // The failed deployment stays (ACTIVE, FAILED) only while it still has tasks; its all crashed.
    for (const deployment of older.filter((candidate) => candidate.id === failing)) {
      expect(deployment).toMatchObject({ status: 'ACTIVE', rolloutState: 'FAILED' });
    }
    expect(older.map((deployment) => deployment.id)).toContain(completed);
    expect(rollback).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: good,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${completed}.`,
    });
    expect(messages()).toContain(`(service web) (deployment ${failing}) deployment failed: tasks failed to start.`);
    expect(busEvents('ECS Deployment State Change')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventType: 'ERROR',
          eventName: 'SERVICE_DEPLOYMENT_FAILED',
          deploymentId: failing,
          reason: 'ECS deployment circuit breaker: task failed to start.',
        }),
        expect.objectContaining({
          eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
          deploymentId: rollback!.id,
          reason: `ECS deployment circuit breaker: rolling back to deploymentId ${completed}.`,
        }),
      ]),
    );
    // The rollback deployment launches the good task definition only.
    for (const task of serviceTasks().filter((candidate) => candidate.startedBy === rollback!.id)) {
      expect(task.taskDefinitionArn).toBe(good);
    }
    // The old tasks kept serving throughout; the rollback completes.
    await advanceUntil(() => steady(), 300_000);
    expect(describeService().deployments![0]).toMatchObject({ id: rollback!.id, rolloutState: 'COMPLETED' });
    expect(live().every((task) => task.taskDefinitionArn === good)).toBe(true);
  });

  it('without rollback the rollout is FAILED and launches nothing more', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 1 });
    await advanceUntil(() => steady(), 120_000);
    const failing = update({
      taskDefinition: register('web', {
        image: 'drydock/crash',
        environment: [{ name: 'CRASH_AFTER_MS', value: '1000' }],
      }),
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    }).deployments![0]!.id!;
    await advanceUntil(() => describeService().deployments![0]!.rolloutState === 'FAILED', 600_000, 500);
    const launched = serviceTasks().filter((task) => task.startedBy === failing).length;
    await world.advance(120_000);
    expect(serviceTasks().filter((task) => task.startedBy === failing)).toHaveLength(launched);
    expect(running().filter((task) => task.startedBy !== failing)).toHaveLength(1);
  });
});

describe('container instance draining for services (B.2)', () => {
  async function serviceOnThree(input: Record<string, unknown>) {
    for (const zone of ['us-east-1a', 'us-east-1b', 'us-east-1c']) world.launchInstance({ availabilityZone: zone });
    create({ taskDefinition: register(), placementStrategy: [{ type: 'spread', field: 'instanceId' }], ...input });
    await advanceUntil(() => steady(), 120_000);
  }

  it('min = max = 100 cannot drain, and says so in a service event', async () => {
    await serviceOnThree({
      desiredCount: 2,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 },
    });
    const [victim] = live();
    drain(victim!.containerInstanceId);
    await world.advance(600_000);
    expect(tasksTable().get(`000000000000/us-east-1/default/${victim!.taskId}`)!.lastStatus).toBe('RUNNING');
    expect(live()).toHaveLength(2);
    const deadlock =
      '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.';
    expect(messages()[0]).toBe(deadlock);
    expect(messages().filter((message) => message === deadlock)).toHaveLength(1);
  });

  it('draining replaces service tasks on other instances and leaves standalone ones', async () => {
    await serviceOnThree({ desiredCount: 2 });
    const [victim] = live();
    const instanceId = victim!.containerInstanceId;
    const standalone = world.call<{ tasks: Task[] }>('StartTask', {
      taskDefinition: 'web',
      containerInstances: [instanceId],
    }).tasks[0]!.taskArn!;
    await world.advance(2_000);
    drain(instanceId);
    await advanceUntil(
      () => live().every((task) => task.containerInstanceId !== instanceId),
      300_000,
      500,
      () => expect(healthy().length).toBeGreaterThanOrEqual(2),
    );
    expect(live()).toHaveLength(2);
    expect(tasksTable().get(`000000000000/us-east-1/default/${victim!.taskId}`)).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Service web: container instance is in DRAINING state',
    });
    expect(world.describeTask(standalone).lastStatus).toBe('RUNNING');
  });

  it('a PENDING service task on a draining instance is stopped at once', async () => {
    world.launchInstance();
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 1 });
    await world.advance(0);
    const [pending] = live();
    expect(['PROVISIONING', 'PENDING']).toContain(pending!.lastStatus);
    drain(pending!.containerInstanceId);
    await world.advance(0);
    expect(tasksTable().get(`000000000000/us-east-1/default/${pending!.taskId}`)!.desiredStatus).toBe('STOPPED');
    await world.advance(3_000);
    expect(running()).toHaveLength(1);
    expect(running()[0]!.containerInstanceId).not.toBe(pending!.containerInstanceId);
  });

  it('draining is complete only when no task is left in any non-STOPPED state', async () => {
    world.launchInstance();
    world.launchInstance();
    const targetGroupArn = world.targetGroups.create('web', { deregistrationDelayMs: 60_000 });
    create({
      taskDefinition: register(),
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
    });
    await advanceUntil(() => steady(), 120_000);
    const [victim] = live();
    drain(victim!.containerInstanceId);
    const record = () => instances().find((instance) => instance.containerInstanceId === victim!.containerInstanceId)!;
    const complete = () => isDrainComplete(record(), tasksTable().values());
    await advanceUntil(
      () => tasksTable().get(`000000000000/us-east-1/default/${victim!.taskId}`)!.lastStatus === 'DEACTIVATING',
      120_000,
      500,
    );
    // runningTasksCount already leaves the task out; the instance is not drained yet.
    expect(world.describeInstance(record().containerInstanceArn).runningTasksCount).toBe(0);
    expect(complete()).toBe(false);
    await advanceUntil(complete, 120_000, 500);
    expect(tasksTable().get(`000000000000/us-east-1/default/${victim!.taskId}`)!.lastStatus).toBe('STOPPED');
    expect(record().status).toBe('DRAINING');
  });
});

describe('load balancers (B.3 ACTIVATING/DEACTIVATING, F.2)', () => {
  it('a task behind a target group registers while ACTIVATING and counts once the target is healthy', async () => {
    world.launchInstance({ instanceId: 'i-00000000000000001' });
    const targetGroupArn = world.targetGroups.create('web', { healthyAfterMs: 20_000 });
    create({
      taskDefinition: register(),
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
    });
    await advanceUntil(() => running().length === 1, 10_000, 100);
    const [task] = running();
    const port = task!.containers[0]!.networkBindings[0]!.hostPort!;
    expect(world.targetGroups.targets(targetGroupArn)).toEqual([{ id: 'i-00000000000000001', port, state: 'initial' }]);
    const registration = world.targetGroups.calls.find((call) => call.call === 'register')!;
    expect(registration.atMs).toBeLessThanOrEqual(task!.startedAtMs!);
    expect(messages()).toContain(`(service web) registered 1 targets in (target-group ${targetGroupArn})`);
    await world.advance(10_000);
    expect(describeService().deployments![0]!.rolloutState).toBe('IN_PROGRESS');
    await advanceUntil(() => steady(), 30_000);
  });

  it('a task behind a target group deregisters and waits for the delay before SIGTERM', async () => {
    world.launchInstance();
    const targetGroupArn = world.targetGroups.create('web', { deregistrationDelayMs: 120_000 });
    create({
      taskDefinition: register(),
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
    });
    await advanceUntil(() => steady(), 120_000);
    const [task] = live();
    update({ desiredCount: 0 });
    await advanceUntil(() => world.targetGroups.calls.some((call) => call.call === 'deregister'), 5_000, 100);
    const deregisteredAt = world.targetGroups.calls.find((call) => call.call === 'deregister')!.atMs;
    expect(world.targetGroups.targets(targetGroupArn)[0]!.state).toBe('draining');
    const status = () => tasksTable().get(`000000000000/us-east-1/default/${task!.taskId}`)!.lastStatus;
    expect(status()).toBe('DEACTIVATING');
    await world.advance(110_000);
    expect(status()).toBe('DEACTIVATING');
    const sigterm = () => world.runtime.logs(task!.taskArn)[0]!.lines.find((line) => line.line === 'received SIGTERM');
    expect(sigterm()).toBeUndefined();
    await advanceUntil(() => status() === 'STOPPED', 20_000, 100);
    expect(sigterm()!.atMs - deregisteredAt).toBeGreaterThanOrEqual(120_000);
    expect(sigterm()!.atMs - deregisteredAt).toBeLessThanOrEqual(121_000);
    // The scheduler looks at the stopped task with the task changes batched with it.
    await world.advance(1_000);
    expect(messages().slice(0, 3)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) deregistered 1 targets in (target-group ${targetGroupArn})`,
      `(service web, taskSet ${task!.startedBy}) has begun draining connections on 1 tasks.`,
    ]);
  });

  it('a task whose target turns unhealthy is replaced: `Task failed ELB health checks in (target-group …)`', async () => {
    world.launchInstance({ instanceId: 'i-00000000000000001' });
    const targetGroupArn = world.targetGroups.create('web', { deregistrationDelayMs: 5_000 });
    create({
      taskDefinition: register(),
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
    });
    await advanceUntil(() => steady(), 120_000);
    const [task] = live();
    world.targetGroups.setHealth(targetGroupArn, task!.targets![0]!, 'unhealthy');
    // A steady service looks at its targets every 10 s.
    await world.advance(11_000);
    expect(tasksTable().get(`000000000000/us-east-1/default/${task!.taskId}`)).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: `Task failed ELB health checks in (target-group ${targetGroupArn})`,
    });
    expect(messages()).toContain(
      `(service web) (instance i-00000000000000001) (port ${task!.targets![0]!.port}) is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed).`,
    );
    // A health-check failure counts as a failed task; the replacement turning healthy resets it.
    expect(describeService().deployments![0]!.failedTasks).toBe(1);
    await advanceUntil(() => describeService().deployments![0]!.failedTasks === 0, 60_000);
    expect(world.targetGroups.targets(targetGroupArn).map((target) => target.state)).toEqual(['healthy']);
    expect(live()).toHaveLength(1);
  });

  it('healthCheckGracePeriodSeconds keeps an unhealthy task for that long after it started', async () => {
    world.launchInstance();
    const targetGroupArn = world.targetGroups.create('web', { deregistrationDelayMs: 5_000 });
    create({
      taskDefinition: register(),
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 120,
      loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
    });
    await advanceUntil(() => running().length === 1, 10_000, 100);
    const [task] = running();
    world.targetGroups.setHealth(targetGroupArn, task!.targets![0]!, 'unhealthy');
    const stopRequested = () =>
      tasksTable().get(`000000000000/us-east-1/default/${task!.taskId}`)!.desiredStatus === 'STOPPED';
    await world.advance(100_000);
    expect(stopRequested()).toBe(false);
    await advanceUntil(stopRequested, 30_000, 500);
    expect(world.clock.now() - task!.startedAtMs!).toBeGreaterThanOrEqual(120_000);
  });
});

describe('task scale-in protection (B.9)', () => {
  it('protected tasks survive scale-in, and the service says why it cannot reach steady state', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 3 });
    await advanceUntil(() => steady(), 120_000);
    const [first, second] = live();
    const result = world.call<{ protectedTasks: Array<{ protectionEnabled: boolean }>; failures: unknown[] }>(
      'UpdateTaskProtection',
      { tasks: [first!.taskArn, second!.taskArn], protectionEnabled: true, expiresInMinutes: 60 },
    );
    expect(result.failures).toEqual([]);
    expect(result.protectedTasks.map((task) => task.protectionEnabled)).toEqual([true, true]);

    update({ desiredCount: 1 });
    await world.advance(60_000);
    expect(
      live()
        .map((task) => task.taskId)
        .sort(),
    ).toEqual([first!.taskId, second!.taskId].sort());
    const deploymentId = describeService().deployments![0]!.id!;
    expect(messages()).toContain(
      `(service web) was unable to reach steady state because task set (${deploymentId}) was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.`,
    );

    // Protection lapses after its hour; then scale-in goes on.
    await world.advance(3_600_000);
    expect(live()).toHaveLength(1);
  });

  it('a deployment keeps protected old tasks until they are unprotected', async () => {
    world.launchInstance();
    create({
      taskDefinition: register(),
      desiredCount: 2,
      deploymentConfiguration: { minimumHealthyPercent: 50 },
    });
    await advanceUntil(() => steady(), 120_000);
    const [kept] = live();
    world.call('UpdateTaskProtection', { tasks: [kept!.taskArn], protectionEnabled: true });
    update({ taskDefinition: register() });
    await world.advance(180_000);
    expect(live().map((task) => task.taskId)).toContain(kept!.taskId);
    expect(describeService().deployments).toHaveLength(2);
    world.call('UpdateTaskProtection', { tasks: [kept!.taskArn], protectionEnabled: false });
    await advanceUntil(() => steady(), 60_000);
    expect(live().map((task) => task.taskId)).not.toContain(kept!.taskId);
  });
});

describe('service events (B.11) and EventBridge (B.12)', () => {
  it('steady state: posted once when reached, newest first, with SERVICE_STEADY_STATE', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 2 });
    await advanceUntil(() => steady(), 120_000);
    const events = describeService().events!;
    expect(events[0]!.message).toBe('(service web) has reached a steady state.');
    expect(events[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.map((event) => event.message)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${describeService().deployments![0]!.id}) deployment completed.`,
      expect.stringMatching(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/),
    ]);
    const action = world.events.find((event) => event.detailType === 'ECS Service Action')!;
    expect(action).toMatchObject({
      source: 'aws.ecs',
      resources: ['arn:aws:ecs:us-east-1:000000000000:service/default/web'],
      detail: {
        eventType: 'INFO',
        eventName: 'SERVICE_STEADY_STATE',
        clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
      },
    });
    await world.advance(3_600_000);
    expect(messages().filter((message) => message.endsWith('has reached a steady state.'))).toHaveLength(1);
    update({ desiredCount: 3 });
    await advanceUntil(() => live().length === 3 && healthy().length === 3, 120_000);
    await world.advance(1_000);
    expect(messages()[0]).toBe('(service web) has reached a steady state.');
    expect(messages().filter((message) => message.endsWith('has reached a steady state.'))).toHaveLength(2);
  });

  it('unable to place: names the closest matching container instance, with SERVICE_TASK_PLACEMENT_FAILURE', async () => {
    world.launchInstance({ instanceType: 't3.micro' });
    create({ taskDefinition: register('big', { memory: 4096 } as ContainerInput), desiredCount: 1 });
    await world.advance(1_000);
    const [instance] = instances();
    expect(messages()[0]).toBe(
      `(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${instance!.containerInstanceId}) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
    );
    expect(busEvents('ECS Service Action')).toEqual([
      expect.objectContaining({
        eventType: 'ERROR',
        eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
        reason: 'RESOURCE:MEMORY',
      }),
    ]);
    // A bigger instance arrives: the task is placed there.
    world.launchInstance({ instanceType: 'm5.large' });
    await world.advance(2_000);
    expect(running()).toHaveLength(1);
  });

  it('no container instances at all: says so', async () => {
    create({ taskDefinition: register(), desiredCount: 1 });
    await world.advance(1_000);
    expect(messages()[0]).toBe(
      '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
  });

  it('keeps the 100 latest events', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 1 });
    for (let round = 0; round < 120; round += 1) {
      update({ desiredCount: round % 2 === 0 ? 2 : 1 });
      await world.advance(3_000);
    }
    const events = describeService().events!;
    expect(events).toHaveLength(100);
    const times = events.map((event) => event.createdAt!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });
});

describe('the start throttle (`DG:ecs/service-throttle-logic`)', () => {
  it('tasks that keep failing to start are launched less and less often, and the service says so', async () => {
    world.launchInstance();
    // The app waits for an init container that always fails: the task never gets to RUNNING.
    const failing = register('web', { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }, [
      { name: 'init', image: 'drydock/crash', essential: false, environment: [{ name: 'CRASH_AFTER_MS', value: '0' }] },
    ]);
    create({ taskDefinition: failing, desiredCount: 1 });
    await world.advance(600_000);
    const launches = serviceTasks()
      .map((task) => task.createdAtMs)
      .sort((a, b) => a - b);
    expect(serviceTasks().every((task) => task.startedAtMs === undefined)).toBe(true);
    const gaps = launches.slice(1).map((at, index) => at - launches[index]!);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]! * 4);
    expect(messages()).toContain('(service web) is unable to consistently start tasks successfully.');
    expect(busEvents('ECS Service Action')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventType: 'WARN', eventName: 'SERVICE_TASK_START_IMPAIRED' }),
      ]),
    );
    // A new task definition ends the throttle: it starts at once.
    update({ taskDefinition: register() });
    await world.advance(2_000);
    expect(running()).toHaveLength(1);
  });
});

describe('DAEMON services', () => {
  it('one task on every instance; a new instance gets one; desiredCount follows', async () => {
    world.launchInstance();
    world.launchInstance();
    const created = create({ taskDefinition: register(), schedulingStrategy: 'DAEMON' });
    expect(created.deploymentConfiguration).toMatchObject({ minimumHealthyPercent: 0, maximumPercent: 100 });
    await world.advance(2_000);
    expect(running()).toHaveLength(2);
    expect(new Set(running().map((task) => task.containerInstanceId)).size).toBe(2);
    world.launchInstance();
    await world.advance(2_000);
    expect(running()).toHaveLength(3);
    expect(describeService().desiredCount).toBe(3);
    expect(busEvents('ECS Service Action')).toEqual(
      expect.arrayContaining([expect.objectContaining({ eventName: 'SERVICE_DESIRED_COUNT_UPDATED' })]),
    );
  });

  it('on a draining instance the daemon task stops after the other tasks', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), schedulingStrategy: 'DAEMON' });
    const standalone = world.call<{ tasks: Task[] }>('RunTask', { taskDefinition: 'web' }).tasks[0]!.taskArn!;
    await world.advance(2_000);
    const [daemon] = live();
    drain(daemon!.containerInstanceId);
    await world.advance(60_000);
    expect(live()).toHaveLength(1);
    world.call('StopTask', { task: standalone });
    await world.advance(5_000);
    expect(live()).toHaveLength(0);
  });
});

describe('DeleteService', () => {
  it('DRAINING while its tasks stop, then INACTIVE', async () => {
    world.launchInstance();
    create({ taskDefinition: register(), desiredCount: 2 });
    await advanceUntil(() => steady(), 120_000);
    const deleted = world.call<{ service: Service }>('DeleteService', { service: 'web', force: true }).service;
    expect(deleted).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    expect(world.call<{ serviceArns: string[] }>('ListServices', {}).serviceArns).toHaveLength(1);
    await advanceUntil(() => describeService().status === 'INACTIVE', 60_000);
    expect(live()).toHaveLength(0);
    expect(world.call<{ serviceArns: string[] }>('ListServices', {}).serviceArns).toEqual([]);
    // The name can be used again.
    expect(create({ taskDefinition: 'web', desiredCount: 0 }).status).toBe('ACTIVE');
  });
});
