/**
 * The drain function against drydock on the virtual clock, driven through the real AWS SDK v3
 * clients: an ECS cluster on an Auto Scaling group with a termination hook (heartbeat timeout
 * 300 s, DefaultResult ABANDON), the hook's events routed by an EventBridge rule to an SQS queue,
 * and the handler invoked with what the queue holds, as Lambda would. Its sleeps advance the
 * virtual clock, and each invocation has Lambda's 15 minutes of (virtual) time, so a 3-hour drain
 * runs through a dozen hand-overs in well under a second of wall time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeScalingActivitiesCommand,
  PutLifecycleHookCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StartTaskCommand,
  type ContainerInstance,
  type KeyValuePair,
} from '@aws-sdk/client-ecs';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { VirtualClock } from '../../src/kernel/virtual-clock.js';
import { startTestDrydock, type Clients, type TestDrydock } from '../../test/support/drydock.js';
import { createDrainHandler, STANDALONE_STOP_REASON, type DrainResult } from './drain.mjs';
import { readSettings } from './settings.mjs';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const LAMBDA_TIMEOUT_MS = 15 * MINUTE;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:drain';
const GROUP = 'fleet';
const HOOK = 'drain';
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';
const ROLE = 'arn:aws:iam::000000000000:role/lifecycle';

let drydock: TestDrydock | undefined;
afterEach(async () => {
  await drydock?.close();
  drydock = undefined;
});

// ── the fleet ─────────────────────────────────────────────────────────────────────────────────

interface Fleet {
  clients: Clients;
  clock: VirtualClock;
  queueUrl: string;
  queueArn: string;
  /** The group's instances, by EC2 id, with their container instances (when they are ones). */
  instances: string[];
  containerInstances: ContainerInstance[];
  lifecycleState(instanceId: string): Promise<string | undefined>;
  /** What the lifecycle queue holds now (each message deleted), as Lambda's SQS event. */
  receive(): Promise<{ Records: Array<{ eventSource: string; body: string }> }>;
}

/**
 * A cluster `fleet` on a group of `size` t3.medium instances (ECS user data unless `ecs: false`)
 * with the termination hook, EventBridge → SQS for its events, booted and registered.
 */
async function startFleet(options: { size: number; ecs?: boolean; extraCluster?: string }): Promise<Fleet> {
  drydock = await startTestDrydock({ clock: 'virtual' });
  const clock = drydock.clock as VirtualClock;
  const clients = drydock.clients();
  await clients.ecs.send(new CreateClusterCommand({ clusterName: 'fleet' }));
  if (options.extraCluster) await clients.ecs.send(new CreateClusterCommand({ clusterName: options.extraCluster }));
  const userData =
    options.ecs === false
      ? '#!/bin/bash\necho hello\n'
      : '#!/bin/bash\necho ECS_CLUSTER=fleet >> /etc/ecs/ecs.config\n';
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'fleet',
      LaunchTemplateData: {
        ImageId: 'ami-0123456789abcdef0',
        InstanceType: 't3.medium',
        UserData: Buffer.from(userData).toString('base64'),
      },
    }),
  );
  const queue = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'lifecycle' }));
  const queueUrl = queue.QueueUrl!;
  const queueArn = (
    await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  await clients.events.send(
    new PutRuleCommand({
      Name: 'drain',
      EventPattern: JSON.stringify({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
      }),
    }),
  );
  await clients.events.send(new PutTargetsCommand({ Rule: 'drain', Targets: [{ Id: 'queue', Arn: queueArn }] }));
  await clients.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: GROUP,
      LaunchTemplate: { LaunchTemplateName: 'fleet' },
      MinSize: 0,
      MaxSize: options.size + 1,
      DesiredCapacity: options.size,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      LifecycleHookSpecificationList: [
        { LifecycleHookName: HOOK, LifecycleTransition: TERMINATING, HeartbeatTimeout: 300, DefaultResult: 'ABANDON' },
      ],
    }),
  );
  await clock.advanceBy(20 * SECOND);
  const instances = (await clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({})))
    .AutoScalingInstances!.map((instance) => instance.InstanceId!)
    .sort();
  const arns = (await clients.ecs.send(new ListContainerInstancesCommand({ cluster: 'fleet' }))).containerInstanceArns!;
  const containerInstances =
    arns.length === 0
      ? []
      : (await clients.ecs.send(new DescribeContainerInstancesCommand({ cluster: 'fleet', containerInstances: arns })))
          .containerInstances!;

  return {
    clients,
    clock,
    queueUrl,
    queueArn,
    instances,
    containerInstances,
    async lifecycleState(instanceId) {
      await clock.advanceBy(0); // lets the controllers take the steps already due
      const answer = await clients.autoscaling.send(
        new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }),
      );
      return answer.AutoScalingInstances?.[0]?.LifecycleState;
    },
    async receive() {
      await clock.advanceBy(0);
      const answer = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      const messages = answer.Messages ?? [];
      for (const message of messages) {
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
      return { Records: messages.map((message) => ({ eventSource: 'aws:sqs', body: message.Body! })) };
    },
  };
}

async function startTask(
  fleet: Fleet,
  containerInstanceArn: string,
  family: string,
  image: string,
  environment: KeyValuePair[],
  stopTimeout?: number,
): Promise<string> {
  await fleet.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [{ name: family, image, memory: 64, environment, stopTimeout }],
    }),
  );
  const started = await fleet.clients.ecs.send(
    new StartTaskCommand({ cluster: 'fleet', taskDefinition: family, containerInstances: [containerInstanceArn] }),
  );
  await fleet.clock.advanceBy(5 * SECOND);
  return started.tasks![0]!.taskArn!;
}

async function describeTask(fleet: Fleet, taskArn: string) {
  return (await fleet.clients.ecs.send(new DescribeTasksCommand({ cluster: 'fleet', tasks: [taskArn] }))).tasks![0]!;
}

async function terminate(fleet: Fleet, instanceId: string): Promise<void> {
  await fleet.clients.autoscaling.send(
    new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: false }),
  );
  await fleet.clock.advanceBy(0);
  expect(await fleet.lifecycleState(instanceId)).toBe('Terminating:Wait');
}

// ── the function, as Lambda would run it ──────────────────────────────────────────────────────

interface Drainer {
  /** Invokes the handler with `event`, then with every hand-over it asks for, until none is left. */
  run(event: unknown): Promise<DrainResult[]>;
  invocations: number;
  /** Every call the handler made to Auto Scaling, by command name. */
  autoscalingCalls: string[];
}

function drainer(
  fleet: Fleet,
  env: Record<string, string>,
  options: { lambdaTimeoutMs?: number; afterSleep?: () => Promise<void> } = {},
): Drainer {
  const pending: unknown[] = [];
  const autoscalingCalls: string[] = [];
  const autoscaling = {
    send: (command: object) => {
      autoscalingCalls.push(command.constructor.name);
      return fleet.clients.autoscaling.send(command as never);
    },
  };
  const handler = createDrainHandler({
    ecs: fleet.clients.ecs,
    autoscaling,
    settings: readSettings(env),
    now: () => fleet.clock.now(),
    sleep: async (ms) => {
      await fleet.clock.advanceBy(ms);
      await options.afterSleep?.();
    },
    log: () => undefined,
    continueLater: async (payload) => {
      pending.push(payload);
    },
  });
  const self: Drainer = {
    invocations: 0,
    autoscalingCalls,
    async run(event) {
      pending.push(event);
      const results: DrainResult[] = [];
      while (pending.length > 0) {
        const next = pending.shift();
        self.invocations += 1;
        const deadline = fleet.clock.now() + (options.lambdaTimeoutMs ?? LAMBDA_TIMEOUT_MS);
        const answer = await handler(next, {
          invokedFunctionArn: FUNCTION_ARN,
          getRemainingTimeInMillis: () => deadline - fleet.clock.now(),
        });
        results.push(...answer.results);
      }
      return results;
    },
  };
  return self;
}

// ── scenarios ─────────────────────────────────────────────────────────────────────────────────

describe('a terminating container instance is drained, then its lifecycle action completed', () => {
  it('a 3-hour drain is kept alive by heartbeats across Lambda hand-overs; service tasks move, the job finishes', async () => {
    const fleet = await startFleet({ size: 2 });
    const [leaving, staying] = fleet.containerInstances;
    // A service with a task on each instance, and a 3-hour standalone job on the one that leaves.
    await fleet.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'drydock/http-echo', memory: 128 }],
      }),
    );
    await fleet.clients.ecs.send(
      new CreateServiceCommand({
        cluster: 'fleet',
        serviceName: 'web',
        taskDefinition: 'web',
        desiredCount: 2,
        placementStrategy: [{ type: 'spread', field: 'instanceId' }],
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 },
      }),
    );
    await fleet.clock.advanceBy(10 * SECOND);
    const job = await startTask(fleet, leaving!.containerInstanceArn!, 'job', 'drydock/crash', [
      { name: 'CRASH_AFTER_MS', value: String(3 * HOUR) },
      { name: 'CRASH_EXIT_CODE', value: '0' },
    ]);
    const serviceTasksOn = async (containerInstanceArn: string) =>
      (
        await fleet.clients.ecs.send(
          new ListTasksCommand({ cluster: 'fleet', serviceName: 'web', containerInstance: containerInstanceArn }),
        )
      ).taskArns!.length;
    expect(await serviceTasksOn(leaving!.containerInstanceArn!)).toBe(1);

    await terminate(fleet, leaving!.ec2InstanceId!);
    const startedAt = fleet.clock.now();
    const states = new Set<string | undefined>();
    const drain = drainer(
      fleet,
      { POLL_SECONDS: '60' },
      {
        afterSleep: async () => {
          states.add(await fleet.lifecycleState(leaving!.ec2InstanceId!));
        },
      },
    );
    const results = await drain.run(await fleet.receive());
    const completedAt = fleet.clock.now();

    // Held for the whole job: every look saw Terminating:Wait, though 300 s passed 36 times over.
    expect(states).toEqual(new Set(['Terminating:Wait']));
    expect(completedAt - startedAt).toBeGreaterThanOrEqual(3 * HOUR - 10 * SECOND);
    expect(completedAt - startedAt).toBeLessThan(3 * HOUR + 2 * MINUTE);
    // Lambda's 15 minutes: the drain was handed over about a dozen times.
    expect(drain.invocations).toBeGreaterThanOrEqual(12);
    expect(results.filter((r) => r.outcome === 'continued')).toHaveLength(drain.invocations - 1);
    expect(results.at(-1)).toMatchObject({
      outcome: 'completed',
      reason: 'drained',
      instanceId: leaving!.ec2InstanceId,
    });
    const heartbeats = results.reduce((sum, r) => sum + (r.heartbeats ?? 0), 0);
    expect(heartbeats).toBeGreaterThanOrEqual(170);
    expect(drain.autoscalingCalls.filter((name) => name === 'CompleteLifecycleActionCommand')).toHaveLength(1);

    // The service task moved to the instance that stays (or the replacement); the job was not stopped, it finished.
    expect(await serviceTasksOn(leaving!.containerInstanceArn!)).toBe(0);
    const service = (await fleet.clients.ecs.send(new DescribeServicesCommand({ cluster: 'fleet', services: ['web'] })))
      .services![0]!;
    expect(service.runningCount).toBe(2);
    expect(await serviceTasksOn(staying!.containerInstanceArn!)).toBeGreaterThanOrEqual(1);
    expect(await describeTask(fleet, job)).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
    });

    // CONTINUE: the instance goes on to terminate.
    expect(await fleet.lifecycleState(leaving!.ec2InstanceId!)).toBe('Terminating:Proceed');
    await fleet.clock.advanceBy(MINUTE);
    const ec2 = await fleet.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [leaving!.ec2InstanceId!] }));
    expect(ec2.Reservations![0]!.Instances![0]!.State!.Name).toBe('terminated');
    const activities = await fleet.clients.autoscaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: GROUP }),
    );
    const termination = activities.Activities!.find(
      (a) => a.Description === `Terminating EC2 instance: ${leaving!.ec2InstanceId}`,
    );
    expect(termination?.StatusCode).toBe('Successful');
  });

  it('STANDALONE_TASKS=stop: standalone tasks are stopped at the deadline, and waited for until STOPPED, not only until runningTasksCount is 0', async () => {
    const fleet = await startFleet({ size: 1 });
    const instance = fleet.containerInstances[0]!;
    // A worker that takes 90 s to finish its job after SIGTERM (stopTimeout 120 s, so no SIGKILL).
    const worker = await startTask(
      fleet,
      instance.containerInstanceArn!,
      'worker',
      'drydock/worker',
      [{ name: 'WORKER_SHUTDOWN_MS', value: '90000' }],
      120,
    );
    await terminate(fleet, instance.ec2InstanceId!);
    const startedAt = fleet.clock.now();
    const seen: Array<{ atMs: number; lastStatus: string; runningTasksCount: number; state: string | undefined }> = [];
    const drain = drainer(
      fleet,
      { CLUSTER: 'fleet', STANDALONE_TASKS: 'stop', STANDALONE_DEADLINE_SECONDS: '600', POLL_SECONDS: '10' },
      {
        afterSleep: async () => {
          const described = await fleet.clients.ecs.send(
            new DescribeContainerInstancesCommand({
              cluster: 'fleet',
              containerInstances: [instance.containerInstanceArn!],
            }),
          );
          seen.push({
            atMs: fleet.clock.now() - startedAt,
            lastStatus: (await describeTask(fleet, worker)).lastStatus!,
            runningTasksCount: described.containerInstances![0]!.runningTasksCount!,
            state: await fleet.lifecycleState(instance.ec2InstanceId!),
          });
        },
      },
    );
    const results = await drain.run(await fleet.receive());
    const completedAfterMs = fleet.clock.now() - startedAt;

    expect(results).toEqual([
      expect.objectContaining({ outcome: 'completed', reason: 'drained', stoppedTasks: [worker], invocation: 1 }),
    ]);
    const task = await describeTask(fleet, worker);
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: STANDALONE_STOP_REASON,
    });
    // Stopped at the deadline, not before: the task ran until 600 s.
    expect(seen.filter((s) => s.atMs < 600 * SECOND).every((s) => s.lastStatus === 'RUNNING')).toBe(true);
    // While the worker finished its job the instance counted no running task, and the action stayed open.
    const stopping = seen.filter((s) => s.lastStatus !== 'RUNNING' && s.lastStatus !== 'STOPPED');
    expect(stopping.length).toBeGreaterThan(5);
    expect(stopping.every((s) => s.runningTasksCount === 0 && s.state === 'Terminating:Wait')).toBe(true);
    expect(completedAfterMs).toBeGreaterThanOrEqual(690 * SECOND);
    expect(completedAfterMs).toBeLessThan(720 * SECOND);
  });

  it('STANDALONE_TASKS=wait: standalone tasks are never stopped by the function', async () => {
    const fleet = await startFleet({ size: 1 });
    const instance = fleet.containerInstances[0]!;
    const job = await startTask(fleet, instance.containerInstanceArn!, 'job', 'drydock/crash', [
      { name: 'CRASH_AFTER_MS', value: String(40 * MINUTE) },
      { name: 'CRASH_EXIT_CODE', value: '0' },
    ]);
    await terminate(fleet, instance.ec2InstanceId!);
    const startedAt = fleet.clock.now();
    // A deadline is set, but the policy is wait: it does not apply.
    const drain = drainer(fleet, { STANDALONE_TASKS: 'wait', STANDALONE_DEADLINE_SECONDS: '60', POLL_SECONDS: '30' });
    const results = await drain.run(await fleet.receive());

    expect(results.at(-1)).toMatchObject({ outcome: 'completed', reason: 'drained' });
    expect(results.flatMap((r) => r.stoppedTasks ?? [])).toEqual([]);
    expect(fleet.clock.now() - startedAt).toBeGreaterThanOrEqual(40 * MINUTE - 10 * SECOND);
    expect(await describeTask(fleet, job)).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
    });
  });
});

describe('what the function must leave alone, or end at once', () => {
  it('invoked twice for the same action: the second invocation ends quietly, also when it overtakes a hand-over', async () => {
    const fleet = await startFleet({ size: 2 });
    const [first, second] = fleet.containerInstances;
    await startTask(fleet, first!.containerInstanceArn!, 'job', 'drydock/crash', [
      { name: 'CRASH_AFTER_MS', value: String(5 * MINUTE) },
      { name: 'CRASH_EXIT_CODE', value: '0' },
    ]);
    await terminate(fleet, first!.ec2InstanceId!);
    const event = await fleet.receive();

    // A first invocation with a 2-minute timeout hands the drain over; the duplicate delivery of the
    // same event then drains to the end; the handed-over invocation finds the action completed.
    const short = drainer(fleet, { POLL_SECONDS: '20' }, { lambdaTimeoutMs: 2 * MINUTE });
    const handedOver: unknown[] = [];
    const firstRun = createDrainHandler({
      ecs: fleet.clients.ecs,
      autoscaling: fleet.clients.autoscaling,
      settings: readSettings({ POLL_SECONDS: '20' }),
      now: () => fleet.clock.now(),
      sleep: (ms) => fleet.clock.advanceBy(ms).then(() => undefined),
      log: () => undefined,
      continueLater: async (payload) => {
        handedOver.push(payload);
      },
    });
    const deadline = fleet.clock.now() + 2 * MINUTE;
    const before = await firstRun(event, {
      invokedFunctionArn: FUNCTION_ARN,
      getRemainingTimeInMillis: () => deadline - fleet.clock.now(),
    });
    expect(before.results).toEqual([expect.objectContaining({ outcome: 'continued', invocation: 1 })]);
    expect(handedOver).toHaveLength(1);

    const duplicate = drainer(fleet, { POLL_SECONDS: '20' });
    expect(await duplicate.run(event)).toEqual([expect.objectContaining({ outcome: 'completed', reason: 'drained' })]);
    expect(await short.run(handedOver[0])).toEqual([
      expect.objectContaining({ outcome: 'already-completed', invocation: 2, heartbeats: 0 }),
    ]);
    // And the same event once more, after the instance is gone: still quiet.
    await fleet.clock.advanceBy(MINUTE);
    expect(await drainer(fleet, {}).run(event)).toEqual([
      expect.objectContaining({ outcome: 'already-completed', reason: 'the lifecycle action is no longer active' }),
    ]);
    expect(await fleet.lifecycleState(first!.ec2InstanceId!)).toBeUndefined();
    // The other instance was never touched.
    const other = await fleet.clients.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'fleet', containerInstances: [second!.containerInstanceArn!] }),
    );
    expect(other.containerInstances![0]!.status).toBe('ACTIVE');
  });

  it('an instance that is not a container instance is completed at once', async () => {
    const fleet = await startFleet({ size: 1, ecs: false, extraCluster: 'other' });
    expect(fleet.containerInstances).toEqual([]);
    const instanceId = fleet.instances[0]!;
    await terminate(fleet, instanceId);
    const at = fleet.clock.now();
    const drain = drainer(fleet, {});
    expect(await drain.run(await fleet.receive())).toEqual([
      expect.objectContaining({ outcome: 'completed', reason: 'not a container instance', instanceId }),
    ]);
    expect(fleet.clock.now()).toBe(at);
    expect(drain.autoscalingCalls).toEqual(['CompleteLifecycleActionCommand']);
    expect(await fleet.lifecycleState(instanceId)).toBe('Terminating:Proceed');
  });

  it('the test notification is ignored; the same hook notification, wrapped by SNS in a queue, is drained', async () => {
    const fleet = await startFleet({ size: 1 });
    const instance = fleet.containerInstances[0]!;
    // The hook's own notification target: an SNS topic with the queue subscribed (not raw), so
    // messages arrive as SNS notifications. Setting the target sends the test notification.
    const topicArn = (await fleet.clients.sns.send(new CreateTopicCommand({ Name: 'lifecycle' }))).TopicArn!;
    await fleet.clients.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: fleet.queueArn }),
    );
    await fleet.clients.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: GROUP,
        LifecycleHookName: HOOK,
        NotificationTargetARN: topicArn,
        RoleARN: ROLE,
      }),
    );
    const drain = drainer(fleet, {});
    const testNotification = await fleet.receive();
    expect(testNotification.Records).toHaveLength(1);
    expect(JSON.parse(JSON.parse(testNotification.Records[0]!.body).Message)).toMatchObject({
      Event: 'autoscaling:TEST_NOTIFICATION',
    });
    expect(await drain.run(testNotification)).toEqual([{ outcome: 'ignored', reason: 'test notification' }]);
    expect(drain.autoscalingCalls).toEqual([]);

    await terminate(fleet, instance.ec2InstanceId!);
    // Two deliveries of one action: the EventBridge event and the SNS notification.
    const delivered = await fleet.receive();
    expect(delivered.Records).toHaveLength(2);
    const wrapped = delivered.Records.find((record) => JSON.parse(record.body).Type === 'Notification')!;
    expect(await drain.run({ Records: [wrapped] })).toEqual([
      expect.objectContaining({ outcome: 'completed', reason: 'drained', instanceId: instance.ec2InstanceId }),
    ]);
    expect(await fleet.lifecycleState(instance.ec2InstanceId!)).toBe('Terminating:Proceed');
  });
});
