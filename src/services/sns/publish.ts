/**
 * Publish, as a topic applies it: the message (non-empty, at most 256 KiB), the Subject (ASCII,
 * no line breaks, under 100 characters), MessageStructure=json (a `default` text plus optional
 * per-protocol texts), message attributes (`String`, `String.Array`, `Number`, `Binary`); then
 * one delivery stored per matching subscription, sent later by the delivery controller.
 */
import { uuid } from '../../kernel/ids.js';
import type { SnsContext } from './context.js';
import { planDeliveries } from './delivery.js';
import { invalidParameter, invalidParameterValue } from './errors.js';
import type { PublishedAttribute } from './filter-policy.js';
import { subscriptionsOf } from './store.js';
import type { TopicRecord } from './topic.js';

export interface PublishAttributeInput {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface PublishInput {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, PublishAttributeInput>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

const MAX_MESSAGE_BYTES = 262_144;

/** Validates, stores the deliveries, and returns the MessageId. */
export function publish(ctx: SnsContext, topic: TopicRecord, input: PublishInput): string {
  const message = input.Message ?? '';
  if (message === '') throw invalidParameter('Empty message');
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  if (input.Subject !== undefined) checkSubject(input.Subject);
  if (input.MessageGroupId !== undefined || input.MessageDeduplicationId !== undefined) {
    throw invalidParameter(
      input.MessageGroupId !== undefined ? 'MessageGroupId' : 'MessageDeduplicationId',
      'The request includes a parameter that is not valid for this topic type',
    );
  }
  const byProtocol =
    input.MessageStructure === undefined ? undefined : structuredMessages(input.MessageStructure, message);
  const attributes = publishedAttributes(input.MessageAttributes);
  const messageId = uuid(ctx.random);
  const notification = {
    messageId,
    topicArn: topic.arn,
    message: byProtocol?.default ?? message,
    timestampMs: ctx.clock.now(),
    ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
    ...(attributes ? { attributes } : {}),
  };
  const deliveries = planDeliveries(ctx, notification, subscriptionsOf(ctx.tables, topic.arn), byProtocol);
  ctx.store.transaction(() => {
    for (const delivery of deliveries) ctx.tables.deliveries.put(delivery.id, delivery);
  });
  return messageId;
}

function checkSubject(subject: string): void {
  if (subject === '' || subject.length >= 100 || !/^[\x20-\x7e]+$/.test(subject)) throw invalidParameter('Subject');
}

function structuredMessages(structure: string, message: string): Record<string, string> {
  if (structure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const texts = parsed as Record<string, unknown>;
  if (typeof texts.default !== 'string')
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  const out: Record<string, string> = {};
  for (const [protocol, text] of Object.entries(texts)) if (typeof text === 'string') out[protocol] = text;
  return out;
}

function publishedAttributes(
  attributes: Readonly<Record<string, PublishAttributeInput>> | undefined,
): Record<string, PublishedAttribute> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const out: Record<string, PublishedAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const type = value.DataType ?? '';
    if (type === 'Binary') {
      if (!value.BinaryValue || value.BinaryValue.byteLength === 0) throw emptyValue(name, type);
      out[name] = { Type: 'Binary', Value: Buffer.from(value.BinaryValue).toString('base64') };
      continue;
    }
    if (!/^(String|Number|String\.Array)$/.test(type)) {
      throw invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const text = value.StringValue;
    if (text === undefined || text === '') throw emptyValue(name, type);
    if (type === 'Number' && !Number.isFinite(Number(text))) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === 'String.Array') {
      let list: unknown;
      try {
        list = JSON.parse(text);
      } catch {
        list = undefined;
      }
      if (!Array.isArray(list)) {
        throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' has an invalid value.`);
      }
    }
    out[name] = { Type: type, Value: text };
  }
  return out;
}

function emptyValue(name: string, type: string) {
  return invalidParameterValue(
    `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
  );
}
