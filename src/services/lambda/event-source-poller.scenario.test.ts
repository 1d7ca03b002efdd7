/**
 * SQS event source mappings on virtual time, with a scripted runtime and an in-memory queue
 * standing in for SQS: a new mapping becomes Enabled, polls once a second, delivers up to
 * BatchSize messages as AWS's `Records` event and deletes them when the function succeeds; a
 * failing or throttled function leaves them for the visibility timeout; a disabled mapping does
 * not poll; mappings survive a restart; and without SQS wired, no mapping can be created.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { ControlLoop } from '../../kernel/control-loop.js';
import { silentLogger } from '../../kernel/logger.js';
import type { RequestContext } from '../../kernel/operation.js';
import { seededRandom } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import { openStore } from '../../store/store.js';
import type { FunctionInvocationRequest, FunctionInvocationResult, QueueMessage, QueuePort } from './ports.js';
import { createLambdaService } from './service.js';
import { lambdaMigrations } from './store.js';

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:jobs';
const VISIBILITY_MS = 30_000;

interface FakeMessage {
  id: string;
  body: string;
  receipt?: string;
  visibleAtMs: number;
  receiveCount: number;
}

/** A queue with SQS's visibility rule, enough for the poller. */
function fakeQueue(clock: VirtualClock) {
  const messages: FakeMessage[] = [];
  let receipts = 0;
  const port: QueuePort = {
    exists: (_scope, arn) => arn === QUEUE_ARN,
    receive: (_scope, _arn, max): QueueMessage[] => {
      const now = clock.now();
      return messages
        .filter((message) => message.visibleAtMs <= now)
        .slice(0, max)
        .map((message) => {
          receipts += 1;
          message.receipt = `r-${receipts}`;
          message.visibleAtMs = now + VISIBILITY_MS;
          message.receiveCount += 1;
          return {
            messageId: message.id,
            receiptHandle: message.receipt,
            body: message.body,
            md5OfBody: 'md5',
            attributes: { ApproximateReceiveCount: String(message.receiveCount), SentTimestamp: '0', SenderId: 'me' },
            messageAttributes: {},
          };
        });
    },
    delete: (_scope, _arn, receiptHandle) => {
      const index = messages.findIndex((message) => message.receipt === receiptHandle);
      if (index >= 0) messages.splice(index, 1);
    },
  };
  return {
    port,
    messages,
    send: (...bodies: string[]) => {
      for (const body of bodies) {
        messages.push({ id: `m-${messages.length}-${body}`, body, visibleAtMs: clock.now(), receiveCount: 0 });
      }
    },
  };
}

const ok = (): FunctionInvocationResult => ({ payload: Buffer.from('null'), logTail: '' });
const failed = (): FunctionInvocationResult => ({
  payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}'),
  functionError: 'Unhandled',
  logTail: '',
});

const codeDir = mkdtempSync(path.join(tmpdir(), 'drydock-esm-scenario-code-'));
const stateDir = mkdtempSync(path.join(tmpdir(), 'drydock-esm-scenario-state-'));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(() => {
  rmSync(codeDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

function world(options: { queues?: boolean; location?: string; clock?: VirtualClock } = {}) {
  const clock = options.clock ?? new VirtualClock();
  const store = openStore({ location: options.location ?? 'memory', migrations: lambdaMigrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const queue = fakeQueue(clock);
  const calls: Array<{ atMs: number; request: FunctionInvocationRequest }> = [];
  const script = { current: ok as (request: FunctionInvocationRequest) => FunctionInvocationResult };
  const service = createLambdaService({
    store,
    clock,
    random: seededRandom(3),
    controlLoop,
    logger: silentLogger,
    ports: {
      runtime: {
        invoke: async (request) => {
          calls.push({ atMs: clock.now(), request });
          return script.current(request);
        },
        logs: () => [],
        close: async () => {},
      },
      ...(options.queues === false ? {} : { queues: queue.port }),
    },
    stateDir: undefined,
  });
  let requests = 0;
  const call = async (operation: string, input: Record<string, unknown>) => {
    requests += 1;
    const context: RequestContext = {
      requestId: `request-${requests}`,
      ...SCOPE,
      serviceId: 'lambda',
      operationName: operation,
    };
    return (await service.operations[operation]!(input as never, context)) as Record<string, unknown>;
  };
  const close = async () => {
    await controlLoop.stop();
    service.close();
    store.close();
  };
  closers.push(async () => {
    await close();
    clock.close();
  });
  const records = (index: number) =>
    (JSON.parse(Buffer.from(calls[index]!.request.payload).toString()) as { Records: Array<Record<string, unknown>> })
      .Records;
  return { clock, store, queue, calls, script, call, records, close };
}

async function createWorker(t: ReturnType<typeof world>): Promise<void> {
  await t.call('CreateFunction', {
    FunctionName: 'worker',
    Runtime: 'nodejs20.x',
    Role: 'arn:aws:iam::123456789012:role/r',
    Handler: 'index.handler',
    Code: { S3Bucket: 'hot-reload', S3Key: codeDir },
  });
}

it('a new mapping becomes Enabled, polls every second, and deletes a batch the function handled', async () => {
  const t = world();
  await createWorker(t);
  const created = await t.call('CreateEventSourceMapping', { EventSourceArn: QUEUE_ARN, FunctionName: 'worker' });
  expect(created.State).toBe('Creating');
  await t.clock.advanceBy(10);
  expect((await t.call('GetEventSourceMapping', { UUID: created.UUID })).State).toBe('Enabled');

  await t.clock.advanceBy(5_000);
  expect(t.calls).toHaveLength(0); // an empty queue invokes nothing

  const sentAtMs = t.clock.now();
  t.queue.send(...Array.from({ length: 12 }, (_, i) => `job-${i}`));
  await t.clock.advanceBy(1_000);
  // Within one poll interval; BatchSize 10, then the rest straight after the first batch.
  expect(t.calls).toHaveLength(2);
  expect(t.calls[0]!.atMs - sentAtMs).toBeLessThanOrEqual(1_000);
  expect(t.records(0)).toHaveLength(10);
  expect(t.records(1).map((record) => record.body)).toEqual(['job-10', 'job-11']);
  expect(t.records(0)[0]).toMatchObject({
    messageId: 'm-0-job-0',
    receiptHandle: 'r-1',
    body: 'job-0',
    md5OfBody: 'md5',
    attributes: { ApproximateReceiveCount: '1' },
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  });
  expect(t.calls[0]!.request.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:worker');
  expect(t.queue.messages).toEqual([]);
});

it('a failing function leaves its batch to come back after the visibility timeout', async () => {
  const t = world();
  await createWorker(t);
  t.script.current = failed;
  await t.call('CreateEventSourceMapping', { EventSourceArn: QUEUE_ARN, FunctionName: 'worker', BatchSize: 2 });
  t.queue.send('a', 'b');
  await t.clock.advanceBy(1_000);
  expect(t.calls).toHaveLength(1);
  expect(t.queue.messages).toHaveLength(2);
  await t.clock.advanceBy(VISIBILITY_MS - 1_500);
  expect(t.calls).toHaveLength(1); // still in flight
  t.script.current = ok;
  await t.clock.advanceBy(2_000);
  expect(t.calls).toHaveLength(2);
  expect(t.records(1).map((record) => (record.attributes as Record<string, string>).ApproximateReceiveCount)).toEqual([
    '2',
    '2',
  ]);
  expect(t.queue.messages).toEqual([]);
});

it('a throttled function (reserved concurrency 0) consumes nothing for good', async () => {
  const t = world();
  await createWorker(t);
  await t.call('PutFunctionConcurrency', { FunctionName: 'worker', ReservedConcurrentExecutions: 0 });
  await t.call('CreateEventSourceMapping', { EventSourceArn: QUEUE_ARN, FunctionName: 'worker' });
  t.queue.send('a');
  await t.clock.advanceBy(5_000);
  expect(t.calls).toHaveLength(0);
  expect(t.queue.messages).toHaveLength(1);
});

it('a disabled mapping does not poll; enabling it does', async () => {
  const t = world();
  await createWorker(t);
  const created = await t.call('CreateEventSourceMapping', {
    EventSourceArn: QUEUE_ARN,
    FunctionName: 'worker',
    Enabled: false,
  });
  t.queue.send('a');
  await t.clock.advanceBy(5_000);
  expect((await t.call('GetEventSourceMapping', { UUID: created.UUID })).State).toBe('Disabled');
  expect(t.calls).toHaveLength(0);
  const updated = await t.call('UpdateEventSourceMapping', { UUID: created.UUID, Enabled: true });
  expect(updated.State).toBe('Enabling');
  await t.clock.advanceBy(1_000);
  expect(t.calls).toHaveLength(1);
  expect((await t.call('GetEventSourceMapping', { UUID: created.UUID })).State).toBe('Enabled');
});

it('a mapping survives a restart and polls again', async () => {
  const location = path.join(stateDir, 'state.db');
  const clock = new VirtualClock();
  const first = world({ location, clock });
  await createWorker(first);
  const created = await first.call('CreateEventSourceMapping', { EventSourceArn: QUEUE_ARN, FunctionName: 'worker' });
  await clock.advanceBy(10);
  await first.close();

  const second = world({ location, clock });
  expect((await second.call('GetEventSourceMapping', { UUID: created.UUID })).State).toBe('Enabled');
  second.queue.send('after restart');
  await clock.advanceBy(1_000);
  expect(second.calls).toHaveLength(1);
  expect(second.records(0)[0]!.body).toBe('after restart');
});

it('without SQS wired, CreateEventSourceMapping answers InvalidParameterValueException', async () => {
  const t = world({ queues: false });
  await createWorker(t);
  const error = await t
    .call('CreateEventSourceMapping', { EventSourceArn: QUEUE_ARN, FunctionName: 'worker' })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe('InvalidParameterValueException');
  expect((error as ServiceError).message).toMatch(/SQS is not available/);
});
