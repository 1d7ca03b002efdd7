/**
 * drydock's own API under `/_drydock/`: things AWS has no call for. JSON in and out, errors in
 * the same `{__type, message}` shape the AWS JSON protocols use.
 *   GET  /_drydock/health          liveness and version
 *   GET  /_drydock/status          what runs: mode, clock, endpoint, row counts per service
 *   POST /_drydock/reset           forget every resource (the schema stays)
 *   GET  /_drydock/clock           the clock: mode, now, time scale, pending timers
 *   POST /_drydock/clock/advance   virtual clock only: {"ms": 60000} or {"untilIdle": true, "limitMs": …}
 * The composition root supplies the hooks, so the wire layer stays ignorant of stores and services.
 */
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
}

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
        return error(404, 'UnknownOperationException', `drydock has no admin endpoint ${route}.`);
    }
  } catch (cause) {
    return error(500, 'InternalFailure', `admin endpoint ${route} failed: ${(cause as Error).message}`);
  }
}

async function advance(request: WireRequest, hooks: AdminHooks): Promise<WireResponse> {
  if (!hooks.advanceClock) {
    return error(400, 'ValidationException', 'The clock is real; start drydock with --clock virtual to advance it.');
  }
  let body: unknown;
  try {
    body = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
  } catch {
    return error(400, 'SerializationException', 'The request body is not valid JSON.');
  }
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
