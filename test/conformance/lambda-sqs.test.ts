/**
 * SQS event source mappings through the real AWS SDK v3 clients (Lambda and SQS) against a
 * gateway on an ephemeral port, with real function processes: a Node.js and a Python function
 * each drain a queue (the event is AWS's `Records` shape, the queue is empty afterwards), a
 * failing function leaves its messages to the visibility timeout and the redrive policy, a
 * disabled mapping consumes nothing, and the operations' errors are AWS's.
 */
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../support/drydock.js';
import { ACCOUNT_ID, REGION, ROLE, startLambdaRig, type LambdaRig } from '../support/lambda-rig.js';
import { zipFiles } from '../support/zip.js';

const ARN_PREFIX = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function`;
const QUEUE_ARN_PREFIX = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}`;

/** Appends every event it gets to OUT_FILE; fails when FAIL is set. */
const NODE = `
const fs = require('node:fs');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.OUT_FILE, JSON.stringify(event) + '\\n');
  if (process.env.FAIL) throw new Error('cannot handle this batch');
  return { handled: event.Records.length };
};
`;

const PYTHON = `
import json
import os

def handler(event, context):
    with open(os.environ["OUT_FILE"], "a") as out:
        out.write(json.dumps(event) + "\\n")
    return {"handled": len(event["Records"])}
`;

interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

let rig: LambdaRig;
let workDir: string;

beforeAll(async () => {
  rig = await startLambdaRig();
  workDir = mkdtempSync(path.join(tmpdir(), 'drydock-lambda-sqs-'));
});

afterAll(async () => {
  await rig?.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The events a function wrote to its output file, oldest first. */
function eventsIn(file: string): Array<{ Records: SqsRecord[] }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { Records: SqsRecord[] });
}

async function createQueue(
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const created = await rig.sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return { url: created.QueueUrl!, arn: `${QUEUE_ARN_PREFIX}:${name}` };
}

async function queueDepth(url: string): Promise<{ visible: number; inFlight: number }> {
  const out = await rig.sqsClient.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

async function sendThree(url: string): Promise<void> {
  await rig.sqsClient.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: ['one', 'two', 'three'].map((body, index) => ({
        Id: `m${index}`,
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: `k-${body}` } },
      })),
    }),
  );
}

async function createFunction(input: Partial<CreateFunctionCommandInput> & { FunctionName: string }, outFile: string) {
  await rig.lambda.send(
    new CreateFunctionCommand({
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipFiles({ 'index.js': NODE }) },
      ...input,
      Environment: { Variables: { OUT_FILE: outFile, ...(input.Environment?.Variables ?? {}) } },
    }),
  );
}

async function waitForState(uuid: string, state: string): Promise<void> {
  await eventually(async () => {
    const got = await rig.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    return got.State === state ? true : undefined;
  });
}

describe('a queue triggering a function', () => {
  it('a Node.js function receives the messages as AWS SQS Records and the queue is empty afterwards', async () => {
    const outFile = path.join(workDir, 'node.jsonl');
    await createFunction({ FunctionName: 'sqs-node' }, outFile);
    const queue = await createQueue('node-jobs');

    const created = await rig.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: 'sqs-node' }),
    );
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created).toMatchObject({
      EventSourceArn: queue.arn,
      FunctionArn: `${ARN_PREFIX}:sqs-node`,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
    });
    expect(created.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.EventSourceMappingArn).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:event-source-mapping:${created.UUID}`,
    );
    expect(created.LastModified).toBeInstanceOf(Date);
    await waitForState(created.UUID!, 'Enabled');

    const sentBefore = Date.now();
    await sendThree(queue.url);
    const records = await eventually(() => {
      const seen = eventsIn(outFile).flatMap((event) => event.Records);
      return seen.length >= 3 ? seen : undefined;
    });
    expect(records.map((record) => record.body).sort()).toEqual(['one', 'three', 'two']);
    const one = records.find((record) => record.body === 'one')!;
    expect(one).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: REGION,
      md5OfBody: 'f97c5d29941bfb1b2fdab0874906ab82',
      messageAttributes: {
        kind: { stringValue: 'k-one', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
    });
    expect(one.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(one.receiptHandle).toEqual(expect.any(String));
    expect(Number(one.attributes.SentTimestamp)).toBeGreaterThanOrEqual(sentBefore - 1000);
    expect(Number(one.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(one.attributes.SentTimestamp),
    );

    await eventually(async () => {
      const depth = await queueDepth(queue.url);
      return depth.visible === 0 && depth.inFlight === 0 ? true : undefined;
    });
    // Nothing is delivered twice: the messages were deleted, not left to reappear.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(eventsIn(outFile).flatMap((event) => event.Records)).toHaveLength(3);
  });

  it('a Python function by ARN with BatchSize 1 gets one record per invocation', async () => {
    const outFile = path.join(workDir, 'python.jsonl');
    await createFunction(
      {
        FunctionName: 'sqs-python',
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Code: { ZipFile: zipFiles({ 'app.py': PYTHON }) },
      },
      outFile,
    );
    const queue = await createQueue('python-jobs');
    const created = await rig.lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: queue.arn,
        FunctionName: `${ARN_PREFIX}:sqs-python`,
        BatchSize: 1,
        MaximumBatchingWindowInSeconds: 2,
      }),
    );
    expect(created).toMatchObject({ BatchSize: 1, MaximumBatchingWindowInSeconds: 2 });
    await waitForState(created.UUID!, 'Enabled');
    await sendThree(queue.url);
    const events = await eventually(() => {
      const seen = eventsIn(outFile);
      return seen.length >= 3 ? seen : undefined;
    });
    expect(events.map((event) => event.Records.length)).toEqual([1, 1, 1]);
    expect(events.map((event) => event.Records[0]!.body).sort()).toEqual(['one', 'three', 'two']);
    expect(events[0]!.Records[0]).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: queue.arn });
    await eventually(async () => {
      const depth = await queueDepth(queue.url);
      return depth.visible === 0 && depth.inFlight === 0 ? true : undefined;
    });
  });

  it('a failing function leaves its messages in the queue; the redrive policy moves them on', async () => {
    const outFile = path.join(workDir, 'failing.jsonl');
    await createFunction({ FunctionName: 'sqs-failing', Environment: { Variables: { FAIL: '1' } } }, outFile);
    const deadLetters = await createQueue('failing-dlq');
    const queue = await createQueue('failing-jobs', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: 2 }),
    });
    const created = await rig.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: 'sqs-failing' }),
    );
    await sendThree(queue.url);

    // First attempt: the batch failed, so the messages stay (in flight until the visibility timeout).
    await eventually(() => (eventsIn(outFile).length >= 1 ? true : undefined));
    const afterFailure = await queueDepth(queue.url);
    expect(afterFailure.visible + afterFailure.inFlight).toBe(3);

    // They come back and are retried (ApproximateReceiveCount 2), then go to the dead-letter queue.
    const retried = await eventually(() => {
      const records = eventsIn(outFile).flatMap((event) => event.Records);
      return records.some((record) => record.attributes.ApproximateReceiveCount === '2') ? records : undefined;
    });
    expect(retried.filter((record) => record.body === 'one').length).toBeGreaterThanOrEqual(2);
    await eventually(async () => {
      const dlq = await queueDepth(deadLetters.url);
      const source = await queueDepth(queue.url);
      return dlq.visible === 3 && source.visible + source.inFlight === 0 ? true : undefined;
    });
    await rig.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID! }));
  });

  it('a disabled mapping consumes nothing until it is enabled again', async () => {
    const outFile = path.join(workDir, 'toggled.jsonl');
    await createFunction({ FunctionName: 'sqs-toggled' }, outFile);
    const queue = await createQueue('toggled-jobs');
    const created = await rig.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: 'sqs-toggled', Enabled: false }),
    );
    await waitForState(created.UUID!, 'Disabled');
    await rig.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'wait for me' }));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(eventsIn(outFile)).toEqual([]);
    expect(await queueDepth(queue.url)).toEqual({ visible: 1, inFlight: 0 });

    const updated = await rig.lambda.send(
      new UpdateEventSourceMappingCommand({ UUID: created.UUID!, Enabled: true, BatchSize: 5 }),
    );
    expect(updated.$metadata.httpStatusCode).toBe(202);
    expect(updated).toMatchObject({ State: 'Enabling', BatchSize: 5 });
    await eventually(() => (eventsIn(outFile).length === 1 ? true : undefined));
    expect(eventsIn(outFile)[0]!.Records[0]!.body).toBe('wait for me');
    await waitForState(created.UUID!, 'Enabled');
  });
});

describe('event source mapping operations', () => {
  it('List filters by queue and by function; Delete answers Deleting and the mapping is gone', async () => {
    await createFunction({ FunctionName: 'sqs-listed' }, path.join(workDir, 'listed.jsonl'));
    const first = await createQueue('listed-a');
    const second = await createQueue('listed-b');
    const a = await rig.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: first.arn, FunctionName: 'sqs-listed', Enabled: false }),
    );
    const b = await rig.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: second.arn, FunctionName: 'sqs-listed', Enabled: false }),
    );
    const byFunction = await rig.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'sqs-listed' }));
    expect(byFunction.EventSourceMappings?.map((mapping) => mapping.UUID).sort()).toEqual([a.UUID, b.UUID].sort());
    const byQueue = await rig.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: second.arn }));
    expect(byQueue.EventSourceMappings?.map((mapping) => mapping.UUID)).toEqual([b.UUID]);
    const paged = await rig.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: 'sqs-listed', MaxItems: 1 }),
    );
    expect(paged.EventSourceMappings).toHaveLength(1);
    const rest = await rig.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: 'sqs-listed', MaxItems: 1, Marker: paged.NextMarker }),
    );
    expect(rest.EventSourceMappings).toHaveLength(1);
    expect(rest.NextMarker).toBeUndefined();

    const deleted = await rig.lambda.send(new DeleteEventSourceMappingCommand({ UUID: a.UUID! }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(deleted).toMatchObject({ UUID: a.UUID, State: 'Deleting' });
    const gone = await awsError(() => rig.lambda.send(new GetEventSourceMappingCommand({ UUID: a.UUID! })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it('answers AWS errors for unknown functions, queues and mappings and invalid settings', async () => {
    await createFunction({ FunctionName: 'sqs-errors' }, path.join(workDir, 'errors.jsonl'));
    const queue = await createQueue('errors-jobs');
    const create = (input: Record<string, unknown>) =>
      awsError(() =>
        rig.lambda.send(
          new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: 'sqs-errors', ...input }),
        ),
      );

    const noFunction = await create({ FunctionName: 'no-such-function' });
    expect(noFunction.name).toBe('ResourceNotFoundException');
    expect(noFunction.message).toBe(`Function not found: ${ARN_PREFIX}:no-such-function`);
    const noAlias = await create({ FunctionName: 'sqs-errors:live' });
    expect(noAlias.name).toBe('ResourceNotFoundException');

    const noQueue = await create({ EventSourceArn: `${QUEUE_ARN_PREFIX}:no-such-queue` });
    expect(noQueue.name).toBe('InvalidParameterValueException');
    expect(noQueue.$metadata.httpStatusCode).toBe(400);
    const notSqs = await create({ EventSourceArn: `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/s` });
    expect(notSqs.name).toBe('InvalidParameterValueException');
    const tooBig = await create({ BatchSize: 11 });
    expect(tooBig.name).toBe('InvalidParameterValueException');
    expect(tooBig.message).toContain('BatchSize');

    const first = await rig.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: 'sqs-errors', Enabled: false }),
    );
    const duplicate = await create({});
    expect(duplicate.name).toBe('ResourceConflictException');
    expect(duplicate.message).toContain(first.UUID!);

    const uuid = '00000000-0000-4000-8000-000000000000';
    for (const send of [
      () => rig.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })),
      () => rig.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false })),
      () => rig.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid })),
    ]) {
      const error = await awsError(send);
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe('The resource you requested does not exist.');
    }
    const badUpdate = await awsError(() =>
      rig.lambda.send(new UpdateEventSourceMappingCommand({ UUID: first.UUID!, BatchSize: 20 })),
    );
    expect(badUpdate.name).toBe('InvalidParameterValueException');
    // Below the model's minimum: the front end's constraint check, as on AWS.
    const belowMinimum = await awsError(() =>
      rig.lambda.send(new UpdateEventSourceMappingCommand({ UUID: first.UUID!, BatchSize: 0 })),
    );
    expect(belowMinimum.name).toBe('ValidationException');
  });
});
