/**
 * An SNS subscription: a topic, a protocol and an endpoint. drydock delivers `sqs` (a queue
 * ARN), `lambda` (a function ARN, invoked asynchronously) and `http`/`https` (a URL, which
 * must confirm first: SNS POSTs a SubscriptionConfirmation and the subscription is
 * `PendingConfirmation` until ConfirmSubscription gets its token); other protocols (email, sms,
 * application, firehose) are refused plainly. Attributes: RawMessageDelivery (not for Lambda),
 * FilterPolicy/FilterPolicyScope, DeliveryPolicy, RedrivePolicy (a dead-letter SQS queue for
 * messages that could not be delivered), SubscriptionRoleArn.
 */
import { parseArn } from '../../kernel/ids.js';
import { invalidParameter } from './errors.js';
import { checkFilterPolicy } from './filter-policy.js';

export type DeliveryProtocol = 'sqs' | 'lambda' | 'http' | 'https';

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  owner: string;
  protocol: DeliveryProtocol;
  endpoint: string;
  attributes: Record<string, string>;
  /** While the endpoint has not confirmed (http/https): the token ConfirmSubscription needs. */
  pendingToken?: string;
  /** The token that confirmed it: confirming again with it answers the subscription. */
  confirmedToken?: string;
  createdMs: number;
}

const KNOWN_PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'];
const SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
]);

export function checkProtocol(
  protocol: string,
  endpoint: string | undefined,
  httpAvailable: boolean,
): DeliveryProtocol {
  const lower = protocol.toLowerCase();
  if (!KNOWN_PROTOCOLS.includes(lower)) {
    throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
  if (endpoint === undefined || endpoint === '') throw invalidParameter('Endpoint', 'Endpoint is required');
  switch (lower) {
    case 'sqs':
      if (parseArn(endpoint)?.service !== 'sqs') throw invalidParameter('SQS endpoint ARN');
      return 'sqs';
    case 'lambda':
      if (parseArn(endpoint)?.service !== 'lambda') throw invalidParameter('Lambda endpoint ARN');
      return 'lambda';
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${lower}://`)) {
        throw invalidParameter('Endpoint', 'Endpoint must match the specified protocol');
      }
      if (!httpAvailable) {
        throw invalidParameter(
          'Protocol',
          `this drydock has no HTTP client configured to deliver ${lower} subscriptions`,
        );
      }
      return lower;
    default:
      throw invalidParameter(
        'Protocol',
        `drydock does not deliver to ${lower} endpoints (it delivers sqs, lambda, http and https)`,
      );
  }
}

/** Checks one attribute for a subscription of this protocol and returns it as SNS keeps it. */
export function checkSubscriptionAttribute(protocol: DeliveryProtocol, name: string, value: string): string {
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  switch (name) {
    case 'RawMessageDelivery': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        throw invalidParameter('Attributes', 'RawMessageDelivery: Invalid value');
      if (lower === 'true' && protocol === 'lambda') {
        throw invalidParameter('Attributes', 'Delivery protocol [lambda] does not support raw message delivery.');
      }
      return lower;
    }
    case 'FilterPolicy':
      if (value !== '') checkFilterPolicy(value);
      return value;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalidParameter(
          'Attributes',
          `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
        );
      }
      return value;
    case 'RedrivePolicy': {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        throw invalidParameter('RedrivePolicy: failed to parse JSON.');
      }
      if (typeof target !== 'string' || parseArn(target)?.service !== 'sqs') {
        throw invalidParameter('RedrivePolicy: deadLetterTargetArn is invalid');
      }
      return value;
    }
    case 'DeliveryPolicy':
      try {
        JSON.parse(value);
      } catch {
        throw invalidParameter('DeliveryPolicy: failed to parse JSON.');
      }
      return value;
    default:
      return value;
  }
}

export function checkSubscriptionAttributes(
  protocol: DeliveryProtocol,
  attributes: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {}))
    out[name] = checkSubscriptionAttribute(protocol, name, value);
  return out;
}

/** The ARN ListSubscriptions shows: the real one, or `PendingConfirmation`. */
export function listedArn(subscription: SubscriptionRecord): string {
  return subscription.pendingToken ? 'PendingConfirmation' : subscription.arn;
}
