import { describe, expect, it } from 'vitest';
import {
  actionDeadlineAtMs,
  expireActions,
  openLifecycleAction,
  recordHeartbeat,
  resolveAction,
  resultForDeletedHook,
  waitOutcome,
} from './lifecycle-action.js';
import { putLifecycleHook } from './lifecycle-hook.js';

const MINUTE = 60_000;
const hook = (heartbeatTimeoutS: number, defaultResult: 'CONTINUE' | 'ABANDON' = 'ABANDON') =>
  putLifecycleHook(undefined, {
    LifecycleHookName: 'drain',
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    HeartbeatTimeout: heartbeatTimeoutS,
    DefaultResult: defaultResult,
  });

describe('lifecycle action deadlines', () => {
  it('a heartbeat at 30 min of a 60 min hook moves the timeout to 90 min', () => {
    const action = openLifecycleAction(hook(3600), 'token', 0);
    expect(actionDeadlineAtMs(action)).toBe(60 * MINUTE);
    expect(actionDeadlineAtMs(recordHeartbeat(action, 30 * MINUTE))).toBe(90 * MINUTE);
  });

  it('no heartbeat passes the global timeout of 100 × HeartbeatTimeout', () => {
    let action = openLifecycleAction(hook(60), 'token', 0);
    expect(action.globalDeadlineAtMs).toBe(100 * MINUTE);
    for (let at = 0; at < 100 * MINUTE; at += 50_000) action = recordHeartbeat(action, at);
    expect(actionDeadlineAtMs(action)).toBe(100 * MINUTE);
  });

  it('the global timeout is capped at 48 hours', () => {
    const action = openLifecycleAction(hook(7200), 'token', 0);
    expect(action.globalDeadlineAtMs).toBe(48 * 60 * MINUTE);
  });

  it('an expired action takes its DefaultResult', () => {
    const action = openLifecycleAction(hook(60, 'CONTINUE'), 'token', 0);
    expect(expireActions([action], 59_999)[0]!.result).toBeUndefined();
    const expired = expireActions([action], 60_000)[0]!;
    expect(expired).toMatchObject({ result: 'CONTINUE', resolvedBy: 'timeout', resolvedAtMs: 60_000 });
  });
});

describe('waitOutcome with several hooks on one transition', () => {
  const first = openLifecycleAction(hook(60), 'one', 0);
  const second = openLifecycleAction({ ...hook(120), lifecycleHookName: 'second' }, 'two', 0);
  const cases = [
    { name: 'both-open-waits-for-the-earliest-deadline', actions: [first, second], kind: 'waiting' },
    {
      name: 'one-continued-still-waits',
      actions: [resolveAction(first, 'CONTINUE', 1, 'user'), second],
      kind: 'waiting',
    },
    {
      name: 'all-continued-proceeds',
      actions: [resolveAction(first, 'CONTINUE', 1, 'user'), resolveAction(second, 'CONTINUE', 2, 'user')],
      kind: 'CONTINUE',
    },
    {
      name: 'one-abandoned-ends-the-wait',
      actions: [first, resolveAction(second, 'ABANDON', 1, 'user')],
      kind: 'ABANDON',
    },
  ] as const;
  for (const testCase of cases) {
    it(testCase.name, () => expect(waitOutcome(testCase.actions).kind).toBe(testCase.kind));
  }

  it('reports the earliest open deadline', () => {
    expect(waitOutcome([first, second])).toEqual({ kind: 'waiting', deadlineAtMs: 60_000 });
  });
});

describe('DeleteLifecycleHook results', () => {
  it('abandons launching instances and continues terminating ones', () => {
    expect(resultForDeletedHook('autoscaling:EC2_INSTANCE_LAUNCHING')).toBe('ABANDON');
    expect(resultForDeletedHook('autoscaling:EC2_INSTANCE_TERMINATING')).toBe('CONTINUE');
  });
});
