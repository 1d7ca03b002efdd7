/**
 * Which instances scale-in terminates (`UG:asg/ec2-auto-scaling-termination-policies`, A.7).
 * Availability-zone balance comes first: each pick comes from the zone with the most instances
 * that still has an unprotected candidate; inside it the group's policies are applied in order,
 * each keeping only its best ties, and the Default steps break the remaining ties. AWS picks at
 * random among final ties; drydock takes the lowest instance id so a run is reproducible.
 * Pure functions; a Lambda policy (`arn:aws:lambda:…`) is accepted but not invoked.
 */
import { validationError } from './errors.js';

export const TERMINATION_POLICY_TYPES = [
  'AllocationStrategy',
  'ClosestToNextInstanceHour',
  'Default',
  'NewestInstance',
  'OldestInstance',
  'OldestLaunchConfiguration',
  'OldestLaunchTemplate',
] as const;

export type TerminationPolicy = (typeof TERMINATION_POLICY_TYPES)[number];

const HOUR_MS = 3600_000;

export interface TerminationCandidate {
  instanceId: string;
  availabilityZone: string;
  launchedAtMs: number;
  launchTemplate?: { launchTemplateId: string; version: string };
  launchConfigurationName?: string;
}

export interface TerminationContext {
  nowMs: number;
  /** The group's launch template and the version a launch would use now. */
  currentLaunchTemplate?: { launchTemplateId: string; version: string };
  currentLaunchConfigurationName?: string;
  launchConfigurationCreatedAtMs: Readonly<Record<string, number>>;
}

function isLambdaPolicy(policy: string): boolean {
  return policy.startsWith('arn:aws:lambda:');
}

/** UNCONFIRMED wording of both messages; the rules are the documented ones. */
export function validateTerminationPolicies(policies: readonly string[]): void {
  for (const policy of policies) {
    if (!isLambdaPolicy(policy) && !(TERMINATION_POLICY_TYPES as readonly string[]).includes(policy)) {
      throw validationError(`Termination policy ${policy} is not valid.`);
    }
  }
  const defaultAt = policies.indexOf('Default');
  if (defaultAt !== -1 && defaultAt !== policies.length - 1) {
    throw validationError('The Default termination policy must be the last one in the list.');
  }
}

/**
 * The instances to terminate, in order. `zoneCounts` counts every instance that holds capacity in
 * each zone (protected and pending ones included), since balance is about the whole group.
 *
 * Applying the policies in order, each keeping only its best ties, picks the same instance as
 * ordering the candidates by every policy's rank one after another (then the Default steps, then
 * the instance id). So each zone's candidates are sorted once and picks take the head of the
 * busiest zone: O(n log n) for a scale-in or refresh batch of any size, not O(n) per pick.
 */
export function selectForTermination(
  policies: readonly string[],
  candidates: readonly TerminationCandidate[],
  zoneCounts: ReadonlyMap<string, number>,
  count: number,
  context: TerminationContext,
): string[] {
  if (count <= 0 || candidates.length === 0) return [];
  const ranks = [...policies.map((policy) => rankFor(policy, context)), ...defaultRanks(context)];
  const keyed = candidates.map((candidate) => ({ candidate, key: ranks.map((rank) => rank(candidate)) }));
  keyed.sort((a, b) => {
    for (let index = 0; index < ranks.length; index += 1) {
      const order = compareRanks(a.key[index]!, b.key[index]!);
      if (order !== 0) return order;
    }
    return a.candidate.instanceId < b.candidate.instanceId
      ? -1
      : a.candidate.instanceId > b.candidate.instanceId
        ? 1
        : 0;
  });
  const queues = new Map<string, TerminationCandidate[]>();
  for (const { candidate } of keyed) {
    const queue = queues.get(candidate.availabilityZone);
    if (queue) queue.push(candidate);
    else queues.set(candidate.availabilityZone, [candidate]);
  }
  const zones = [...queues.keys()].sort();
  const next = new Map<string, number>(zones.map((zone) => [zone, 0]));
  const perZone = new Map(zoneCounts);
  const picked: string[] = [];
  while (picked.length < count) {
    // AZ balance first: the zone with the most instances that still has a candidate (ties: the first zone).
    let best: string | undefined;
    for (const zone of zones) {
      if (next.get(zone)! >= queues.get(zone)!.length) continue;
      if (best === undefined || (perZone.get(zone) ?? 0) > (perZone.get(best) ?? 0)) best = zone;
    }
    if (best === undefined) break;
    const at = next.get(best)!;
    picked.push(queues.get(best)![at]!.instanceId);
    next.set(best, at + 1);
    perZone.set(best, (perZone.get(best) ?? 1) - 1);
  }
  return picked;
}

type Rank = (candidate: TerminationCandidate) => number[];

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const diff = (a[index] ?? 0) - (b[index] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function rankFor(policy: string, context: TerminationContext): Rank {
  switch (policy as TerminationPolicy) {
    case 'OldestInstance':
      return (candidate) => [candidate.launchedAtMs];
    case 'NewestInstance':
      return (candidate) => [-candidate.launchedAtMs];
    case 'OldestLaunchConfiguration':
      return (candidate) => oldestLaunchConfigurationRank(candidate, context);
    case 'OldestLaunchTemplate':
      return (candidate) => oldestLaunchTemplateRank(candidate, context);
    case 'ClosestToNextInstanceHour':
      return (candidate) => [timeToNextHourMs(candidate, context.nowMs)];
    case 'Default':
    case 'AllocationStrategy':
      // Without mixed-instances policies there is no allocation strategy to align to.
      return () => [];
    default:
      // A Lambda policy would be asked here; drydock does not invoke it.
      return () => [];
  }
}

/** Default: launch configurations before launch templates, the oldest of those, then the billing hour. */
function defaultRanks(context: TerminationContext): Rank[] {
  return [
    (candidate) => [candidate.launchConfigurationName !== undefined ? 0 : 1],
    (candidate) =>
      candidate.launchConfigurationName !== undefined
        ? oldestLaunchConfigurationRank(candidate, context)
        : oldestLaunchTemplateRank(candidate, context),
    (candidate) => [timeToNextHourMs(candidate, context.nowMs)],
  ];
}

/** Instances not on the current launch configuration first, then the oldest configuration. */
function oldestLaunchConfigurationRank(candidate: TerminationCandidate, context: TerminationContext): number[] {
  const name = candidate.launchConfigurationName;
  if (name === undefined) return [2, 0];
  const current = name === context.currentLaunchConfigurationName ? 1 : 0;
  return [current, context.launchConfigurationCreatedAtMs[name] ?? 0];
}

/** Instances not on the current launch template first, then the oldest version of the current one. */
function oldestLaunchTemplateRank(candidate: TerminationCandidate, context: TerminationContext): number[] {
  const template = candidate.launchTemplate;
  const current = context.currentLaunchTemplate;
  if (!template) return [0, 0];
  if (!current || template.launchTemplateId !== current.launchTemplateId) return [0, 0];
  return [1, Number(template.version) || 0];
}

function timeToNextHourMs(candidate: TerminationCandidate, nowMs: number): number {
  const age = Math.max(0, nowMs - candidate.launchedAtMs);
  return HOUR_MS - (age % HOUR_MS);
}
