/**
 * SQS wire adapter for queues: CreateQueue (idempotent for the same attributes, QueueNameExists
 * for different ones, QueueDeletedRecently within 60 s of a delete), DeleteQueue, GetQueueUrl,
 * ListQueues (prefix, MaxResults/NextToken), Get/SetQueueAttributes, PurgeQueue (once per 60 s),
 * ListDeadLetterSourceQueues and the queue tags.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import { requireQueue, scopeOf, urlOf, type SqsContext } from './context.js';
import {
  invalidParameter,
  invalidParameterValue,
  purgeQueueInProgress,
  queueDeletedRecently,
  queueDoesNotExist,
  queueNameExists,
} from './errors.js';
import {
  checkAttributeNames,
  initialAttributes,
  mergeAttributes,
  normalizeAttributes,
  readAttributes,
  integerAttribute,
  type MessageCounts,
} from './queue-attributes.js';
import { checkQueueName, keyOfQueue, queueArn, queueKey, type QueueRecord, type Scope } from './queue.js';
import { checkRedrivePolicy, deadLetterSourcesOf } from './redrive.js';
import { messageKey, messagesOf } from './store.js';

const QUEUE_DELETE_COOLDOWN_MS = 60_000;
const PURGE_COOLDOWN_MS = 60_000;
const MAX_TAGS = 50;
const LIST_LIMIT = 1000;

interface CreateQueueInput {
  QueueName: string;
  Attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export function queueOperations(ctx: SqsContext) {
  return {
    CreateQueue: (input: CreateQueueInput, context: RequestContext) => {
      const scope = scopeOf(context);
      const given = input.Attributes ?? {};
      const fifo = (given.FifoQueue ?? '').toLowerCase() === 'true';
      checkQueueName(input.QueueName, fifo);
      const normalized = normalizeAttributes(given, fifo, 'create');
      if (normalized.FifoQueue === 'false') delete normalized.FifoQueue;
      checkRedrivePolicy(ctx, scope, fifo, normalized.RedrivePolicy);
      checkTagCount(Object.keys(input.tags ?? {}).length);
      const key = queueKey(scope, input.QueueName);
      const existing = ctx.tables.queues.get(key);
      if (existing) {
        for (const [name, value] of Object.entries(normalized)) {
          if (existing.attributes[name] !== value) throw queueNameExists(name);
        }
        return { QueueUrl: urlOf(ctx, existing) };
      }
      const nowMs = ctx.clock.now();
      const deleted = ctx.tables.deletedQueues.get(key);
      if (deleted && nowMs - deleted.deletedAtMs < QUEUE_DELETE_COOLDOWN_MS) throw queueDeletedRecently();
      const queue: QueueRecord = {
        name: input.QueueName,
        accountId: scope.accountId,
        region: scope.region,
        arn: queueArn(scope, input.QueueName),
        fifo,
        attributes: initialAttributes(normalized, fifo),
        tags: { ...(input.tags ?? {}) },
        createdMs: nowMs,
        lastModifiedMs: nowMs,
        nextSequence: 1,
      };
      ctx.store.transaction(() => {
        ctx.tables.deletedQueues.delete(key);
        ctx.tables.queues.put(key, queue);
      });
      return { QueueUrl: urlOf(ctx, queue) };
    },

    DeleteQueue: (input: { QueueUrl: string }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      const key = keyOfQueue(queue);
      ctx.store.transaction(() => {
        for (const message of messagesOf(ctx.tables, key)) {
          ctx.tables.messages.delete(messageKey(key, message.sequence));
        }
        for (const dedupKey of ctx.tables.deduplication.keys()) {
          if (dedupKey.startsWith(`${key}#`)) ctx.tables.deduplication.delete(dedupKey);
        }
        ctx.tables.queues.delete(key);
        ctx.tables.deletedQueues.put(key, { deletedAtMs: ctx.clock.now() });
      });
      // Long polls on it end with QueueDoesNotExist.
      ctx.waiters.notify(key);
      return {};
    },

    GetQueueUrl: (input: { QueueName: string; QueueOwnerAWSAccountId?: string }, context: RequestContext) => {
      const scope: Scope = { ...scopeOf(context), accountId: input.QueueOwnerAWSAccountId ?? context.accountId };
      const queue = ctx.tables.queues.get(queueKey(scope, input.QueueName));
      if (!queue) throw queueDoesNotExist();
      return { QueueUrl: urlOf(ctx, queue) };
    },

    ListQueues: (
      input: { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number },
      context: RequestContext,
    ) => {
      const scope = scopeOf(context);
      const queues = ctx.tables.queues
        .withPrefix(`${scope.accountId}/${scope.region}/`)
        .filter((queue) => queue.name.startsWith(input.QueueNamePrefix ?? ''));
      const page = pageOf(queues, input.MaxResults, input.NextToken);
      return {
        ...(page.items.length > 0 ? { QueueUrls: page.items.map((queue) => urlOf(ctx, queue)) } : {}),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },

    GetQueueAttributes: (input: { QueueUrl: string; AttributeNames?: string[] }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      const names = input.AttributeNames ?? [];
      checkAttributeNames(names);
      const attributes = readAttributes(queue, names, () => countMessages(ctx, queue));
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },

    SetQueueAttributes: (input: { QueueUrl: string; Attributes: Record<string, string> }, context: RequestContext) => {
      const scope = scopeOf(context);
      const queue = requireQueue(ctx, scope, input.QueueUrl);
      const changes = normalizeAttributes(input.Attributes, queue.fifo, 'set');
      checkRedrivePolicy(ctx, scope, queue.fifo, changes.RedrivePolicy);
      ctx.tables.queues.put(keyOfQueue(queue), {
        ...queue,
        attributes: mergeAttributes(queue.attributes, changes),
        lastModifiedMs: ctx.clock.now(),
      });
      return {};
    },

    PurgeQueue: (input: { QueueUrl: string }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      const nowMs = ctx.clock.now();
      if (queue.lastPurgeMs !== undefined && nowMs - queue.lastPurgeMs < PURGE_COOLDOWN_MS) {
        throw purgeQueueInProgress(input.QueueUrl);
      }
      const key = keyOfQueue(queue);
      ctx.store.transaction(() => {
        for (const message of messagesOf(ctx.tables, key)) {
          if (message.sentMs <= nowMs) ctx.tables.messages.delete(messageKey(key, message.sequence));
        }
        ctx.tables.queues.put(key, { ...(ctx.tables.queues.get(key) ?? queue), lastPurgeMs: nowMs });
      });
      return {};
    },

    ListDeadLetterSourceQueues: (
      input: { QueueUrl: string; NextToken?: string; MaxResults?: number },
      context: RequestContext,
    ) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      const page = pageOf(deadLetterSourcesOf(ctx, queue), input.MaxResults, input.NextToken);
      return {
        queueUrls: page.items.map((source) => urlOf(ctx, source)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },

    TagQueue: (input: { QueueUrl: string; Tags: Record<string, string> }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      const tags = { ...queue.tags, ...input.Tags };
      checkTagCount(Object.keys(tags).length);
      ctx.tables.queues.put(keyOfQueue(queue), { ...queue, tags });
      return {};
    },

    UntagQueue: (input: { QueueUrl: string; TagKeys: string[] }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      const tags = { ...queue.tags };
      for (const key of input.TagKeys) delete tags[key];
      ctx.tables.queues.put(keyOfQueue(queue), { ...queue, tags });
      return {};
    },

    ListQueueTags: (input: { QueueUrl: string }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
    },
  };
}

/** Visible, in-flight and delayed messages, past-retention ones left out. */
export function countMessages(ctx: SqsContext, queue: QueueRecord): MessageCounts {
  const nowMs = ctx.clock.now();
  const retentionMs = integerAttribute(queue, 'MessageRetentionPeriod') * 1000;
  const counts: MessageCounts = { visible: 0, inFlight: 0, delayed: 0 };
  for (const message of messagesOf(ctx.tables, keyOfQueue(queue))) {
    if (message.sentMs + retentionMs <= nowMs) continue;
    if (message.visibleAtMs <= nowMs) counts.visible += 1;
    else if (message.receiveCount > 0) counts.inFlight += 1;
    else counts.delayed += 1;
  }
  return counts;
}

function pageOf(queues: QueueRecord[], maxResults: number | undefined, nextToken: string | undefined) {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > LIST_LIMIT)) {
    throw invalidParameter('MaxResults', maxResults, `Must be between 1 and ${LIST_LIMIT}, if provided.`);
  }
  try {
    const page = paginate(queues, (queue) => queue.name, maxResults ?? LIST_LIMIT, nextToken);
    // Without MaxResults SQS answers up to 1,000 queues and no NextToken.
    return maxResults === undefined ? { items: page.items } : page;
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidParameterValue('Invalid NextToken value.');
    throw error;
  }
}

function checkTagCount(count: number): void {
  if (count > MAX_TAGS)
    throw invalidParameterValue(`Too many tags added for queue. Maximum of ${MAX_TAGS} tags per queue.`);
}
