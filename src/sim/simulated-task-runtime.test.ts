import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../kernel/random.js';
import { VirtualClock } from '../kernel/virtual-clock.js';
import type { ContainerSpec, TaskRuntimeListener, TaskRuntimePort, TaskSpec } from '../services/ecs/ports.js';
import {
  createSimulatedTaskRuntime,
  drydockImageName,
  SIMULATED_START_DELAY_MS,
  SIMULATED_START_JITTER_MS,
} from './simulated-task-runtime.js';

let clock: VirtualClock;
let runtime: TaskRuntimePort;
let facts: string[];

const listener: TaskRuntimeListener = {
  containerStarted: (_task, name) => facts.push(`${clock.now() - START}: ${name} started`),
  containerExited: (_task, name, code, reason) =>
    facts.push(`${clock.now() - START}: ${name} exited ${String(code)}${reason ? ` (${reason})` : ''}`),
  containerHealthChanged: (_task, name, status) => facts.push(`${clock.now() - START}: ${name} ${status}`),
};
let START: number;

beforeEach(() => {
  clock = new VirtualClock();
  START = clock.now();
  facts = [];
  runtime = createSimulatedTaskRuntime({ clock, random: seededRandom(1), listener: () => listener });
});
afterEach(() => clock.close());

function container(name: string, image: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name,
    image,
    essential: true,
    entryPoint: [],
    command: [],
    environment: {},
    portMappings: [],
    stopTimeoutMs: 30_000,
    dependsOn: [],
    ...overrides,
  };
}

function task(...containers: ContainerSpec[]): TaskSpec {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/t1',
    taskId: 't1',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    containerInstanceArn: 'arn:ci',
    ec2InstanceId: 'i-1',
    availabilityZone: 'us-east-1a',
    family: 'f',
    revision: 1,
    hostAddress: '127.1.0.1',
    containers,
  };
}

const startedAt = () => Number(facts[0]!.split(':')[0]);

describe('the simulated runtime', () => {
  it('recognises drydock images by name, with any tag or digest', () => {
    expect(drydockImageName('drydock/worker')).toBe('worker');
    expect(drydockImageName('docker.io/drydock/crash:1.2')).toBe('crash');
    expect(drydockImageName('drydock/http-echo@sha256:abc')).toBe('http-echo');
    expect(drydockImageName('nginx:1.27')).toBeUndefined();
  });

  it('starts a container after the simulated delay, and a second start of the task is ignored', async () => {
    runtime.start(task(container('web', 'drydock/http-echo')));
    runtime.start(task(container('web', 'drydock/http-echo')));
    await clock.advanceBy(SIMULATED_START_DELAY_MS - 1);
    expect(facts).toEqual([]);
    await clock.advanceBy(SIMULATED_START_JITTER_MS + 1);
    expect(facts).toHaveLength(1);
    expect(startedAt()).toBeGreaterThanOrEqual(SIMULATED_START_DELAY_MS);
  });

  it('drydock/crash exits with CRASH_EXIT_CODE CRASH_AFTER_MS after it started', async () => {
    runtime.start(
      task(container('app', 'drydock/crash', { environment: { CRASH_EXIT_CODE: '42', CRASH_AFTER_MS: '2500' } })),
    );
    await clock.advanceBy(10_000);
    expect(facts[1]).toBe(`${startedAt() + 2500}: app exited 42`);
  });

  it('drydock/worker takes WORKER_SHUTDOWN_MS after SIGTERM, or is SIGKILLed (137) at stopTimeout', async () => {
    runtime.start(
      task(
        container('quick', 'drydock/worker', { environment: { WORKER_SHUTDOWN_MS: '1000' }, stopTimeoutMs: 5_000 }),
        container('slow', 'drydock/worker', { environment: { WORKER_SHUTDOWN_MS: '9000' }, stopTimeoutMs: 5_000 }),
      ),
    );
    await clock.advanceBy(2_000);
    const stopAt = clock.now() - START;
    runtime.stop('arn:aws:ecs:us-east-1:000000000000:task/default/t1');
    await clock.advanceBy(10_000);
    expect(facts.slice(2)).toEqual([`${stopAt + 1000}: quick exited 0`, `${stopAt + 5000}: slow exited 137`]);
    const logs = runtime.logs('arn:aws:ecs:us-east-1:000000000000:task/default/t1', 'slow');
    expect(logs[0]!.lines.map((line) => line.line)).toEqual([
      '[drydock sim] drydock/worker started',
      'received SIGTERM',
      'still running after stopTimeout (5000 ms): SIGKILL',
      'exited with code 137',
    ]);
  });

  it('dependsOn HEALTHY waits for the health check; a stop before start reports nothing', async () => {
    runtime.start(
      task(
        container('db', 'drydock/tcp-echo', {
          healthCheck: { command: ['CMD', 'true'], intervalMs: 5_000, timeoutMs: 1_000, retries: 3, startPeriodMs: 0 },
        }),
        container('app', 'drydock/http-echo', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ),
    );
    await clock.advanceBy(5_000);
    expect(facts.map((fact) => fact.split(': ')[1])).toEqual(['db started']);
    await clock.advanceBy(2_000);
    expect(facts.map((fact) => fact.split(': ')[1])).toEqual(['db started', 'db HEALTHY']);
    runtime.stop('arn:aws:ecs:us-east-1:000000000000:task/default/t1');
    await clock.advanceBy(60_000);
    expect(facts.map((fact) => fact.split(': ')[1])).toEqual(['db started', 'db HEALTHY', 'db exited 0']);
  });

  it('a dependency that can no longer be met fails the dependent container to start', async () => {
    runtime.start(
      task(
        container('init', 'drydock/crash', { environment: { CRASH_EXIT_CODE: '1', CRASH_AFTER_MS: '100' } }),
        container('app', 'drydock/http-echo', { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
      ),
    );
    await clock.advanceBy(5_000);
    expect(facts.map((fact) => fact.split(': ').slice(1).join(': '))).toEqual([
      'init started',
      'init exited 1',
      'app exited null (dependency init can no longer reach SUCCESS)',
    ]);
  });

  it('logs of an unknown task are empty', () => {
    expect(runtime.logs('arn:nope')).toEqual([]);
  });
});
