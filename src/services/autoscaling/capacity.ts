/**
 * Capacity rules (section A.6): MinSize ≤ DesiredCapacity ≤ MaxSize with AWS's own messages, and
 * where launches go. Auto Scaling balances a group across its Availability Zones: each new
 * instance goes to the zone with the fewest instances (ties in the group's zone order), and
 * within a zone to its least used subnet. Pure functions.
 */
import { desiredOutOfBounds, maxBelowMin, validationError } from './errors.js';

export interface SubnetPlacement {
  subnetId: string;
  availabilityZone: string;
}

/** CreateAutoScalingGroup / UpdateAutoScalingGroup. */
export function validateBounds(min: number, max: number, desired: number): void {
  if (min > max) throw maxBelowMin(min, max);
  if (desired < min || desired > max) throw desiredOutOfBounds(desired, min, max);
}

/** SetDesiredCapacity: `OBS:` "New SetDesiredCapacity value 2 is above max value 1 for the AutoScalingGroup." */
export function validateSetDesired(desired: number, min: number, max: number): void {
  if (desired > max) {
    throw validationError(
      `New SetDesiredCapacity value ${desired} is above max value ${max} for the AutoScalingGroup.`,
    );
  }
  if (desired < min) {
    throw validationError(
      `New SetDesiredCapacity value ${desired} is below min value ${min} for the AutoScalingGroup.`,
    );
  }
}

/** The group's zones in the order its subnets name them. */
export function zonesOf(subnets: readonly SubnetPlacement[]): string[] {
  return [...new Set(subnets.map((subnet) => subnet.availabilityZone))];
}

/**
 * Where `count` new instances go, given the subnets of the instances already counted: one at a
 * time to the zone with the fewest, then that zone's subnet with the fewest.
 */
export function planPlacements(
  subnets: readonly SubnetPlacement[],
  occupiedSubnetIds: readonly string[],
  count: number,
): SubnetPlacement[] {
  if (subnets.length === 0 || count <= 0) return [];
  const perSubnet = new Map<string, number>(subnets.map((subnet) => [subnet.subnetId, 0]));
  const perZone = new Map<string, number>(zonesOf(subnets).map((zone) => [zone, 0]));
  const zoneOfSubnet = new Map(subnets.map((subnet) => [subnet.subnetId, subnet.availabilityZone]));
  const occupy = (subnetId: string, zone: string) => {
    perSubnet.set(subnetId, (perSubnet.get(subnetId) ?? 0) + 1);
    perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
  };
  for (const subnetId of occupiedSubnetIds) {
    const zone = zoneOfSubnet.get(subnetId);
    if (zone !== undefined) occupy(subnetId, zone);
  }
  const placements: SubnetPlacement[] = [];
  for (let index = 0; index < count; index += 1) {
    const zone = leastUsed([...perZone.keys()], (key) => perZone.get(key) ?? 0);
    const subnet = leastUsed(
      subnets.filter((candidate) => candidate.availabilityZone === zone).map((candidate) => candidate.subnetId),
      (key) => perSubnet.get(key) ?? 0,
    );
    occupy(subnet, zone);
    placements.push({ subnetId: subnet, availabilityZone: zone });
  }
  return placements;
}

function leastUsed(keys: readonly string[], countOf: (key: string) => number): string {
  let best = keys[0]!;
  for (const key of keys) if (countOf(key) < countOf(best)) best = key;
  return best;
}
