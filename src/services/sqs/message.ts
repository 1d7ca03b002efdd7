/**
 * An SQS message as the queue keeps it, and the rules SendMessage applies to one: the body's
 * allowed characters, at most 10 message attributes with a `String`/`Number`/`Binary` type (a
 * `.label` suffix allowed) and a value, the size limit over body and attributes, and what
 * ReceiveMessage returns of it (attributes filtered by name, `prefix.*` and `All`; system
 * attributes such as ApproximateReceiveCount and SentTimestamp).
 */
import { invalidMessageContents, invalidParameterValue } from './errors.js';
import type { StoredAttribute } from './message-digest.js';

export interface MessageRecord {
  queueKey: string;
  sequence: number;
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, StoredAttribute>;
  md5OfMessageAttributes?: string;
  /** AWSTraceHeader, the only system attribute a sender sets. */
  systemAttributes?: Record<string, StoredAttribute>;
  md5OfMessageSystemAttributes?: string;
  senderId: string;
  sentMs: number;
  /** Until then the message is delayed (never received yet) or in flight (received). */
  visibleAtMs: number;
  receiveCount: number;
  firstReceiveMs?: number;
  /** The token of the latest receive; receipt handles carry it. */
  receipt?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  /** Set when a redrive policy moved the message here from its source queue. */
  deadLetterQueueSourceArn?: string;
}

/** A message attribute as the wire hands it over (binary values as bytes). */
export interface WireAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

export const MAX_MESSAGE_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/i;
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,250})?$/;

/** Throws InvalidMessageContents for a character outside XML's allowed set, as SQS does. */
export function checkBody(body: string): void {
  for (const char of body) {
    const c = char.codePointAt(0)!;
    const allowed =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!allowed) throw invalidMessageContents();
  }
}

/** Checks message attributes and returns them as stored (binary as base64). */
export function storedAttributes(
  attributes: Readonly<Record<string, WireAttribute>> | undefined,
  what: 'message' | 'system',
): Record<string, StoredAttribute> | undefined {
  if (!attributes) return undefined;
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  const out: Record<string, StoredAttribute> = {};
  for (const [name, value] of entries) {
    if (what === 'system' && name !== 'AWSTraceHeader') {
      throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    if (!ATTRIBUTE_NAME.test(name)) throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    const dataType = value.DataType ?? '';
    const base = DATA_TYPE.exec(dataType)?.[1];
    if (!base || (what === 'system' && base !== 'String')) {
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (value.StringListValues?.length || value.BinaryListValues?.length) {
      throw invalidParameterValue(`Message attribute list values in SendMessage operation are not supported.`);
    }
    if (base === 'Binary') {
      if (!value.BinaryValue || value.BinaryValue.byteLength === 0) throw emptyValue(name, dataType);
      out[name] = { DataType: dataType, BinaryValue: Buffer.from(value.BinaryValue).toString('base64') };
    } else {
      if (value.StringValue === undefined || value.StringValue === '') throw emptyValue(name, dataType);
      if (base === 'Number' && !isNumber(value.StringValue)) {
        throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
      }
      checkBody(value.StringValue);
      out[name] = { DataType: dataType, StringValue: value.StringValue };
    }
  }
  return out;
}

function emptyValue(name: string, dataType: string) {
  return invalidParameterValue(
    `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
  );
}

function isNumber(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}

/** Bytes a message counts against MaximumMessageSize: the body plus each attribute's name, type and value. */
export function messageSize(body: string, attributes: Readonly<Record<string, StoredAttribute>> | undefined): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size +=
      value.BinaryValue !== undefined
        ? Buffer.from(value.BinaryValue, 'base64').byteLength
        : Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}

/** The attributes ReceiveMessage returns for MessageAttributeNames (`All`, `.*`, `prefix.*`, exact names). */
export function selectAttributes(
  attributes: Readonly<Record<string, StoredAttribute>> | undefined,
  names: readonly string[] | undefined,
): Record<string, StoredAttribute> | undefined {
  if (!attributes || !names || names.length === 0) return undefined;
  const out: Record<string, StoredAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const selected = names.some(
      (wanted) =>
        wanted === 'All' ||
        wanted === '.*' ||
        wanted === name ||
        (wanted.endsWith('.*') && name.startsWith(wanted.slice(0, -1))),
    );
    if (selected) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The system attributes ReceiveMessage returns (AttributeNames / MessageSystemAttributeNames). */
export function systemAttributes(message: MessageRecord, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const available: Record<string, string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentMs),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: message.firstReceiveMs === undefined ? undefined : String(message.firstReceiveMs),
    AWSTraceHeader: message.systemAttributes?.AWSTraceHeader?.StringValue,
    MessageGroupId: message.messageGroupId,
    MessageDeduplicationId: message.messageDeduplicationId,
    SequenceNumber: message.sequenceNumber,
    DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(available)) {
    if (value !== undefined && (all || names.includes(name))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Message attributes on the wire (binary back to bytes). */
export function wireAttributes(
  attributes: Readonly<Record<string, StoredAttribute>> | undefined,
): Record<string, WireAttribute> | undefined {
  if (!attributes) return undefined;
  const out: Record<string, WireAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: new Uint8Array(Buffer.from(value.BinaryValue, 'base64')) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return out;
}
