/**
 * The drain function end to end, on the real clock at 60× (a 300 s heartbeat timeout lasts 5 s of
 * wall time): drydock in-process with real task processes; the function deployed from this
 * directory as a Lambda (`S3Bucket: hot-reload`) behind an EventBridge rule on the hook's
 * `EC2 Instance-terminate Lifecycle Action` event. Terminating an instance of the group must end
 * with the container instance drained, the action completed by the function (across several of
 * its own invocations: its timeout is 120 s of drydock time), and the instance terminated. The
 * same code deployed as a .zip then answers a duplicate of the event quietly.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeScalingActivitiesCommand,
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
  RegisterTaskDefinitionCommand,
  StartTaskCommand,
} from '@aws-sdk/client-ecs';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { startTestDrydock, type Clients, type TestDrydock } from '../../test/support/drydock.js';
import { zipFiles } from '../../test/support/zip.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const ROLE = 'arn:aws:iam::000000000000:role/drain';

let drydock: TestDrydock;
let clients: Clients;
beforeAll(async () => {
  drydock = await startTestDrydock({ clock: 'real', timeScale: 60 });
  clients = drydock.clients();
});
afterAll(async () => drydock?.close());

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

it('EventBridge → the drain Lambda: drained, completed by the function, terminated', { timeout: 90_000 }, async () => {
  await clients.ecs.send(new CreateClusterCommand({ clusterName: 'fleet' }));
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'fleet',
      LaunchTemplateData: {
        ImageId: 'ami-0123456789abcdef0',
        InstanceType: 't3.medium',
        UserData: Buffer.from('#!/bin/bash\necho ECS_CLUSTER=fleet >> /etc/ecs/ecs.config\n').toString('base64'),
      },
    }),
  );
  const fn = await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'drain',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { S3Bucket: 'hot-reload', S3Key: DIR },
      // 120 s of drydock time, 2 s of wall time: the drain below needs several invocations.
      Timeout: 120,
      Environment: { Variables: { CLUSTER: 'fleet', POLL_SECONDS: '0.2', MARGIN_SECONDS: '0.5' } },
    }),
  );
  await clients.events.send(
    new PutRuleCommand({
      Name: 'drain',
      EventPattern: JSON.stringify({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
        detail: { AutoScalingGroupName: ['fleet'] },
      }),
    }),
  );
  await clients.lambda.send(
    new AddPermissionCommand({
      FunctionName: 'drain',
      StatementId: 'events',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    }),
  );
  await clients.events.send(new PutTargetsCommand({ Rule: 'drain', Targets: [{ Id: 'drain', Arn: fn.FunctionArn! }] }));
  await clients.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'fleet',
      LaunchTemplate: { LaunchTemplateName: 'fleet' },
      MinSize: 0,
      MaxSize: 3,
      DesiredCapacity: 2,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: 'drain',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          HeartbeatTimeout: 300,
          DefaultResult: 'ABANDON',
        },
      ],
    }),
  );
  const containerInstances = await until('two container instances', async () => {
    const arns = (await clients.ecs.send(new ListContainerInstancesCommand({ cluster: 'fleet' })))
      .containerInstanceArns!;
    if (arns.length < 2) return undefined;
    return (
      await clients.ecs.send(new DescribeContainerInstancesCommand({ cluster: 'fleet', containerInstances: arns }))
    ).containerInstances!;
  });
  const leaving = containerInstances[0]!;

  // A service of two real http-echo processes, and a 4-second job (wall time) on the instance that leaves.
  await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      containerDefinitions: [
        { name: 'web', image: 'drydock/http-echo', memory: 128, portMappings: [{ containerPort: 8080, hostPort: 0 }] },
      ],
    }),
  );
  await clients.ecs.send(
    new CreateServiceCommand({
      cluster: 'fleet',
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 2,
      placementStrategy: [{ type: 'spread', field: 'instanceId' }],
    }),
  );
  await until('the service running', async () => {
    const service = (await clients.ecs.send(new DescribeServicesCommand({ cluster: 'fleet', services: ['web'] })))
      .services![0]!;
    return service.runningCount === 2;
  });
  await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'job',
      containerDefinitions: [
        {
          name: 'job',
          image: 'drydock/crash',
          memory: 64,
          environment: [
            { name: 'CRASH_AFTER_MS', value: '4000' },
            { name: 'CRASH_EXIT_CODE', value: '0' },
          ],
        },
      ],
    }),
  );
  const job = (
    await clients.ecs.send(
      new StartTaskCommand({
        cluster: 'fleet',
        taskDefinition: 'job',
        containerInstances: [leaving.containerInstanceArn!],
      }),
    )
  ).tasks![0]!.taskArn!;

  const instanceId = leaving.ec2InstanceId!;
  const terminatedAt = Date.now();
  await clients.autoscaling.send(
    new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: false }),
  );
  // The function sets the container instance DRAINING.
  await until('DRAINING', async () => {
    const described = await clients.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'fleet', containerInstances: [leaving.containerInstanceArn!] }),
    );
    return described.containerInstances![0]!.status === 'DRAINING';
  });
  // It holds the instance in Terminating:Wait until the job is done, longer than the 5 s (300 s) heartbeat timeout.
  const states: string[] = [];
  await until('the lifecycle action to end', async () => {
    const answer = await clients.autoscaling.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }),
    );
    const state = answer.AutoScalingInstances?.[0]?.LifecycleState ?? 'gone';
    if (states.at(-1) !== state) states.push(state);
    return state !== 'Terminating' && state !== 'Terminating:Wait';
  });
  const heldMs = Date.now() - terminatedAt;
  expect(states).toContain('Terminating:Wait');
  expect(heldMs).toBeGreaterThan(3_500);
  const jobTask = (await clients.ecs.send(new DescribeTasksCommand({ cluster: 'fleet', tasks: [job] }))).tasks![0]!;
  expect(jobTask).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });

  await until('the instance terminated', async () => {
    const answer = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return answer.Reservations?.[0]?.Instances?.[0]?.State?.Name === 'terminated';
  });
  const activities = await clients.autoscaling.send(
    new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'fleet' }),
  );
  const termination = activities.Activities!.find((a) => a.Description === `Terminating EC2 instance: ${instanceId}`);
  expect(termination?.StatusCode).toBe('Successful');

  // The function's own log: DRAINING, several hand-overs to itself, then CONTINUE.
  const logs = (await (await fetch(`${drydock.url}/_drydock/lambda/logs?function=drain`)).json()) as {
    lines: Array<{ message?: string; line?: string } | string>;
  };
  const text = JSON.stringify(logs);
  expect(text).toContain('container instance set DRAINING');
  expect(text).toContain('handed over to the next invocation');
  expect(text).toContain('lifecycle action completed with CONTINUE');
  expect(text).not.toContain('Invoke Error');

  // The same code as a .zip: a duplicate of the event, after the fact, ends quietly.
  const files = Object.fromEntries(
    readdirSync(DIR)
      .filter((name) => name.endsWith('.mjs'))
      .map((name) => [name, readFileSync(`${DIR}/${name}`, 'utf8')]),
  );
  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'drain-zip',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipFiles(files) },
      Timeout: 120,
      Environment: { Variables: { CLUSTER: 'fleet' } },
    }),
  );
  const event = drydock.outbox
    .list({ kind: 'event' })
    .map((entry) => (entry as { event?: { 'detail-type'?: string; detail?: { EC2InstanceId?: string } } }).event)
    .find(
      (e) => e?.['detail-type'] === 'EC2 Instance-terminate Lifecycle Action' && e.detail?.EC2InstanceId === instanceId,
    );
  expect(event).toBeDefined();
  const answer = await clients.lambda.send(
    new InvokeCommand({ FunctionName: 'drain-zip', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
  );
  expect(answer.FunctionError).toBeUndefined();
  expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toEqual({
    results: [
      expect.objectContaining({
        outcome: 'already-completed',
        instanceId,
        reason: 'the lifecycle action is no longer active',
      }),
    ],
  });
});
