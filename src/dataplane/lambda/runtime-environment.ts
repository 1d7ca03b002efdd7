/**
 * How a function's process is started, as Lambda's execution environment starts a runtime: the
 * command for its runtime (this node with drydock's Node.js client, python3 with its Python
 * client, or the package's own `bootstrap` for `provided*`), LAMBDA_TASK_ROOT as working
 * directory, and the environment Lambda sets (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, _HANDLER,
 * AWS_LAMBDA_RUNTIME_API, TZ=:UTC, …) over the function's own variables, with drydock's endpoint
 * and credentials (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, …) so SDK clients inside call drydock.
 * Nothing else of drydock's own environment leaks in, except PATH and HOME.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FunctionInvocationRequest } from '../../services/lambda/ports.js';

export interface RuntimeFiles {
  /** Directory holding the clients (LAMBDA_RUNTIME_DIR). */
  dir: string;
  nodeBootstrap: string;
  nodeLoader: string;
  pythonBootstrap: string;
}

export interface LaunchOptions {
  files: RuntimeFiles;
  nodeExecutable: string;
  pythonExecutable: string;
  /** drydock's node_modules, so `@aws-sdk/*` resolves inside Node.js functions. */
  modulesDir: string | undefined;
  /** AWS_ENDPOINT_URL, credentials, … pointing at drydock. */
  awsEnvironment: Record<string, string>;
  /** The instance's runtime API, `127.0.0.1:<port>`. */
  runtimeApi: string;
  logStreamName: string;
  basePath: string;
  home: string;
}

export interface LaunchPlan {
  argv: [string, ...string[]];
  env: Record<string, string>;
  cwd: string;
}

const CREDENTIAL_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

export function runtimeFamily(runtime: string): 'node' | 'python' | 'provided' | undefined {
  if (/^nodejs\d+\.x$/.test(runtime)) return 'node';
  if (/^python3\.\d+$/.test(runtime)) return 'python';
  if (/^provided/.test(runtime)) return 'provided';
  return undefined;
}

/** `arn:aws:lambda:us-east-1:123456789012:function:drain` → `{ region: 'us-east-1', name: 'drain' }`. */
export function functionIdentity(functionArn: string): { region: string; name: string } {
  const parts = functionArn.split(':');
  return { region: parts[3] ?? '', name: parts[6] ?? functionArn };
}

/** `2026/01/01/[$LATEST]<32 hex>`: Lambda's log stream name for one execution environment. */
export function logStreamName(version: string, atMs: number, seed: string): string {
  const day = new Date(atMs).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${version}]${createHash('md5').update(seed).digest('hex')}`;
}

export function launchPlan(request: FunctionInvocationRequest, options: LaunchOptions): LaunchPlan {
  const family = runtimeFamily(request.runtime);
  const { region, name } = functionIdentity(request.functionArn);
  const env: Record<string, string> = {
    PATH: options.basePath,
    HOME: options.home,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...options.awsEnvironment,
    ...request.environment,
  };
  for (const key of CREDENTIAL_KEYS) {
    const value = options.awsEnvironment[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${request.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(request.memoryMiB),
    AWS_LAMBDA_FUNCTION_VERSION: request.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: options.logStreamName,
    AWS_LAMBDA_RUNTIME_API: options.runtimeApi,
    LAMBDA_TASK_ROOT: request.codeDir,
    LAMBDA_RUNTIME_DIR: options.files.dir,
    _HANDLER: request.handler,
  });
  switch (family) {
    case 'node':
      env.NODE_PATH = [options.modulesDir, request.codeDir].filter((dir) => dir !== undefined).join(path.delimiter);
      return {
        argv: [options.nodeExecutable, options.files.nodeBootstrap, options.files.nodeLoader, options.modulesDir ?? ''],
        env,
        cwd: request.codeDir,
      };
    case 'python':
      return { argv: [options.pythonExecutable, '-u', options.files.pythonBootstrap], env, cwd: request.codeDir };
    case 'provided':
      return { argv: [path.join(request.codeDir, 'bootstrap')], env, cwd: request.codeDir };
    default:
      throw new Error(`drydock has no runtime for ${request.runtime}`);
  }
}
