/**
 * WorkQueue: a keyed, de-duplicating queue driven by the Clock, after client-go's workqueue that
 * controller-runtime builds on. A key added many times before it is processed is processed once;
 * a key added while it is being processed is processed again afterwards, never concurrently;
 * delayed adds are clock timers and the earliest one wins. Even "now" is a clock timer at now(),
 * so on a VirtualClock nothing is processed until the clock is advanced.
 */
import { epochMs } from './clock.js';
import type { Clock, EpochMs, TimerId } from './clock.js';

export interface WorkQueueOptions<K> {
  clock: Clock;
  /** Processes one key; the queue never runs it twice at once for the same key. */
  process: (key: K) => void | Promise<void>;
  /** Used in timer labels. */
  name?: string;
  /** Called when process throws; the default rethrows asynchronously (an uncaught error). */
  onError?: (error: unknown, key: K) => void;
  /** Called after every change of what is queued or running. */
  onChange?: () => void;
}

interface KeyState {
  timer: { id: TimerId; dueAtMs: EpochMs } | undefined;
  running: boolean;
  /** Its timer fired while it was running: process it again when the run ends. */
  rerun: boolean;
}

export class WorkQueue<K = string> {
  private readonly states = new Map<K, KeyState>();
  private readonly settledWaiters: Array<() => void> = [];
  private running = 0;
  private reruns = 0;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WorkQueueOptions<K>) {}

  /** Queues key for processing afterMs from now (default 0: at now, on a clock timer). */
  add(key: K, afterMs = 0): void {
    if (this.closed) return;
    const { clock } = this.options;
    const dueAtMs = epochMs(clock.now() + Math.max(0, afterMs));
    const state = this.stateOf(key);
    if (state.timer && state.timer.dueAtMs <= dueAtMs) return;
    if (state.timer) clock.cancel(state.timer.id);
    const label = `${this.options.name ?? 'work-queue'} ${String(key)}`;
    state.timer = { id: clock.schedule(dueAtMs, () => this.fire(key), label), dueAtMs };
    this.changed();
  }

  /** Drops a key's pending processing (not a run in progress). */
  forget(key: K): void {
    const state = this.states.get(key);
    if (!state) return;
    if (state.timer) this.options.clock.cancel(state.timer.id);
    state.timer = undefined;
    if (state.rerun) this.reruns -= 1;
    state.rerun = false;
    this.cleanUp(key, state);
    this.changed();
  }

  /** When key is next due, if it is waiting on a timer. */
  dueAtMs(key: K): EpochMs | undefined {
    return this.states.get(key)?.timer?.dueAtMs;
  }

  isRunning(key: K): boolean {
    return this.states.get(key)?.running ?? false;
  }

  /** Keys waiting to be processed right now: due timers not yet fired, and reruns. */
  queuedCount(): number {
    const nowMs = this.options.clock.now();
    let due = this.reruns;
    for (const state of this.states.values()) if (state.timer && state.timer.dueAtMs <= nowMs) due += 1;
    return due;
  }

  /** Keys waiting on a timer in the future. */
  delayedCount(): number {
    const nowMs = this.options.clock.now();
    let delayed = 0;
    for (const state of this.states.values()) if (state.timer && state.timer.dueAtMs > nowMs) delayed += 1;
    return delayed;
  }

  runningCount(): number {
    return this.running;
  }

  /** Nothing is queued or running right now (timers in the future don't count). */
  isSettled(): boolean {
    return this.running === 0 && this.reruns === 0 && this.queuedCount() === 0;
  }

  /** Resolves when isSettled() holds; on a VirtualClock that needs the clock to be advanced. */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Stops taking work, cancels pending timers and resolves when running work has finished. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    for (const [key, state] of this.states) {
      if (state.timer) this.options.clock.cancel(state.timer.id);
      state.timer = undefined;
      state.rerun = false;
      this.cleanUp(key, state);
    }
    this.reruns = 0;
    this.changed();
    this.closing = this.settled();
    return this.closing;
  }

  private stateOf(key: K): KeyState {
    let state = this.states.get(key);
    if (!state) {
      state = { timer: undefined, running: false, rerun: false };
      this.states.set(key, state);
    }
    return state;
  }

  private fire(key: K): void {
    const state = this.states.get(key);
    if (!state || this.closed) return;
    state.timer = undefined;
    if (state.running) {
      if (!state.rerun) this.reruns += 1;
      state.rerun = true;
      this.changed();
      return;
    }
    void this.run(key, state);
  }

  private async run(key: K, state: KeyState): Promise<void> {
    state.running = true;
    this.running += 1;
    this.changed();
    try {
      await this.options.process(key);
    } catch (error) {
      this.reportError(error, key);
    } finally {
      state.running = false;
      this.running -= 1;
      if (state.rerun) {
        state.rerun = false;
        this.reruns -= 1;
        this.add(key, 0);
      }
      this.cleanUp(key, state);
      this.changed();
    }
  }

  private reportError(error: unknown, key: K): void {
    if (this.options.onError) this.options.onError(error, key);
    else
      queueMicrotask(() => {
        throw error;
      });
  }

  private cleanUp(key: K, state: KeyState): void {
    if (!state.timer && !state.running && !state.rerun) this.states.delete(key);
  }

  private changed(): void {
    this.options.onChange?.();
    if (this.settledWaiters.length > 0 && this.isSettled()) {
      for (const resolve of this.settledWaiters.splice(0)) resolve();
    }
  }
}
