/**
 * Planning deliveries (records in delivery-record.ts). Publish plans one delivery per confirmed
 * subscription whose filter policy matches, with the bytes that subscription gets (the
 * notification JSON, the raw message, or the Lambda event; a MessageStructure=json message
 * picks its protocol's text), and stores them; the delivery controller sends them
 * asynchronously, after Publish has answered, as SNS does.
 */
import { uuid } from '../../kernel/ids.js';
import type { SnsContext } from './context.js';
import { lambdaEvent, notificationJson, type Notification } from './envelope.js';
import { matchesFilterPolicy } from './filter-policy.js';
import type { DeliveryRecord, StoredSqsAttribute } from './delivery-record.js';
import type { SubscriptionRecord } from './subscription.js';

export type { DeliveryRecord } from './delivery-record.js';

/** One delivery per subscription that should get the notification. */
export function planDeliveries(
  ctx: SnsContext,
  notification: Notification,
  subscriptions: readonly SubscriptionRecord[],
  byProtocol?: Readonly<Record<string, string>>,
): DeliveryRecord[] {
  const nowMs = ctx.clock.now();
  const urls = ctx.urls(regionOf(notification.topicArn));
  const out: DeliveryRecord[] = [];
  for (const subscription of subscriptions) {
    if (subscription.pendingToken) continue;
    const message = byProtocol?.[subscription.protocol] ?? byProtocol?.default ?? notification.message;
    const own: Notification = { ...notification, message };
    const { attributes: subAttributes } = subscription;
    if (
      !matchesFilterPolicy(
        subAttributes.FilterPolicy,
        subAttributes.FilterPolicyScope,
        notification.attributes,
        message,
      )
    ) {
      continue;
    }
    const raw = subAttributes.RawMessageDelivery === 'true';
    const base = {
      id: uuid(ctx.random),
      kind: 'notification' as const,
      subscriptionArn: subscription.arn,
      topicArn: notification.topicArn,
      protocol: subscription.protocol,
      endpoint: subscription.endpoint,
      attempts: 0,
      dueAtMs: nowMs,
      createdMs: nowMs,
    };
    const json = notificationJson(own, subscription.arn, urls);
    switch (subscription.protocol) {
      case 'lambda':
        out.push({ ...base, body: lambdaEvent(own, subscription.arn, urls), deadLetterBody: json });
        break;
      case 'sqs':
        out.push(
          raw ? { ...base, body: message, sqsAttributes: sqsAttributesOf(notification) } : { ...base, body: json },
        );
        break;
      case 'http':
      case 'https':
        out.push({
          ...base,
          body: raw ? message : json,
          headers: {
            'content-type': 'text/plain; charset=UTF-8',
            'x-amz-sns-message-type': 'Notification',
            'x-amz-sns-message-id': notification.messageId,
            'x-amz-sns-topic-arn': notification.topicArn,
            'x-amz-sns-subscription-arn': subscription.arn,
            ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
            'user-agent': 'Amazon Simple Notification Service Agent',
          },
        });
        break;
    }
  }
  return out;
}

function sqsAttributesOf(notification: Notification): Record<string, StoredSqsAttribute> | undefined {
  const attributes = notification.attributes;
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const out: Record<string, StoredSqsAttribute> = {};
  for (const [name, { Type, Value }] of Object.entries(attributes)) {
    out[name] = Type === 'Binary' ? { DataType: Type, BinaryValue: Value } : { DataType: Type, StringValue: Value };
  }
  return out;
}

export function regionOf(arn: string): string {
  return arn.split(':')[3] ?? '';
}
