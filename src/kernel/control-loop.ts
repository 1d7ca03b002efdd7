/**
 * ControlLoop: runs level-triggered reconcilers the way controller-runtime does. A request is
 * only a key; reconcile re-reads the store itself and may return `{ requeueAfterMs }` to be woken
 * at its next deadline (a lifecycle-hook heartbeat timeout, a deregistration delay). Errors are
 * logged with the key and retried with per-key exponential backoff unless they are TerminalError.
 *
 * All work runs on clock timers, "now" included: on a VirtualClock nothing is reconciled until
 * the clock is advanced (`advanceBy`, `runUntilIdle`), never spontaneously. So in virtual mode
 * `settled()` only resolves once someone advances the clock; there, `await clock.runUntilIdle()`
 * is the usual way to let the loop converge.
 */
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { VirtualClock } from './virtual-clock.js';
import { WorkQueue } from './work-queue.js';

export type ReconcileResult = void | { requeueAfterMs?: number };

export interface Reconciler {
  readonly name: string;
  reconcile(key: string): ReconcileResult | Promise<ReconcileResult>;
}

/** A failure retrying cannot fix (controller-runtime's TerminalError): logged, not retried. */
export class TerminalError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export interface ControlLoopOptions {
  clock: Clock;
  logger: Logger;
  /** Longest wait between retries of a failing key; default 60 s. */
  maxBackoffMs?: number;
  /** Wait before the first retry, doubled on every further failure; default 100 ms. */
  baseBackoffMs?: number;
}

export interface ControlLoopStats {
  /** Keys due now and not yet started. */
  queued: number;
  running: number;
  /** Keys waiting on a future timer (requeueAfterMs, backoff, delayed enqueue). */
  delayed: number;
  /** Reconcile calls finished, failed ones included. */
  reconciles: number;
  errors: number;
}

interface Registration {
  readonly queue: WorkQueue<string>;
  /** Consecutive failures per key; reset by a success or a TerminalError. */
  readonly failures: Map<string, number>;
}

export class ControlLoop {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxBackoffMs: number;
  private readonly baseBackoffMs: number;
  private readonly registrations = new Map<string, Registration>();
  private readonly settledWaiters: Array<() => void> = [];
  private readonly removeBusyCheck: (() => void) | undefined;
  private reconciles = 0;
  private errors = 0;
  private stopped = false;

  constructor(options: ControlLoopOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.baseBackoffMs = options.baseBackoffMs ?? 100;
    if (!(this.baseBackoffMs >= 0) || !(this.maxBackoffMs >= this.baseBackoffMs)) {
      throw new RangeError('backoff needs 0 <= baseBackoffMs <= maxBackoffMs');
    }
    // On virtual time, let reconciles that span several I/O turns finish before the next timer
    // fires, so each one sees the instant it started at.
    if (this.clock instanceof VirtualClock) {
      this.removeBusyCheck = this.clock.addBusyCheck(() => this.runningCount() > 0);
    }
  }

  register(reconciler: Reconciler): void {
    if (this.stopped) throw new Error(`cannot register reconciler ${reconciler.name}: the control loop is stopped`);
    if (this.registrations.has(reconciler.name))
      throw new Error(`a reconciler named ${reconciler.name} is already registered`);
    const failures = new Map<string, number>();
    const log = this.logger.child({ reconciler: reconciler.name });
    const queue: WorkQueue<string> = new WorkQueue<string>({
      clock: this.clock,
      name: reconciler.name,
      process: (key) => this.reconcileOnce(reconciler, key, queue, failures, log),
      onChange: () => this.changed(),
    });
    this.registrations.set(reconciler.name, { queue, failures });
  }

  /** Asks reconcilerName to reconcile key afterMs from now (default: at now, on a clock timer). */
  enqueue(reconcilerName: string, key: string, afterMs?: number): void {
    const registration = this.registrations.get(reconcilerName);
    if (!registration) throw new Error(`no reconciler named ${reconcilerName} is registered`);
    if (this.stopped) return;
    registration.queue.add(key, afterMs ?? 0);
  }

  /** Resolves when nothing is queued or running right now (timers in the future don't count). */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Stops taking work (pending timers are cancelled) and waits for running reconciles. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.registrations.values()].map(({ queue }) => queue.close()));
    this.removeBusyCheck?.();
  }

  stats(): ControlLoopStats {
    let queued = 0;
    let delayed = 0;
    for (const { queue } of this.registrations.values()) {
      queued += queue.queuedCount();
      delayed += queue.delayedCount();
    }
    return { queued, running: this.runningCount(), delayed, reconciles: this.reconciles, errors: this.errors };
  }

  /** The wait before retry number `failures` (1-based): base * 2^(failures-1), capped. */
  backoffMs(failures: number): number {
    return Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.max(0, failures - 1));
  }

  private async reconcileOnce(
    reconciler: Reconciler,
    key: string,
    queue: WorkQueue<string>,
    failures: Map<string, number>,
    log: Logger,
  ): Promise<void> {
    let result: ReconcileResult;
    try {
      result = await reconciler.reconcile(key);
    } catch (error) {
      this.reconciles += 1;
      this.errors += 1;
      if (error instanceof TerminalError) {
        failures.delete(key);
        log.error({ key, err: error, terminal: true }, 'reconcile failed with a terminal error; not retrying');
        return;
      }
      const count = (failures.get(key) ?? 0) + 1;
      failures.set(key, count);
      const retryInMs = this.backoffMs(count);
      log.error({ key, err: error, failures: count, retryInMs }, 'reconcile failed; retrying with backoff');
      if (!this.stopped) queue.add(key, retryInMs);
      return;
    }
    this.reconciles += 1;
    failures.delete(key);
    const requeueAfterMs = result?.requeueAfterMs;
    if (requeueAfterMs === undefined || this.stopped) return;
    if (!Number.isFinite(requeueAfterMs)) {
      log.warn({ key, requeueAfterMs }, 'reconcile asked for a requeue that is not a finite delay; ignored');
      return;
    }
    queue.add(key, Math.max(0, requeueAfterMs));
  }

  private runningCount(): number {
    let running = 0;
    for (const { queue } of this.registrations.values()) running += queue.runningCount();
    return running;
  }

  private isSettled(): boolean {
    for (const { queue } of this.registrations.values()) if (!queue.isSettled()) return false;
    return true;
  }

  private changed(): void {
    if (this.settledWaiters.length > 0 && this.isSettled()) {
      for (const resolve of this.settledWaiters.splice(0)) resolve();
    }
  }
}
