/**
 * Managed scaling's arithmetic as tables (B.8): the reservation M / N × 100 with its N = 0 cases,
 * the bin-packing estimate of instances the waiting tasks need, and the desired capacity the
 * target tracking policy sets (step sizes, warm-up, the 15-minute scale-in, MinSize/MaxSize).
 */
import { describe, expect, it } from 'vitest';
import {
  capacityProviderReservation,
  instancesNeeded,
  planManagedScaling,
  SCALE_IN_AFTER_MS,
  type ScalingInput,
} from './capacity-reservation.js';

describe('CapacityProviderReservation = M / N × 100', () => {
  it.each([
    { needed: 0, running: 0, reservation: 100, why: 'nothing needed, nothing running: no action' },
    { needed: 3, running: 0, reservation: 200, why: 'tasks waiting on an empty group: scale out' },
    { needed: 2, running: 2, reservation: 100, why: 'every instance busy, nothing waiting' },
    { needed: 3, running: 2, reservation: 150, why: 'one more instance needed' },
    { needed: 1, running: 4, reservation: 25, why: 'three idle instances' },
    { needed: 0, running: 2, reservation: 0, why: 'all idle' },
  ])('M=$needed N=$running → $reservation ($why)', ({ needed, running, reservation }) => {
    expect(capacityProviderReservation(needed, running)).toBe(reservation);
  });
});

describe('instances the waiting tasks need', () => {
  const m5large = { cpu: 2048, memoryMiB: 7985 };
  const task = (cpu: number, memoryMiB: number, tcpPorts: number[] = []) => ({ cpu, memoryMiB, tcpPorts });
  it.each([
    { tasks: [], needed: 0, why: 'none waiting' },
    { tasks: [task(1024, 1024), task(1024, 1024)], needed: 1, why: 'two halves fill one instance' },
    { tasks: [task(1024, 1024), task(1024, 1024), task(1024, 1024)], needed: 2, why: 'three halves need two' },
    { tasks: [task(256, 4000), task(256, 4000)], needed: 2, why: 'memory binds first' },
    {
      tasks: [task(1536, 512), task(512, 512), task(1024, 512), task(1024, 512)],
      needed: 2,
      why: 'largest first packs 1536+512, 1024+1024',
    },
    { tasks: [task(128, 128, [80]), task(128, 128, [80])], needed: 2, why: 'one fixed host port per instance' },
    { tasks: [task(4096, 128)], needed: 0, why: 'too big for any instance of the group: no scale-out places it' },
  ])('$why → $needed', ({ tasks, needed }) => {
    expect(instancesNeeded(tasks, m5large)).toBe(needed);
  });
  it('counts one instance a task when the instance type is unknown', () => {
    expect(instancesNeeded([task(1, 1), task(1, 1), task(1, 1)], undefined)).toBe(3);
  });
});

describe('the desired capacity managed scaling sets', () => {
  const NOW = 10_000_000;
  const base: ScalingInput = {
    targetCapacity: 100,
    minimumScalingStepSize: 1,
    maximumScalingStepSize: 10_000,
    instanceWarmupPeriodS: 300,
    minSize: 0,
    maxSize: 10,
    desiredCapacity: 0,
    inService: [],
    launchedAtMs: [],
    neededForWaiting: 0,
    scaleInWantedSinceMs: undefined,
    nowMs: NOW,
  };
  const busy = (count: number, idle = 0) => [
    ...Array.from({ length: count }, () => ({ busy: true })),
    ...Array.from({ length: idle }, () => ({ busy: false })),
  ];
  const old = (count: number) => Array.from({ length: count }, () => NOW - 3600_000);

  it.each([
    { name: 'from zero, one instance needed: two (200 %)', input: { neededForWaiting: 1 }, desired: 2 },
    { name: 'from zero, three needed: three', input: { neededForWaiting: 3 }, desired: 3 },
    {
      name: 'from zero, maximumScalingStepSize 1: one',
      input: { neededForWaiting: 3, maximumScalingStepSize: 1 },
      desired: 1,
    },
    {
      name: 'one more needed, minimumScalingStepSize 3: three more',
      input: {
        inService: busy(2),
        launchedAtMs: old(2),
        desiredCapacity: 2,
        neededForWaiting: 1,
        minimumScalingStepSize: 3,
      },
      desired: 5,
    },
    {
      name: 'one more needed: N + 1',
      input: { inService: busy(2), launchedAtMs: old(2), desiredCapacity: 2, neededForWaiting: 1 },
      desired: 3,
    },
    {
      name: 'capped at MaxSize',
      input: { inService: busy(2), launchedAtMs: old(2), desiredCapacity: 2, neededForWaiting: 20 },
      desired: 10,
    },
    {
      name: 'targetCapacity 50: twice the busy instances',
      input: { inService: busy(2), launchedAtMs: old(2), desiredCapacity: 2, targetCapacity: 50 },
      desired: 4,
    },
    {
      name: 'targetCapacity 80, 4 busy: ceil(4 / 0.8) = 5',
      input: { inService: busy(4), launchedAtMs: old(4), desiredCapacity: 4, targetCapacity: 80 },
      desired: 5,
    },
  ])('scale out: $name', ({ input, desired }) => {
    expect(planManagedScaling({ ...base, ...input }).desiredCapacity).toBe(desired);
  });

  it('does not lower a desired capacity already raised while instances launch', () => {
    const decision = planManagedScaling({
      ...base,
      inService: busy(2),
      launchedAtMs: old(2),
      desiredCapacity: 4,
      neededForWaiting: 1,
    });
    expect(decision.desiredCapacity).toBeUndefined();
    expect(decision.reservation).toBe(150);
  });

  it('waits while an instance is inside its warm-up period, then scales out', () => {
    const warming = {
      ...base,
      inService: busy(2),
      launchedAtMs: [NOW - 3600_000, NOW - 60_000],
      desiredCapacity: 2,
      neededForWaiting: 2,
    };
    const during = planManagedScaling(warming);
    expect(during.desiredCapacity).toBeUndefined();
    expect(during.recheckAtMs).toBe(NOW - 60_000 + 300_000);
    expect(planManagedScaling({ ...warming, nowMs: NOW + 240_000 }).desiredCapacity).toBe(4);
  });

  it('scales in only after 15 minutes below target, to the busy instances, not below MinSize', () => {
    const low = { ...base, inService: busy(1, 3), launchedAtMs: old(4), desiredCapacity: 4, minSize: 2 };
    const first = planManagedScaling(low);
    expect(first).toMatchObject({ reservation: 25, scaleInWantedSinceMs: NOW, recheckAtMs: NOW + SCALE_IN_AFTER_MS });
    expect(first.desiredCapacity).toBeUndefined();
    const later = planManagedScaling({ ...low, scaleInWantedSinceMs: NOW, nowMs: NOW + SCALE_IN_AFTER_MS - 1 });
    expect(later.desiredCapacity).toBeUndefined();
    const due = planManagedScaling({ ...low, scaleInWantedSinceMs: NOW, nowMs: NOW + SCALE_IN_AFTER_MS });
    expect(due.desiredCapacity).toBe(2);
  });

  it('an idle group scales in to zero; a balanced one is left alone', () => {
    const idle = {
      ...base,
      inService: busy(0, 2),
      launchedAtMs: old(2),
      desiredCapacity: 2,
      scaleInWantedSinceMs: NOW - SCALE_IN_AFTER_MS,
    };
    expect(planManagedScaling(idle).desiredCapacity).toBe(0);
    const balanced = planManagedScaling({ ...base, inService: busy(3), launchedAtMs: old(3), desiredCapacity: 3 });
    expect(balanced).toEqual({ needed: 3, running: 3, reservation: 100 });
  });
});
