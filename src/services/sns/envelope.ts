/**
 * What SNS delivers, byte for byte where it matters: the notification JSON that SQS and HTTP/S
 * subscribers receive (`Type`, `MessageId`, `TopicArn`, `Subject`, `Message`, `Timestamp`,
 * `SignatureVersion`, `Signature`, `SigningCertURL`, `UnsubscribeURL`, `MessageAttributes`, laid
 * out as SNS prints it), the SubscriptionConfirmation an HTTP endpoint gets, and the event a
 * Lambda function is invoked with (`Records[0].Sns`, where the URL keys are spelled `…Url` and
 * a missing Subject is null). drydock cannot sign with AWS's key: `Signature` is a digest of the
 * message, and verifying it against a certificate fails.
 */
import { createHash } from 'node:crypto';
import type { PublishedAttribute } from './filter-policy.js';

export interface SnsUrls {
  signingCertUrl: string;
  unsubscribeUrl(subscriptionArn: string): string;
  subscribeUrl(topicArn: string, token: string): string;
}

/**
 * URLs under drydock's endpoint when it has one (they work there: the `Version` parameter routes
 * an unsigned GET to SNS), else under SNS's regional endpoint as AWS writes them.
 */
export function snsUrls(baseUrl: string | undefined, region: string): SnsUrls {
  const base = (baseUrl ?? `https://sns.${region}.amazonaws.com`).replace(/\/+$/, '');
  const version = baseUrl === undefined ? '' : '&Version=2010-03-31';
  return {
    signingCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-drydock.pem`,
    unsubscribeUrl: (arn) => `${base}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(arn)}${version}`,
    subscribeUrl: (topicArn, token) =>
      `${base}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}${version}`,
  };
}

export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  timestampMs: number;
  attributes?: Record<string, PublishedAttribute>;
}

function signature(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** SNS's layout: one key per line, `"Key" : value`; MessageAttributes one attribute per line. */
function snsJson(fields: Array<[string, unknown]>): string {
  const lines = fields.map(([key, value]) => {
    if (key === 'MessageAttributes') {
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([name, attribute]) => `    ${JSON.stringify(name)} : ${JSON.stringify(attribute)}`,
      );
      return `  "MessageAttributes" : {\n${entries.join(',\n')}\n  }`;
    }
    return `  ${JSON.stringify(key)} : ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}

/** The JSON an SQS queue or HTTP/S endpoint receives (without RawMessageDelivery). */
export function notificationJson(notification: Notification, subscriptionArn: string, urls: SnsUrls): string {
  const timestamp = new Date(notification.timestampMs).toISOString();
  const fields: Array<[string, unknown]> = [
    ['Type', 'Notification'],
    ['MessageId', notification.messageId],
    ['TopicArn', notification.topicArn],
  ];
  if (notification.subject !== undefined) fields.push(['Subject', notification.subject]);
  fields.push(
    ['Message', notification.message],
    ['Timestamp', timestamp],
    ['SignatureVersion', '1'],
    ['Signature', signature(`${notification.messageId}\n${notification.message}\n${timestamp}`)],
    ['SigningCertURL', urls.signingCertUrl],
    ['UnsubscribeURL', urls.unsubscribeUrl(subscriptionArn)],
  );
  if (notification.attributes && Object.keys(notification.attributes).length > 0) {
    fields.push(['MessageAttributes', notification.attributes]);
  }
  return snsJson(fields);
}

/** The event a Lambda function subscribed to the topic is invoked with. */
export function lambdaEvent(notification: Notification, subscriptionArn: string, urls: SnsUrls): string {
  const timestamp = new Date(notification.timestampMs).toISOString();
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: notification.messageId,
          TopicArn: notification.topicArn,
          Subject: notification.subject ?? null,
          Message: notification.message,
          Timestamp: timestamp,
          SignatureVersion: '1',
          Signature: signature(`${notification.messageId}\n${notification.message}\n${timestamp}`),
          SigningCertUrl: urls.signingCertUrl,
          UnsubscribeUrl: urls.unsubscribeUrl(subscriptionArn),
          MessageAttributes: notification.attributes ?? {},
        },
      },
    ],
  });
}

/** The SubscriptionConfirmation an HTTP/S endpoint gets when it is subscribed. */
export function confirmationJson(
  messageId: string,
  topicArn: string,
  token: string,
  timestampMs: number,
  urls: SnsUrls,
): string {
  const timestamp = new Date(timestampMs).toISOString();
  const message =
    `You have chosen to subscribe to the topic ${topicArn}.\n` +
    'To confirm the subscription, visit the SubscribeURL included in this message.';
  return snsJson([
    ['Type', 'SubscriptionConfirmation'],
    ['MessageId', messageId],
    ['Token', token],
    ['TopicArn', topicArn],
    ['Message', message],
    ['SubscribeURL', urls.subscribeUrl(topicArn, token)],
    ['Timestamp', timestamp],
    ['SignatureVersion', '1'],
    ['Signature', signature(`${messageId}\n${token}\n${timestamp}`)],
    ['SigningCertURL', urls.signingCertUrl],
  ]);
}
