/**
 * Lambda through the real AWS SDK v3 client against a gateway on an ephemeral port, with real
 * function processes: Node.js (CommonJS, ES module, callback and async handlers) and Python
 * functions are created from .zip packages and from a hot-reload directory, invoked
 * synchronously, asynchronously and as a dry run, by version, alias and ARN; errors, timeouts,
 * throttling and the AWS SDK inside a function calling drydock are checked as the SDK sees them.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionRecursionConfigCommand,
  GetPolicyCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutFunctionRecursionConfigCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../support/drydock.js';
import { ACCOUNT_ID, REGION, ROLE, startLambdaRig, type LambdaRig } from '../support/lambda-rig.js';
import { zipFiles } from '../support/zip.js';

const ARN_PREFIX = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function`;

const NODE_ASYNC = `
const fs = require('node:fs');
exports.handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  if (process.env.MARK_FILE) fs.appendFileSync(process.env.MARK_FILE, Date.now() + '\\n');
  if (event.fail) throw new Error(event.fail);
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return {
    event,
    requestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    remainingMs: context.getRemainingTimeInMillis(),
    greeting: process.env.GREETING,
    region: process.env.AWS_REGION,
    traceId: process.env._X_AMZN_TRACE_ID,
    clientContext: context.clientContext,
    pid: process.pid,
  };
};
`;

const NODE_CALLBACK = `
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = event.wait;
  setTimeout(() => console.log('timer fired'), 300);
  callback(null, { answered: true });
};
`;

/** An ES module that imports the SDK (resolved from drydock's node_modules) and calls ECS and Lambda. */
const NODE_ESM_SDK = `
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { LambdaClient, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
const ecs = new ECSClient({});
const lambda = new LambdaClient({});
export const handler = async (event, context) => {
  const clusters = await ecs.send(new ListClustersCommand({}));
  const self = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: context.functionName }));
  return { clusters: clusters.clusterArns, handler: self.Handler };
};
`;

const PYTHON = `
import os
import boto3

def handler(event, context):
    print("python got", event)
    if event.get("fail"):
        raise ValueError(event["fail"])
    clusters = boto3.client("ecs").list_clusters()["clusterArns"]
    return {
        "clusters": clusters,
        "remaining": context.get_remaining_time_in_millis(),
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "invokedFunctionArn": context.invoked_function_arn,
        "greeting": os.environ.get("GREETING"),
    }
`;

let rig: LambdaRig;
let workDir: string;

beforeAll(async () => {
  rig = await startLambdaRig();
  workDir = mkdtempSync(path.join(tmpdir(), 'drydock-lambda-conformance-'));
});

afterAll(async () => {
  await rig?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function nodeFunction(name: string, overrides: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: 'index.handler',
    Code: { ZipFile: zipFiles({ 'index.js': NODE_ASYNC }) },
    ...overrides,
  };
}

function json(output: InvokeCommandOutput): Record<string, unknown> {
  return JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
}

function payload(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

async function eventually<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('functions from a .zip package', () => {
  it('CreateFunction answers the configuration, and Get/List show it', async () => {
    const zip = zipFiles({ 'index.js': NODE_ASYNC });
    const created = await rig.lambda.send(
      new CreateFunctionCommand(
        nodeFunction('hello', {
          Code: { ZipFile: zip },
          Environment: { Variables: { GREETING: 'hi' } },
          Tags: { team: 'fleet' },
        }),
      ),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: 'hello',
      FunctionArn: `${ARN_PREFIX}:hello`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      CodeSize: zip.byteLength,
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      Environment: { Variables: { GREETING: 'hi' } },
    });
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const got = await rig.lambda.send(new GetFunctionCommand({ FunctionName: 'hello' }));
    expect(got.Configuration?.RevisionId).toBe(created.RevisionId);
    expect(got.Code?.RepositoryType).toBe('S3');
    expect(got.Tags).toEqual({ team: 'fleet' });
    const configuration = await rig.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: `${ARN_PREFIX}:hello` }),
    );
    expect(configuration.FunctionName).toBe('hello');
    const listed = await rig.lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((fn) => fn.FunctionName)).toContain('hello');
    const tags = await rig.lambda.send(new ListTagsCommand({ Resource: `${ARN_PREFIX}:hello` }));
    expect(tags.Tags).toEqual({ team: 'fleet' });
  });

  it('Invoke (RequestResponse) runs the Node.js handler with its event, context and environment', async () => {
    const out = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'hello', Payload: payload({ hello: 'world' }), LogType: 'Tail' }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = json(out);
    expect(body).toMatchObject({
      event: { hello: 'world' },
      requestId: out.$metadata.requestId,
      functionName: 'hello',
      functionVersion: '$LATEST',
      invokedFunctionArn: `${ARN_PREFIX}:hello`,
      memoryLimitInMB: '128',
      greeting: 'hi',
      region: REGION,
    });
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(3000);
    expect(body.traceId).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=[0-9a-f]{8}:1$/,
    );
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain(`START RequestId: ${out.$metadata.requestId} Version: $LATEST`);
    expect(log).toMatch(new RegExp(`\\t${out.$metadata.requestId}\\tINFO\\tevent {"hello":"world"}`));
    expect(log).toContain(`END RequestId: ${out.$metadata.requestId}`);
    expect(log).toMatch(/REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/);
  });

  it('a warm instance serves the next invocation', async () => {
    const first = json(await rig.lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: payload({}) })));
    const second = json(await rig.lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: payload({}) })));
    expect(second.pid).toBe(first.pid);
  });

  it('an empty payload is the event {}, and ClientContext reaches context.clientContext', async () => {
    const out = await rig.lambda.send(new InvokeCommand({ FunctionName: 'hello' }));
    expect(json(out).event).toEqual({});
    const clientContext = { custom: { caller: 'test' }, env: { locale: 'en' } };
    const withContext = await rig.lambda.send(
      new InvokeCommand({
        FunctionName: 'hello',
        ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
      }),
    );
    expect(json(withContext).clientContext).toEqual(clientContext);
  });

  it('a callback handler answers once the event loop is empty, unless told not to wait', async () => {
    await rig.lambda.send(
      new CreateFunctionCommand(
        nodeFunction('callback', { Code: { ZipFile: zipFiles({ 'index.js': NODE_CALLBACK }) } }),
      ),
    );
    const waited = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'callback', Payload: payload({ wait: true }), LogType: 'Tail' }),
    );
    expect(json(waited)).toEqual({ answered: true });
    expect(Buffer.from(waited.LogResult ?? '', 'base64').toString()).toContain('timer fired');
    const early = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'callback', Payload: payload({ wait: false }), LogType: 'Tail' }),
    );
    expect(json(early)).toEqual({ answered: true });
    expect(Buffer.from(early.LogResult ?? '', 'base64').toString()).not.toContain('timer fired');
  });

  it('an ES module handler imports the AWS SDK, which calls drydock in the function’s region', async () => {
    await rig.lambda.send(
      new CreateFunctionCommand(
        nodeFunction('esm-sdk', {
          Runtime: 'nodejs22.x',
          Handler: 'app.handler',
          Timeout: 30,
          Code: { ZipFile: zipFiles({ 'app.mjs': NODE_ESM_SDK }) },
        }),
      ),
    );
    const calls = rig.ecsCalls.length;
    const out = await rig.lambda.send(new InvokeCommand({ FunctionName: 'esm-sdk' }));
    expect(out.FunctionError).toBeUndefined();
    expect(json(out)).toEqual({
      clusters: [`arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/from-drydock`],
      handler: 'app.handler',
    });
    expect(rig.ecsCalls.slice(calls)).toEqual([{ region: REGION, accountId: ACCOUNT_ID }]);
  });

  it('a Python function runs handler(event, context) and boto3 inside it calls drydock', async () => {
    await rig.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'py',
        Runtime: 'python3.12',
        Role: ROLE,
        Handler: 'app.handler',
        Timeout: 30,
        Environment: { Variables: { GREETING: 'hallo' } },
        Code: { ZipFile: zipFiles({ 'app.py': PYTHON }) },
      }),
    );
    const out = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'py', Payload: payload({ a: 1 }), LogType: 'Tail' }),
    );
    expect(out.FunctionError).toBeUndefined();
    const body = json(out);
    expect(body).toMatchObject({
      clusters: [`arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/from-drydock`],
      requestId: out.$metadata.requestId,
      functionName: 'py',
      invokedFunctionArn: `${ARN_PREFIX}:py`,
      greeting: 'hallo',
    });
    expect(body.remaining).toBeGreaterThan(20_000);
    expect(body.remaining).toBeLessThanOrEqual(30_000);
    expect(Buffer.from(out.LogResult ?? '', 'base64').toString()).toContain("python got {'a': 1}");
  });

  it('a handler error is FunctionError Unhandled with the runtime’s error document', async () => {
    const node = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'hello', Payload: payload({ fail: 'boom' }) }),
    );
    expect(node.StatusCode).toBe(200);
    expect(node.FunctionError).toBe('Unhandled');
    expect(json(node)).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
    expect((json(node).trace as string[])[0]).toBe('Error: boom');

    const python = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'py', Payload: payload({ fail: 'bad value' }) }),
    );
    expect(python.FunctionError).toBe('Unhandled');
    expect(json(python)).toMatchObject({
      errorType: 'ValueError',
      errorMessage: 'bad value',
      requestId: python.$metadata.requestId,
    });
    expect(json(python).stackTrace).toEqual(expect.arrayContaining([expect.stringContaining('app.py')]));
  });

  it('a handler that cannot be loaded is an init error', async () => {
    await rig.lambda.send(new CreateFunctionCommand(nodeFunction('missing-handler', { Handler: 'index.nope' })));
    const out = await rig.lambda.send(new InvokeCommand({ FunctionName: 'missing-handler' }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.nope is undefined or not exported',
    });
    await rig.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'py-missing-module',
        Runtime: 'python3.11',
        Role: ROLE,
        Handler: 'nowhere.handler',
        Code: { ZipFile: zipFiles({ 'app.py': PYTHON }) },
      }),
    );
    const python = await rig.lambda.send(new InvokeCommand({ FunctionName: 'py-missing-module' }));
    expect(json(python)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Unable to import module 'nowhere': No module named 'nowhere'",
    });
  });

  it('a function that runs past its Timeout is stopped: Task timed out after N seconds', async () => {
    await rig.lambda.send(new CreateFunctionCommand(nodeFunction('slow', { Timeout: 1 })));
    const started = Date.now();
    const out = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'slow', Payload: payload({ sleepMs: 10_000 }) }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out).errorMessage).toMatch(
      new RegExp(`^\\S+Z ${out.$metadata.requestId} Task timed out after 1.00 seconds$`),
    );
    // The next invocation gets a fresh instance and works.
    const next = await rig.lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: payload({ ok: 1 }) }));
    expect(next.FunctionError).toBeUndefined();
  });

  it('DryRun answers 204 without running, Event answers 202 and runs it once', async () => {
    const marks = path.join(workDir, 'event-marks');
    await rig.lambda.send(
      new CreateFunctionCommand(nodeFunction('events', { Environment: { Variables: { MARK_FILE: marks } } })),
    );
    const dry = await rig.lambda.send(new InvokeCommand({ FunctionName: 'events', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    expect(existsSync(marks)).toBe(false);
    const queued = await rig.lambda.send(
      new InvokeCommand({ FunctionName: 'events', InvocationType: 'Event', Payload: payload({ queued: true }) }),
    );
    expect(queued.StatusCode).toBe(202);
    expect(queued.Payload?.byteLength ?? 0).toBe(0);
    await eventually(() => (existsSync(marks) ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(marks, 'utf8').trim().split('\n')).toHaveLength(1);
    // The deprecated InvokeAsync queues an Event invocation too.
    const legacy = await rig.lambda.send(
      new InvokeAsyncCommand({ FunctionName: 'events', InvokeArgs: payload({ legacy: 1 }) }),
    );
    expect(legacy.Status).toBe(202);
    await eventually(() => (readFileSync(marks, 'utf8').trim().split('\n').length === 2 ? true : undefined));
  });

  it('the service port queues an Event invocation for EventBridge and SNS, and knows which functions exist', async () => {
    const marks = path.join(workDir, 'port-marks');
    await rig.lambda.send(
      new CreateFunctionCommand(nodeFunction('port-target', { Environment: { Variables: { MARK_FILE: marks } } })),
    );
    const scope = { accountId: ACCOUNT_ID, region: REGION };
    expect(rig.service.functionExists(scope, `${ARN_PREFIX}:port-target`)).toBe(true);
    expect(rig.service.functionExists(scope, `${ARN_PREFIX}:port-target:nope`)).toBe(false);
    expect(() => rig.service.invokeAsync(scope, `${ARN_PREFIX}:absent`, '{}')).toThrow(
      `Function not found: ${ARN_PREFIX}:absent`,
    );
    rig.service.invokeAsync(
      scope,
      `${ARN_PREFIX}:port-target`,
      JSON.stringify({ Records: [{ EventSource: 'aws:sns' }] }),
    );
    await eventually(() => (existsSync(marks) ? true : undefined));
    // The function's output reaches the log through a pipe, a moment after its side effects.
    await eventually(() =>
      rig.service.logs(scope, 'port-target').some((entry) => entry.line.includes('"EventSource":"aws:sns"'))
        ? true
        : undefined,
    );
  });
});

describe('versions, aliases and qualified invocations', () => {
  it('PublishVersion freezes $LATEST; versions and aliases are invoked by name, ARN and Qualifier', async () => {
    await rig.lambda.send(
      new CreateFunctionCommand(nodeFunction('versioned', { Environment: { Variables: { GREETING: 'one' } } })),
    );
    const v1 = await rig.lambda.send(new PublishVersionCommand({ FunctionName: 'versioned', Description: 'first' }));
    expect(v1).toMatchObject({ Version: '1', FunctionArn: `${ARN_PREFIX}:versioned:1`, Description: 'first' });
    const unchanged = await rig.lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    expect(unchanged.Version).toBe('1');
    await rig.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'versioned',
        Environment: { Variables: { GREETING: 'two' } },
      }),
    );
    const v2 = await rig.lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    expect(v2.Version).toBe('2');
    const versions = await rig.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
    expect(versions.Versions?.map((version) => [version.Version, version.FunctionArn])).toEqual([
      ['$LATEST', `${ARN_PREFIX}:versioned:$LATEST`],
      ['1', `${ARN_PREFIX}:versioned:1`],
      ['2', `${ARN_PREFIX}:versioned:2`],
    ]);

    const byName = await rig.lambda.send(new InvokeCommand({ FunctionName: 'versioned:1' }));
    expect(byName.ExecutedVersion).toBe('1');
    expect(json(byName)).toMatchObject({ greeting: 'one', functionVersion: '1' });
    const byQualifier = await rig.lambda.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: '2' }));
    expect(json(byQualifier)).toMatchObject({ greeting: 'two', functionVersion: '2' });
    const latest = await rig.lambda.send(new InvokeCommand({ FunctionName: `${ARN_PREFIX}:versioned:$LATEST` }));
    expect(latest.ExecutedVersion).toBe('$LATEST');

    const alias = await rig.lambda.send(
      new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '1', Description: 'prod' }),
    );
    expect(alias).toMatchObject({ AliasArn: `${ARN_PREFIX}:versioned:live`, FunctionVersion: '1', Name: 'live' });
    const viaAlias = await rig.lambda.send(new InvokeCommand({ FunctionName: `${ARN_PREFIX}:versioned:live` }));
    expect(viaAlias.ExecutedVersion).toBe('1');
    expect(json(viaAlias)).toMatchObject({ invokedFunctionArn: `${ARN_PREFIX}:versioned:live`, greeting: 'one' });

    const moved = await rig.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'versioned',
        Name: 'live',
        FunctionVersion: '2',
        RevisionId: alias.RevisionId,
      }),
    );
    expect(moved.RevisionId).not.toBe(alias.RevisionId);
    expect((await rig.lambda.send(new InvokeCommand({ FunctionName: 'versioned:live' }))).ExecutedVersion).toBe('2');
    const stale = await awsError(() =>
      rig.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'versioned',
          Name: 'live',
          FunctionVersion: '1',
          RevisionId: alias.RevisionId,
        }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailedException');
    expect(stale.$metadata.httpStatusCode).toBe(412);

    const aliases = await rig.lambda.send(new ListAliasesCommand({ FunctionName: 'versioned' }));
    expect(aliases.Aliases?.map((entry) => entry.Name)).toEqual(['live']);
    const configuration = await rig.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'versioned', Qualifier: 'live' }),
    );
    expect(configuration).toMatchObject({ Version: '2', FunctionArn: `${ARN_PREFIX}:versioned:live` });

    const inUse = await awsError(() =>
      rig.lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '2' })),
    );
    expect(inUse).toMatchObject({
      name: 'ResourceConflictException',
      message: 'Unable to delete version because the following aliases reference it: [live]',
    });
    expect(inUse.$metadata.httpStatusCode).toBe(409);
    await rig.lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' }));
    await rig.lambda.send(new DeleteAliasCommand({ FunctionName: 'versioned', Name: 'live' }));
    const gone = await awsError(() =>
      rig.lambda.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'live' })),
    );
    expect(gone).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Cannot find alias arn: ${ARN_PREFIX}:versioned:live`,
    });
    const v3 = await rig.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'versioned',
        ZipFile: zipFiles({ 'index.js': NODE_ASYNC, 'x.txt': 'x' }),
        Publish: true,
      }),
    );
    expect(v3.Version).toBe('3');
  });
});

describe('a hot-reload directory function', () => {
  it('runs the directory’s code and picks up an edit at the next invocation, without redeploying', async () => {
    const dir = path.join(workDir, 'hot');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'index.js'), "exports.handler = async () => ({ version: 'one' });\n");
    const created = await rig.lambda.send(
      new CreateFunctionCommand(nodeFunction('hot', { Code: { S3Bucket: 'hot-reload', S3Key: dir } })),
    );
    expect(created.CodeSize).toBe(0);
    expect(json(await rig.lambda.send(new InvokeCommand({ FunctionName: 'hot' })))).toEqual({ version: 'one' });
    writeFileSync(path.join(dir, 'index.js'), "exports.handler = async () => ({ version: 'two!' });\n");
    expect(json(await rig.lambda.send(new InvokeCommand({ FunctionName: 'hot' })))).toEqual({ version: 'two!' });
    const got = await rig.lambda.send(new GetFunctionCommand({ FunctionName: 'hot' }));
    expect(got.Code?.Location).toBe(`file://${dir}`);
  });
});

describe('permissions, concurrency and settings', () => {
  it('AddPermission, GetPolicy and RemovePermission manage the resource policy', async () => {
    await rig.lambda.send(new CreateFunctionCommand(nodeFunction('guarded')));
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hooks`;
    const added = await rig.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'guarded',
        StatementId: 'sns',
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        SourceArn: topic,
      }),
    );
    expect(JSON.parse(added.Statement ?? '{}')).toEqual({
      Sid: 'sns',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `${ARN_PREFIX}:guarded`,
      Condition: { ArnLike: { 'AWS:SourceArn': topic } },
    });
    const policy = await rig.lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' }));
    expect(JSON.parse(policy.Policy ?? '{}')).toMatchObject({ Version: '2012-10-17', Statement: [{ Sid: 'sns' }] });
    const duplicate = await awsError(() =>
      rig.lambda.send(
        new AddPermissionCommand({
          FunctionName: 'guarded',
          StatementId: 'sns',
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      ),
    );
    expect(duplicate).toMatchObject({ name: 'ResourceConflictException' });
    await rig.lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 'sns' }));
    const none = await awsError(() => rig.lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' })));
    expect(none).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The resource you requested does not exist.',
    });
    expect(none.$metadata.httpStatusCode).toBe(404);
  });

  it('reserved concurrency throttles with TooManyRequestsException', async () => {
    await rig.lambda.send(new CreateFunctionCommand(nodeFunction('throttled', { Timeout: 10 })));
    await rig.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }),
    );
    const stopped = await awsError(() => rig.lambda.send(new InvokeCommand({ FunctionName: 'throttled' })));
    expect(stopped).toMatchObject({ name: 'TooManyRequestsException', message: 'Rate Exceeded.' });
    expect(stopped).toHaveProperty('Reason', 'ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(stopped.$metadata.httpStatusCode).toBe(429);

    await rig.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 1 }),
    );
    expect(await rig.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'throttled' }))).toMatchObject({
      ReservedConcurrentExecutions: 1,
    });
    const running = rig.lambda.send(
      new InvokeCommand({ FunctionName: 'throttled', Payload: payload({ sleepMs: 1500 }) }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await awsError(() => rig.lambda.send(new InvokeCommand({ FunctionName: 'throttled' })));
    expect(second.name).toBe('TooManyRequestsException');
    expect((await running).FunctionError).toBeUndefined();
    await rig.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'throttled' }));
    expect((await rig.lambda.send(new InvokeCommand({ FunctionName: 'throttled' }))).StatusCode).toBe(200);
  });

  it('the recursive loop setting is Allow until PutFunctionRecursionConfig says Terminate', async () => {
    await rig.lambda.send(new CreateFunctionCommand(nodeFunction('looping')));
    expect(await rig.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'looping' }))).toMatchObject({
      RecursiveLoop: 'Allow',
    });
    await rig.lambda.send(
      new PutFunctionRecursionConfigCommand({ FunctionName: 'looping', RecursiveLoop: 'Terminate' }),
    );
    expect(await rig.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'looping' }))).toMatchObject({
      RecursiveLoop: 'Terminate',
    });
    await rig.lambda.send(new TagResourceCommand({ Resource: `${ARN_PREFIX}:looping`, Tags: { a: 'b' } }));
  });
});

describe("AWS's errors", () => {
  it('answers missing functions, versions and aliases with ResourceNotFoundException (404)', async () => {
    const missing = await awsError(() => rig.lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN_PREFIX}:nope`,
    });
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const version = await awsError(() => rig.lambda.send(new InvokeCommand({ FunctionName: 'hello:99' })));
    expect(version).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN_PREFIX}:hello:99`,
    });
    const alias = await awsError(() =>
      rig.lambda.send(new InvokeCommand({ FunctionName: 'hello', Qualifier: 'staging' })),
    );
    expect(alias.message).toBe(`Function not found: ${ARN_PREFIX}:hello:staging`);
    const deleted = await awsError(() => rig.lambda.send(new DeleteFunctionCommand({ FunctionName: 'nope' })));
    expect(deleted.name).toBe('ResourceNotFoundException');
  });

  it('answers a duplicate name with ResourceConflictException (409)', async () => {
    const duplicate = await awsError(() => rig.lambda.send(new CreateFunctionCommand(nodeFunction('hello'))));
    expect(duplicate).toMatchObject({ name: 'ResourceConflictException', message: 'Function already exist: hello' });
    expect(duplicate.$metadata.httpStatusCode).toBe(409);
  });

  it('answers bad input with InvalidParameterValueException, ValidationException or InvalidRequestContentException', async () => {
    const cases: Array<[Partial<CreateFunctionCommandInput>, string, string | RegExp]> = [
      [
        { Code: { ZipFile: Buffer.from('not a zip') } },
        'InvalidParameterValueException',
        'Could not unzip uploaded file. Please check your file, then try to upload again.',
      ],
      [
        { Environment: { Variables: { AWS_REGION: 'eu-west-1' } } },
        'InvalidParameterValueException',
        /reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION$/,
      ],
      [{ Runtime: 'java21' }, 'InvalidParameterValueException', /drydock cannot run the java21 runtime/],
      [
        { Runtime: 'nodejs16.x' },
        'InvalidParameterValueException',
        /^The runtime parameter of nodejs16.x is no longer supported/,
      ],
      [
        { Timeout: 901 },
        'ValidationException',
        "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      ],
      [{ Handler: undefined }, 'InvalidParameterValueException', /Runtime and Handler are mandatory/],
      [{ Code: { S3Bucket: 'my-bucket', S3Key: 'fn.zip' } }, 'InvalidParameterValueException', /NoSuchBucket/],
      [{ Code: { S3Bucket: 'hot-reload', S3Key: 'relative/dir' } }, 'InvalidParameterValueException', /absolute path/],
    ];
    for (const [overrides, name, message] of cases) {
      const error = await awsError(() =>
        rig.lambda.send(new CreateFunctionCommand(nodeFunction('bad-input', overrides))),
      );
      expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status: 400 });
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
    const invalidPayload = await awsError(() =>
      rig.lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('{not json') })),
    );
    expect(invalidPayload.name).toBe('InvalidRequestContentException');
    expect(invalidPayload.message).toMatch(
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
    const latest = await awsError(() =>
      rig.lambda.send(new DeleteFunctionCommand({ FunctionName: 'hello', Qualifier: '$LATEST' })),
    );
    expect(latest).toMatchObject({
      name: 'InvalidParameterValueException',
      message: '$LATEST version cannot be deleted without deleting the function.',
    });
    const eventConfig = await awsError(() =>
      rig.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'hello', MaximumRetryAttempts: 3 })),
    );
    expect(eventConfig.name).toBe('ValidationException');
  });

  it('DeleteFunction removes it', async () => {
    await rig.lambda.send(new CreateFunctionCommand(nodeFunction('short-lived')));
    await rig.lambda.send(new DeleteFunctionCommand({ FunctionName: 'short-lived' }));
    const gone = await awsError(() => rig.lambda.send(new InvokeCommand({ FunctionName: 'short-lived' })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});

describe('asynchronous retries on a time-scaled clock', () => {
  it('a failing Event invocation runs three times: 1 min, then 2 min of drydock time apart', async () => {
    // 120× faster: the retries come 0.5 s and 1 s of wall time apart.
    const scaled = await startLambdaRig({ timeScale: 120 });
    try {
      const marks = path.join(workDir, 'retry-marks');
      await scaled.lambda.send(
        new CreateFunctionCommand(
          nodeFunction('flaky', { Timeout: 600, Environment: { Variables: { MARK_FILE: marks } } }),
        ),
      );
      await scaled.lambda.send(
        new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: payload({ fail: 'always' }) }),
      );
      const attempts = await eventually(() => {
        const lines = existsSync(marks) ? readFileSync(marks, 'utf8').trim().split('\n') : [];
        return lines.length >= 3 ? lines.map(Number) : undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(readFileSync(marks, 'utf8').trim().split('\n')).toHaveLength(3);
      const [first, second, third] = attempts as [number, number, number];
      expect(second - first).toBeGreaterThanOrEqual(450);
      expect(second - first).toBeLessThan(1_250);
      expect(third - second).toBeGreaterThanOrEqual(950);
      expect(third - second).toBeLessThan(2_000);
    } finally {
      await scaled.close();
    }
  });
});
