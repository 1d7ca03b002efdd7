/**
 * The simulated load-balancer data plane: LoadBalancerDataplanePort for virtual time, where no
 * socket opens. Listeners "bind" at once (two listeners on one address and port: the second
 * fails, as a real bind would); health checks are probes on the clock, one per check every
 * interval, the first one interval after the check is handed over, passing with probability
 * `probeSuccessRate` (seeded; default 1) unless a test forces the outcome of whatever listens at
 * an address and port; connections are counts per target, opened through ELBv2's routing
 * decisions and reported back as activity, and `closeConnections` drops them.
 */
import type { Clock, TimerId } from '../kernel/clock.js';
import type { Random } from '../kernel/random.js';
import {
  UNREACHABLE_TARGET_ADDRESS,
  type HealthCheckSpec,
  type HttpRequestInfo,
  type ListenerBinding,
  type LoadBalancerDataplanePort,
  type LoadBalancerObserver,
  type ProbeResult,
  type RoutingApi,
  type TargetEndpoint,
} from '../services/elbv2/ports.js';

export interface SimulatedLoadBalancerDeps {
  clock: Clock;
  random: Random;
  observer: () => LoadBalancerObserver;
  /** Chance that a probe passes (default 1: every target is healthy). */
  probeSuccessRate?: number;
  /** ELBv2's routing decisions, which openConnection needs to pick a target. */
  routing?: () => RoutingApi;
}

export interface SimulatedConnection {
  id: string;
  listenerArn: string;
  targetGroupArn: string;
  targetId: string;
  port: number;
}

export interface SimulatedLoadBalancer extends LoadBalancerDataplanePort {
  /** Opens a connection (NLB) or starts a request (ALB) through a listener; undefined when nothing can take it. */
  openConnection(listenerArn: string, request?: Partial<HttpRequestInfo>): string | undefined;
  closeConnection(id: string): void;
  activeConnections(targetGroupArn: string, targetId: string, port: number): number;
  connection(id: string): SimulatedConnection | undefined;
  /** Forces the outcome of every probe of address:port (undefined: back to probeSuccessRate). */
  setProbeOutcome(address: string, port: number, result: ProbeResult | undefined): void;
  bindings(): ListenerBinding[];
  healthChecks(): HealthCheckSpec[];
  /** Cancels every probe timer. */
  close(): void;
}

interface RunningCheck {
  spec: HealthCheckSpec;
  text: string;
  timers: Set<TimerId>;
}

const checkKey = (spec: { targetGroupArn: string; target: { id: string; port: number } }) =>
  `${spec.targetGroupArn}|${spec.target.id}|${spec.target.port}`;
const activityKey = (targetGroupArn: string, targetId: string, port: number) => `${targetGroupArn}|${targetId}|${port}`;

export function createSimulatedLoadBalancerDataplane(deps: SimulatedLoadBalancerDeps): SimulatedLoadBalancer {
  const { clock, random } = deps;
  const successRate = deps.probeSuccessRate ?? 1;
  const listeners = new Map<string, ListenerBinding>();
  const checks = new Map<string, RunningCheck>();
  const forced = new Map<string, ProbeResult>();
  const connections = new Map<string, SimulatedConnection>();
  const counts = new Map<string, number>();
  const rotation = new Map<string, number>();
  let sequence = 0;

  const outcome = (spec: HealthCheckSpec): ProbeResult => {
    const forcedResult = forced.get(`${spec.target.address}:${spec.port}`);
    if (forcedResult) return forcedResult;
    if (spec.target.address === UNREACHABLE_TARGET_ADDRESS) return { ok: false, reasonCode: 'Target.Timeout' };
    if (random.float() < successRate) return { ok: true };
    return spec.protocol === 'HTTP'
      ? { ok: false, reasonCode: 'Target.ResponseCodeMismatch', statusCode: 503 }
      : { ok: false, reasonCode: 'Target.FailedHealthChecks' };
  };

  const schedule = (check: RunningCheck, delayMs: number, task: () => void) => {
    const timer: TimerId = clock.after(
      delayMs,
      () => {
        check.timers.delete(timer);
        task();
      },
      'elbv2 health check',
    );
    check.timers.add(timer);
  };

  const probe = (check: RunningCheck) => {
    const spec = check.spec;
    const result = outcome(spec);
    const report = () => deps.observer().probeCompleted(spec.targetGroupArn, spec.target.id, spec.target.port, result);
    // A probe that times out is reported when its timeout ends; any other outcome at once.
    if (result.reasonCode === 'Target.Timeout') schedule(check, spec.timeoutMs, report);
    else report();
    schedule(check, spec.intervalMs, () => probe(check));
  };

  const stopCheck = (key: string) => {
    const check = checks.get(key);
    if (!check) return;
    for (const timer of check.timers) clock.cancel(timer);
    checks.delete(key);
  };

  const setCount = (targetGroupArn: string, targetId: string, port: number, count: number) => {
    const key = activityKey(targetGroupArn, targetId, port);
    if (count > 0) counts.set(key, count);
    else counts.delete(key);
    deps.observer().activityChanged(targetGroupArn, targetId, port, count);
  };

  const pick = (
    targetGroupArn: string,
    candidates: TargetEndpoint[],
    algorithm: 'round_robin' | 'least_outstanding_requests' | 'weighted_random',
  ) => {
    if (algorithm === 'weighted_random') return random.pick(candidates);
    if (algorithm === 'least_outstanding_requests') {
      const load = (endpoint: TargetEndpoint) =>
        counts.get(activityKey(targetGroupArn, endpoint.id, endpoint.port)) ?? 0;
      return candidates.reduce((best, endpoint) => (load(endpoint) < load(best) ? endpoint : best));
    }
    const turn = rotation.get(targetGroupArn) ?? 0;
    rotation.set(targetGroupArn, turn + 1);
    return candidates[turn % candidates.length]!;
  };

  return {
    bindListener(binding) {
      const previous = listeners.get(binding.listenerArn);
      listeners.delete(binding.listenerArn);
      const taken = [...listeners.values()].some(
        (other) => other.address === binding.address && other.port === binding.port,
      );
      if (taken) {
        if (previous) listeners.set(binding.listenerArn, previous);
        clock.after(0, () =>
          deps
            .observer()
            .listenerBindFailed(binding.listenerArn, `${binding.address}:${binding.port} is already in use`),
        );
        return;
      }
      listeners.set(binding.listenerArn, { ...binding });
      clock.after(0, () => deps.observer().listenerBound(binding.listenerArn, binding.address, binding.port));
    },

    unbindListener(listenerArn) {
      listeners.delete(listenerArn);
    },

    setHealthChecks(specs) {
      const wanted = new Map(specs.map((spec) => [checkKey(spec), spec]));
      for (const key of [...checks.keys()]) if (!wanted.has(key)) stopCheck(key);
      for (const [key, spec] of wanted) {
        const text = JSON.stringify(spec);
        if (checks.get(key)?.text === text) continue;
        stopCheck(key);
        const check: RunningCheck = { spec, text, timers: new Set() };
        checks.set(key, check);
        schedule(check, spec.intervalMs, () => probe(check));
      }
    },

    closeConnections(targetGroupArn, targetId, port) {
      for (const [id, connection] of connections) {
        if (
          connection.targetGroupArn === targetGroupArn &&
          connection.targetId === targetId &&
          connection.port === port
        ) {
          connections.delete(id);
        }
      }
      if (counts.has(activityKey(targetGroupArn, targetId, port))) setCount(targetGroupArn, targetId, port, 0);
    },

    openConnection(listenerArn, request = {}) {
      const binding = listeners.get(listenerArn);
      if (!binding) return undefined;
      if (!deps.routing) throw new Error('the simulated load balancer needs ELBv2 routing to open connections');
      const routing = deps.routing();
      let chosen: { targetGroupArn: string; endpoint: TargetEndpoint } | undefined;
      if (binding.protocol === 'HTTP') {
        const decision = routing.routeHttp(listenerArn, {
          method: request.method ?? 'GET',
          path: request.path ?? '/',
          query: request.query ?? new URLSearchParams(),
          headers: { host: `${binding.address}:${binding.port}`, ...request.headers },
          sourceIp: request.sourceIp ?? '127.0.0.1',
        });
        if (decision.kind === 'forward') {
          chosen = {
            targetGroupArn: decision.targetGroupArn,
            endpoint: pick(decision.targetGroupArn, decision.candidates, decision.algorithm),
          };
        }
      } else {
        const decision = routing.routeTcp(listenerArn, request.sourceIp ?? '127.0.0.1');
        if (decision.kind === 'forward') {
          chosen = {
            targetGroupArn: decision.targetGroupArn,
            endpoint: pick(decision.targetGroupArn, decision.candidates, 'round_robin'),
          };
        }
      }
      if (!chosen) return undefined;
      sequence += 1;
      const connection: SimulatedConnection = {
        id: `connection-${sequence}`,
        listenerArn,
        targetGroupArn: chosen.targetGroupArn,
        targetId: chosen.endpoint.id,
        port: chosen.endpoint.port,
      };
      connections.set(connection.id, connection);
      const key = activityKey(connection.targetGroupArn, connection.targetId, connection.port);
      setCount(connection.targetGroupArn, connection.targetId, connection.port, (counts.get(key) ?? 0) + 1);
      return connection.id;
    },

    closeConnection(id) {
      const connection = connections.get(id);
      if (!connection) return;
      connections.delete(id);
      const key = activityKey(connection.targetGroupArn, connection.targetId, connection.port);
      setCount(connection.targetGroupArn, connection.targetId, connection.port, (counts.get(key) ?? 1) - 1);
    },

    activeConnections(targetGroupArn, targetId, port) {
      return counts.get(activityKey(targetGroupArn, targetId, port)) ?? 0;
    },

    connection(id) {
      const connection = connections.get(id);
      return connection ? { ...connection } : undefined;
    },

    setProbeOutcome(address, port, result) {
      if (result) forced.set(`${address}:${port}`, result);
      else forced.delete(`${address}:${port}`);
    },

    bindings: () => [...listeners.values()].map((binding) => ({ ...binding })),
    healthChecks: () => [...checks.values()].map((check) => check.spec),

    close() {
      for (const key of [...checks.keys()]) stopCheck(key);
    },
  };
}
