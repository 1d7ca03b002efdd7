/**
 * An ALB HTTP listener: a reverse proxy. Each request is routed by the control plane, answered
 * with a fixed response or redirect, or sent to a target over keep-alive connections with
 * X-Forwarded-For appended and -Proto/-Port set, hop-by-hop headers dropped and the answer
 * streamed; 503 without a target, 502 on a refused or reset target, 504 after the idle timeout.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { epochMs, type Clock, type TimerId } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { HttpRequestInfo, HttpRouteDecision, RoutingApi, TargetEndpoint } from '../../services/elbv2/ports.js';
import type { ConnectionTracker, Flow } from './connection-tracker.js';
import type { ResponseHead } from './response-parser.js';
import type { ExchangeHandler, TargetConnection, TargetConnectionPool } from './target-connections.js';
import type { TargetPicker } from './target-picker.js';

/** ALB's default `idle_timeout.timeout_seconds`. */
export const ALB_IDLE_TIMEOUT_MS = 60_000;

/** Real seconds an idle client keep-alive connection stays open (node's own timer, not a drydock deadline). */
const CLIENT_KEEP_ALIVE_MS = 65_000;

/** A request that met a pooled connection the target had just closed is retried this often. */
const STALE_SOCKET_RETRIES = 2;

export interface HttpProxyDeps {
  listenerArn: string;
  clock: Clock;
  logger: Logger;
  routing: () => RoutingApi;
  picker: TargetPicker;
  tracker: ConnectionTracker;
  /** Keep-alive connections to targets, shared by every listener. */
  connections: TargetConnectionPool;
  idleTimeoutMs?: number;
}

/** Requests that may be sent again when a pooled connection turns out to be closed (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Headers that describe one hop, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // Answered here already (node sends the 100 Continue itself); the target gets the body.
  'expect',
]);

export function createHttpProxyServer(deps: HttpProxyDeps): http.Server {
  const proxy = new HttpProxy(deps);
  const server = http.createServer(
    { keepAliveTimeout: CLIENT_KEEP_ALIVE_MS, requestTimeout: 0, noDelay: true },
    (request, response) => proxy.handle(request, response),
  );
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    proxy.upgrade(request, socket as net.Socket, head),
  );
  return server;
}

class HttpProxy {
  private readonly idleTimeoutMs: number;

  constructor(private readonly deps: HttpProxyDeps) {
    this.idleTimeoutMs = deps.idleTimeoutMs ?? ALB_IDLE_TIMEOUT_MS;
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    const sourceIp = clientAddress(request.socket);
    const decision = this.route(request, sourceIp);
    switch (decision.kind) {
      case 'forward': {
        const target = this.deps.picker.pick(decision.targetGroupArn, decision.candidates, decision.algorithm);
        if (!target) return answerElbError(request, response, 503);
        new ProxiedRequest(this.deps, this.idleTimeoutMs, request, response, target, sourceIp).start();
        return;
      }
      case 'fixed-response': {
        const body = decision.body ?? '';
        request.resume();
        response.writeHead(decision.statusCode, {
          server: 'awselb/2.0',
          'content-type': decision.contentType ?? 'text/plain; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
        return;
      }
      case 'redirect':
        request.resume();
        response.writeHead(decision.statusCode, {
          server: 'awselb/2.0',
          location: decision.location,
          'content-length': 0,
        });
        response.end();
        return;
      case 'no-targets':
      default:
        return answerElbError(request, response, 503);
    }
  }

  /** WebSocket and other upgrades: routed like a request, then a byte pipe to the target. */
  upgrade(request: IncomingMessage, client: net.Socket, head: Buffer): void {
    const sourceIp = clientAddress(client);
    const decision = this.route(request, sourceIp);
    const target =
      decision.kind === 'forward'
        ? this.deps.picker.pick(decision.targetGroupArn, decision.candidates, decision.algorithm)
        : undefined;
    if (!target) {
      client.end(rawAnswer(decision));
      return;
    }
    const upstream = net.connect({ host: target.address, port: target.port, noDelay: true });
    const { tracker } = this.deps;
    let connected = false;
    let released = false;
    const flow = tracker.open(target, () => {
      upstream.destroy();
      client.destroy();
    });
    const release = () => {
      if (released) return;
      released = true;
      tracker.release(flow);
    };
    upstream.once('connect', () => (connected = true));
    upstream.on('error', () => {
      release();
      // Refused before the switch: the client gets ALB's 502; after it, the tunnel just breaks.
      if (connected) client.destroy();
      else client.end(httpErrorHead(502));
    });
    client.on('error', () => {
      release();
      upstream.destroy();
    });
    upstream.on('close', () => {
      release();
      if (connected) client.destroy();
    });
    client.on('close', () => {
      release();
      upstream.destroy();
    });
    const headers = forwardedHeaders(request, sourceIp, client.localPort ?? 0, true);
    let requestHead = `${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      for (const item of Array.isArray(value) ? value : [value]) requestHead += `${name}: ${String(item)}\r\n`;
    }
    upstream.write(`${requestHead}\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  }

  private route(request: IncomingMessage, sourceIp: string): HttpRouteDecision {
    try {
      return this.deps.routing().routeHttp(this.deps.listenerArn, requestInfo(request, sourceIp));
    } catch (error) {
      this.deps.logger.error({ err: error, listenerArn: this.deps.listenerArn }, 'routing an HTTP request failed');
      return { kind: 'no-targets' };
    }
  }
}

/** One request on its way to one target: the exchange, its idle deadline and its count. */
class ProxiedRequest implements ExchangeHandler {
  private connection: TargetConnection | undefined;
  private flow: Flow | undefined;
  private idleTimer: TimerId | undefined;
  private lastActivityMs = 0;
  private finished = false;
  /** Every byte of the client's body has been handed to the target connection. */
  private bodySent = false;
  private responseStarted = false;
  private responseEnded = false;
  private retriesLeft = STALE_SOCKET_RETRIES;
  private readonly bodyFraming: 'none' | 'length' | 'chunked';
  private readonly head: string;

  constructor(
    private readonly deps: HttpProxyDeps,
    private readonly idleTimeoutMs: number,
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly target: TargetEndpoint,
    sourceIp: string,
  ) {
    const { headers } = request;
    const length = headers['content-length'];
    this.bodyFraming =
      headers['transfer-encoding'] !== undefined
        ? 'chunked'
        : length !== undefined && length !== '0'
          ? 'length'
          : 'none';
    this.head = requestHead(request, sourceIp, this.bodyFraming === 'chunked');
  }

  start(): void {
    const { tracker, clock } = this.deps;
    this.flow = tracker.open(this.target, () => this.fail(502, new Error('connection closed by the load balancer')));
    this.response.once('close', () => this.onClientClose());
    this.lastActivityMs = clock.now();
    this.idleTimer = clock.after(this.idleTimeoutMs, () => this.checkIdle());
    this.send();
    if (this.bodyFraming !== 'none') this.streamBody();
  }

  private send(): void {
    const connection = this.deps.connections.acquire(this.target.address, this.target.port);
    this.connection = connection;
    connection.begin(this, this.request.method === 'HEAD', this.head);
    if (this.bodyFraming === 'none') connection.requestComplete();
  }

  /** The client's body goes to the target as it arrives (re-chunked when it came chunked). */
  private streamBody(): void {
    const { request, deps } = this;
    const chunked = this.bodyFraming === 'chunked';
    request.on('data', (chunk: Buffer) => {
      const connection = this.connection;
      if (this.finished || !connection) return;
      this.lastActivityMs = deps.clock.now();
      let flushed: boolean;
      if (chunked) {
        connection.socket.cork();
        connection.write(`${chunk.length.toString(16)}\r\n`);
        connection.write(chunk);
        flushed = connection.write('\r\n');
        connection.socket.uncork();
      } else flushed = connection.write(chunk);
      if (!flushed) {
        request.pause();
        connection.socket.once('drain', () => request.resume());
      }
    });
    request.once('end', () => {
      const connection = this.connection;
      if (this.finished || !connection) return;
      if (chunked) connection.write('0\r\n\r\n');
      this.bodySent = true;
      connection.requestComplete();
    });
  }

  onHead(head: ResponseHead): void {
    if (this.finished) return;
    this.responseStarted = true;
    this.lastActivityMs = this.deps.clock.now();
    try {
      this.response.writeHead(head.statusCode, head.statusMessage, responseHeaders(head.rawHeaders));
    } catch (error) {
      // A header node will not send (an invalid character): the answer is unusable, as ALB finds it.
      this.responseStarted = false;
      this.fail(502, error as Error);
    }
  }

  onBody(chunk: Buffer, last: boolean): void {
    if (this.finished) return;
    const { response } = this;
    this.lastActivityMs = this.deps.clock.now();
    if (last) {
      this.responseEnded = true;
      response.end(chunk);
      return;
    }
    if (!response.write(chunk)) {
      const socket = this.connection?.socket;
      socket?.pause();
      response.once('drain', () => socket?.resume());
    }
  }

  onEnd(): void {
    if (this.finished || this.responseEnded) return;
    this.responseEnded = true;
    this.response.end();
  }

  onError(error: Error, reused: boolean): void {
    if (this.finished) return;
    const retryable = this.bodyFraming === 'none' && IDEMPOTENT_METHODS.has(this.request.method ?? '');
    if (!this.responseStarted && reused && retryable && this.retriesLeft > 0) {
      // The target closed an idle keep-alive connection just as this request went out on it.
      this.retriesLeft -= 1;
      this.send();
      return;
    }
    this.fail(502, error);
  }

  private checkIdle(): void {
    this.idleTimer = undefined;
    if (this.finished) return;
    const { clock } = this.deps;
    const idleUntil = this.lastActivityMs + this.idleTimeoutMs;
    if (clock.now() < idleUntil) {
      this.idleTimer = clock.schedule(epochMs(idleUntil), () => this.checkIdle());
      return;
    }
    this.fail(504, new Error(`target sent nothing for ${this.idleTimeoutMs} ms`));
  }

  /** Ends the exchange with an ALB error page, or cuts the client off if the answer had begun. */
  private fail(status: 502 | 504, reason: Error): void {
    if (this.finished) return;
    this.deps.logger.debug({ status, reason: reason.message, targetId: this.target.id }, 'proxied request failed');
    this.connection?.destroy();
    if (this.responseStarted || this.response.headersSent) this.response.destroy();
    else answerElbError(this.request, this.response, status);
    this.done();
  }

  private onClientClose(): void {
    // The client went away before the answer was complete: the exchange with the target is void.
    if (!this.response.writableFinished && !this.finished) this.connection?.destroy();
    this.done();
  }

  private done(): void {
    if (this.finished) return;
    this.finished = true;
    // Answered before the client finished sending: the connection owes the target the rest of a
    // body that will not come, so it cannot carry another request.
    if (this.bodyFraming !== 'none' && !this.bodySent) this.connection?.destroy();
    if (this.idleTimer !== undefined) this.deps.clock.cancel(this.idleTimer);
    this.idleTimer = undefined;
    if (this.flow) this.deps.tracker.release(this.flow);
  }
}

/** The request line and headers the target receives: hop-by-hop headers dropped, X-Forwarded-* set. */
export function requestHead(request: IncomingMessage, sourceIp: string, chunkedBody: boolean): string {
  const raw = request.rawHeaders;
  const named = connectionTokens(request.headers.connection);
  let head = `${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/1.1\r\n`;
  let forwardedFor: string | undefined;
  let hasHost = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named?.has(lower)) continue;
    if (lower.startsWith('x-forwarded-')) {
      // ALB appends to X-Forwarded-For and replaces -Proto and -Port.
      if (lower === 'x-forwarded-for') forwardedFor = forwardedFor ? `${forwardedFor}, ${raw[i + 1]}` : raw[i + 1];
      if (lower === 'x-forwarded-for' || lower === 'x-forwarded-proto' || lower === 'x-forwarded-port') continue;
    }
    if (lower === 'host') hasHost = true;
    head += `${name}: ${raw[i + 1]}\r\n`;
  }
  if (!hasHost) head += `Host: ${request.socket.localAddress ?? 'localhost'}\r\n`;
  head +=
    `X-Forwarded-For: ${forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp}\r\n` +
    `X-Forwarded-Proto: http\r\nX-Forwarded-Port: ${request.socket.localPort ?? 0}\r\n`;
  if (chunkedBody) head += 'Transfer-Encoding: chunked\r\n';
  return `${head}Connection: keep-alive\r\n\r\n`;
}

/** The target's response headers for the client: flat [name, value, …] without hop-by-hop headers. */
function responseHeaders(raw: string[]): string[] {
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'connection') {
      for (const token of connectionTokens(raw[i + 1]) ?? []) (named ??= new Set()).add(token);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(lower) || named?.has(lower)) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

/** What the control plane's rules look at. */
export function requestInfo(request: IncomingMessage, sourceIp: string): HttpRequestInfo {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  let path = queryAt < 0 ? url : url.slice(0, queryAt);
  // Absolute-form targets (`GET http://host/path`) carry the path after the authority.
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname;
    } catch {
      path = '/';
    }
  }
  const headers: Record<string, string> = {};
  const incoming = request.headers;
  for (const name in incoming) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: request.method ?? 'GET',
    path,
    query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
    headers,
    sourceIp,
  };
}

/** The request's headers as the target sees them behind ALB. */
export function forwardedHeaders(
  request: IncomingMessage,
  sourceIp: string,
  listenerPort: number,
  keepUpgrade: boolean,
): OutgoingHttpHeaders {
  const incoming = request.headers;
  const named = connectionTokens(incoming.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    if ((HOP_BY_HOP.has(name) || named?.has(name)) && !(keepUpgrade && (name === 'connection' || name === 'upgrade')))
      continue;
    out[name] = incoming[name];
  }
  const forwardedFor = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${sourceIp}` : sourceIp;
  out['x-forwarded-proto'] = 'http';
  out['x-forwarded-port'] = String(listenerPort);
  if (out.host === undefined) out.host = request.socket.localAddress ?? 'localhost';
  return out;
}

/** Extra hop-by-hop headers a `Connection` header names (`keep-alive` and `close` are the usual, harmless ones). */
function connectionTokens(connection: string | undefined): Set<string> | undefined {
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return undefined;
  return new Set(
    connection
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token.length > 0),
  );
}

function clientAddress(socket: net.Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The reason phrases ALB itself uses on the pages it answers with. */
const ELB_REASONS: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

function reasonPhrase(status: number): string {
  return ELB_REASONS[status] ?? http.STATUS_CODES[status] ?? '';
}

function elbErrorPage(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** What an upgrade request that is not forwarded gets, written straight to its socket. */
function rawAnswer(decision: HttpRouteDecision): string {
  if (decision.kind === 'fixed-response') {
    const body = decision.body ?? '';
    return (
      `HTTP/1.1 ${decision.statusCode} ${reasonPhrase(decision.statusCode)}\r\nServer: awselb/2.0\r\n` +
      `Content-Type: ${decision.contentType ?? 'text/plain; charset=utf-8'}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    );
  }
  if (decision.kind === 'redirect') {
    return (
      `HTTP/1.1 ${decision.statusCode} ${reasonPhrase(decision.statusCode)}\r\nServer: awselb/2.0\r\n` +
      `Location: ${decision.location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`
    );
  }
  return httpErrorHead(503);
}

function httpErrorHead(status: number): string {
  const body = elbErrorPage(status);
  return (
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** The small HTML page ALB itself answers 502/503/504 with. */
function answerElbError(request: IncomingMessage, response: ServerResponse, status: number): void {
  request.resume();
  if (response.headersSent || response.destroyed) return;
  const body = elbErrorPage(status);
  response.writeHead(status, reasonPhrase(status), {
    server: 'awselb/2.0',
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
