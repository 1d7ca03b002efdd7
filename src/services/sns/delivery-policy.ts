/**
 * When SNS retries a delivery that failed (`DG:sns/sns-message-delivery-retries`). Endpoints AWS
 * manages (SQS, Lambda): 3 immediate retries, 2 one second apart, 10 backing off exponentially
 * from 1 to 20 seconds, then every 20 seconds — AWS keeps that up for 23 days (100,015 tries);
 * drydock gives up after 100 tries (about half an hour), so a broken subscription does not keep
 * a virtual clock busy for weeks. HTTP/S endpoints get the default healthy retry policy: 3
 * retries, 20 seconds apart.
 */
import type { DeliveryProtocol } from './subscription.js';

export const MANAGED_MAX_ATTEMPTS = 100;
export const HTTP_MAX_ATTEMPTS = 4;

/**
 * The wait before the next try after `attempts` failed tries (1-based), or undefined when SNS
 * gives up.
 */
export function retryDelayMs(protocol: DeliveryProtocol, attempts: number): number | undefined {
  if (protocol === 'http' || protocol === 'https') return attempts < HTTP_MAX_ATTEMPTS ? 20_000 : undefined;
  if (attempts >= MANAGED_MAX_ATTEMPTS) return undefined;
  const retry = attempts; // the retry about to be scheduled, 1-based
  if (retry <= 3) return 0;
  if (retry <= 5) return 1_000;
  if (retry <= 15) {
    const step = retry - 6; // 0..9
    return Math.round(1_000 * 20 ** (step / 9));
  }
  return 20_000;
}
