import { describe, expect, it } from 'vitest';
import {
  applyContainerExited,
  applyContainerHealth,
  applyContainerStarted,
  ESSENTIAL_CONTAINER_EXITED,
  planTask,
  requestStop,
  TARGET_DRAIN_POLL_MS,
} from './task-lifecycle.js';
import { STOPPED_TASK_RETENTION_MS, type ContainerRecord, type TaskRecord } from './task.js';

const NOW = 1_000_000;

function container(name: string, overrides: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    containerArn: `arn:container/${name}`,
    name,
    image: 'drydock/http-echo',
    essential: true,
    cpu: 0,
    lastStatus: 'PENDING',
    networkBindings: [],
    ...overrides,
  };
}

function task(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    accountId: '000000000000',
    region: 'us-east-1',
    clusterName: 'default',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    taskId: 't1',
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/t1',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
    family: 'web',
    revision: 1,
    containerInstanceId: 'ci1',
    containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/ci1',
    ec2InstanceId: 'i-1',
    availabilityZone: 'us-east-1a',
    cpuArchitecture: 'x86_64',
    cpuUnits: 0,
    memoryMiB: 128,
    hostPortsTcp: [],
    hostPortsUdp: [],
    group: 'family:web',
    overrides: {},
    tags: [],
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    createdAtMs: 0,
    updatedAtMs: 0,
    version: 1,
    containers: [container('app')],
    spec: {} as TaskRecord['spec'],
    runtimeStarted: false,
    runtimeStopRequested: false,
    protection: { enabled: false },
    ...overrides,
  };
}

const running = (overrides: Partial<TaskRecord> = {}) =>
  task({
    lastStatus: 'RUNNING',
    runtimeStarted: true,
    startedAtMs: 10,
    containers: [container('app', { lastStatus: 'RUNNING', startedAtMs: 5 })],
    ...overrides,
  });

describe('planTask: one lifecycle step at a time (B.3)', () => {
  const cases: Array<{
    name: string;
    given: TaskRecord;
    status?: TaskRecord['lastStatus'];
    startRuntime?: boolean;
    stopRuntime?: boolean;
    publish?: boolean;
    check?: (next: TaskRecord) => void;
  }> = [
    {
      name: 'provisioning-moves-to-pending-with-connectivity',
      given: task(),
      status: 'PENDING',
      publish: true,
      check: (next) => expect(next.connectivityAtMs).toBe(NOW),
    },
    {
      name: 'pending-asks-the-runtime-to-start-once',
      given: task({ lastStatus: 'PENDING' }),
      status: 'PENDING',
      startRuntime: true,
      publish: false,
      check: (next) => {
        expect(next.runtimeStarted).toBe(true);
        expect(next.pullStartedAtMs).toBe(NOW);
      },
    },
    {
      name: 'pending-waits-while-a-container-is-still-pending',
      given: task({
        lastStatus: 'PENDING',
        runtimeStarted: true,
        containers: [container('app', { lastStatus: 'RUNNING' }), container('sidecar')],
      }),
      status: 'PENDING',
      publish: false,
    },
    {
      name: 'pending-becomes-activating-once-every-container-started',
      given: task({
        lastStatus: 'PENDING',
        runtimeStarted: true,
        containers: [
          container('app', { lastStatus: 'RUNNING', startedAtMs: 700 }),
          container('init', { essential: false, lastStatus: 'STOPPED', exitCode: 0, startedAtMs: 600 }),
        ],
      }),
      status: 'ACTIVATING',
      publish: true,
      check: (next) => expect(next.pullStoppedAtMs).toBe(600),
    },
    {
      name: 'activating-becomes-running-with-startedAt',
      given: task({ lastStatus: 'ACTIVATING', runtimeStarted: true }),
      status: 'RUNNING',
      check: (next) => expect(next.startedAtMs).toBe(NOW),
    },
    {
      name: 'running-stays-running',
      given: running(),
      status: 'RUNNING',
      publish: false,
    },
    {
      name: 'an-essential-container-exit-sets-desired-stopped',
      given: running({ containers: [container('app', { lastStatus: 'STOPPED', exitCode: 2 })] }),
      status: 'RUNNING',
      publish: true,
      check: (next) => {
        expect(next.desiredStatus).toBe('STOPPED');
        expect(next.stopCode).toBe('EssentialContainerExited');
        expect(next.stoppedReason).toBe(ESSENTIAL_CONTAINER_EXITED);
      },
    },
    {
      name: 'a-non-essential-container-exit-leaves-the-task-running',
      given: running({
        containers: [
          container('app', { lastStatus: 'RUNNING' }),
          container('job', { essential: false, lastStatus: 'STOPPED', exitCode: 1 }),
        ],
      }),
      status: 'RUNNING',
      publish: false,
    },
    {
      name: 'a-container-that-cannot-start-fails-the-task-to-start',
      given: task({
        lastStatus: 'PENDING',
        runtimeStarted: true,
        containers: [container('app', { lastStatus: 'STOPPED', reason: 'spawn ENOENT' })],
      }),
      status: 'PENDING',
      check: (next) => {
        expect(next.stopCode).toBe('TaskFailedToStart');
        expect(next.stoppedReason).toBe('CannotStartContainerError: spawn ENOENT');
      },
    },
    {
      name: 'running-with-desired-stopped-deactivates-first',
      given: running({ desiredStatus: 'STOPPED' }),
      status: 'DEACTIVATING',
      check: (next) => expect(next.stoppingAtMs).toBe(NOW),
    },
    {
      name: 'deactivating-moves-to-stopping',
      given: running({ desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING', stoppingAtMs: 50 }),
      status: 'STOPPING',
      check: (next) => expect(next.stoppingAtMs).toBe(50),
    },
    {
      name: 'stopping-asks-the-runtime-to-stop-once',
      given: running({ desiredStatus: 'STOPPED', lastStatus: 'STOPPING' }),
      status: 'STOPPING',
      stopRuntime: true,
      publish: false,
      check: (next) => expect(next.runtimeStopRequested).toBe(true),
    },
    {
      name: 'stopping-waits-for-running-containers',
      given: running({ desiredStatus: 'STOPPED', lastStatus: 'STOPPING', runtimeStopRequested: true }),
      status: 'STOPPING',
      publish: false,
    },
    {
      name: 'stopping-ends-when-no-container-runs',
      given: running({
        desiredStatus: 'STOPPED',
        lastStatus: 'STOPPING',
        runtimeStopRequested: true,
        containers: [container('app', { lastStatus: 'STOPPED', exitCode: 0 }), container('late')],
      }),
      status: 'DEPROVISIONING',
      check: (next) => {
        expect(next.executionStoppedAtMs).toBe(NOW);
        expect(next.containers.map((c) => c.lastStatus)).toEqual(['STOPPED', 'STOPPED']);
      },
    },
    {
      name: 'deprovisioning-ends-stopped',
      given: running({ desiredStatus: 'STOPPED', lastStatus: 'DEPROVISIONING' }),
      status: 'STOPPED',
      check: (next) => expect(next.stoppedAtMs).toBe(NOW),
    },
    {
      name: 'a-task-stopped-before-its-runtime-started-skips-stopping',
      given: task({ lastStatus: 'PENDING', desiredStatus: 'STOPPED' }),
      status: 'DEPROVISIONING',
      stopRuntime: false,
    },
    {
      name: 'a-lost-host-stops-the-task-at-once',
      given: running({ desiredStatus: 'STOPPED', hostLost: true }),
      status: 'STOPPED',
      stopRuntime: true,
      check: (next) => expect(next.containers[0]!.lastStatus).toBe('STOPPED'),
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const step = planTask(testCase.given, NOW);
      if (testCase.status) expect(step.next.lastStatus).toBe(testCase.status);
      expect(step.startRuntime).toBe(testCase.startRuntime ?? false);
      expect(step.stopRuntime).toBe(testCase.stopRuntime ?? false);
      const publish = testCase.publish ?? true;
      expect(step.publish).toBe(publish);
      expect(step.next.version).toBe(testCase.given.version + (publish ? 1 : 0));
      testCase.check?.(step.next);
    });
  }
});

describe('deadlines', () => {
  it('a STOPPED task is requeued for its retention, then forgotten', () => {
    const stopped = running({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAtMs: NOW });
    expect(planTask(stopped, NOW).requeueAtMs).toBe(NOW + STOPPED_TASK_RETENTION_MS);
    expect(planTask(stopped, NOW + STOPPED_TASK_RETENTION_MS - 1).remove).toBe(false);
    expect(planTask(stopped, NOW + STOPPED_TASK_RETENTION_MS).remove).toBe(true);
  });

  it('protection is requeued for its expiry and lapses then, without a version bump', () => {
    const protectedTask = running({ protection: { enabled: true, expiresAtMs: NOW + 60_000 } });
    expect(planTask(protectedTask, NOW).requeueAtMs).toBe(NOW + 60_000);
    const lapsed = planTask(protectedTask, NOW + 60_000);
    expect(lapsed.next.protection).toEqual({ enabled: false });
    expect(lapsed.next.version).toBe(protectedTask.version);
  });
});

describe('facts from the runtime', () => {
  it('a start is recorded once, with its runtime id', () => {
    const started = applyContainerStarted(task({ lastStatus: 'PENDING' }), 'app', { pid: 42, runtimeId: 'abc' }, NOW)!;
    expect(started.containers[0]).toMatchObject({ lastStatus: 'RUNNING', runtimeId: 'abc', pid: 42, startedAtMs: NOW });
    expect(started.version).toBe(2);
    expect(applyContainerStarted(started, 'app', { pid: 43, runtimeId: 'def' }, NOW)).toBeUndefined();
  });

  it('an exit records the code, and the reason only when there is one', () => {
    const exited = applyContainerExited(running(), 'app', 137, '', NOW)!;
    expect(exited.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 137 });
    expect(exited.containers[0]!.reason).toBeUndefined();
    const failed = applyContainerExited(running(), 'app', null, 'x'.repeat(2000), NOW)!;
    expect(failed.containers[0]!.exitCode).toBeUndefined();
    expect(failed.containers[0]!.reason).toHaveLength(1024);
  });

  it('facts about a STOPPED task or an unknown container change nothing', () => {
    const stopped = running({ lastStatus: 'STOPPED' });
    expect(applyContainerExited(stopped, 'app', 0, '', NOW)).toBeUndefined();
    expect(applyContainerExited(running(), 'nope', 0, '', NOW)).toBeUndefined();
  });

  it('health is recorded only for containers with a health check', () => {
    expect(applyContainerHealth(running(), 'app', 'HEALTHY', NOW)).toBeUndefined();
    const checked = running({ containers: [container('app', { lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' })] });
    expect(applyContainerHealth(checked, 'app', 'HEALTHY', NOW)!.containers[0]!.healthStatus).toBe('HEALTHY');
  });

  it('requestStop keeps the first cause', () => {
    const first = requestStop(running(), 'UserInitiated', 'Task stopped by user', NOW);
    expect(first).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated' });
    expect(requestStop(first, 'EssentialContainerExited', 'later', NOW)).toBe(first);
  });
});

describe('a service task behind load balancers (B.3 ACTIVATING / DEACTIVATING)', () => {
  const targets = [
    { targetGroupArn: 'arn:tg/a', containerName: 'app', containerPort: 8080, id: 'i-1', port: 49153 },
  ] satisfies TaskRecord['targets'];
  const activating = task({
    lastStatus: 'ACTIVATING',
    runtimeStarted: true,
    containers: [container('app', { lastStatus: 'RUNNING' })],
    targets,
  });

  it('registers its targets while ACTIVATING (no event of its own), then goes RUNNING', () => {
    const register = planTask(activating, NOW);
    expect(register).toMatchObject({ registerTargets: true, publish: false, deregisterTargets: false });
    expect(register.next).toMatchObject({ lastStatus: 'ACTIVATING', targetsState: 'registered' });
    const run = planTask(register.next, NOW);
    expect(run.registerTargets).toBe(false);
    expect(run.next).toMatchObject({ lastStatus: 'RUNNING', startedAtMs: NOW });
  });

  it('deregisters while DEACTIVATING, waits while a target group says draining, then STOPPING', () => {
    const deactivating = running({
      lastStatus: 'DEACTIVATING',
      desiredStatus: 'STOPPED',
      targets,
      targetsState: 'registered',
    });
    const deregister = planTask(deactivating, NOW);
    expect(deregister).toMatchObject({ deregisterTargets: true, stopRuntime: false });
    expect(deregister.next).toMatchObject({ lastStatus: 'DEACTIVATING', targetsState: 'deregistered' });
    const waiting = planTask(deregister.next, NOW, { targetsDraining: true });
    expect(waiting.next).toBe(deregister.next);
    expect(waiting.requeueAtMs).toBe(NOW + TARGET_DRAIN_POLL_MS);
    const stopping = planTask(deregister.next, NOW + 300_000, { targetsDraining: false });
    expect(stopping.next.lastStatus).toBe('STOPPING');
  });

  it('a task without targets goes straight through', () => {
    const plain = running({ lastStatus: 'DEACTIVATING', desiredStatus: 'STOPPED' });
    expect(planTask(plain, NOW, { targetsDraining: true }).next.lastStatus).toBe('STOPPING');
  });

  it('a lost host deregisters the targets with nothing to wait for', () => {
    const lost = running({ targets, targetsState: 'registered', hostLost: true });
    const step = planTask(lost, NOW);
    expect(step.deregisterTargets).toBe(true);
    expect(step.next).toMatchObject({ lastStatus: 'STOPPED', targetsState: 'deregistered' });
  });
});
