/**
 * Scenario support for Auto Scaling tests: small in-memory implementations of the service's ports
 * on the virtual clock — an EC2 that boots instances after a delay and reports every state change
 * back, target groups with a deregistration delay and settable health, and recorders for
 * EventBridge events and SNS/SQS deliveries — plus `autoscalingScenario()`, which wires them to
 * the real service, store and control loop so a test reads like the AWS docs it checks.
 */
import type { AutoScalingGroup, AutoScalingInstanceDetails, Activity } from '@aws-sdk/client-auto-scaling';
import type { Clock } from '../../kernel/clock.js';
import { ControlLoop } from '../../kernel/control-loop.js';
import { silentLogger } from '../../kernel/logger.js';
import type { RequestContext } from '../../kernel/operation.js';
import { seededRandom } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import type { Store } from '../../store/store.js';
import { openStore } from '../../store/store.js';
import type { InstanceStateChange } from '../ec2/ports.js';
import type { AwsEventInput, EventBusPort } from '../events/ports.js';
import type {
  Ec2InstanceView,
  Ec2Port,
  LaunchRequest,
  LaunchTemplateRef,
  NotificationTargetsPort,
  ResolvedLaunchTemplate,
  Scope,
  SubnetView,
  TargetGroupsPort,
  TargetHealthView,
} from './ports.js';
import type { AutoScalingService } from './service.js';
import { createAutoScalingService } from './service.js';
import { autoscalingMigrations } from './store.js';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
export const SUBNETS: SubnetView[] = ZONES.map((zone) => ({
  subnetId: `subnet-${zone.slice(-1)}`,
  availabilityZone: zone,
  vpcId: 'vpc-default',
}));

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

interface FakeInstance {
  view: Ec2InstanceView;
  tags: Record<string, string>;
  timers: number[];
}

interface FakeTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  latestVersion: number;
  defaultVersion: number;
  instanceType: string;
}

export interface FakeEc2Options {
  clock: Clock;
  /** pending → running. */
  bootMs?: number;
  /** shutting-down → terminated. */
  shutdownMs?: number;
}

/** EC2 as Auto Scaling sees it: instances that boot and shut down on the clock and report each change. */
export class FakeEc2 implements Ec2Port {
  readonly instances = new Map<string, FakeInstance>();
  readonly templates = new Map<string, FakeTemplate>();
  readonly launchRequests: LaunchRequest[] = [];
  readonly terminateRequests: string[] = [];
  /** Where state changes go (the service's instanceStateChanged). */
  onStateChange: (change: InstanceStateChange) => void = () => {};
  /** The next launches throw this error (then launching works again). */
  failLaunches: { remaining: number; error: ServiceError } | undefined;
  bootMs: number;
  shutdownMs: number;
  private sequence = 0;
  private readonly clock: Clock;

  constructor(options: FakeEc2Options) {
    this.clock = options.clock;
    this.bootMs = options.bootMs ?? 30 * SECOND;
    this.shutdownMs = options.shutdownMs ?? 20 * SECOND;
  }

  createLaunchTemplate(name: string, instanceType = 't3.micro'): string {
    const id = `lt-${String(this.templates.size + 1).padStart(17, '0')}`;
    this.templates.set(id, {
      launchTemplateId: id,
      launchTemplateName: name,
      latestVersion: 1,
      defaultVersion: 1,
      instanceType,
    });
    return id;
  }

  createLaunchTemplateVersion(id: string): number {
    const template = this.templates.get(id)!;
    template.latestVersion += 1;
    return template.latestVersion;
  }

  resolveLaunchTemplate(
    _scope: Scope,
    ref: LaunchTemplateRef,
  ): ResolvedLaunchTemplate | { missing: 'template' | 'version' } {
    const template = ref.launchTemplateId
      ? this.templates.get(ref.launchTemplateId)
      : [...this.templates.values()].find((candidate) => candidate.launchTemplateName === ref.launchTemplateName);
    if (!template) return { missing: 'template' };
    const wanted = ref.version ?? '$Default';
    const version =
      wanted === '$Latest' ? template.latestVersion : wanted === '$Default' ? template.defaultVersion : Number(wanted);
    if (!Number.isInteger(version) || version < 1 || version > template.latestVersion) return { missing: 'version' };
    return {
      launchTemplateId: template.launchTemplateId,
      launchTemplateName: template.launchTemplateName,
      version: String(version),
      instanceType: template.instanceType,
      imageId: 'ami-00000000000000001',
    };
  }

  availabilityZones(): string[] {
    return [...ZONES];
  }

  describeSubnets(_scope: Scope, subnetIds: string[]): SubnetView[] {
    return SUBNETS.filter((subnet) => subnetIds.includes(subnet.subnetId));
  }

  defaultSubnet(_scope: Scope, availabilityZone: string): SubnetView | undefined {
    return SUBNETS.find((subnet) => subnet.availabilityZone === availabilityZone);
  }

  instanceTypeExists(instanceType: string): boolean {
    return /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType);
  }

  launch(scope: Scope, request: LaunchRequest): Ec2InstanceView {
    if (this.failLaunches && this.failLaunches.remaining > 0) {
      this.failLaunches.remaining -= 1;
      throw this.failLaunches.error;
    }
    this.launchRequests.push(request);
    this.sequence += 1;
    const instanceId = `i-${this.sequence.toString(16).padStart(17, '0')}`;
    let instanceType = request.launchConfiguration?.instanceType ?? 't3.micro';
    let launchTemplate: Ec2InstanceView['launchTemplate'];
    if (request.launchTemplate) {
      const template = this.templates.get(request.launchTemplate.launchTemplateId)!;
      instanceType = template.instanceType;
      launchTemplate = {
        launchTemplateId: template.launchTemplateId,
        launchTemplateName: template.launchTemplateName,
        version: request.launchTemplate.version,
      };
    }
    const view: Ec2InstanceView = {
      instanceId,
      state: 'pending',
      instanceType,
      availabilityZone: request.availabilityZone,
      subnetId: request.subnetId,
      launchTimeMs: this.clock.now(),
      ...(launchTemplate ? { launchTemplate } : {}),
    };
    const instance: FakeInstance = {
      view,
      tags: Object.fromEntries(request.tags.map((tag) => [tag.key, tag.value])),
      timers: [],
    };
    this.instances.set(instanceId, instance);
    this.report(scope, instance, undefined, 'pending', 'RunInstances');
    instance.timers.push(this.clock.after(this.bootMs, () => this.move(scope, instanceId, 'running', 'booted')));
    return { ...view };
  }

  terminate(scope: Scope, instanceId: string, reason: string): void {
    this.terminateRequests.push(instanceId);
    const instance = this.instances.get(instanceId);
    if (!instance || instance.view.state === 'shutting-down' || instance.view.state === 'terminated') return;
    this.move(scope, instanceId, 'shutting-down', reason);
    instance.timers.push(this.clock.after(this.shutdownMs, () => this.move(scope, instanceId, 'terminated', reason)));
  }

  instance(_scope: Scope, instanceId: string): Ec2InstanceView | undefined {
    const instance = this.instances.get(instanceId);
    return instance ? { ...instance.view } : undefined;
  }

  /** The instance fails abruptly (EC2 terminates it), as a hardware failure or Spot loss would. */
  failInstance(instanceId: string): void {
    this.move({ accountId: ACCOUNT_ID, region: REGION }, instanceId, 'terminated', 'Instance failure');
  }

  /** An instance started outside Auto Scaling, running at once (for AttachInstances). */
  runStandaloneInstance(availabilityZone = ZONES[0]!): string {
    this.sequence += 1;
    const instanceId = `i-${this.sequence.toString(16).padStart(17, '0')}`;
    const subnet = SUBNETS.find((candidate) => candidate.availabilityZone === availabilityZone)!;
    this.instances.set(instanceId, {
      view: {
        instanceId,
        state: 'running',
        instanceType: 't3.micro',
        availabilityZone,
        subnetId: subnet.subnetId,
        launchTimeMs: this.clock.now(),
      },
      tags: {},
      timers: [],
    });
    return instanceId;
  }

  state(instanceId: string): Ec2InstanceView['state'] | undefined {
    return this.instances.get(instanceId)?.view.state;
  }

  tagsOf(instanceId: string): Record<string, string> {
    return { ...this.instances.get(instanceId)?.tags };
  }

  private move(scope: Scope, instanceId: string, state: Ec2InstanceView['state'], reason: string): void {
    const instance = this.instances.get(instanceId);
    if (!instance || instance.view.state === 'terminated') return;
    // A terminated instance does not boot later.
    if (state === 'running' && instance.view.state !== 'pending') return;
    const previous = instance.view.state;
    instance.view = { ...instance.view, state };
    this.report(scope, instance, previous, state, reason);
  }

  private report(
    scope: Scope,
    instance: FakeInstance,
    previous: Ec2InstanceView['state'] | undefined,
    state: Ec2InstanceView['state'],
    reason: string,
  ): void {
    this.onStateChange({
      accountId: scope.accountId,
      region: scope.region,
      instanceId: instance.view.instanceId,
      previousState: previous,
      state,
      instanceType: instance.view.instanceType,
      availabilityZone: instance.view.availabilityZone,
      subnetId: instance.view.subnetId,
      privateIpAddress: '10.0.0.10',
      imageId: 'ami-00000000000000001',
      userData: '',
      tags: { ...instance.tags },
      launchTimeMs: instance.view.launchTimeMs,
      reason,
    });
  }
}

interface TargetEntry {
  state: string;
  drainUntilMs?: number;
}

export interface TargetGroupCall {
  kind: 'register' | 'deregister';
  targetGroupArn: string;
  instanceIds: string[];
  atMs: number;
}

/** ELBv2 target groups: targets healthy on registration, draining for the deregistration delay. */
export class FakeTargetGroups implements TargetGroupsPort {
  readonly groups = new Map<string, Map<string, TargetEntry>>();
  readonly calls: TargetGroupCall[] = [];
  deregistrationDelayMs: number;

  constructor(
    private readonly clock: Clock,
    deregistrationDelayMs = 300 * SECOND,
  ) {
    this.deregistrationDelayMs = deregistrationDelayMs;
  }

  createTargetGroup(name: string): string {
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:targetgroup/${name}/${String(this.groups.size + 1).padStart(16, '0')}`;
    this.groups.set(arn, new Map());
    return arn;
  }

  missing(_scope: Scope, targetGroupArns: string[]): string[] {
    return targetGroupArns.filter((arn) => !this.groups.has(arn));
  }

  register(_scope: Scope, targetGroupArn: string, instanceIds: string[]): void {
    this.calls.push({ kind: 'register', targetGroupArn, instanceIds: [...instanceIds], atMs: this.clock.now() });
    const targets = this.groups.get(targetGroupArn);
    for (const id of instanceIds) targets?.set(id, { state: 'healthy' });
  }

  deregister(_scope: Scope, targetGroupArn: string, instanceIds: string[]): void {
    this.calls.push({ kind: 'deregister', targetGroupArn, instanceIds: [...instanceIds], atMs: this.clock.now() });
    const targets = this.groups.get(targetGroupArn);
    for (const id of instanceIds) {
      if (targets?.has(id))
        targets.set(id, { state: 'draining', drainUntilMs: this.clock.now() + this.deregistrationDelayMs });
    }
  }

  isDraining(_scope: Scope, targetGroupArn: string, instanceId: string): boolean {
    const targets = this.groups.get(targetGroupArn);
    const entry = targets?.get(instanceId);
    if (!entry || entry.state !== 'draining') return false;
    if (this.clock.now() < (entry.drainUntilMs ?? 0)) return true;
    targets!.delete(instanceId);
    return false;
  }

  health(_scope: Scope, targetGroupArn: string, instanceIds: string[]): TargetHealthView[] {
    const targets = this.groups.get(targetGroupArn);
    return instanceIds.flatMap((id) => {
      const entry = targets?.get(id);
      return entry ? [{ instanceId: id, state: entry.state }] : [];
    });
  }

  setHealth(targetGroupArn: string, instanceId: string, state: string): void {
    this.groups.get(targetGroupArn)?.set(instanceId, { state });
  }

  registered(targetGroupArn: string): string[] {
    return [...(this.groups.get(targetGroupArn) ?? new Map<string, TargetEntry>())]
      .filter(([, entry]) => entry.state !== 'draining')
      .map(([id]) => id);
  }
}

export class RecordingEventBus implements EventBusPort {
  readonly events: AwsEventInput[] = [];

  publish(event: AwsEventInput): void {
    this.events.push(event);
  }

  ofType(detailType: string): AwsEventInput[] {
    return this.events.filter((event) => event.detailType === detailType);
  }
}

export interface Delivery {
  targetArn: string;
  body: string;
  message: Record<string, unknown>;
  subject?: string;
  atMs: number;
}

export class RecordingNotificationTargets implements NotificationTargetsPort {
  readonly deliveries: Delivery[] = [];
  readonly deliverable = new Set<string>();

  constructor(private readonly clock: Clock) {}

  canDeliver(_scope: Scope, targetArn: string): boolean {
    return this.deliverable.has(targetArn);
  }

  deliver(_scope: Scope, targetArn: string, body: string, subject?: string): void {
    const delivery: Delivery = {
      targetArn,
      body,
      message: JSON.parse(body) as Record<string, unknown>,
      atMs: this.clock.now(),
    };
    if (subject !== undefined) delivery.subject = subject;
    this.deliveries.push(delivery);
  }

  to(targetArn: string): Delivery[] {
    return this.deliveries.filter((delivery) => delivery.targetArn === targetArn);
  }
}

export interface ScenarioOptions {
  seed?: number;
  /** A store directory (to test restarts); default an in-memory store. */
  storeLocation?: string;
  /** Virtual epoch ms to start at; default VirtualClock's. */
  startAtMs?: number;
  bootMs?: number;
  shutdownMs?: number;
  deregistrationDelayMs?: number;
}

export interface AutoScalingScenario {
  clock: VirtualClock;
  store: Store;
  controlLoop: ControlLoop;
  service: AutoScalingService;
  ec2: FakeEc2;
  targetGroups: FakeTargetGroups;
  eventBus: RecordingEventBus;
  notifications: RecordingNotificationTargets;
  startMs: number;
  /** Runs an operation as the gateway would after model validation; throws its ServiceError. */
  call<O = Record<string, unknown>>(operation: string, input: object): O;
  /** Lets the controller converge at the current instant. */
  settle(): Promise<void>;
  /** Advances virtual time by ms, firing every timer due on the way. */
  advanceBy(ms: number): Promise<void>;
  /** Advances virtual time to startMs + ms. */
  advanceTo(ms: number): Promise<void>;
  group(name: string): AutoScalingGroup;
  instances(name: string): AutoScalingInstanceDetails[];
  /** instanceId → LifecycleState. */
  states(name: string): Record<string, string>;
  inState(name: string, state: string): string[];
  activities(name: string): Activity[];
  close(): Promise<void>;
}

export function autoscalingScenario(options: ScenarioOptions = {}): AutoScalingScenario {
  const clock = new VirtualClock(options.startAtMs !== undefined ? { startAtMs: options.startAtMs } : {});
  const store = openStore({ location: options.storeLocation ?? 'memory', migrations: autoscalingMigrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const ec2 = new FakeEc2({
    clock,
    ...(options.bootMs !== undefined ? { bootMs: options.bootMs } : {}),
    ...(options.shutdownMs !== undefined ? { shutdownMs: options.shutdownMs } : {}),
  });
  const targetGroups = new FakeTargetGroups(clock, options.deregistrationDelayMs);
  const eventBus = new RecordingEventBus();
  const notifications = new RecordingNotificationTargets(clock);
  const service = createAutoScalingService({
    store,
    clock,
    random: seededRandom(options.seed ?? 1),
    controlLoop,
    logger: silentLogger,
    ports: { ec2, eventBus, notificationTargets: notifications, targetGroups },
  });
  ec2.onStateChange = (change) => service.instanceStateChanged(change);
  const startMs = clock.now();
  const context = (operationName: string): RequestContext => ({
    requestId: 'req-0000',
    region: REGION,
    accountId: ACCOUNT_ID,
    serviceId: 'autoscaling',
    operationName,
  });
  const call = <O>(operation: string, input: object): O => {
    const handler = service.operations[operation];
    if (!handler) throw new Error(`Auto Scaling does not implement ${operation}`);
    const result = handler(input as never, context(operation));
    if (result instanceof Promise) throw new Error(`${operation} answered asynchronously`);
    return result as O;
  };
  const describeInstances = (name: string) =>
    call<{ AutoScalingInstances: AutoScalingInstanceDetails[] }>(
      'DescribeAutoScalingInstances',
      {},
    ).AutoScalingInstances.filter((instance) => instance.AutoScalingGroupName === name);
  return {
    clock,
    store,
    controlLoop,
    service,
    ec2,
    targetGroups,
    eventBus,
    notifications,
    startMs,
    call,
    settle: async () => {
      await clock.advanceBy(0);
    },
    advanceBy: async (ms) => {
      await clock.advanceBy(ms);
    },
    advanceTo: async (ms) => {
      await clock.advanceTo((startMs + ms) as never);
    },
    group: (name) =>
      call<{ AutoScalingGroups: AutoScalingGroup[] }>('DescribeAutoScalingGroups', { AutoScalingGroupNames: [name] })
        .AutoScalingGroups[0]!,
    instances: describeInstances,
    states: (name) =>
      Object.fromEntries(describeInstances(name).map((instance) => [instance.InstanceId!, instance.LifecycleState!])),
    inState: (name, state) =>
      describeInstances(name)
        .filter((instance) => instance.LifecycleState === state)
        .map((instance) => instance.InstanceId!),
    activities: (name) =>
      call<{ Activities: Activity[] }>('DescribeScalingActivities', { AutoScalingGroupName: name }).Activities,
    close: async () => {
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  };
}

/** The ServiceError an operation throws (for asserting code and message). */
export function serviceErrorOf(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected the operation to fail, and it succeeded');
}

/** CreateAutoScalingGroup with a fresh launch template across the three subnets, MinSize 0, MaxSize 10. */
export function createGroup(
  t: AutoScalingScenario,
  input: Record<string, unknown> & { AutoScalingGroupName: string },
): void {
  const template = t.ec2.createLaunchTemplate(`template-${input.AutoScalingGroupName}`);
  t.call('CreateAutoScalingGroup', {
    MinSize: 0,
    MaxSize: 10,
    LaunchTemplate: { LaunchTemplateId: template },
    VPCZoneIdentifier: SUBNETS.map((subnet) => subnet.subnetId).join(','),
    ...input,
  });
}

export const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';
export const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';
