/**
 * SQS's awsQuery protocol: the form requests older SDKs send decode to the same input the JSON
 * protocol gives (flattened `Attribute.N.Name/Value`, `MessageAttribute.N.Value.StringValue`,
 * `AttributeName.N`), a queue addressed by its URL path gets `QueueUrl` from it, answers are
 * `<OpResponse><OpResult>` XML with SQS's element names, errors carry SQS's query codes, and the
 * gateway's routing sends such requests to the query twin of the model.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../kernel/service-error.js';
import { loadQueryTwinModel, loadServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';
import { routeService } from '../routing.js';
import { servingOf } from '../service-catalog.js';
import { awsJsonCodec } from './aws-json.js';
import { queueUrlOfPath, sqsQueryCodec } from './sqs-query.js';

const model = loadQueryTwinModel('sqs')!;

function form(body: string, path = '/', headers: Record<string, string> = {}): WireRequest {
  return {
    method: 'POST',
    path,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: '127.0.0.1:4566', ...headers },
    body: Buffer.from(body),
  };
}

describe('the SQS query twin model', () => {
  it('is the JSON model with query names and the query protocol', () => {
    const json = loadServiceModel('sqs');
    expect(model.metadata.protocol).toBe('query');
    expect(model.metadata.xmlNamespace).toBe('http://queue.amazonaws.com/doc/2012-11-05/');
    expect(Object.keys(model.operations)).toEqual(Object.keys(json.operations));
    // The JSON model keeps member names as JSON keys: a locationName there would rename them.
    expect(json.shapes.SendMessageRequest).toMatchObject({
      members: { MessageAttributes: { shape: 'MessageBodyAttributeMap' } },
    });
    expect(
      (json.shapes.SendMessageRequest as { members: Record<string, object> }).members.MessageAttributes,
    ).not.toHaveProperty('locationName');
  });
});

describe('sqs-query codec', () => {
  it('decodes SendMessage with message attributes, and takes QueueUrl from the path', () => {
    const call = sqsQueryCodec.parse(
      form(
        'Action=SendMessage&Version=2012-11-05&MessageBody=hello+world&DelaySeconds=3' +
          '&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red' +
          '&MessageAttribute.2.Name=raw&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AQID',
        '/000000000000/jobs',
      ),
      model,
    );
    expect(call.operation.name).toBe('SendMessage');
    expect(call.input).toEqual({
      QueueUrl: 'http://127.0.0.1:4566/000000000000/jobs',
      MessageBody: 'hello world',
      DelaySeconds: 3,
      MessageAttributes: {
        color: { DataType: 'String', StringValue: 'red' },
        raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
      },
    });
  });

  it('keeps an explicit QueueUrl and leaves operations without one alone', () => {
    const call = sqsQueryCodec.parse(
      form('Action=PurgeQueue&QueueUrl=http%3A%2F%2Fother%2F000000000000%2Fq', '/000000000000/jobs'),
      model,
    );
    expect(call.input).toEqual({ QueueUrl: 'http://other/000000000000/q' });
    expect(sqsQueryCodec.parse(form('Action=ListQueues&QueueNamePrefix=j', '/000000000000/jobs'), model).input).toEqual(
      {
        QueueNamePrefix: 'j',
      },
    );
  });

  it('decodes attribute maps, attribute name lists, batch entries and tags', () => {
    expect(
      sqsQueryCodec.parse(
        form(
          'Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40' +
            '&Attribute.2.Name=DelaySeconds&Attribute.2.Value=1&Tag.1.Key=team&Tag.1.Value=infra',
        ),
        model,
      ).input,
    ).toEqual({ QueueName: 'q', Attributes: { VisibilityTimeout: '40', DelaySeconds: '1' }, tags: { team: 'infra' } });
    expect(
      sqsQueryCodec.parse(
        form(
          'Action=ReceiveMessage&QueueUrl=u&AttributeName.1=All&MessageAttributeName.1=color&MaxNumberOfMessages=5&WaitTimeSeconds=20',
        ),
        model,
      ).input,
    ).toEqual({
      QueueUrl: 'u',
      AttributeNames: ['All'],
      MessageAttributeNames: ['color'],
      MaxNumberOfMessages: 5,
      WaitTimeSeconds: 20,
    });
    expect(
      sqsQueryCodec.parse(
        form(
          'Action=DeleteMessageBatch&QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=h1' +
            '&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=h2',
        ),
        model,
      ).input,
    ).toEqual({
      QueueUrl: 'u',
      Entries: [
        { Id: 'a', ReceiptHandle: 'h1' },
        { Id: 'b', ReceiptHandle: 'h2' },
      ],
    });
    expect(sqsQueryCodec.parse(form('Action=UntagQueue&QueueUrl=u&TagKey.1=a&TagKey.2=b'), model).input).toEqual({
      QueueUrl: 'u',
      TagKeys: ['a', 'b'],
    });
  });

  it('writes ReceiveMessage as SQS does: flattened <Message>, <Attribute> and <MessageAttribute>', () => {
    const response = sqsQueryCodec.serialize(
      model,
      model.operations.ReceiveMessage!,
      {
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'rh',
            MD5OfBody: 'abc',
            Body: '<b>&',
            Attributes: { SentTimestamp: '1', ApproximateReceiveCount: '2' },
            MD5OfMessageAttributes: 'def',
            MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
          },
        ],
      },
      'req-1',
    );
    expect(response.status).toBe(200);
    expect(response.body).toBe(
      // Members in the model's (alphabetical) order; XML parsers read them by name.
      '<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>' +
        '<Message><Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>2</Value></Attribute>' +
        '<Body>&lt;b&gt;&amp;</Body><MD5OfBody>abc</MD5OfBody>' +
        '<MD5OfMessageAttributes>def</MD5OfMessageAttributes><MessageAttribute><Name>color</Name>' +
        '<Value><DataType>String</DataType><StringValue>red</StringValue></Value></MessageAttribute>' +
        '<MessageId>m-1</MessageId><ReceiptHandle>rh</ReceiptHandle></Message>' +
        '</ReceiveMessageResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ReceiveMessageResponse>',
    );
  });

  it('writes list results flattened (<QueueUrl> per queue) and void operations without a result', () => {
    expect(
      sqsQueryCodec.serialize(model, model.operations.ListQueues!, { QueueUrls: ['u1', 'u2'] }, 'r').body,
    ).toContain('<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>');
    expect(sqsQueryCodec.serialize(model, model.operations.DeleteMessage!, undefined, 'r').body).toBe(
      '<DeleteMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ResponseMetadata>' +
        '<RequestId>r</RequestId></ResponseMetadata></DeleteMessageResponse>',
    );
  });

  it('answers errors with SQS query codes', () => {
    const response = sqsQueryCodec.serializeError(
      model,
      undefined,
      new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.'),
      'r',
    );
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
    const invalid = sqsQueryCodec.serializeError(
      model,
      undefined,
      new ServiceError('ReceiptHandleIsInvalid', 'x'),
      'r',
    );
    expect(invalid.status).toBe(404);
    expect(invalid.body).toContain('<Code>ReceiptHandleIsInvalid</Code>');
  });

  it('reads the queue URL only from an SQS-shaped path', () => {
    expect(queueUrlOfPath(form('', '/123456789012/my-queue.fifo'))).toBe(
      'http://127.0.0.1:4566/123456789012/my-queue.fifo',
    );
    expect(queueUrlOfPath(form('', '/'))).toBeUndefined();
    expect(queueUrlOfPath(form('', '/2015-03-31/functions'))).toBeUndefined();
  });
});

describe('routing SQS requests', () => {
  it('routes by Version and by queue URL path when the request is unsigned', () => {
    expect(routeService({ path: '/', version: () => '2012-11-05' })).toBe('sqs');
    expect(routeService({ path: '/000000000000/jobs', version: () => undefined })).toBe('sqs');
    expect(routeService({ path: '/', target: 'amazonsqs.listqueues' })).toBe('sqs');
  });

  it('serves a form request with the query twin and a JSON request with the JSON model', () => {
    const query = servingOf('sqs', form('Action=ListQueues'), () => 'ListQueues');
    expect(query.codec).toBe(sqsQueryCodec);
    expect(query.model.metadata.protocol).toBe('query');
    const json = servingOf(
      'sqs',
      { ...form('{}'), headers: { 'x-amz-target': 'AmazonSQS.ListQueues' } },
      () => undefined,
    );
    expect(json.codec).toBe(awsJsonCodec);
    expect(json.model.metadata.protocol).toBe('json');
    // Other services are served by their own model whatever the request looks like.
    expect(servingOf('sns', form('Action=ListTopics'), () => 'ListTopics').model.metadata.protocol).toBe('query');
  });
});
