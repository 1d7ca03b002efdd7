/**
 * What Lambda's operations, its asynchronous-invocation controller and its ports share: tables,
 * clock, ids, code storage, the runtime port, and the in-memory count of running invocations per
 * function (concurrency is a fact of this process, like AWS's execution environments, not of the
 * store). `require*` throws AWS's not-found errors; `resolveVersion` turns a qualifier
 * (`$LATEST`, a version number or an alias) into the configuration that runs.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { pickAliasVersion, type AliasRecord } from './alias.js';
import type { CodeStorage } from './code-storage.js';
import { aliasNotFound, functionNotFound } from './errors.js';
import type { FunctionRecord, RecursiveLoop } from './function.js';
import type { VersionConfig } from './function-configuration.js';
import { functionArn, isVersionNumber, LATEST, type ResolvedReference } from './function-reference.js';
import type { FunctionRuntimePort, LambdaScope, QueuePort } from './ports.js';
import { aliasKey, functionKey, lambdaTables, versionKey, type LambdaTables } from './store.js';

export interface LambdaContext {
  store: Store;
  clock: Clock;
  /** Ids, revision ids and request ids. */
  random: Random;
  /** Weighted alias routing draws from its own stream so it does not shift ids. */
  routingRandom: Random;
  logger: Logger;
  runtime: FunctionRuntimePort;
  /** SQS for event source mappings; undefined when SQS is not wired. */
  queues: QueuePort | undefined;
  codeStorage: CodeStorage;
  tables: LambdaTables;
  /** Running invocations per function key (`<account>/<region>/<name>`). */
  inFlight: Map<string, number>;
  /** RecursiveLoop of a function that never called PutFunctionRecursionConfig. */
  recursionDefault: RecursiveLoop;
  /** The account's concurrency limit (AWS's default quota is 1,000). */
  accountConcurrency: number;
}

export function createContext(deps: Omit<LambdaContext, 'tables' | 'inFlight' | 'routingRandom'>): LambdaContext {
  return {
    ...deps,
    tables: lambdaTables(deps.store),
    inFlight: new Map(),
    routingRandom: deps.random.fork('alias-routing'),
  };
}

export function findFunction(ctx: LambdaContext, scope: LambdaScope, name: string): FunctionRecord | undefined {
  return ctx.tables.functions.get(functionKey(scope, name));
}

export function requireFunction(ctx: LambdaContext, scope: LambdaScope, name: string): FunctionRecord {
  const found = findFunction(ctx, scope, name);
  if (!found) throw functionNotFound(functionArn(scope, name));
  return found;
}

export function findAlias(
  ctx: LambdaContext,
  scope: LambdaScope,
  name: string,
  alias: string,
): AliasRecord | undefined {
  return ctx.tables.aliases.get(aliasKey(scope, name, alias));
}

export function requireAlias(ctx: LambdaContext, scope: LambdaScope, name: string, alias: string): AliasRecord {
  const found = findAlias(ctx, scope, name, alias);
  if (!found) throw aliasNotFound(functionArn(scope, name, alias));
  return found;
}

export function findVersion(
  ctx: LambdaContext,
  scope: LambdaScope,
  fn: FunctionRecord,
  version: string,
): VersionConfig | undefined {
  if (version === LATEST) return fn.latest;
  return ctx.tables.versions.get(versionKey(scope, fn.name, version))?.config;
}

export interface ResolvedVersion {
  fn: FunctionRecord;
  config: VersionConfig;
  alias?: AliasRecord;
}

/**
 * The function and the version a reference runs. `route: true` applies an alias's weighted
 * routing (an invocation); otherwise an alias means its primary version (GetFunction). A
 * missing version or alias is `Function not found: <qualified ARN>`, as Invoke answers it.
 */
export function resolveVersion(ctx: LambdaContext, reference: ResolvedReference, route = false): ResolvedVersion {
  const { scope, name, qualifier } = reference;
  const fn = requireFunction(ctx, scope, name);
  if (qualifier === undefined || qualifier === LATEST) return { fn, config: fn.latest };
  const notFound = () => functionNotFound(functionArn(scope, name, qualifier));
  if (isVersionNumber(qualifier)) {
    const config = findVersion(ctx, scope, fn, qualifier);
    if (!config) throw notFound();
    return { fn, config };
  }
  const alias = findAlias(ctx, scope, name, qualifier);
  if (!alias) throw notFound();
  const version = route ? pickAliasVersion(alias, ctx.routingRandom) : alias.functionVersion;
  const config = findVersion(ctx, scope, fn, version);
  if (!config) throw notFound();
  return { fn, config, alias };
}

export function scopeOf(request: { accountId: string; region: string }): LambdaScope {
  return { accountId: request.accountId, region: request.region };
}

export function scopeOfFunction(fn: { accountId: string; region: string }): LambdaScope {
  return { accountId: fn.accountId, region: fn.region };
}
