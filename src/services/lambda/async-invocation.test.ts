import { expect, it } from 'vitest';
import { afterFunctionError, afterThrottle, planAsyncAttempt, type AsyncEventRecord } from './async-invocation.js';

const T0 = 1_000_000;
const event: AsyncEventRecord = {
  key: 'k',
  accountId: '123456789012',
  region: 'us-east-1',
  functionName: 'f',
  requestId: 'r',
  payload: '{}',
  enqueuedAtMs: T0,
  attempts: 0,
  throttles: 0,
  nextAttemptAtMs: T0,
};

it('runs a due event, waits for one not yet due, and drops one past its maximum age', () => {
  expect(planAsyncAttempt(event, T0)).toEqual({ kind: 'run' });
  expect(planAsyncAttempt({ ...event, nextAttemptAtMs: T0 + 60_000 }, T0 + 1_000)).toEqual({
    kind: 'wait',
    delayMs: 59_000,
  });
  expect(planAsyncAttempt(event, T0 + 6 * 3600_000 + 1)).toMatchObject({ kind: 'drop' });
  expect(planAsyncAttempt(event, T0 + 61_000, { maximumEventAgeSeconds: 60, lastModifiedMs: 0 })).toMatchObject({
    kind: 'drop',
  });
});

it('retries a function error twice: one minute, then two minutes later', () => {
  const second = afterFunctionError(event, T0 + 5);
  expect(second).toMatchObject({ attempts: 1, nextAttemptAtMs: T0 + 5 + 60_000 });
  const third = afterFunctionError(second!, T0 + 70_000);
  expect(third).toMatchObject({ attempts: 2, nextAttemptAtMs: T0 + 70_000 + 120_000 });
  expect(afterFunctionError(third!, T0 + 200_000)).toBeUndefined();
});

it('honours MaximumRetryAttempts', () => {
  expect(afterFunctionError(event, T0, { maximumRetryAttempts: 0, lastModifiedMs: 0 })).toBeUndefined();
  const once = afterFunctionError(event, T0, { maximumRetryAttempts: 1, lastModifiedMs: 0 });
  expect(once?.attempts).toBe(1);
  expect(afterFunctionError(once!, T0, { maximumRetryAttempts: 1, lastModifiedMs: 0 })).toBeUndefined();
});

it('backs off throttles exponentially up to five minutes, without using up retries', () => {
  let current = event;
  const delays: number[] = [];
  for (let i = 0; i < 11; i += 1) {
    current = afterThrottle(current, T0);
    delays.push(current.nextAttemptAtMs - T0);
  }
  expect(delays.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
  expect(delays.at(-1)).toBe(300_000);
  expect(current.attempts).toBe(0);
});
