import { describe, expect, it } from 'vitest';
import { SystemClock } from './system-clock.js';
import { VirtualClock } from './virtual-clock.js';
import { WorkQueue } from './work-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('WorkQueue', () => {
  it('processes a key added many times before it runs only once', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const processed: string[] = [];
    const queue = new WorkQueue<string>({ clock, process: (key) => void processed.push(key) });
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.add('a', 50);
    expect(queue.queuedCount()).toBe(2);
    expect(processed).toEqual([]); // nothing runs until the clock moves
    await clock.runUntilIdle();
    expect(processed).toEqual(['a', 'b']);
    expect(queue.isSettled()).toBe(true);
  });

  it('lets the earliest of several delayed adds win', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const processedAt: number[] = [];
    const queue = new WorkQueue<string>({ clock, process: () => void processedAt.push(clock.now()) });
    queue.add('k', 5_000);
    queue.add('k', 1_000);
    queue.add('k', 3_000);
    expect(queue.dueAtMs('k')).toBe(1_000);
    expect(queue.delayedCount()).toBe(1);
    expect(clock.pendingTimerCount()).toBe(1);
    await clock.runUntilIdle();
    expect(processedAt).toEqual([1_000]);
  });

  it('processes a key added while it runs again afterwards, never concurrently', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const queue = new WorkQueue<string>({
      clock,
      process: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        runs += 1;
        if (runs === 1) await gate.promise;
        running -= 1;
      },
    });
    queue.add('k');
    await clock.advanceBy(0);
    expect(queue.isRunning('k')).toBe(true);
    queue.add('k');
    queue.add('k');
    await clock.advanceBy(0); // the new timer fires while the first run is still going
    expect(runs).toBe(1);
    expect(queue.queuedCount()).toBe(1);
    gate.resolve();
    await clock.runUntilIdle();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    expect(queue.isSettled()).toBe(true);
  });

  it('forgets a pending key', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const processed: string[] = [];
    const queue = new WorkQueue<string>({ clock, process: (key) => void processed.push(key) });
    queue.add('a', 100);
    queue.add('b', 100);
    queue.forget('a');
    await clock.runUntilIdle();
    expect(processed).toEqual(['b']);
  });

  it('hands errors to onError and keeps going', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const errors: Array<[string, string]> = [];
    const queue = new WorkQueue<string>({
      clock,
      process: (key) => {
        if (key === 'bad') throw new Error('nope');
      },
      onError: (error, key) => errors.push([key, (error as Error).message]),
    });
    queue.add('bad');
    queue.add('good');
    await clock.runUntilIdle();
    expect(errors).toEqual([['bad', 'nope']]);
    expect(queue.isSettled()).toBe(true);
  });

  it('settles on a real clock once due work is done, ignoring future timers', async () => {
    const clock = new SystemClock();
    const processed: string[] = [];
    const queue = new WorkQueue<string>({
      clock,
      process: async (key) => {
        await Promise.resolve();
        processed.push(key);
      },
    });
    queue.add('now');
    queue.add('later', 3_600_000);
    expect(queue.isSettled()).toBe(false);
    await queue.settled();
    expect(processed).toEqual(['now']);
    expect(queue.delayedCount()).toBe(1);
    await queue.close();
    expect(clock.pendingTimerCount()).toBe(0);
    clock.close();
  });

  it('close stops taking work and waits for the running key', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const gate = deferred();
    const processed: string[] = [];
    const queue = new WorkQueue<string>({
      clock,
      process: async (key) => {
        await gate.promise;
        processed.push(key);
      },
    });
    queue.add('a');
    await clock.advanceBy(0);
    queue.add('b', 10);
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    queue.add('c');
    await clock.advanceBy(0);
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    await clock.runUntilIdle();
    expect(processed).toEqual(['a']);
  });
});
