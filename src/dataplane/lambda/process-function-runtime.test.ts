/**
 * The process function runtime with real node and python processes, on a virtual clock so the
 * function timeout and the idle reaping happen exactly when the test moves time: warm reuse,
 * replacement after a configuration change, timeouts, crashes, unhandled rejections, ES modules
 * by `"type": "module"`, custom runtimes with their own bootstrap, logs, and close().
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import type { FunctionInvocationRequest, FunctionRuntimePort } from '../../services/lambda/ports.js';
import { createProcessFunctionRuntime } from './process-function-runtime.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:probe';
let root: string;
let clock: VirtualClock;
let runtime: FunctionRuntimePort;
let sequence = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'drydock-function-runtime-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

afterEach(async () => {
  await runtime?.close();
  clock?.close();
});

function start(): void {
  clock = new VirtualClock();
  runtime = createProcessFunctionRuntime({
    clock,
    logger: silentLogger,
    awsEnvironment: () => ({ AWS_ACCESS_KEY_ID: 'k' }),
  });
}

function codeDir(files: Record<string, string>, mode = 0o644): string {
  sequence += 1;
  const dir = path.join(root, `fn-${sequence}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content, { mode });
  return dir;
}

function request(dir: string, overrides: Partial<FunctionInvocationRequest> = {}): FunctionInvocationRequest {
  sequence += 1;
  return {
    functionArn: ARN,
    version: '$LATEST',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    codeDir: dir,
    environment: {},
    timeoutMs: 2_000,
    memoryMiB: 128,
    payload: Buffer.from('{"x":1}'),
    requestId: `request-${sequence}`,
    ...overrides,
  };
}

const text = (payload: Uint8Array) => Buffer.from(payload).toString('utf8');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const PID_HANDLER = `exports.handler = async (event) => ({ pid: process.pid, greeting: process.env.GREETING, event });`;

it('reuses a warm instance, replaces it when the configuration changes, and stops it after 10 idle minutes', async () => {
  start();
  const dir = codeDir({ 'index.js': PID_HANDLER });
  const first = JSON.parse(text((await runtime.invoke(request(dir))).payload)) as { pid: number };
  const second = JSON.parse(text((await runtime.invoke(request(dir))).payload)) as { pid: number };
  expect(second.pid).toBe(first.pid);

  const changed = JSON.parse(
    text((await runtime.invoke(request(dir, { environment: { GREETING: 'new' } }))).payload),
  ) as {
    pid: number;
    greeting: string;
  };
  expect(changed.greeting).toBe('new');
  expect(changed.pid).not.toBe(first.pid);
  await until(() => !alive(first.pid));

  await clock.advanceBy(10 * 60_000 - 1);
  expect(alive(changed.pid)).toBe(true);
  await clock.advanceBy(1);
  await until(() => !alive(changed.pid));
});

it('times the function out on the drydock clock and kills its process', async () => {
  start();
  const dir = codeDir({
    'index.js': `exports.handler = async () => { console.log('sleeping', process.pid); await new Promise(() => setInterval(() => {}, 1000)); };`,
  });
  let settled = false;
  const pending = runtime.invoke(request(dir, { requestId: 'slow-1' })).finally(() => (settled = true));
  await until(() => runtime.logs(ARN).some((entry) => entry.line.includes('sleeping')));
  const pid = Number(
    /sleeping (\d+)/.exec(runtime.logs(ARN).find((entry) => entry.line.includes('sleeping'))!.line)![1],
  );
  await clock.advanceBy(1_999);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(settled).toBe(false);
  await clock.advanceBy(1);
  const result = await pending;
  expect(result.functionError).toBe('Unhandled');
  expect(JSON.parse(text(result.payload))).toEqual({
    errorMessage: `${new Date(clock.now()).toISOString()} slow-1 Task timed out after 2.00 seconds`,
  });
  expect(result.logTail).toMatch(/Task timed out after 2.00 seconds\nEND RequestId: slow-1\nREPORT RequestId: slow-1/);
  await until(() => !alive(pid));
});

it('reports a runtime that exits mid-invocation, and an unhandled rejection', async () => {
  start();
  const crash = codeDir({ 'index.js': `exports.handler = async () => { process.exit(3); };` });
  const crashed = await runtime.invoke(request(crash, { requestId: 'crash-1' }));
  expect(crashed.functionError).toBe('Unhandled');
  expect(JSON.parse(text(crashed.payload))).toEqual({
    errorType: 'Runtime.ExitError',
    errorMessage: 'RequestId: crash-1 Error: Runtime exited with error: exit status 3',
  });

  const rejecting = codeDir({
    'index.js': `exports.handler = async () => { Promise.reject(new TypeError('lost')); await new Promise((r) => setTimeout(r, 50)); return 1; };`,
  });
  const rejected = await runtime.invoke(request(rejecting, { functionArn: `${ARN}-2` }));
  expect(rejected.functionError).toBe('Unhandled');
  expect(JSON.parse(text(rejected.payload))).toMatchObject({
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: 'TypeError: lost',
  });
});

it('loads `.js` as an ES module under "type": "module", and runs nested handler paths', async () => {
  start();
  const dir = codeDir({
    'package.json': '{"type":"module"}',
    'index.js': `import os from 'node:os'; export const handlers = { main: async (event, context) => ({ esm: typeof require === 'undefined', fn: context.functionName, host: typeof os.hostname() }) };`,
  });
  const result = await runtime.invoke(request(dir, { handler: 'index.handlers.main' }));
  expect(JSON.parse(text(result.payload))).toEqual({ esm: true, fn: 'probe', host: 'string' });
});

it('runs a custom runtime’s own bootstrap against the Runtime API', async () => {
  start();
  const bootstrap = `#!${process.execPath}
const http = require('node:http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request('http://' + api + '/2018-06-01/runtime' + path, { method }, (res) => {
      let data = '';
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve({ headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
(async () => {
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    console.log('custom runtime got', next.body);
    await call('POST', '/invocation/' + id + '/response', JSON.stringify({ custom: JSON.parse(next.body), handler: process.env._HANDLER }));
  }
})();
`;
  const dir = codeDir({ bootstrap }, 0o755);
  const result = await runtime.invoke(request(dir, { runtime: 'provided.al2023', handler: 'function.handler' }));
  expect(result.functionError).toBeUndefined();
  expect(JSON.parse(text(result.payload))).toEqual({ custom: { x: 1 }, handler: 'function.handler' });
  expect(result.logTail).toContain('custom runtime got {"x":1}');

  const missing = codeDir({ 'readme.txt': 'no bootstrap here' });
  const failed = await runtime.invoke(request(missing, { runtime: 'provided.al2', functionArn: `${ARN}-custom` }));
  expect(failed.functionError).toBe('Unhandled');
  expect(JSON.parse(text(failed.payload))).toMatchObject({ errorType: 'Runtime.InvalidEntrypoint' });
});

it('keeps each function’s output, by ARN or by name, and close() stops every process', async () => {
  start();
  const dir = codeDir({
    'index.js': `exports.handler = async (event) => { console.log('hello from', process.pid); return process.pid; };`,
  });
  const pid = Number(text((await runtime.invoke(request(dir))).payload));
  const other = Number(
    text((await runtime.invoke(request(dir, { functionArn: `${ARN.replace('us-east-1', 'eu-west-1')}` }))).payload),
  );
  expect(runtime.logs(ARN).map((entry) => entry.line.replace(/^\S+\t\S+\t/, ''))).toEqual([
    expect.stringMatching(/^START RequestId: request-\d+ Version: \$LATEST$/),
    `INFO\thello from ${pid}`,
    expect.stringMatching(/^END RequestId/),
    expect.stringMatching(/^REPORT RequestId/),
  ]);
  expect(runtime.logs('probe').filter((entry) => entry.line.includes('hello from'))).toHaveLength(2);
  await runtime.close();
  await until(() => !alive(pid) && !alive(other));
  await expect(runtime.invoke(request(dir))).rejects.toThrow('the Lambda runtime is closed');
});

it('runs a Python handler with the context Lambda gives it', async () => {
  start();
  const dir = codeDir({
    'handler.py': `
import logging
logger = logging.getLogger()
def main(event, context):
    logger.warning("warned %s", event["x"])
    return {"remaining": context.get_remaining_time_in_millis(), "version": context.function_version, "memory": context.memory_limit_in_mb}
`,
  });
  const result = await runtime.invoke(request(dir, { runtime: 'python3.12', handler: 'handler.main', version: '4' }));
  const body = JSON.parse(text(result.payload)) as { remaining: number; version: string; memory: string };
  expect(body).toMatchObject({ version: '4', memory: '128' });
  expect(body.remaining).toBeGreaterThan(0);
  expect(body.remaining).toBeLessThanOrEqual(2_000);
  expect(result.logTail).toMatch(/\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\trequest-\d+\twarned 1/);
});
