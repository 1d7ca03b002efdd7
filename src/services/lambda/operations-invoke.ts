/**
 * Lambda wire adapter for Invoke (and the deprecated InvokeAsync). `RequestResponse` runs the
 * function and answers 200 with its response as the raw payload, `X-Amz-Function-Error` when it
 * failed or timed out, `X-Amz-Executed-Version`, and with `LogType: Tail` the last 4 KB of its
 * log in base64; `Event` queues it and answers 202; `DryRun` checks and answers 204. The
 * invocation's request id is the API request's, as `context.awsRequestId` shows in AWS.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { ServiceError } from '../../kernel/service-error.js';
import { enqueueAsyncEvent } from './async-invocation-controller.js';
import { resolveVersion, scopeOf, type LambdaContext } from './context.js';
import { invalidParameter } from './errors.js';
import { functionArn, resolveReference } from './function-reference.js';
import { ASYNC_PAYLOAD_LIMIT_BYTES, eventPayload, runInvocation, SYNC_PAYLOAD_LIMIT_BYTES } from './invocation.js';
import { isRecursiveLoop } from './recursion.js';

/** `LogType: Tail` returns at most this much of the end of the log. */
export const LOG_TAIL_BYTES = 4096;

interface InvokeInput {
  FunctionName: string;
  Qualifier?: string;
  InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  LogType?: 'None' | 'Tail';
  ClientContext?: string;
  Payload?: Uint8Array;
}

/**
 * The request as handlers see it; `traceHeader` (the caller's X-Amzn-Trace-Id) is read when the
 * gateway provides it, so a function invoking itself through the SDK is followed like AWS does.
 */
type InvokeRequest = RequestContext;

/** The last `bytes` bytes of text, base64, never splitting a UTF-8 character. */
export function logResult(text: string, bytes = LOG_TAIL_BYTES): string {
  let tail = Buffer.from(text, 'utf8');
  if (tail.length > bytes) {
    let start = tail.length - bytes;
    while (start < tail.length && (tail[start]! & 0xc0) === 0x80) start += 1;
    tail = tail.subarray(start);
  }
  return tail.toString('base64');
}

function decodeClientContext(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    throw invalidParameter('Client context must be a valid Base64-encoded JSON object.');
  }
  return text;
}

export function invokeOperations(ctx: LambdaContext) {
  return {
    Invoke: async (input: InvokeInput, request: InvokeRequest) => {
      const reference = resolveReference(scopeOf(request), input.FunctionName, input.Qualifier);
      const { scope, name, qualifier } = reference;
      const invokedArn = functionArn(scope, name, qualifier);
      const type = input.InvocationType ?? 'RequestResponse';
      if (type === 'Event') {
        const payload = eventPayload(input.Payload, ASYNC_PAYLOAD_LIMIT_BYTES, 'Invoke');
        resolveVersion(ctx, reference);
        enqueueAsyncEvent(ctx, {
          scope,
          functionName: name,
          ...(qualifier !== undefined ? { qualifier } : {}),
          payload,
          requestId: request.requestId,
          ...(request.traceHeader !== undefined ? { traceHeader: request.traceHeader } : {}),
        });
        return { StatusCode: 202 };
      }
      const target = resolveVersion(ctx, reference, true);
      const payload = eventPayload(input.Payload, SYNC_PAYLOAD_LIMIT_BYTES, 'Invoke');
      if (type === 'DryRun') return { StatusCode: 204 };
      const clientContext = decodeClientContext(input.ClientContext);
      const unqualifiedArn = functionArn(scope, name);
      if (
        (target.fn.recursiveLoop ?? ctx.recursionDefault) === 'Terminate' &&
        isRecursiveLoop(request.traceHeader, unqualifiedArn)
      ) {
        throw new ServiceError(
          'RecursiveInvocationException',
          `Lambda detected a recursive invocation loop of ${unqualifiedArn} and stopped it (RecursiveLoop is Terminate).`,
        );
      }
      const result = await runInvocation(ctx, {
        scope,
        target,
        invokedArn,
        payload,
        requestId: request.requestId,
        ...(clientContext !== undefined ? { clientContext } : {}),
        ...(request.traceHeader !== undefined ? { incomingTrace: request.traceHeader } : {}),
      });
      return {
        StatusCode: 200,
        Payload: result.payload,
        ExecutedVersion: result.executedVersion,
        ...(result.functionError !== undefined ? { FunctionError: result.functionError } : {}),
        ...(input.LogType === 'Tail' ? { LogResult: logResult(result.logTail) } : {}),
      };
    },

    InvokeAsync: (input: { FunctionName: string; InvokeArgs?: Uint8Array }, request: InvokeRequest) => {
      const reference = resolveReference(scopeOf(request), input.FunctionName);
      const payload = eventPayload(input.InvokeArgs, ASYNC_PAYLOAD_LIMIT_BYTES, 'InvokeAsync');
      resolveVersion(ctx, reference);
      enqueueAsyncEvent(ctx, {
        scope: reference.scope,
        functionName: reference.name,
        ...(reference.qualifier !== undefined ? { qualifier: reference.qualifier } : {}),
        payload,
        requestId: request.requestId,
      });
      return { Status: 202 };
    },
  };
}
