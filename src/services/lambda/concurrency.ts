/**
 * Concurrency as Lambda counts it: every running invocation (synchronous or asynchronous) holds
 * one unit of its function's concurrency. A function with `ReservedConcurrentExecutions` may run
 * at most that many at once (0 stops it entirely); the others share what the account's limit
 * (1,000 by default) leaves after all reservations. Over the limit, a synchronous Invoke gets
 * `TooManyRequestsException` (429, `Rate Exceeded.`) and an asynchronous event waits and retries.
 */
import type { LambdaContext } from './context.js';
import { throttled } from './errors.js';
import type { FunctionRecord } from './function.js';
import type { LambdaScope } from './ports.js';
import { functionKey, scopePrefix } from './store.js';

/** Lambda keeps this much of the account's concurrency unreserved. */
export const MINIMUM_UNRESERVED_CONCURRENCY = 100;

export function reservedTotal(ctx: LambdaContext, scope: LambdaScope, except?: string): number {
  let total = 0;
  for (const fn of ctx.tables.functions.withPrefix(scopePrefix(scope))) {
    if (fn.name !== except) total += fn.reservedConcurrency ?? 0;
  }
  return total;
}

export function unreservedConcurrency(ctx: LambdaContext, scope: LambdaScope): number {
  return ctx.accountConcurrency - reservedTotal(ctx, scope);
}

/** Takes one unit of fn's concurrency, or throws TooManyRequestsException. Pair with release(). */
export function acquire(ctx: LambdaContext, fn: FunctionRecord): string {
  const scope = { accountId: fn.accountId, region: fn.region };
  const key = functionKey(scope, fn.name);
  const running = ctx.inFlight.get(key) ?? 0;
  if (fn.reservedConcurrency !== undefined) {
    if (running >= fn.reservedConcurrency) throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
  } else if (unreservedRunning(ctx, scope) >= unreservedConcurrency(ctx, scope)) {
    throw throttled('ConcurrentInvocationLimitExceeded');
  }
  ctx.inFlight.set(key, running + 1);
  return key;
}

export function release(ctx: LambdaContext, key: string): void {
  const running = (ctx.inFlight.get(key) ?? 1) - 1;
  if (running > 0) ctx.inFlight.set(key, running);
  else ctx.inFlight.delete(key);
}

function unreservedRunning(ctx: LambdaContext, scope: LambdaScope): number {
  const prefix = scopePrefix(scope);
  let running = 0;
  for (const [key, count] of ctx.inFlight) {
    if (key.startsWith(prefix) && ctx.tables.functions.get(key)?.reservedConcurrency === undefined) running += count;
  }
  return running;
}
