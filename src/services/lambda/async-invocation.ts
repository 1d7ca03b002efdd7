/**
 * Asynchronous (`Event`) invocations, as Lambda queues them: the event is stored and the caller
 * gets 202 at once; it runs as soon as concurrency allows. When the function returns an error
 * (or times out) Lambda retries twice, waiting one minute before the second attempt and two
 * minutes before the third (`MaximumRetryAttempts` 0–2 lowers that); throttles are retried with
 * backoff up to five minutes apart and do not count. An event older than its maximum age (6 h by
 * default) is dropped. These are the pure decisions; the controller applies them.
 */

export interface AsyncEventRecord {
  key: string;
  accountId: string;
  region: string;
  functionName: string;
  /** As the caller gave it (version, alias or `$LATEST`); resolved when the event runs. */
  qualifier?: string;
  /** Kept across retries: every attempt sees the same `context.awsRequestId`. */
  requestId: string;
  payload: string;
  traceHeader?: string;
  enqueuedAtMs: number;
  /** Attempts that ended in a function error. */
  attempts: number;
  throttles: number;
  nextAttemptAtMs: number;
}

export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
  lastModifiedMs: number;
}

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 6 * 3600;
/** Waits before the second and third attempts (UG:lambda/invocation-async-error-handling). */
export const RETRY_DELAYS_MS = [60_000, 120_000];
const THROTTLE_BASE_MS = 1_000;
const THROTTLE_MAX_MS = 5 * 60_000;

export type AsyncStep = { kind: 'wait'; delayMs: number } | { kind: 'drop'; reason: string } | { kind: 'run' };

export function planAsyncAttempt(event: AsyncEventRecord, nowMs: number, config?: EventInvokeConfig): AsyncStep {
  const maxAgeMs = (config?.maximumEventAgeSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
  if (nowMs - event.enqueuedAtMs > maxAgeMs) {
    return { kind: 'drop', reason: `the event is older than its maximum age (${maxAgeMs / 1000} s)` };
  }
  if (event.nextAttemptAtMs > nowMs) return { kind: 'wait', delayMs: event.nextAttemptAtMs - nowMs };
  return { kind: 'run' };
}

/** After an attempt that ended in a function error: the event as it waits for its retry, or undefined when retries are used up. */
export function afterFunctionError(
  event: AsyncEventRecord,
  nowMs: number,
  config?: EventInvokeConfig,
): AsyncEventRecord | undefined {
  const attempts = event.attempts + 1;
  const maxRetries = config?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
  if (attempts > maxRetries) return undefined;
  const delayMs = RETRY_DELAYS_MS[attempts - 1] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]!;
  return { ...event, attempts, nextAttemptAtMs: nowMs + delayMs };
}

/** After a throttle: retried with exponential backoff (1 s, 2 s, 4 s … at most 5 min). */
export function afterThrottle(event: AsyncEventRecord, nowMs: number): AsyncEventRecord {
  const throttles = event.throttles + 1;
  const delayMs = Math.min(THROTTLE_MAX_MS, THROTTLE_BASE_MS * 2 ** (throttles - 1));
  return { ...event, throttles, nextAttemptAtMs: nowMs + delayMs };
}

export function eventInvokeConfigToWire(functionArnValue: string, config: EventInvokeConfig): Record<string, unknown> {
  return {
    FunctionArn: functionArnValue,
    LastModified: new Date(config.lastModifiedMs),
    MaximumRetryAttempts: config.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    MaximumEventAgeInSeconds: config.maximumEventAgeSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
    DestinationConfig: {},
  };
}
