import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, LifecycleState } from './instance-lifecycle.js';
import { countsTowardCapacity, nextLifecycleState, requireNextLifecycleState } from './instance-lifecycle.js';

const STATES: LifecycleState[] = [
  'Pending',
  'Pending:Wait',
  'Pending:Proceed',
  'InService',
  'Terminating',
  'Terminating:Wait',
  'Terminating:Proceed',
  'Terminated',
  'EnteringStandby',
  'Standby',
  'Detaching',
  'Detached',
];

/** Every allowed transition of A.1; everything else is refused. */
const ALLOWED: Array<[LifecycleState, LifecycleEvent, LifecycleState]> = [
  ['Pending', 'LaunchHooksOpened', 'Pending:Wait'],
  ['Pending', 'InstanceReady', 'InService'],
  ['Pending:Wait', 'LaunchContinued', 'Pending:Proceed'],
  ['Pending:Wait', 'LaunchAbandoned', 'Terminating'],
  ['Pending:Proceed', 'InstanceReady', 'InService'],
  ['Pending', 'TerminationStarted', 'Terminating'],
  ['Pending:Wait', 'TerminationStarted', 'Terminating'],
  ['Pending:Proceed', 'TerminationStarted', 'Terminating'],
  ['InService', 'TerminationStarted', 'Terminating'],
  ['EnteringStandby', 'TerminationStarted', 'Terminating'],
  ['Standby', 'TerminationStarted', 'Terminating'],
  ['Terminating', 'TerminateHooksOpened', 'Terminating:Wait'],
  ['Terminating:Wait', 'TerminateHooksResolved', 'Terminating:Proceed'],
  ['Terminating', 'InstanceTerminated', 'Terminated'],
  ['Terminating:Proceed', 'InstanceTerminated', 'Terminated'],
  ['InService', 'StandbyRequested', 'EnteringStandby'],
  ['EnteringStandby', 'StandbyReached', 'Standby'],
  ['Standby', 'StandbyExited', 'Pending'],
  ['InService', 'DetachRequested', 'Detaching'],
  ['Standby', 'DetachRequested', 'Detaching'],
  ['Detaching', 'DetachCompleted', 'Detached'],
];

const EVENTS = [...new Set(ALLOWED.map(([, event]) => event))];

describe('nextLifecycleState', () => {
  for (const [from, event, to] of ALLOWED) {
    it(`${from} --${event}--> ${to}`, () => expect(nextLifecycleState(from, event)).toBe(to));
  }

  it('refuses every other (state, event) pair', () => {
    for (const state of STATES) {
      for (const event of EVENTS) {
        const allowed = ALLOWED.find(([from, on]) => from === state && on === event);
        expect(nextLifecycleState(state, event), `${state} on ${event}`).toBe(allowed?.[2]);
      }
    }
  });

  it('terminated and detached instances go nowhere', () => {
    for (const event of EVENTS) {
      expect(nextLifecycleState('Terminated', event)).toBeUndefined();
      expect(nextLifecycleState('Detached', event)).toBeUndefined();
    }
  });

  it('requireNextLifecycleState throws on a refused event', () => {
    expect(() => requireNextLifecycleState('Standby', 'InstanceReady')).toThrow(
      'lifecycle event InstanceReady is not allowed in state Standby',
    );
  });
});

describe('capacity', () => {
  it('counts pending and in-service instances only', () => {
    expect(STATES.filter(countsTowardCapacity)).toEqual(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService']);
  });
});
