/**
 * The benchmarked requests, shaped the way the AWS SDK v3 sends them: ECS ListClusters
 * (awsJson1_1, `X-Amz-Target`) and Auto Scaling DescribeAutoScalingGroups (awsQuery form body),
 * each with a real SigV4 `Authorization` and `X-Amz-Date` computed once by @smithy/signature-v4
 * and then replayed (drydock's default `--auth any` parses the signature but does not verify it).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import http from 'node:http';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';

export interface BenchRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Operation {
  /** Row label, e.g. `ecs ListClusters`. */
  label: string;
  protocol: 'awsJson1_1' | 'awsQuery';
  signingName: string;
  unsignedHeaders: Record<string, string>;
  body: string;
}

export const LIST_CLUSTERS: Operation = {
  label: 'ecs ListClusters',
  protocol: 'awsJson1_1',
  signingName: 'ecs',
  unsignedHeaders: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
  },
  body: '{}',
};

export const DESCRIBE_AUTO_SCALING_GROUPS: Operation = {
  label: 'autoscaling DescribeAutoScalingGroups',
  protocol: 'awsQuery',
  signingName: 'autoscaling',
  unsignedHeaders: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01',
};

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const REGION = 'us-east-1';

/** SHA-256 / HMAC-SHA-256 from node:crypto in the shape @smithy/signature-v4 asks for. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    return createHmac('sha256', typeof this.secret === 'string' ? this.secret : Buffer.from(toBytes(this.secret)));
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBytes(data: Exclude<SourceData, string>): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data as ArrayBuffer);
}

/** Signs `operation` once for `host` (`127.0.0.1:port`) and returns the request to replay. */
export async function signedRequest(operation: Operation, host: string): Promise<BenchRequest> {
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: REGION,
    service: operation.signingName,
    sha256: NodeSha256,
  });
  const [hostname, port] = host.split(':');
  const unsigned = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: port === undefined ? undefined : Number(port),
    path: '/',
    headers: { ...operation.unsignedHeaders, host, 'content-length': String(Buffer.byteLength(operation.body)) },
    body: operation.body,
  });
  const signed = await signer.sign(unsigned);
  // What the SDK adds beside the signature; autocannon writes Host and Content-Length itself.
  const headers: Record<string, string> = {
    ...signed.headers,
    'user-agent': 'aws-sdk-js/3 drydock-bench',
    'amz-sdk-request': 'attempt=1; max=3',
  };
  delete headers.host;
  delete headers['content-length'];
  return { method: 'POST', path: '/', headers, body: operation.body };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection (no keep-alive), for probes and for capturing answers. */
export function send(url: string, request: BenchRequest, timeoutMs = 2000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(request.path, url),
      {
        method: request.method,
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * What every benchmarked answer must look like: the body drydock gave once, with its request id
 * (the one part that changes per request) matched loosely. Sent to the load worker as data.
 */
export interface Expectation {
  pattern: string;
}

export function expectationFrom(answer: Answer): Expectation {
  const requestId = answer.headers['x-amzn-requestid'];
  const escaped = answer.body.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern =
    typeof requestId === 'string' && requestId.length > 0
      ? escaped.split(requestId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[0-9a-fA-F-]{8,64}')
      : escaped;
  return { pattern: `^${pattern}$` };
}
