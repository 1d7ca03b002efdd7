/**
 * awsJson1_0 / awsJson1_1 codec checked through the real AWS SDK v3 clients (ECS, EventBridge,
 * SQS, Step Functions) and through botocore's own response parser, as the AWS CLI reads it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  ClusterNotFoundException,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { QueueDoesNotExist, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ServiceError } from '../../kernel/service-error.js';
import { loadServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';
import {
  inProcessHandler,
  testClientConfig,
  type Exchange,
  type TestHandler,
} from '../../../test/support/codec-harness.js';
import { awsJsonCodec } from './aws-json.js';

const ecsModel = loadServiceModel('ecs');
const eventsModel = loadServiceModel('events');
const sqsModel = loadServiceModel('sqs');
const sfnModel = loadServiceModel('stepfunctions');

function ecs(handler: TestHandler, log: Exchange[] = []) {
  return new ECSClient({ ...testClientConfig, requestHandler: inProcessHandler(awsJsonCodec, ecsModel, handler, log) });
}

function wireRequest(target: string | undefined, body: string): WireRequest {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers, body: Buffer.from(body) };
}

function thrown(action: () => unknown): ServiceError {
  try {
    action();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
}

const clusterArn = 'arn:aws:ecs:us-east-1:123456789012:cluster/fleet';

const richCluster = {
  clusterArn,
  clusterName: 'fleet',
  status: 'ACTIVE',
  registeredContainerInstancesCount: 3,
  runningTasksCount: 7,
  pendingTasksCount: 1,
  activeServicesCount: 2,
  statistics: [{ name: 'runningEC2TasksCount', value: '7' }],
  tags: [{ key: 'team', value: 'platform' }],
  settings: [{ name: 'containerInsights', value: 'enabled' }],
  capacityProviders: ['asg-cp'],
  defaultCapacityProviderStrategy: [{ capacityProvider: 'asg-cp', weight: 1, base: 0 }],
  attachments: [
    {
      id: 'att-1',
      type: 'as_policy',
      status: 'CREATED',
      details: [{ name: 'capacityProviderName', value: 'asg-cp' }],
    },
  ],
  attachmentsStatus: 'UPDATE_COMPLETE',
};

describe('awsJson1_1 through the ECS SDK client', () => {
  it('ListClusters: finds the operation from X-Amz-Target and returns the output', async () => {
    const log: Exchange[] = [];
    const client = ecs(() => ({ clusterArns: [clusterArn], nextToken: 'n1' }), log);
    const output = await client.send(new ListClustersCommand({}));
    expect(output.clusterArns).toEqual([clusterArn]);
    expect(output.nextToken).toBe('n1');
    expect(log[0]?.call?.operation.name).toBe('ListClusters');
    expect(log[0]?.call?.input).toEqual({});
    expect(log[0]?.response?.status).toBe(200);
    expect(log[0]?.response?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(output.$metadata.requestId).toBe('req-test-0001');
  });

  it('DescribeClusters: a rich output with nested lists and structures survives the trip', async () => {
    const client = ecs((call) => {
      expect(call.input).toEqual({ clusters: ['fleet'], include: ['ATTACHMENTS', 'SETTINGS', 'STATISTICS', 'TAGS'] });
      return {
        clusters: [{ ...richCluster, notAModeledMember: 'dropped' }],
        failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/gone', reason: 'MISSING' }],
      };
    });
    const output = await client.send(
      new DescribeClustersCommand({ clusters: ['fleet'], include: ['ATTACHMENTS', 'SETTINGS', 'STATISTICS', 'TAGS'] }),
    );
    expect(output.clusters).toEqual([richCluster]);
    expect(output.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/gone', reason: 'MISSING' }]);
  });

  it('RegisterTaskDefinition: the decoded input equals what the SDK was given', async () => {
    const input: RegisterTaskDefinitionCommandInput = {
      family: 'web',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: 'public.ecr.aws/nginx/nginx:1.27',
          essential: true,
          memory: 256,
          cpu: 128,
          portMappings: [
            { containerPort: 80, hostPort: 0, protocol: 'tcp' },
            { containerPort: 443, protocol: 'tcp', name: 'https', appProtocol: 'http2' },
          ],
          environment: [
            { name: 'MODE', value: 'production' },
            { name: 'EMPTY', value: '' },
          ],
          healthCheck: {
            command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
            interval: 10,
            timeout: 5,
            retries: 3,
            startPeriod: 30,
          },
          stopTimeout: 45,
          dockerLabels: { 'com.example.tier': 'frontend' },
          ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
        },
      ],
      tags: [{ key: 'env', value: 'test' }],
    };
    const registeredAt = new Date('2025-03-04T05:06:07.891Z');
    const log: Exchange[] = [];
    const client = ecs(
      (call) => ({
        taskDefinition: {
          ...call.input,
          taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
          revision: 1,
          status: 'ACTIVE',
          registeredAt,
        },
        tags: call.input.tags,
      }),
      log,
    );
    const output = await client.send(new RegisterTaskDefinitionCommand(input));
    expect(log[0]?.call?.operation.name).toBe('RegisterTaskDefinition');
    expect(log[0]?.call?.input).toEqual(input);
    expect(output.taskDefinition?.containerDefinitions).toEqual(input.containerDefinitions);
    expect(output.taskDefinition?.registeredAt).toEqual(registeredAt);
    expect(output.taskDefinition?.revision).toBe(1);
    expect(output.tags).toEqual(input.tags);
  });

  it('DescribeTasks: timestamps keep their milliseconds and failures[] comes back as data', async () => {
    const createdAt = new Date('2025-01-02T03:04:05.123Z');
    const startedAt = new Date('2025-01-02T03:04:09.5Z');
    const stoppedAt = new Date('2025-01-02T04:00:00Z');
    const log: Exchange[] = [];
    const client = ecs(
      () => ({
        tasks: [
          {
            taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/fleet/abc',
            clusterArn,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            createdAt,
            startedAt,
            stoppedAt,
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            containers: [{ name: 'app', exitCode: 137, lastStatus: 'STOPPED', networkBindings: [] }],
            version: 4,
          },
        ],
        failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:task/fleet/nope', reason: 'MISSING', detail: 'gone' }],
      }),
      log,
    );
    const output = await client.send(new DescribeTasksCommand({ cluster: 'fleet', tasks: ['abc', 'nope'] }));
    const task = output.tasks?.[0];
    expect(task?.createdAt).toEqual(createdAt);
    expect(task?.startedAt).toEqual(startedAt);
    expect(task?.stoppedAt).toEqual(stoppedAt);
    expect(task?.containers?.[0]?.exitCode).toBe(137);
    expect(output.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:task/fleet/nope', reason: 'MISSING', detail: 'gone' },
    ]);
    // On the wire: epoch seconds with a millisecond fraction.
    const body = JSON.parse(log[0]!.response!.body) as { tasks: Array<Record<string, unknown>> };
    expect(body.tasks[0]?.createdAt).toBe(1735787045.123);
    expect(body.tasks[0]?.startedAt).toBe(1735787049.5);
  });

  it('a document member (lifecycle hookDetails) passes through as free-form JSON both ways', async () => {
    const hookDetails = { stage: ['canary', 1], nested: { on: true }, n: null };
    const log: Exchange[] = [];
    const client = ecs(
      (call) => ({ service: { serviceName: 'web', deploymentConfiguration: call.input.deploymentConfiguration } }),
      log,
    );
    const deploymentConfiguration = {
      lifecycleHooks: [
        {
          hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:hook',
          lifecycleStages: ['POST_SCALE_UP' as const],
          hookDetails,
        },
      ],
    };
    const output = await client.send(new CreateServiceCommand({ serviceName: 'web', deploymentConfiguration }));
    expect(log[0]?.call?.input).toEqual({ serviceName: 'web', deploymentConfiguration });
    expect(output.service?.deploymentConfiguration?.lifecycleHooks?.[0]?.hookDetails).toEqual(hookDetails);
  });

  it('ClusterNotFoundException: the SDK sees the modeled error, its fault and status', async () => {
    const log: Exchange[] = [];
    const client = ecs(() => {
      throw new ServiceError('ClusterNotFoundException', 'Cluster not found.');
    }, log);
    const error = await client.send(new DescribeClustersCommand({ clusters: ['nope'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterNotFoundException);
    const sdkError = error as ClusterNotFoundException;
    expect(sdkError.name).toBe('ClusterNotFoundException');
    expect(sdkError.message).toBe('Cluster not found.');
    expect(sdkError.$fault).toBe('client');
    expect(sdkError.$metadata.httpStatusCode).toBe(400);
    expect(sdkError.$metadata.requestId).toBe('req-test-0001');
    expect(log[0]?.response?.headers['x-amzn-errortype']).toBe('ClusterNotFoundException');
    expect(JSON.parse(log[0]!.response!.body)).toEqual({
      __type: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    });
    expect(log[0]?.response?.headers['x-amzn-query-error']).toBeUndefined();
  });

  it('InvalidParameterException and a server fault', async () => {
    const invalid = await ecs(() => {
      throw new ServiceError('InvalidParameterException', 'Container definitions must not be empty.');
    })
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidParameterException);
    expect((invalid as InvalidParameterException).message).toBe('Container definitions must not be empty.');

    const server = (await ecs(() => {
      throw new ServiceError('ServerException', 'Something broke.', { fault: 'server' });
    })
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e)) as { name: string; $fault: string; $metadata: { httpStatusCode: number } };
    expect(server.name).toBe('ServerException');
    expect(server.$fault).toBe('server');
    expect(server.$metadata.httpStatusCode).toBe(500);
  });

  it('an unmodeled error code still reaches the SDK by name, with its extra fields', async () => {
    const log: Exchange[] = [];
    const error = (await ecs(() => {
      throw new ServiceError('ThrottlingException', 'Rate exceeded', { fields: { retryAfter: 2 } });
    }, log)
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e)) as { name: string; message: string };
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(JSON.parse(log[0]!.response!.body)).toEqual({
      __type: 'ThrottlingException',
      message: 'Rate exceeded',
      retryAfter: 2,
    });
  });
});

describe('awsJson1_1 through the EventBridge SDK client', () => {
  const client = (handler: TestHandler, log: Exchange[]) =>
    new EventBridgeClient({
      ...testClientConfig,
      requestHandler: inProcessHandler(awsJsonCodec, eventsModel, handler, log),
    });

  it('PutRule, PutTargets and PutEvents (with Time) round-trip', async () => {
    const log: Exchange[] = [];
    const events = client((call) => {
      switch (call.operation.name) {
        case 'PutRule':
          return { RuleArn: 'arn:aws:events:us-east-1:123456789012:rule/drain' };
        case 'PutTargets':
          return { FailedEntryCount: 0, FailedEntries: [] };
        default:
          return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
      }
    }, log);
    const pattern = JSON.stringify({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
    });
    const rule = await events.send(new PutRuleCommand({ Name: 'drain', EventPattern: pattern, State: 'ENABLED' }));
    expect(rule.RuleArn).toBe('arn:aws:events:us-east-1:123456789012:rule/drain');
    expect(log[0]?.call?.input).toEqual({ Name: 'drain', EventPattern: pattern, State: 'ENABLED' });

    const targets = [
      {
        Id: 'fn',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:drain',
        InputTransformer: {
          InputPathsMap: { instance: '$.detail.EC2InstanceId' },
          InputTemplate: '{"id": <instance>}',
        },
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
      },
    ];
    const put = await events.send(new PutTargetsCommand({ Rule: 'drain', Targets: targets }));
    expect(put.FailedEntryCount).toBe(0);
    expect(log[1]?.call?.input).toEqual({ Rule: 'drain', Targets: targets });

    const time = new Date('2025-06-07T08:09:10.250Z');
    const result = await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'drydock.test', DetailType: 'Ping', Detail: '{"n":1}', Time: time }],
      }),
    );
    expect(result.Entries).toEqual([{ EventId: 'e-1' }]);
    const entry = (log[2]?.call?.input.Entries as Array<Record<string, unknown>>)[0];
    expect(entry?.Time).toBeInstanceOf(Date);
    expect(entry?.Time).toEqual(time);
    expect(log[2]?.response?.headers['content-type']).toBe('application/x-amz-json-1.1');
  });
});

describe('awsJson1_0 through the SQS SDK client (query-compatible)', () => {
  const client = (handler: TestHandler, log: Exchange[]) =>
    new SQSClient({ ...testClientConfig, requestHandler: inProcessHandler(awsJsonCodec, sqsModel, handler, log) });
  const queueUrl = 'http://127.0.0.1:1/123456789012/jobs';

  it('ReceiveMessage with a MessageAttributes map (string and binary values)', async () => {
    const log: Exchange[] = [];
    const binary = new Uint8Array([0, 1, 2, 250, 255]);
    const sqs = client(
      () => ({
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'rh-1',
            MD5OfBody: '0cc175b9c0f1b6a831c399e269772661',
            Body: 'a',
            Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1735787045123' },
            MessageAttributes: {
              Kind: { DataType: 'String', StringValue: 'lifecycle' },
              Blob: { DataType: 'Binary', BinaryValue: binary },
            },
          },
        ],
      }),
      log,
    );
    const output = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    expect(log[0]?.call?.input).toEqual({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    });
    expect(log[0]?.response?.headers['content-type']).toBe('application/x-amz-json-1.0');
    const message = output.Messages?.[0];
    expect(message?.Body).toBe('a');
    expect(message?.Attributes).toEqual({ ApproximateReceiveCount: '1', SentTimestamp: '1735787045123' });
    expect(message?.MessageAttributes?.Kind).toEqual({ DataType: 'String', StringValue: 'lifecycle' });
    expect(message?.MessageAttributes?.Blob?.BinaryValue).toEqual(binary);
  });

  it('QueueDoesNotExist: the SDK names it, and x-amzn-query-error carries the query code', async () => {
    const log: Exchange[] = [];
    const sqs = client(() => {
      throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
    }, log);
    const error = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    const sdkError = error as QueueDoesNotExist & { Code?: string; Type?: string };
    expect(sdkError.name).toBe('QueueDoesNotExist');
    expect(sdkError.message).toBe('The specified queue does not exist.');
    expect(sdkError.$fault).toBe('client');
    expect(sdkError.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(sdkError.Type).toBe('Sender');
    expect(log[0]?.response?.status).toBe(400);
    expect(log[0]?.response?.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(log[0]?.response?.headers['x-amzn-errortype']).toBe('QueueDoesNotExist');
  });

  it('a domain error thrown under the query code resolves to the modeled shape and its status', () => {
    const response = awsJsonCodec.serializeError(
      sqsModel,
      undefined,
      new ServiceError(
        'AWS.SimpleQueueService.PurgeQueueInProgress',
        'Only one PurgeQueue operation is allowed every 60 seconds.',
      ),
      'r-1',
    );
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('PurgeQueueInProgress');
    expect(response.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.PurgeQueueInProgress;Sender');
    expect(JSON.parse(response.body as string)).toEqual({
      __type: 'PurgeQueueInProgress',
      message: 'Only one PurgeQueue operation is allowed every 60 seconds.',
    });
  });

  it('reads the query codes from the model (merged from scripts/model-overlays.json), not from a table', () => {
    expect(sqsModel.metadata).toHaveProperty('drydockOverlay');
    expect(sqsModel.shapes['QueueNameExists']).toMatchObject({
      error: { code: 'QueueAlreadyExists', httpStatusCode: 400, senderFault: true },
    });
    // A shape the Smithy model gives no awsQueryError goes out under its own name.
    const response = awsJsonCodec.serializeError(
      sqsModel,
      undefined,
      new ServiceError('InvalidAttributeName', 'Unknown Attribute Foo.'),
      'r-2',
    );
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-query-error']).toBe('InvalidAttributeName;Sender');
  });
});

describe('awsJson1_0 through the Step Functions SDK client', () => {
  it('StartExecution', async () => {
    const log: Exchange[] = [];
    const startDate = new Date('2025-02-03T04:05:06.789Z');
    const sfn = new SFNClient({
      ...testClientConfig,
      requestHandler: inProcessHandler(
        awsJsonCodec,
        sfnModel,
        () => ({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:deploy:run-1', startDate }),
        log,
      ),
    });
    const output = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:deploy',
        name: 'run-1',
        input: '{"version":"v2"}',
      }),
    );
    expect(output.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:deploy:run-1');
    expect(output.startDate).toEqual(startDate);
    expect(log[0]?.request?.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(log[0]?.call?.input).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:deploy',
      name: 'run-1',
      input: '{"version":"v2"}',
    });
    expect(log[0]?.response?.headers['content-type']).toBe('application/x-amz-json-1.0');
  });
});

describe('awsJson request errors', () => {
  it('a missing X-Amz-Target is UnknownOperationException (400)', () => {
    const error = thrown(() => awsJsonCodec.parse(wireRequest(undefined, '{}'), ecsModel));
    expect(error.code).toBe('UnknownOperationException');
    expect(error.httpStatus).toBe(400);
  });

  it('an unknown target, or another service prefix, is UnknownOperationException (400)', () => {
    for (const target of ['AmazonEC2ContainerServiceV20141113.MakeCoffee', 'AWSEvents.ListRules']) {
      const error = thrown(() => awsJsonCodec.parse(wireRequest(target, '{}'), ecsModel));
      expect(error.code).toBe('UnknownOperationException');
      expect(error.httpStatus).toBe(400);
      expect(error.message).toContain(target);
    }
  });

  it('an empty body is {}', () => {
    const call = awsJsonCodec.parse(wireRequest('AmazonEC2ContainerServiceV20141113.ListClusters', ''), ecsModel);
    expect(call.operation.name).toBe('ListClusters');
    expect(call.input).toEqual({});
  });

  it('malformed JSON is SerializationException (400)', () => {
    const error = thrown(() =>
      awsJsonCodec.parse(wireRequest('AmazonEC2ContainerServiceV20141113.ListClusters', '{"maxResults": '), ecsModel),
    );
    expect(error.code).toBe('SerializationException');
    expect(error.httpStatus).toBe(400);
  });

  it('a member of the wrong JSON type is SerializationException naming the member', () => {
    const target = 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition';
    const cases: Array<[unknown, string]> = [
      [{ family: 42, containerDefinitions: [] }, 'family'],
      [{ family: 'web', containerDefinitions: { name: 'app' } }, 'containerDefinitions'],
      [{ family: 'web', containerDefinitions: [{ name: 'app', memory: '512' }] }, 'containerDefinitions[0].memory'],
      [
        { family: 'web', containerDefinitions: [{ name: 'app', portMappings: [{ containerPort: 80.5 }] }] },
        'containerDefinitions[0].portMappings[0].containerPort',
      ],
      [
        { family: 'web', containerDefinitions: [{ name: 'app', essential: 'yes' }] },
        'containerDefinitions[0].essential',
      ],
      [[1, 2], 'a JSON object'],
    ];
    for (const [body, named] of cases) {
      const error = thrown(() => awsJsonCodec.parse(wireRequest(target, JSON.stringify(body)), ecsModel));
      expect(error.code).toBe('SerializationException');
      expect(error.httpStatus).toBe(400);
      expect(error.message).toContain(named);
    }
  });

  it('unknown members and nulls are ignored; ISO timestamps are accepted', () => {
    const call = awsJsonCodec.parse(
      wireRequest(
        'AWSEvents.PutEvents',
        JSON.stringify({
          Entries: [{ Source: 's', Time: '2025-06-07T08:09:10Z', Resources: null, Future: 1 }],
          Other: {},
        }),
      ),
      eventsModel,
    );
    expect(call.input).toEqual({ Entries: [{ Source: 's', Time: new Date('2025-06-07T08:09:10Z') }] });
  });
});

describe('botocore (the AWS CLI) reads the responses', () => {
  it('parses a serialized DescribeClusters response and errors like AWS', () => {
    const describe = awsJsonCodec.serialize(
      ecsModel,
      ecsModel.operations.DescribeClusters!,
      { clusters: [richCluster], failures: [{ arn: 'arn:x', reason: 'MISSING' }] },
      'req-1',
    );
    const tasks = awsJsonCodec.serialize(
      ecsModel,
      ecsModel.operations.DescribeTasks!,
      { tasks: [{ taskArn: 't', createdAt: new Date('2025-01-02T03:04:05.123Z') }] },
      'req-2',
    );
    const notFound = awsJsonCodec.serializeError(
      ecsModel,
      ecsModel.operations.DescribeClusters,
      new ServiceError('ClusterNotFoundException', 'Cluster not found.'),
      'req-3',
    );
    const noQueue = awsJsonCodec.serializeError(
      sqsModel,
      sqsModel.operations.GetQueueUrl,
      new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.'),
      'req-4',
    );
    const cases = [
      { service: 'ecs', operation: 'DescribeClusters', response: describe },
      { service: 'ecs', operation: 'DescribeTasks', response: tasks },
      { service: 'ecs', operation: 'DescribeClusters', response: notFound },
      { service: 'sqs', operation: 'GetQueueUrl', response: noQueue },
    ];
    const script = `
import json, sys
import botocore.session, botocore.parsers
from botocore.awsrequest import HeadersDict  # case-insensitive, as on a real HTTP response
session = botocore.session.get_session()
out = []
for case in json.load(sys.stdin):
    op = session.get_service_model(case['service']).operation_model(case['operation'])
    r = case['response']
    parsed = botocore.parsers.create_parser('json').parse(
        {'status_code': r['status'], 'headers': HeadersDict(r['headers']), 'body': r['body'].encode('utf-8')}, op.output_shape)
    out.append(parsed)
print(json.dumps(out, default=lambda v: v.isoformat()))
`;
    const stdout = execFileSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
    const [clusters, described, clusterError, queueError] = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(clusters?.clusters).toEqual([richCluster]);
    expect(clusters?.failures).toEqual([{ arn: 'arn:x', reason: 'MISSING' }]);
    expect((clusters?.ResponseMetadata as Record<string, unknown>).RequestId).toBe('req-1');
    expect(described?.tasks).toEqual([{ taskArn: 't', createdAt: '2025-01-02T03:04:05.123000+00:00' }]);
    expect(clusterError?.Error).toEqual({ Code: 'ClusterNotFoundException', Message: 'Cluster not found.' });
    expect(queueError?.Error).toEqual({
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      QueryErrorCode: 'QueueDoesNotExist',
      Type: 'Sender',
      Message: 'The specified queue does not exist.',
    });
  });
});
