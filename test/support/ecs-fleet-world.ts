/**
 * An ECS-on-EC2 fleet on virtual time for capacity-provider scenarios: the real EC2, Auto Scaling
 * and ECS services over one in-memory store and control loop, wired as src/main.ts wires them —
 * EC2's instance state changes go to Auto Scaling and to ECS's agent, ECS drives Auto Scaling
 * through its `ecsCapacityPort`, and every `EC2 Instance-terminate Lifecycle Action` event Auto
 * Scaling publishes is forwarded to `ecs.lifecycleActionStarted`. Tasks run on the simulated
 * runtime; ECS's target groups are ecs-world's fake. Tests read like the docs: make a launch
 * template and a group, a capacity provider and a service, advance the clock, look.
 */
import type { ContainerInstance, Service, Task } from '@aws-sdk/client-ecs';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { OperationTable, RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import { createAutoScalingService, type AutoScalingService } from '../../src/services/autoscaling/service.js';
import { autoscalingMigrations } from '../../src/services/autoscaling/store.js';
import type { AwsEventInput } from '../../src/services/events/ports.js';
import { createEc2Service, ec2Migrations, type Ec2Service } from '../../src/services/ec2/service.js';
import { instanceTypeSpec } from '../../src/services/ec2/instance-types.js';
import type { InstanceStateChange } from '../../src/services/ec2/ports.js';
import { createEcsService, type EcsService } from '../../src/services/ecs/service.js';
import { ecsMigrations } from '../../src/services/ecs/store.js';
import { createSimulatedTaskRuntime } from '../../src/sim/simulated-task-runtime.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fakeTargetGroups, type FakeTargetGroups } from './ecs-world.js';

export const FLEET_SCOPE = { accountId: '000000000000', region: 'us-east-1' };
export const FLEET_AMI = 'ami-0123456789abcdef0';
export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export interface FleetWorld {
  clock: VirtualClock;
  store: Store;
  controlLoop: ControlLoop;
  ecs: EcsService;
  autoscaling: AutoScalingService;
  ec2: Ec2Service;
  targetGroups: FakeTargetGroups;
  /** Every event the three services published, in order. */
  events: AwsEventInput[];
  ecsCall<T = Record<string, unknown>>(operation: string, input: object): Promise<T>;
  asgCall<T = Record<string, unknown>>(operation: string, input: object): Promise<T>;
  ec2Call<T = Record<string, unknown>>(operation: string, input: object): Promise<T>;
  /** A launch template whose instances join `cluster`; returns its name. */
  launchTemplate(name: string, cluster: string, instanceType?: string): Promise<string>;
  /** An Auto Scaling group over the three zones on that template; returns its ARN. */
  group(options: {
    name: string;
    launchTemplate: string;
    min: number;
    max: number;
    desired: number;
    protectNewInstances?: boolean;
  }): Promise<string>;
  describeGroup(name: string): Promise<AutoScalingGroup>;
  describeService(cluster: string, service: string): Promise<Service>;
  serviceTasks(cluster: string, service: string, desiredStatus?: 'RUNNING' | 'STOPPED'): Promise<Task[]>;
  containerInstances(cluster: string): Promise<ContainerInstance[]>;
  /** Advances the clock in steps of stepMs, calling check after every step. */
  advance(ms: number, options?: { stepMs?: number; check?: () => Promise<void> | void }): Promise<void>;
  close(): Promise<void>;
}

export function ecsFleetWorld(options: { seed?: number } = {}): FleetWorld {
  const clock = new VirtualClock();
  const random = seededRandom(options.seed ?? 7);
  const store = openStore({
    location: 'memory',
    migrations: [...autoscalingMigrations, ...ec2Migrations, ...ecsMigrations],
  });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const events: AwsEventInput[] = [];
  const listeners: Array<(change: InstanceStateChange) => void> = [];
  const ec2 = createEc2Service({
    store,
    clock,
    random: random.fork('ec2'),
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: { publish: (event) => events.push(event) },
      instanceStateListener: {
        instanceStateChanged: (change) => {
          for (const listener of listeners) listener(change);
        },
      },
    },
  });
  const targetGroups = fakeTargetGroups(clock);
  // eslint-disable-next-line prefer-const
  let autoscaling: AutoScalingService;
  // eslint-disable-next-line prefer-const
  let ecs: EcsService;
  const runtime = createSimulatedTaskRuntime({
    clock,
    random: random.fork('runtime'),
    listener: () => ecs.runtimeListener,
  });
  ecs = createEcsService({
    store,
    clock,
    random: random.fork('ecs'),
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: { publish: (event) => events.push(event) },
      taskRuntime: runtime,
      instanceTypes: { describe: (instanceType) => instanceTypeSpec(instanceType) },
      loadBalancerTargets: targetGroups,
      // Auto Scaling is built after ECS: bind late, as main.ts does.
      autoScalingGroups: {
        describeGroup: (...args) => autoscaling.ecsCapacityPort.describeGroup(...args),
        setDesiredCapacity: (...args) => autoscaling.ecsCapacityPort.setDesiredCapacity(...args),
        setInstanceProtection: (...args) => autoscaling.ecsCapacityPort.setInstanceProtection(...args),
        putLifecycleHook: (...args) => autoscaling.ecsCapacityPort.putLifecycleHook(...args),
        deleteLifecycleHook: (...args) => autoscaling.ecsCapacityPort.deleteLifecycleHook(...args),
        recordHeartbeat: (...args) => autoscaling.ecsCapacityPort.recordHeartbeat(...args),
        completeLifecycleAction: (...args) => autoscaling.ecsCapacityPort.completeLifecycleAction(...args),
      },
    },
  });
  listeners.push((change) => ecs.instanceStateChanged(change));
  autoscaling = createAutoScalingService({
    store,
    clock,
    random: random.fork('autoscaling'),
    controlLoop,
    logger: silentLogger,
    ports: {
      ec2: ec2.autoScalingPort,
      eventBus: {
        publish: (event) => {
          events.push(event);
          if (event.detailType === 'EC2 Instance-terminate Lifecycle Action') {
            ecs.lifecycleActionStarted({ accountId: event.accountId, region: event.region }, event.detail);
          }
        },
      },
      notificationTargets: { canDeliver: () => false, deliver: () => undefined },
      targetGroups: {
        missing: (_scope, arns) => arns,
        register: () => undefined,
        deregister: () => undefined,
        isDraining: () => false,
        health: () => [],
      },
    },
  });
  listeners.push((change) => autoscaling.instanceStateChanged(change));

  let requests = 0;
  const caller =
    (serviceId: string, operations: () => OperationTable) =>
    async <T>(operation: string, input: object): Promise<T> => {
      const handler = operations()[operation];
      if (!handler) throw new Error(`${serviceId} does not implement ${operation}`);
      requests += 1;
      const context: RequestContext = {
        ...FLEET_SCOPE,
        requestId: `req-${requests}`,
        serviceId,
        operationName: operation,
      };
      return (await handler(input as never, context)) as T;
    };
  const ecsCall = caller('ecs', () => ecs.operations);
  const asgCall = caller('autoscaling', () => autoscaling.operations);
  const ec2Call = caller('ec2', () => ec2.operations);

  const world: FleetWorld = {
    clock,
    store,
    controlLoop,
    ecs,
    autoscaling,
    ec2,
    targetGroups,
    events,
    ecsCall,
    asgCall,
    ec2Call,
    async launchTemplate(name, cluster, instanceType = 'm5.large') {
      const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString(
        'base64',
      );
      await ec2Call('CreateLaunchTemplate', {
        LaunchTemplateName: name,
        LaunchTemplateData: { ImageId: FLEET_AMI, InstanceType: instanceType, UserData: userData },
      });
      return name;
    },
    async group(spec) {
      await asgCall('CreateAutoScalingGroup', {
        AutoScalingGroupName: spec.name,
        LaunchTemplate: { LaunchTemplateName: spec.launchTemplate, Version: '$Latest' },
        MinSize: spec.min,
        MaxSize: spec.max,
        DesiredCapacity: spec.desired,
        AvailabilityZones: ZONES,
        NewInstancesProtectedFromScaleIn: spec.protectNewInstances ?? false,
      });
      return (await world.describeGroup(spec.name)).AutoScalingGroupARN!;
    },
    async describeGroup(name) {
      const result = await asgCall<{ AutoScalingGroups: AutoScalingGroup[] }>('DescribeAutoScalingGroups', {
        AutoScalingGroupNames: [name],
      });
      return result.AutoScalingGroups[0]!;
    },
    async describeService(cluster, service) {
      const result = await ecsCall<{ services: Service[] }>('DescribeServices', { cluster, services: [service] });
      return result.services[0]!;
    },
    async serviceTasks(cluster, service, desiredStatus = 'RUNNING') {
      const listed = await ecsCall<{ taskArns: string[] }>('ListTasks', {
        cluster,
        serviceName: service,
        desiredStatus,
        maxResults: 100,
      });
      if (listed.taskArns.length === 0) return [];
      const tasks: Task[] = [];
      for (let at = 0; at < listed.taskArns.length; at += 100) {
        const described = await ecsCall<{ tasks: Task[] }>('DescribeTasks', {
          cluster,
          tasks: listed.taskArns.slice(at, at + 100),
        });
        tasks.push(...described.tasks);
      }
      return tasks;
    },
    async containerInstances(cluster) {
      const listed = await ecsCall<{ containerInstanceArns: string[] }>('ListContainerInstances', {
        cluster,
        status: undefined,
      });
      if (listed.containerInstanceArns.length === 0) return [];
      const described = await ecsCall<{ containerInstances: ContainerInstance[] }>('DescribeContainerInstances', {
        cluster,
        containerInstances: listed.containerInstanceArns,
      });
      return described.containerInstances;
    },
    async advance(ms, advanceOptions = {}) {
      const stepMs = advanceOptions.stepMs ?? ms;
      let left = ms;
      while (left > 0) {
        const step = Math.min(stepMs, left);
        await clock.advanceBy(step);
        left -= step;
        if (advanceOptions.check) await advanceOptions.check();
      }
    },
    async close() {
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  };
  return world;
}
