/**
 * Round-trips a codec through the real AWS SDK v3: a client is given a request handler that,
 * instead of opening a socket, hands the SDK's serialized HttpRequest to our codec's `parse`, runs
 * a test handler on the decoded input, and returns our codec's `serialize`/`serializeError` bytes
 * to the SDK's own deserializer. What the test sees is exactly what an SDK user would see.
 */
import { Readable } from 'node:stream';
import { ServiceError } from '../../src/kernel/service-error.js';
import type { Codec, ParsedCall, WireRequest } from '../../src/wire/protocol.js';
import type { ServiceModel } from '../../src/wire/model.js';

export type TestHandler = (call: ParsedCall) => unknown;

interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Exchange {
  request?: WireRequest;
  call?: ParsedCall;
  response?: { status: number; headers: Record<string, string>; body: string };
}

/** Builds an SDK `requestHandler` that serves every request with `codec` over `model`. */
export function inProcessHandler(codec: Codec, model: ServiceModel, handler: TestHandler, log: Exchange[] = []) {
  return {
    metadata: { handlerProtocol: 'h1' },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
    async handle(sdkRequest: SdkHttpRequest) {
      const exchange: Exchange = {};
      log.push(exchange);
      const request = toWireRequest(sdkRequest, await bodyBytes(sdkRequest.body));
      exchange.request = request;
      let response;
      try {
        const call = codec.parse(request, model);
        exchange.call = call;
        try {
          response = codec.serialize(model, call.operation, await handler(call), 'req-test-0001');
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          response = codec.serializeError(model, call.operation, error, 'req-test-0001');
        }
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        response = codec.serializeError(model, undefined, error, 'req-test-0001');
      }
      const body = typeof response.body === 'string' ? Buffer.from(response.body) : Buffer.from(response.body);
      exchange.response = { status: response.status, headers: response.headers, body: body.toString('utf8') };
      return {
        response: {
          statusCode: response.status,
          reason: '',
          headers: response.headers,
          body: Readable.from([body]),
        },
      };
    },
  };
}

function toWireRequest(sdkRequest: SdkHttpRequest, body: Buffer): WireRequest {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(sdkRequest.query ?? {})) {
    if (value === null || value === undefined) query.append(name, '');
    else if (Array.isArray(value)) for (const v of value) query.append(name, v);
    else query.append(name, value);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sdkRequest.headers)) headers[name.toLowerCase()] = value;
  // The SDK hands the path decoded-but-escaped as it would put it on the wire.
  return { method: sdkRequest.method, path: sdkRequest.path, query, headers, body };
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof Readable || (typeof body === 'object' && Symbol.asyncIterator in body)) {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new TypeError(`unexpected SDK request body ${typeof body}`);
}

/** Static credentials and a fixed region for clients that never leave the process. */
export const testClientConfig = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
};
