/**
 * A message on its way to one SNS subscription, as the `deliveries` table keeps it until it is
 * delivered or given up: the bytes that subscription gets, the tries so far and when the next is due.
 */
import type { DeliveryProtocol } from './subscription.js';

export interface StoredSqsAttribute {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

export interface DeliveryRecord {
  id: string;
  kind: 'notification' | 'confirmation';
  subscriptionArn: string;
  topicArn: string;
  protocol: DeliveryProtocol;
  endpoint: string;
  body: string;
  /** HTTP/S requests carry SNS's x-amz-sns-* headers. */
  headers?: Record<string, string>;
  /** Raw delivery to SQS: the message attributes become SQS message attributes. */
  sqsAttributes?: Record<string, StoredSqsAttribute>;
  /** What a dead-letter queue gets when delivery is given up, when not the body itself. */
  deadLetterBody?: string;
  attempts: number;
  dueAtMs: number;
  createdMs: number;
}
