import { describe, expect, it } from 'vitest';
import { planPlacements, validateBounds, validateSetDesired } from './capacity.js';

const subnets = [
  { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
  { subnetId: 'subnet-b', availabilityZone: 'us-east-1b' },
  { subnetId: 'subnet-b2', availabilityZone: 'us-east-1b' },
];

describe('planPlacements', () => {
  it('spreads launches over the zones in the group order', () => {
    expect(planPlacements(subnets, [], 3).map((p) => p.availabilityZone)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1a',
    ]);
  });

  it('fills the emptiest zone first', () => {
    expect(planPlacements(subnets, ['subnet-a', 'subnet-a'], 2).map((p) => p.availabilityZone)).toEqual([
      'us-east-1b',
      'us-east-1b',
    ]);
  });

  it('balances subnets within a zone', () => {
    expect(planPlacements(subnets, ['subnet-a', 'subnet-a', 'subnet-b'], 1).map((p) => p.subnetId)).toEqual([
      'subnet-b2',
    ]);
  });
});

describe('capacity validation messages', () => {
  it('Min above Max', () =>
    expect(() => validateBounds(5, 3, 4)).toThrow('Max bound, 3, must be greater than or equal to min bound, 5'));
  it('Desired outside [Min, Max]', () =>
    expect(() => validateBounds(2, 5, 7)).toThrow(
      'Desired capacity:7 must be between the specified min size:2 and max size:5',
    ));
  it('SetDesiredCapacity above max', () =>
    expect(() => validateSetDesired(2, 0, 1)).toThrow(
      'New SetDesiredCapacity value 2 is above max value 1 for the AutoScalingGroup.',
    ));
  it('SetDesiredCapacity below min', () =>
    expect(() => validateSetDesired(0, 1, 3)).toThrow(
      'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.',
    ));
});
