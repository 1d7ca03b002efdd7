/**
 * The service scheduler's start throttle (B.5, `DG:ecs/service-throttle-logic`): when a
 * service's tasks keep going from PENDING to STOPPED without ever running, ECS waits longer and
 * longer between launch attempts, up to 15 minutes, and says `(service x) is unable to
 * consistently start tasks successfully.`. A task that reaches RUNNING ends it, as does a new
 * deployment (a new task definition).
 */
import type { StartThrottle } from './ecs-service.js';

export const MAX_THROTTLE_DELAY_MS = 15 * 60_000;
/**
 * UNCONFIRMED: AWS documents only the 15-minute ceiling. drydock starts backing off after the
 * third failure in a row, at 30 s, doubling each time.
 */
export const THROTTLE_AFTER_FAILURES = 3;
export const FIRST_THROTTLE_DELAY_MS = 30_000;

export function throttleDelayMs(consecutiveStartFailures: number): number {
  if (consecutiveStartFailures < THROTTLE_AFTER_FAILURES) return 0;
  const doublings = consecutiveStartFailures - THROTTLE_AFTER_FAILURES;
  return Math.min(MAX_THROTTLE_DELAY_MS, FIRST_THROTTLE_DELAY_MS * 2 ** Math.min(doublings, 20));
}

export const NO_THROTTLE: StartThrottle = { consecutiveStartFailures: 0 };

/** One more task that never ran. */
export function afterStartFailure(throttle: StartThrottle, nowMs: number): StartThrottle {
  const consecutiveStartFailures = throttle.consecutiveStartFailures + 1;
  const delayMs = throttleDelayMs(consecutiveStartFailures);
  return {
    consecutiveStartFailures,
    lastFailureAtMs: nowMs,
    ...(delayMs > 0 ? { nextStartAtMs: nowMs + delayMs } : {}),
  };
}

export function isThrottled(throttle: StartThrottle, nowMs: number): boolean {
  return throttle.nextStartAtMs !== undefined && throttle.nextStartAtMs > nowMs;
}
