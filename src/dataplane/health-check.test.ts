import { describe, expect, it } from 'vitest';
import { initialHealth, probeArgv, recordProbe, type HealthState } from './health-check.js';

const spec = { retries: 3, startPeriodMs: 10_000 };
const run = (results: Array<[ok: boolean, sinceStartMs: number]>): HealthState =>
  results.reduce((state, [ok, sinceStartMs]) => recordProbe(state, { ok, sinceStartMs }, spec), initialHealth());

describe('recordProbe (Docker health-check semantics)', () => {
  it('starts UNKNOWN and turns HEALTHY on the first passing probe', () => {
    expect(initialHealth().status).toBe('UNKNOWN');
    expect(run([[true, 1000]]).status).toBe('HEALTHY');
  });

  it('turns UNHEALTHY after `retries` consecutive failures, and HEALTHY again on a success', () => {
    expect(
      run([
        [false, 11_000],
        [false, 12_000],
      ]).status,
    ).toBe('UNKNOWN');
    const unhealthy = run([
      [false, 11_000],
      [false, 12_000],
      [false, 13_000],
    ]);
    expect(unhealthy).toEqual({ status: 'UNHEALTHY', failingStreak: 3, passedOnce: false });
    expect(recordProbe(unhealthy, { ok: true, sinceStartMs: 14_000 }, spec).status).toBe('HEALTHY');
  });

  it('does not count failures during the start period', () => {
    const state = run([
      [false, 1000],
      [false, 2000],
      [false, 3000],
      [false, 4000],
    ]);
    expect(state).toEqual({ status: 'UNKNOWN', failingStreak: 0, passedOnce: false });
  });

  it('counts failures in the start period once a probe has passed', () => {
    const state = run([
      [true, 1000],
      [false, 2000],
      [false, 3000],
      [false, 4000],
    ]);
    expect(state.status).toBe('UNHEALTHY');
  });

  it('a success resets the failing streak', () => {
    const state = run([
      [false, 11_000],
      [false, 12_000],
      [true, 13_000],
      [false, 14_000],
      [false, 15_000],
    ]);
    expect(state).toEqual({ status: 'HEALTHY', failingStreak: 2, passedOnce: true });
  });
});

describe('probeArgv', () => {
  it('runs CMD in exec form and CMD-SHELL through /bin/sh -c', () => {
    expect(probeArgv(['CMD', 'curl', '-f', 'http://x/'])).toEqual(['curl', '-f', 'http://x/']);
    expect(probeArgv(['CMD-SHELL', 'curl -f http://x/ || exit 1'])).toEqual([
      '/bin/sh',
      '-c',
      'curl -f http://x/ || exit 1',
    ]);
  });

  it('has nothing to run for NONE or an empty command', () => {
    expect(probeArgv(['NONE'])).toBeUndefined();
    expect(probeArgv(['CMD'])).toBeUndefined();
    expect(probeArgv([])).toBeUndefined();
  });
});
