/**
 * SQS's awsQuery protocol: what older SDKs (aws-sdk-js v2, boto3 before SQS moved to JSON, the
 * Java v1 SDK) and hand-written clients send: `Action=SendMessage&Version=2012-11-05&…` as a
 * form POST or a query string, often to the queue URL itself with no `QueueUrl` parameter
 * (the SQS query API reference addresses queues that way). It is the awsQuery codec over the
 * query twin of SQS's model (models/sqs-query.json: `Attribute.N.Name`, `MessageAttribute.N.Value.
 * StringValue`, `<ReceiveMessageResult><Message>…`), plus the queue URL taken from the path.
 */
import { awsQueryCodec } from './aws-query.js';
import type { Codec, ParsedCall, WireRequest } from '../protocol.js';
import type { ServiceModel } from '../model.js';

/** `/<12-digit account id>/<queue name>`, as SQS queue URLs are laid out. */
const QUEUE_PATH = /^\/(\d{12})\/([\w.-]{1,80})\/?$/;

function parse(request: WireRequest, model: ServiceModel): ParsedCall {
  const call = awsQueryCodec.parse(request, model);
  const queueUrl = queueUrlOfPath(request);
  if (queueUrl !== undefined && call.input.QueueUrl === undefined && call.operation.input) {
    const input = model.shapes[call.operation.input.shape];
    if (input?.type === 'structure' && input.members.QueueUrl) call.input.QueueUrl = queueUrl;
  }
  return call;
}

/** The queue URL a request addressed by its path, on the host it was sent to. */
export function queueUrlOfPath(request: WireRequest): string | undefined {
  const match = QUEUE_PATH.exec(request.path);
  if (!match) return undefined;
  const host = request.headers.host ?? 'localhost';
  return `http://${host}/${match[1]}/${match[2]}`;
}

export const sqsQueryCodec: Codec = {
  parse,
  serialize: awsQueryCodec.serialize,
  serializeError: awsQueryCodec.serializeError,
};
