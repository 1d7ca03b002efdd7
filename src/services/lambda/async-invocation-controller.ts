/**
 * The controller behind `Event` invocations: Invoke (InvocationType Event), InvokeAsync and the
 * port EventBridge and SNS call record the event in `asyncEvents` and return; this reconciler
 * runs it when it is due, holds it while it runs (the run is not awaited, so stopping the control
 * loop never waits on a 15-minute function), and afterwards deletes it, or stores it again with
 * the time of its retry (1 min, then 2 min) or its throttle backoff. A function whose
 * RecursiveLoop is `Terminate` has a looping event dropped after 16 runs in one chain.
 */
import type { Reconciler, ReconcileResult } from '../../kernel/control-loop.js';
import { ServiceError } from '../../kernel/service-error.js';
import {
  afterFunctionError,
  afterThrottle,
  planAsyncAttempt,
  type AsyncEventRecord,
  type EventInvokeConfig,
} from './async-invocation.js';
import { findFunction, resolveVersion, type LambdaContext } from './context.js';
import type { FunctionRecord } from './function.js';
import { functionArn, LATEST } from './function-reference.js';
import { runInvocation } from './invocation.js';
import type { LambdaScope } from './ports.js';
import { isRecursiveLoop } from './recursion.js';
import { asyncEventKey } from './store.js';

export const ASYNC_INVOCATION_RECONCILER = 'lambda-async-invocation';

/** Queues an `Event` invocation; the caller has already checked the function exists. Returns its request id. */
export function enqueueAsyncEvent(
  ctx: LambdaContext,
  event: {
    scope: LambdaScope;
    functionName: string;
    qualifier?: string;
    payload: string;
    traceHeader?: string;
    requestId?: string;
  },
): string {
  const requestId = event.requestId ?? ctx.random.uuid();
  const nowMs = ctx.clock.now();
  const record: AsyncEventRecord = {
    key: asyncEventKey(event.scope, requestId),
    accountId: event.scope.accountId,
    region: event.scope.region,
    functionName: event.functionName,
    ...(event.qualifier !== undefined ? { qualifier: event.qualifier } : {}),
    requestId,
    payload: event.payload,
    ...(event.traceHeader !== undefined ? { traceHeader: event.traceHeader } : {}),
    enqueuedAtMs: nowMs,
    attempts: 0,
    throttles: 0,
    nextAttemptAtMs: nowMs,
  };
  ctx.tables.asyncEvents.put(record.key, record);
  return requestId;
}

export function eventInvokeConfigOf(fn: FunctionRecord, qualifier: string | undefined): EventInvokeConfig | undefined {
  return fn.eventInvokeConfigs[qualifier === undefined || qualifier === LATEST ? '' : qualifier];
}

export function createAsyncInvocationReconciler(ctx: LambdaContext): Reconciler {
  /** Events whose attempt is running now. */
  const running = new Set<string>();
  const log = ctx.logger.child({ component: 'lambda-async' });

  const drop = (event: AsyncEventRecord, reason: string) => {
    log.warn(
      { requestId: event.requestId, function: event.functionName, attempts: event.attempts },
      `asynchronous invocation dropped: ${reason}`,
    );
    ctx.tables.asyncEvents.delete(event.key);
  };

  const finish = (event: AsyncEventRecord, outcome: 'success' | 'function-error' | 'throttled' | Error) => {
    running.delete(event.key);
    try {
      const current = ctx.tables.asyncEvents.get(event.key);
      if (!current) return; // the function was deleted meanwhile
      const fn = findFunction(ctx, event, event.functionName);
      const config = fn ? eventInvokeConfigOf(fn, event.qualifier) : undefined;
      const nowMs = ctx.clock.now();
      if (outcome === 'success') {
        ctx.tables.asyncEvents.delete(event.key);
      } else if (outcome === 'throttled') {
        ctx.tables.asyncEvents.put(event.key, afterThrottle(current, nowMs));
      } else if (outcome === 'function-error') {
        const retry = afterFunctionError(current, nowMs, config);
        if (retry) ctx.tables.asyncEvents.put(event.key, retry);
        else drop(current, `the function returned an error on all ${current.attempts + 1} attempts`);
      } else {
        // The runtime itself failed (drydock is stopping, or could not start the process): not
        // the function's fault, so not an attempt; try again shortly.
        log.error({ err: outcome, requestId: event.requestId }, 'asynchronous invocation could not run; retrying');
        ctx.tables.asyncEvents.put(event.key, { ...current, nextAttemptAtMs: nowMs + 1_000 });
      }
    } catch (error) {
      log.error(
        { err: error, requestId: event.requestId },
        'could not record the outcome of an asynchronous invocation',
      );
    }
  };

  return {
    name: ASYNC_INVOCATION_RECONCILER,
    reconcile(key: string): ReconcileResult {
      const event = ctx.tables.asyncEvents.get(key);
      if (!event || running.has(key)) return;
      const scope: LambdaScope = { accountId: event.accountId, region: event.region };
      const fn = findFunction(ctx, scope, event.functionName);
      if (!fn) return drop(event, 'the function no longer exists');
      const step = planAsyncAttempt(event, ctx.clock.now(), eventInvokeConfigOf(fn, event.qualifier));
      if (step.kind === 'wait') return { requeueAfterMs: step.delayMs };
      if (step.kind === 'drop') return drop(event, step.reason);

      const unqualifiedArn = functionArn(scope, fn.name);
      if (
        (fn.recursiveLoop ?? ctx.recursionDefault) === 'Terminate' &&
        isRecursiveLoop(event.traceHeader, unqualifiedArn)
      ) {
        return drop(event, 'Lambda detected a recursive loop and stopped it (RecursiveLoop is Terminate)');
      }
      let target;
      try {
        target = resolveVersion(
          ctx,
          { scope, name: fn.name, ...(event.qualifier ? { qualifier: event.qualifier } : {}) },
          true,
        );
      } catch (error) {
        return drop(event, (error as Error).message);
      }
      running.add(key);
      runInvocation(ctx, {
        scope,
        target,
        invokedArn: functionArn(scope, fn.name, event.qualifier),
        payload: event.payload,
        requestId: event.requestId,
        ...(event.traceHeader !== undefined ? { incomingTrace: event.traceHeader } : {}),
      }).then(
        (result) => finish(event, result.functionError ? 'function-error' : 'success'),
        (error: unknown) =>
          finish(
            event,
            error instanceof ServiceError && error.code === 'TooManyRequestsException'
              ? 'throttled'
              : error instanceof Error
                ? error
                : new Error(String(error)),
          ),
      );
    },
  };
}
