import { expect, it } from 'vitest';
import type { FunctionInvocationRequest } from '../../services/lambda/ports.js';
import {
  functionIdentity,
  launchPlan,
  logStreamName,
  runtimeFamily,
  type LaunchOptions,
} from './runtime-environment.js';

const request: FunctionInvocationRequest = {
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:drain',
  version: '3',
  runtime: 'nodejs22.x',
  handler: 'index.handler',
  codeDir: '/code/drain',
  environment: { POLL_SECONDS: '5', AWS_ENDPOINT_URL: 'http://user-choice:1234' },
  timeoutMs: 900_000,
  memoryMiB: 256,
  payload: Buffer.from('{}'),
  requestId: 'r',
};

const options: LaunchOptions = {
  files: { dir: '/rt', nodeBootstrap: '/rt/node.mjs', nodeLoader: '/rt/loader.mjs', pythonBootstrap: '/rt/py.py' },
  nodeExecutable: '/usr/bin/node',
  pythonExecutable: '/usr/bin/python3.12',
  modulesDir: '/drydock/node_modules',
  awsEnvironment: {
    AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
  },
  runtimeApi: '127.0.0.1:40000',
  logStreamName: '2026/01/01/[3]abc',
  basePath: '/usr/bin:/bin',
  home: '/home/me',
};

it('sets the environment Lambda sets, over the function’s own variables', () => {
  const plan = launchPlan(request, options);
  expect(plan.cwd).toBe('/code/drain');
  expect(plan.argv).toEqual(['/usr/bin/node', '/rt/node.mjs', '/rt/loader.mjs', '/drydock/node_modules']);
  expect(plan.env).toMatchObject({
    PATH: '/usr/bin:/bin',
    TZ: ':UTC',
    POLL_SECONDS: '5',
    // A function may point its SDK elsewhere itself; drydock's endpoint is only the default.
    AWS_ENDPOINT_URL: 'http://user-choice:1234',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'drain',
    AWS_LAMBDA_FUNCTION_VERSION: '3',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/drain',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[3]abc',
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:40000',
    LAMBDA_TASK_ROOT: '/code/drain',
    LAMBDA_RUNTIME_DIR: '/rt',
    _HANDLER: 'index.handler',
    NODE_PATH: '/drydock/node_modules:/code/drain',
  });
  expect(Object.keys(plan.env)).not.toContain('USER');
});

it('starts Python on python3 unbuffered and custom runtimes from their bootstrap', () => {
  expect(launchPlan({ ...request, runtime: 'python3.13' }, options).argv).toEqual([
    '/usr/bin/python3.12',
    '-u',
    '/rt/py.py',
  ]);
  expect(launchPlan({ ...request, runtime: 'provided.al2023' }, options).argv).toEqual(['/code/drain/bootstrap']);
  expect(() => launchPlan({ ...request, runtime: 'java21' }, options)).toThrow('drydock has no runtime for java21');
  expect([
    runtimeFamily('nodejs18.x'),
    runtimeFamily('python3.9'),
    runtimeFamily('provided'),
    runtimeFamily('ruby3.3'),
  ]).toEqual(['node', 'python', 'provided', undefined]);
});

it('names functions and log streams as Lambda does', () => {
  expect(functionIdentity(request.functionArn)).toEqual({ region: 'eu-west-1', name: 'drain' });
  expect(logStreamName('$LATEST', Date.UTC(2026, 1, 3), 'seed')).toMatch(/^2026\/02\/03\/\[\$LATEST\][0-9a-f]{32}$/);
});
