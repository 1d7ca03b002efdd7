/**
 * ELBv2's real data plane: every listener a socket at its load balancer's loopback address (HTTP
 * reverse proxy for ALB, TCP connection proxy for NLB), real health probes, real connection
 * draining. The control plane decides (RoutingApi) and hears back (LoadBalancerObserver) binds,
 * probe results and the connections or requests each target carries.
 */
import type net from 'node:net';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { seededRandom } from '../../kernel/random.js';
import type {
  HealthCheckSpec,
  ListenerBinding,
  LoadBalancerDataplanePort,
  LoadBalancerObserver,
  RoutingApi,
} from '../../services/elbv2/ports.js';
import { ConnectionTracker } from './connection-tracker.js';
import { HealthProber } from './health-prober.js';
import { createHttpProxyServer } from './http-proxy.js';
import { bindFailureMessage, listen, realPortFor } from './listener-socket.js';
import { createTcpProxyServer } from './tcp-proxy.js';
import { TargetConnectionPool } from './target-connections.js';
import { TargetPicker } from './target-picker.js';

export interface ProxyDataplaneDeps {
  clock: Clock;
  logger: Logger;
  routing: () => RoutingApi;
  observer: () => LoadBalancerObserver;
  /** added to listener ports below 1024 (e.g. 8000: port 80 is served on 8080); 0 = none */
  privilegedPortOffset?: number;
}

export type ProxyDataplane = LoadBalancerDataplanePort & {
  /** closes every listener and connection */
  close(): Promise<void>;
};

/** A listening socket and how to cut off the connections it accepted. */
interface ListenerServer {
  server: net.Server;
  destroyConnections(): void;
}

interface ListenerEntry {
  binding: ListenerBinding;
  listener: ListenerServer;
  state: 'binding' | 'bound' | 'failed';
}

/** Keep-alive connections kept per target beyond those in use. */
const MAX_IDLE_CONNECTIONS_PER_TARGET = 256;

/** weighted_random and NLB's flow hash draw from here; the sequence is the same in every run. */
const PICKER_SEED = 0x0e1b;

export function createProxyDataplane(deps: ProxyDataplaneDeps): ProxyDataplane {
  const { clock, observer } = deps;
  const logger = deps.logger.child({ component: 'elbv2-dataplane' });
  const offset = deps.privilegedPortOffset ?? 0;
  const tracker = new ConnectionTracker(observer, logger);
  const picker = new TargetPicker(seededRandom(PICKER_SEED), (target) => tracker.activeCount(target));
  const prober = new HealthProber({ clock, logger, observer });
  const connections = new TargetConnectionPool(MAX_IDLE_CONNECTIONS_PER_TARGET);
  const listeners = new Map<string, ListenerEntry>();
  /** Sockets replaced by a rebind or unbound, until they have closed (connections may still run on them). */
  const retired = new Map<ListenerServer, Promise<void>>();
  /** Binds under way, which close() waits for. */
  const pendingBinds = new Set<Promise<void>>();
  let closed = false;

  const report = (what: string, call: (o: LoadBalancerObserver) => void) => {
    try {
      call(observer());
    } catch (error) {
      logger.error({ err: error }, `the load balancer observer failed on ${what}`);
    }
  };

  function createListener(binding: ListenerBinding): ListenerServer {
    const common = { listenerArn: binding.listenerArn, clock, logger, routing: deps.routing, picker, tracker };
    if (binding.protocol === 'TCP') return createTcpProxyServer(common);
    const server = createHttpProxyServer({ ...common, connections });
    return { server, destroyConnections: () => server.closeAllConnections() };
  }

  /** Stops accepting; the connections already accepted go on unless `dropConnections`. */
  function retire(listener: ListenerServer, dropConnections: boolean): void {
    if (!retired.has(listener)) {
      const closing = new Promise<void>((resolve) => {
        if (!listener.server.listening) return resolve();
        listener.server.close(() => resolve());
      }).then(() => {
        retired.delete(listener);
      });
      retired.set(listener, closing);
    }
    if (dropConnections) listener.destroyConnections();
  }

  function bind(binding: ListenerBinding): void {
    const listener = createListener(binding);
    const entry: ListenerEntry = { binding, listener, state: 'binding' };
    listeners.set(binding.listenerArn, entry);
    listener.server.on('error', (error) =>
      logger.warn({ err: error, listenerArn: binding.listenerArn }, 'listener socket error'),
    );
    const realPort = realPortFor(binding.port, offset);
    const pending = listen(listener.server, binding.address, realPort).then((outcome) => {
      if (listeners.get(binding.listenerArn) !== entry || closed) {
        // Superseded (rebound, unbound or shut down) while the bind was under way.
        if (outcome.ok) retire(listener, true);
        return;
      }
      if (outcome.ok) {
        entry.state = 'bound';
        logger.info(
          {
            listenerArn: binding.listenerArn,
            protocol: binding.protocol,
            address: binding.address,
            port: outcome.port,
          },
          `listener serving on ${binding.address}:${outcome.port}`,
        );
        report('listenerBound', (o) => o.listenerBound(binding.listenerArn, binding.address, outcome.port));
        return;
      }
      entry.state = 'failed';
      const message = bindFailureMessage({
        code: outcome.code,
        message: outcome.message,
        address: binding.address,
        port: binding.port,
        realPort,
        privilegedPortOffset: offset,
      });
      logger.warn({ listenerArn: binding.listenerArn, code: outcome.code }, message);
      report('listenerBindFailed', (o) => o.listenerBindFailed(binding.listenerArn, message));
    });
    pendingBinds.add(pending);
    void pending.finally(() => pendingBinds.delete(pending));
  }

  return {
    bindListener(binding) {
      if (closed) return;
      const current = listeners.get(binding.listenerArn);
      if (current) {
        const same =
          current.binding.address === binding.address &&
          current.binding.port === binding.port &&
          current.binding.protocol === binding.protocol;
        // The same binding again is a no-op, unless the last attempt failed: then it is a retry.
        if (same && current.state !== 'failed') {
          current.binding = binding;
          return;
        }
        // A new port stops accepting on the old one; connections already there carry on.
        retire(current.listener, current.binding.protocol !== binding.protocol);
      }
      bind(binding);
    },

    unbindListener(listenerArn) {
      const current = listeners.get(listenerArn);
      if (!current) return;
      listeners.delete(listenerArn);
      retire(current.listener, true);
      logger.info({ listenerArn }, 'listener closed');
    },

    setHealthChecks(checks: HealthCheckSpec[]) {
      if (closed) return;
      prober.setHealthChecks(checks);
    },

    closeConnections(targetGroupArn, targetId, targetPort) {
      const count = tracker.closeTarget(targetGroupArn, targetId, targetPort);
      // Keep-alive connections to the target that sit idle in the pool go too.
      const address = tracker.addressOf(targetGroupArn, targetId, targetPort);
      if (address !== undefined) connections.destroyIdle(address, targetPort);
      logger.info(
        { targetGroupArn, targetId, targetPort, connections: count },
        'closed the connections of a deregistered target',
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      prober.close();
      // A bind that completes now sees `closed` and retires its socket at once.
      await Promise.all([...pendingBinds]);
      for (const entry of listeners.values()) retire(entry.listener, true);
      listeners.clear();
      for (const listener of retired.keys()) listener.destroyConnections();
      tracker.closeEverything();
      connections.destroyAll();
      await Promise.all([...retired.values()]);
      tracker.close();
    },
  };
}
