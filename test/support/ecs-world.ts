/**
 * A small ECS world on virtual time for scenario tests: the ECS service over an in-memory store,
 * the simulated task runtime, a recording event bus, a small fake of ELBv2's target groups
 * (targets go `initial` → `healthy` after a while unless a test drives their health; a
 * deregistered target is `draining` for the group's deregistration delay, on the clock), and EC2
 * instance facts made up on demand (as EC2 would report them), so tests read like the docs:
 * launch instances, run tasks, advance the clock, look.
 */
import type { ContainerInstance, Task } from '@aws-sdk/client-ecs';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import type { InstanceStateChange, InstanceStateName } from '../../src/services/ec2/ports.js';
import type { AwsEventInput } from '../../src/services/events/ports.js';
import type { Clock, TimerId } from '../../src/kernel/clock.js';
import type { InstanceTypeFacts, LoadBalancerTargetsPort, TaskRuntimePort } from '../../src/services/ecs/ports.js';
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

export type FakeTargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface FakeTargetGroupOptions {
  targetType?: 'instance' | 'ip';
  /** `deregistration_delay.timeout_seconds`, in ms; ELBv2's default is 300 s. */
  deregistrationDelayMs?: number;
  /** How long a new target stays `initial` before it turns `healthy` (unless a test drives it). */
  healthyAfterMs?: number;
}

/** ELBv2's target groups as ECS sees them through LoadBalancerTargetsPort, plus test controls. */
export interface FakeTargetGroups extends LoadBalancerTargetsPort {
  /** A new target group; returns its ARN. */
  create(name: string, options?: FakeTargetGroupOptions): string;
  /** Drives a registered target's health (it stays so until driven again or deregistered). */
  setHealth(targetGroupArn: string, target: { id: string; port?: number }, state: 'healthy' | 'unhealthy'): void;
  /** The targets the group has (registered or still draining), with their states. */
  targets(targetGroupArn: string): Array<{ id: string; port?: number; state: FakeTargetState }>;
  /** Every register/deregister call, in order. */
  calls: Array<{ atMs: number; call: 'register' | 'deregister'; targetGroupArn: string; id: string; port?: number }>;
}

export function fakeTargetGroups(clock: Clock): FakeTargetGroups {
  interface Target {
    id: string;
    port?: number;
    state: FakeTargetState;
    timer?: TimerId;
  }
  interface Group {
    targetType: 'instance' | 'ip';
    deregistrationDelayMs: number;
    healthyAfterMs: number;
    targets: Map<string, Target>;
  }
  const groups = new Map<string, Group>();
  const keyOf = (target: { id: string; port?: number }) => `${target.id}:${target.port ?? ''}`;
  const group = (arn: string) => {
    const found = groups.get(arn);
    if (!found) throw new Error(`TargetGroupNotFound: ${arn}`);
    return found;
  };
  const cancel = (target: Target) => {
    if (target.timer !== undefined) clock.cancel(target.timer);
    delete target.timer;
  };
  let count = 0;
  const fake: FakeTargetGroups = {
    calls: [],
    create(name, options = {}) {
      count += 1;
      const arn = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/${String(count).padStart(16, '0')}`;
      groups.set(arn, {
        targetType: options.targetType ?? 'instance',
        deregistrationDelayMs: options.deregistrationDelayMs ?? 300_000,
        healthyAfterMs: options.healthyAfterMs ?? 10_000,
        targets: new Map(),
      });
      return arn;
    },
    exists: (_scope, arn) => groups.has(arn),
    targetType: (_scope, arn) => groups.get(arn)?.targetType,
    register(_scope, arn, targets) {
      const found = group(arn);
      for (const spec of targets) {
        fake.calls.push({ atMs: clock.now(), call: 'register', targetGroupArn: arn, ...spec });
        const existing = found.targets.get(keyOf(spec));
        if (existing) cancel(existing);
        const target: Target = { ...spec, state: 'initial' };
        target.timer = clock.after(found.healthyAfterMs, () => {
          delete target.timer;
          if (target.state === 'initial') target.state = 'healthy';
        });
        found.targets.set(keyOf(spec), target);
      }
    },
    deregister(_scope, arn, targets) {
      const found = group(arn);
      for (const spec of targets) {
        fake.calls.push({ atMs: clock.now(), call: 'deregister', targetGroupArn: arn, ...spec });
        const target = found.targets.get(keyOf(spec));
        if (!target || target.state === 'draining') continue;
        cancel(target);
        target.state = 'draining';
        target.timer = clock.after(found.deregistrationDelayMs, () => {
          if (found.targets.get(keyOf(spec)) === target) found.targets.delete(keyOf(spec));
        });
      }
    },
    state: (_scope, arn, target) => groups.get(arn)?.targets.get(keyOf(target))?.state,
    setHealth(arn, spec, state) {
      const target = group(arn).targets.get(keyOf(spec));
      if (!target || target.state === 'draining') throw new Error(`no registered target ${keyOf(spec)} in ${arn}`);
      cancel(target);
      target.state = state;
    },
    targets: (arn) => [...group(arn).targets.values()].map(({ id, port, state }) => ({ id, port, state })),
  };
  return fake;
}

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
  targetGroups: FakeTargetGroups;
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
  const targetGroups = fakeTargetGroups(clock);
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
      loadBalancerTargets: targetGroups,
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
    targetGroups,
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
