/**
 * VirtualClock: deterministic drydock time for tests and scenario simulation. Nothing fires
 * until the clock is advanced; then timers pop in (dueAtMs, sequence) order with now() set to
 * each timer's own due time before it runs, so a 48-hour connection drain or a lifecycle-hook
 * heartbeat timeout plays out in milliseconds and identically on every run.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { epochMs, requireFiniteMs, TimerHeap } from './clock.js';
import type { Clock, EpochMs, PendingTimer, TimerId } from './clock.js';

/** 2026-01-01T00:00:00Z: a fixed, recognisable start so virtual-time logs and timestamps are stable. */
export const DEFAULT_VIRTUAL_START_MS = epochMs(Date.UTC(2026, 0, 1));
/** runUntilIdle's default bounds: a week of virtual time, a million timers. */
export const DEFAULT_IDLE_LIMIT_MS = 7 * 24 * 3600 * 1000;
export const DEFAULT_IDLE_MAX_TIMERS = 1_000_000;
/** More timers than this firing at one virtual instant is a zero-delay loop, not a simulation. */
const MAX_TIMERS_PER_INSTANT = 1_000_000;

export interface VirtualClockOptions {
  /** Virtual epoch ms to start at; default 2026-01-01T00:00:00Z. */
  startAtMs?: number;
  /**
   * How many extra macrotask turns to wait between timers while a busy check (see addBusyCheck)
   * still reports work in flight. Bounded so a task blocked on virtual time cannot hang the clock.
   */
  maxBusyTurns?: number;
}

export interface RunUntilIdleOptions {
  /** Virtual time the run may cover; default one week. */
  limitMs?: number;
  /** Timers the run may fire; default one million. */
  maxTimers?: number;
}

export interface RunUntilIdleResult {
  firedCount: number;
  /** True when no timer is left; false when a bound stopped the run first. */
  idle: boolean;
  nowMs: EpochMs;
}

type StopReason = 'idle' | 'target' | 'maxTimers';

export class VirtualClock implements Clock {
  readonly mode = 'virtual' as const;
  private nowMs: EpochMs;
  private readonly timers = new TimerHeap();
  private readonly busyChecks = new Set<() => boolean>();
  private readonly maxBusyTurns: number;
  private advancing = false;
  private closed = false;

  constructor(options: VirtualClockOptions = {}) {
    const startAtMs = options.startAtMs ?? DEFAULT_VIRTUAL_START_MS;
    requireFiniteMs(startAtMs, 'startAtMs');
    this.nowMs = epochMs(startAtMs);
    this.maxBusyTurns = options.maxBusyTurns ?? 100;
  }

  now(): EpochMs {
    return this.nowMs;
  }

  schedule(atMs: EpochMs, task: () => void, label?: string): TimerId {
    requireFiniteMs(atMs, 'atMs');
    if (this.closed) return this.timers.issueDeadId();
    // Virtual time never runs backwards: a past timer is due now, after the timers already due now.
    return this.timers.add(epochMs(Math.max(atMs, this.nowMs)), task, label);
  }

  after(delayMs: number, task: () => void, label?: string): TimerId {
    requireFiniteMs(delayMs, 'delayMs');
    return this.schedule(epochMs(this.nowMs + delayMs), task, label);
  }

  cancel(id: TimerId): void {
    this.timers.cancel(id);
  }

  pendingTimerCount(): number {
    return this.timers.size;
  }

  /** Pending timers in firing order. */
  pendingTimers(): PendingTimer[] {
    return this.timers.list();
  }

  nextDueAtMs(): EpochMs | undefined {
    return this.timers.peek()?.dueAtMs;
  }

  close(): void {
    this.closed = true;
    this.timers.clear();
  }

  /**
   * Registers a check the clock consults between timers: while any check returns true, the clock
   * waits further macrotask turns (up to maxBusyTurns) before firing the next timer, so work that
   * spans several I/O turns (a ControlLoop's running reconciles) finishes at the virtual instant
   * it started. Returns the function that removes the check.
   */
  addBusyCheck(isBusy: () => boolean): () => void {
    this.busyChecks.add(isBusy);
    return () => this.busyChecks.delete(isBusy);
  }

  /** Moves time forward by ms, firing every timer due within it; resolves with the number fired. */
  async advanceBy(ms: number): Promise<number> {
    requireFiniteMs(ms, 'ms');
    if (ms < 0) throw new RangeError(`cannot advance a clock by a negative time (${ms} ms)`);
    return this.advanceTo(epochMs(this.nowMs + ms));
  }

  /** Moves time forward to atMs, firing every timer due up to and including atMs. */
  async advanceTo(atMs: EpochMs): Promise<number> {
    requireFiniteMs(atMs, 'atMs');
    if (atMs < this.nowMs) {
      throw new RangeError(
        `cannot move a virtual clock back from ${new Date(this.nowMs).toISOString()} to ${new Date(atMs).toISOString()}`,
      );
    }
    const { fired } = await this.fireUntil(atMs, Number.POSITIVE_INFINITY);
    this.nowMs = atMs;
    return fired;
  }

  /**
   * Jumps from timer to timer until none is left, or until limitMs of virtual time / maxTimers
   * have passed (always bounded). When the time limit stops the run, now() ends at the limit;
   * otherwise it stays at the last fired timer's due time.
   */
  async runUntilIdle(options: RunUntilIdleOptions = {}): Promise<RunUntilIdleResult> {
    const limitMs = options.limitMs ?? DEFAULT_IDLE_LIMIT_MS;
    const maxTimers = options.maxTimers ?? DEFAULT_IDLE_MAX_TIMERS;
    requireFiniteMs(limitMs, 'limitMs');
    if (limitMs < 0 || !(maxTimers >= 0)) throw new RangeError('runUntilIdle bounds must not be negative');
    const deadlineMs = epochMs(this.nowMs + limitMs);
    const { fired, reason } = await this.fireUntil(deadlineMs, maxTimers);
    if (reason === 'target') this.nowMs = deadlineMs;
    return { firedCount: fired, idle: reason === 'idle', nowMs: this.nowMs };
  }

  private async fireUntil(targetMs: EpochMs, maxTimers: number): Promise<{ fired: number; reason: StopReason }> {
    if (this.advancing) throw new Error('VirtualClock is already advancing; await the running advance first');
    this.advancing = true;
    try {
      let fired = 0;
      let firedAtThisInstant = 0;
      await this.letPendingWorkRun();
      for (;;) {
        const next = this.timers.peek();
        if (!next) return { fired, reason: 'idle' };
        if (next.dueAtMs > targetMs) return { fired, reason: 'target' };
        if (fired >= maxTimers) return { fired, reason: 'maxTimers' };
        const timer = this.timers.pop()!;
        firedAtThisInstant = timer.dueAtMs === this.nowMs ? firedAtThisInstant + 1 : 1;
        if (firedAtThisInstant > MAX_TIMERS_PER_INSTANT) {
          throw new Error(
            `more than ${MAX_TIMERS_PER_INSTANT} timers fired at ${new Date(this.nowMs).toISOString()} ` +
              `(last: ${timer.label ?? 'unlabelled'}); something reschedules itself without delay`,
          );
        }
        // Step to the timer's own instant before it runs, never to the target first.
        this.nowMs = timer.dueAtMs;
        fired += 1;
        // A throwing task rejects the advance: the clock stays at this timer's instant.
        timer.task();
        await this.letPendingWorkRun();
      }
    } finally {
      this.advancing = false;
    }
  }

  /** One macrotask turn (promise jobs and ready I/O callbacks run), more while a busy check says so. */
  private async letPendingWorkRun(): Promise<void> {
    await nextMacrotask();
    for (let turn = 0; turn < this.maxBusyTurns && this.anyBusy(); turn += 1) await nextMacrotask();
  }

  private anyBusy(): boolean {
    for (const isBusy of this.busyChecks) if (isBusy()) return true;
    return false;
  }
}
