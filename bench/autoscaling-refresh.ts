/**
 * Virtual-time benchmark of an instance refresh at fleet scale (issue 3, "Benchmark"): a
 * 1,000-instance Auto Scaling group with a termination lifecycle hook is refreshed to a new
 * launch template version, while a simulated drain handler completes every terminate action 5
 * simulated minutes after it is announced. Everything runs in this process the way src/main.ts
 * wires it — memory store, VirtualClock, ControlLoop, the real EC2 service and its Auto Scaling
 * port, the real Auto Scaling service — with an event bus that only counts and hands lifecycle
 * actions to the handler. It measures wall time, simulated time, peak memory (RSS and V8 heap,
 * sampled after every clock step), timers fired and reconciles.
 *
 * Run alone: `node --import tsx bench/autoscaling-refresh.ts [--instances 1000]`; `npm run bench`
 * runs it as one section. Profile: `node --cpu-prof --import tsx bench/autoscaling-refresh.ts`.
 */
import { tallyReconcilers, type ReconcilerTally } from './reconciler-tally.js';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import type { CreateLaunchTemplateResult } from '@aws-sdk/client-ec2';
import { ControlLoop } from '../src/kernel/control-loop.js';
import { silentLogger } from '../src/kernel/logger.js';
import type { OperationTable, RequestContext } from '../src/kernel/operation.js';
import { seededRandom } from '../src/kernel/random.js';
import { VirtualClock } from '../src/kernel/virtual-clock.js';
import type { TargetGroupsPort } from '../src/services/autoscaling/ports.js';
import { GROUP_RECONCILER } from '../src/services/autoscaling/group-controller.js';
import { createAutoScalingService } from '../src/services/autoscaling/service.js';
import { autoscalingMigrations } from '../src/services/autoscaling/store.js';
import { INSTANCE_CONTROLLER } from '../src/services/ec2/instance-controller.js';
import { createEc2Service, ec2Migrations } from '../src/services/ec2/service.js';
import type { InstanceStateChange } from '../src/services/ec2/ports.js';
import type { AwsEventInput, EventBusPort } from '../src/services/events/ports.js';
import { openStore } from '../src/store/store.js';
import { renderTable } from './table.js';

export const REFRESH_TARGETS = { wallS: 5, peakRssMiB: 500 };

export interface RefreshBenchOptions {
  instances: number;
  /** The simulated drain handler completes each terminate action this long after its event. */
  handlerDelayMs: number;
  minHealthyPercentage: number;
  instanceWarmupS: number;
  /** Virtual time per clock step; memory and progress are sampled between steps. */
  stepMs: number;
  seed: number;
}

export const DEFAULT_REFRESH_OPTIONS: RefreshBenchOptions = {
  instances: 1000,
  handlerDelayMs: 5 * 60_000,
  minHealthyPercentage: 90,
  instanceWarmupS: 60,
  stepMs: 5_000,
  seed: 3,
};

export interface PhaseResult {
  wallMs: number;
  simulatedMs: number;
  timersFired: number;
  /** Auto Scaling group controller reconciles, and the wall time spent in them. */
  groupReconciles: number;
  groupReconcileMs: number;
  /** EC2 instance controller reconciles (one per instance transition). */
  instanceReconciles: number;
}

export interface RefreshBenchResult {
  options: RefreshBenchOptions;
  /** CreateAutoScalingGroup until every instance is InService. */
  launch: PhaseResult;
  /** StartInstanceRefresh until the refresh is Successful (old instances terminated). */
  refresh: PhaseResult;
  total: PhaseResult;
  status: string;
  percentageComplete: number;
  instancesOnNewVersion: number;
  hookActionsCompleted: number;
  hookCompletionErrors: number;
  reconcileErrors: number;
  /** Operations called in-process: the bench's own calls and the handler's completions. */
  apiRequests: number;
  eventsPublished: number;
  peakPendingTimers: number;
  peakRssMiB: number;
  peakHeapUsedMiB: number;
  rssBeforeMiB: number;
}

const MiB = 1024 * 1024;
const ACCOUNT_ID = '123456789012';
const REGION = 'us-east-1';
const TERMINATE_ACTION = 'EC2 Instance-terminate Lifecycle Action';

/** ELBv2 is not part of this bench: no target groups exist (as in src/main.ts until ELBv2 lands). */
const noTargetGroups: TargetGroupsPort = {
  missing: (_scope, arns) => [...arns],
  register: () => {},
  deregister: () => {},
  isDraining: () => false,
  health: () => [],
};

/** Counts what is published and hands terminate lifecycle actions to the simulated handler. */
class BenchEventBus implements EventBusPort {
  published = 0;
  onTerminateAction: (event: AwsEventInput) => void = () => {};

  publish(event: AwsEventInput): void {
    this.published += 1;
    if (event.detailType === TERMINATE_ACTION) this.onTerminateAction(event);
  }
}

export async function benchAutoscalingRefresh(
  overrides: Partial<RefreshBenchOptions> = {},
): Promise<RefreshBenchResult> {
  const options = { ...DEFAULT_REFRESH_OPTIONS, ...overrides };
  const rssBeforeMiB = process.memoryUsage.rss() / MiB;
  const started = performance.now();
  const clock = new VirtualClock();
  const store = openStore({ location: 'memory', migrations: [...autoscalingMigrations, ...ec2Migrations] });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  // Each reconciler is counted and timed on its way into the loop.
  const tallies = tallyReconcilers(controlLoop);
  const tally = (name: string): ReconcilerTally => tallies.get(name) ?? { count: 0, ms: 0 };
  const random = seededRandom(options.seed);
  const eventBus = new BenchEventBus();
  const listeners: Array<(change: InstanceStateChange) => void> = [];
  const ec2 = createEc2Service({
    store,
    clock,
    random: random.fork('ec2'),
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus,
      instanceStateListener: { instanceStateChanged: (change) => listeners.forEach((listener) => listener(change)) },
    },
  });
  const autoscaling = createAutoScalingService({
    store,
    clock,
    random: random.fork('autoscaling'),
    controlLoop,
    logger: silentLogger,
    ports: {
      ec2: ec2.autoScalingPort,
      eventBus,
      notificationTargets: { canDeliver: () => false, deliver: () => {} },
      targetGroups: noTargetGroups,
    },
  });
  listeners.push((change) => autoscaling.instanceStateChanged(change));

  let requests = 0;
  const call = async <O>(operations: OperationTable, serviceId: string, operation: string, input: object) => {
    requests += 1;
    const context: RequestContext = {
      requestId: `bench-${requests}`,
      region: REGION,
      accountId: ACCOUNT_ID,
      serviceId,
      operationName: operation,
    };
    return (await operations[operation]!(input as never, context)) as O;
  };
  const asg = <O = Record<string, unknown>>(operation: string, input: object) =>
    call<O>(autoscaling.operations, 'autoscaling', operation, input);

  // The drain handler: CompleteLifecycleAction by token, 5 simulated minutes after each action.
  let hookActionsCompleted = 0;
  let hookCompletionErrors = 0;
  eventBus.onTerminateAction = (event) => {
    const detail = event.detail as Record<string, string>;
    clock.after(options.handlerDelayMs, () => {
      asg('CompleteLifecycleAction', {
        AutoScalingGroupName: detail.AutoScalingGroupName,
        LifecycleHookName: detail.LifecycleHookName,
        LifecycleActionToken: detail.LifecycleActionToken,
        LifecycleActionResult: 'CONTINUE',
      }).then(
        () => (hookActionsCompleted += 1),
        () => (hookCompletionErrors += 1),
      );
    });
  };

  let peakRss = 0;
  let peakHeap = 0;
  let peakTimers = 0;
  let timersFired = 0;
  const sample = () => {
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
    peakTimers = Math.max(peakTimers, clock.pendingTimerCount());
  };
  /** Steps virtual time until `done()`, sampling between steps; bounded by `limitMs` of virtual time. */
  const runUntil = async (done: () => Promise<boolean>, limitMs: number): Promise<void> => {
    const deadline = clock.now() + limitMs;
    while (!(await done())) {
      if (clock.now() >= deadline) throw new Error(`not done after ${limitMs / 60_000} simulated minutes`);
      timersFired += await clock.advanceBy(options.stepMs);
      sample();
    }
  };
  type Mark = { wall: number; virtual: number; timers: number; group: ReconcilerTally; instance: ReconcilerTally };
  const mark = (): Mark => ({
    wall: performance.now(),
    virtual: clock.now(),
    timers: timersFired,
    group: { ...tally(GROUP_RECONCILER) },
    instance: { ...tally(INSTANCE_CONTROLLER) },
  });
  const phase = (from: Mark): PhaseResult => ({
    wallMs: performance.now() - from.wall,
    simulatedMs: clock.now() - from.virtual,
    timersFired: timersFired - from.timers,
    groupReconciles: tally(GROUP_RECONCILER).count - from.group.count,
    groupReconcileMs: tally(GROUP_RECONCILER).ms - from.group.ms,
    instanceReconciles: tally(INSTANCE_CONTROLLER).count - from.instance.count,
  });

  try {
    const begin = { ...mark(), wall: started };
    const template = (
      await call<CreateLaunchTemplateResult>(ec2.operations, 'ec2', 'CreateLaunchTemplate', {
        LaunchTemplateName: 'fleet',
        LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.large' },
      })
    ).LaunchTemplate!.LaunchTemplateId!;

    // A fleet of 1,000 with a terminate hook, in service.
    await asg('CreateAutoScalingGroup', {
      AutoScalingGroupName: 'fleet',
      MinSize: 0,
      MaxSize: options.instances * 2,
      DesiredCapacity: options.instances,
      LaunchTemplate: { LaunchTemplateId: template, Version: '1' },
      AvailabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: 'drain',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          HeartbeatTimeout: 3600,
          DefaultResult: 'CONTINUE',
        },
      ],
    });
    const inService = async () => {
      const { AutoScalingGroups } = await asg<{
        AutoScalingGroups: Array<{ Instances: Array<{ LifecycleState: string }> }>;
      }>('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['fleet'] });
      return AutoScalingGroups[0]!.Instances.filter((instance) => instance.LifecycleState === 'InService').length;
    };
    await runUntil(async () => (await inService()) === options.instances, 3_600_000);
    const launch = phase(begin);

    // The refresh to version 2.
    const refreshMark = mark();
    await call(ec2.operations, 'ec2', 'CreateLaunchTemplateVersion', {
      LaunchTemplateId: template,
      SourceVersion: '1',
      LaunchTemplateData: { InstanceType: 'm6i.large' },
    });
    await asg('StartInstanceRefresh', {
      AutoScalingGroupName: 'fleet',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: template, Version: '2' } },
      Preferences: {
        MinHealthyPercentage: options.minHealthyPercentage,
        InstanceWarmup: options.instanceWarmupS,
      },
    });
    let last: InstanceRefresh | undefined;
    const finished = async () => {
      last = (
        await asg<{ InstanceRefreshes: InstanceRefresh[] }>('DescribeInstanceRefreshes', {
          AutoScalingGroupName: 'fleet',
        })
      ).InstanceRefreshes[0];
      return last !== undefined && ['Successful', 'Failed', 'Cancelled'].includes(last.Status ?? '');
    };
    await runUntil(finished, 24 * 3_600_000);
    const refresh = phase(refreshMark);
    const total = phase(begin);

    const { AutoScalingGroups } = await asg<{
      AutoScalingGroups: Array<{ Instances: Array<{ LaunchTemplate?: { Version?: string } }> }>;
    }>('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['fleet'] });
    const stats = controlLoop.stats();
    return {
      options,
      launch,
      refresh,
      total,
      status: last?.Status ?? 'unknown',
      percentageComplete: last?.PercentageComplete ?? 0,
      instancesOnNewVersion: AutoScalingGroups[0]!.Instances.filter((i) => i.LaunchTemplate?.Version === '2').length,
      hookActionsCompleted,
      hookCompletionErrors,
      reconcileErrors: stats.errors,
      apiRequests: requests,
      eventsPublished: eventBus.published,
      peakPendingTimers: peakTimers,
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

function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function refreshTable(result: RefreshBenchResult): string {
  const row = (name: string, phase: PhaseResult) => [
    name,
    (phase.wallMs / 1000).toFixed(2),
    minutes(phase.simulatedMs),
    phase.timersFired.toLocaleString('en-US'),
    phase.groupReconciles.toLocaleString('en-US'),
    (phase.groupReconcileMs / 1000).toFixed(2),
    phase.groupReconciles > 0 ? (phase.groupReconcileMs / phase.groupReconciles).toFixed(2) : '—',
    phase.instanceReconciles.toLocaleString('en-US'),
  ];
  const phases = renderTable(
    [
      { title: 'phase', align: 'left' },
      { title: 'wall s', align: 'right' },
      { title: 'simulated', align: 'right' },
      { title: 'timers fired', align: 'right' },
      { title: 'group reconciles', align: 'right' },
      { title: 'in them s', align: 'right' },
      { title: 'ms each', align: 'right' },
      { title: 'EC2 instance reconciles', align: 'right' },
    ],
    [
      row(`launch ${result.options.instances.toLocaleString('en-US')} instances to InService`, result.launch),
      row('instance refresh to version 2', result.refresh),
      row('total', result.total),
    ],
  );
  const facts = renderTable(
    [
      { title: 'measure', align: 'left' },
      { title: 'value', align: 'right' },
    ],
    [
      ['refresh status', `${result.status} (${result.percentageComplete}%)`],
      ['instances on version 2', result.instancesOnNewVersion.toLocaleString('en-US')],
      ['terminate actions completed by the handler', result.hookActionsCompleted.toLocaleString('en-US')],
      ['handler errors / reconcile errors', `${result.hookCompletionErrors} / ${result.reconcileErrors}`],
      [
        'events published / API calls',
        `${result.eventsPublished.toLocaleString('en-US')} / ${result.apiRequests.toLocaleString('en-US')}`,
      ],
      ['peak pending timers', result.peakPendingTimers.toLocaleString('en-US')],
      ['peak RSS MiB (process, sampled per step)', result.peakRssMiB.toFixed(1)],
      ['peak V8 heap used MiB', result.peakHeapUsedMiB.toFixed(1)],
      ['RSS before the run MiB', result.rssBeforeMiB.toFixed(1)],
    ],
  );
  return `${phases}\n\n${facts}`;
}

/** `correct`: the refresh ended Successful with every instance replaced; `pass`: that, within the targets. */
export function refreshVerdict(result: RefreshBenchResult): { pass: boolean; correct: boolean; line: string } {
  const correct =
    result.status === 'Successful' &&
    result.instancesOnNewVersion === result.options.instances &&
    result.hookActionsCompleted === result.options.instances &&
    result.hookCompletionErrors === 0 &&
    result.reconcileErrors === 0;
  const wallS = result.total.wallMs / 1000;
  const pass = correct && wallS < REFRESH_TARGETS.wallS && result.peakRssMiB < REFRESH_TARGETS.peakRssMiB;
  const line =
    `${pass ? 'PASS' : 'FAIL'}  instance refresh of ${result.options.instances.toLocaleString('en-US')} instances: ` +
    `${wallS.toFixed(2)} s wall for ${minutes(result.total.simulatedMs)} simulated, peak RSS ${result.peakRssMiB.toFixed(0)} MiB ` +
    `(targets < ${REFRESH_TARGETS.wallS} s, < ${REFRESH_TARGETS.peakRssMiB} MiB)` +
    (correct ? '' : `; WRONG RESULT: ${result.status}, ${result.instancesOnNewVersion} on version 2`);
  return { pass, correct, line };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const overrides: Partial<RefreshBenchOptions> = {};
  const at = argv.indexOf('--instances');
  if (at !== -1) overrides.instances = Number(argv[at + 1]);
  const result = await benchAutoscalingRefresh(overrides);
  console.log(refreshTable(result));
  const verdict = refreshVerdict(result);
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
