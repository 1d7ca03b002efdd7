/**
 * Sends each stored delivery through its port, after Publish (or Subscribe, for an HTTP
 * confirmation) has answered: SQS gets a message, Lambda an asynchronous invocation, an HTTP/S
 * endpoint a POST that must answer 2xx. A failed try is retried on the clock by SNS's delivery
 * policy; when SNS gives up, the subscription's dead-letter queue (RedrivePolicy) gets the
 * message. A delivery to a subscription that is gone is dropped.
 */
import type { ReconcileResult } from '../../kernel/control-loop.js';
import { parseArn } from '../../kernel/ids.js';
import type { SnsContext } from './context.js';
import { retryDelayMs } from './delivery-policy.js';
import type { DeliveryRecord } from './delivery-record.js';
import type { DeliveredAttribute, Scope } from './ports.js';
import type { SubscriptionRecord } from './subscription.js';

export const DELIVERY_RECONCILER = 'sns-delivery';

export async function reconcileDelivery(ctx: SnsContext, key: string): Promise<ReconcileResult> {
  const delivery = ctx.tables.deliveries.get(key);
  if (!delivery) return;
  const startedMs = ctx.clock.now();
  if (delivery.dueAtMs > startedMs) return { requeueAfterMs: delivery.dueAtMs - startedMs };
  const subscription = ctx.tables.subscriptions.get(delivery.subscriptionArn);
  if (!subscription) {
    ctx.tables.deliveries.delete(key);
    return;
  }
  const failure = await attempt(ctx, delivery);
  if (failure === undefined) {
    ctx.tables.deliveries.delete(key);
    return;
  }
  const attempts = delivery.attempts + 1;
  const delayMs = retryDelayMs(delivery.protocol, attempts);
  const log = { delivery: key, subscription: delivery.subscriptionArn, attempts, failure };
  if (delayMs === undefined) {
    ctx.logger.warn(log, 'SNS gave up delivering a message');
    deadLetter(ctx, delivery, subscription);
    ctx.tables.deliveries.delete(key);
    return;
  }
  ctx.logger.debug({ ...log, retryInMs: delayMs }, 'SNS delivery failed; retrying');
  const nowMs = ctx.clock.now();
  ctx.tables.deliveries.put(key, { ...delivery, attempts, dueAtMs: nowMs + delayMs });
  return { requeueAfterMs: delayMs };
}

/** One try; the reason it failed, or undefined when it was delivered. */
async function attempt(ctx: SnsContext, delivery: DeliveryRecord): Promise<string | undefined> {
  try {
    switch (delivery.protocol) {
      case 'sqs':
        ctx.ports.sqs.sendByArn(
          scopeOfArn(delivery.endpoint),
          delivery.endpoint,
          delivery.body,
          sqsAttributes(delivery),
        );
        return undefined;
      case 'lambda':
        ctx.ports.lambda.invokeAsync(scopeOfArn(delivery.endpoint), delivery.endpoint, delivery.body);
        return undefined;
      case 'http':
      case 'https': {
        if (!ctx.ports.http) return 'no HTTP client is configured';
        const status = await ctx.ports.http.post(delivery.endpoint, delivery.body, delivery.headers ?? {});
        return status >= 200 && status < 300 ? undefined : `HTTP ${status}`;
      }
    }
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

function deadLetter(ctx: SnsContext, delivery: DeliveryRecord, subscription: SubscriptionRecord): void {
  const policy = subscription.attributes.RedrivePolicy;
  if (!policy || delivery.kind !== 'notification') return;
  const target = (JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
  try {
    ctx.ports.sqs.sendByArn(
      scopeOfArn(target),
      target,
      delivery.deadLetterBody ?? delivery.body,
      sqsAttributes(delivery),
    );
  } catch (error) {
    ctx.logger.warn(
      { err: error, deadLetterQueue: target },
      'SNS could not move an undeliverable message to its dead-letter queue',
    );
  }
}

function sqsAttributes(delivery: DeliveryRecord): Record<string, DeliveredAttribute> | undefined {
  if (!delivery.sqsAttributes) return undefined;
  const out: Record<string, DeliveredAttribute> = {};
  for (const [name, value] of Object.entries(delivery.sqsAttributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: new Uint8Array(Buffer.from(value.BinaryValue, 'base64')) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return out;
}

function scopeOfArn(arn: string): Scope {
  const parts = parseArn(arn);
  return { accountId: parts?.accountId ?? '', region: parts?.region ?? '' };
}
