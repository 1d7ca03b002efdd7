/**
 * SQS through the real SQSClient (JSON 1.0), through raw awsQuery form requests (what older SDKs
 * send, often to the queue URL itself), and through the AWS CLI, against a gateway serving the
 * SQS service: queues, messages with attributes and the MD5s SDKs verify, visibility timeouts and
 * long polls on the virtual clock, batches, purge, dead-letter queues, FIFO basics, and AWS's
 * error for every failure.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../support/drydock.js';
import { ACCOUNT, awsCliEnv, startMessaging, type MessagingRig } from '../support/messaging.js';
import { run } from '../support/process.js';

let rig: MessagingRig;
let sqs: SQSClient;

beforeAll(async () => {
  rig = await startMessaging();
  sqs = rig.sqsClient;
});
afterAll(async () => rig.close());

async function createQueue(name: string, attributes?: Record<string, string>): Promise<string> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return created.QueueUrl!;
}

async function queueArnOf(url: string): Promise<string> {
  const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return result.Attributes!.QueueArn!;
}

/** Resolves once a ReceiveMessage is holding its request open on the virtual clock. */
async function untilLongPolling(count = 1): Promise<void> {
  for (let turn = 0; turn < 200; turn += 1) {
    const waiting = rig.virtual!.pendingTimers().filter((timer) => timer.label?.startsWith('sqs long poll'));
    if (waiting.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no ReceiveMessage started waiting');
}

describe('queues', () => {
  it('creates a queue at <endpoint>/<account>/<name>, finds, lists and deletes it', async () => {
    const url = await createQueue('orders');
    expect(url).toBe(`${rig.url}/${ACCOUNT}/orders`);
    // Creating it again with the same attributes answers the same URL.
    expect(await createQueue('orders')).toBe(url);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
    await createQueue('orders-dlq');
    await createQueue('billing');
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([
      `${rig.url}/${ACCOUNT}/billing`,
      `${rig.url}/${ACCOUNT}/orders`,
      `${rig.url}/${ACCOUNT}/orders-dlq`,
    ]);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'orders' }))).QueueUrls).toHaveLength(2);
    const firstPage = await sqs.send(new ListQueuesCommand({ MaxResults: 2 }));
    expect(firstPage.QueueUrls).toHaveLength(2);
    const secondPage = await sqs.send(new ListQueuesCommand({ MaxResults: 2, NextToken: firstPage.NextToken }));
    expect(secondPage.QueueUrls).toEqual([`${rig.url}/${ACCOUNT}/orders-dlq`]);
    expect(secondPage.NextToken).toBeUndefined();

    await sqs.send(new DeleteQueueCommand({ QueueUrl: `${rig.url}/${ACCOUNT}/billing` }));
    const gone = await awsError(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'billing' })));
    expect(gone.name).toBe('QueueDoesNotExist');
    expect(gone.message).toBe('The specified queue does not exist.');
    expect(gone.$metadata.httpStatusCode).toBe(400);
    expect((gone as unknown as { Code: string }).Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    // A name cannot be reused for 60 seconds after a delete.
    const recently = await awsError(() => createQueue('billing'));
    expect(recently.name).toBe('QueueDeletedRecently');
    await rig.virtual!.advanceBy(60_000);
    await createQueue('billing');
  });

  it('keeps attributes: defaults, computed counts, set and get', async () => {
    const url = await createQueue('attributes', { VisibilityTimeout: '45', DelaySeconds: '2' });
    const all = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    expect(all).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:attributes`,
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: '45',
      DelaySeconds: '2',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect(all.CreatedTimestamp).toBe(String(Math.floor(rig.clock.now() / 1000)));
    expect(all).not.toHaveProperty('FifoQueue');

    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '10' } }));
    const some = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(some.Attributes).toEqual({ VisibilityTimeout: '10', ApproximateNumberOfMessagesDelayed: '1' });

    const conflict = await awsError(() => createQueue('attributes', { VisibilityTimeout: '46' }));
    expect(conflict.name).toBe('QueueNameExists');
    expect(conflict.message).toContain('VisibilityTimeout');

    const unknown = await awsError(() =>
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as never] })),
    );
    expect(unknown.name).toBe('InvalidAttributeName');
    expect(unknown.message).toBe('Unknown Attribute Colour.');
    const badValue = await awsError(() =>
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '50000' } })),
    );
    expect(badValue.name).toBe('InvalidAttributeValue');
    expect(badValue.message).toContain('VisibilityTimeout');
    const fifoOnly = await awsError(() =>
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { ContentBasedDeduplication: 'true' } })),
    );
    expect(fifoOnly.name).toBe('InvalidAttributeName');
  });

  it('tags queues', async () => {
    const url = await createQueue('tagged');
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'infra', env: 'dev' } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['env'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'infra' });
  });

  it('refuses bad queue names and queues that do not exist', async () => {
    const badName = await awsError(() => createQueue('no spaces'));
    expect(badName.name).toBe('InvalidParameterValue');
    expect(badName.message).toBe(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
    const badFifo = await awsError(() => createQueue('events', { FifoQueue: 'true' }));
    expect(badFifo.name).toBe('InvalidParameterValue');
    expect(badFifo.message).toContain('.fifo');
    const missing = await awsError(() =>
      sqs.send(new SendMessageCommand({ QueueUrl: `${rig.url}/${ACCOUNT}/nope`, MessageBody: 'x' })),
    );
    expect(missing.name).toBe('QueueDoesNotExist');
    const missingParameter = await awsError(() => sqs.send(new GetQueueUrlCommand({} as never)));
    expect(missingParameter.name).toBe('MissingParameter');
    expect(missingParameter.message).toContain('QueueName');
  });
});

describe('messages', () => {
  it('sends and receives with attributes and the MD5s the SDK verifies', async () => {
    const url = await createQueue('messages');
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'derp',
        MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
        },
      }),
    );
    // The values AWS itself returns for this body and attribute.
    expect(sent.MD5OfMessageBody).toBe('58fd9edd83341c29f1aebba81c31e257');
    expect(sent.MD5OfMessageAttributes).toBe('235c5c510d26fb653d073faed50ae77c');
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MaxNumberOfMessages: 10,
      }),
    );
    expect(received.Messages).toHaveLength(1);
    const message = received.Messages![0]!;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'derp',
      MD5OfBody: '58fd9edd83341c29f1aebba81c31e257',
      MD5OfMessageAttributes: '235c5c510d26fb653d073faed50ae77c',
      MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
      Attributes: {
        SenderId: ACCOUNT,
        SentTimestamp: String(rig.clock.now()),
        ApproximateReceiveCount: '1',
        ApproximateFirstReceiveTimestamp: String(rig.clock.now()),
        AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
      },
    });
    expect(message.ReceiptHandle).toBeTruthy();

    // Only the attributes asked for come back, and their digest covers just those.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'two',
        MessageAttributes: {
          'trace.id': { DataType: 'String', StringValue: 'a' },
          colour: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
        },
      }),
    );
    const filtered = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['trace.*'] }));
    expect(filtered.Messages![0]!.MessageAttributes).toEqual({ 'trace.id': { DataType: 'String', StringValue: 'a' } });
    expect(filtered.Messages![0]!.Attributes).toBeUndefined();
  });

  it('hides a received message for the visibility timeout, on the clock', async () => {
    const url = await createQueue('visibility');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'job' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(first.Messages).toHaveLength(1);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await rig.virtual!.advanceBy(29_999);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await rig.virtual!.advanceBy(1);
    const again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        VisibilityTimeout: 5,
      }),
    );
    expect(again.Messages![0]!.Attributes).toEqual({ ApproximateReceiveCount: '2' });

    // The stale handle deletes nothing; visibility changes need the latest handle.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle }));
    const stale = await awsError(() =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: first.Messages![0]!.ReceiptHandle,
          VisibilityTimeout: 10,
        }),
      ),
    );
    expect(stale.name).toBe('InvalidParameterValue');
    expect(stale.message).toContain('Message does not exist or is not available for visibility timeout change.');

    const handle = again.Messages![0]!.ReceiptHandle!;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    const visible = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(visible.Messages![0]!.Body).toBe('job');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: visible.Messages![0]!.ReceiptHandle }));
    await rig.virtual!.advanceBy(60_000);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();

    // A message whose visibility ran out is no longer in flight.
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }));
    const late = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 1 }));
    await rig.virtual!.advanceBy(1_000);
    const notInFlight = await awsError(() =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: late.Messages![0]!.ReceiptHandle,
          VisibilityTimeout: 10,
        }),
      ),
    );
    expect(notInFlight.name).toBe('MessageNotInflight');
  });

  it('delays messages by DelaySeconds', async () => {
    const url = await createQueue('delayed');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'soon', DelaySeconds: 10 }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await rig.virtual!.advanceBy(10_000);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!.Body).toBe('soon');
  });

  it('long polling holds the request and answers as soon as a message arrives', async () => {
    const url = await createQueue('long-poll');
    const startedMs = rig.clock.now();
    let answered = false;
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })).finally(() => {
      answered = true;
    });
    await untilLongPolling();
    await rig.virtual!.advanceBy(5_000);
    expect(answered).toBe(false);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const result = await polling;
    expect(result.Messages![0]!.Body).toBe('wake up');
    expect(rig.clock.now() - startedMs).toBe(5_000);
  });

  it('a long poll still waiting when SQS closes is answered empty, so the server can stop', async () => {
    const closing = await startMessaging();
    try {
      const closingUrl = (await closing.sqsClient.send(new CreateQueueCommand({ QueueName: 'closing' }))).QueueUrl!;
      const polling = closing.sqsClient.send(new ReceiveMessageCommand({ QueueUrl: closingUrl, WaitTimeSeconds: 20 }));
      for (let turn = 0; turn < 200 && closing.virtual!.pendingTimerCount() === 0; turn += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      closing.sqs.close();
      expect((await polling).Messages).toBeUndefined();
    } finally {
      await closing.close();
    }
  });

  it('long polling ends empty when the wait runs out, and wakes for a delayed message', async () => {
    const url = await createQueue('long-poll-empty', { ReceiveMessageWaitTimeSeconds: '3' });
    const startedMs = rig.clock.now();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await untilLongPolling();
    await rig.virtual!.advanceBy(3_000);
    expect((await polling).Messages).toBeUndefined();
    expect(rig.clock.now() - startedMs).toBe(3_000);

    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 2 }));
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await untilLongPolling();
    await rig.virtual!.advanceBy(2_000);
    expect((await waiting).Messages![0]!.Body).toBe('delayed');
  });

  it('deletes, changes visibility and sends in batches, failures as data', async () => {
    const url = await createQueue('batches');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 1_000 },
          { Id: 'c', MessageBody: 'three' },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['a', 'c']);
    expect(sent.Failed).toEqual([
      {
        Id: 'b',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      },
    ]);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['one', 'three']);
    const [one, three] = received.Messages!;
    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'x', ReceiptHandle: one!.ReceiptHandle!, VisibilityTimeout: 0 },
          { Id: 'y', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'x' }]);
    expect(changed.Failed?.[0]).toMatchObject({ Id: 'y', Code: 'ReceiptHandleIsInvalid', SenderFault: true });
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [{ Id: 'd', ReceiptHandle: three!.ReceiptHandle! }],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'd' }]);
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages?.map(
        (m) => m.Body,
      ),
    ).toEqual(['one']);

    const empty = await awsError(() => sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })));
    expect(empty.name).toBe('EmptyBatchRequest');
    const tooMany = await awsError(() =>
      sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, ReceiptHandle: 'h' })),
        }),
      ),
    );
    expect(tooMany.name).toBe('TooManyEntriesInBatchRequest');
    const repeated = await awsError(() =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'same', MessageBody: '1' },
            { Id: 'same', MessageBody: '2' },
          ],
        }),
      ),
    );
    expect(repeated.name).toBe('BatchEntryIdsNotDistinct');
    const badId = await awsError(() =>
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'no spaces', MessageBody: '1' }] })),
    );
    expect(badId.name).toBe('InvalidBatchEntryId');
  });

  it('purges a queue once a minute', async () => {
    const url = await createQueue('purged');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const again = await awsError(() => sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(again.name).toBe('PurgeQueueInProgress');
    expect(again.$metadata.httpStatusCode).toBe(403);
    await rig.virtual!.advanceBy(60_000);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue', async () => {
    const dlqUrl = await createQueue('work-dlq');
    const dlqArn = await queueArnOf(dlqUrl);
    const url = await createQueue('work', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
      VisibilityTimeout: '1',
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i += 1) {
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
      await rig.virtual!.advanceBy(1_000);
    }
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'] }));
    expect(dead.Messages![0]!.Body).toBe('poison');
    expect(dead.Messages![0]!.Attributes?.DeadLetterQueueSourceArn).toBe(await queueArnOf(url));
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }))).queueUrls).toEqual([url]);

    const noTarget = await awsError(() =>
      createQueue('work2', {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:nope`,
          maxReceiveCount: 2,
        }),
      }),
    );
    expect(noTarget.name).toBe('InvalidParameterValue');
    expect(noTarget.message).toContain('Dead letter target does not exist.');
  });

  it('delivers FIFO message groups in order and drops duplicates', async () => {
    const url = await createQueue('ordered.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const first = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
    const duplicate = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(duplicate.SequenceNumber).toBe(first.SequenceNumber);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a2', MessageGroupId: 'a' }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'b1', MessageGroupId: 'b', MessageDeduplicationId: 'x' }),
    );
    const batch = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    expect(batch.Messages?.map((m) => m.Body)).toEqual(['a1']);
    // Group a waits for a1; group b is free.
    const next = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    expect(next.Messages?.map((m) => m.Body)).toEqual(['b1']);
    expect(next.Messages![0]!.Attributes).toMatchObject({ MessageGroupId: 'b', MessageDeduplicationId: 'x' });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: batch.Messages![0]!.ReceiptHandle }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.map((m) => m.Body)).toEqual(['a2']);

    const noGroup = await awsError(() => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
    expect(noGroup.name).toBe('MissingParameter');
    expect(noGroup.message).toBe('The request must contain the parameter MessageGroupId.');
    expect(rig.sqs.isFifo({ accountId: ACCOUNT, region: 'us-east-1' }, await queueArnOf(url))).toBe(true);
  });

  it('answers AWS errors for bad messages, handles and parameters', async () => {
    const url = await createQueue('errors');
    const invalidHandle = await awsError(() =>
      sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-handle' })),
    );
    expect(invalidHandle.name).toBe('ReceiptHandleIsInvalid');
    expect(invalidHandle.message).toBe('The input receipt handle "not-a-handle" is not a valid receipt handle.');
    expect(invalidHandle.$metadata.httpStatusCode).toBe(404);
    const tooMany = await awsError(() =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })),
    );
    expect(tooMany.name).toBe('InvalidParameterValue');
    expect(tooMany.message).toBe(
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    );
    const tooLong = await awsError(() => sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 })));
    expect(tooLong.message).toBe(
      'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    );
    const control = await awsError(() =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0001' })),
    );
    expect(control.name).toBe('InvalidMessageContents');
    const empty = await awsError(() => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })));
    expect(empty.name).toBe('MissingParameter');
    const badAttribute = await awsError(() =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageAttributes: { n: { DataType: 'Text', StringValue: 'v' } },
        }),
      ),
    );
    expect(badAttribute.name).toBe('InvalidParameterValue');
    expect(badAttribute.message).toContain('Binary, Number, String');
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } }));
    const big = await awsError(() =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })),
    );
    expect(big.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    const address = await awsError(() => sqs.send(new PurgeQueueCommand({ QueueUrl: `${rig.url}/not-a-queue-url` })));
    expect(address.name).toBe('InvalidAddress');
  });
});

describe('long polling on the real clock', () => {
  it('holds the HTTP request until a message arrives, well before the wait ends', async () => {
    const real = await startMessaging({ clock: 'real' });
    try {
      const url = (await real.sqsClient.send(new CreateQueueCommand({ QueueName: 'real-time' }))).QueueUrl!;
      const startedAt = performance.now();
      const polling = real.sqsClient.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await real.sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'now' }));
      const result = await polling;
      const elapsedMs = performance.now() - startedAt;
      expect(result.Messages![0]!.Body).toBe('now');
      expect(elapsedMs).toBeGreaterThanOrEqual(250);
      expect(elapsedMs).toBeLessThan(5_000);
    } finally {
      await real.close();
    }
  });
});

describe('the awsQuery protocol (older SDKs, hand-written clients)', () => {
  const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    // SQS flattens these lists: one element per item, so a single item must still read as a list.
    isArray: (_name, path) => /Result\.(Message|Attribute|QueueUrl)$/.test(String(path)),
  });

  async function query(pathname: string, body: string) {
    const response = await fetch(`${rig.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: xml.parse(await response.text()),
    };
  }

  it('creates a queue, sends to its URL and receives, all as form requests', async () => {
    const created = await query(
      '/',
      'Action=CreateQueue&Version=2012-11-05&QueueName=legacy&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60',
    );
    expect(created.status).toBe(200);
    expect(created.type).toBe('text/xml');
    const url = created.body.CreateQueueResponse.CreateQueueResult.QueueUrl[0];
    expect(url).toBe(`${rig.url}/${ACCOUNT}/legacy`);

    const sent = await query(
      `/${ACCOUNT}/legacy`,
      'Action=SendMessage&Version=2012-11-05&MessageBody=from+the+past' +
        '&MessageAttribute.1.Name=timestamp&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=1493147359900',
    );
    expect(sent.body.SendMessageResponse.SendMessageResult).toMatchObject({
      MD5OfMessageAttributes: '235c5c510d26fb653d073faed50ae77c',
    });

    const received = await query(
      `/${ACCOUNT}/legacy`,
      'Action=ReceiveMessage&Version=2012-11-05&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=5',
    );
    const [message] = received.body.ReceiveMessageResponse.ReceiveMessageResult.Message;
    expect(message.Body).toBe('from the past');
    expect(message.MessageAttribute).toEqual({
      Name: 'timestamp',
      Value: { DataType: 'Number', StringValue: '1493147359900' },
    });
    expect(message.Attribute).toContainEqual({ Name: 'ApproximateReceiveCount', Value: '1' });
    expect(received.body.ReceiveMessageResponse.ResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);

    const deleted = await query(
      `/${ACCOUNT}/legacy`,
      `Action=DeleteMessage&Version=2012-11-05&ReceiptHandle=${encodeURIComponent(message.ReceiptHandle)}`,
    );
    expect(deleted.status).toBe(200);
    expect(deleted.body).toHaveProperty('DeleteMessageResponse');

    const attributes = await query(
      `/${ACCOUNT}/legacy`,
      'Action=GetQueueAttributes&Version=2012-11-05&AttributeName.1=VisibilityTimeout',
    );
    expect(attributes.body.GetQueueAttributesResponse.GetQueueAttributesResult.Attribute).toEqual([
      { Name: 'VisibilityTimeout', Value: '60' },
    ]);
  });

  it('answers errors in SQS query codes', async () => {
    const missing = await query(`/${ACCOUNT}/never-made`, 'Action=ReceiveMessage&Version=2012-11-05');
    expect(missing.status).toBe(400);
    expect(missing.body.ErrorResponse.Error).toMatchObject({
      Type: 'Sender',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      Message: 'The specified queue does not exist.',
    });
    const noBody = await query(`/${ACCOUNT}/legacy`, 'Action=SendMessage&Version=2012-11-05');
    expect(noBody.body.ErrorResponse.Error.Code).toBe('MissingParameter');
    const unknown = await query('/', 'Action=LaunchRockets&Version=2012-11-05');
    expect(unknown.body.ErrorResponse.Error.Code).toBe('InvalidAction');
  });
});

describe('the AWS CLI', () => {
  let dataPath: string;
  beforeAll(() => {
    // The CLI's botocore speaks JSON to SQS; given the query twin of the model it speaks awsQuery,
    // as botocore did before SQS moved to JSON.
    dataPath = mkdtempSync(path.join(os.tmpdir(), 'drydock-sqs-query-'));
    mkdirSync(path.join(dataPath, 'sqs', '2012-11-05'), { recursive: true });
    cpSync(path.resolve('models/sqs-query.json'), path.join(dataPath, 'sqs', '2012-11-05', 'service-2.json'));
  });
  afterAll(() => rmSync(dataPath, { recursive: true, force: true }));

  const cli = (args: string[], env: Record<string, string> = {}) =>
    run('aws', ['--endpoint-url', rig.url, 'sqs', ...args], { ...awsCliEnv(rig.url), ...env });

  it('works with `aws sqs` (JSON protocol, query-compatible errors)', async () => {
    const debug = await cli(['list-queues', '--debug']);
    expect(debug.stderr).toContain("'Content-Type': 'application/x-amz-json-1.0'");

    const created = await cli(['create-queue', '--queue-name', 'from-cli']);
    expect(created.stderr).toBe('');
    const { QueueUrl } = JSON.parse(created.stdout) as { QueueUrl: string };
    expect(QueueUrl).toBe(`${rig.url}/${ACCOUNT}/from-cli`);
    const sent = await cli([
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      'hello cli',
      '--message-attributes',
      '{"timestamp":{"DataType":"Number","StringValue":"1493147359900"}}',
    ]);
    expect(JSON.parse(sent.stdout)).toMatchObject({ MD5OfMessageAttributes: '235c5c510d26fb653d073faed50ae77c' });
    const received = await cli(['receive-message', '--queue-url', QueueUrl, '--attribute-names', 'All']);
    const { Messages } = JSON.parse(received.stdout) as {
      Messages: Array<{ Body: string; Attributes: Record<string, string> }>;
    };
    expect(Messages[0]!.Body).toBe('hello cli');
    expect(Messages[0]!.Attributes.ApproximateReceiveCount).toBe('1');

    const missing = await cli(['get-queue-url', '--queue-name', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(AWS.SimpleQueueService.NonExistentQueue)');
    expect(missing.stderr).toContain('The specified queue does not exist.');
  });

  it('works with `aws sqs` speaking the awsQuery protocol', async () => {
    const env = { AWS_DATA_PATH: dataPath };
    const debug = await cli(['list-queues', '--debug'], env);
    expect(debug.stderr).toContain("'body': {'Action': 'ListQueues', 'Version': '2012-11-05'}");
    const created = await cli(
      ['create-queue', '--queue-name', 'from-query-cli', '--attributes', 'DelaySeconds=0,VisibilityTimeout=20'],
      env,
    );
    expect(created.stderr).toBe('');
    const { QueueUrl } = JSON.parse(created.stdout) as { QueueUrl: string };
    await cli(
      [
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        'old school',
        '--message-attributes',
        '{"k":{"DataType":"String","StringValue":"v"}}',
      ],
      env,
    );
    const received = await cli(
      [
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'All',
        '--message-attribute-names',
        'All',
        '--max-number-of-messages',
        '10',
      ],
      env,
    );
    expect(received.stderr).toBe('');
    const { Messages } = JSON.parse(received.stdout) as {
      Messages: Array<{
        Body: string;
        Attributes: Record<string, string>;
        MessageAttributes: Record<string, unknown>;
        ReceiptHandle: string;
      }>;
    };
    expect(Messages).toHaveLength(1);
    expect(Messages[0]!.Body).toBe('old school');
    expect(Messages[0]!.Attributes.ApproximateReceiveCount).toBe('1');
    expect(Messages[0]!.MessageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' } });
    const attributes = await cli(
      ['get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'VisibilityTimeout'],
      env,
    );
    expect(JSON.parse(attributes.stdout)).toEqual({ Attributes: { VisibilityTimeout: '20' } });
    const deleted = await cli(
      ['delete-message', '--queue-url', QueueUrl, '--receipt-handle', Messages[0]!.ReceiptHandle],
      env,
    );
    expect(deleted.code).toBe(0);
    const missing = await cli(['get-queue-url', '--queue-name', 'nope'], env);
    expect(missing.stderr).toContain('(AWS.SimpleQueueService.NonExistentQueue)');
  });
});
