/** SNS's retry phases, as the developer guide lists them, for managed endpoints and for HTTP/S. */
import { describe, expect, it } from 'vitest';
import { HTTP_MAX_ATTEMPTS, MANAGED_MAX_ATTEMPTS, retryDelayMs } from './delivery-policy.js';

describe('SNS delivery retries', () => {
  it('retries Lambda and SQS deliveries 3 times at once, 2 times a second apart, then backs off to 20 s', () => {
    const delays = Array.from({ length: 17 }, (_, index) => retryDelayMs('lambda', index + 1));
    expect(delays.slice(0, 3)).toEqual([0, 0, 0]);
    expect(delays.slice(3, 5)).toEqual([1_000, 1_000]);
    const backoff = delays.slice(5, 15) as number[];
    expect(backoff[0]).toBe(1_000);
    expect(backoff[9]).toBe(20_000);
    for (let i = 1; i < backoff.length; i += 1) expect(backoff[i]).toBeGreaterThan(backoff[i - 1]!);
    expect(delays.slice(15)).toEqual([20_000, 20_000]);
    expect(retryDelayMs('sqs', MANAGED_MAX_ATTEMPTS - 1)).toBe(20_000);
    expect(retryDelayMs('sqs', MANAGED_MAX_ATTEMPTS)).toBeUndefined();
  });

  it('retries HTTP/S 3 times, 20 seconds apart', () => {
    expect([1, 2, 3].map((attempts) => retryDelayMs('https', attempts))).toEqual([20_000, 20_000, 20_000]);
    expect(retryDelayMs('http', HTTP_MAX_ATTEMPTS)).toBeUndefined();
  });
});
