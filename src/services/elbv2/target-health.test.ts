import { describe, expect, it } from 'vitest';
import {
  applyProbe,
  completeDrain,
  deregistrationInProgress,
  describeHealth,
  newTarget,
  resetHealth,
  startDrain,
  type TargetRecord,
} from './target-health.js';

const THRESHOLDS = { healthyThresholdCount: 3, unhealthyThresholdCount: 2 };
const PASS = { ok: true };
const MISMATCH = { ok: false, reasonCode: 'Target.ResponseCodeMismatch', statusCode: 502 };
const TIMEOUT = { ok: false, reasonCode: 'Target.Timeout' };

function run(probes: Array<{ ok: boolean; reasonCode?: string; statusCode?: number }>, network = false): TargetRecord {
  return probes.reduce(
    (target, probe) => applyProbe(target, probe, THRESHOLDS, network),
    newTarget('tg', '10.0.0.1', 80, 0),
  );
}

describe('health transitions', () => {
  it.each([
    ['new-target-healthy-after-one-pass', [PASS], 'healthy'],
    ['new-target-one-failure-stays-initial', [MISMATCH], 'initial'],
    ['new-target-unhealthy-after-threshold-failures', [MISMATCH, TIMEOUT], 'unhealthy'],
    ['healthy-survives-one-failure', [PASS, MISMATCH], 'healthy'],
    ['healthy-unhealthy-after-threshold', [PASS, MISMATCH, MISMATCH], 'unhealthy'],
    ['a-pass-resets-the-failure-count', [PASS, MISMATCH, PASS, MISMATCH], 'healthy'],
    ['unhealthy-needs-healthy-threshold-passes', [PASS, MISMATCH, MISMATCH, PASS, PASS], 'unhealthy'],
    ['unhealthy-healthy-after-threshold-passes', [PASS, MISMATCH, MISMATCH, PASS, PASS, PASS], 'healthy'],
    ['a-failure-resets-the-pass-count', [PASS, MISMATCH, MISMATCH, PASS, PASS, TIMEOUT, PASS, PASS], 'unhealthy'],
  ])('%s', (_name, probes, expected) => {
    expect(run(probes).health).toBe(expected);
  });

  it('a steady target stops changing (nothing to write)', () => {
    const healthy = run([PASS, PASS, PASS]);
    expect(applyProbe(healthy, PASS, THRESHOLDS, false)).toBe(healthy);
    const unhealthy = run([MISMATCH, MISMATCH]);
    expect(applyProbe(unhealthy, MISMATCH, THRESHOLDS, false)).toBe(unhealthy);
  });

  it('a draining target ignores probes', () => {
    const draining = startDrain(run([PASS]), 0, 1000, 1);
    expect(applyProbe(draining, MISMATCH, THRESHOLDS, false)).toBe(draining);
  });
});

describe('DescribeTargetHealth (C.1)', () => {
  const inUse = { inUse: true };
  it.each([
    [
      'not registered',
      undefined,
      inUse,
      { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
    ],
    [
      'registering',
      newTarget('tg', 'x', 1, 0),
      inUse,
      { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
    ],
    [
      'initial checks',
      run([MISMATCH]),
      inUse,
      { State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' },
    ],
    ['healthy', run([PASS]), inUse, { State: 'healthy' }],
    [
      'response code mismatch',
      run([MISMATCH, MISMATCH]),
      inUse,
      {
        State: 'unhealthy',
        Reason: 'Target.ResponseCodeMismatch',
        Description: 'Health checks failed with these codes: [502]',
      },
    ],
    [
      'timeout',
      run([MISMATCH, TIMEOUT]),
      inUse,
      { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' },
    ],
    [
      'NLB: every failure is FailedHealthChecks',
      run([MISMATCH, TIMEOUT], true),
      inUse,
      { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
    ],
    [
      'group not in use',
      run([PASS]),
      { inUse: false },
      {
        State: 'unused',
        Reason: 'Target.NotInUse',
        Description: 'Target group is not configured to receive traffic from the load balancer',
      },
    ],
    [
      'stopped instance',
      run([PASS]),
      { inUse: true, instanceState: 'stopped' },
      { State: 'unused', Reason: 'Target.InvalidState', Description: 'Target is in the stopped state' },
    ],
    [
      'draining',
      startDrain(run([PASS]), 0, 1000, 0),
      inUse,
      {
        State: 'draining',
        Reason: 'Target.DeregistrationInProgress',
        Description: 'Target deregistration is in progress',
      },
    ],
  ])('%s', (_name, target, context, expected) => {
    expect(describeHealth(target, context)).toEqual(expected);
  });
});

describe('draining', () => {
  it('a drain with nothing in flight completes at once; one with connections when they close', () => {
    const idle = startDrain(run([PASS]), 100, 300_000, 0);
    expect(idle.drain).toEqual({ startedAtMs: 100, deadlineAtMs: 300_100, completedAtMs: 100 });
    expect(deregistrationInProgress(idle, 100)).toBe(false);
    const busy = startDrain(run([PASS]), 100, 300_000, 2);
    expect(deregistrationInProgress(busy, 5_000)).toBe(true);
    expect(deregistrationInProgress(busy, 300_100)).toBe(false);
    const closed = completeDrain(busy, 7_000);
    expect(closed.drain?.completedAtMs).toBe(7_000);
    expect(deregistrationInProgress(closed, 7_000)).toBe(false);
    expect(completeDrain(closed, 9_000)).toBe(closed);
  });

  it('resetHealth starts a checked target over; an untouched one is left alone', () => {
    expect(resetHealth(run([PASS])).health).toBe('initial');
    const fresh = newTarget('tg', 'x', 1, 0);
    expect(resetHealth(fresh)).toBe(fresh);
  });
});
