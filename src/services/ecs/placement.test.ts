import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { parseClusterQuery } from './cluster-query.js';
import {
  DISTINCT_INSTANCE_UNSATISFIED,
  DYNAMIC_PORT_MIN,
  MEMBER_OF_UNSATISFIED,
  planPlacement,
  type PlacementCandidate,
  type PlacementRequest,
} from './placement.js';

function instance(name: string, overrides: Partial<PlacementCandidate> = {}, zone = 'us-east-1a'): PlacementCandidate {
  return {
    containerInstanceArn: `ci/${name}`,
    status: 'ACTIVE',
    agentConnected: true,
    remainingCpu: 2048,
    remainingMemoryMiB: 4096,
    usedTcpPorts: [22, 2375, 2376, 51678, 51679],
    usedUdpPorts: [],
    groupCounts: {},
    attributes: new Map([
      ['ecs.availability-zone', zone],
      ['ecs.instance-type', name.startsWith('big') ? 'c5.xlarge' : 't3.medium'],
    ]),
    ec2InstanceId: `i-${name}`,
    agentVersion: '1.89.0',
    registeredAtMs: 0,
    runningTasksCount: 0,
    taskGroups: [],
    ...overrides,
  };
}

const task: PlacementRequest = {
  count: 1,
  cpu: 256,
  memoryMiB: 512,
  ports: [],
  requiredAttributes: [],
  group: 'family:web',
  constraints: [],
  strategies: [],
};

const placedOn = (result: ReturnType<typeof planPlacement>) =>
  result.placements.map((placement) => placement.containerInstanceArn);

describe('placement: which instances can take the task at all', () => {
  const cases: Array<{
    name: string;
    candidates: PlacementCandidate[];
    request?: Partial<PlacementRequest>;
    placed: string[];
    failures?: Array<[string, string]>;
  }> = [
    {
      name: 'fits-on-an-active-connected-instance',
      candidates: [instance('a')],
      placed: ['ci/a'],
    },
    {
      name: 'draining-instances-take-no-new-tasks',
      candidates: [instance('a', { status: 'DRAINING' }), instance('b')],
      request: { count: 2 },
      placed: ['ci/b', 'ci/b'],
    },
    {
      name: 'only-draining-instances-is-a-failure-per-instance-and-inactive-ones-are-not-candidates',
      candidates: [instance('a', { status: 'DRAINING' }), instance('b', { status: 'INACTIVE' })],
      placed: [],
      failures: [['ci/a', 'DRAINING']],
    },
    {
      name: 'disconnected-agent-is-AGENT',
      candidates: [instance('a', { agentConnected: false })],
      placed: [],
      failures: [['ci/a', 'AGENT']],
    },
    {
      name: 'too-little-cpu-is-RESOURCE:CPU',
      candidates: [instance('a', { remainingCpu: 100 })],
      placed: [],
      failures: [['ci/a', 'RESOURCE:CPU']],
    },
    {
      name: 'too-little-memory-is-RESOURCE:MEMORY',
      candidates: [instance('a', { remainingMemoryMiB: 511 })],
      placed: [],
      failures: [['ci/a', 'RESOURCE:MEMORY']],
    },
    {
      name: 'a-taken-fixed-host-port-is-RESOURCE:PORTS',
      candidates: [instance('a', { usedTcpPorts: [22, 80] })],
      request: { ports: [{ containerName: 'web', containerPort: 80, hostPort: 80, protocol: 'tcp' }] },
      placed: [],
      failures: [['ci/a', 'RESOURCE:PORTS']],
    },
    {
      name: 'a-reserved-agent-port-is-RESOURCE:PORTS',
      candidates: [instance('a')],
      request: { ports: [{ containerName: 'ssh', containerPort: 22, hostPort: 22, protocol: 'tcp' }] },
      placed: [],
      failures: [['ci/a', 'RESOURCE:PORTS']],
    },
    {
      name: 'a-taken-udp-port-is-RESOURCE:PORTS_UDP',
      candidates: [instance('a', { usedUdpPorts: [53] })],
      request: { ports: [{ containerName: 'dns', containerPort: 53, hostPort: 53, protocol: 'udp' }] },
      placed: [],
      failures: [['ci/a', 'RESOURCE:PORTS_UDP']],
    },
    {
      name: 'a-fixed-host-port-fits-one-task-per-instance',
      candidates: [instance('a'), instance('b')],
      request: { count: 3, ports: [{ containerName: 'web', containerPort: 80, hostPort: 80, protocol: 'tcp' }] },
      placed: ['ci/?', 'ci/?'],
      failures: [
        ['ci/a', 'RESOURCE:PORTS'],
        ['ci/b', 'RESOURCE:PORTS'],
      ],
    },
    {
      name: 'a-missing-required-attribute-is-ATTRIBUTE',
      candidates: [instance('a')],
      request: { requiredAttributes: ['ecs.capability.task-eni'] },
      placed: [],
      failures: [['ci/a', 'ATTRIBUTE']],
    },
    {
      name: 'memberOf-keeps-only-matching-instances',
      candidates: [instance('a'), instance('big1')],
      request: {
        count: 2,
        constraints: [{ type: 'memberOf', query: parseClusterQuery('attribute:ecs.instance-type =~ c5.*') }],
      },
      placed: ['ci/big1', 'ci/big1'],
    },
    {
      name: 'memberOf-with-no-match-says-so',
      candidates: [instance('a')],
      request: { constraints: [{ type: 'memberOf', query: parseClusterQuery('attribute:stack == prod') }] },
      placed: [],
      failures: [['ci/a', MEMBER_OF_UNSATISFIED]],
    },
    {
      name: 'distinctInstance-puts-each-task-on-its-own-instance',
      candidates: [instance('a'), instance('b'), instance('c')],
      request: { count: 3, constraints: [{ type: 'distinctInstance' }] },
      placed: ['ci/?', 'ci/?', 'ci/?'],
    },
    {
      name: 'distinctInstance-counts-the-groups-tasks-already-there',
      candidates: [instance('a', { groupCounts: { 'family:web': 1 } }), instance('b')],
      request: { count: 2, constraints: [{ type: 'distinctInstance' }] },
      placed: ['ci/b'],
      failures: [
        ['ci/a', DISTINCT_INSTANCE_UNSATISFIED],
        ['ci/b', DISTINCT_INSTANCE_UNSATISFIED],
      ],
    },
    {
      name: 'resources-are-checked-before-constraints',
      candidates: [instance('a', { remainingCpu: 0 })],
      request: { constraints: [{ type: 'memberOf', query: parseClusterQuery('attribute:stack == prod') }] },
      placed: [],
      failures: [['ci/a', 'RESOURCE:CPU']],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = planPlacement(testCase.candidates, { ...task, ...testCase.request }, seededRandom(7));
      const placed = placedOn(result);
      expect(placed).toHaveLength(testCase.placed.length);
      testCase.placed.forEach((expected, index) => {
        if (expected !== 'ci/?') expect(placed[index]).toBe(expected);
      });
      if (testCase.name.startsWith('distinctInstance-puts')) expect(new Set(placed).size).toBe(3);
      if (testCase.name.startsWith('a-fixed-host-port-fits')) expect(new Set(placed).size).toBe(2);
      expect(result.failures.map((failure) => [failure.arn, failure.reason])).toEqual(testCase.failures ?? []);
    });
  }
});

describe('placement strategies', () => {
  it('binpack-memory-fills-the-fullest-instance-first', () => {
    const result = planPlacement(
      [instance('a', { remainingMemoryMiB: 4096 }), instance('b', { remainingMemoryMiB: 1536 })],
      { ...task, count: 4, strategies: [{ type: 'binpack', field: 'memory' }] },
      seededRandom(1),
    );
    // b (1536) takes three 512 MiB tasks until it has none left, then a.
    expect(placedOn(result)).toEqual(['ci/b', 'ci/b', 'ci/b', 'ci/a']);
  });

  it('binpack-cpu-uses-remaining-cpu', () => {
    const result = planPlacement(
      [instance('a', { remainingCpu: 1024 }), instance('b', { remainingCpu: 2048 })],
      { ...task, count: 2, strategies: [{ type: 'binpack', field: 'cpu' }] },
      seededRandom(1),
    );
    expect(placedOn(result)).toEqual(['ci/a', 'ci/a']);
  });

  it('spread-instanceId-balances-the-group-over-instances', () => {
    const result = planPlacement(
      [instance('a', { groupCounts: { 'family:web': 2 } }), instance('b'), instance('c')],
      { ...task, count: 4, strategies: [{ type: 'spread', field: 'instanceId' }] },
      seededRandom(3),
    );
    const counts = new Map<string, number>();
    for (const arn of placedOn(result)) counts.set(arn, (counts.get(arn) ?? 0) + 1);
    // b and c catch up with a's two before a gets more.
    expect(counts.get('ci/b')).toBe(2);
    expect(counts.get('ci/c')).toBe(2);
    expect(counts.get('ci/a')).toBeUndefined();
  });

  it('spread-by-availability-zone-then-binpack-within-the-zone', () => {
    const result = planPlacement(
      [
        instance('a1', { remainingMemoryMiB: 4096 }, 'us-east-1a'),
        instance('a2', { remainingMemoryMiB: 1024 }, 'us-east-1a'),
        instance('b1', { remainingMemoryMiB: 4096 }, 'us-east-1b'),
      ],
      {
        ...task,
        count: 4,
        strategies: [
          { type: 'spread', field: 'attribute:ecs.availability-zone' },
          { type: 'binpack', field: 'memory' },
        ],
      },
      seededRandom(5),
    );
    const placed = placedOn(result);
    expect(placed.filter((arn) => arn.startsWith('ci/a'))).toHaveLength(2);
    expect(placed.filter((arn) => arn === 'ci/b1')).toHaveLength(2);
    // Within us-east-1a, binpack picks a2 (least memory left) while it fits.
    expect(placed.filter((arn) => arn === 'ci/a2')).toHaveLength(2);
  });

  it('random-is-reproducible-from-the-seed-and-uses-every-instance', () => {
    const candidates = [instance('a'), instance('b'), instance('c')];
    const request = { ...task, count: 3, cpu: 0, memoryMiB: 0, strategies: [{ type: 'random' as const }] };
    const once = placedOn(planPlacement(candidates, { ...request, count: 30 }, seededRandom(11)));
    const again = placedOn(planPlacement(candidates, { ...request, count: 30 }, seededRandom(11)));
    expect(once).toEqual(again);
    expect(new Set(once)).toEqual(new Set(['ci/a', 'ci/b', 'ci/c']));
  });
});

describe('host ports', () => {
  it('dynamic-host-ports-come-from-49153-up-skipping-used-ones', () => {
    const result = planPlacement(
      [instance('a', { usedTcpPorts: [22, DYNAMIC_PORT_MIN] })],
      {
        ...task,
        count: 2,
        ports: [
          { containerName: 'web', containerPort: 8080, hostPort: 0, protocol: 'tcp' },
          { containerName: 'web', containerPort: 9090, hostPort: 0, protocol: 'tcp' },
        ],
      },
      seededRandom(1),
    );
    expect(result.placements.map((placement) => placement.ports.map((port) => port.hostPort))).toEqual([
      [DYNAMIC_PORT_MIN + 1, DYNAMIC_PORT_MIN + 2],
      [DYNAMIC_PORT_MIN + 3, DYNAMIC_PORT_MIN + 4],
    ]);
  });

  it('fixed-and-dynamic-ports-keep-the-mappings-order', () => {
    const result = planPlacement(
      [instance('a')],
      {
        ...task,
        ports: [
          { containerName: 'web', containerPort: 8080, hostPort: 0, protocol: 'tcp' },
          { containerName: 'web', containerPort: 80, hostPort: 80, protocol: 'tcp' },
        ],
      },
      seededRandom(1),
    );
    expect(result.placements[0]!.ports).toEqual([
      { containerName: 'web', containerPort: 8080, hostPort: DYNAMIC_PORT_MIN, protocol: 'tcp' },
      { containerName: 'web', containerPort: 80, hostPort: 80, protocol: 'tcp' },
    ]);
  });
});
