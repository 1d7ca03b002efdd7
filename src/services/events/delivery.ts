/**
 * One event on its way to one target of one rule, and the pure decisions about it
 * (`UG:eb/eb-rule-retry-policy`, `UG:eb/eb-rule-dlq`): try now or wait; after a failure, retry
 * with exponential backoff and jitter while the retry policy allows (MaximumRetryAttempts,
 * default 185; MaximumEventAgeInSeconds from ingestion, default 24 h); errors that retrying cannot
 * fix (the target does not exist, access denied) are not retried; an event given up on goes to
 * the target's dead-letter queue when it has one, and is dropped otherwise.
 */

export interface DeliveryRecord {
  id: string;
  accountId: string;
  region: string;
  ruleArn: string;
  ruleName: string;
  targetId: string;
  targetArn: string;
  /** What the target is sent (already transformed). */
  input: string;
  ingestedAtMs: number;
  /** Attempts made so far. */
  attempts: number;
  nextAttemptAtMs: number;
  maximumRetryAttempts: number;
  maximumEventAgeMs: number;
  deadLetterArn?: string;
  /** SqsParameters.MessageGroupId of a FIFO queue target. */
  messageGroupId?: string;
  lastError?: DeliveryError;
}

export interface DeliveryError {
  code: string;
  message: string;
}

export type DeliveryStep =
  { kind: 'wait'; untilMs: number } | { kind: 'attempt' } | { kind: 'give-up'; error: DeliveryError };

/**
 * UNCONFIRMED: AWS documents exponential backoff with jitter, not its constants. These make the
 * default policy's two limits meet: 185 retries take about 22 hours, just inside the 24-hour age.
 */
export const FIRST_RETRY_DELAY_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

const EXPIRED: DeliveryError = { code: 'EventAgeExceeded', message: 'The event is older than the maximum event age.' };

/** Errors AWS does not retry (`UG:eb/eb-rule-retry-policy`: missing resources, missing permissions). */
export function isRetriable(error: DeliveryError): boolean {
  return !/^(ResourceNotFound|AccessDenied|NotAuthorized|Unauthorized|Forbidden)/.test(error.code);
}

export function expired(record: DeliveryRecord, nowMs: number): boolean {
  return nowMs - record.ingestedAtMs > record.maximumEventAgeMs;
}

export function planDelivery(record: DeliveryRecord, nowMs: number): DeliveryStep {
  if (expired(record, nowMs)) return { kind: 'give-up', error: record.lastError ?? EXPIRED };
  if (record.nextAttemptAtMs > nowMs) return { kind: 'wait', untilMs: record.nextAttemptAtMs };
  return { kind: 'attempt' };
}

/** The wait before retry number `retry` (1-based), with equal jitter from `unit` in [0, 1). */
export function retryDelayMs(retry: number, unit: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(30, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * unit);
}

export type FailureOutcome = { kind: 'retry'; record: DeliveryRecord } | { kind: 'give-up'; error: DeliveryError };

/** After the attempt that just failed: the record for the next retry, or giving up. */
export function afterFailure(
  record: DeliveryRecord,
  error: DeliveryError,
  nowMs: number,
  unit: number,
): FailureOutcome {
  const attempts = record.attempts + 1;
  const retries = attempts - 1;
  if (!isRetriable(error) || retries >= record.maximumRetryAttempts) return { kind: 'give-up', error };
  const nextAttemptAtMs = nowMs + retryDelayMs(retries + 1, unit);
  if (nextAttemptAtMs - record.ingestedAtMs > record.maximumEventAgeMs) return { kind: 'give-up', error };
  return { kind: 'retry', record: { ...record, attempts, nextAttemptAtMs, lastError: error } };
}

/** The SQS message attributes AWS puts on a dead-lettered event (`UG:eb/eb-rule-dlq`). */
export function deadLetterAttributes(
  record: DeliveryRecord,
  error: DeliveryError,
  attempts: number,
): Record<string, string> {
  return {
    RULE_ARN: record.ruleArn,
    TARGET_ARN: record.targetArn,
    ERROR_CODE: error.code,
    ERROR_MESSAGE: error.message,
    RETRY_ATTEMPTS: String(Math.max(0, attempts - 1)),
  };
}
