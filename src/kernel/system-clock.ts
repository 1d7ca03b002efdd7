/**
 * SystemClock: drydock time on the wall clock, optionally scaled (`--time-scale 60` makes a
 * 300 s ELB deregistration delay pass in 5 s of wall time). This file is the only place in
 * drydock that reads ambient time or arms real timers; everything else goes through Clock.
 */
import { performance } from 'node:perf_hooks';
import { epochMs, requireFiniteMs, TimerHeap } from './clock.js';
import type { Clock, EpochMs, PendingTimer, TimerId } from './clock.js';

/** setTimeout's own limit; longer waits are re-armed in steps. */
const MAX_REAL_DELAY_MS = 2 ** 31 - 1;

export interface SystemClockOptions {
  /** How much faster than wall time drydock time runs; 1 (the default) is real time. */
  timeScale?: number;
  /**
   * Called when a timer task throws. The default rethrows it asynchronously, so it surfaces as an
   * uncaught exception just as it would from a bare setTimeout; the other due timers still run.
   */
  onTaskError?: (error: unknown, label: string | undefined) => void;
}

export class SystemClock implements Clock {
  readonly mode = 'real' as const;
  readonly timeScale: number;
  private readonly startEpochMs: number;
  private readonly startMonotonicMs: number;
  private readonly timers = new TimerHeap();
  private readonly onTaskError: (error: unknown, label: string | undefined) => void;
  private handle: NodeJS.Timeout | undefined;
  /** The drydock time the real timer in `handle` was armed for. */
  private armedForMs: number | undefined;
  private closed = false;

  constructor(options: SystemClockOptions = {}) {
    const timeScale = options.timeScale ?? 1;
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}`);
    }
    this.timeScale = timeScale;
    this.onTaskError = options.onTaskError ?? rethrowAsynchronously;
    this.startEpochMs = Date.now();
    // Elapsed time comes from the monotonic clock so drydock time never runs backwards when the
    // wall clock is adjusted.
    this.startMonotonicMs = performance.now();
  }

  now(): EpochMs {
    return epochMs(Math.floor(this.startEpochMs + (performance.now() - this.startMonotonicMs) * this.timeScale));
  }

  schedule(atMs: EpochMs, task: () => void, label?: string): TimerId {
    requireFiniteMs(atMs, 'atMs');
    if (this.closed) return this.timers.issueDeadId();
    // A past time is clamped to now, so it runs after timers already due and before later ones.
    const id = this.timers.add(epochMs(Math.max(atMs, this.now())), task, label);
    this.arm();
    return id;
  }

  after(delayMs: number, task: () => void, label?: string): TimerId {
    requireFiniteMs(delayMs, 'delayMs');
    return this.schedule(epochMs(this.now() + delayMs), task, label);
  }

  cancel(id: TimerId): void {
    if (this.timers.cancel(id)) this.arm();
  }

  pendingTimerCount(): number {
    return this.timers.size;
  }

  pendingTimers(): PendingTimer[] {
    return this.timers.list();
  }

  close(): void {
    this.closed = true;
    this.timers.clear();
    this.disarm();
  }

  /** Keeps exactly one unref'd real timer armed for the earliest pending drydock timer. */
  private arm(): void {
    const next = this.timers.peek();
    if (!next) {
      this.disarm();
      return;
    }
    if (this.handle !== undefined && this.armedForMs === next.dueAtMs) return;
    this.disarm();
    // Rounding up means the real timer never fires before the drydock time it is armed for.
    const wallDelayMs = Math.min(
      MAX_REAL_DELAY_MS,
      Math.max(0, Math.ceil((next.dueAtMs - this.now()) / this.timeScale)),
    );
    this.armedForMs = next.dueAtMs;
    this.handle = setTimeout(() => this.fireDue(), wallDelayMs);
    this.handle.unref();
  }

  private disarm(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedForMs = undefined;
  }

  private fireDue(): void {
    this.handle = undefined;
    this.armedForMs = undefined;
    const nowMs = this.now();
    // Timers scheduled by the tasks of this batch wait for the next turn, so a task that keeps
    // rescheduling itself "now" cannot starve the event loop.
    const lastIdOfBatch = this.timers.lastIssuedId;
    for (;;) {
      const next = this.timers.peek();
      if (!next || next.dueAtMs > nowMs || next.id > lastIdOfBatch) break;
      const timer = this.timers.pop()!;
      try {
        timer.task();
      } catch (error) {
        this.onTaskError(error, timer.label);
      }
      if (this.closed) return;
    }
    this.arm();
  }
}

function rethrowAsynchronously(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
