/**
 * SNS wire adapter for subscriptions: Subscribe (sqs and lambda confirmed at once; http/https
 * pending until the endpoint confirms the SubscriptionConfirmation SNS POSTs to it; the same
 * topic, protocol and endpoint again returns the existing subscription), ConfirmSubscription,
 * Unsubscribe, ListSubscriptions(ByTopic) and Get/SetSubscriptionAttributes.
 */
import { uuid } from '../../kernel/ids.js';
import type { RequestContext } from '../../kernel/operation.js';
import { requireSubscription, requireTopic, scopeOf, type SnsContext } from './context.js';
import { confirmationJson } from './envelope.js';
import { regionOf, type DeliveryRecord } from './delivery.js';
import { invalidParameter } from './errors.js';
import { pageOf } from './operations-topic.js';
import { subscriptionsOf } from './store.js';
import {
  checkProtocol,
  checkSubscriptionAttribute,
  checkSubscriptionAttributes,
  listedArn,
  type SubscriptionRecord,
} from './subscription.js';
import { DEFAULT_EFFECTIVE_DELIVERY_POLICY } from './topic.js';

interface SubscribeInput {
  TopicArn: string;
  Protocol: string;
  Endpoint?: string;
  Attributes?: Record<string, string>;
  ReturnSubscriptionArn?: boolean;
}

export function subscriptionOperations(ctx: SnsContext) {
  return {
    Subscribe: (input: SubscribeInput, context: RequestContext) => {
      const topic = requireTopic(ctx, input.TopicArn);
      const protocol = checkProtocol(input.Protocol, input.Endpoint, ctx.ports.http !== undefined);
      const endpoint = input.Endpoint!;
      const attributes = checkSubscriptionAttributes(protocol, input.Attributes);
      const existing = subscriptionsOf(ctx.tables, topic.arn).find(
        (subscription) => subscription.protocol === protocol && subscription.endpoint === endpoint,
      );
      if (existing) {
        for (const [name, value] of Object.entries(attributes)) {
          if (existing.attributes[name] !== value) {
            throw invalidParameter('Attributes', 'Subscription already exists with different attributes');
          }
        }
        return {
          SubscriptionArn:
            existing.pendingToken && !input.ReturnSubscriptionArn ? 'pending confirmation' : existing.arn,
        };
      }
      const nowMs = ctx.clock.now();
      const confirmsAtOnce = protocol === 'sqs' || protocol === 'lambda';
      const subscription: SubscriptionRecord = {
        arn: `${topic.arn}:${uuid(ctx.random)}`,
        topicArn: topic.arn,
        owner: scopeOf(context).accountId,
        protocol,
        endpoint,
        attributes,
        createdMs: nowMs,
        ...(confirmsAtOnce ? {} : { pendingToken: ctx.random.hex(64) }),
      };
      ctx.store.transaction(() => {
        ctx.tables.subscriptions.put(subscription.arn, subscription);
        if (subscription.pendingToken) {
          const confirmation = confirmationDelivery(ctx, subscription, subscription.pendingToken);
          ctx.tables.deliveries.put(confirmation.id, confirmation);
        }
      });
      return {
        SubscriptionArn: confirmsAtOnce || input.ReturnSubscriptionArn ? subscription.arn : 'pending confirmation',
      };
    },

    ConfirmSubscription: (input: { TopicArn: string; Token: string }) => {
      const topic = requireTopic(ctx, input.TopicArn);
      const subscription = subscriptionsOf(ctx.tables, topic.arn).find(
        (candidate) => candidate.pendingToken === input.Token,
      );
      if (!subscription) {
        const confirmed = subscriptionsOf(ctx.tables, topic.arn).find(
          (candidate) => candidate.confirmedToken === input.Token,
        );
        if (confirmed) return { SubscriptionArn: confirmed.arn };
        throw invalidParameter('Token');
      }
      const { pendingToken: _token, ...confirmed } = subscription;
      ctx.tables.subscriptions.put(subscription.arn, { ...confirmed, confirmedToken: input.Token });
      return { SubscriptionArn: subscription.arn };
    },

    Unsubscribe: (input: { SubscriptionArn: string }) => {
      const subscription = requireSubscription(ctx, input.SubscriptionArn);
      ctx.tables.subscriptions.delete(subscription.arn);
      return {};
    },

    ListSubscriptions: (input: { NextToken?: string }, context: RequestContext) => {
      const scope = scopeOf(context);
      const all = ctx.tables.subscriptions.withPrefix(`arn:aws:sns:${scope.region}:${scope.accountId}:`);
      const page = pageOf(all, (subscription) => subscription.arn, input.NextToken);
      return { Subscriptions: page.items.map(listed), NextToken: page.nextToken };
    },

    ListSubscriptionsByTopic: (input: { TopicArn: string; NextToken?: string }) => {
      const topic = requireTopic(ctx, input.TopicArn);
      const page = pageOf(subscriptionsOf(ctx.tables, topic.arn), (subscription) => subscription.arn, input.NextToken);
      return { Subscriptions: page.items.map(listed), NextToken: page.nextToken };
    },

    GetSubscriptionAttributes: (input: { SubscriptionArn: string }) => {
      const subscription = requireSubscription(ctx, input.SubscriptionArn);
      return {
        Attributes: {
          SubscriptionArn: subscription.arn,
          TopicArn: subscription.topicArn,
          Owner: subscription.owner,
          Protocol: subscription.protocol,
          Endpoint: subscription.endpoint,
          ConfirmationWasAuthenticated: subscription.pendingToken ? 'false' : 'true',
          PendingConfirmation: subscription.pendingToken ? 'true' : 'false',
          RawMessageDelivery: 'false',
          ...(subscription.protocol === 'http' || subscription.protocol === 'https'
            ? { EffectiveDeliveryPolicy: DEFAULT_EFFECTIVE_DELIVERY_POLICY }
            : {}),
          ...subscription.attributes,
        },
      };
    },

    SetSubscriptionAttributes: (input: { SubscriptionArn: string; AttributeName: string; AttributeValue?: string }) => {
      const subscription = requireSubscription(ctx, input.SubscriptionArn);
      const value = checkSubscriptionAttribute(subscription.protocol, input.AttributeName, input.AttributeValue ?? '');
      const attributes = { ...subscription.attributes };
      if (value === '') delete attributes[input.AttributeName];
      else attributes[input.AttributeName] = value;
      ctx.tables.subscriptions.put(subscription.arn, { ...subscription, attributes });
      return {};
    },
  };
}

function listed(subscription: SubscriptionRecord) {
  return {
    SubscriptionArn: listedArn(subscription),
    Owner: subscription.owner,
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: subscription.topicArn,
  };
}

function confirmationDelivery(ctx: SnsContext, subscription: SubscriptionRecord, token: string): DeliveryRecord {
  const nowMs = ctx.clock.now();
  const messageId = uuid(ctx.random);
  return {
    id: uuid(ctx.random),
    kind: 'confirmation',
    subscriptionArn: subscription.arn,
    topicArn: subscription.topicArn,
    protocol: subscription.protocol,
    endpoint: subscription.endpoint,
    body: confirmationJson(messageId, subscription.topicArn, token, nowMs, ctx.urls(regionOf(subscription.topicArn))),
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': subscription.topicArn,
      'user-agent': 'Amazon Simple Notification Service Agent',
    },
    attempts: 0,
    dueAtMs: nowMs,
    createdMs: nowMs,
  };
}
