/**
 * The services together, as main.ts wires them, through the real SDK clients: a Node and a Python
 * function invoked through EventBridge, through SNS and from SQS; Auto Scaling lifecycle
 * notifications delivered to an SQS queue (test notification included) and to EventBridge, with
 * the shapes of section A.4. Real clock (functions are real processes), fast EC2 timings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  PutLifecycleHookCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateEventSourceMappingCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDrydock, type Clients, type TestDrydock } from '../support/drydock.js';

let drydock: TestDrydock;
let aws: Clients;
const dirs: string[] = [];
const ROLE = 'arn:aws:iam::000000000000:role/flows';

beforeAll(async () => {
  drydock = await startTestDrydock({ clock: 'real', ec2Timings: { bootMs: 200, shutdownMs: 200, startMs: 200 } });
  aws = drydock.clients();
});
afterAll(async () => {
  await drydock.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function codeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-flow-fn-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Creates a function that prints every event it gets, in Node or in Python. */
async function echoFunction(name: string, language: 'node' | 'python'): Promise<string> {
  const node = {
    'index.mjs':
      'export const handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); return "ok"; };\n',
  };
  const python = {
    'handler.py':
      'import json\ndef handler(event, context):\n    print("EVENT " + json.dumps(event))\n    return "ok"\n',
  };
  const created = await aws.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: language === 'node' ? 'nodejs20.x' : 'python3.11',
      Handler: language === 'node' ? 'index.handler' : 'handler.handler',
      Role: ROLE,
      Code: { S3Bucket: 'hot-reload', S3Key: codeDir(language === 'node' ? node : python) },
    }),
  );
  return created.FunctionArn!;
}

async function functionLog(name: string): Promise<string> {
  const response = await fetch(`${drydock.url}/_drydock/lambda/logs?function=${name}`);
  const body = (await response.json()) as { lines: Array<{ line: string }> };
  return body.lines.map((entry) => entry.line).join('\n');
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const logContains = (name: string, text: string) =>
  eventually(async () => ((await functionLog(name)).includes(text) ? true : undefined));

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await aws.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attributes = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attributes.Attributes!.QueueArn! };
}

/** Receives messages until `accept` finds one, deleting what it reads. */
async function receiveUntil(url: string, accept: (body: string) => boolean): Promise<string> {
  return eventually(async () => {
    const received = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    let found: string | undefined;
    for (const message of received.Messages ?? []) {
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
      if (found === undefined && accept(message.Body!)) found = message.Body!;
    }
    return found;
  }, 30_000);
}

describe('functions in Node and Python are invoked', () => {
  for (const language of ['node', 'python'] as const) {
    it(`${language}: through EventBridge, through SNS and from SQS`, async () => {
      const name = `echo-${language}`;
      const functionArn = await echoFunction(name, language);

      await aws.events.send(
        new PutRuleCommand({ Name: `to-${name}`, EventPattern: JSON.stringify({ source: [`flows.${language}`] }) }),
      );
      await aws.events.send(new PutTargetsCommand({ Rule: `to-${name}`, Targets: [{ Id: 'fn', Arn: functionArn }] }));
      await aws.events.send(
        new PutEventsCommand({
          Entries: [
            { Source: `flows.${language}`, DetailType: 'flow test', Detail: JSON.stringify({ via: 'eventbridge' }) },
          ],
        }),
      );
      await logContains(name, 'flow test');
      await logContains(name, 'eventbridge');

      const topicArn = (await aws.sns.send(new CreateTopicCommand({ Name: `topic-${name}` }))).TopicArn!;
      await aws.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: functionArn }));
      await aws.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello from sns', Subject: 'flows' }));
      await logContains(name, 'aws:sns');
      await logContains(name, 'hello from sns');

      const jobs = await queue(`jobs-${name}`);
      await aws.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: jobs.arn, BatchSize: 5 }),
      );
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: jobs.url, MessageBody: 'hello from sqs' }));
      await logContains(name, 'aws:sqs');
      await logContains(name, 'hello from sqs');
    }, 60_000);
  }
});

describe('EventBridge to a FIFO queue', () => {
  it('delivers with the target SqsParameters.MessageGroupId', async () => {
    const url = (
      await aws.sqs.send(new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }))
    ).QueueUrl!;
    const arn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes!.QueueArn!;
    await aws.events.send(
      new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['flows.orders'] }) }),
    );
    await aws.events.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [{ Id: 'fifo', Arn: arn, SqsParameters: { MessageGroupId: 'orders' } }],
      }),
    );
    await aws.events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'flows.orders', DetailType: 'order placed', Detail: '{"order":1}' }],
      }),
    );
    const body = JSON.parse(await receiveUntil(url, (text) => text.includes('order placed')));
    expect(body).toMatchObject({ source: 'flows.orders', detail: { order: 1 } });
  }, 30_000);
});

describe('Auto Scaling lifecycle notifications', () => {
  it('reach an SQS hook target (test notification first) and EventBridge, in the shapes of A.4', async () => {
    const hookQueue = await queue('hook-target');
    const eventQueue = await queue('lifecycle-events');
    await aws.events.send(
      new PutRuleCommand({
        Name: 'terminate-actions',
        EventPattern: JSON.stringify({
          source: ['aws.autoscaling'],
          'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
          detail: { AutoScalingGroupName: ['flows'] },
        }),
      }),
    );
    await aws.events.send(
      new PutTargetsCommand({ Rule: 'terminate-actions', Targets: [{ Id: 'q', Arn: eventQueue.arn }] }),
    );

    await aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'flows',
        LaunchTemplateData: { ImageId: 'ami-12345678', InstanceType: 't3.micro' },
      }),
    );
    await aws.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'flows',
        LaunchTemplate: { LaunchTemplateName: 'flows' },
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 1,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    await aws.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: 'flows',
        LifecycleHookName: 'drain',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        NotificationTargetARN: hookQueue.arn,
        RoleARN: ROLE,
        NotificationMetadata: 'flows-metadata',
        HeartbeatTimeout: 300,
      }),
    );
    const test = JSON.parse(await receiveUntil(hookQueue.url, (body) => body.includes('TEST_NOTIFICATION')));
    expect(test).toMatchObject({
      Event: 'autoscaling:TEST_NOTIFICATION',
      AutoScalingGroupName: 'flows',
      Service: 'AWS Auto Scaling',
    });
    expect(test.LifecycleActionToken).toBeUndefined();

    await eventually(async () => {
      const { AutoScalingGroups } = await aws.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({
          AutoScalingGroupNames: ['flows'],
        }),
      );
      return AutoScalingGroups?.[0]?.Instances?.[0]?.LifecycleState === 'InService' ? true : undefined;
    });
    await aws.autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'flows', DesiredCapacity: 0 }));

    const message = JSON.parse(await receiveUntil(hookQueue.url, (body) => body.includes('EC2_INSTANCE_TERMINATING')));
    expect(message).toMatchObject({
      Service: 'AWS Auto Scaling',
      AccountId: '000000000000',
      AutoScalingGroupName: 'flows',
      LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      NotificationMetadata: 'flows-metadata',
    });
    expect(message.LifecycleActionToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.EC2InstanceId).toMatch(/^i-[0-9a-f]{17}$/);

    const envelope = JSON.parse(await receiveUntil(eventQueue.url, (body) => body.includes('Lifecycle Action')));
    expect(envelope).toMatchObject({
      version: '0',
      source: 'aws.autoscaling',
      'detail-type': 'EC2 Instance-terminate Lifecycle Action',
      account: '000000000000',
      region: 'us-east-1',
      detail: {
        AutoScalingGroupName: 'flows',
        LifecycleHookName: 'drain',
        EC2InstanceId: message.EC2InstanceId,
        LifecycleActionToken: message.LifecycleActionToken,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        Origin: 'AutoScalingGroup',
        Destination: 'EC2',
      },
    });
    expect(envelope.resources[0]).toMatch(/^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:/);
  }, 60_000);
});
