import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { epochMs } from './clock.js';
import { DEFAULT_VIRTUAL_START_MS, VirtualClock } from './virtual-clock.js';

const START = Date.UTC(2026, 0, 1);

describe('VirtualClock', () => {
  it('starts at 2026-01-01T00:00:00Z in virtual mode and fires nothing until advanced', async () => {
    const clock = new VirtualClock();
    expect(clock.mode).toBe('virtual');
    expect(clock.now()).toBe(START);
    expect(DEFAULT_VIRTUAL_START_MS).toBe(START);
    let fired = false;
    clock.after(0, () => (fired = true));
    await nextMacrotask();
    await nextMacrotask();
    expect(fired).toBe(false);
    expect(await clock.advanceBy(0)).toBe(1);
    expect(fired).toBe(true);
  });

  it('fires timers in (dueAtMs, sequence) order with now() at each timer, then ends at the target', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: string[] = [];
    const record = (name: string) => () => seen.push(`${name}@${clock.now()}`);
    clock.after(300, record('c'));
    clock.after(100, record('a1'));
    clock.after(200, record('b'));
    clock.after(100, record('a2'));
    clock.schedule(epochMs(100), record('a3'));
    clock.after(1000, record('late'));

    expect(await clock.advanceBy(500)).toBe(5);
    expect(seen).toEqual(['a1@100', 'a2@100', 'a3@100', 'b@200', 'c@300']);
    expect(clock.now()).toBe(500);
    expect(clock.pendingTimerCount()).toBe(1);
    expect(clock.nextDueAtMs()).toBe(1000);
  });

  it('fires timers scheduled by a firing task when they fall due within the same advance', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: string[] = [];
    clock.after(100, () => {
      seen.push(`first@${clock.now()}`);
      clock.after(50, () => seen.push(`inside@${clock.now()}`));
      clock.after(0, () => seen.push(`now@${clock.now()}`));
      clock.after(500, () => seen.push(`beyond@${clock.now()}`));
    });
    expect(await clock.advanceTo(epochMs(200))).toBe(3);
    expect(seen).toEqual(['first@100', 'now@100', 'inside@150']);
    expect(clock.pendingTimerCount()).toBe(1);
  });

  it('runs a timer scheduled in the past at now, after the timers already due now', async () => {
    const clock = new VirtualClock({ startAtMs: 1000 });
    const seen: string[] = [];
    clock.schedule(epochMs(1000), () => seen.push(`due@${clock.now()}`));
    clock.schedule(epochMs(10), () => seen.push(`past@${clock.now()}`));
    await clock.advanceBy(0);
    expect(seen).toEqual(['due@1000', 'past@1000']);
  });

  it('cancels timers, and ignores unknown or already fired ids', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: string[] = [];
    const a = clock.after(10, () => seen.push('a'));
    const b = clock.after(10, () => seen.push('b'));
    clock.after(20, () => seen.push('c'));
    clock.cancel(b);
    expect(clock.pendingTimerCount()).toBe(2);
    await clock.advanceBy(100);
    clock.cancel(a);
    clock.cancel(b);
    expect(seen).toEqual(['a', 'c']);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('lists pending timers in firing order with their labels', () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    clock.after(20, () => {}, 'second');
    clock.after(10, () => {}, 'first');
    expect(clock.pendingTimers().map(({ dueAtMs, label }) => [dueAtMs, label])).toEqual([
      [10, 'first'],
      [20, 'second'],
    ]);
  });

  it('lets promise jobs of a task run before the next timer fires', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: string[] = [];
    clock.after(10, () => {
      void (async () => {
        await Promise.resolve();
        await Promise.resolve();
        await Promise.resolve();
        seen.push(`async-finished@${clock.now()}`);
      })();
    });
    clock.after(20, () => seen.push(`next-timer@${clock.now()}`));
    await clock.advanceBy(20);
    expect(seen).toEqual(['async-finished@10', 'next-timer@20']);
  });

  it('waits extra macrotask turns while a busy check reports work in flight', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: string[] = [];
    let inFlight = 0;
    const remove = clock.addBusyCheck(() => inFlight > 0);
    clock.after(10, () => {
      inFlight += 1;
      void (async () => {
        for (let turn = 0; turn < 5; turn += 1) await nextMacrotask();
        seen.push(`slow-work@${clock.now()}`);
        inFlight -= 1;
      })();
    });
    clock.after(20, () => seen.push(`next-timer@${clock.now()}`));
    await clock.advanceBy(20);
    expect(seen).toEqual(['slow-work@10', 'next-timer@20']);
    remove();
  });

  it('runUntilIdle jumps from timer to timer and reports idle', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: number[] = [];
    clock.after(5_000, () => {
      seen.push(clock.now());
      clock.after(3_600_000, () => seen.push(clock.now()));
    });
    const result = await clock.runUntilIdle();
    expect(result).toEqual({ firedCount: 2, idle: true, nowMs: 3_605_000 });
    expect(seen).toEqual([5_000, 3_605_000]);
  });

  it('runUntilIdle stops a self-rescheduling timer at limitMs, with now() at the limit', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const tick = () => clock.after(1_000, tick);
    tick();
    const result = await clock.runUntilIdle({ limitMs: 10_500 });
    expect(result).toEqual({ firedCount: 10, idle: false, nowMs: 10_500 });
    expect(clock.pendingTimerCount()).toBe(1);
  });

  it('runUntilIdle stops a self-rescheduling timer at maxTimers', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const tick = () => clock.after(1_000, tick);
    tick();
    const result = await clock.runUntilIdle({ maxTimers: 7 });
    expect(result).toEqual({ firedCount: 7, idle: false, nowMs: 7_000 });
  });

  it('runUntilIdle is idle when the last allowed timer leaves nothing behind', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    clock.after(1, () => {});
    clock.after(2, () => {});
    expect(await clock.runUntilIdle({ maxTimers: 2 })).toEqual({ firedCount: 2, idle: true, nowMs: 2 });
  });

  it('refuses to go backwards or to advance twice at once', async () => {
    const clock = new VirtualClock({ startAtMs: 1000 });
    await expect(clock.advanceTo(epochMs(999))).rejects.toThrow(RangeError);
    await expect(clock.advanceBy(-1)).rejects.toThrow(RangeError);
    const first = clock.advanceBy(10);
    await expect(clock.advanceBy(10)).rejects.toThrow(/already advancing/);
    await first;
    expect(clock.now()).toBe(1010);
  });

  it('rejects the advance when a task throws, leaving now() at that timer', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    clock.after(10, () => {
      throw new Error('boom');
    });
    clock.after(20, () => {});
    await expect(clock.advanceBy(100)).rejects.toThrow('boom');
    expect(clock.now()).toBe(10);
    expect(clock.pendingTimerCount()).toBe(1);
    expect(await clock.advanceBy(100)).toBe(1);
  });

  it('close cancels every timer, and later schedules never fire', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    let fired = 0;
    clock.after(10, () => (fired += 1));
    clock.close();
    clock.after(10, () => (fired += 1));
    expect(clock.pendingTimerCount()).toBe(0);
    expect(await clock.advanceBy(100)).toBe(0);
    expect(fired).toBe(0);
  });

  it('rejects times that are not finite numbers', () => {
    const clock = new VirtualClock();
    expect(() => clock.after(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => clock.schedule(epochMs(Number.POSITIVE_INFINITY), () => {})).toThrow(RangeError);
  });

  it('keeps many timers in order through cancellations (heap compaction)', async () => {
    const clock = new VirtualClock({ startAtMs: 0 });
    const seen: number[] = [];
    const ids = [];
    for (let index = 0; index < 500; index += 1) {
      const dueInMs = (index * 7919) % 500;
      ids.push({ id: clock.after(dueInMs, () => seen.push(dueInMs)), dueInMs });
    }
    for (const { id, dueInMs } of ids) if (dueInMs % 3 !== 0) clock.cancel(id);
    await clock.runUntilIdle();
    const expected = ids.map(({ dueInMs }) => dueInMs).filter((dueInMs) => dueInMs % 3 === 0);
    expect(seen).toEqual(expected.sort((a, b) => a - b));
  });
});
