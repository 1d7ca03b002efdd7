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
 */
export function selectForTermination(
  policies: readonly string[],
  candidates: readonly TerminationCandidate[],
  zoneCounts: ReadonlyMap<string, number>,
  count: number,
  context: TerminationContext,
): string[] {
  const remaining = [...candidates];
  const perZone = new Map(zoneCounts);
  const picked: string[] = [];
  while (picked.length < count && remaining.length > 0) {
    const zone = busiestZone(remaining, perZone);
    const inZone = remaining.filter((candidate) => candidate.availabilityZone === zone);
    const choice = applyPolicies(policies, inZone, context);
    picked.push(choice.instanceId);
    remaining.splice(remaining.indexOf(choice), 1);
    perZone.set(zone, (perZone.get(zone) ?? 1) - 1);
  }
  return picked;
}

function busiestZone(candidates: readonly TerminationCandidate[], perZone: ReadonlyMap<string, number>): string {
  const zones = [...new Set(candidates.map((candidate) => candidate.availabilityZone))].sort();
  let best = zones[0]!;
  for (const zone of zones) if ((perZone.get(zone) ?? 0) > (perZone.get(best) ?? 0)) best = zone;
  return best;
}

function applyPolicies(
  policies: readonly string[],
  candidates: readonly TerminationCandidate[],
  context: TerminationContext,
): TerminationCandidate {
  let ties = [...candidates];
  for (const policy of policies) {
    if (ties.length === 1) break;
    ties = narrowBy(ties, rankFor(policy, context));
  }
  for (const rank of defaultRanks(context)) {
    if (ties.length === 1) break;
    ties = narrowBy(ties, rank);
  }
  return ties.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1))[0]!;
}

type Rank = (candidate: TerminationCandidate) => number[];

/** Keeps the candidates with the smallest rank (ranks compare element by element). */
function narrowBy(candidates: readonly TerminationCandidate[], rank: Rank): TerminationCandidate[] {
  let best: number[] | undefined;
  let kept: TerminationCandidate[] = [];
  for (const candidate of candidates) {
    const value = rank(candidate);
    const order = best === undefined ? -1 : compareRanks(value, best);
    if (order < 0) {
      best = value;
      kept = [candidate];
    } else if (order === 0) kept.push(candidate);
  }
  return kept;
}

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
