/**
 * The Lambda Runtime API (version 2018-06-01) one execution environment talks to, served on a
 * loopback port of its own (AWS_LAMBDA_RUNTIME_API): `GET /runtime/invocation/next` waits for the
 * next event (long poll), `POST /runtime/invocation/<id>/response` and `…/<id>/error` end it, and
 * `POST /runtime/init/error` reports a runtime that could not start. Because this is AWS's own
 * protocol, any runtime client works, custom `bootstrap` programs included. Responses are capped
 * at Lambda's 6 MB (413 beyond it).
 */
import http from 'node:http';

export const RUNTIME_API_PREFIX = '/2018-06-01/runtime';
/** Lambda's synchronous response limit. */
export const MAX_RESPONSE_BYTES = 6_291_556;

export interface RuntimeApiHandlers {
  /** GET …/invocation/next: answer now, or keep `response` until an event arrives. */
  next(response: http.ServerResponse): void;
  /** POST …/invocation/<id>/response; `undefined` body = over the size limit. Returns false for an unknown id. */
  respond(requestId: string, body: Buffer | undefined): boolean;
  error(requestId: string, body: Buffer, errorType: string | undefined): boolean;
  initError(body: Buffer, errorType: string | undefined): void;
}

const ROUTE = /^\/2018-06-01\/runtime\/(?:invocation\/next|invocation\/([^/]+)\/(response|error)|init\/error)$/;

export function createRuntimeApiServer(handlers: RuntimeApiHandlers): http.Server {
  const server = http.createServer((request, response) => {
    const match = ROUTE.exec((request.url ?? '').split('?')[0] ?? '');
    if (!match) return answer(response, 404, { errorType: 'NotFound', errorMessage: `no such path ${request.url}` });
    const [pathname, requestId, kind] = match;
    if (pathname!.endsWith('/invocation/next')) {
      if (request.method !== 'GET')
        return answer(response, 405, { errorType: 'MethodNotAllowed', errorMessage: 'use GET' });
      handlers.next(response);
      return;
    }
    if (request.method !== 'POST')
      return answer(response, 405, { errorType: 'MethodNotAllowed', errorMessage: 'use POST' });
    const errorType = headerText(request.headers['lambda-runtime-function-error-type']);
    readBody(request, MAX_RESPONSE_BYTES).then(
      (body) => {
        if (requestId === undefined) {
          handlers.initError(body ?? Buffer.alloc(0), errorType);
          return answer(response, 202, { status: 'OK' });
        }
        const id = decodeURIComponent(requestId);
        if (kind === 'response' && body === undefined) {
          handlers.respond(id, undefined);
          return answer(response, 413, {
            errorType: 'RequestEntityTooLarge',
            errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          });
        }
        const known =
          kind === 'response' ? handlers.respond(id, body) : handlers.error(id, body ?? Buffer.from('{}'), errorType);
        if (!known) return answer(response, 400, { errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' });
        return answer(response, 202, { status: 'OK' });
      },
      () => response.destroy(),
    );
  });
  // A long-polling /next must never be cut by the server's own timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 0;
  return server;
}

/** Starts a runtime API server on 127.0.0.1 and resolves with its `host:port`. */
export function listenRuntimeApi(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('runtime API has no address'));
      resolve(`127.0.0.1:${address.port}`);
    });
  });
}

export function answer(response: http.ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The whole body, or undefined once it passes limitBytes (the rest is drained). */
function readBody(request: http.IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
