/**
 * Container health checks as Docker runs them for the ECS agent: a probe (`CMD` exec form, or
 * `CMD-SHELL` through /bin/sh -c) runs `interval` after the container starts and `interval` after
 * each probe ends, in the container's environment and working directory; one that outlives
 * `timeout` is killed and counts as a failure; `retries` consecutive failures make the container
 * UNHEALTHY, one success makes it HEALTHY; failures during `startPeriod` do not count until the
 * first success. Every wait is a timer on the injected Clock, so `--time-scale` shortens it.
 */
import { spawn } from 'node:child_process';
import type { Clock, TimerId } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { HealthCheckSpec } from '../services/ecs/ports.js';
import { killProcessGroup } from './process-signals.js';

export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';

export interface HealthState {
  status: HealthStatus;
  /** Consecutive failures that counted. */
  failingStreak: number;
  /** A probe has passed since the container started (ends the start period early, as in Docker). */
  passedOnce: boolean;
}

export const initialHealth = (): HealthState => ({ status: 'UNKNOWN', failingStreak: 0, passedOnce: false });

/** The next health state after one probe that began `sinceStartMs` after the container started. */
export function recordProbe(
  state: HealthState,
  probe: { ok: boolean; sinceStartMs: number },
  spec: Pick<HealthCheckSpec, 'retries' | 'startPeriodMs'>,
): HealthState {
  if (probe.ok) return { status: 'HEALTHY', failingStreak: 0, passedOnce: true };
  if (!state.passedOnce && probe.sinceStartMs < spec.startPeriodMs) return state;
  const failingStreak = state.failingStreak + 1;
  const status = failingStreak >= Math.max(1, spec.retries) ? 'UNHEALTHY' : state.status;
  return { status, failingStreak, passedOnce: state.passedOnce };
}

/** The probe's argv: `['CMD', 'curl', '-f', url]` → exec; `['CMD-SHELL', 'curl -f url || exit 1']` → /bin/sh -c. */
export function probeArgv(command: readonly string[]): [string, ...string[]] | undefined {
  const [kind, ...rest] = command;
  if (kind === 'CMD') return rest.length > 0 ? (rest as [string, ...string[]]) : undefined;
  if (kind === 'CMD-SHELL') return rest.length > 0 ? ['/bin/sh', '-c', rest.join(' ')] : undefined;
  if (kind === 'NONE' || kind === undefined) return undefined;
  // No prefix: Docker's exec form.
  return command as unknown as [string, ...string[]];
}

export interface HealthCheckRunnerOptions {
  clock: Clock;
  logger: Logger;
  spec: HealthCheckSpec;
  env: Record<string, string>;
  cwd: string | undefined;
  onStatus: (status: HealthStatus) => void;
}

/** Docker keeps this much of a probe's output; drydock logs it at debug level. */
const MAX_PROBE_OUTPUT_CHARS = 4096;

export class HealthCheckRunner {
  private state = initialHealth();
  private readonly startedAtMs: number;
  private timer: TimerId | undefined;
  private probePid: number | undefined;
  private stopped = false;

  constructor(private readonly options: HealthCheckRunnerOptions) {
    this.startedAtMs = options.clock.now();
  }

  get status(): HealthStatus {
    return this.state.status;
  }

  start(): void {
    this.scheduleNext();
  }

  /** Cancels the next probe and kills a probe in flight. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.cancel(this.timer);
    this.timer = undefined;
    if (this.probePid !== undefined) killProcessGroup(this.probePid, 'SIGKILL');
    this.probePid = undefined;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.after(this.options.spec.intervalMs, () => this.runProbe(), 'health-check interval');
  }

  private runProbe(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const { clock, spec, logger } = this.options;
    const sinceStartMs = clock.now() - this.startedAtMs;
    const argv = probeArgv(spec.command);
    if (!argv) {
      this.finish({ ok: false, sinceStartMs });
      return;
    }
    let settled = false;
    let output = '';
    const settle = (ok: boolean, detail: string) => {
      if (settled) return;
      settled = true;
      clock.cancel(timeout);
      this.probePid = undefined;
      logger.debug({ probe: argv, ok, detail, output: output.trim() }, 'container health probe');
      this.finish({ ok, sinceStartMs });
    };
    const child = spawn(argv[0], argv.slice(1), {
      env: this.options.env,
      ...(this.options.cwd !== undefined ? { cwd: this.options.cwd } : {}),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_PROBE_OUTPUT_CHARS) output += chunk.toString('utf8').slice(0, MAX_PROBE_OUTPUT_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    this.probePid = child.pid;
    const timeout = clock.after(
      spec.timeoutMs,
      () => {
        if (child.pid !== undefined) killProcessGroup(child.pid, 'SIGKILL');
        settle(false, `Health check exceeded timeout (${spec.timeoutMs}ms)`);
      },
      'health-check timeout',
    );
    child.on('error', (error) => settle(false, `probe could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (child.pid !== undefined) killProcessGroup(child.pid, 'SIGKILL');
      settle(code === 0, `exit ${code ?? signal ?? 'unknown'}`);
    });
  }

  private finish(probe: { ok: boolean; sinceStartMs: number }): void {
    if (this.stopped) return;
    const before = this.state.status;
    this.state = recordProbe(this.state, probe, this.options.spec);
    if (this.state.status !== before) this.options.onStatus(this.state.status);
    this.scheduleNext();
  }
}
