/**
 * Asynchronous invocation as the Lambda docs describe it, on virtual time with a scripted
 * runtime: a failing event is retried one minute and then two minutes later and then dropped;
 * MaximumRetryAttempts lowers that; a throttled event waits for concurrency without using up its
 * retries; queued events survive a restart; and a function that re-publishes the message that
 * triggers it (SNS → Lambda → SNS …) runs on by default but is stopped after 16 runs in one chain
 * once its RecursiveLoop is Terminate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { ControlLoop } from '../../kernel/control-loop.js';
import { silentLogger } from '../../kernel/logger.js';
import type { RequestContext } from '../../kernel/operation.js';
import { seededRandom } from '../../kernel/random.js';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import { openStore, type Store } from '../../store/store.js';
import type { FunctionInvocationRequest, FunctionInvocationResult, FunctionRuntimePort } from './ports.js';
import { createLambdaService, type LambdaService } from './service.js';
import { lambdaMigrations } from './store.js';

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:drain`;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

type Script = (request: FunctionInvocationRequest) => FunctionInvocationResult | Promise<FunctionInvocationResult>;

interface World {
  clock: VirtualClock;
  store: Store;
  service: LambdaService;
  calls: Array<{ atMs: number; request: FunctionInvocationRequest }>;
  script: { current: Script };
  call(operation: string, input: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

const ok = (): FunctionInvocationResult => ({ payload: Buffer.from('null'), logTail: '' });
const failed = (): FunctionInvocationResult => ({
  payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}'),
  functionError: 'Unhandled',
  logTail: '',
});

const codeDir = mkdtempSync(path.join(tmpdir(), 'drydock-lambda-scenario-code-'));
const worlds: World[] = [];
const directories: string[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});
afterAll(() => rmSync(codeDir, { recursive: true, force: true }));

function world(options: { location?: string; startAtMs?: number } = {}): World {
  const clock = new VirtualClock(options.startAtMs !== undefined ? { startAtMs: options.startAtMs } : {});
  const store = openStore({ location: options.location ?? 'memory', migrations: lambdaMigrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const calls: World['calls'] = [];
  const script = { current: ok as Script };
  const runtime: FunctionRuntimePort = {
    invoke: async (request) => {
      calls.push({ atMs: clock.now(), request });
      return script.current(request);
    },
    logs: () => [],
    close: async () => {},
  };
  const service = createLambdaService({
    store,
    clock,
    random: seededRandom(5),
    controlLoop,
    logger: silentLogger,
    ports: { runtime },
    stateDir: undefined,
  });
  let requests = 0;
  const created: World = {
    clock,
    store,
    service,
    calls,
    script,
    call: async (operation, input) => {
      requests += 1;
      const context: RequestContext = {
        requestId: `request-${requests}`,
        region: SCOPE.region,
        accountId: SCOPE.accountId,
        serviceId: 'lambda',
        operationName: operation,
      };
      return service.operations[operation]!(input as never, context);
    },
    close: async () => {
      await controlLoop.stop();
      service.close();
      clock.close();
      store.close();
    },
  };
  worlds.push(created);
  return created;
}

async function createDrain(t: World): Promise<void> {
  await t.call('CreateFunction', {
    FunctionName: 'drain',
    Runtime: 'nodejs20.x',
    Role: 'arn:aws:iam::123456789012:role/r',
    Handler: 'index.handler',
    Code: { S3Bucket: 'hot-reload', S3Key: codeDir },
  });
}

it('retries a failing event one minute and then two minutes later, then drops it', async () => {
  const t = world();
  await createDrain(t);
  t.script.current = failed;
  const start = t.clock.now();
  t.service.invokeAsync(SCOPE, ARN, '{"n":1}');
  await t.clock.advanceBy(10 * MINUTE);
  expect(t.calls.map((call) => call.atMs - start)).toEqual([0, MINUTE, 3 * MINUTE]);
  // Every attempt is the same event: same request id, same payload.
  expect(new Set(t.calls.map((call) => call.request.requestId)).size).toBe(1);
  expect(Buffer.from(t.calls[2]!.request.payload).toString()).toBe('{"n":1}');
  expect(t.store.counts().lambda?.asyncEvents).toBe(0);
});

it('runs a successful event once, and MaximumRetryAttempts 0 means one attempt only', async () => {
  const t = world();
  await createDrain(t);
  t.service.invokeAsync(SCOPE, 'drain', '{}');
  await t.clock.advanceBy(10 * MINUTE);
  expect(t.calls).toHaveLength(1);

  await t.call('PutFunctionEventInvokeConfig', { FunctionName: 'drain', MaximumRetryAttempts: 0 });
  t.script.current = failed;
  t.service.invokeAsync(SCOPE, 'drain', '{}');
  await t.clock.advanceBy(10 * MINUTE);
  expect(t.calls).toHaveLength(2);
});

it('keeps a throttled event until the function has concurrency again, without using up retries', async () => {
  const t = world();
  await createDrain(t);
  await t.call('PutFunctionConcurrency', { FunctionName: 'drain', ReservedConcurrentExecutions: 1 });
  let release!: () => void;
  t.script.current = () => new Promise((resolve) => (release = () => resolve(ok())));
  const running = t.call('Invoke', { FunctionName: 'drain' });
  await t.clock.advanceBy(0);
  expect(t.calls).toHaveLength(1);

  t.script.current = ok;
  t.service.invokeAsync(SCOPE, 'drain', '{"queued":true}');
  await t.clock.advanceBy(30 * SECOND);
  expect(t.calls).toHaveLength(1);
  release();
  await running;
  await t.clock.advanceBy(20 * SECOND);
  expect(t.calls).toHaveLength(2);
  expect(Buffer.from(t.calls[1]!.request.payload).toString()).toBe('{"queued":true}');
});

it('a queued retry survives a restart and runs at its time', async () => {
  const location = mkdtempSync(path.join(tmpdir(), 'drydock-lambda-restart-'));
  directories.push(location);
  const before = world({ location });
  await createDrain(before);
  before.script.current = failed;
  before.service.invokeAsync(SCOPE, ARN, '{"restart":true}');
  await before.clock.advanceBy(10 * SECOND);
  expect(before.calls).toHaveLength(1);
  const stoppedAt = before.clock.now();
  await before.close();
  worlds.splice(worlds.indexOf(before), 1);

  const after = world({ location, startAtMs: stoppedAt });
  after.script.current = failed;
  await after.clock.advanceBy(49 * SECOND);
  expect(after.calls).toHaveLength(0);
  await after.clock.advanceBy(1 * SECOND);
  expect(after.calls).toHaveLength(1);
  expect(Buffer.from(after.calls[0]!.request.payload).toString()).toBe('{"restart":true}');
});

/** A drain function that re-publishes its trigger: each run hands its trace header back, as SNS would. */
function republishing(t: World, maxRuns: number): Script {
  return (request) => {
    if (t.calls.length < maxRuns) {
      t.service.invokeAsync(SCOPE, ARN, '{"Records":[{"EventSource":"aws:sns"}]}', { traceHeader: request.traceId! });
    }
    return ok();
  };
}

it('lets a function that re-publishes its own trigger loop on by default (RecursiveLoop Allow)', async () => {
  const t = world();
  await createDrain(t);
  t.script.current = republishing(t, 40);
  t.service.invokeAsync(SCOPE, ARN, '{}');
  await t.clock.advanceBy(MINUTE);
  expect(t.calls).toHaveLength(40);
  expect(new Set(t.calls.map((call) => call.request.traceId!.split(';')[0])).size).toBe(1);
  expect(t.calls[39]!.request.traceId).toMatch(/Lineage=[0-9a-f]{8}:40$/);
});

it('stops the loop after 16 runs in one chain when RecursiveLoop is Terminate', async () => {
  const t = world();
  await createDrain(t);
  await t.call('PutFunctionRecursionConfig', { FunctionName: 'drain', RecursiveLoop: 'Terminate' });
  t.script.current = republishing(t, 40);
  t.service.invokeAsync(SCOPE, ARN, '{}');
  await t.clock.advanceBy(MINUTE);
  expect(t.calls).toHaveLength(16);
  expect(t.store.counts().lambda?.asyncEvents).toBe(0);
  // A new chain (no trace header) runs again.
  t.service.invokeAsync(SCOPE, ARN, '{}');
  await t.clock.advanceBy(MINUTE);
  expect(t.calls).toHaveLength(32);
});

it('refuses an event that is not JSON, and one for a function that does not exist', async () => {
  const t = world();
  await createDrain(t);
  expect(() => t.service.invokeAsync(SCOPE, ARN, 'not json')).toThrow(/Could not parse payload into json/);
  expect(() => t.service.invokeAsync(SCOPE, `${ARN}:9`, '{}')).toThrow(`Function not found: ${ARN}:9`);
});
