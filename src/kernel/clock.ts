/**
 * Clock: the one source of "now" and of timers for everything above the kernel. Every AWS
 * deadline drydock imitates (lifecycle-hook heartbeat timeout, deregistration delay, ECS
 * stopTimeout, cooldowns) is a timer on an injected Clock, so the same code runs on wall time
 * (SystemClock, optionally scaled) or on deterministic virtual time (VirtualClock).
 */

/** Milliseconds since the Unix epoch, in drydock time (which may be scaled or virtual). */
export type EpochMs = number & { readonly __brand: 'EpochMs' };
export type TimerId = number & { readonly __brand: 'TimerId' };

export const epochMs = (ms: number) => ms as EpochMs;

export interface Clock {
  readonly mode: 'real' | 'virtual';
  now(): EpochMs;
  /** Runs task at atMs (at once, asynchronously, if atMs is past). Timers due at the same instant run in scheduling order. */
  schedule(atMs: EpochMs, task: () => void, label?: string): TimerId;
  /** Same as schedule(now() + delayMs); a negative delay means "at once". */
  after(delayMs: number, task: () => void, label?: string): TimerId;
  /** Cancelling an unknown, fired or already cancelled timer is a no-op. */
  cancel(id: TimerId): void;
  pendingTimerCount(): number;
  /** Cancels every timer; the clock can no longer schedule (used at shutdown). */
  close(): void;
}

/** What a clock can tell about one pending timer (for the admin API and debugging). */
export interface PendingTimer {
  readonly id: TimerId;
  readonly dueAtMs: EpochMs;
  readonly label: string | undefined;
}

interface TimerEntry extends PendingTimer {
  readonly task: () => void;
  cancelled: boolean;
}

/** Throws the RangeError both clocks give for a time or delay that is not a finite number. */
export function requireFiniteMs(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${what} must be a finite number of milliseconds, got ${String(value)}`);
  }
}

/**
 * Kernel-internal priority queue of timers, ordered by (dueAtMs, id). Ids grow with every
 * schedule call, so the id doubles as the scheduling sequence that breaks ties between timers
 * due at the same instant (XState's SimulatedClock leaves such ties unordered). Cancelled
 * entries are dropped lazily when they reach the top, and compacted when they pile up.
 */
export class TimerHeap {
  private heap: TimerEntry[] = [];
  private readonly live = new Map<TimerId, TimerEntry>();
  private cancelledInHeap = 0;
  private lastId = 0;

  /** Live (scheduled, not fired, not cancelled) timers. */
  get size(): number {
    return this.live.size;
  }

  /** The id the most recent schedule call received (0 before any). */
  get lastIssuedId(): TimerId {
    return this.lastId as TimerId;
  }

  /** Hands out an id without scheduling anything (a closed clock's answer to schedule). */
  issueDeadId(): TimerId {
    this.lastId += 1;
    return this.lastId as TimerId;
  }

  add(dueAtMs: EpochMs, task: () => void, label: string | undefined): TimerId {
    const entry: TimerEntry = { id: this.issueDeadId(), dueAtMs, label, task, cancelled: false };
    this.live.set(entry.id, entry);
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    return entry.id;
  }

  cancel(id: TimerId): boolean {
    const entry = this.live.get(id);
    if (!entry) return false;
    entry.cancelled = true;
    this.live.delete(id);
    this.cancelledInHeap += 1;
    if (this.heap.length > 64 && this.cancelledInHeap > this.heap.length / 2) this.compact();
    return true;
  }

  /** The earliest live timer, without removing it. */
  peek(): PendingTimer | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer. */
  pop(): (PendingTimer & { readonly task: () => void }) | undefined {
    this.dropCancelledTop();
    const top = this.removeTop();
    if (top) this.live.delete(top.id);
    return top;
  }

  list(): PendingTimer[] {
    return [...this.live.values()].sort(compareTimers).map(({ id, dueAtMs, label }) => ({ id, dueAtMs, label }));
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
    this.cancelledInHeap = 0;
  }

  private dropCancelledTop(): void {
    while (this.heap[0]?.cancelled) {
      this.removeTop();
      this.cancelledInHeap -= 1;
    }
  }

  private compact(): void {
    this.heap = this.heap.filter((entry) => !entry.cancelled);
    this.cancelledInHeap = 0;
    for (let index = (this.heap.length >> 1) - 1; index >= 0; index -= 1) this.siftDown(index);
  }

  private removeTop(): TimerEntry | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top !== undefined && last !== undefined && last !== top) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (compareTimers(heap[index]!, heap[parent]!) >= 0) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let index = start;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && compareTimers(heap[left]!, heap[smallest]!) < 0) smallest = left;
      if (right < heap.length && compareTimers(heap[right]!, heap[smallest]!) < 0) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function compareTimers(a: PendingTimer, b: PendingTimer): number {
  return a.dueAtMs - b.dueAtMs || a.id - b.id;
}
