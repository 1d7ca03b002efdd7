/**
 * SNS through the real SNSClient (awsQuery) and the AWS CLI, against a gateway serving SNS and
 * SQS: topics, subscriptions (sqs, lambda through a recording port, http through a recording
 * port with its SubscriptionConfirmation), Publish and PublishBatch delivered asynchronously on the
 * virtual clock with SNS's envelope and the SNS → Lambda record shape, raw delivery, filter
 * policies, Lambda retries and dead-letter queues, and AWS's error for every failure.
 */
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../support/drydock.js';
import { ACCOUNT, awsCliEnv, startMessaging, type MessagingRig } from '../support/messaging.js';
import { run } from '../support/process.js';

let rig: MessagingRig;
let sns: SNSClient;
let sqs: SQSClient;
const scope = { accountId: ACCOUNT, region: 'us-east-1' };
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:drain`;

beforeAll(async () => {
  rig = await startMessaging();
  sns = rig.snsClient;
  sqs = rig.sqsClient;
});
afterAll(async () => rig.close());
beforeEach(() => {
  rig.lambdaCalls.length = 0;
  rig.httpCalls.length = 0;
  rig.lambdaFailure = () => undefined;
  rig.httpStatus = () => 200;
});

async function topic(name: string): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
}

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attributes.Attributes!.QueueArn! };
}

/** Lets the delivery controller run what is due now (deliveries are clock timers). */
async function deliver(ms = 0): Promise<void> {
  await rig.virtual!.advanceBy(ms);
  await rig.controlLoop.settled();
}

async function receiveBodies(url: string): Promise<string[]> {
  const result = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
  );
  return (result.Messages ?? []).map((message) => message.Body!);
}

describe('topics', () => {
  it('creates (idempotently), lists, describes, changes and deletes topics', async () => {
    const arn = await topic('fleet-events');
    expect(arn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:fleet-events`);
    expect(await topic('fleet-events')).toBe(arn);
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toContainEqual({ TopicArn: arn });

    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Fleet' }),
    );
    const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(attributes).toMatchObject({
      TopicArn: arn,
      Owner: ACCOUNT,
      DisplayName: 'Fleet',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(attributes.Policy!)).toMatchObject({ Statement: [{ Resource: arn }] });
    expect(JSON.parse(attributes.EffectiveDeliveryPolicy!)).toMatchObject({
      http: { defaultHealthyRetryPolicy: { numRetries: 3, minDelayTarget: 20 } },
    });

    await sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'team', Value: 'infra' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'team', Value: 'infra' },
    ]);

    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    const gone = await awsError(() => sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
    expect(gone.name).toBe('NotFoundException');
    expect(gone.message).toBe('Topic does not exist');
    expect(gone.$metadata.httpStatusCode).toBe(404);
    // Deleting a topic that is not there is not an error.
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
  });

  it('refuses bad names, FIFO topics, unknown attributes and different attributes on re-create', async () => {
    const badName = await awsError(() => sns.send(new CreateTopicCommand({ Name: 'no spaces' })));
    expect(badName.name).toBe('InvalidParameterException');
    expect(badName.message).toBe('Invalid parameter: Topic Name');
    expect(badName.$metadata.httpStatusCode).toBe(400);
    const fifo = await awsError(() =>
      sns.send(new CreateTopicCommand({ Name: 'x.fifo', Attributes: { FifoTopic: 'true' } })),
    );
    expect(fifo.name).toBe('InvalidParameterException');
    expect(fifo.message).toContain('FIFO');
    const arn = await topic('attributes');
    const unknown = await awsError(() =>
      sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Colour', AttributeValue: 'red' })),
    );
    expect(unknown.message).toBe('Invalid parameter: AttributeName');
    await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'A' }));
    const different = await awsError(() =>
      sns.send(new CreateTopicCommand({ Name: 'attributes', Attributes: { DisplayName: 'B' } })),
    );
    expect(different.message).toBe(
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
    const untagged = await awsError(() =>
      sns.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:sns:us-east-1:${ACCOUNT}:nope` })),
    );
    expect(untagged.name).toBe('ResourceNotFoundException');
  });
});

describe('delivery to SQS', () => {
  it('delivers asynchronously, wrapped in the SNS envelope', async () => {
    const topicArn = await topic('to-sqs');
    const { url, arn } = await queue('sns-inbox');
    const subscribed = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
    expect(subscribed.SubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));

    const published = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: '{"Event":"autoscaling:TEST_NOTIFICATION"}',
        Subject: 'Auto Scaling: test notification',
        MessageAttributes: {
          source: { DataType: 'String', StringValue: 'drydock' },
          count: { DataType: 'Number', StringValue: '3' },
          raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    // Not inline in Publish: nothing is in the queue until the delivery controller runs.
    expect(await receiveBodies(url)).toEqual([]);
    await deliver();
    const [body] = await receiveBodies(url);
    expect(body).toMatch(/^\{\n {2}"Type" : "Notification",\n/);
    const envelope = JSON.parse(body!) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn: topicArn,
      Subject: 'Auto Scaling: test notification',
      Message: '{"Event":"autoscaling:TEST_NOTIFICATION"}',
      Timestamp: new Date(rig.clock.now()).toISOString(),
      SignatureVersion: '1',
      MessageAttributes: {
        source: { Type: 'String', Value: 'drydock' },
        count: { Type: 'Number', Value: '3' },
        raw: { Type: 'Binary', Value: 'AQID' },
      },
    });
    expect(envelope.SigningCertURL).toMatch(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/.*\.pem$/);
    // The UnsubscribeURL works against drydock.
    const unsubscribe = await fetch(envelope.UnsubscribeURL as string);
    expect(unsubscribe.status).toBe(200);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([]);
  });

  it('delivers the raw message with its attributes when RawMessageDelivery is on', async () => {
    const topicArn = await topic('raw');
    const { url, arn } = await queue('raw-inbox');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'plain',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    await deliver();
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }));
    expect(received.Messages![0]).toMatchObject({
      Body: 'plain',
      MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    });
  });

  it('picks the per-protocol text of a MessageStructure=json message, and applies filter policies', async () => {
    const topicArn = await topic('structured');
    const plain = await queue('structured-all');
    const filtered = await queue('structured-filtered');
    const byBody = await queue('structured-body');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: plain.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: filtered.arn,
        Attributes: {
          RawMessageDelivery: 'true',
          FilterPolicy: JSON.stringify({ kind: ['terminate', { prefix: 'scale-' }], size: [{ numeric: ['>', 2] }] }),
        },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: byBody.arn,
        Attributes: {
          RawMessageDelivery: 'true',
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify({ detail: { state: [{ 'anything-but': 'running' }] } }),
        },
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', sqs: '{"detail":{"state":"stopped"}}' }),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'scale-in' },
          size: { DataType: 'Number', StringValue: '3' },
        },
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: '{"detail":{"state":"running"}}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'launch' },
          size: { DataType: 'Number', StringValue: '5' },
        },
      }),
    );
    await deliver();
    expect(await receiveBodies(plain.url)).toEqual([
      '{"detail":{"state":"stopped"}}',
      '{"detail":{"state":"running"}}',
    ]);
    expect(await receiveBodies(filtered.url)).toEqual(['{"detail":{"state":"stopped"}}']);
    expect(await receiveBodies(byBody.url)).toEqual(['{"detail":{"state":"stopped"}}']);

    const badPolicy = await awsError(() =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: plain.arn.replace('all', 'x'),
          Attributes: { FilterPolicy: '{' },
        }),
      ),
    );
    expect(badPolicy.name).toBe('InvalidParameterException');
    expect(badPolicy.message).toBe('Invalid parameter: FilterPolicy: failed to parse JSON.');
    const badStructure = await awsError(() =>
      sns.send(new PublishCommand({ TopicArn: topicArn, MessageStructure: 'json', Message: '{"sqs":"x"}' })),
    );
    expect(badStructure.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
  });

  it('publishes for other services by ARN (Auto Scaling notifications, EventBridge targets)', async () => {
    const topicArn = await topic('service-published');
    const { url, arn } = await queue('service-inbox');
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
    expect(rig.sns.topicExists(scope, topicArn)).toBe(true);
    expect(rig.sns.topicExists(scope, `${topicArn}-nope`)).toBe(false);
    const messageId = rig.sns.publishByArn(scope, topicArn, 'Service: AWS Auto Scaling', 'Auto Scaling: test');
    await deliver();
    const envelope = JSON.parse((await receiveBodies(url))[0]!) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      MessageId: messageId,
      Subject: 'Auto Scaling: test',
      Message: 'Service: AWS Auto Scaling',
    });
    expect(envelope).not.toHaveProperty('MessageAttributes');
    expect(() => rig.sns.publishByArn(scope, `${topicArn}-nope`, 'x')).toThrow('Topic does not exist');
  });
});

describe('delivery to Lambda', () => {
  it('invokes the function asynchronously with the SNS event record', async () => {
    const topicArn = await topic('to-lambda');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: FUNCTION_ARN }),
    );
    const published = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'drain i-0123',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    expect(rig.lambdaCalls).toEqual([]);
    await deliver();
    expect(rig.lambdaCalls).toHaveLength(1);
    expect(rig.lambdaCalls[0]!.functionArn).toBe(FUNCTION_ARN);
    const event = JSON.parse(rig.lambdaCalls[0]!.payload) as { Records: Array<Record<string, unknown>> };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toEqual({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: SubscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: published.MessageId,
        TopicArn: topicArn,
        Subject: null,
        Message: 'drain i-0123',
        Timestamp: new Date(rig.clock.now()).toISOString(),
        SignatureVersion: '1',
        Signature: expect.any(String),
        SigningCertUrl: expect.stringMatching(/\.pem$/),
        UnsubscribeUrl: expect.stringContaining('Action=Unsubscribe'),
        MessageAttributes: { k: { Type: 'String', Value: 'v' } },
      },
    });
    const raw = await awsError(() =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'RawMessageDelivery',
          AttributeValue: 'true',
        }),
      ),
    );
    expect(raw.message).toBe(
      'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
    );
  });

  it('retries a failed invocation on the clock, as SNS retries Lambda: 3 at once, then 1 s apart, then backing off', async () => {
    const topicArn = await topic('flaky-lambda');
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: FUNCTION_ARN }));
    let failures = 5;
    rig.lambdaFailure = () =>
      failures-- > 0 ? Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }) : undefined;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'again' }));
    await deliver();
    // The first try and the 3 immediate retries.
    expect(rig.lambdaCalls).toHaveLength(4);
    await deliver(999);
    expect(rig.lambdaCalls).toHaveLength(4);
    await deliver(1);
    expect(rig.lambdaCalls).toHaveLength(5);
    await deliver(1_000);
    expect(rig.lambdaCalls).toHaveLength(6);
    await deliver(60_000);
    expect(rig.lambdaCalls).toHaveLength(6);
  });

  it("gives up after SNS's retries and sends the message to the subscription's dead-letter queue", async () => {
    const topicArn = await topic('dead-lambda');
    const dlq = await queue('dead-lambda-dlq');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'lambda',
        Endpoint: `${FUNCTION_ARN}-gone`,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    rig.lambdaFailure = () => Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'lost' }));
    await rig.virtual!.runUntilIdle({ limitMs: 3 * 3600_000 });
    await rig.controlLoop.settled();
    expect(rig.lambdaCalls).toHaveLength(100);
    const [body] = await receiveBodies(dlq.url);
    expect(JSON.parse(body!)).toMatchObject({ Type: 'Notification', Message: 'lost' });
  });
});

describe('delivery to HTTP/S', () => {
  it('confirms the subscription through SubscriptionConfirmation, then POSTs notifications', async () => {
    const topicArn = await topic('to-http');
    const endpoint = 'https://hooks.example.com/sns';
    const subscribed = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'https', Endpoint: endpoint }),
    );
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([
      {
        SubscriptionArn: 'PendingConfirmation',
        Owner: ACCOUNT,
        Protocol: 'https',
        Endpoint: endpoint,
        TopicArn: topicArn,
      },
    ]);
    await deliver();
    expect(rig.httpCalls).toHaveLength(1);
    const confirmation = JSON.parse(rig.httpCalls[0]!.body) as Record<string, string>;
    expect(rig.httpCalls[0]!.url).toBe(endpoint);
    expect(rig.httpCalls[0]!.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(confirmation).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topicArn });
    expect(confirmation.Token).toMatch(/^[0-9a-f]{64}$/);

    // Publishing before confirmation delivers nothing to it.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'too early' }));
    await deliver();
    expect(rig.httpCalls).toHaveLength(1);

    // The endpoint visits SubscribeURL, as SNS's HTTP handlers do.
    const visited = await fetch(confirmation.SubscribeURL!);
    expect(visited.status).toBe(200);
    const confirmedArn = /<SubscriptionArn>(.*)<\/SubscriptionArn>/.exec(await visited.text())?.[1];
    expect(confirmedArn).toMatch(new RegExp(`^${topicArn}:`));
    // Confirming again with the same token answers the same subscription.
    const again = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: confirmation.Token! }));
    expect(again.SubscriptionArn).toBe(confirmedArn);
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmedArn! })))
      .Attributes!;
    expect(attributes).toMatchObject({ PendingConfirmation: 'false', Protocol: 'https', Endpoint: endpoint });

    const published = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello hook' }));
    await deliver();
    expect(rig.httpCalls).toHaveLength(2);
    expect(rig.httpCalls[1]!.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': published.MessageId,
      'x-amz-sns-topic-arn': topicArn,
      'x-amz-sns-subscription-arn': confirmedArn,
    });
    expect(JSON.parse(rig.httpCalls[1]!.body)).toMatchObject({ Type: 'Notification', Message: 'hello hook' });

    const badToken = await awsError(() =>
      sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'nope' })),
    );
    expect(badToken.message).toBe('Invalid parameter: Token');
  });

  it('retries an endpoint that does not answer 2xx three times, 20 seconds apart', async () => {
    const topicArn = await topic('flaky-http');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'http',
        Endpoint: 'http://hooks.example.com/x',
        ReturnSubscriptionArn: true,
      }),
    );
    await deliver();
    const token = (JSON.parse(rig.httpCalls[0]!.body) as { Token: string }).Token;
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token }));
    rig.httpCalls.length = 0;
    rig.httpStatus = () => 503;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' }));
    await deliver();
    expect(rig.httpCalls).toHaveLength(1);
    for (const expected of [2, 3, 4]) {
      await deliver(20_000);
      expect(rig.httpCalls).toHaveLength(expected);
    }
    await deliver(60_000);
    expect(rig.httpCalls).toHaveLength(4);
  });
});

describe('subscriptions', () => {
  it('lists, describes, changes and removes subscriptions', async () => {
    const topicArn = await topic('subscriptions');
    const { arn } = await queue('subscriptions-inbox');
    const first = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
    // The same subscription again is the same subscription.
    expect(
      (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }))).SubscriptionArn,
    ).toBe(first.SubscriptionArn);
    const listed = await sns.send(new ListSubscriptionsCommand({}));
    expect(listed.Subscriptions).toContainEqual({
      SubscriptionArn: first.SubscriptionArn,
      Owner: ACCOUNT,
      Protocol: 'sqs',
      Endpoint: arn,
      TopicArn: topicArn,
    });
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: first.SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    const attributes = (
      await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: first.SubscriptionArn }))
    ).Attributes;
    expect(attributes).toMatchObject({
      SubscriptionArn: first.SubscriptionArn,
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: arn,
      RawMessageDelivery: 'true',
      PendingConfirmation: 'false',
    });
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: first.SubscriptionArn }));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([]);
    const gone = await awsError(() => sns.send(new UnsubscribeCommand({ SubscriptionArn: first.SubscriptionArn })));
    expect(gone.name).toBe('NotFoundException');
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it('refuses protocols drydock does not deliver, endpoints that do not match, and missing topics', async () => {
    const topicArn = await topic('refusals');
    const email = await awsError(() =>
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'a@example.com' })),
    );
    expect(email.name).toBe('InvalidParameterException');
    expect(email.message).toContain('drydock does not deliver to email endpoints');
    const unknown = await awsError(() =>
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'pigeon', Endpoint: 'x' })),
    );
    expect(unknown.message).toBe('Invalid parameter: Amazon SNS does not support this protocol string: pigeon');
    const badArn = await awsError(() =>
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'my-queue' })),
    );
    expect(badArn.message).toBe('Invalid parameter: SQS endpoint ARN');
    const mismatch = await awsError(() =>
      sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'https', Endpoint: 'http://insecure.example.com' }),
      ),
    );
    expect(mismatch.message).toBe('Invalid parameter: Endpoint Reason: Endpoint must match the specified protocol');
    const noTopic = await awsError(() =>
      sns.send(new SubscribeCommand({ TopicArn: `${topicArn}-nope`, Protocol: 'lambda', Endpoint: FUNCTION_ARN })),
    );
    expect(noTopic.name).toBe('NotFoundException');
  });
});

describe('Publish and PublishBatch', () => {
  it('publishes batches, failures as data', async () => {
    const topicArn = await topic('batches');
    const { url, arn } = await queue('batches-inbox');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first' },
          { Id: 'two', Message: '' },
          { Id: 'three', Message: 'third', Subject: 'S' },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['one', 'three']);
    expect(result.Failed).toEqual([
      { Id: 'two', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true },
    ]);
    await deliver();
    expect(await receiveBodies(url)).toEqual(['first', 'third']);
    const repeated = await awsError(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: '1' },
            { Id: 'a', Message: '2' },
          ],
        }),
      ),
    );
    expect(repeated.name).toBe('BatchEntryIdsNotDistinctException');
    const empty = await awsError(() =>
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [] })),
    );
    expect(empty.name).toBe('EmptyBatchRequestException');
  });

  it('answers AWS errors for bad publishes', async () => {
    const topicArn = await topic('bad-publishes');
    const missing = await awsError(() => sns.send(new PublishCommand({ TopicArn: `${topicArn}-nope`, Message: 'x' })));
    expect(missing.name).toBe('NotFoundException');
    expect(missing.message).toBe('Topic does not exist');
    const empty = await awsError(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: '' })));
    expect(empty.message).toBe('Invalid parameter: Empty message');
    const subject = await awsError(() =>
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', Subject: 'two\nlines' })),
    );
    expect(subject.message).toBe('Invalid parameter: Subject');
    const tooLong = await awsError(() =>
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x'.repeat(262_145) })),
    );
    expect(tooLong.message).toBe('Invalid parameter: Message too long');
    const attribute = await awsError(() =>
      sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } },
        }),
      ),
    );
    expect(attribute.name).toBe('InvalidParameterValueException');
    expect(attribute.message).toBe("Could not cast message attribute 'n' value to number.");
    const sms = await awsError(() => sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x' })));
    expect(sms.message).toContain('SMS');
    const noTarget = await awsError(() => sns.send(new PublishCommand({ Message: 'x' })));
    expect(noTarget.name).toBe('InvalidParameterException');
  });

  it('keeps delivering to a queue created after a failed try', async () => {
    const topicArn = await topic('late-queue');
    const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:late-inbox`;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'patience' }));
    await deliver();
    const { url } = await queue('late-inbox');
    await deliver(1_000);
    expect(await receiveBodies(url)).toEqual(['patience']);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'direct' }));
    expect(await receiveBodies(url)).toEqual(['direct']);
  });
});

describe('the AWS CLI', () => {
  const cli = (args: string[]) => run('aws', ['--endpoint-url', rig.url, 'sns', ...args], awsCliEnv(rig.url));

  it('works with `aws sns`', async () => {
    const created = await cli(['create-topic', '--name', 'from-cli']);
    expect(created.stderr).toBe('');
    const { TopicArn } = JSON.parse(created.stdout) as { TopicArn: string };
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:from-cli`);
    const subscribed = await cli([
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'lambda',
      '--notification-endpoint',
      FUNCTION_ARN,
    ]);
    const { SubscriptionArn } = JSON.parse(subscribed.stdout) as { SubscriptionArn: string };
    const published = await cli([
      'publish',
      '--topic-arn',
      TopicArn,
      '--message',
      'from the cli',
      '--message-attributes',
      '{"k":{"DataType":"String","StringValue":"v"}}',
    ]);
    const { MessageId } = JSON.parse(published.stdout) as { MessageId: string };
    await deliver();
    const event = JSON.parse(rig.lambdaCalls[0]!.payload) as {
      Records: Array<{ EventSubscriptionArn: string; Sns: { MessageId: string } }>;
    };
    expect(event.Records[0]!.EventSubscriptionArn).toBe(SubscriptionArn);
    expect(event.Records[0]!.Sns.MessageId).toBe(MessageId);
    const listed = await cli(['list-subscriptions-by-topic', '--topic-arn', TopicArn]);
    expect((JSON.parse(listed.stdout) as { Subscriptions: unknown[] }).Subscriptions).toHaveLength(1);

    const missing = await cli(['get-topic-attributes', '--topic-arn', `${TopicArn}-nope`]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      'An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist',
    );
  });
});
