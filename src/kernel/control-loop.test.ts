import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ControlLoop, TerminalError } from './control-loop.js';
import type { Reconciler, ReconcileResult } from './control-loop.js';
import { captureLogger, silentLogger } from './logger.js';
import { SystemClock } from './system-clock.js';
import { VirtualClock } from './virtual-clock.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

function reconciler(name: string, reconcile: (key: string) => ReconcileResult | Promise<ReconcileResult>): Reconciler {
  return { name, reconcile };
}

describe('ControlLoop', () => {
  it('wakes a reconciler at the virtual time its requeueAfterMs asked for', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger });
    const calls: Array<[string, number]> = [];
    loop.register(
      reconciler('hooks', (key) => {
        calls.push([key, clock.now()]);
        // e.g. a lifecycle hook with a 300 s heartbeat timeout, checked twice
        return calls.length < 3 ? { requeueAfterMs: 300_000 } : undefined;
      }),
    );
    loop.enqueue('hooks', 'my-asg');
    expect(calls).toEqual([]); // on virtual time nothing runs until the clock moves
    const result = await clock.runUntilIdle();
    expect(calls).toEqual([
      ['my-asg', 0],
      ['my-asg', 300_000],
      ['my-asg', 600_000],
    ]);
    expect(result.idle).toBe(true);
    expect(loop.stats()).toMatchObject({ queued: 0, running: 0, delayed: 0, reconciles: 3, errors: 0 });
  });

  it('runs a delayed enqueue at now + afterMs', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger });
    const calls: number[] = [];
    loop.register(reconciler('r', () => void calls.push(clock.now())));
    loop.enqueue('r', 'k', 2_500);
    expect(loop.stats().delayed).toBe(1);
    await clock.advanceBy(2_499);
    expect(calls).toEqual([]);
    await clock.advanceBy(1);
    expect(calls).toEqual([2_500]);
  });

  it('retries errors with exponential backoff per key, capped, and logs them with the key', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const { logger, entries } = captureLogger({ clock });
    const loop = new ControlLoop({ clock, logger, baseBackoffMs: 100, maxBackoffMs: 1_000 });
    const calls: number[] = [];
    loop.register(
      reconciler('flaky', () => {
        calls.push(clock.now());
        throw new Error('port unavailable');
      }),
    );
    loop.enqueue('flaky', 'cluster/prod');
    const result = await clock.runUntilIdle({ limitMs: 6_000 });
    expect(result.idle).toBe(false);
    const waits = calls.slice(1).map((at, index) => at - calls[index]!);
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
    expect(loop.stats()).toMatchObject({ errors: calls.length, reconciles: calls.length });
    expect(entries[0]).toMatchObject({
      level: 'error',
      reconciler: 'flaky',
      key: 'cluster/prod',
      failures: 1,
      retryInMs: 100,
      time: '1970-01-01T00:00:00.000Z',
      err: { message: 'port unavailable' },
    });
    await loop.stop();
  });

  it('resets the backoff of a key after a success', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger, baseBackoffMs: 100 });
    const outcomes = ['fail', 'fail', 'ok', 'fail', 'ok'];
    const calls: number[] = [];
    loop.register(
      reconciler('r', () => {
        calls.push(clock.now());
        if (outcomes[calls.length - 1] === 'fail') throw new Error('transient');
      }),
    );
    loop.enqueue('r', 'k');
    await clock.runUntilIdle();
    loop.enqueue('r', 'k');
    await clock.runUntilIdle();
    expect(calls).toEqual([0, 100, 300, 300, 400]);
  });

  it('does not retry a TerminalError', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const { logger, entries } = captureLogger({ clock });
    const loop = new ControlLoop({ clock, logger });
    let calls = 0;
    loop.register(
      reconciler('r', () => {
        calls += 1;
        throw new TerminalError('group was deleted');
      }),
    );
    loop.enqueue('r', 'gone');
    const result = await clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(result).toMatchObject({ idle: true, firedCount: 1 });
    expect(loop.stats()).toMatchObject({ errors: 1, delayed: 0 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ key: 'gone', terminal: true, err: { message: 'group was deleted' } });
  });

  it('never reconciles one key concurrently, and reconciles it again if enqueued meanwhile', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger });
    const gate = deferred();
    const running = new Map<string, number>();
    let maxSameKey = 0;
    let maxOverall = 0;
    const calls: string[] = [];
    loop.register(
      reconciler('r', async (key) => {
        calls.push(key);
        running.set(key, (running.get(key) ?? 0) + 1);
        maxSameKey = Math.max(maxSameKey, running.get(key)!);
        maxOverall = Math.max(
          maxOverall,
          [...running.values()].reduce((sum, count) => sum + count, 0),
        );
        if (calls.length <= 2) await gate.promise; // the first runs of 'a' and 'b' wait
        running.set(key, running.get(key)! - 1);
      }),
    );
    loop.enqueue('r', 'a');
    loop.enqueue('r', 'b');
    await clock.advanceBy(0);
    expect(loop.stats()).toMatchObject({ running: 2, queued: 0 });
    loop.enqueue('r', 'a');
    loop.enqueue('r', 'a');
    await clock.advanceBy(1_000);
    expect(calls).toEqual(['a', 'b']);
    expect(loop.stats()).toMatchObject({ running: 2, queued: 1 });
    gate.resolve();
    await clock.runUntilIdle();
    expect(calls).toEqual(['a', 'b', 'a']);
    expect(maxSameKey).toBe(1);
    expect(maxOverall).toBe(2); // different keys may run side by side
  });

  it('lets a reconcile spanning several I/O turns finish before the next timer fires', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger });
    const seen: string[] = [];
    loop.register(
      reconciler('slow', async (key) => {
        for (let turn = 0; turn < 10; turn += 1) await nextMacrotask();
        seen.push(`${key}@${clock.now()}`);
      }),
    );
    clock.after(1, () => seen.push(`timer@${clock.now()}`));
    loop.enqueue('slow', 'k');
    await clock.runUntilIdle();
    expect(seen).toEqual(['k@0', 'timer@1']);
  });

  it('settled() resolves once queued work has run on a real clock, ignoring future requeues', async () => {
    const clock = new SystemClock();
    const loop = new ControlLoop({ clock, logger: silentLogger });
    const done: string[] = [];
    loop.register(
      reconciler('r', async (key) => {
        await Promise.resolve();
        done.push(key);
        return { requeueAfterMs: 3_600_000 };
      }),
    );
    for (const key of ['a', 'b', 'c']) loop.enqueue('r', key);
    expect(loop.stats().queued).toBe(3);
    await loop.settled();
    expect(done.sort()).toEqual(['a', 'b', 'c']);
    expect(loop.stats()).toMatchObject({ queued: 0, running: 0, delayed: 3, reconciles: 3 });
    await loop.stop();
    expect(clock.pendingTimerCount()).toBe(0);
    clock.close();
  });

  it('settled() on a virtual clock resolves when the clock runs the queued work', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger });
    let calls = 0;
    loop.register(reconciler('r', () => void (calls += 1)));
    await loop.settled(); // nothing queued yet
    loop.enqueue('r', 'k');
    let settled = false;
    const settling = loop.settled().then(() => (settled = true));
    await nextMacrotask();
    expect(settled).toBe(false);
    await clock.advanceBy(0);
    await settling;
    expect(calls).toBe(1);
  });

  it('stop() waits for running reconciles and then takes no more work', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const loop = new ControlLoop({ clock, logger: silentLogger });
    const gate = deferred();
    const finished: string[] = [];
    loop.register(
      reconciler('r', async (key) => {
        await gate.promise;
        finished.push(key);
        return { requeueAfterMs: 10 };
      }),
    );
    loop.enqueue('r', 'a');
    await clock.advanceBy(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    loop.enqueue('r', 'b');
    await nextMacrotask();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    await clock.runUntilIdle();
    expect(finished).toEqual(['a']);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('rejects unknown and duplicate reconciler names', () => {
    const loop = new ControlLoop({ clock: new VirtualClock(), logger: silentLogger });
    loop.register(reconciler('r', () => {}));
    expect(() => loop.register(reconciler('r', () => {}))).toThrow(/already registered/);
    expect(() => loop.enqueue('nope', 'k')).toThrow(/no reconciler named nope/);
  });

  it('computes capped exponential backoff', () => {
    const loop = new ControlLoop({ clock: new VirtualClock(), logger: silentLogger });
    expect([1, 2, 3, 4, 10, 11, 100, 2_000].map((failures) => loop.backoffMs(failures))).toEqual([
      100, 200, 400, 800, 51_200, 60_000, 60_000, 60_000,
    ]);
  });
});
