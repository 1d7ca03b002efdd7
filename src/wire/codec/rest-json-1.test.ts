/**
 * restJson1 codec checked through the real Lambda SDK v3 client (labels, query, headers, blob
 * payloads, status codes, modeled errors), against botocore's rest-json parser, and with a small
 * synthetic model for the bindings Lambda does not use (greedy labels, prefix headers, lists).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { ServiceError } from '../../kernel/service-error.js';
import { loadServiceModel, type ServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';
import {
  inProcessHandler,
  testClientConfig,
  type Exchange,
  type TestHandler,
} from '../../../test/support/codec-harness.js';
import { restJson1Codec } from './rest-json-1.js';

const lambdaModel = loadServiceModel('lambda');
const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:drain';
const bytes = (text: string) => new TextEncoder().encode(text);

function lambda(handler: TestHandler, log: Exchange[]) {
  return new LambdaClient({
    ...testClientConfig,
    requestHandler: inProcessHandler(restJson1Codec, lambdaModel, handler, log),
  });
}

function request(method: string, pathAndQuery: string, body = '', headers: Record<string, string> = {}): WireRequest {
  const [path = '/', query = ''] = pathAndQuery.split('?', 2);
  return { method, path, query: new URLSearchParams(query), headers, body: Buffer.from(body) };
}

function thrown(action: () => unknown): ServiceError {
  try {
    action();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
}

describe('restJson1 through the Lambda SDK client', () => {
  it('CreateFunction: a Code.ZipFile blob arrives as bytes; 201 and the configuration come back', async () => {
    const log: Exchange[] = [];
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x10]);
    const client = lambda(
      (call) => ({
        FunctionName: call.input.FunctionName,
        FunctionArn: functionArn,
        Runtime: 'nodejs20.x',
        MemorySize: 256,
        Timeout: 30,
        CodeSize: 7,
        LastModified: '2025-01-02T03:04:05.000+0000',
        Environment: { Variables: { MODE: 'test' } },
        State: 'Pending',
      }),
      log,
    );
    const input = {
      FunctionName: 'drain',
      Runtime: 'nodejs20.x' as const,
      Role: 'arn:aws:iam::123456789012:role/lambda',
      Handler: 'index.handler',
      Code: { ZipFile: zip },
      MemorySize: 256,
      Timeout: 30,
      Publish: true,
      Environment: { Variables: { MODE: 'test' } },
      Tags: { team: 'platform' },
      Architectures: ['arm64' as const],
    };
    const output = await client.send(new CreateFunctionCommand(input));
    expect(log[0]?.call?.operation.name).toBe('CreateFunction');
    expect(log[0]?.call?.input).toEqual(input);
    expect(log[0]?.response?.status).toBe(201);
    expect(output.$metadata.httpStatusCode).toBe(201);
    expect(output.FunctionArn).toBe(functionArn);
    expect(output.Environment).toEqual({ Variables: { MODE: 'test' } });
    expect(output.State).toBe('Pending');
  });

  it('Invoke: payload bytes, qualifier and invocation headers in; status, headers and payload out', async () => {
    const log: Exchange[] = [];
    const client = lambda(
      (call) => ({
        StatusCode: call.input.InvocationType === 'Event' ? 202 : 200,
        FunctionError: call.input.InvocationType === 'Event' ? undefined : 'Unhandled',
        LogResult: Buffer.from('START RequestId: 1\nEND').toString('base64'),
        ExecutedVersion: call.input.Qualifier,
        Payload: call.input.InvocationType === 'Event' ? undefined : bytes('{"errorMessage":"boom"}'),
      }),
      log,
    );
    const output = await client.send(
      new InvokeCommand({
        FunctionName: functionArn,
        Qualifier: '7',
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        ClientContext: Buffer.from('{"custom":{}}').toString('base64'),
        Payload: bytes('{"detail":{"EC2InstanceId":"i-1"}}'),
      }),
    );
    expect(log[0]?.call?.operation.name).toBe('Invoke');
    expect(log[0]?.call?.input).toEqual({
      FunctionName: functionArn,
      Qualifier: '7',
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      ClientContext: Buffer.from('{"custom":{}}').toString('base64'),
      Payload: bytes('{"detail":{"EC2InstanceId":"i-1"}}'),
    });
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(Buffer.from(output.LogResult ?? '', 'base64').toString()).toBe('START RequestId: 1\nEND');
    expect(output.ExecutedVersion).toBe('7');
    expect(new TextDecoder().decode(output.Payload)).toBe('{"errorMessage":"boom"}');
    expect(log[0]?.response?.headers['x-amz-function-error']).toBe('Unhandled');

    const event = await client.send(new InvokeCommand({ FunctionName: 'drain', InvocationType: 'Event' }));
    expect(event.StatusCode).toBe(202);
    expect(event.$metadata.httpStatusCode).toBe(202);
    expect(event.FunctionError).toBeUndefined();
    expect(log[1]?.call?.input).toEqual({ FunctionName: 'drain', InvocationType: 'Event' });
  });

  it('GetFunction: the path label is percent-decoded (an ARN with colons)', async () => {
    const log: Exchange[] = [];
    const client = lambda(
      () => ({
        Configuration: { FunctionName: 'drain', FunctionArn: functionArn, Version: '$LATEST' },
        Code: { RepositoryType: 'S3', Location: 'https://example.invalid/code.zip' },
        Tags: { team: 'platform' },
      }),
      log,
    );
    const output = await client.send(new GetFunctionCommand({ FunctionName: functionArn, Qualifier: '$LATEST' }));
    expect(log[0]?.request?.path).toContain('%3A');
    expect(log[0]?.call?.operation.name).toBe('GetFunction');
    expect(log[0]?.call?.input).toEqual({ FunctionName: functionArn, Qualifier: '$LATEST' });
    expect(output.Configuration?.FunctionArn).toBe(functionArn);
    expect(output.Tags).toEqual({ team: 'platform' });
  });

  it('ListFunctions: query parameters MaxItems (an integer) and Marker', async () => {
    const log: Exchange[] = [];
    const client = lambda(
      () => ({ Functions: [{ FunctionName: 'drain' }, { FunctionName: 'hook' }], NextMarker: 'm2' }),
      log,
    );
    const output = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: 'm1' }));
    expect(log[0]?.call?.operation.name).toBe('ListFunctions');
    expect(log[0]?.call?.input).toEqual({ MaxItems: 2, Marker: 'm1' });
    expect(output.Functions?.map((f) => f.FunctionName)).toEqual(['drain', 'hook']);
    expect(output.NextMarker).toBe('m2');
  });

  it('AddPermission: label + query + JSON body members, 201', async () => {
    const log: Exchange[] = [];
    const statement = JSON.stringify({ Sid: 'events', Effect: 'Allow' });
    const client = lambda(() => ({ Statement: statement }), log);
    const output = await client.send(
      new AddPermissionCommand({
        FunctionName: 'drain',
        Qualifier: 'live',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:123456789012:rule/drain',
      }),
    );
    expect(log[0]?.call?.operation.name).toBe('AddPermission');
    expect(log[0]?.call?.input).toEqual({
      FunctionName: 'drain',
      Qualifier: 'live',
      StatementId: 'events',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: 'arn:aws:events:us-east-1:123456789012:rule/drain',
    });
    expect(log[0]?.response?.status).toBe(201);
    expect(output.Statement).toBe(statement);
  });

  it('UntagResource: a list query parameter repeats its key; 204 with an empty body', async () => {
    const log: Exchange[] = [];
    const client = lambda(() => undefined, log);
    await client.send(new UntagResourceCommand({ Resource: functionArn, TagKeys: ['team', 'a,b'] }));
    expect(log[0]?.call?.input).toEqual({ Resource: functionArn, TagKeys: ['team', 'a,b'] });
    expect(log[0]?.response?.status).toBe(204);
    expect(log[0]?.response?.body).toBe('');
  });

  it('ResourceNotFoundException: modeled 404, Type User, Message casing of the shape', async () => {
    const log: Exchange[] = [];
    const client = lambda(() => {
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn}`);
    }, log);
    const error = await client.send(new GetFunctionCommand({ FunctionName: 'drain' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const sdkError = error as ResourceNotFoundException;
    expect(sdkError.name).toBe('ResourceNotFoundException');
    expect(sdkError.message).toBe(`Function not found: ${functionArn}`);
    expect(sdkError.Type).toBe('User');
    expect(sdkError.$fault).toBe('client');
    expect(sdkError.$metadata.httpStatusCode).toBe(404);
    expect(log[0]?.response?.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(JSON.parse(log[0]!.response!.body)).toEqual({ Type: 'User', Message: `Function not found: ${functionArn}` });
  });

  it('TooManyRequestsException: 429, a header-bound member and lower-case message', async () => {
    const log: Exchange[] = [];
    const client = lambda(() => {
      throw new ServiceError('TooManyRequestsException', 'Rate exceeded', {
        fields: { retryAfterSeconds: '3', Reason: 'ConcurrentInvocationLimitExceeded' },
      });
    }, log);
    const error = (await client
      .send(new InvokeCommand({ FunctionName: 'drain' }))
      .catch((e: unknown) => e)) as TooManyRequestsException;
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.message).toBe('Rate exceeded');
    expect(error.retryAfterSeconds).toBe('3');
    expect(error.Reason).toBe('ConcurrentInvocationLimitExceeded');
    expect(log[0]?.response?.headers['retry-after']).toBe('3');
    expect(JSON.parse(log[0]!.response!.body)).toEqual({
      Type: 'User',
      message: 'Rate exceeded',
      Reason: 'ConcurrentInvocationLimitExceeded',
    });
  });

  it('a server-side modeled error is Type Service with its modeled status', async () => {
    const log: Exchange[] = [];
    const client = lambda(() => {
      throw new ServiceError('ServiceException', 'The AWS Lambda service encountered an internal error.');
    }, log);
    const error = (await client.send(new ListFunctionsCommand({})).catch((e: unknown) => e)) as {
      name: string;
      $fault: string;
      $metadata: { httpStatusCode: number };
      Type: string;
    };
    expect(error.name).toBe('ServiceException');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.Type).toBe('Service');
  });
});

describe('restJson1 routing', () => {
  const parse = (req: WireRequest) => restJson1Codec.parse(req, lambdaModel);

  it('literal query parts in the requestUri pick the more specific operation', () => {
    expect(parse(request('GET', '/2018-10-31/layers')).operation.name).toBe('ListLayers');
    const byArn = parse(
      request('GET', '/2018-10-31/layers?find=LayerVersion&Arn=arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Alayer%3Al%3A1'),
    );
    expect(byArn.operation.name).toBe('GetLayerVersionByArn');
    expect(byArn.input).toEqual({ Arn: 'arn:aws:lambda:us-east-1:1:layer:l:1' });
    expect(parse(request('GET', '/2019-09-30/functions/f/provisioned-concurrency?List=ALL')).operation.name).toBe(
      'ListProvisionedConcurrencyConfigs',
    );
    expect(parse(request('GET', '/2019-09-30/functions/f/provisioned-concurrency?Qualifier=1')).operation.name).toBe(
      'GetProvisionedConcurrencyConfig',
    );
  });

  it('the method selects among operations sharing a path; a trailing slash is accepted', () => {
    expect(parse(request('GET', '/2015-03-31/functions/')).operation.name).toBe('ListFunctions');
    expect(parse(request('POST', '/2015-03-31/functions', '{"FunctionName":"f"}')).operation.name).toBe(
      'CreateFunction',
    );
    expect(parse(request('DELETE', '/2015-03-31/functions/f')).operation.name).toBe('DeleteFunction');
    const versioned = parse(request('GET', '/2018-10-31/layers/base/versions/12'));
    expect(versioned.operation.name).toBe('GetLayerVersion');
    expect(versioned.input).toEqual({ LayerName: 'base', VersionNumber: 12 });
  });

  it('an unknown path or method is UnknownOperationException, answered as Coral does: 404', () => {
    for (const req of [
      request('GET', '/2015-03-31/nothing-here'),
      request('PATCH', '/2015-03-31/functions/f'),
      request('GET', '/'),
    ]) {
      const error = thrown(() => parse(req));
      expect(error.code).toBe('UnknownOperationException');
      expect(error.httpStatus).toBe(404);
      const response = restJson1Codec.serializeError(lambdaModel, undefined, error, 'r-1');
      expect(response.status).toBe(404);
      expect(response.body).toBe('<UnknownOperationException/>\n');
      expect(response.headers['x-amzn-errortype']).toBe('UnknownOperationException');
      expect(response.headers['x-amzn-requestid']).toBe('r-1');
    }
  });

  it('malformed JSON and wrong-type members are InvalidRequestContentException naming the member', () => {
    const malformed = thrown(() => parse(request('POST', '/2015-03-31/functions', '{"FunctionName":')));
    expect(malformed.code).toBe('InvalidRequestContentException');
    expect(malformed.httpStatus).toBe(400);
    expect(malformed.message).toContain('Could not parse request body into json');

    const wrong = thrown(() => parse(request('POST', '/2015-03-31/functions', '{"FunctionName":"f","Timeout":"30"}')));
    expect(wrong.code).toBe('InvalidRequestContentException');
    expect(wrong.message).toContain("'Timeout'");

    const nested = thrown(() =>
      parse(request('POST', '/2015-03-31/functions', '{"FunctionName":"f","Environment":{"Variables":{"A":1}}}')),
    );
    expect(nested.message).toContain("'Environment.Variables.A'");

    const query = thrown(() => parse(request('GET', '/2015-03-31/functions?MaxItems=ten')));
    expect(query.code).toBe('InvalidRequestContentException');
    expect(query.message).toContain("'MaxItems'");
  });

  it('an unmodeled error gets Type and a lower-case message key', () => {
    const response = restJson1Codec.serializeError(
      lambdaModel,
      lambdaModel.operations.ListFunctions,
      new ServiceError('NotImplemented', 'drydock does not implement Lambda operation X yet.', {
        httpStatus: 501,
        fault: 'server',
      }),
      'r-2',
    );
    expect(response.status).toBe(501);
    expect(response.headers['x-amzn-errortype']).toBe('NotImplemented');
    expect(JSON.parse(response.body as string)).toEqual({
      Type: 'Service',
      message: 'drydock does not implement Lambda operation X yet.',
    });
  });
});

/** Bindings Lambda does not exercise, on a minimal restJson1 model shaped like botocore's. */
const syntheticModel: ServiceModel = {
  metadata: {
    apiVersion: '2020-01-01',
    endpointPrefix: 'objects',
    protocol: 'rest-json',
    serviceId: 'Objects',
    serviceFullName: 'Synthetic objects',
  },
  operations: {
    GetObject: {
      name: 'GetObject',
      http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' },
      input: { shape: 'GetObjectRequest' },
      output: { shape: 'GetObjectOutput' },
    },
    ListUploads: {
      name: 'ListUploads',
      http: { method: 'GET', requestUri: '/{Bucket}/{Key+}?uploads' },
      input: { shape: 'GetObjectRequest' },
      output: { shape: 'GetObjectOutput' },
    },
  },
  shapes: {
    GetObjectRequest: {
      type: 'structure',
      required: ['Bucket', 'Key'],
      members: {
        Bucket: { shape: 'String', location: 'uri', locationName: 'Bucket' },
        Key: { shape: 'String', location: 'uri', locationName: 'Key' },
        IfModifiedSince: { shape: 'Time', location: 'header', locationName: 'If-Modified-Since' },
        Ids: { shape: 'IntList', location: 'header', locationName: 'X-Ids' },
        Names: { shape: 'StringList', location: 'header', locationName: 'X-Names' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Flag: { shape: 'Boolean', location: 'querystring', locationName: 'flag' },
        Since: { shape: 'Time', location: 'querystring', locationName: 'since' },
        Rest: { shape: 'StringMap', location: 'querystring' },
      },
    },
    GetObjectOutput: {
      type: 'structure',
      payload: 'Body',
      members: {
        LastModified: { shape: 'Time', location: 'header', locationName: 'Last-Modified' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Body: { shape: 'Document' },
      },
    },
    Document: { type: 'structure', members: { Size: { shape: 'Integer' }, At: { shape: 'Time' } } },
    String: { type: 'string' },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    Time: { type: 'timestamp' },
    IntList: { type: 'list', member: { shape: 'Integer' } },
    StringList: { type: 'list', member: { shape: 'String' } },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
  },
};

describe('restJson1 bindings on a synthetic model', () => {
  it('greedy labels, header lists, prefix headers, typed query and a query map', () => {
    const call = restJson1Codec.parse(
      request('GET', '/bucket/photos/2025/a%20b.jpg?flag=true&since=2025-01-02T03:04:05Z&color=red', '', {
        'if-modified-since': 'Thu, 02 Jan 2025 03:04:05 GMT',
        'x-ids': '1, 2,3',
        'x-names': 'plain, "with, comma", "quoted \\"x\\""',
        'x-meta-owner': 'ops',
        'x-meta-tier': 'gold',
      }),
      syntheticModel,
    );
    expect(call.operation.name).toBe('GetObject');
    expect(call.input).toEqual({
      Bucket: 'bucket',
      Key: 'photos/2025/a b.jpg',
      IfModifiedSince: new Date('2025-01-02T03:04:05Z'),
      Ids: [1, 2, 3],
      Names: ['plain', 'with, comma', 'quoted "x"'],
      Meta: { owner: 'ops', tier: 'gold' },
      Flag: true,
      Since: new Date('2025-01-02T03:04:05Z'),
      Rest: { color: 'red' },
    });
    const uploads = restJson1Codec.parse(request('GET', '/bucket/photos/a.jpg?uploads'), syntheticModel);
    expect(uploads.operation.name).toBe('ListUploads');
    expect(uploads.input).toEqual({ Bucket: 'bucket', Key: 'photos/a.jpg' });
  });

  it('a structure payload is the JSON body; timestamp headers are RFC 822; prefix headers go out', () => {
    const response = restJson1Codec.serialize(
      syntheticModel,
      syntheticModel.operations.GetObject!,
      {
        LastModified: new Date('2025-01-02T03:04:05Z'),
        Meta: { owner: 'ops' },
        Body: { Size: 3, At: new Date('2025-01-02T03:04:05.5Z') },
      },
      'r-3',
    );
    expect(response.status).toBe(200);
    expect(response.headers['last-modified']).toBe('Thu, 02 Jan 2025 03:04:05 GMT');
    expect(response.headers['x-meta-owner']).toBe('ops');
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body as string)).toEqual({ Size: 3, At: 1735787045.5 });
  });
});

describe('botocore (the AWS CLI) reads the Lambda responses', () => {
  it('parses Invoke (status, headers, payload) and a modeled error', () => {
    const invoke = restJson1Codec.serialize(
      lambdaModel,
      lambdaModel.operations.Invoke!,
      { StatusCode: 200, FunctionError: 'Handled', ExecutedVersion: '$LATEST', Payload: bytes('{"r":1}') },
      'req-1',
    );
    const notFound = restJson1Codec.serializeError(
      lambdaModel,
      lambdaModel.operations.GetFunction,
      new ServiceError('ResourceNotFoundException', 'Function not found: drain'),
      'req-2',
    );
    const toJson = (r: typeof invoke) => ({
      status: r.status,
      headers: r.headers,
      body: Buffer.from(r.body).toString('base64'),
    });
    const cases = [
      { operation: 'Invoke', response: toJson(invoke) },
      { operation: 'GetFunction', response: toJson(notFound) },
    ];
    const script = `
import base64, json, sys
import botocore.session, botocore.parsers
from botocore.awsrequest import HeadersDict  # case-insensitive, as on a real HTTP response
model = botocore.session.get_session().get_service_model('lambda')
out = []
for case in json.load(sys.stdin):
    op = model.operation_model(case['operation'])
    r = case['response']
    parsed = botocore.parsers.create_parser('rest-json').parse(
        {'status_code': r['status'], 'headers': HeadersDict(r['headers']), 'body': base64.b64decode(r['body'])}, op.output_shape)
    if isinstance(parsed.get('Payload'), bytes):
        parsed['Payload'] = parsed['Payload'].decode()
    parsed.pop('ResponseMetadata', None)
    out.append(parsed)
print(json.dumps(out))
`;
    const stdout = execFileSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
    const [invoked, error] = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(invoked).toEqual({
      StatusCode: 200,
      FunctionError: 'Handled',
      ExecutedVersion: '$LATEST',
      Payload: '{"r":1}',
    });
    expect(error?.Error).toEqual({ Code: 'ResourceNotFoundException', Message: 'Function not found: drain' });
  });
});
