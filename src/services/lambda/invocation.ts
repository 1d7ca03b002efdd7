/**
 * Running one invocation of a resolved version, synchronous or not: the payload must be JSON (an
 * empty one is `{}`, as Lambda sends it), the function's concurrency is held for the run, the
 * code directory comes from code storage, and the trace header carries the recursion lineage
 * into the function (`_X_AMZN_TRACE_ID`). The data plane does the rest and reports the response
 * or the error document, with `FunctionError` set for errors and timeouts.
 */
import { acquire, release } from './concurrency.js';
import type { LambdaContext, ResolvedVersion } from './context.js';
import { invalidRequestContent, requestTooLarge } from './errors.js';
import { functionArn, LATEST } from './function-reference.js';
import type { FunctionInvocationResult, LambdaScope } from './ports.js';
import { invocationTraceHeader } from './recursion.js';

export const SYNC_PAYLOAD_LIMIT_BYTES = 6_291_456;
export const ASYNC_PAYLOAD_LIMIT_BYTES = 262_144;

/** The payload as the function receives it; throws InvalidRequestContentException unless it is JSON. */
export function eventPayload(payload: Uint8Array | undefined, limitBytes: number, operation: string): string {
  if (payload !== undefined && payload.byteLength > limitBytes) throw requestTooLarge(limitBytes, operation);
  const text = payload === undefined ? '' : Buffer.from(payload).toString('utf8');
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    throw invalidRequestContent((error as Error).message);
  }
  return text;
}

export interface RunRequest {
  scope: LambdaScope;
  target: ResolvedVersion;
  /** The ARN the caller named, for `context.invokedFunctionArn`. */
  invokedArn: string;
  payload: string;
  requestId: string;
  clientContext?: string;
  /** The trace header of whatever caused this invocation, if known. */
  incomingTrace?: string;
}

export interface RunResult extends FunctionInvocationResult {
  executedVersion: string;
}

/** Runs the invocation; throws TooManyRequestsException when the function is at its concurrency limit. */
export async function runInvocation(ctx: LambdaContext, request: RunRequest): Promise<RunResult> {
  const { scope, target } = request;
  const unqualifiedArn = functionArn(scope, target.fn.name);
  const slot = acquire(ctx, target.fn);
  try {
    const config = target.config;
    const codeDir = await ctx.codeStorage.codeDirectory(config.code);
    const result = await ctx.runtime.invoke({
      functionArn: unqualifiedArn,
      version: config.version,
      invokedFunctionArn: request.invokedArn,
      runtime: config.runtime,
      handler: config.handler,
      codeDir,
      environment: { ...config.environment },
      timeoutMs: config.timeoutSeconds * 1000,
      memoryMiB: config.memoryMiB,
      payload: Buffer.from(request.payload, 'utf8'),
      requestId: request.requestId,
      ...(request.clientContext !== undefined ? { clientContext: request.clientContext } : {}),
      ...(config.code.kind === 'hot-reload' ? { hotReload: true } : {}),
      traceId: invocationTraceHeader(request.incomingTrace, unqualifiedArn, ctx.random, ctx.clock.now()),
    });
    return { ...result, executedVersion: config.version ?? LATEST };
  } finally {
    release(ctx, slot);
  }
}
