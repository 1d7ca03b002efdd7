/**
 * A received message as a Lambda event source mapping hands it to a function: AWS's SQS event
 * record spells message attributes in lower camel case (`stringValue`, `binaryValue` in base64,
 * `stringListValues`, `binaryListValues`, `dataType`), unlike ReceiveMessage's wire shape.
 */
import type { WireAttribute } from './message.js';
import type { ReceivedMessage } from './receive.js';

export interface LambdaMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface LambdaQueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  /** System attributes (ApproximateReceiveCount, SentTimestamp, SenderId, …). */
  attributes: Record<string, string>;
  messageAttributes: Record<string, LambdaMessageAttribute>;
}

function lambdaAttribute(value: WireAttribute): LambdaMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
    stringListValues: [],
    binaryListValues: [],
    dataType: value.DataType ?? 'String',
  };
}

export function toLambdaMessage(message: ReceivedMessage): LambdaQueueMessage {
  const messageAttributes: Record<string, LambdaMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = lambdaAttribute(value);
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    md5OfBody: message.MD5OfBody,
    attributes: { ...(message.Attributes ?? {}) },
    messageAttributes,
  };
}
