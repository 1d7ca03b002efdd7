/**
 * Long polling (ReceiveMessage with WaitTimeSeconds): a receive that finds nothing waits, holding
 * its HTTP request open, until a message may have become available in its queue (a send, a
 * visibility change, a message coming due) or its wait ends, whichever comes first. Both wake-ups
 * are on the kernel clock, so on virtual time a 20-second poll ends when the clock is advanced.
 */
import { epochMs, type Clock, type TimerId } from '../../kernel/clock.js';

export class ArrivalWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private stopped = false;

  constructor(private readonly clock: Clock) {}

  /** True once close() was called: receives answer with what they have instead of waiting. */
  get closed(): boolean {
    return this.stopped;
  }

  /** Resolves when notify(queueKey) is called, when the clock reaches untilMs, or at close(). */
  wait(queueKey: string, untilMs: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiting.get(queueKey) ?? new Set<() => void>();
      this.waiting.set(queueKey, set);
      const wake = () => {
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(queueKey) === set) this.waiting.delete(queueKey);
        this.clock.cancel(timer);
        resolve();
      };
      set.add(wake);
      const timer: TimerId = this.clock.schedule(epochMs(untilMs), wake, `sqs long poll ${queueKey}`);
    });
  }

  /** Wakes every receive waiting on the queue; each looks again and waits on if it finds nothing. */
  notify(queueKey: string): void {
    const set = this.waiting.get(queueKey);
    if (set) for (const wake of [...set]) wake();
  }

  /** Ends every wait (drydock is stopping): held requests are answered, so the server can close. */
  close(): void {
    this.stopped = true;
    for (const set of [...this.waiting.values()]) for (const wake of [...set]) wake();
  }

  waitingCount(queueKey: string): number {
    return this.waiting.get(queueKey)?.size ?? 0;
  }
}
