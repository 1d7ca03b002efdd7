/**
 * A small ECS world on virtual time for scenario tests: the ECS service over an in-memory store,
 * the simulated task runtime, a recording event bus, and EC2 instance facts made up on demand
 * (as EC2 would report them), so tests read like the docs: launch instances, run tasks, advance
 * the clock, look.
 */
import type { ContainerInstance, Task } from '@aws-sdk/client-ecs';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import type { InstanceStateChange, InstanceStateName } from '../../src/services/ec2/ports.js';
import type { AwsEventInput } from '../../src/services/events/ports.js';
import type { InstanceTypeFacts, TaskRuntimePort } from '../../src/services/ecs/ports.js';
import { createEcsService, type EcsService } from '../../src/services/ecs/service.js';
import { ecsMigrations } from '../../src/services/ecs/store.js';
import { createSimulatedTaskRuntime } from '../../src/sim/simulated-task-runtime.js';
import { openStore, type Store } from '../../src/store/store.js';

export const TEST_INSTANCE_TYPES: Record<string, InstanceTypeFacts> = {
  't3.micro': { vCpus: 2, memoryMiB: 1024, architecture: 'x86_64' },
  't3.medium': { vCpus: 2, memoryMiB: 4096, architecture: 'x86_64' },
  'm5.large': { vCpus: 2, memoryMiB: 8192, architecture: 'x86_64' },
  'c5.xlarge': { vCpus: 4, memoryMiB: 8192, architecture: 'x86_64' },
  'm6g.large': { vCpus: 2, memoryMiB: 8192, architecture: 'arm64' },
};

export interface LaunchOptions {
  instanceType?: string;
  availabilityZone?: string;
  userData?: string;
  instanceId?: string;
  imageId?: string;
}

export interface EcsWorld {
  clock: VirtualClock;
  store: Store;
  service: EcsService;
  runtime: TaskRuntimePort;
  events: AwsEventInput[];
  scope: { accountId: string; region: string };
  /** Calls an ECS operation as the gateway would, after validation. */
  call<T = Record<string, unknown>>(operation: string, input: object): T;
  /** EC2 reports a new instance running; returns its instance id. */
  launchInstance(options?: LaunchOptions): string;
  /** EC2 reports a state change of an instance launched with launchInstance. */
  setInstanceState(instanceId: string, state: InstanceStateName): void;
  advance(ms: number): Promise<void>;
  describeTask(taskArn: string, cluster?: string): Task;
  describeInstance(containerInstanceArn: string, cluster?: string): ContainerInstance;
  close(): Promise<void>;
}

export function ecsWorld(options: { seed?: number } = {}): EcsWorld {
  const clock = new VirtualClock();
  const random = seededRandom(options.seed ?? 1);
  const store = openStore({ location: 'memory', migrations: ecsMigrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const events: AwsEventInput[] = [];
  const instances = new Map<string, InstanceStateChange>();
  const scope = { accountId: '000000000000', region: 'us-east-1' };
  let instanceCount = 0;
  // eslint-disable-next-line prefer-const
  let service: EcsService;
  const runtime = createSimulatedTaskRuntime({
    clock,
    random: random.fork('runtime'),
    listener: () => service.runtimeListener,
  });
  service = createEcsService({
    store,
    clock,
    random,
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: { publish: (event) => events.push(event) },
      taskRuntime: runtime,
      instanceTypes: { describe: (instanceType) => TEST_INSTANCE_TYPES[instanceType] },
    },
  });

  const context = (operationName: string): RequestContext => ({
    ...scope,
    requestId: 'test-request',
    serviceId: 'ecs',
    operationName,
  });

  const world: EcsWorld = {
    clock,
    store,
    service,
    runtime,
    events,
    scope,
    call<T>(operation: string, input: object): T {
      const handler = service.operations[operation];
      if (!handler) throw new Error(`ECS does not implement ${operation}`);
      return handler(input as never, context(operation)) as T;
    },
    launchInstance(launch: LaunchOptions = {}) {
      instanceCount += 1;
      const instanceId = launch.instanceId ?? `i-${String(instanceCount).padStart(17, '0')}`;
      const change: InstanceStateChange = {
        ...scope,
        instanceId,
        previousState: 'pending',
        state: 'running',
        instanceType: launch.instanceType ?? 'm5.large',
        availabilityZone: launch.availabilityZone ?? 'us-east-1a',
        subnetId: 'subnet-00000000000000001',
        privateIpAddress: `10.0.0.${instanceCount}`,
        imageId: launch.imageId ?? 'ami-0ecs00000000000001',
        userData: launch.userData ?? '#!/bin/bash\necho ECS_CLUSTER=default >> /etc/ecs/ecs.config\n',
        tags: {},
        launchTimeMs: clock.now(),
        reason: '',
      };
      instances.set(instanceId, change);
      service.instanceStateChanged(change);
      return instanceId;
    },
    setInstanceState(instanceId, state) {
      const previous = instances.get(instanceId);
      if (!previous) throw new Error(`no instance ${instanceId}`);
      const change = { ...previous, previousState: previous.state, state };
      instances.set(instanceId, change);
      service.instanceStateChanged(change);
    },
    async advance(ms) {
      await clock.advanceBy(ms);
    },
    describeTask(taskArn, cluster) {
      const result = world.call<{ tasks: Task[] }>('DescribeTasks', { cluster, tasks: [taskArn] });
      const task = result.tasks[0];
      if (!task) throw new Error(`task ${taskArn} is not describable`);
      return task;
    },
    describeInstance(containerInstanceArn, cluster) {
      const result = world.call<{ containerInstances: ContainerInstance[] }>('DescribeContainerInstances', {
        cluster,
        containerInstances: [containerInstanceArn],
      });
      return result.containerInstances[0]!;
    },
    async close() {
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  };
  return world;
}
