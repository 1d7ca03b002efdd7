/**
 * planInstance: what the controller does to an instance at a given instant.
 */
import { describe, expect, it } from 'vitest';
import type { InstanceRecord } from './instance.js';
import { planInstance } from './instance-controller.js';
import { DEFAULT_TIMINGS, TERMINATED_RETENTION_MS } from './timings.js';

const T0 = 1_000_000;

function record(extra: Partial<InstanceRecord>): InstanceRecord {
  return {
    state: 'running',
    revision: 1,
    stateTransitionReason: '',
    changeReason: 'User initiated',
    ...extra,
  } as InstanceRecord;
}

describe('planInstance', () => {
  it('waits for a transition that is not due', () => {
    expect(planInstance(record({ state: 'pending', stateDueAtMs: T0 + 10 }), T0, DEFAULT_TIMINGS)).toEqual({
      kind: 'wait',
      untilMs: T0 + 10,
    });
  });

  it('completes a transition that is due', () => {
    const plan = planInstance(record({ state: 'pending', stateDueAtMs: T0 }), T0, DEFAULT_TIMINGS);
    expect(plan.kind === 'transition' && plan.next.state).toBe('running');
  });

  it('leaves a settled instance alone', () => {
    expect(planInstance(record({ state: 'stopped' }), T0, DEFAULT_TIMINGS)).toEqual({ kind: 'idle' });
  });

  it('wakes up for a Spot interruption and then begins termination', () => {
    const spot = record({ state: 'running', spotInterruptionAtMs: T0 + 120_000 });
    expect(planInstance(spot, T0, DEFAULT_TIMINGS)).toEqual({ kind: 'wait', untilMs: T0 + 120_000 });
    const plan = planInstance(spot, T0 + 120_000, DEFAULT_TIMINGS);
    expect(plan.kind === 'transition' && plan.next).toMatchObject({
      state: 'shutting-down',
      stateDueAtMs: T0 + 120_000 + DEFAULT_TIMINGS.shutdownMs,
      changeReason: 'Spot interruption',
    });
  });

  it('lets a boot complete before an interruption due at the same time', () => {
    const both = record({ state: 'pending', stateDueAtMs: T0, spotInterruptionAtMs: T0 });
    const plan = planInstance(both, T0, DEFAULT_TIMINGS);
    expect(plan.kind === 'transition' && plan.next.state).toBe('running');
  });

  it('purges a terminated instance an hour after termination', () => {
    const gone = record({ state: 'terminated', terminatedAtMs: T0 });
    expect(planInstance(gone, T0 + TERMINATED_RETENTION_MS - 1, DEFAULT_TIMINGS)).toEqual({
      kind: 'wait',
      untilMs: T0 + TERMINATED_RETENTION_MS,
    });
    expect(planInstance(gone, T0 + TERMINATED_RETENTION_MS, DEFAULT_TIMINGS)).toEqual({ kind: 'purge' });
  });
});
