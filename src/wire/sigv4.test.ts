/**
 * SigV4 verification against requests signed by real clients: the AWS SDK v3 clients, boto3 /
 * botocore and the AWS CLI v1, each sending over a real socket to a capturing HTTP server, so the
 * bytes checked are the bytes a gateway receives. Tampering with any signed part must fail.
 */
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { GetFunctionCommand, InvokeCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import type { WireRequest } from './protocol.js';
import { parseAuthorization, verifySignature, type SigV4Credential } from './sigv4.js';

const run = promisify(execFile);
const ACCESS_KEY = 'AKIDDRYDOCKTEST01';
const SECRET = 'dryd0ck/secret+key=example';

// ---------------------------------------------------------------------------------------------
// A real HTTP server that records requests as the gateway will see them.

let server: http.Server;
let endpoint = '';
const captured: WireRequest[] = [];

function toWireRequest(method: string, url: string, headers: http.IncomingHttpHeaders, body: Buffer): WireRequest {
  const mark = url.indexOf('?');
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method,
    path: mark < 0 ? url : url.slice(0, mark),
    query: new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1)),
    headers: flat,
    body,
  };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured.push(toWireRequest(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs `send`, ignoring whatever the client makes of our stub response, and returns what arrived. */
async function capture(send: () => Promise<unknown>): Promise<WireRequest> {
  const before = captured.length;
  await send().catch(() => undefined);
  expect(captured.length).toBe(before + 1);
  return captured[captured.length - 1]!;
}

const sdkConfig = (sessionToken?: string) => ({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, ...(sessionToken ? { sessionToken } : {}) },
  maxAttempts: 1,
});

function withBody(request: WireRequest, body: string): WireRequest {
  return { ...request, body: Buffer.from(body) };
}

function withHeader(request: WireRequest, name: string, value: string): WireRequest {
  return { ...request, headers: { ...request.headers, [name]: value } };
}

async function expectVerifies(request: WireRequest, region: string, service: string): Promise<SigV4Credential> {
  const credential = parseAuthorization(request);
  expect(credential).toBeDefined();
  expect(credential!.accessKeyId).toBe(ACCESS_KEY);
  expect(credential!.region).toBe(region);
  expect(credential!.service).toBe(service);
  expect(await verifySignature(request, credential!, SECRET)).toBe(true);
  expect(await verifySignature(request, credential!, `${SECRET}x`)).toBe(false);
  return credential!;
}

// ---------------------------------------------------------------------------------------------

describe('requests signed by the AWS SDK v3', () => {
  it('accepts an awsQuery POST form body (Auto Scaling) and rejects a changed body', async () => {
    const client = new AutoScalingClient(sdkConfig());
    const request = await capture(() =>
      client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web asg', 'w/ü'] })),
    );
    expect(request.method).toBe('POST');
    expect(request.body.toString()).toContain('Action=DescribeAutoScalingGroups');
    const credential = await expectVerifies(request, 'us-east-1', 'autoscaling');
    const tampered = withBody(request, request.body.toString().replace('web', 'bad'));
    expect(await verifySignature(tampered, credential, SECRET)).toBe(false);
  });

  it('accepts an awsJson POST (ECS) and rejects a changed signed header', async () => {
    const client = new ECSClient(sdkConfig());
    const request = await capture(() => client.send(new ListClustersCommand({ maxResults: 5 })));
    expect(request.headers['x-amz-target']).toBe('AmazonEC2ContainerServiceV20141113.ListClusters');
    const credential = await expectVerifies(request, 'us-east-1', 'ecs');
    expect(credential.signedHeaders).toContain('x-amz-target');
    const tampered = withHeader(request, 'x-amz-target', 'AmazonEC2ContainerServiceV20141113.DeleteCluster');
    expect(await verifySignature(tampered, credential, SECRET)).toBe(false);
    // An unsigned header may change freely, as on AWS.
    expect(await verifySignature(withHeader(request, 'x-forwarded-for', '10.0.0.1'), credential, SECRET)).toBe(true);
  });

  it('accepts a restJson GET with query parameters and a percent-encoded path label (Lambda)', async () => {
    const client = new LambdaClient(sdkConfig());
    const request = await capture(() =>
      client.send(
        new ListVersionsByFunctionCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn',
          Marker: 'a b/c+d=e',
          MaxItems: 5,
        }),
      ),
    );
    expect(request.method).toBe('GET');
    expect(request.path).toBe(
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/versions',
    );
    expect(request.query.get('Marker')).toBe('a b/c+d=e');
    const credential = await expectVerifies(request, 'us-east-1', 'lambda');
    const query = new URLSearchParams(request.query);
    query.set('MaxItems', '50');
    expect(await verifySignature({ ...request, query }, credential, SECRET)).toBe(false);
    const path = request.path.replace('my-fn', 'other-fn');
    expect(await verifySignature({ ...request, path }, credential, SECRET)).toBe(false);
  });

  it('accepts a restJson POST to an escaped label with a binary payload (Lambda Invoke)', async () => {
    const client = new LambdaClient(sdkConfig());
    const request = await capture(() =>
      client.send(new InvokeCommand({ FunctionName: 'my-fn:live', Payload: new TextEncoder().encode('{"a":1}') })),
    );
    expect(request.path).toBe('/2015-03-31/functions/my-fn%3Alive/invocations');
    const credential = await expectVerifies(request, 'us-east-1', 'lambda');
    expect(await verifySignature(withBody(request, '{"a":2}'), credential, SECRET)).toBe(false);
  });

  it('checks the session token of temporary credentials', async () => {
    const client = new LambdaClient({ ...sdkConfig('session-token-1'), region: 'eu-west-1' });
    const request = await capture(() => client.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: '7' })));
    const credential = parseAuthorization(request)!;
    expect(credential.region).toBe('eu-west-1');
    expect(credential.sessionToken).toBe('session-token-1');
    expect(credential.signedHeaders).toContain('x-amz-security-token');
    expect(await verifySignature(request, credential, SECRET, 'session-token-1')).toBe(true);
    expect(await verifySignature(request, credential, SECRET, 'session-token-2')).toBe(false);
    const swapped = withHeader(request, 'x-amz-security-token', 'session-token-2');
    const swappedCredential = parseAuthorization(swapped)!;
    expect(await verifySignature(swapped, swappedCredential, SECRET, 'session-token-2')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const pythonEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: ACCESS_KEY,
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_MAX_ATTEMPTS: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Runs a boto3 call against the capturing server; the stub response may not parse. */
async function boto3(service: string, region: string, call: string): Promise<WireRequest> {
  const script = [
    'import boto3, sys',
    `c = boto3.client(${JSON.stringify(service)}, endpoint_url=sys.argv[1], region_name=${JSON.stringify(region)})`,
    'try:',
    `    c.${call}`,
    'except Exception:',
    '    pass',
  ].join('\n');
  return capture(() => run('python3', ['-c', script, endpoint], { env: pythonEnv }));
}

describe('requests signed by botocore (boto3 and the AWS CLI v1)', () => {
  it('accepts an awsQuery POST form body', async () => {
    const request = await boto3(
      'autoscaling',
      'us-east-1',
      "describe_auto_scaling_groups(AutoScalingGroupNames=['web asg', 'w/\\u00fc'])",
    );
    expect(request.body.toString()).toContain('Action=DescribeAutoScalingGroups');
    const credential = await expectVerifies(request, 'us-east-1', 'autoscaling');
    expect(await verifySignature(withBody(request, `${request.body.toString()}&x=1`), credential, SECRET)).toBe(false);
  });

  it('accepts an awsJson POST', async () => {
    const request = await boto3('ecs', 'us-west-2', 'list_clusters(maxResults=5)');
    expect(request.headers['x-amz-target']).toBe('AmazonEC2ContainerServiceV20141113.ListClusters');
    const credential = await expectVerifies(request, 'us-west-2', 'ecs');
    expect(await verifySignature(withBody(request, '{"maxResults":6}'), credential, SECRET)).toBe(false);
  });

  it('accepts a restJson GET with query parameters and a percent-encoded path label', async () => {
    const request = await boto3(
      'lambda',
      'us-east-1',
      "list_versions_by_function(FunctionName='arn:aws:lambda:us-east-1:123456789012:function:my-fn', Marker='a b/c+d=e', MaxItems=5)",
    );
    expect(request.path).toBe(
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/versions',
    );
    expect(request.query.get('Marker')).toBe('a b/c+d=e');
    const credential = await expectVerifies(request, 'us-east-1', 'lambda');
    const query = new URLSearchParams(request.query);
    query.set('Marker', 'other');
    expect(await verifySignature({ ...request, query }, credential, SECRET)).toBe(false);
  });

  it('accepts a restJson POST to an escaped label (Invoke)', async () => {
    const request = await boto3('lambda', 'us-east-1', "invoke(FunctionName='my-fn:live', Payload=b'{\"a\":1}')");
    expect(request.path).toBe('/2015-03-31/functions/my-fn%3Alive/invocations');
    const credential = await expectVerifies(request, 'us-east-1', 'lambda');
    expect(await verifySignature(withBody(request, '{"a":2}'), credential, SECRET)).toBe(false);
  });

  it('accepts the AWS CLI v1', async () => {
    const request = await capture(() =>
      run(
        'aws',
        [
          'lambda',
          'get-function',
          '--function-name',
          'arn:aws:lambda:us-east-1:123456789012:function:my-fn',
          '--qualifier',
          'live',
          '--endpoint-url',
          endpoint,
        ],
        { env: pythonEnv },
      ),
    );
    expect(request.path).toBe('/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn');
    expect(request.query.get('Qualifier')).toBe('live');
    await expectVerifies(request, 'us-east-1', 'lambda');
  });
});

// ---------------------------------------------------------------------------------------------

/** node:crypto SHA-256 in the shape the SDK signer takes, for signing directly in tests. */
class TestSha256 {
  private hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret === undefined) this.hash = createHash('sha256');
    else if (typeof secret === 'string') this.hash = createHmac('sha256', secret);
    else if (secret instanceof ArrayBuffer) this.hash = createHmac('sha256', new Uint8Array(secret));
    else this.hash = createHmac('sha256', new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength));
  }
  update(data: Uint8Array) {
    this.hash.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset() {}
}

function presigner(service: string, region: string, sessionToken?: string) {
  return new SignatureV4({
    service,
    region,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, ...(sessionToken ? { sessionToken } : {}) },
    sha256: TestSha256,
  });
}

function wireFromSmithy(request: {
  method: string;
  path: string;
  headers: Record<string, string>;
  query?: Record<string, string | string[] | null>;
}): WireRequest {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) query.append(name, v);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: request.method, path: request.path, query, headers, body: Buffer.alloc(0) };
}

describe('presigned query form', () => {
  const unsigned = {
    method: 'GET',
    protocol: 'http:',
    hostname: 'localhost',
    port: 4566,
    path: '/2015-03-31/functions/my-fn%3Alive/configuration',
    query: { Qualifier: 'live' },
    headers: { host: 'localhost:4566' },
  };

  it('parses and verifies a URL presigned by the SDK signer', async () => {
    const signed = await presigner('lambda', 'ap-south-1', 'tok-1').presign(unsigned, {
      signingDate: new Date('2026-11-22T10:11:12Z'),
      expiresIn: 900,
    });
    const request = wireFromSmithy(signed);
    const credential = parseAuthorization(request)!;
    expect(credential).toEqual({
      accessKeyId: ACCESS_KEY,
      date: '20261122',
      region: 'ap-south-1',
      service: 'lambda',
      signedHeaders: ['host'],
      signature: request.query.get('X-Amz-Signature'),
      presigned: true,
      timestamp: '20261122T101112Z',
      sessionToken: 'tok-1',
      expiresSeconds: 900,
    });
    expect(await verifySignature(request, credential, SECRET, 'tok-1')).toBe(true);
    const query = new URLSearchParams(request.query);
    query.set('Qualifier', 'other');
    expect(await verifySignature({ ...request, query }, credential, SECRET)).toBe(false);
    expect(await verifySignature(request, credential, 'wrong')).toBe(false);
  });

  it('verifies a URL presigned by botocore', async () => {
    const script = [
      'import json, sys',
      'from botocore.auth import SigV4QueryAuth',
      'from botocore.awsrequest import AWSRequest',
      'from botocore.credentials import Credentials',
      "r = AWSRequest(method='GET', url=sys.argv[1] + '/2015-03-31/functions/my-fn%3Alive/configuration?Qualifier=live')",
      `SigV4QueryAuth(Credentials(${JSON.stringify(ACCESS_KEY)}, ${JSON.stringify(SECRET)}), 'lambda', 'us-east-1', expires=300).add_auth(r)`,
      'print(r.url)',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, endpoint], { env: pythonEnv });
    const url = new URL(stdout.trim());
    const request: WireRequest = {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { host: url.host },
      body: Buffer.alloc(0),
    };
    expect(request.path).toBe('/2015-03-31/functions/my-fn%3Alive/configuration');
    const credential = parseAuthorization(request)!;
    expect(credential.presigned).toBe(true);
    expect(credential.expiresSeconds).toBe(300);
    expect(await verifySignature(request, credential, SECRET)).toBe(true);
    expect(await verifySignature({ ...request, method: 'DELETE' }, credential, SECRET)).toBe(false);
  });
});
