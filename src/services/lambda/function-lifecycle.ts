/**
 * Creating and changing functions: CreateFunction (a .zip, or a hot-reload directory), the
 * configuration checks it shares with UpdateFunctionConfiguration, UpdateFunctionCode,
 * PublishVersion (nothing new is published when $LATEST is unchanged since the last version) and
 * DeleteFunction (the whole function, or one published version no alias points to). Unused code
 * packages are removed afterwards.
 */
import { HOT_RELOAD_BUCKET } from './code-storage.js';
import { findFunction, findVersion, requireFunction, type LambdaContext } from './context.js';
import {
  functionAlreadyExists,
  functionNotFound,
  invalidParameter,
  notQualifiable,
  resourceConflict,
  revisionMismatch,
} from './errors.js';
import {
  checkEnvironment,
  checkMemory,
  checkRuntime,
  checkTimeout,
  DEFAULT_MEMORY_MIB,
  DEFAULT_TIMEOUT_SECONDS,
  publishableFingerprint,
  type FunctionCode,
  type VersionConfig,
} from './function-configuration.js';
import { functionArn, isVersionNumber, LATEST, resolveReference } from './function-reference.js';
import type { LambdaScope } from './ports.js';
import { functionKey, policyKey, scopePrefix, versionKey } from './store.js';
import type { FunctionRecord } from './function.js';

export interface CodeInput {
  ZipFile?: Uint8Array;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}

export interface ConfigurationInput {
  Runtime?: string;
  Role?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
  TracingConfig?: { Mode?: string };
  DeadLetterConfig?: { TargetArn?: string };
  EphemeralStorage?: { Size?: number };
  LoggingConfig?: { LogFormat?: string; LogGroup?: string };
  Layers?: string[];
  ImageConfig?: unknown;
}

export interface CreateFunctionInput extends ConfigurationInput {
  FunctionName: string;
  Role: string;
  Code: CodeInput;
  Publish?: boolean;
  PackageType?: string;
  Architectures?: string[];
  Tags?: Record<string, string>;
}

/** The package a Code / UpdateFunctionCode input names: an inline .zip, or a hot-reload directory. */
export async function codeFrom(ctx: LambdaContext, input: CodeInput): Promise<FunctionCode> {
  if (input.ImageUri !== undefined) {
    throw invalidParameter(
      'drydock does not run container-image functions (PackageType Image); deploy a .zip package.',
    );
  }
  if (input.ZipFile !== undefined) {
    if (input.S3Bucket !== undefined || input.S3Key !== undefined) {
      throw invalidParameter('Please do not provide other FunctionCode properties when providing a ZipFile.');
    }
    return ctx.codeStorage.storeZip(input.ZipFile);
  }
  if (input.S3Bucket === HOT_RELOAD_BUCKET && input.S3Key !== undefined) return ctx.codeStorage.hotReload(input.S3Key);
  if (input.S3Bucket !== undefined) {
    throw invalidParameter(
      `Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist (drydock has no S3: send Code.ZipFile, or S3Bucket "${HOT_RELOAD_BUCKET}" with S3Key the absolute path of a directory)`,
    );
  }
  throw invalidParameter('A ZIP file or S3 bucket is required');
}

/** The configuration checks CreateFunction and UpdateFunctionConfiguration share. */
function checkConfiguration(input: ConfigurationInput): void {
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  if (input.Timeout !== undefined) checkTimeout(input.Timeout);
  if (input.MemorySize !== undefined) checkMemory(input.MemorySize);
  if (input.Environment?.Variables !== undefined) checkEnvironment(input.Environment.Variables);
  if (input.Layers !== undefined && input.Layers.length > 0) {
    throw invalidParameter(
      'drydock does not support Lambda layers; include the dependencies in the deployment package.',
    );
  }
}

export async function createFunction(
  ctx: LambdaContext,
  requestScope: LambdaScope,
  input: CreateFunctionInput,
): Promise<{ fn: FunctionRecord; published?: VersionConfig }> {
  const reference = resolveReference(requestScope, input.FunctionName);
  if (reference.qualifier !== undefined) throw invalidParameter(`Invalid function name: ${input.FunctionName}`);
  const { scope, name } = reference;
  if (findFunction(ctx, scope, name)) throw functionAlreadyExists(name);
  if (input.PackageType === 'Image') {
    throw invalidParameter(
      'drydock does not run container-image functions (PackageType Image); deploy a .zip package.',
    );
  }
  if (input.Runtime === undefined || input.Handler === undefined) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  checkConfiguration(input);
  const code = await codeFrom(ctx, input.Code);
  let created = false;
  try {
    const result = insertFunction(ctx, scope, name, { ...input, Runtime: input.Runtime, Handler: input.Handler }, code);
    created = true;
    return result;
  } finally {
    ctx.codeStorage.unpin(code);
    // A package stored for a function that was then refused (a name taken meanwhile) is not kept.
    if (!created) collectCode(ctx);
  }
}

function insertFunction(
  ctx: LambdaContext,
  scope: LambdaScope,
  name: string,
  input: CreateFunctionInput & { Runtime: string; Handler: string },
  code: FunctionCode,
): { fn: FunctionRecord; published?: VersionConfig } {
  const nowMs = ctx.clock.now();
  const latest: VersionConfig = {
    version: LATEST,
    runtime: input.Runtime,
    handler: input.Handler,
    role: input.Role,
    description: input.Description ?? '',
    timeoutSeconds: input.Timeout ?? DEFAULT_TIMEOUT_SECONDS,
    memoryMiB: input.MemorySize ?? DEFAULT_MEMORY_MIB,
    environment: { ...input.Environment?.Variables },
    code,
    architectures: input.Architectures ?? ['x86_64'],
    ephemeralStorageMiB: input.EphemeralStorage?.Size ?? 512,
    tracingMode: input.TracingConfig?.Mode ?? 'PassThrough',
    ...(input.DeadLetterConfig?.TargetArn ? { deadLetterTargetArn: input.DeadLetterConfig.TargetArn } : {}),
    logFormat: input.LoggingConfig?.LogFormat ?? 'Text',
    ...(input.LoggingConfig?.LogGroup !== undefined ? { logGroup: input.LoggingConfig.LogGroup } : {}),
    lastModifiedMs: nowMs,
    revisionId: ctx.random.uuid(),
  };
  return ctx.store.transaction(() => {
    // The code upload awaited: someone may have created the same name meanwhile.
    if (findFunction(ctx, scope, name)) throw functionAlreadyExists(name);
    const fn: FunctionRecord = {
      accountId: scope.accountId,
      region: scope.region,
      name,
      latest,
      lastVersionNumber: 0,
      tags: { ...input.Tags },
      eventInvokeConfigs: {},
      createdAtMs: nowMs,
    };
    ctx.tables.functions.put(functionKey(scope, name), fn);
    if (!input.Publish) return { fn };
    const published = publishVersion(ctx, scope, name, {});
    return { fn: requireFunction(ctx, scope, name), published };
  });
}

export interface UpdateCodeInput extends CodeInput {
  FunctionName: string;
  Publish?: boolean;
  DryRun?: boolean;
  RevisionId?: string;
  Architectures?: string[];
}

export async function updateFunctionCode(
  ctx: LambdaContext,
  requestScope: LambdaScope,
  input: UpdateCodeInput,
): Promise<{ fn: FunctionRecord; published?: VersionConfig }> {
  const { scope, name } = unqualified(requestScope, input.FunctionName);
  const before = requireFunction(ctx, scope, name);
  if (input.RevisionId !== undefined && input.RevisionId !== before.latest.revisionId) throw revisionMismatch();
  const code = await codeFrom(ctx, input);
  try {
    if (input.DryRun) return { fn: { ...before, latest: { ...before.latest, code } } };
    return replaceCode(ctx, scope, name, input, code);
  } finally {
    ctx.codeStorage.unpin(code);
    collectCode(ctx);
  }
}

function replaceCode(
  ctx: LambdaContext,
  scope: LambdaScope,
  name: string,
  input: UpdateCodeInput,
  code: FunctionCode,
): { fn: FunctionRecord; published?: VersionConfig } {
  return ctx.store.transaction(() => {
    const fn = requireFunction(ctx, scope, name);
    const updated: FunctionRecord = {
      ...fn,
      latest: {
        ...fn.latest,
        code,
        ...(input.Architectures !== undefined ? { architectures: input.Architectures } : {}),
        lastModifiedMs: ctx.clock.now(),
        revisionId: ctx.random.uuid(),
      },
    };
    ctx.tables.functions.put(functionKey(scope, name), updated);
    if (!input.Publish) return { fn: updated };
    const published = publishVersion(ctx, scope, name, {});
    return { fn: requireFunction(ctx, scope, name), published };
  });
}

export function updateFunctionConfiguration(
  ctx: LambdaContext,
  requestScope: LambdaScope,
  input: ConfigurationInput & { FunctionName: string; RevisionId?: string },
): FunctionRecord {
  const { scope, name } = unqualified(requestScope, input.FunctionName);
  checkConfiguration(input);
  return ctx.store.transaction(() => {
    const fn = requireFunction(ctx, scope, name);
    if (input.RevisionId !== undefined && input.RevisionId !== fn.latest.revisionId) throw revisionMismatch();
    const latest = fn.latest;
    const updated: FunctionRecord = {
      ...fn,
      latest: {
        ...latest,
        runtime: input.Runtime ?? latest.runtime,
        role: input.Role ?? latest.role,
        handler: input.Handler ?? latest.handler,
        description: input.Description ?? latest.description,
        timeoutSeconds: input.Timeout ?? latest.timeoutSeconds,
        memoryMiB: input.MemorySize ?? latest.memoryMiB,
        environment: input.Environment !== undefined ? { ...input.Environment.Variables } : latest.environment,
        tracingMode: input.TracingConfig?.Mode ?? latest.tracingMode,
        ephemeralStorageMiB: input.EphemeralStorage?.Size ?? latest.ephemeralStorageMiB,
        logFormat: input.LoggingConfig?.LogFormat ?? latest.logFormat,
        ...deadLetter(input),
        lastModifiedMs: ctx.clock.now(),
        revisionId: ctx.random.uuid(),
      },
    };
    ctx.tables.functions.put(functionKey(scope, name), updated);
    return updated;
  });
}

function deadLetter(input: ConfigurationInput): Partial<VersionConfig> {
  if (input.DeadLetterConfig === undefined) return {};
  const target = input.DeadLetterConfig.TargetArn;
  // An empty TargetArn removes the dead-letter queue, as AWS documents.
  return target ? { deadLetterTargetArn: target } : { deadLetterTargetArn: undefined };
}

/** Publishes $LATEST as the next version, unless nothing changed since the last one (which is returned). */
export function publishVersion(
  ctx: LambdaContext,
  scope: LambdaScope,
  name: string,
  input: { CodeSha256?: string; Description?: string; RevisionId?: string },
): VersionConfig {
  return ctx.store.transaction(() => {
    const fn = requireFunction(ctx, scope, name);
    if (input.RevisionId !== undefined && input.RevisionId !== fn.latest.revisionId) throw revisionMismatch();
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.code.codeSha256) {
      throw invalidParameter(
        `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    const last = fn.lastVersionNumber > 0 ? findVersion(ctx, scope, fn, String(fn.lastVersionNumber)) : undefined;
    if (last && publishableFingerprint(last) === publishableFingerprint(fn.latest)) return last;
    const number = fn.lastVersionNumber + 1;
    const config: VersionConfig = {
      ...fn.latest,
      version: String(number),
      description: input.Description ?? fn.latest.description,
      lastModifiedMs: ctx.clock.now(),
      revisionId: ctx.random.uuid(),
    };
    ctx.tables.versions.put(versionKey(scope, name, config.version), {
      accountId: scope.accountId,
      region: scope.region,
      functionName: name,
      config,
    });
    ctx.tables.functions.put(functionKey(scope, name), { ...fn, lastVersionNumber: number });
    return config;
  });
}

/** DeleteFunction: the whole function (versions, aliases, policies, queued events), or one published version. */
export function deleteFunction(
  ctx: LambdaContext,
  requestScope: LambdaScope,
  functionName: string,
  qualifier?: string,
): void {
  const { scope, name, qualifier: target } = resolveReference(requestScope, functionName, qualifier);
  ctx.store.transaction(() => {
    const fn = requireFunction(ctx, scope, name);
    if (target === undefined) {
      const prefix = `${functionKey(scope, name)}/`;
      for (const table of [ctx.tables.versions, ctx.tables.aliases, ctx.tables.policies] as const) {
        for (const key of table.keys()) if (key.startsWith(prefix)) table.delete(key);
      }
      for (const event of ctx.tables.asyncEvents.withPrefix(scopePrefix(scope))) {
        if (event.functionName === name) ctx.tables.asyncEvents.delete(event.key);
      }
      ctx.tables.functions.delete(functionKey(scope, name));
      return;
    }
    if (target === LATEST) throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    if (!isVersionNumber(target)) throw invalidParameter('Deletion of aliases is not currently supported.');
    if (!findVersion(ctx, scope, fn, target)) throw functionNotFound(functionArn(scope, name, target));
    const users = ctx.tables.aliases
      .withPrefix(`${functionKey(scope, name)}/`)
      .filter((alias) => alias.functionVersion === target || target in alias.additionalVersionWeights)
      .map((alias) => alias.name);
    if (users.length > 0) {
      throw resourceConflict(
        `Unable to delete version because the following aliases reference it: [${users.join(', ')}]`,
      );
    }
    ctx.tables.versions.delete(versionKey(scope, name, target));
    ctx.tables.policies.delete(policyKey(scope, name, target));
  });
  collectCode(ctx);
}

/** Functions that take no qualifier: a qualified name is AWS's InvalidParameterValueException. */
export function unqualified(requestScope: LambdaScope, functionName: string): { scope: LambdaScope; name: string } {
  const reference = resolveReference(requestScope, functionName);
  if (reference.qualifier !== undefined) throw notQualifiable();
  return { scope: reference.scope, name: reference.name };
}

/** Drops stored packages that neither a function's $LATEST nor any published version uses. */
export function collectCode(ctx: LambdaContext): void {
  const inUse = new Set<string>();
  for (const fn of ctx.tables.functions.values())
    if (fn.latest.code.kind === 'zip') inUse.add(fn.latest.code.sha256Hex);
  for (const version of ctx.tables.versions.values()) {
    if (version.config.code.kind === 'zip') inUse.add(version.config.code.sha256Hex);
  }
  try {
    ctx.codeStorage.collect(inUse);
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not remove unused Lambda code packages');
  }
}
