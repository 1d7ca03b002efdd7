/**
 * Composition root: picks the clock and randomness for the mode, opens the store with every
 * service's migrations, builds each service's operation table and serves them all through one
 * gateway. The only place that knows every layer; services meet each other only here.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Clock } from './kernel/clock.js';
import { ControlLoop } from './kernel/control-loop.js';
import { createLogger, type Logger } from './kernel/logger.js';
import { seededRandom, seedFromEntropy } from './kernel/random.js';
import { SystemClock } from './kernel/system-clock.js';
import { VirtualClock } from './kernel/virtual-clock.js';
import { ServiceError } from './kernel/service-error.js';
import { createAutoScalingService } from './services/autoscaling/service.js';
import { autoscalingMigrations } from './services/autoscaling/store.js';
import { createEc2Service, ec2Migrations, type Ec2Timings } from './services/ec2/service.js';
import type { InstanceStateChange } from './services/ec2/ports.js';
import { instanceTypeSpec } from './services/ec2/instance-types.js';
import type { TaskRuntimePort } from './services/ecs/ports.js';
import { createEcsService, type EcsService } from './services/ecs/service.js';
import { ecsMigrations } from './services/ecs/store.js';
import { createProcessTaskRuntime } from './dataplane/process-task-runtime.js';
import { createSimulatedTaskRuntime } from './sim/simulated-task-runtime.js';
import { createSimulatedLoadBalancerDataplane } from './sim/simulated-load-balancer.js';
import { createProxyDataplane } from './dataplane/load-balancer/proxy-dataplane.js';
import { createElbv2Service, type Elbv2Service } from './services/elbv2/service.js';
import { elbv2Migrations } from './services/elbv2/store.js';
import type { LoadBalancerDataplanePort } from './services/elbv2/ports.js';
import { openStore, type Store } from './store/store.js';
import { Outbox } from './outbox.js';
import { parseArn } from './kernel/ids.js';
import { createSqsService, sqsMigrations } from './services/sqs/service.js';
import { createSnsService, snsMigrations } from './services/sns/service.js';
import { createEventsService } from './services/events/service.js';
import { eventsMigrations } from './services/events/store.js';
import type { EventBusPort } from './services/events/ports.js';
import { createLambdaService } from './services/lambda/service.js';
import { lambdaMigrations } from './services/lambda/store.js';
import { createProcessFunctionRuntime } from './dataplane/lambda/process-function-runtime.js';
import type { AdminHooks } from './wire/admin.js';
import { Gateway } from './wire/gateway.js';

export interface DrydockConfig {
  host: string;
  port: number;
  /** `memory`, or the directory that holds drydock.sqlite. */
  state: string;
  clock: 'real' | 'virtual';
  /** Real clock only: drydock time runs this many times faster than wall time. */
  timeScale: number;
  /** Seeds every id and random choice; drawn from entropy when absent. */
  seed?: number;
  auth: 'any' | 'strict';
  /** access key id → secret, for `auth: 'strict'`. */
  accessKeys: Record<string, string>;
  accountId: string;
  /** Region of unsigned requests; signed ones use their credential scope's. */
  region: string;
  logLevel: string;
  logger?: Logger;
  /** Listener ports below 1024 are served this much higher (e.g. 8000: port 80 on 8080); 0 = as asked. */
  privilegedPortOffset?: number;
  /** EC2 instance boot, stop and shutdown durations (drydock time); realistic by default. */
  ec2Timings?: Partial<Ec2Timings>;
}

export const DEFAULT_CONFIG: DrydockConfig = {
  host: '127.0.0.1',
  port: 4566,
  state: '.drydock',
  clock: 'real',
  timeScale: 1,
  auth: 'any',
  accessKeys: { test: 'test' },
  accountId: '000000000000',
  region: 'us-east-1',
  logLevel: 'info',
};

export const VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

export interface Drydock {
  readonly config: DrydockConfig;
  readonly url: string;
  readonly address: AddressInfo;
  readonly clock: Clock;
  readonly store: Store;
  readonly seed: number;
  /** What services sent to EventBridge, SNS and SQS (until those are served: what they would have received). */
  readonly outbox: Outbox;
  close(): Promise<void>;
}

export async function startDrydock(overrides: Partial<DrydockConfig> = {}): Promise<Drydock> {
  const config: DrydockConfig = { ...DEFAULT_CONFIG, ...overrides };
  const clock: Clock =
    config.clock === 'virtual' ? new VirtualClock() : new SystemClock({ timeScale: config.timeScale });
  const logger = config.logger ?? createLogger({ level: config.logLevel, clock });
  const seed = config.seed ?? seedFromEntropy();
  const random = seededRandom(seed);
  const store = openStore({
    location: config.state,
    migrations: [
      ...autoscalingMigrations,
      ...ec2Migrations,
      ...ecsMigrations,
      ...elbv2Migrations,
      ...eventsMigrations,
      ...lambdaMigrations,
      ...snsMigrations,
      ...sqsMigrations,
    ],
  });
  const controlLoop = new ControlLoop({ clock, logger: logger.child({ component: 'control-loop' }) });
  const outbox = new Outbox(clock, random);
  const startedAtMs = clock.now();

  // Messaging first: every other service publishes to EventBridge and notifies SNS/SQS.
  const sqs = createSqsService({
    store,
    clock,
    random: random.fork('sqs'),
    controlLoop,
    logger,
    baseUrl: () => gateway.url,
  });
  // Functions are user code: real processes in both clock modes (a process cannot be paused).
  const functionRuntime = createProcessFunctionRuntime({
    clock,
    logger,
    awsEnvironment: () => ({
      AWS_ENDPOINT_URL: gateway.url,
      AWS_ACCESS_KEY_ID: Object.keys(config.accessKeys)[0] ?? 'test',
      AWS_SECRET_ACCESS_KEY: Object.values(config.accessKeys)[0] ?? 'test',
    }),
  });
  const lambda = createLambdaService({
    store,
    clock,
    random: random.fork('lambda'),
    controlLoop,
    logger,
    ports: {
      runtime: functionRuntime,
      // SQS event source mappings: Lambda polls queues through SQS's own receive and delete.
      queues: {
        exists: (scope, queueArn) => sqs.queueExists(scope, queueArn),
        receive: (scope, queueArn, max) => sqs.receiveByArn(scope, queueArn, max),
        delete: (scope, queueArn, receiptHandle) => sqs.deleteByArn(scope, queueArn, receiptHandle),
      },
    },
    stateDir: config.state === 'memory' ? undefined : config.state,
  });
  const sns = createSnsService({
    store,
    clock,
    random: random.fork('sns'),
    controlLoop,
    logger,
    baseUrl: () => gateway.url,
    ports: {
      sqs: { sendByArn: (...args) => sqs.sendByArn(...args), queueExists: (...args) => sqs.queueExists(...args) },
      lambda: { invokeAsync: (scope, functionArn, payload) => lambda.invokeAsync(scope, functionArn, payload) },
      http: {
        post: async (url, body, headers) =>
          (await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(15_000) })).status,
      },
    },
  });
  const events = createEventsService({
    store,
    clock,
    random: random.fork('events'),
    controlLoop,
    logger,
    ports: {
      targets: {
        exists: (scope, targetArn) => messageTargetExists(scope, targetArn),
        deliver: (scope, targetArn, input, attributes, fifo) =>
          deliverToTarget(scope, targetArn, input, undefined, attributes, fifo),
      },
    },
  });
  // Every AWS event goes to EventBridge's default bus, and to the outbox (the delivery log).
  const eventBus: EventBusPort = {
    publish: (event) => {
      outbox.eventBus.publish(event);
      events.eventBus.publish(event);
    },
  };

  function messageTargetExists(scope: { accountId: string; region: string }, targetArn: string): boolean {
    switch (parseArn(targetArn)?.service) {
      case 'sqs':
        return sqs.queueExists(scope, targetArn);
      case 'sns':
        return sns.topicExists(scope, targetArn);
      case 'lambda':
        return lambda.functionExists(scope, targetArn);
      default:
        return false;
    }
  }

  /** Sends to an SQS queue, SNS topic or Lambda function by ARN; a missing one is ResourceNotFoundException. */
  function deliverToTarget(
    scope: { accountId: string; region: string },
    targetArn: string,
    body: string,
    subject?: string,
    attributes?: Record<string, string>,
    fifo?: { messageGroupId: string; messageDeduplicationId: string },
  ): void {
    if (!messageTargetExists(scope, targetArn)) {
      throw new ServiceError('ResourceNotFoundException', `Target ${targetArn} does not exist.`);
    }
    switch (parseArn(targetArn)?.service) {
      case 'sqs':
        sqs.sendByArn(
          scope,
          targetArn,
          body,
          attributes &&
            Object.fromEntries(
              Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
            ),
          fifo,
        );
        return;
      case 'sns':
        sns.publishByArn(scope, targetArn, body, subject);
        return;
      case 'lambda':
        lambda.invokeAsync(scope, targetArn, body);
        return;
    }
  }

  // EC2 instance state changes are facts other services act on; each listener gets every change.
  const instanceStateListeners: Array<(change: InstanceStateChange) => void> = [];
  const ec2 = createEc2Service({
    store,
    clock,
    random: random.fork('ec2'),
    controlLoop,
    logger,
    timings: config.ec2Timings,
    ports: {
      eventBus,
      instanceStateListener: {
        instanceStateChanged: (change) => {
          for (const listener of instanceStateListeners) listener(change);
        },
      },
    },
  });

  // Tasks are real processes on the real clock and simulated ones on the virtual clock: real
  // processes cannot be paused, so the two are never mixed (ARCHITECTURE.md, Modes).
  const processRuntime =
    clock.mode === 'real'
      ? createProcessTaskRuntime({
          clock,
          logger,
          listener: () => ecs.runtimeListener,
          agentApi: () => ecs.agentApi,
        })
      : undefined;
  const taskRuntime: TaskRuntimePort =
    processRuntime ??
    createSimulatedTaskRuntime({ clock, random: random.fork('task-runtime'), listener: () => ecs.runtimeListener });
  const ecs: EcsService = createEcsService({
    store,
    clock,
    random: random.fork('ecs'),
    controlLoop,
    logger,
    ports: {
      eventBus,
      taskRuntime,
      instanceTypes: { describe: (instanceType) => instanceTypeSpec(instanceType) },
      // ELBv2 is built after ECS (it asks ECS where instance targets listen), so bind late.
      // Auto Scaling is built after ECS (capacity providers drive its groups), so bind late.
      autoScalingGroups: {
        describeGroup: (...args) => autoscaling.ecsCapacityPort.describeGroup(...args),
        setDesiredCapacity: (...args) => autoscaling.ecsCapacityPort.setDesiredCapacity(...args),
        setInstanceProtection: (...args) => autoscaling.ecsCapacityPort.setInstanceProtection(...args),
        putLifecycleHook: (...args) => autoscaling.ecsCapacityPort.putLifecycleHook(...args),
        deleteLifecycleHook: (...args) => autoscaling.ecsCapacityPort.deleteLifecycleHook(...args),
        recordHeartbeat: (...args) => autoscaling.ecsCapacityPort.recordHeartbeat(...args),
        completeLifecycleAction: (...args) => autoscaling.ecsCapacityPort.completeLifecycleAction(...args),
      },
      loadBalancerTargets: {
        exists: (...args) => elbv2.targetsPort.exists(...args),
        targetType: (...args) => elbv2.targetsPort.targetType(...args),
        register: (...args) => elbv2.targetsPort.register(...args),
        deregister: (...args) => elbv2.targetsPort.deregister(...args),
        state: (...args) => elbv2.targetsPort.state(...args),
      },
    },
  });
  instanceStateListeners.push((change) => ecs.instanceStateChanged(change));

  // Load balancers: real listening sockets and probes on the real clock, counts on the virtual one.
  const proxyDataplane =
    clock.mode === 'real'
      ? createProxyDataplane({
          clock,
          logger,
          routing: () => elbv2.routing,
          observer: () => elbv2.observer,
          privilegedPortOffset: config.privilegedPortOffset,
        })
      : undefined;
  const loadBalancerDataplane: LoadBalancerDataplanePort =
    proxyDataplane ??
    createSimulatedLoadBalancerDataplane({
      clock,
      random: random.fork('load-balancer-dataplane'),
      observer: () => elbv2.observer,
      routing: () => elbv2.routing,
    });
  const elbv2: Elbv2Service = createElbv2Service({
    store,
    clock,
    random: random.fork('elbv2'),
    controlLoop,
    logger,
    ports: {
      eventBus,
      dataplane: loadBalancerDataplane,
      // Instance targets are reached where ECS runs that instance's tasks (its own loopback address).
      instances: {
        addressOf: (scope, instanceId) => ecs.hostAddressOf(scope, instanceId),
        instanceState: (scope, instanceId) => ec2.autoScalingPort.instance(scope, instanceId)?.state,
        availabilityZoneOf: (scope, instanceId) => ec2.autoScalingPort.instance(scope, instanceId)?.availabilityZone,
      },
      subnets: { describeSubnets: (scope, ids) => ec2.autoScalingPort.describeSubnets(scope, ids) },
    },
  });

  const autoscaling = createAutoScalingService({
    store,
    clock,
    random: random.fork('autoscaling'),
    controlLoop,
    logger,
    ports: {
      ec2: ec2.autoScalingPort,
      // ECS's managed draining acts on the lifecycle actions of its hook, as AWS's ECS does.
      eventBus: {
        publish: (event) => {
          eventBus.publish(event);
          if (event.detailType === 'EC2 Instance-terminate Lifecycle Action') {
            ecs.lifecycleActionStarted({ accountId: event.accountId, region: event.region }, event.detail);
          }
        },
      },
      // Lifecycle-hook targets and notification configurations: SNS topics and SQS queues (not FIFO).
      notificationTargets: {
        canDeliver: (scope, targetArn) =>
          parseArn(targetArn)?.service === 'sqs'
            ? sqs.queueExists(scope, targetArn) && !sqs.isFifo(scope, targetArn)
            : parseArn(targetArn)?.service === 'sns' && sns.topicExists(scope, targetArn),
        deliver: (scope, targetArn, body, subject) => {
          outbox.recordNotification(scope, targetArn, body, subject);
          try {
            deliverToTarget(scope, targetArn, body, subject);
          } catch (error) {
            logger.warn({ err: error, targetArn }, 'Auto Scaling notification could not be delivered');
          }
        },
      },
      targetGroups: elbv2.autoScalingPort,
    },
  });
  instanceStateListeners.push((change) => autoscaling.instanceStateChanged(change));

  const admin: AdminHooks = {
    health: () => ({ status: 'ok', version: VERSION }),
    status: () => ({
      version: VERSION,
      endpoint: gateway.url,
      clock: clockReport(),
      seed,
      state: store.location,
      auth: config.auth,
      accountId: config.accountId,
      startedAt: new Date(startedAtMs).toISOString(),
      controlLoop: controlLoop.stats(),
      resources: store.counts(),
      listeners: elbv2.listeners().map((listener) => ({
        address: `${listener.protocol === 'HTTP' ? 'http://' : ''}${listener.address}:${listener.port}`,
        description: `${listener.loadBalancerName} (${listener.type}) ${listener.protocol}, ${listener.state}${listener.message ? `: ${listener.message}` : ''}`,
      })),
    }),
    reset: () => {
      store.reset();
      outbox.clear();
    },
    clock: () => clockReport(),
    advanceClock:
      clock instanceof VirtualClock
        ? async ({ ms, untilIdle, limitMs }) => {
            const fromMs = clock.now();
            let firedCount = 0;
            let idle: boolean | undefined;
            if (ms !== undefined) firedCount += await clock.advanceBy(ms);
            if (untilIdle) {
              const result = await clock.runUntilIdle({ limitMs: limitMs ?? 48 * 3600_000 });
              firedCount += result.firedCount;
              idle = result.idle;
            }
            return { ...clockReport(), advancedMs: clock.now() - fromMs, firedTimers: firedCount, idle };
          }
        : undefined,
    routes: {
      'GET /_drydock/outbox': (query) => ({
        entries: outbox.list({
          kind: query.kind === 'event' || query.kind === 'notification' ? query.kind : undefined,
          afterSeq: query.afterSeq === undefined ? undefined : Number(query.afterSeq),
          limit: query.limit === undefined ? undefined : Number(query.limit),
        }),
      }),
      'GET /_drydock/ecs/logs': (query) => {
        if (typeof query.task !== 'string' || query.task === '') {
          throw new ServiceError('ValidationException', 'task is required (a task id or ARN).');
        }
        const scope = {
          accountId: config.accountId,
          region: typeof query.region === 'string' ? query.region : config.region,
        };
        return {
          containers: ecs.taskLogs(scope, query.task, typeof query.cluster === 'string' ? query.cluster : undefined),
        };
      },
      'GET /_drydock/lambda/logs': (query) => {
        if (typeof query.function !== 'string' || query.function === '') {
          throw new ServiceError('ValidationException', 'function is required (a function name or ARN).');
        }
        const scope = {
          accountId: config.accountId,
          region: typeof query.region === 'string' ? query.region : config.region,
        };
        return { lines: lambda.logs(scope, query.function) };
      },
      'POST /_drydock/ec2/spot-interruption': (body) => {
        const target = adminTarget(body);
        ec2.interruptSpot(target.scope, target.instanceId);
        return { interrupted: target.instanceId, terminatesInSeconds: 120 };
      },
      'POST /_drydock/ec2/instance-failure': (body) => {
        const target = adminTarget(body);
        ec2.failInstance(target.scope, target.instanceId);
        return { failed: target.instanceId };
      },
    },
  };

  /** Admin calls name an instance, and optionally its region/account (else drydock's defaults). */
  function adminTarget(body: Record<string, unknown>) {
    const { instanceId, region, accountId } = body;
    if (typeof instanceId !== 'string' || instanceId === '') {
      throw new ServiceError('ValidationException', 'instanceId is required (e.g. {"instanceId": "i-0123…"}).');
    }
    return {
      instanceId,
      scope: {
        accountId: typeof accountId === 'string' ? accountId : config.accountId,
        region: typeof region === 'string' ? region : config.region,
      },
    };
  }

  const gateway = new Gateway({
    host: config.host,
    port: config.port,
    accountId: config.accountId,
    defaultRegion: config.region,
    auth: { mode: config.auth, accessKeys: config.accessKeys },
    clock,
    random,
    logger: logger.child({ component: 'gateway' }),
    admin,
    services: {
      autoscaling: autoscaling.operations,
      ec2: ec2.operations,
      elbv2: elbv2.operations,
      events: events.operations,
      lambda: lambda.operations,
      sns: sns.operations,
      sqs: sqs.operations,
      ecs: ecs.operations,
    },
  });

  function clockReport() {
    const nowMs = clock.now();
    return {
      mode: clock.mode,
      nowMs,
      now: new Date(nowMs).toISOString(),
      timeScale: config.clock === 'real' ? config.timeScale : 1,
      pendingTimers: clock.pendingTimerCount(),
    };
  }

  let address: AddressInfo;
  try {
    address = await gateway.listen();
  } catch (error) {
    store.close();
    clock.close();
    throw error;
  }

  return {
    config,
    url: gateway.url,
    address,
    clock,
    store,
    seed,
    outbox,
    async close() {
      sqs.close(); // answers held long polls, so the server can close
      await gateway.close();
      await controlLoop.stop();
      await functionRuntime.close();
      lambda.close();
      await processRuntime?.close();
      await proxyDataplane?.close();
      clock.close();
      store.close();
    },
  };
}
