/**
 * An SNS topic: its name rules (1-256 of `[A-Za-z0-9_-]`), its ARN
 * (`arn:aws:sns:<region>:<account>:<name>`), the attributes SetTopicAttributes may change, and
 * what GetTopicAttributes reports (the default access policy and effective delivery policy, the
 * subscription counts). FIFO topics are refused: drydock delivers standard topics only.
 */
import { arn, parseArn } from '../../kernel/ids.js';
import { invalidParameter } from './errors.js';
import type { Scope } from './ports.js';

export interface TopicRecord {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  /** Attributes set by CreateTopic / SetTopicAttributes (DisplayName, Policy, DeliveryPolicy, …). */
  attributes: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  createdMs: number;
}

const NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** Attributes a client may set; anything else is `Invalid parameter: AttributeName`. */
export const SETTABLE_TOPIC_ATTRIBUTES = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ArchivePolicy',
  'DataProtectionPolicy',
  'ApplicationSuccessFeedbackRoleArn',
  'ApplicationSuccessFeedbackSampleRate',
  'ApplicationFailureFeedbackRoleArn',
  'HTTPSuccessFeedbackRoleArn',
  'HTTPSuccessFeedbackSampleRate',
  'HTTPFailureFeedbackRoleArn',
  'LambdaSuccessFeedbackRoleArn',
  'LambdaSuccessFeedbackSampleRate',
  'LambdaFailureFeedbackRoleArn',
  'SQSSuccessFeedbackRoleArn',
  'SQSSuccessFeedbackSampleRate',
  'SQSFailureFeedbackRoleArn',
  'FirehoseSuccessFeedbackRoleArn',
  'FirehoseSuccessFeedbackSampleRate',
  'FirehoseFailureFeedbackRoleArn',
]);

/** SNS's default delivery policy for HTTP/S endpoints: 3 retries, 20 s apart. */
export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

export function topicArn(scope: Scope, name: string): string {
  return arn({ service: 'sns', region: scope.region, accountId: scope.accountId, resource: name });
}

export function checkTopicName(name: string, attributes: Record<string, string>): void {
  if ((attributes.FifoTopic ?? '').toLowerCase() === 'true' || name.endsWith('.fifo')) {
    throw invalidParameter('Attributes', 'drydock does not serve FIFO topics yet; create a standard topic.');
  }
  if (!NAME.test(name)) throw invalidParameter('Topic Name');
}

export function checkTopicAttribute(name: string): void {
  if (!SETTABLE_TOPIC_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
}

/** The scope of a topic ARN, or undefined when text is not an SNS topic ARN. */
export function parseTopicArn(text: string): { accountId: string; region: string; name: string } | undefined {
  const parts = parseArn(text);
  if (!parts || parts.service !== 'sns' || parts.region === '' || !NAME.test(parts.resource)) return undefined;
  return { accountId: parts.accountId, region: parts.region, name: parts.resource };
}

export function defaultTopicPolicy(topic: TopicRecord): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': topic.accountId } },
      },
    ],
  });
}
