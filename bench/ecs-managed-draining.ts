/**
 * Virtual-time benchmark of issue 6: an instance refresh of a 200-instance Auto Scaling group
 * behind an ECS capacity provider with managed draining and managed termination protection,
 * running 2,000 service tasks (10 services × 200, minimumHealthyPercent 100, maximumPercent 200).
 * Every instance the refresh terminates waits in `Terminating:Wait` on the
 * `ecs-managed-draining-termination-hook` while ECS drains it: its tasks are replaced elsewhere and
 * stopped only once their replacements run, then ECS completes the lifecycle action. Everything
 * runs in this process as src/main.ts wires it (memory store, VirtualClock, one ControlLoop, the
 * real EC2, Auto Scaling and ECS services, the simulated task runtime); the event bus counts and
 * forwards terminate lifecycle actions to ECS. It measures wall time, simulated time, peak memory,
 * reconciles per controller, and checks after every clock step that no service ever runs fewer
 * than its desired count (min 100 %).
 *
 * Run alone: `node --import tsx bench/ecs-managed-draining.ts [--instances 200] [--tasks 2000]`;
 * `npm run bench` runs it as one section. Profile: `node --cpu-prof --import tsx bench/ecs-managed-draining.ts`.
 */
import { tallyReconcilers, type ReconcilerTally } from './reconciler-tally.js';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { ControlLoop } from '../src/kernel/control-loop.js';
import { silentLogger } from '../src/kernel/logger.js';
import type { OperationTable, RequestContext } from '../src/kernel/operation.js';
import { seededRandom } from '../src/kernel/random.js';
import { VirtualClock } from '../src/kernel/virtual-clock.js';
import { createAutoScalingService, type AutoScalingService } from '../src/services/autoscaling/service.js';
import { autoscalingMigrations } from '../src/services/autoscaling/store.js';
import { createEc2Service, ec2Migrations } from '../src/services/ec2/service.js';
import { instanceTypeSpec } from '../src/services/ec2/instance-types.js';
import type { InstanceStateChange } from '../src/services/ec2/ports.js';
import { createEcsService, type EcsService } from '../src/services/ecs/service.js';
import { ecsMigrations } from '../src/services/ecs/store.js';
import type { AwsEventInput } from '../src/services/events/ports.js';
import { createSimulatedTaskRuntime } from '../src/sim/simulated-task-runtime.js';
import { openStore } from '../src/store/store.js';
import { renderTable } from './table.js';

export const DRAINING_TARGETS = { wallS: 10, peakRssMiB: 500 };

export interface DrainingBenchOptions {
  instances: number;
  tasks: number;
  services: number;
  minHealthyPercentage: number;
  instanceWarmupS: number;
  stepMs: number;
  seed: number;
}

export const DEFAULT_DRAINING_OPTIONS: DrainingBenchOptions = {
  instances: 200,
  tasks: 2000,
  services: 10,
  minHealthyPercentage: 90,
  instanceWarmupS: 60,
  stepMs: 5_000,
  seed: 6,
};

export interface DrainingPhase {
  wallMs: number;
  simulatedMs: number;
  reconciles: Record<string, ReconcilerTally>;
}

export interface DrainingBenchResult {
  options: DrainingBenchOptions;
  phases: Array<{ name: string; phase: DrainingPhase }>;
  status: string;
  instancesReplaced: number;
  runningAtEnd: number;
  /** The fewest RUNNING tasks any service had at a clock step during the refresh, and its desired count. */
  lowestRunning: number;
  desiredPerService: number;
  drainActionsCompleted: number;
  tasksStoppedByDrain: number;
  tasksStoppedOtherwise: number;
  reconcileErrors: number;
  eventsPublished: number;
  peakRssMiB: number;
  peakHeapUsedMiB: number;
  rssBeforeMiB: number;
}

const MiB = 1024 * 1024;
const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const CLUSTER = 'fleet';

export async function benchEcsManagedDraining(
  overrides: Partial<DrainingBenchOptions> = {},
): Promise<DrainingBenchResult> {
  const options = { ...DEFAULT_DRAINING_OPTIONS, ...overrides };
  const rssBeforeMiB = process.memoryUsage.rss() / MiB;
  const started = performance.now();
  const clock = new VirtualClock();
  const store = openStore({
    location: 'memory',
    migrations: [...autoscalingMigrations, ...ec2Migrations, ...ecsMigrations],
  });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const tallies = tallyReconcilers(controlLoop);
  const random = seededRandom(options.seed);
  let eventsPublished = 0;
  let drainActions = 0;
  const listeners: Array<(change: InstanceStateChange) => void> = [];
  // eslint-disable-next-line prefer-const
  let ecs: EcsService;
  // eslint-disable-next-line prefer-const
  let autoscaling: AutoScalingService;
  const countingBus = { publish: () => void (eventsPublished += 1) };
  const ec2 = createEc2Service({
    store,
    clock,
    random: random.fork('ec2'),
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: countingBus,
      instanceStateListener: { instanceStateChanged: (change) => listeners.forEach((listener) => listener(change)) },
    },
  });
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
      eventBus: countingBus,
      taskRuntime: runtime,
      instanceTypes: { describe: (instanceType) => instanceTypeSpec(instanceType) },
      loadBalancerTargets: {
        exists: () => false,
        targetType: () => undefined,
        register: () => {},
        deregister: () => {},
        state: () => undefined,
      },
      autoScalingGroups: {
        describeGroup: (...args) => autoscaling.ecsCapacityPort.describeGroup(...args),
        setDesiredCapacity: (...args) => autoscaling.ecsCapacityPort.setDesiredCapacity(...args),
        setInstanceProtection: (...args) => autoscaling.ecsCapacityPort.setInstanceProtection(...args),
        putLifecycleHook: (...args) => autoscaling.ecsCapacityPort.putLifecycleHook(...args),
        deleteLifecycleHook: (...args) => autoscaling.ecsCapacityPort.deleteLifecycleHook(...args),
        recordHeartbeat: (...args) => autoscaling.ecsCapacityPort.recordHeartbeat(...args),
        completeLifecycleAction: (...args) => {
          drainActions += 1;
          autoscaling.ecsCapacityPort.completeLifecycleAction(...args);
        },
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
        publish: (event: AwsEventInput) => {
          eventsPublished += 1;
          if (event.detailType === 'EC2 Instance-terminate Lifecycle Action') {
            ecs.lifecycleActionStarted({ accountId: event.accountId, region: event.region }, event.detail);
          }
        },
      },
      notificationTargets: { canDeliver: () => false, deliver: () => {} },
      targetGroups: {
        missing: (_scope, arns) => [...arns],
        register: () => {},
        deregister: () => {},
        isDraining: () => false,
        health: () => [],
      },
    },
  });
  listeners.push((change) => autoscaling.instanceStateChanged(change));

  let requests = 0;
  const call = async <O>(operations: OperationTable, serviceId: string, operation: string, input: object) => {
    requests += 1;
    const context: RequestContext = { ...SCOPE, requestId: `bench-${requests}`, serviceId, operationName: operation };
    return (await operations[operation]!(input as never, context)) as O;
  };
  const asg = <O = Record<string, unknown>>(operation: string, input: object) =>
    call<O>(autoscaling.operations, 'autoscaling', operation, input);
  const ecsCall = <O = Record<string, unknown>>(operation: string, input: object) =>
    call<O>(ecs.operations, 'ecs', operation, input);

  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  };
  const runUntil = async (done: () => Promise<boolean>, limitMs: number, check?: () => Promise<void>) => {
    const deadline = clock.now() + limitMs;
    while (!(await done())) {
      if (clock.now() >= deadline) throw new Error(`not done after ${limitMs / 60_000} simulated minutes`);
      await clock.advanceBy(options.stepMs);
      sample();
      if (check) await check();
    }
  };
  const snapshot = () => new Map([...tallies].map(([name, tally]) => [name, { ...tally }]));
  const mark = () => ({ wall: performance.now(), virtual: clock.now(), tallies: snapshot() });
  const phaseSince = (from: ReturnType<typeof mark>): DrainingPhase => ({
    wallMs: performance.now() - from.wall,
    simulatedMs: clock.now() - from.virtual,
    reconciles: Object.fromEntries(
      [...tallies].map(([name, tally]) => {
        const before = from.tallies.get(name) ?? { count: 0, ms: 0 };
        return [name, { count: tally.count - before.count, ms: tally.ms - before.ms }];
      }),
    ),
  });
  const serviceNames = Array.from({ length: options.services }, (_, index) => `svc-${index}`);
  const perService = Math.floor(options.tasks / options.services);
  const runningCounts = async () => {
    const { services } = await ecsCall<{ services: Array<{ runningCount: number; pendingCount: number }> }>(
      'DescribeServices',
      { cluster: CLUSTER, services: serviceNames },
    );
    return services;
  };

  try {
    const phases: Array<{ name: string; phase: DrainingPhase }> = [];
    const begin = { ...mark(), wall: started };
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString(
      'base64',
    );
    await call(ec2.operations, 'ec2', 'CreateLaunchTemplate', {
      LaunchTemplateName: 'node',
      LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.large', UserData: userData },
    });
    await ecsCall('CreateCluster', { clusterName: CLUSTER });
    await asg('CreateAutoScalingGroup', {
      AutoScalingGroupName: 'nodes',
      MinSize: options.instances,
      MaxSize: options.instances * 2,
      DesiredCapacity: options.instances,
      LaunchTemplate: { LaunchTemplateName: 'node', Version: '$Latest' },
      AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      NewInstancesProtectedFromScaleIn: true,
    });
    const group = await asg<{ AutoScalingGroups: Array<{ AutoScalingGroupARN: string }> }>(
      'DescribeAutoScalingGroups',
      { AutoScalingGroupNames: ['nodes'] },
    );
    await ecsCall('CreateCapacityProvider', {
      name: 'nodes',
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.AutoScalingGroups[0]!.AutoScalingGroupARN,
        managedScaling: { status: 'ENABLED', targetCapacity: 100, instanceWarmupPeriod: options.instanceWarmupS },
        managedTerminationProtection: 'ENABLED',
        managedDraining: 'ENABLED',
      },
    });
    await ecsCall('PutClusterCapacityProviders', {
      cluster: CLUSTER,
      capacityProviders: ['nodes'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'nodes', weight: 1 }],
    });
    const registered = async () => {
      const { clusters } = await ecsCall<{ clusters: Array<{ registeredContainerInstancesCount: number }> }>(
        'DescribeClusters',
        { clusters: [CLUSTER] },
      );
      return clusters[0]!.registeredContainerInstancesCount === options.instances;
    };
    await runUntil(registered, 3_600_000);
    phases.push({ name: `launch ${options.instances} instances, registered`, phase: phaseSince(begin) });

    const servicesMark = mark();
    await ecsCall('RegisterTaskDefinition', {
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'drydock/http-echo', cpu: 128, memory: 256 }],
    });
    for (const serviceName of serviceNames) {
      await ecsCall('CreateService', {
        cluster: CLUSTER,
        serviceName,
        taskDefinition: 'web',
        desiredCount: perService,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      });
    }
    const allRunning = async () =>
      (await runningCounts()).every((service) => service.runningCount === perService && service.pendingCount === 0);
    await runUntil(allRunning, 3_600_000);
    phases.push({ name: `start ${options.tasks} service tasks`, phase: phaseSince(servicesMark) });

    const refreshMark = mark();
    const before = new Set(
      (
        await asg<{ AutoScalingGroups: Array<{ Instances: Array<{ InstanceId: string }> }> }>(
          'DescribeAutoScalingGroups',
          { AutoScalingGroupNames: ['nodes'] },
        )
      ).AutoScalingGroups[0]!.Instances.map((instance) => instance.InstanceId),
    );
    await call(ec2.operations, 'ec2', 'CreateLaunchTemplateVersion', {
      LaunchTemplateName: 'node',
      SourceVersion: '1',
      LaunchTemplateData: { ImageId: 'ami-0fedcba9876543210' },
    });
    await asg('StartInstanceRefresh', {
      AutoScalingGroupName: 'nodes',
      Preferences: {
        MinHealthyPercentage: options.minHealthyPercentage,
        InstanceWarmup: options.instanceWarmupS,
        // Managed termination protection protects every busy instance: the refresh must replace them anyway.
        ScaleInProtectedInstances: 'Refresh',
      },
    });
    let last: InstanceRefresh | undefined;
    const finished = async () => {
      last = (
        await asg<{ InstanceRefreshes: InstanceRefresh[] }>('DescribeInstanceRefreshes', {
          AutoScalingGroupName: 'nodes',
        })
      ).InstanceRefreshes[0];
      return last !== undefined && ['Successful', 'Failed', 'Cancelled'].includes(last.Status ?? '');
    };
    let lowestRunning = Number.POSITIVE_INFINITY;
    await runUntil(finished, 24 * 3_600_000, async () => {
      for (const service of await runningCounts()) lowestRunning = Math.min(lowestRunning, service.runningCount);
    });
    // The last instances finish terminating, and the services settle.
    await runUntil(allRunning, 3_600_000);
    phases.push({ name: 'instance refresh with managed draining', phase: phaseSince(refreshMark) });
    phases.push({ name: 'total', phase: phaseSince(begin) });

    const instancesNow = (
      await asg<{ AutoScalingGroups: Array<{ Instances: Array<{ InstanceId: string; LifecycleState: string }> }> }>(
        'DescribeAutoScalingGroups',
        { AutoScalingGroupNames: ['nodes'] },
      )
    ).AutoScalingGroups[0]!.Instances;
    let stoppedByDrain = 0;
    let stoppedOtherwise = 0;
    for (const task of storeTasks(store)) {
      if (task.lastStatus !== 'STOPPED') continue;
      if (/DRAINING/.test(task.stoppedReason ?? '')) stoppedByDrain += 1;
      else stoppedOtherwise += 1;
    }
    const services = await runningCounts();
    return {
      options,
      phases,
      status: last?.Status ?? 'unknown',
      instancesReplaced: instancesNow.filter(
        (instance) => instance.LifecycleState === 'InService' && !before.has(instance.InstanceId),
      ).length,
      runningAtEnd: services.reduce((sum, service) => sum + service.runningCount, 0),
      lowestRunning,
      desiredPerService: perService,
      drainActionsCompleted: drainActions,
      tasksStoppedByDrain: stoppedByDrain,
      tasksStoppedOtherwise: stoppedOtherwise,
      reconcileErrors: controlLoop.stats().errors,
      eventsPublished,
      peakRssMiB: peakRss / MiB,
      peakHeapUsedMiB: peakHeap / MiB,
      rssBeforeMiB,
    };
  } finally {
    await controlLoop.stop();
    clock.close();
    store.close();
  }
}

/** Every ECS task the store still holds (STOPPED ones are kept an hour). */
function storeTasks(store: ReturnType<typeof openStore>): Array<{ lastStatus: string; stoppedReason?: string }> {
  return store.table<{ lastStatus: string; stoppedReason?: string }>('ecs', 'tasks').values();
}

function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function drainingTable(result: DrainingBenchResult): string {
  const reconcilers = ['ecs-services', 'ecs-tasks', 'ecs-capacity-providers', 'autoscaling-group'];
  const phases = renderTable(
    [
      { title: 'phase', align: 'left' },
      { title: 'wall s', align: 'right' },
      { title: 'simulated', align: 'right' },
      ...reconcilers.map((name) => ({ title: `${name} (n / s)`, align: 'right' as const })),
    ],
    result.phases.map(({ name, phase }) => [
      name,
      (phase.wallMs / 1000).toFixed(2),
      minutes(phase.simulatedMs),
      ...reconcilers.map((reconciler) => {
        const tally = phase.reconciles[reconciler] ?? { count: 0, ms: 0 };
        return `${tally.count.toLocaleString('en-US')} / ${(tally.ms / 1000).toFixed(2)}`;
      }),
    ]),
  );
  const facts = renderTable(
    [
      { title: 'measure', align: 'left' },
      { title: 'value', align: 'right' },
    ],
    [
      ['refresh status', result.status],
      ['instances replaced', `${result.instancesReplaced} of ${result.options.instances}`],
      ['managed-draining actions completed by ECS', result.drainActionsCompleted.toLocaleString('en-US')],
      [
        'fewest RUNNING tasks of a service at any step (desired)',
        `${result.lowestRunning} (${result.desiredPerService})`,
      ],
      ['RUNNING tasks at the end', result.runningAtEnd.toLocaleString('en-US')],
      [
        'tasks stopped by draining / otherwise (kept 1 h)',
        `${result.tasksStoppedByDrain.toLocaleString('en-US')} / ${result.tasksStoppedOtherwise}`,
      ],
      ['reconcile errors', String(result.reconcileErrors)],
      ['events published', result.eventsPublished.toLocaleString('en-US')],
      ['peak RSS MiB (process, sampled per step)', result.peakRssMiB.toFixed(1)],
      ['peak V8 heap used MiB', result.peakHeapUsedMiB.toFixed(1)],
      ['RSS before the run MiB', result.rssBeforeMiB.toFixed(1)],
    ],
  );
  return `${phases}\n\n${facts}`;
}

/** `correct`: refreshed, every task running, never below the services' minimum; `pass`: that, within the targets. */
export function drainingVerdict(result: DrainingBenchResult): { pass: boolean; correct: boolean; line: string } {
  const correct =
    result.status === 'Successful' &&
    result.instancesReplaced === result.options.instances &&
    result.runningAtEnd === result.desiredPerService * result.options.services &&
    result.lowestRunning >= result.desiredPerService &&
    result.tasksStoppedOtherwise === 0 &&
    result.reconcileErrors === 0;
  const total = result.phases.find((entry) => entry.name === 'total')!.phase;
  const wallS = total.wallMs / 1000;
  const pass = correct && wallS < DRAINING_TARGETS.wallS && result.peakRssMiB < DRAINING_TARGETS.peakRssMiB;
  const line =
    `${pass ? 'PASS' : 'FAIL'}  ECS managed draining through an instance refresh of ${result.options.instances} instances, ` +
    `${result.options.tasks.toLocaleString('en-US')} tasks: ${wallS.toFixed(2)} s wall for ${minutes(total.simulatedMs)} simulated, ` +
    `peak RSS ${result.peakRssMiB.toFixed(0)} MiB (targets < ${DRAINING_TARGETS.wallS} s, < ${DRAINING_TARGETS.peakRssMiB} MiB)` +
    (correct
      ? ''
      : `; WRONG RESULT: ${result.status}, ${result.instancesReplaced} replaced, lowest ${result.lowestRunning}, ${result.tasksStoppedOtherwise} stopped otherwise`);
  return { pass, correct, line };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const overrides: Partial<DrainingBenchOptions> = {};
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : Number(argv[at + 1]);
  };
  if (option('--instances') !== undefined) overrides.instances = option('--instances')!;
  if (option('--tasks') !== undefined) overrides.tasks = option('--tasks')!;
  const result = await benchEcsManagedDraining(overrides);
  console.log(drainingTable(result));
  const verdict = drainingVerdict(result);
  console.log(`\n${verdict.line}`);
  return verdict.pass ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
