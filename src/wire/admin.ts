/**
 * drydock's own API under `/_drydock/`: things AWS has no call for. JSON in and out, errors in
 * the same `{__type, message}` shape the AWS JSON protocols use.
 *   GET  /_drydock/health          liveness and version
 *   GET  /_drydock/status          what runs: mode, clock, endpoint, row counts per service
 *   POST /_drydock/reset           forget every resource (the schema stays)
 *   GET  /_drydock/clock           the clock: mode, now, time scale, pending timers
 *   POST /_drydock/clock/advance   virtual clock only: {"ms": 60000} or {"untilIdle": true, "limitMs": …}
 * plus the routes services add through `routes` (e.g. `POST /_drydock/ec2/spot-interruption`).
 * The composition root supplies the hooks, so the wire layer stays ignorant of stores and services.
 */
import { ServiceError } from '../kernel/service-error.js';
import type { WireRequest, WireResponse } from './protocol.js';

export interface ClockReport {
  mode: 'real' | 'virtual';
  nowMs: number;
  now: string;
  timeScale: number;
  pendingTimers: number;
}

export interface AdvanceRequest {
  ms?: number;
  untilIdle?: boolean;
  limitMs?: number;
}

export interface AdminHooks {
  health(): Record<string, unknown>;
  status(): Record<string, unknown>;
  reset(): void | Promise<void>;
  clock(): ClockReport;
  /** Absent when the clock is real: real time cannot be advanced. */
  advanceClock?: (request: AdvanceRequest) => Promise<Record<string, unknown>>;
  /**
   * More endpoints, keyed `'<METHOD> /_drydock/<path>'`. A handler gets the JSON body (POST) or
   * the query parameters (GET) as a plain object; a ServiceError it throws is answered with its
   * code and status.
   */
  routes?: Readonly<Record<string, AdminRoute>>;
}

export type AdminRoute = (input: Record<string, unknown>) => object | Promise<object>;

export async function handleAdmin(request: WireRequest, hooks: AdminHooks): Promise<WireResponse> {
  const route = `${request.method} ${request.path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_drydock/health':
        return ok(hooks.health());
      case 'GET /_drydock/status':
        return ok(hooks.status());
      case 'POST /_drydock/reset':
        await hooks.reset();
        return ok({ reset: true });
      case 'GET /_drydock/clock':
        return ok(hooks.clock());
      case 'POST /_drydock/clock/advance':
        return await advance(request, hooks);
      default:
        return await extraRoute(route, request, hooks);
    }
  } catch (cause) {
    if (cause instanceof ServiceError) return error(cause.httpStatus, cause.code, cause.message);
    return error(500, 'InternalFailure', `admin endpoint ${route} failed: ${(cause as Error).message}`);
  }
}

async function extraRoute(route: string, request: WireRequest, hooks: AdminHooks): Promise<WireResponse> {
  const handler = hooks.routes?.[route];
  if (!handler) return error(404, 'UnknownOperationException', `drydock has no admin endpoint ${route}.`);
  if (request.method === 'GET') return ok(await handler(Object.fromEntries(request.query)));
  const body = parseJsonBody(request);
  if (body === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return error(400, 'SerializationException', 'The request body must be a JSON object.');
  }
  return ok(await handler(body as Record<string, unknown>));
}

/** The JSON body, `{}` when empty, undefined when it is not JSON. */
function parseJsonBody(request: WireRequest): unknown {
  try {
    return request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function advance(request: WireRequest, hooks: AdminHooks): Promise<WireResponse> {
  if (!hooks.advanceClock) {
    return error(400, 'ValidationException', 'The clock is real; start drydock with --clock virtual to advance it.');
  }
  const body = parseJsonBody(request);
  if (body === undefined) return error(400, 'SerializationException', 'The request body is not valid JSON.');
  const { ms, untilIdle, limitMs } = (body ?? {}) as Record<string, unknown>;
  if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) {
    return error(400, 'ValidationException', 'ms must be a non-negative number of milliseconds.');
  }
  if (limitMs !== undefined && (typeof limitMs !== 'number' || !Number.isFinite(limitMs) || limitMs < 0)) {
    return error(400, 'ValidationException', 'limitMs must be a non-negative number of milliseconds.');
  }
  if (ms === undefined && untilIdle !== true) {
    return error(400, 'ValidationException', 'Give ms (milliseconds to advance) or untilIdle: true.');
  }
  return ok(
    await hooks.advanceClock({
      ms: ms as number | undefined,
      untilIdle: untilIdle === true,
      limitMs: limitMs as number | undefined,
    }),
  );
}

function ok(body: object): WireResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function error(status: number, code: string, message: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  };
}
