/**
 * ELB target health checks as real probes: every `HealthCheckIntervalSeconds` an HTTP GET of the
 * path whose status must match `Matcher.HttpCode`, or a TCP connect; no answer within
 * `HealthCheckTimeoutSeconds` is `Target.Timeout`. Results go to the control plane, which counts
 * thresholds. Intervals and timeouts are Clock timers, so `--time-scale` shortens them.
 */
import http from 'node:http';
import net from 'node:net';
import { epochMs, type Clock, type TimerId } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { HealthCheckSpec, LoadBalancerObserver, ProbeResult } from '../../services/elbv2/ports.js';
import { endpointKey } from './connection-tracker.js';
import { parseStatusMatcher, type StatusMatcher } from './status-matcher.js';

/** What ALB's health checker says it is. */
export const HEALTH_CHECK_USER_AGENT = 'ELB-HealthChecker/2.0';

export const PROBE_TIMEOUT: ProbeResult = { ok: false, reasonCode: 'Target.Timeout' };
export const PROBE_FAILED: ProbeResult = { ok: false, reasonCode: 'Target.FailedHealthChecks' };

export interface HealthProberDeps {
  clock: Clock;
  logger: Logger;
  observer: () => LoadBalancerObserver;
}

/** One probe: runs `onDone` exactly once unless aborted first; returns the abort. */
export type Probe = (
  spec: HealthCheckSpec,
  matcher: StatusMatcher,
  onDone: (result: ProbeResult) => void,
) => () => void;

interface ProbeSchedule {
  readonly spec: HealthCheckSpec;
  readonly signature: string;
  readonly matcher: StatusMatcher | undefined;
  timer: TimerId | undefined;
  abortRunning: (() => void) | undefined;
  stopped: boolean;
}

export class HealthProber {
  private readonly schedules = new Map<string, ProbeSchedule>();
  private readonly probes: Record<HealthCheckSpec['protocol'], Probe>;

  constructor(private readonly deps: HealthProberDeps) {
    this.probes = { HTTP: httpProbe(deps.clock), TCP: tcpProbe(deps.clock) };
  }

  /** Replaces the probe set: unchanged checks keep their rhythm, changed ones restart, others stop. */
  setHealthChecks(specs: readonly HealthCheckSpec[]): void {
    const wanted = new Map<string, HealthCheckSpec>();
    for (const spec of specs) wanted.set(endpointKey(spec.target), spec);
    for (const [key, schedule] of this.schedules) {
      const spec = wanted.get(key);
      if (!spec || signatureOf(spec) !== schedule.signature) {
        this.stop(schedule);
        this.schedules.delete(key);
      }
    }
    for (const [key, spec] of wanted) {
      if (this.schedules.has(key)) continue;
      const schedule = this.start(spec);
      this.schedules.set(key, schedule);
    }
  }

  /** Checks currently scheduled (for tests and status). */
  get size(): number {
    return this.schedules.size;
  }

  close(): void {
    for (const schedule of this.schedules.values()) this.stop(schedule);
    this.schedules.clear();
  }

  private start(spec: HealthCheckSpec): ProbeSchedule {
    let matcher: StatusMatcher | undefined;
    if (spec.protocol === 'HTTP') {
      try {
        matcher = parseStatusMatcher(spec.matcher);
      } catch (error) {
        this.deps.logger.warn(
          { err: error, targetGroupArn: spec.targetGroupArn },
          'health check matcher unusable; using 200',
        );
        matcher = (code) => code === 200;
      }
    }
    const schedule: ProbeSchedule = {
      spec,
      signature: signatureOf(spec),
      matcher,
      timer: undefined,
      abortRunning: undefined,
      stopped: false,
    };
    // The first check runs at once: a newly registered target waits in `initial` for it.
    schedule.timer = this.deps.clock.after(0, () => this.run(schedule), 'elbv2 health check');
    return schedule;
  }

  private run(schedule: ProbeSchedule): void {
    schedule.timer = undefined;
    if (schedule.stopped) return;
    const { clock } = this.deps;
    const startedAt = clock.now();
    const { spec } = schedule;
    const onDone = (result: ProbeResult) => {
      schedule.abortRunning = undefined;
      if (schedule.stopped) return;
      this.report(spec, result);
      if (schedule.stopped) return;
      // The interval runs from the start of one check to the start of the next.
      schedule.timer = clock.schedule(
        epochMs(startedAt + spec.intervalMs),
        () => this.run(schedule),
        'elbv2 health check',
      );
    };
    try {
      schedule.abortRunning = this.probes[spec.protocol](spec, schedule.matcher ?? (() => true), onDone);
    } catch (error) {
      // A request node refuses to send (say, a path with a space) fails like a refused connection.
      this.deps.logger.warn({ err: error, targetGroupArn: spec.targetGroupArn }, 'health check could not be sent');
      onDone(PROBE_FAILED);
    }
  }

  private stop(schedule: ProbeSchedule): void {
    schedule.stopped = true;
    if (schedule.timer !== undefined) this.deps.clock.cancel(schedule.timer);
    schedule.timer = undefined;
    schedule.abortRunning?.();
    schedule.abortRunning = undefined;
  }

  private report(spec: HealthCheckSpec, result: ProbeResult): void {
    const { target } = spec;
    if (!result.ok) {
      this.deps.logger.debug(
        { targetGroupArn: spec.targetGroupArn, targetId: target.id, port: spec.port, ...result },
        'health check failed',
      );
    }
    try {
      this.deps.observer().probeCompleted(spec.targetGroupArn, target.id, target.port, result);
    } catch (error) {
      this.deps.logger.error(
        { err: error, targetId: target.id },
        'the load balancer observer failed on probeCompleted',
      );
    }
  }
}

function signatureOf(spec: HealthCheckSpec): string {
  const { target } = spec;
  return [
    spec.protocol,
    target.address,
    target.port,
    spec.port,
    spec.path,
    spec.matcher,
    spec.intervalMs,
    spec.timeoutMs,
  ].join(' ');
}

/** Calls finish once; the timeout is a Clock timer, cancelled with the probe. */
function oneShot(clock: Clock, timeoutMs: number, cleanup: () => void, onDone: (result: ProbeResult) => void) {
  let done = false;
  const timer = clock.after(timeoutMs, () => settle(PROBE_TIMEOUT), 'elbv2 health check timeout');
  function settle(result: ProbeResult | undefined): void {
    if (done) return;
    done = true;
    clock.cancel(timer);
    cleanup();
    if (result) onDone(result);
  }
  return settle;
}

/** GET the path on the target; the status code decides (the body is not read). */
export function httpProbe(clock: Clock): Probe {
  return (spec, matcher, onDone) => {
    const { address } = spec.target;
    const path = spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
    const request = http.request({
      host: address,
      port: spec.port,
      path,
      method: 'GET',
      agent: false,
      setHost: false,
      headers: {
        host: `${address}:${spec.port}`,
        'user-agent': HEALTH_CHECK_USER_AGENT,
        accept: '*/*',
        connection: 'close',
      },
    });
    const settle = oneShot(clock, spec.timeoutMs, () => request.destroy(), onDone);
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      response.resume();
      settle(matcher(statusCode) ? { ok: true } : { ok: false, reasonCode: 'Target.ResponseCodeMismatch', statusCode });
    });
    request.on('error', () => settle(PROBE_FAILED));
    request.end();
    return () => settle(undefined);
  };
}

/** A TCP handshake with the target is the whole check. */
export function tcpProbe(clock: Clock): Probe {
  return (spec, _matcher, onDone) => {
    const socket = net.connect({ host: spec.target.address, port: spec.port });
    const settle = oneShot(clock, spec.timeoutMs, () => socket.destroy(), onDone);
    socket.once('connect', () => settle({ ok: true }));
    socket.once('error', () => settle(PROBE_FAILED));
    return () => settle(undefined);
  };
}
