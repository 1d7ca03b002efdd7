/**
 * receiveByArn/deleteByArn, what Lambda's event source mappings consume a queue through: a
 * receive puts messages in flight for the queue's visibility timeout with all attributes in the
 * Lambda event's spelling, a delete removes one, and an undeleted one comes back.
 */
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import type { RequestContext } from '../../kernel/operation.js';
import { seededRandom } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import { openStore } from '../../store/store.js';
import { createSqsService, sqsMigrations } from './service.js';

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const ARN = 'arn:aws:sqs:us-east-1:123456789012:jobs';
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function world() {
  const clock = new VirtualClock();
  const store = openStore({ location: 'memory', migrations: sqsMigrations });
  const sqs = createSqsService({
    store,
    clock,
    random: seededRandom(1),
    logger: silentLogger,
    baseUrl: () => 'http://localhost:4566',
  });
  closers.push(() => {
    sqs.close();
    clock.close();
    store.close();
  });
  const call = async (operation: string, input: Record<string, unknown>) => {
    const context: RequestContext = { requestId: 'r', ...SCOPE, serviceId: 'sqs', operationName: operation };
    return (await sqs.operations[operation]!(input as never, context)) as Record<string, unknown>;
  };
  const created = await call('CreateQueue', { QueueName: 'jobs', Attributes: { VisibilityTimeout: '5' } });
  return { clock, sqs, call, url: created.QueueUrl as string };
}

it('receives in flight for the queue visibility timeout, with Lambda-spelled attributes', async () => {
  const t = await world();
  await t.call('SendMessage', {
    QueueUrl: t.url,
    MessageBody: 'hello',
    MessageAttributes: {
      kind: { DataType: 'String', StringValue: 'greeting' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
    },
  });
  await t.call('SendMessage', { QueueUrl: t.url, MessageBody: 'second' });
  const [first, ...rest] = t.sqs.receiveByArn(SCOPE, ARN, 1);
  expect(rest).toEqual([]);
  expect(first).toMatchObject({
    body: 'hello',
    md5OfBody: '5d41402abc4b2a76b9719d911017c592',
    attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String), SentTimestamp: String(t.clock.now()) },
    messageAttributes: {
      kind: { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' },
      blob: { binaryValue: Buffer.from('hi').toString('base64'), dataType: 'Binary' },
    },
  });
  expect(first!.attributes.ApproximateFirstReceiveTimestamp).toBe(String(t.clock.now()));

  // The first is in flight; the second is next. Deleting the second leaves only the first.
  const [second] = t.sqs.receiveByArn(SCOPE, ARN, 10);
  expect(second?.body).toBe('second');
  expect(t.sqs.receiveByArn(SCOPE, ARN, 10)).toEqual([]);
  t.sqs.deleteByArn(SCOPE, ARN, second!.receiptHandle);
  await t.clock.advanceBy(5_000);
  const again = t.sqs.receiveByArn(SCOPE, ARN, 10);
  expect(again.map((message) => [message.body, message.attributes.ApproximateReceiveCount])).toEqual([['hello', '2']]);
});

it('an unknown queue is QueueDoesNotExist, as ReceiveMessage answers', async () => {
  const t = await world();
  const missing = 'arn:aws:sqs:us-east-1:123456789012:missing';
  expect(() => t.sqs.receiveByArn(SCOPE, missing, 1)).toThrow(ServiceError);
  expect(() => t.sqs.deleteByArn(SCOPE, missing, 'x')).toThrow(ServiceError);
});
