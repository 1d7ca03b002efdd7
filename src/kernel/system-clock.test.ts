import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { epochMs } from './clock.js';
import { SystemClock } from './system-clock.js';

describe('SystemClock', () => {
  it('reads wall time in real mode', () => {
    const clock = new SystemClock();
    expect(clock.mode).toBe('real');
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    clock.close();
  });

  it('with timeScale 1000 fires a 2 s timer after about 2 ms of wall time', async () => {
    const clock = new SystemClock({ timeScale: 1000 });
    const scheduledAt = clock.now();
    const wallStart = performance.now();
    const firedAt = await new Promise<{ drydockMs: number; wallMs: number }>((resolve) => {
      clock.after(2_000, () => resolve({ drydockMs: clock.now(), wallMs: performance.now() - wallStart }));
    });
    expect(firedAt.drydockMs - scheduledAt).toBeGreaterThanOrEqual(2_000);
    expect(firedAt.wallMs).toBeLessThan(500);
    expect(clock.pendingTimerCount()).toBe(0);
    clock.close();
  });

  it('scales now(): a few ms of wall time are seconds of drydock time at 1000x', async () => {
    const clock = new SystemClock({ timeScale: 1000 });
    const before = clock.now();
    const wallBefore = performance.now();
    await sleep(5);
    const wallElapsed = performance.now() - wallBefore;
    const elapsed = clock.now() - before;
    expect(elapsed).toBeGreaterThanOrEqual(Math.floor(wallElapsed * 1000) - 1);
    expect(elapsed).toBeLessThan((wallElapsed + 50) * 1000);
    clock.close();
  });

  it('runs timers due at the same instant in scheduling order, and skips cancelled ones', async () => {
    const clock = new SystemClock({ timeScale: 1000 });
    const seen: string[] = [];
    const atMs = epochMs(clock.now() + 1_000);
    clock.schedule(atMs, () => seen.push('a'));
    const b = clock.schedule(atMs, () => seen.push('b'));
    clock.schedule(atMs, () => seen.push('c'));
    clock.schedule(epochMs(atMs - 500), () => seen.push('earlier'));
    clock.cancel(b);
    await new Promise<void>((resolve) => clock.schedule(atMs, () => resolve()));
    expect(seen).toEqual(['earlier', 'a', 'c']);
    clock.close();
  });

  it('runs a past timer asynchronously, soon', async () => {
    const clock = new SystemClock();
    let fired = false;
    const done = new Promise<void>((resolve) =>
      clock.schedule(epochMs(clock.now() - 60_000), () => {
        fired = true;
        resolve();
      }),
    );
    expect(fired).toBe(false);
    await done;
    expect(fired).toBe(true);
    clock.close();
  });

  it('accepts delays beyond setTimeout’s 2^31-1 ms limit without firing early', async () => {
    const clock = new SystemClock();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    let fired = false;
    clock.after(2 ** 31 + 10_000, () => (fired = true));
    clock.after(40 * 24 * 3600 * 1000, () => (fired = true));
    await sleep(10);
    process.off('warning', onWarning);
    expect(fired).toBe(false);
    expect(clock.pendingTimerCount()).toBe(2);
    expect(warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning')).toEqual([]);
    clock.close();
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('reports a throwing task and still runs the other due timers', async () => {
    const errors: unknown[] = [];
    const clock = new SystemClock({ timeScale: 1000, onTaskError: (error) => errors.push(error) });
    const atMs = epochMs(clock.now() + 100);
    clock.schedule(atMs, () => {
      throw new Error('boom');
    });
    await new Promise<void>((resolve) => clock.schedule(atMs, resolve));
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
    clock.close();
  });

  it('close cancels pending timers and later schedules never fire', async () => {
    const clock = new SystemClock({ timeScale: 1000 });
    let fired = 0;
    clock.after(1, () => (fired += 1));
    clock.close();
    clock.after(1, () => (fired += 1));
    await sleep(10);
    expect(fired).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('rejects a time scale that is not positive', () => {
    expect(() => new SystemClock({ timeScale: 0 })).toThrow(RangeError);
    expect(() => new SystemClock({ timeScale: Number.NaN })).toThrow(RangeError);
  });
});
