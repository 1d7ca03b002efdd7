/**
 * Task placement (B.10, `DG:ecs/task-placement`): a pure function from a snapshot of the
 * cluster's container instances to where each of `count` tasks goes. Order, as ECS applies it:
 * only ACTIVE instances can take a task (DRAINING takes no new ones, B.2); then, per instance, agent
 * connected → CPU → memory → host ports → required attributes → constraints (memberOf,
 * distinctInstance) decide whether it can take the task; then the strategies, in order, narrow
 * the instances that can (spread, binpack, random) and a seeded random pick breaks what ties
 * remain. When nothing fits, each instance's first failing check is a `failures[]` reason in
 * AWS's words (`RESOURCE:CPU`, `AGENT`, `MemberOf placement constraint unsatisfied.` …).
 */
import type { Random } from '../../kernel/random.js';
import { evaluateClusterQuery, type ClusterQuery, type QueryTarget } from './cluster-query.js';

/** Host ports the agent hands out for hostPort 0 (ECS_DYNAMIC_HOST_PORT_RANGE default). */
export const DYNAMIC_PORT_MIN = 49153;
export const DYNAMIC_PORT_MAX = 65535;

export interface PlacementCandidate extends QueryTarget {
  containerInstanceArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  remainingCpu: number;
  remainingMemoryMiB: number;
  /** Host ports in use (reserved ones included). */
  usedTcpPorts: readonly number[];
  usedUdpPorts: readonly number[];
  /** How many not-STOPPED tasks of each group run there (spread counts these). */
  groupCounts: Readonly<Record<string, number>>;
}

export interface PortRequest {
  containerName: string;
  containerPort: number;
  /** 0 = dynamic (bridge mode), else this exact host port. */
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export type PlacementConstraintSpec = { type: 'distinctInstance' } | { type: 'memberOf'; query: ClusterQuery };

export type PlacementStrategySpec =
  { type: 'random' } | { type: 'spread'; field: string } | { type: 'binpack'; field: 'cpu' | 'memory' };

export interface PlacementRequest {
  count: number;
  cpu: number;
  memoryMiB: number;
  ports: readonly PortRequest[];
  requiredAttributes: readonly string[];
  group: string;
  constraints: readonly PlacementConstraintSpec[];
  strategies: readonly PlacementStrategySpec[];
}

export interface Placement {
  containerInstanceArn: string;
  /** The request's ports with every hostPort resolved. */
  ports: PortRequest[];
}

export interface PlacementFailure {
  arn: string;
  reason: string;
}

export interface PlacementResult {
  placements: Placement[];
  failures: PlacementFailure[];
}

export const MEMBER_OF_UNSATISFIED = 'MemberOf placement constraint unsatisfied.';
export const DISTINCT_INSTANCE_UNSATISFIED = 'DistinctInstance placement constraint unsatisfied.';

interface WorkingCandidate {
  base: PlacementCandidate;
  remainingCpu: number;
  remainingMemoryMiB: number;
  usedTcp: Set<number>;
  usedUdp: Set<number>;
  groupCounts: Map<string, number>;
  runningTasksCount: number;
  taskGroups: string[];
  /** Its value for each spread field, worked out once (spread looks at every candidate per task). */
  spreadValues: Map<string, string>;
}

export function planPlacement(
  candidates: readonly PlacementCandidate[],
  request: PlacementRequest,
  random: Random,
): PlacementResult {
  const working: WorkingCandidate[] = candidates
    .filter((candidate) => candidate.status !== 'INACTIVE')
    .map((candidate) => ({
      base: candidate,
      remainingCpu: candidate.remainingCpu,
      remainingMemoryMiB: candidate.remainingMemoryMiB,
      usedTcp: new Set(candidate.usedTcpPorts),
      usedUdp: new Set(candidate.usedUdpPorts),
      groupCounts: new Map(Object.entries(candidate.groupCounts)),
      runningTasksCount: candidate.runningTasksCount,
      taskGroups: [...candidate.taskGroups],
      spreadValues: new Map(),
    }));
  const placements: Placement[] = [];
  for (let index = 0; index < request.count; index += 1) {
    const fits: Array<{ candidate: WorkingCandidate; ports: PortRequest[] }> = [];
    const reasons = new Map<string, string>();
    for (const candidate of working) {
      const verdict = check(candidate, request);
      if (typeof verdict === 'string') reasons.set(candidate.base.containerInstanceArn, verdict);
      else fits.push({ candidate, ports: verdict });
    }
    if (fits.length === 0) {
      return {
        placements,
        failures: [...reasons].map(([arn, reason]) => ({ arn, reason })),
      };
    }
    const chosen = choose(fits, request, working, random);
    take(chosen.candidate, chosen.ports, request);
    placements.push({ containerInstanceArn: chosen.candidate.base.containerInstanceArn, ports: chosen.ports });
  }
  return { placements, failures: [] };
}

/** The resolved ports when the candidate can take one more task, else its failure reason. */
function check(candidate: WorkingCandidate, request: PlacementRequest): PortRequest[] | string {
  // UNCONFIRMED: ECS's failure reason for a DRAINING instance; it shows only when nothing fits.
  if (candidate.base.status === 'DRAINING') return 'DRAINING';
  if (!candidate.base.agentConnected) return 'AGENT';
  if (request.cpu > candidate.remainingCpu) return 'RESOURCE:CPU';
  if (request.memoryMiB > candidate.remainingMemoryMiB) return 'RESOURCE:MEMORY';
  const ports = resolvePorts(request.ports, candidate);
  if (ports === 'tcp') return 'RESOURCE:PORTS';
  if (ports === 'udp') return 'RESOURCE:PORTS_UDP';
  if (request.requiredAttributes.some((name) => !candidate.base.attributes.has(name))) return 'ATTRIBUTE';
  if (request.constraints.length === 0) return ports;
  const target = targetOf(candidate);
  for (const constraint of request.constraints) {
    if (constraint.type === 'memberOf' && !evaluateClusterQuery(constraint.query, target)) return MEMBER_OF_UNSATISFIED;
    if (constraint.type === 'distinctInstance' && (candidate.groupCounts.get(request.group) ?? 0) > 0) {
      return DISTINCT_INSTANCE_UNSATISFIED;
    }
  }
  return ports;
}

/**
 * Fixed host ports must be free; each dynamic one gets the lowest free port of the range. The
 * result keeps the request's order; a protocol name says which kind ran out.
 */
function resolvePorts(ports: readonly PortRequest[], candidate: WorkingCandidate): PortRequest[] | 'tcp' | 'udp' {
  const taken = { tcp: new Set(candidate.usedTcp), udp: new Set(candidate.usedUdp) };
  for (const port of ports) {
    if (port.hostPort === 0) continue;
    if (taken[port.protocol].has(port.hostPort)) return port.protocol;
    taken[port.protocol].add(port.hostPort);
  }
  const resolved: PortRequest[] = [];
  for (const port of ports) {
    if (port.hostPort !== 0) {
      resolved.push({ ...port });
      continue;
    }
    let next = DYNAMIC_PORT_MIN;
    while (next <= DYNAMIC_PORT_MAX && taken[port.protocol].has(next)) next += 1;
    if (next > DYNAMIC_PORT_MAX) return port.protocol;
    taken[port.protocol].add(next);
    resolved.push({ ...port, hostPort: next });
  }
  return resolved;
}

function targetOf(candidate: WorkingCandidate): QueryTarget {
  return { ...candidate.base, runningTasksCount: candidate.runningTasksCount, taskGroups: candidate.taskGroups };
}

function choose<T extends { candidate: WorkingCandidate }>(
  fits: T[],
  request: PlacementRequest,
  all: readonly WorkingCandidate[],
  random: Random,
): T {
  let remaining = fits;
  for (const strategy of request.strategies) {
    if (remaining.length <= 1) break;
    remaining = narrow(remaining, strategy, request, all, random);
  }
  return remaining.length === 1 ? remaining[0]! : random.pick(remaining);
}

function narrow<T extends { candidate: WorkingCandidate }>(
  fits: T[],
  strategy: PlacementStrategySpec,
  request: PlacementRequest,
  all: readonly WorkingCandidate[],
  random: Random,
): T[] {
  switch (strategy.type) {
    case 'random':
      return [random.pick(fits)];
    case 'binpack': {
      const remainingOf = (candidate: WorkingCandidate) =>
        strategy.field === 'cpu' ? candidate.remainingCpu : candidate.remainingMemoryMiB;
      const least = Math.min(...fits.map((fit) => remainingOf(fit.candidate)));
      return fits.filter((fit) => remainingOf(fit.candidate) === least);
    }
    case 'spread': {
      // Count the group's tasks per value of the field over the ACTIVE instances (a DRAINING
      // one's tasks are on their way out), then keep the instances whose value has the fewest.
      const valueOf = (candidate: WorkingCandidate) => spreadValue(candidate, strategy.field);
      const perValue = new Map<string, number>();
      for (const candidate of all) {
        if (candidate.base.status !== 'ACTIVE') continue;
        const value = valueOf(candidate);
        perValue.set(value, (perValue.get(value) ?? 0) + (candidate.groupCounts.get(request.group) ?? 0));
      }
      const fewest = Math.min(...fits.map((fit) => perValue.get(valueOf(fit.candidate)) ?? 0));
      return fits.filter((fit) => (perValue.get(valueOf(fit.candidate)) ?? 0) === fewest);
    }
  }
}

/** `instanceId`/`host` spread per instance; `attribute:<name>` per value (instances without it share one bucket). */
function spreadValue(candidate: WorkingCandidate, field: string): string {
  const known = candidate.spreadValues.get(field);
  if (known !== undefined) return known;
  let value: string;
  if (field === 'instanceId' || field === 'host') value = `instance:${candidate.base.containerInstanceArn}`;
  else {
    const name = field.slice('attribute:'.length);
    value = candidate.base.attributes.has(name) ? `value:${candidate.base.attributes.get(name) ?? ''}` : 'missing';
  }
  candidate.spreadValues.set(field, value);
  return value;
}

function take(candidate: WorkingCandidate, ports: readonly PortRequest[], request: PlacementRequest): void {
  candidate.remainingCpu -= request.cpu;
  candidate.remainingMemoryMiB -= request.memoryMiB;
  for (const port of ports) (port.protocol === 'tcp' ? candidate.usedTcp : candidate.usedUdp).add(port.hostPort);
  candidate.groupCounts.set(request.group, (candidate.groupCounts.get(request.group) ?? 0) + 1);
  candidate.runningTasksCount += 1;
  if (!candidate.taskGroups.includes(request.group)) candidate.taskGroups.push(request.group);
}
