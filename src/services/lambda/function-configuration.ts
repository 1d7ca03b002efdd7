/**
 * A function version's configuration as Lambda keeps it (`$LATEST` or a published, immutable
 * version), its checks (supported runtimes, reserved environment variables and their 4 KB
 * limit, Timeout ≤ 900 s, MemorySize ≤ 10240 MB) and its wire form, `FunctionConfiguration`.
 * Functions are Active as soon as they are created (drydock has no ENI or image to prepare), so
 * SDK waiters such as `function-active-v2` pass at once.
 */
import { functionArn } from './function-reference.js';
import { invalidParameter, validationError } from './errors.js';
import type { LambdaScope } from './ports.js';

export type FunctionCode =
  /** A .zip package, unpacked once into code storage under its SHA-256. */
  | { kind: 'zip'; sha256Hex: string; codeSha256: string; codeSize: number }
  /** A directory on this machine (`S3Bucket: hot-reload`, `S3Key: <absolute path>`), read at each cold start. */
  | { kind: 'hot-reload'; directory: string; codeSha256: string };

export interface VersionConfig {
  /** `$LATEST` or `1`, `2`, … */
  version: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeoutSeconds: number;
  memoryMiB: number;
  environment: Record<string, string>;
  code: FunctionCode;
  architectures: string[];
  ephemeralStorageMiB: number;
  tracingMode: string;
  deadLetterTargetArn?: string;
  logFormat: string;
  logGroup?: string;
  lastModifiedMs: number;
  revisionId: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 3;
export const MAX_TIMEOUT_SECONDS = 900;
export const DEFAULT_MEMORY_MIB = 128;
export const MAX_MEMORY_MIB = 10_240;
const ENVIRONMENT_LIMIT_BYTES = 4096;

/** Lambda sets these itself; a function may not (UG:lambda/configuration-envvars, "Reserved environment variables"). */
export const RESERVED_ENVIRONMENT_KEYS = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

/** Runtimes AWS no longer lets anyone create or update a function with. */
const DEPRECATED_RUNTIME =
  /^(nodejs|nodejs4\.3|nodejs4\.3-edge|nodejs6\.10|nodejs8\.10|nodejs1[0246]\.x|python2\.7|python3\.[678]|dotnetcore.*|dotnet6|ruby2\.[57]|go1\.x|java8)$/;

/** What drydock can run on this machine: Node.js (on this node), Python 3 (on python3), and custom runtimes. */
export function runtimeKind(runtime: string): 'node' | 'python' | 'provided' | undefined {
  if (/^nodejs\d+\.x$/.test(runtime)) return 'node';
  if (/^python3\.\d+$/.test(runtime)) return 'python';
  if (/^provided(\.al2(023)?)?$/.test(runtime)) return 'provided';
  return undefined;
}

export function checkRuntime(runtime: string): void {
  if (DEPRECATED_RUNTIME.test(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!runtimeKind(runtime)) {
    throw invalidParameter(
      `drydock cannot run the ${runtime} runtime: it runs nodejs18.x and later (on this machine's node), python3.x (on python3) and provided.al2023/provided.al2 (a bootstrap executable).`,
    );
  }
}

export function checkTimeout(seconds: number): void {
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw validationError(
      String(seconds),
      'timeout',
      `Member must have value less than or equal to ${MAX_TIMEOUT_SECONDS}`,
    );
  }
}

export function checkMemory(memoryMiB: number): void {
  if (memoryMiB > MAX_MEMORY_MIB) {
    throw validationError(
      String(memoryMiB),
      'memorySize',
      `Member must have value less than or equal to ${MAX_MEMORY_MIB}`,
    );
  }
}

export function checkEnvironment(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((key) => RESERVED_ENVIRONMENT_KEYS.includes(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured, 'utf8') > ENVIRONMENT_LIMIT_BYTES) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

/** Lambda's `LastModified`: ISO 8601 with milliseconds and a `+0000` offset. */
export function lastModifiedText(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** What a published version is compared on: AWS publishes nothing new when code and configuration are unchanged. */
export function publishableFingerprint(config: VersionConfig): string {
  const {
    version: _version,
    lastModifiedMs: _modified,
    revisionId: _revision,
    description: _description,
    ...rest
  } = config;
  return JSON.stringify(rest);
}

export function functionConfigurationToWire(
  scope: LambdaScope,
  name: string,
  config: VersionConfig,
  arnQualifier: string | undefined,
): Record<string, unknown> {
  return {
    FunctionName: name,
    FunctionArn: functionArn(scope, name, arnQualifier),
    Runtime: config.runtime,
    Role: config.role,
    Handler: config.handler,
    CodeSize: config.code.kind === 'zip' ? config.code.codeSize : 0,
    Description: config.description,
    Timeout: config.timeoutSeconds,
    MemorySize: config.memoryMiB,
    LastModified: lastModifiedText(config.lastModifiedMs),
    CodeSha256: config.code.codeSha256,
    Version: config.version,
    ...(Object.keys(config.environment).length > 0 ? { Environment: { Variables: { ...config.environment } } } : {}),
    ...(config.deadLetterTargetArn !== undefined
      ? { DeadLetterConfig: { TargetArn: config.deadLetterTargetArn } }
      : {}),
    TracingConfig: { Mode: config.tracingMode },
    RevisionId: config.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [...config.architectures],
    EphemeralStorage: { Size: config.ephemeralStorageMiB },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: config.logFormat, LogGroup: config.logGroup ?? `/aws/lambda/${name}` },
  };
}
