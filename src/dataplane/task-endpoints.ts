/**
 * The ECS agent's HTTP endpoints, served to task processes on 127.0.0.1 (an ephemeral port, in
 * place of 169.254.170.2): task metadata v4 and v3 (`/v4/<id>`, `/v4/<id>/task`,
 * `/v4/<id>/stats`, `/v4/<id>/task/stats`) and the agent API's task scale-in protection
 * (`GET/PUT /api/<id>/task-protection/v1/state`). `<id>` names one container of one task, as
 * the agent's endpoint container id does. Answers come from ECS's state through AgentApi;
 * status codes and error bodies follow the agent's handlers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../kernel/logger.js';
import type { AgentApi } from '../services/ecs/ports.js';
import type { EndpointUrls } from './container-launch.js';

export interface EndpointTarget {
  taskArn: string;
  containerName: string;
}

export type EndpointRoute =
  | {
      kind: 'container-metadata' | 'task-metadata' | 'container-stats' | 'task-stats';
      version: 'v3' | 'v4';
      id: string;
    }
  | { kind: 'task-protection'; id: string };

/** Maps a request path to an endpoint; undefined for paths the agent does not serve. */
export function routeEndpointPath(pathname: string): EndpointRoute | undefined {
  const metadata = /^\/(v3|v4)\/([^/]+)(\/task|\/taskWithTags|\/stats|\/task\/stats)?\/?$/.exec(pathname);
  if (metadata) {
    const version = metadata[1] as 'v3' | 'v4';
    const id = decodeURIComponent(metadata[2]!);
    const suffix = metadata[3];
    const kind =
      suffix === '/task' || suffix === '/taskWithTags'
        ? 'task-metadata'
        : suffix === '/stats'
          ? 'container-stats'
          : suffix === '/task/stats'
            ? 'task-stats'
            : 'container-metadata';
    return { kind, version, id };
  }
  const protection = /^\/api\/([^/]+)\/task-protection\/v1\/state\/?$/.exec(pathname);
  if (protection) return { kind: 'task-protection', id: decodeURIComponent(protection[1]!) };
  return undefined;
}

export type ProtectionRequest = { ProtectionEnabled?: boolean; ExpiresInMinutes?: number };

/**
 * Decodes a PUT body as the agent's Go decoder does: a JSON object whose keys match
 * `ProtectionEnabled` / `ExpiresInMinutes` case-insensitively, no unknown fields, a boolean and an
 * integer (null means absent). Undefined when the agent would answer "failed to decode request".
 */
export function decodeProtectionRequest(text: string): ProtectionRequest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const request: ProtectionRequest = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = key.toLowerCase();
    if (field === 'protectionenabled') {
      if (value === null) continue;
      if (typeof value !== 'boolean') return undefined;
      request.ProtectionEnabled = value;
    } else if (field === 'expiresinminutes') {
      if (value === null) continue;
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
      request.ExpiresInMinutes = value;
    } else {
      return undefined;
    }
  }
  return request;
}

export interface TaskEndpointsOptions {
  logger: Logger;
  agentApi: () => AgentApi;
  lookup: (endpointId: string) => EndpointTarget | undefined;
  containerStats: (endpointId: string, target: EndpointTarget) => Promise<Record<string, unknown>>;
  taskStats: (taskArn: string) => Promise<Record<string, unknown>>;
}

/** A protection PUT body larger than this is not a protection request. */
const MAX_BODY_BYTES = 64 * 1024;

export class TaskEndpointServer {
  private readonly server: http.Server;
  private origin: string | undefined;

  constructor(private readonly options: TaskEndpointsOptions) {
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        options.logger.error({ err: error, url: request.url }, 'task endpoint request failed');
        if (!response.headersSent) writeJson(response, 500, 'failed to handle the request');
        else response.destroy();
      });
    });
    // Processes that keep connections open must not hold drydock's shutdown.
    this.server.keepAliveTimeout = 5_000;
  }

  /** Listens on an ephemeral loopback port; resolves with `http://127.0.0.1:<port>`. */
  listen(host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => {
        this.server.off('error', reject);
        const { address, port } = this.server.address() as AddressInfo;
        this.origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
        resolve(this.origin);
      });
    });
  }

  urlsFor(endpointId: string): EndpointUrls {
    if (this.origin === undefined) throw new Error('task endpoint server is not listening');
    const id = encodeURIComponent(endpointId);
    return {
      metadataV4: `${this.origin}/v4/${id}`,
      metadataV3: `${this.origin}/v3/${id}`,
      agent: `${this.origin}/api/${id}`,
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://agent').pathname;
    const route = routeEndpointPath(pathname);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    if (route.kind === 'task-protection') {
      await this.handleProtection(route.id, request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      writeJson(response, 405, `${request.method ?? ''} is not allowed on ${pathname}`);
      return;
    }
    const prefix = route.version === 'v4' ? 'V4' : 'V3';
    const target = this.options.lookup(route.id);
    if (!target) {
      writeJson(
        response,
        404,
        `${prefix} ${describe(route.kind)} handler: unable to find a task for endpoint id ${route.id}`,
      );
      return;
    }
    const api = this.options.agentApi();
    switch (route.kind) {
      case 'task-metadata': {
        const body = api.taskMetadata(target.taskArn);
        if (body === undefined)
          writeJson(response, 404, `${prefix} task metadata handler: task ${target.taskArn} not found`);
        else writeJson(response, 200, body);
        return;
      }
      case 'container-metadata': {
        const body = api.containerMetadata(target.taskArn, target.containerName);
        if (body === undefined) {
          writeJson(response, 404, `${prefix} container metadata handler: container ${target.containerName} not found`);
        } else writeJson(response, 200, body);
        return;
      }
      case 'container-stats':
        writeJson(response, 200, await this.options.containerStats(route.id, target));
        return;
      case 'task-stats':
        writeJson(response, 200, await this.options.taskStats(target.taskArn));
        return;
    }
  }

  private async handleProtection(
    id: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'PUT') {
      writeJson(
        response,
        405,
        protectionError('', 'InvalidParameterException', `${request.method ?? ''} is not allowed`),
      );
      return;
    }
    let decoded: ProtectionRequest | undefined;
    if (request.method === 'PUT') {
      // The agent decodes the body before it looks the task up.
      decoded = decodeProtectionRequest(await readBody(request, MAX_BODY_BYTES));
      if (!decoded) {
        writeJson(
          response,
          400,
          protectionError('', 'InvalidParameterException', 'UpdateTaskProtection: failed to decode request'),
        );
        return;
      }
    }
    const target = this.options.lookup(id);
    if (!target) {
      writeJson(
        response,
        404,
        protectionError('', 'ResourceNotFoundException', 'Failed to find a task for the request'),
      );
      return;
    }
    const api = this.options.agentApi();
    if (decoded) {
      const answer = api.putTaskProtection(target.taskArn, decoded);
      writeJson(response, answer.status, answer.body);
    } else {
      writeJson(response, 200, api.getTaskProtection(target.taskArn));
    }
  }
}

function describe(kind: EndpointRoute['kind']): string {
  return kind.replace('-', ' ');
}

function protectionError(arn: string, code: string, message: string): Record<string, unknown> {
  return { error: { Arn: arn, Code: code, Message: message } };
}

function writeJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

/** The request body as text; an oversized body reads as '' (undecodable). */
function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? '' : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
