/**
 * SNS wire adapter for topics: CreateTopic (idempotent for the same name, refused when the
 * attributes or tags differ), DeleteTopic (its subscriptions go with it; an unknown topic is not
 * an error), ListTopics (100 a page), Get/SetTopicAttributes and the tag operations.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import { requireTopic, scopeOf, type SnsContext } from './context.js';
import { invalidParameter, resourceNotFound, tagLimitExceeded } from './errors.js';
import { subscriptionsOf } from './store.js';
import {
  checkTopicAttribute,
  checkTopicName,
  DEFAULT_EFFECTIVE_DELIVERY_POLICY,
  defaultTopicPolicy,
  parseTopicArn,
  topicArn,
  type TopicRecord,
} from './topic.js';

type Tag = { Key: string; Value: string };

const PAGE_SIZE = 100;
const MAX_TAGS = 50;

export function topicOperations(ctx: SnsContext) {
  return {
    CreateTopic: (
      input: { Name: string; Attributes?: Record<string, string>; Tags?: Tag[] },
      context: RequestContext,
    ) => {
      const scope = scopeOf(context);
      const attributes = input.Attributes ?? {};
      checkTopicName(input.Name, attributes);
      for (const name of Object.keys(attributes)) checkTopicAttribute(name);
      const tags = input.Tags ?? [];
      if (tags.length > MAX_TAGS) throw tagLimitExceeded();
      const arn = topicArn(scope, input.Name);
      const existing = ctx.tables.topics.get(arn);
      if (existing) {
        for (const [name, value] of Object.entries(attributes)) {
          if ((existing.attributes[name] ?? '') !== value) {
            throw invalidParameter('Attributes', 'Topic already exists with different attributes');
          }
        }
        if (tags.some((tag) => !existing.tags.some((own) => own.Key === tag.Key && own.Value === tag.Value))) {
          throw invalidParameter('Tags', 'Topic already exists with different tags');
        }
        return { TopicArn: arn };
      }
      const topic: TopicRecord = {
        arn,
        name: input.Name,
        accountId: scope.accountId,
        region: scope.region,
        attributes: { ...attributes },
        tags: tags.map(({ Key, Value }) => ({ Key, Value })),
        createdMs: ctx.clock.now(),
      };
      ctx.tables.topics.put(arn, topic);
      return { TopicArn: arn };
    },

    DeleteTopic: (input: { TopicArn: string }) => {
      if (!parseTopicArn(input.TopicArn)) throw invalidParameter('TopicArn');
      ctx.store.transaction(() => {
        for (const subscription of subscriptionsOf(ctx.tables, input.TopicArn)) {
          ctx.tables.subscriptions.delete(subscription.arn);
        }
        ctx.tables.topics.delete(input.TopicArn);
      });
      return {};
    },

    ListTopics: (input: { NextToken?: string }, context: RequestContext) => {
      const scope = scopeOf(context);
      const topics = ctx.tables.topics.withPrefix(`arn:aws:sns:${scope.region}:${scope.accountId}:`);
      const page = pageOf(topics, (topic) => topic.arn, input.NextToken);
      return { Topics: page.items.map((topic) => ({ TopicArn: topic.arn })), NextToken: page.nextToken };
    },

    GetTopicAttributes: (input: { TopicArn: string }) => {
      const topic = requireTopic(ctx, input.TopicArn);
      const subscriptions = subscriptionsOf(ctx.tables, topic.arn);
      const pending = subscriptions.filter((subscription) => subscription.pendingToken).length;
      return {
        Attributes: {
          TopicArn: topic.arn,
          Owner: topic.accountId,
          Policy: defaultTopicPolicy(topic),
          DisplayName: '',
          SubscriptionsConfirmed: String(subscriptions.length - pending),
          SubscriptionsPending: String(pending),
          SubscriptionsDeleted: '0',
          EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
          ...topic.attributes,
        },
      };
    },

    SetTopicAttributes: (input: { TopicArn: string; AttributeName: string; AttributeValue?: string }) => {
      const topic = requireTopic(ctx, input.TopicArn);
      checkTopicAttribute(input.AttributeName);
      const attributes = { ...topic.attributes };
      if (input.AttributeValue === undefined || input.AttributeValue === '') delete attributes[input.AttributeName];
      else attributes[input.AttributeName] = input.AttributeValue;
      ctx.tables.topics.put(topic.arn, { ...topic, attributes });
      return {};
    },

    TagResource: (input: { ResourceArn: string; Tags: Tag[] }) => {
      const topic = taggedTopic(ctx, input.ResourceArn);
      const tags = topic.tags.filter((own) => !input.Tags.some((tag) => tag.Key === own.Key));
      tags.push(...input.Tags.map(({ Key, Value }) => ({ Key, Value })));
      if (tags.length > MAX_TAGS) throw tagLimitExceeded();
      ctx.tables.topics.put(topic.arn, { ...topic, tags });
      return {};
    },

    UntagResource: (input: { ResourceArn: string; TagKeys: string[] }) => {
      const topic = taggedTopic(ctx, input.ResourceArn);
      ctx.tables.topics.put(topic.arn, {
        ...topic,
        tags: topic.tags.filter((tag) => !input.TagKeys.includes(tag.Key)),
      });
      return {};
    },

    ListTagsForResource: (input: { ResourceArn: string }) => ({
      Tags: taggedTopic(ctx, input.ResourceArn).tags.map(({ Key, Value }) => ({ Key, Value })),
    }),
  };
}

function taggedTopic(ctx: SnsContext, arn: string): TopicRecord {
  const topic = ctx.tables.topics.get(arn);
  if (!topic) throw resourceNotFound();
  return topic;
}

export function pageOf<T>(items: T[], keyOf: (item: T) => string, nextToken: string | undefined) {
  try {
    return paginate(items, keyOf, PAGE_SIZE, nextToken);
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidParameter('NextToken');
    throw error;
  }
}
