/**
 * An NLB TCP listener: a connection proxy. Each connection is routed by the control plane, given
 * one target and piped both ways, half-closes included; the flow stays on that target until a side
 * closes it, NLB's 350 s idle timeout (a Clock timer) passes, or deregistration ends with
 * connection termination. With no target, the connection is closed at once.
 */
import net from 'node:net';
import { epochMs, type Clock, type TimerId } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { RoutingApi, TcpRouteDecision } from '../../services/elbv2/ports.js';
import type { ConnectionTracker } from './connection-tracker.js';
import type { TargetPicker } from './target-picker.js';

/** NLB's TCP idle timeout. */
export const NLB_TCP_IDLE_TIMEOUT_MS = 350_000;

export interface TcpProxyDeps {
  listenerArn: string;
  clock: Clock;
  logger: Logger;
  routing: () => RoutingApi;
  picker: TargetPicker;
  tracker: ConnectionTracker;
  idleTimeoutMs?: number;
}

export interface TcpProxyServer {
  server: net.Server;
  /** Destroys every client connection this listener accepted (the listener is going away). */
  destroyConnections(): void;
}

export function createTcpProxyServer(deps: TcpProxyDeps): TcpProxyServer {
  const clients = new Set<net.Socket>();
  const idleTimeoutMs = deps.idleTimeoutMs ?? NLB_TCP_IDLE_TIMEOUT_MS;
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
    proxyConnection(deps, idleTimeoutMs, client);
  });
  return {
    server,
    destroyConnections: () => {
      for (const client of clients) client.destroy();
    },
  };
}

function proxyConnection(deps: TcpProxyDeps, idleTimeoutMs: number, client: net.Socket): void {
  const { clock, tracker } = deps;
  client.on('error', () => client.destroy());
  const sourceIp = (client.remoteAddress ?? '').replace(/^::ffff:/, '');
  let decision: TcpRouteDecision;
  try {
    decision = deps.routing().routeTcp(deps.listenerArn, sourceIp);
  } catch (error) {
    deps.logger.error({ err: error, listenerArn: deps.listenerArn }, 'routing a TCP connection failed');
    decision = { kind: 'no-targets' };
  }
  const target =
    decision.kind === 'forward'
      ? deps.picker.pick(decision.targetGroupArn, decision.candidates, 'flow_hash')
      : undefined;
  if (!target) {
    client.destroy();
    return;
  }

  const upstream = net.connect({ host: target.address, port: target.port, allowHalfOpen: true, noDelay: true });
  let closed = false;
  let idleTimer: TimerId | undefined;
  let lastActivityMs = clock.now();
  const close = () => {
    if (closed) return;
    closed = true;
    if (idleTimer !== undefined) clock.cancel(idleTimer);
    tracker.release(flow);
    client.destroy();
    upstream.destroy();
  };
  const flow = tracker.open(target, close);
  const touch = () => (lastActivityMs = clock.now());
  const checkIdle = () => {
    idleTimer = undefined;
    if (closed) return;
    const idleUntil = lastActivityMs + idleTimeoutMs;
    if (clock.now() < idleUntil) idleTimer = clock.schedule(epochMs(idleUntil), checkIdle);
    else close();
  };
  idleTimer = clock.after(idleTimeoutMs, checkIdle);

  upstream.on('error', (error: NodeJS.ErrnoException) => {
    deps.logger.debug(
      { err: error, targetGroupArn: target.targetGroupArn, targetId: target.id },
      'target connection failed',
    );
    close();
  });
  client.on('data', touch);
  upstream.on('data', touch);
  // Each side's FIN travels through the pipes, and a side closes once both its directions are
  // done; the flow ends when both sides have. A reset on either side tears down the other.
  let openSides = 2;
  const sideClosed = (hadError: boolean) => {
    openSides -= 1;
    if (hadError || openSides === 0) close();
  };
  client.once('close', sideClosed);
  upstream.once('close', sideClosed);
  client.pipe(upstream);
  upstream.pipe(client);
}
