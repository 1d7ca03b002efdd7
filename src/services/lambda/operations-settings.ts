/**
 * Lambda wire adapter for a function's settings: reserved concurrency (Put/Get/Delete
 * FunctionConcurrency, with GetAccountSettings showing what is left unreserved), the recursive
 * loop setting (Put/GetFunctionRecursionConfig), asynchronous invocation settings
 * (Put/Update/Get/DeleteFunctionEventInvokeConfig: retries 0–2, maximum event age) and tags
 * (TagResource, UntagResource, ListTags, on the unqualified function ARN).
 */
import type { RequestContext } from '../../kernel/operation.js';
import { eventInvokeConfigToWire, type EventInvokeConfig } from './async-invocation.js';
import { MINIMUM_UNRESERVED_CONCURRENCY, reservedTotal } from './concurrency.js';
import { requireFunction, resolveVersion, scopeOf, type LambdaContext } from './context.js';
import { invalidParameter, resourceNotFound } from './errors.js';
import type { FunctionRecord, RecursiveLoop } from './function.js';
import { UNZIPPED_LIMIT_BYTES, ZIPPED_LIMIT_BYTES } from './code-storage.js';
import { unqualified } from './function-lifecycle.js';
import { functionArn, LATEST, resolveReference } from './function-reference.js';
import type { LambdaScope } from './ports.js';
import { functionKey, scopePrefix } from './store.js';

interface EventInvokeConfigInput {
  FunctionName: string;
  Qualifier?: string;
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
}

export function settingsOperations(ctx: LambdaContext) {
  const change = (scope: LambdaScope, name: string, update: (fn: FunctionRecord) => FunctionRecord): FunctionRecord =>
    ctx.store.transaction(() => {
      const updated = update(requireFunction(ctx, scope, name));
      ctx.tables.functions.put(functionKey(scope, name), updated);
      return updated;
    });

  /** The function and qualifier an event-invoke setting belongs to ('' = unqualified, as $LATEST). */
  const eventConfigTarget = (input: { FunctionName: string; Qualifier?: string }, request: RequestContext) => {
    const reference = resolveReference(scopeOf(request), input.FunctionName, input.Qualifier);
    const { fn } = resolveVersion(ctx, reference);
    const qualifier = reference.qualifier === undefined || reference.qualifier === LATEST ? '' : reference.qualifier;
    return {
      scope: reference.scope,
      fn,
      qualifier,
      arn: functionArn(reference.scope, fn.name, reference.qualifier ?? LATEST),
    };
  };

  const putEventInvokeConfig = (input: EventInvokeConfigInput, request: RequestContext, merge: boolean) => {
    if (input.DestinationConfig?.OnSuccess?.Destination || input.DestinationConfig?.OnFailure?.Destination) {
      throw invalidParameter(
        'drydock does not deliver to asynchronous invocation destinations yet; leave DestinationConfig empty.',
      );
    }
    const { scope, fn, qualifier, arn } = eventConfigTarget(input, request);
    const previous = merge ? fn.eventInvokeConfigs[qualifier] : undefined;
    if (merge && !previous) throw resourceNotFound(`The function ${arn} doesn't have an EventInvokeConfig`);
    const config: EventInvokeConfig = {
      ...(input.MaximumRetryAttempts !== undefined
        ? { maximumRetryAttempts: input.MaximumRetryAttempts }
        : previous?.maximumRetryAttempts !== undefined
          ? { maximumRetryAttempts: previous.maximumRetryAttempts }
          : {}),
      ...(input.MaximumEventAgeInSeconds !== undefined
        ? { maximumEventAgeSeconds: input.MaximumEventAgeInSeconds }
        : previous?.maximumEventAgeSeconds !== undefined
          ? { maximumEventAgeSeconds: previous.maximumEventAgeSeconds }
          : {}),
      lastModifiedMs: ctx.clock.now(),
    };
    change(scope, fn.name, (current) => ({
      ...current,
      eventInvokeConfigs: { ...current.eventInvokeConfigs, [qualifier]: config },
    }));
    return eventInvokeConfigToWire(arn, config);
  };

  /** Tag operations name the function by its unqualified ARN. */
  const taggedFunction = (resource: string, request: RequestContext) => {
    const reference = resolveReference(scopeOf(request), resource);
    if (reference.qualifier !== undefined) {
      throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
    }
    return { scope: reference.scope, name: requireFunction(ctx, reference.scope, reference.name).name };
  };

  return {
    PutFunctionConcurrency: (
      input: { FunctionName: string; ReservedConcurrentExecutions: number },
      request: RequestContext,
    ) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      requireFunction(ctx, scope, name);
      const left = ctx.accountConcurrency - reservedTotal(ctx, scope, name) - input.ReservedConcurrentExecutions;
      if (left < MINIMUM_UNRESERVED_CONCURRENCY) {
        throw invalidParameter(
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED_CONCURRENCY}].`,
        );
      }
      change(scope, name, (fn) => ({ ...fn, reservedConcurrency: input.ReservedConcurrentExecutions }));
      return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
    },

    GetFunctionConcurrency: (input: { FunctionName: string }, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      const fn = requireFunction(ctx, scope, name);
      return fn.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : {};
    },

    DeleteFunctionConcurrency: (input: { FunctionName: string }, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      change(scope, name, ({ reservedConcurrency: _dropped, ...fn }) => fn);
      return {};
    },

    GetAccountSettings: (_input: unknown, request: RequestContext) => {
      const scope = scopeOf(request);
      const functions = ctx.tables.functions.withPrefix(scopePrefix(scope));
      const totalCodeSize = functions.reduce(
        (sum, fn) => sum + (fn.latest.code.kind === 'zip' ? fn.latest.code.codeSize : 0),
        0,
      );
      return {
        AccountLimit: {
          TotalCodeSize: 80_530_636_800,
          CodeSizeUnzipped: UNZIPPED_LIMIT_BYTES,
          CodeSizeZipped: ZIPPED_LIMIT_BYTES,
          ConcurrentExecutions: ctx.accountConcurrency,
          UnreservedConcurrentExecutions: ctx.accountConcurrency - reservedTotal(ctx, scope),
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
      };
    },

    PutFunctionRecursionConfig: (
      input: { FunctionName: string; RecursiveLoop: RecursiveLoop },
      request: RequestContext,
    ) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      change(scope, name, (fn) => ({ ...fn, recursiveLoop: input.RecursiveLoop }));
      return { RecursiveLoop: input.RecursiveLoop };
    },

    GetFunctionRecursionConfig: (input: { FunctionName: string }, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      return { RecursiveLoop: requireFunction(ctx, scope, name).recursiveLoop ?? ctx.recursionDefault };
    },

    PutFunctionEventInvokeConfig: (input: EventInvokeConfigInput, request: RequestContext) =>
      putEventInvokeConfig(input, request, false),

    UpdateFunctionEventInvokeConfig: (input: EventInvokeConfigInput, request: RequestContext) =>
      putEventInvokeConfig(input, request, true),

    GetFunctionEventInvokeConfig: (input: { FunctionName: string; Qualifier?: string }, request: RequestContext) => {
      const { fn, qualifier, arn } = eventConfigTarget(input, request);
      const config = fn.eventInvokeConfigs[qualifier];
      if (!config) throw resourceNotFound(`The function ${arn} doesn't have an EventInvokeConfig`);
      return eventInvokeConfigToWire(arn, config);
    },

    DeleteFunctionEventInvokeConfig: (input: { FunctionName: string; Qualifier?: string }, request: RequestContext) => {
      const { scope, fn, qualifier, arn } = eventConfigTarget(input, request);
      if (!fn.eventInvokeConfigs[qualifier])
        throw resourceNotFound(`The function ${arn} doesn't have an EventInvokeConfig`);
      change(scope, fn.name, (current) => {
        const { [qualifier]: _removed, ...rest } = current.eventInvokeConfigs;
        return { ...current, eventInvokeConfigs: rest };
      });
      return {};
    },

    TagResource: (input: { Resource: string; Tags: Record<string, string> }, request: RequestContext) => {
      const { scope, name } = taggedFunction(input.Resource, request);
      change(scope, name, (fn) => ({ ...fn, tags: { ...fn.tags, ...input.Tags } }));
      return {};
    },

    UntagResource: (input: { Resource: string; TagKeys: string[] }, request: RequestContext) => {
      const { scope, name } = taggedFunction(input.Resource, request);
      change(scope, name, (fn) => ({
        ...fn,
        tags: Object.fromEntries(Object.entries(fn.tags).filter(([key]) => !input.TagKeys.includes(key))),
      }));
      return {};
    },

    ListTags: (input: { Resource: string }, request: RequestContext) => {
      const { scope, name } = taggedFunction(input.Resource, request);
      return { Tags: { ...requireFunction(ctx, scope, name).tags } };
    },
  };
}
