/**
 * The one HTTP port drydock serves every AWS API on. Request chain, in order:
 *   read body → admin API (`/_drydock/`) → SigV4 scope → route to a service → (strict auth)
 *   → codec.parse → model validation → operation handler → codec.serialize.
 * Every failure along the chain is answered in the protocol of the service it was meant for
 * (awsQuery XML, EC2 XML, JSON); anything that is not a ServiceError is logged with the request
 * id and answered as InternalFailure. Nothing ever answers with HTML or a stack trace.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { OperationTable, RequestContext } from '../kernel/operation.js';
import type { Random } from '../kernel/random.js';
import { requestId as newRequestId } from '../kernel/ids.js';
import { InternalFailure, NotImplementedError, ServiceError } from '../kernel/service-error.js';
import { handleAdmin, type AdminHooks } from './admin.js';
import type { OperationModel, ProtocolName, ServiceId, ServiceModel } from './model.js';
import type { WireRequest, WireResponse } from './protocol.js';
import { routeService } from './routing.js';
import { SERVICE_CATALOG, servingOf } from './service-catalog.js';
import { parseAuthorization, type SigV4Credential } from './sigv4-credential.js';
import {
  forProtocol,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './sigv4-errors.js';
import { validateInput } from './validate.js';

export interface AuthConfig {
  mode: 'any' | 'strict';
  /** access key id → secret access key, checked in strict mode. */
  accessKeys: Readonly<Record<string, string>>;
}

export interface GatewayOptions {
  host: string;
  port: number;
  accountId: string;
  defaultRegion: string;
  auth: AuthConfig;
  clock: Clock;
  random: Random;
  logger: Logger;
  services: Partial<Record<ServiceId, OperationTable>>;
  admin: AdminHooks;
  /** Largest request body accepted; Lambda zips sent inline are the big ones. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 80 * 1024 * 1024;

export class Gateway {
  private readonly server: http.Server;
  private readonly requestIds: Random;

  constructor(private readonly options: GatewayOptions) {
    this.requestIds = options.random.fork('request-ids');
    this.server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      void this.onRequest(req, res);
    });
    // A client that sends garbage below HTTP gets a plain 400, not a crash.
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('gateway is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = newRequestId(this.requestIds);
    let response: WireResponse;
    try {
      response = await this.handle(req, requestId);
    } catch (error) {
      // Only a broken codec gets here; answer in the plainest AWS shape there is.
      this.options.logger.error({ err: error, requestId }, 'request failed outside any codec');
      response = jsonError(500, 'InternalFailure', new InternalFailure(requestId).message);
    }
    res.statusCode = response.status;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (!res.hasHeader('x-amzn-requestid')) res.setHeader('x-amzn-RequestId', requestId);
    const body = response.body;
    res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    res.end(body);
  }

  private async handle(req: http.IncomingMessage, requestId: string): Promise<WireResponse> {
    const maxBodyBytes = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      return jsonError(413, 'RequestEntityTooLargeException', `Request body is larger than ${maxBodyBytes} bytes.`);
    }
    const request = toWireRequest(req, body);
    if (request.path.startsWith('/_drydock/') || request.path === '/_drydock') {
      return handleAdmin(request, this.options.admin);
    }

    let credential: SigV4Credential | undefined;
    let credentialError: ServiceError | undefined;
    try {
      credential = parseAuthorization(request);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      credentialError = error;
    }
    const serviceId = routeService({
      target: request.headers['x-amz-target']?.toLowerCase(),
      signingName: credential?.service,
      // Only read the form body when the target and signing name could not settle the service.
      version: () => queryParameters(request)?.get('Version') ?? undefined,
      path: request.path,
    });
    if (!serviceId) return unroutable(request, queryParameters(request));

    const { model, codec } = servingOf(serviceId, request, () => queryParameters(request)?.get('Action') ?? undefined);
    let operation: OperationModel | undefined;
    try {
      // AWS names the auth errors differently in the JSON protocols (InvalidSignatureException, …).
      if (credentialError) throw forProtocol(credentialError, model.metadata.protocol);
      await this.authenticate(request, credential, model.metadata.protocol);
      const call = codec.parse(request, model);
      operation = call.operation;
      const entry = SERVICE_CATALOG[serviceId];
      const violations = validateInput(model, operation, call.input).filter(
        (violation) => !entry.enforces || entry.enforces.includes(violation.kind),
      );
      if (violations.length > 0) throw entry.validationError(violations);
      const output = await this.dispatch(serviceId, model, operation, call.input, {
        requestId,
        region: credential?.region ?? this.options.defaultRegion,
        accountId: this.options.accountId,
        serviceId,
        operationName: operation.name,
        ...(request.headers['x-amzn-trace-id'] ? { traceHeader: request.headers['x-amzn-trace-id'] } : {}),
      });
      this.options.logger.debug({ requestId, service: serviceId, operation: operation.name }, 'answered');
      return codec.serialize(model, operation, output, requestId);
    } catch (error) {
      const serviceError = this.toServiceError(error, requestId, serviceId, operation);
      this.options.logger.debug(
        { requestId, service: serviceId, operation: operation?.name, code: serviceError.code },
        'answered with an error',
      );
      return codec.serializeError(model, operation, serviceError, requestId);
    }
  }

  /**
   * Strict mode verifies the signature against the configured keys. The request time is not
   * checked against drydock's clock: a scaled or virtual clock is meant to run away from wall time.
   */
  private async authenticate(
    request: WireRequest,
    credential: SigV4Credential | undefined,
    protocol: ProtocolName,
  ): Promise<void> {
    const { auth } = this.options;
    if (auth.mode !== 'strict') return;
    if (!credential) throw missingAuthenticationToken(protocol);
    const secret = auth.accessKeys[credential.accessKeyId];
    if (secret === undefined) throw invalidClientTokenId(protocol);
    // The signer loads on first use: only strict mode pays its start-up cost.
    const { verifySignature } = await import('./sigv4.js');
    if (!(await verifySignature(request, credential, secret))) throw signatureDoesNotMatch(protocol);
  }

  private async dispatch(
    serviceId: ServiceId,
    model: ServiceModel,
    operation: OperationModel,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<unknown> {
    const handler = this.options.services[serviceId]?.[operation.name];
    if (!handler) throw new NotImplementedError(model.metadata.serviceId, operation.name);
    return handler(input as never, context);
  }

  private toServiceError(
    error: unknown,
    requestId: string,
    serviceId: ServiceId,
    operation: OperationModel | undefined,
  ): ServiceError {
    if (error instanceof ServiceError) return error;
    this.options.logger.error(
      { err: error, requestId, service: serviceId, operation: operation?.name },
      'operation failed with an unexpected error',
    );
    return new InternalFailure(requestId);
  }
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toWireRequest(req: http.IncomingMessage, body: Buffer): WireRequest {
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method ?? 'GET',
    path: queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
    headers,
    body,
  };
}

/** The query protocols' parameters: the form body of a POST, else the query string. */
function queryParameters(request: WireRequest): URLSearchParams | undefined {
  if (request.query.has('Action')) return request.query;
  const contentType = request.headers['content-type'] ?? '';
  if (request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(request.body.toString('utf8'));
  }
  return undefined;
}

/** No service matched: answer in the protocol the request looks like it speaks. */
function unroutable(request: WireRequest, queryParams: URLSearchParams | undefined): WireResponse {
  const action = queryParams?.get('Action');
  if (action) {
    const version = queryParams?.get('Version') ?? '(none)';
    const message = `Could not find operation ${action} for version ${version}`;
    return {
      status: 400,
      headers: { 'content-type': 'text/xml' },
      body:
        `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
        `<Message>${escapeXml(message)}</Message></Error></ErrorResponse>`,
    };
  }
  const target = request.headers['x-amz-target'];
  const message = target
    ? `drydock serves no service with X-Amz-Target ${target}.`
    : `drydock serves no AWS API at ${request.method} ${request.path}.`;
  return jsonError(target ? 400 : 404, 'UnknownOperationException', message);
}

function jsonError(status: number, code: string, message: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
