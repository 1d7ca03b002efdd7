/**
 * The Lambda service, assembled: its operation table for the gateway, the asynchronous-invocation
 * controller on the control loop (queued `Event` invocations survive a restart and are enqueued
 * again at start), the port EventBridge targets and SNS subscriptions invoke functions through,
 * the poller of SQS event source mappings, and function logs for `drydock logs <function>`.
 * main.ts builds it and wires the runtime and (optionally) SQS as `ports.queues`.
 *
 * Recursive loops: AWS's documented default RecursiveLoop is `Terminate`; drydock's is `Allow`
 * (`recursionDefault`), because the long drain functions it exists to test re-publish to the
 * topic that triggers them. PutFunctionRecursionConfig `Terminate` turns the cutoff on.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Change, Store } from '../../store/store.js';
import {
  ASYNC_INVOCATION_RECONCILER,
  createAsyncInvocationReconciler,
  enqueueAsyncEvent,
} from './async-invocation-controller.js';
import { createCodeStorage } from './code-storage.js';
import { createContext, resolveVersion, type LambdaContext } from './context.js';
import { createEventSourcePoller, EVENT_SOURCE_POLLER } from './event-source-poller.js';
import type { RecursiveLoop } from './function.js';
import { functionArn, parseFunctionReference, resolveReference } from './function-reference.js';
import { ASYNC_PAYLOAD_LIMIT_BYTES, eventPayload } from './invocation.js';
import { lambdaOperationTable } from './operations.js';
import type {
  AsyncInvokeOptions,
  FunctionLogLine,
  FunctionRuntimePort,
  LambdaInvokePort,
  LambdaScope,
  QueuePort,
} from './ports.js';

export interface LambdaServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  /** `queues`: SQS for event source mappings; without it CreateEventSourceMapping is refused. */
  ports: { runtime: FunctionRuntimePort; queues?: QueuePort };
  /** Where unpacked code lives (`<stateDir>/lambda-code`); a temporary directory when undefined (memory state). */
  stateDir: string | undefined;
  /** RecursiveLoop of functions that never set one; default `Allow` (see above). */
  recursionDefault?: RecursiveLoop;
  /** The account's concurrent executions limit; default 1,000 as AWS's quota. */
  accountConcurrency?: number;
}

export interface LambdaService extends LambdaInvokePort {
  operations: OperationTable;
  /** For `drydock logs <function>`: the output of the function's instances, oldest first. */
  logs(scope: LambdaScope, functionName: string): FunctionLogLine[];
  /** Removes temporary code storage (memory state); call after the runtime is closed. */
  close(): void;
}

export function createLambdaService(deps: LambdaServiceDeps): LambdaService {
  const ctx = createContext({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('lambda-ids'),
    logger: deps.logger.child({ service: 'lambda' }),
    runtime: deps.ports.runtime,
    queues: deps.ports.queues,
    codeStorage: createCodeStorage({ stateDir: deps.stateDir, random: deps.random.fork('lambda-code') }),
    recursionDefault: deps.recursionDefault ?? 'Allow',
    accountConcurrency: deps.accountConcurrency ?? 1000,
  });
  registerControllers(ctx, deps.controlLoop);
  return {
    operations: lambdaOperationTable(ctx),

    invokeAsync(scope: LambdaScope, target: string, payload: string, options: AsyncInvokeOptions = {}): void {
      const reference = resolveReference(scope, target);
      const text = eventPayload(Buffer.from(payload, 'utf8'), ASYNC_PAYLOAD_LIMIT_BYTES, 'Invoke');
      resolveVersion(ctx, reference);
      enqueueAsyncEvent(ctx, {
        scope: reference.scope,
        functionName: reference.name,
        ...(reference.qualifier !== undefined ? { qualifier: reference.qualifier } : {}),
        payload: text,
        ...(options.traceHeader !== undefined ? { traceHeader: options.traceHeader } : {}),
      });
    },

    functionExists(scope: LambdaScope, target: string): boolean {
      try {
        resolveVersion(ctx, resolveReference(scope, target));
        return true;
      } catch {
        return false;
      }
    },

    logs(scope: LambdaScope, functionName: string): FunctionLogLine[] {
      const reference = parseFunctionReference(functionName);
      if (!reference) return [];
      const arnScope = { accountId: reference.accountId ?? scope.accountId, region: reference.region ?? scope.region };
      return ctx.runtime.logs(functionArn(arnScope, reference.name));
    },

    close(): void {
      ctx.codeStorage.close();
    },
  };
}

function registerControllers(ctx: LambdaContext, controlLoop: ControlLoop): void {
  controlLoop.register(createAsyncInvocationReconciler(ctx));
  controlLoop.register(createEventSourcePoller(ctx, controlLoop));
  ctx.store.onCommit((changes: readonly Change[]) => {
    for (const change of changes) {
      if (change.service !== 'lambda' || change.kind !== 'put') continue;
      if (change.table === 'asyncEvents') controlLoop.enqueue(ASYNC_INVOCATION_RECONCILER, change.key);
      if (change.table === 'eventSourceMappings') controlLoop.enqueue(EVENT_SOURCE_POLLER, change.key);
    }
  });
  // After a restart: events accepted before it run (or wait for their retry) again, and
  // event source mappings resume polling.
  for (const key of ctx.tables.asyncEvents.keys()) controlLoop.enqueue(ASYNC_INVOCATION_RECONCILER, key);
  for (const key of ctx.tables.eventSourceMappings.keys()) controlLoop.enqueue(EVENT_SOURCE_POLLER, key);
}
