/**
 * The instance state machine as pure functions: which calls move which states, what EC2 writes in
 * StateTransitionReason / StateReason, and when a transitional state completes.
 */
import { describe, expect, it } from 'vitest';
import {
  beginStart,
  beginStop,
  beginTermination,
  completeTransition,
  failNow,
  gmt,
  spotTermination,
  STATE_CODES,
  userShutdown,
  type InstanceRecord,
  type InstanceStateName,
} from './instance.js';

const T0 = Date.UTC(2026, 0, 1, 12, 30, 5);

function instance(state: InstanceStateName, extra: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    instanceId: 'i-0123456789abcdef0',
    reservationId: 'r-0123456789abcdef0',
    imageId: 'ami-12345678',
    instanceType: 't3.micro',
    architecture: 'x86_64',
    state,
    stateTransitionReason: '',
    changeReason: 'User initiated',
    launchTimeMs: T0 - 60_000,
    availabilityZone: 'us-east-1a',
    subnetId: 'subnet-1',
    vpcId: 'vpc-1',
    privateIpAddress: '172.31.0.10',
    privateDnsName: 'ip-172-31-0-10.ec2.internal',
    networkInterfaceId: 'eni-1',
    macAddress: '02:00:00:00:00:01',
    volumeId: 'vol-1',
    securityGroups: [],
    disableApiTermination: false,
    disableApiStop: false,
    shutdownBehavior: 'stop',
    ebsOptimized: false,
    monitoring: false,
    amiLaunchIndex: 0,
    spot: false,
    tags: [],
    revision: 3,
    ...extra,
  };
}

describe('state codes', () => {
  it('are the low byte EC2 documents', () => {
    expect(STATE_CODES).toEqual({
      pending: 0,
      running: 16,
      'shutting-down': 32,
      terminated: 48,
      stopping: 64,
      stopped: 80,
    });
  });
});

describe('beginTermination', () => {
  it('moves a running instance to shutting-down with the user reason and a deadline', () => {
    const next = beginTermination(instance('running'), T0, 35_000, userShutdown())!;
    expect(next).toMatchObject({
      state: 'shutting-down',
      stateDueAtMs: T0 + 35_000,
      stateTransitionReason: 'User initiated (2026-01-01 12:30:05 GMT)',
      stateReason: { code: 'Client.UserInitiatedShutdown' },
      changeReason: 'User initiated',
      revision: 4,
    });
  });

  it('terminates stopped and pending instances too, and drops a pending Spot notice', () => {
    expect(beginTermination(instance('stopped'), T0, 1, userShutdown())?.state).toBe('shutting-down');
    const spot = beginTermination(instance('pending', { spotInterruptionAtMs: T0 + 5 }), T0, 1, spotTermination())!;
    expect(spot.spotInterruptionAtMs).toBeUndefined();
    expect(spot.stateReason?.code).toBe('Server.SpotInstanceTermination');
  });

  it('changes nothing once the instance is on its way out', () => {
    expect(beginTermination(instance('shutting-down'), T0, 1, userShutdown())).toBeUndefined();
    expect(beginTermination(instance('terminated'), T0, 1, userShutdown())).toBeUndefined();
  });

  it('carries the reason a service gives', () => {
    expect(beginTermination(instance('running'), T0, 1, userShutdown('Auto Scaling scale-in'))?.changeReason).toBe(
      'Auto Scaling scale-in',
    );
  });
});

describe('beginStop / beginStart', () => {
  it('stop: running moves, stopping/stopped stay, others refuse', () => {
    expect(beginStop(instance('running'), T0, 30_000)).toMatchObject({ state: 'stopping', stateDueAtMs: T0 + 30_000 });
    expect(beginStop(instance('stopping'), T0, 1)).toBe('unchanged');
    expect(beginStop(instance('stopped'), T0, 1)).toBe('unchanged');
    for (const state of ['pending', 'shutting-down', 'terminated'] as const) {
      expect(beginStop(instance(state), T0, 1)).toBe('refused');
    }
  });

  it('start: stopped moves to pending with a fresh launch time and no state reason', () => {
    const stopped = instance('stopped', {
      stateTransitionReason: 'User initiated (x)',
      stateReason: { code: 'Client.UserInitiatedShutdown', message: 'm' },
    });
    const next = beginStart(stopped, T0, 15_000);
    expect(next).toMatchObject({
      state: 'pending',
      stateDueAtMs: T0 + 15_000,
      launchTimeMs: T0,
      stateTransitionReason: '',
    });
    expect((next as InstanceRecord).stateReason).toBeUndefined();
    expect(beginStart(instance('running'), T0, 1)).toBe('unchanged');
    expect(beginStart(instance('stopping'), T0, 1)).toBe('refused');
  });
});

describe('completeTransition', () => {
  it('completes pending, stopping and shutting-down at their instant, not before', () => {
    expect(completeTransition(instance('pending', { stateDueAtMs: T0 }), T0 - 1)).toBeUndefined();
    expect(completeTransition(instance('pending', { stateDueAtMs: T0 }), T0)?.state).toBe('running');
    expect(completeTransition(instance('stopping', { stateDueAtMs: T0 }), T0)?.state).toBe('stopped');
    const terminated = completeTransition(instance('shutting-down', { stateDueAtMs: T0 }), T0 + 5)!;
    expect(terminated).toMatchObject({ state: 'terminated', terminatedAtMs: T0 + 5 });
    expect(terminated.stateDueAtMs).toBeUndefined();
  });

  it('has nothing to do for a settled state', () => {
    expect(completeTransition(instance('running'), T0)).toBeUndefined();
  });
});

describe('failNow', () => {
  it('terminates at once with Server.InternalError', () => {
    expect(failNow(instance('running'), T0)).toMatchObject({
      state: 'terminated',
      terminatedAtMs: T0,
      stateReason: { code: 'Server.InternalError' },
      stateTransitionReason: 'Service initiated (2026-01-01 12:30:05 GMT)',
      changeReason: 'Instance failure',
    });
    expect(failNow(instance('terminated'), T0)).toBeUndefined();
  });
});

describe('gmt', () => {
  it('writes the timestamp as EC2 does', () => {
    expect(gmt(T0)).toBe('2026-01-01 12:30:05 GMT');
  });
});
