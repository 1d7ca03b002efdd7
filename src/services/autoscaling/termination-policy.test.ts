import { describe, expect, it } from 'vitest';
import type { TerminationCandidate, TerminationContext } from './termination-policy.js';
import { selectForTermination, validateTerminationPolicies } from './termination-policy.js';

const HOUR = 3600_000;
const NOW = 100 * HOUR;
const context: TerminationContext = {
  nowMs: NOW,
  currentLaunchTemplate: { launchTemplateId: 'lt-1', version: '3' },
  launchConfigurationCreatedAtMs: { old: 1, newer: 2 },
};

const candidate = (id: string, zone: string, launchedAtMs: number, extra: Partial<TerminationCandidate> = {}) => ({
  instanceId: id,
  availabilityZone: zone,
  launchedAtMs,
  launchTemplate: { launchTemplateId: 'lt-1', version: '3' },
  ...extra,
});

const zoneCounts = (candidates: readonly TerminationCandidate[]) => {
  const counts = new Map<string, number>();
  for (const c of candidates) counts.set(c.availabilityZone, (counts.get(c.availabilityZone) ?? 0) + 1);
  return counts;
};

interface Case {
  name: string;
  policies: string[];
  candidates: TerminationCandidate[];
  count: number;
  counts?: Map<string, number>;
  expected: string[];
}

const cases: Case[] = [
  {
    name: 'az-balance-comes-first',
    policies: ['NewestInstance'],
    candidates: [candidate('i-a1', 'a', 1), candidate('i-a2', 'a', 2), candidate('i-b1', 'b', 50 * HOUR)],
    count: 1,
    expected: ['i-a2'],
  },
  {
    name: 'oldest-instance-within-the-busiest-zone',
    policies: ['OldestInstance'],
    candidates: [candidate('i-a1', 'a', 5), candidate('i-a2', 'a', 2), candidate('i-b1', 'b', 1)],
    count: 1,
    expected: ['i-a2'],
  },
  {
    name: 'newest-instance',
    policies: ['NewestInstance'],
    candidates: [candidate('i-a1', 'a', 5), candidate('i-a2', 'a', 9)],
    count: 1,
    expected: ['i-a2'],
  },
  {
    name: 'two-picks-keep-zones-balanced',
    policies: ['OldestInstance'],
    candidates: [
      candidate('i-a1', 'a', 1),
      candidate('i-a2', 'a', 2),
      candidate('i-b1', 'b', 3),
      candidate('i-b2', 'b', 4),
    ],
    count: 2,
    expected: ['i-a1', 'i-b1'],
  },
  {
    name: 'protected-instances-count-for-balance-but-are-not-candidates',
    policies: ['Default'],
    candidates: [candidate('i-b1', 'b', 1)],
    counts: new Map([
      ['a', 3],
      ['b', 1],
    ]),
    count: 1,
    expected: ['i-b1'],
  },
  {
    name: 'oldest-launch-template-prefers-other-templates-then-old-versions',
    policies: ['OldestLaunchTemplate'],
    candidates: [
      candidate('i-1', 'a', 1, { launchTemplate: { launchTemplateId: 'lt-1', version: '2' } }),
      candidate('i-2', 'a', 1, { launchTemplate: { launchTemplateId: 'lt-9', version: '7' } }),
      candidate('i-3', 'a', 1, { launchTemplate: { launchTemplateId: 'lt-1', version: '3' } }),
    ],
    count: 2,
    expected: ['i-2', 'i-1'],
  },
  {
    name: 'oldest-launch-configuration',
    policies: ['OldestLaunchConfiguration'],
    candidates: [
      candidate('i-1', 'a', 1, { launchTemplate: undefined, launchConfigurationName: 'newer' }),
      candidate('i-2', 'a', 1, { launchTemplate: undefined, launchConfigurationName: 'old' }),
    ],
    count: 1,
    expected: ['i-2'],
  },
  {
    name: 'default-terminates-launch-configuration-instances-before-launch-template-ones',
    policies: ['Default'],
    candidates: [
      candidate('i-1', 'a', 1),
      candidate('i-2', 'a', 1, { launchTemplate: undefined, launchConfigurationName: 'old' }),
    ],
    count: 1,
    expected: ['i-2'],
  },
  {
    name: 'closest-to-next-instance-hour',
    policies: ['ClosestToNextInstanceHour'],
    // i-1 is 10 min from its next hour, i-2 50 min.
    candidates: [candidate('i-1', 'a', NOW - 50 * 60_000), candidate('i-2', 'a', NOW - 10 * 60_000)],
    count: 1,
    expected: ['i-1'],
  },
  {
    name: 'final-ties-go-to-the-lowest-instance-id',
    policies: ['Default'],
    candidates: [candidate('i-9', 'a', 7), candidate('i-3', 'a', 7)],
    count: 1,
    expected: ['i-3'],
  },
  {
    name: 'policies-apply-in-order',
    policies: ['OldestLaunchTemplate', 'NewestInstance'],
    candidates: [
      candidate('i-1', 'a', 1, { launchTemplate: { launchTemplateId: 'lt-1', version: '1' } }),
      candidate('i-2', 'a', 2, { launchTemplate: { launchTemplateId: 'lt-1', version: '1' } }),
      candidate('i-3', 'a', 3, { launchTemplate: { launchTemplateId: 'lt-1', version: '3' } }),
    ],
    count: 1,
    expected: ['i-2'],
  },
  {
    name: 'fewer-candidates-than-asked',
    policies: ['Default'],
    candidates: [candidate('i-1', 'a', 1)],
    count: 3,
    expected: ['i-1'],
  },
];

describe('selectForTermination', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const counts = testCase.counts ?? zoneCounts(testCase.candidates);
      expect(selectForTermination(testCase.policies, testCase.candidates, counts, testCase.count, context)).toEqual(
        testCase.expected,
      );
    });
  }
});

describe('selectForTermination at fleet scale', () => {
  it('a scale-in of 3,000 instances picks oldest first and keeps the zones within one of each other', () => {
    const zones = ['a', 'b', 'c'];
    const fleet = Array.from({ length: 3000 }, (_, index) =>
      candidate(`i-${String(index).padStart(5, '0')}`, zones[index % 3]!, index),
    );
    const picks = selectForTermination(['OldestInstance'], fleet, zoneCounts(fleet), 3000, context);
    expect(picks).toHaveLength(3000);
    expect(picks.slice(0, 3)).toEqual(['i-00000', 'i-00001', 'i-00002']);
    const left = new Map(zones.map((zone) => [zone, 1000]));
    for (const id of picks) {
      const zone = zones[Number(id.slice(2)) % 3]!;
      left.set(zone, left.get(zone)! - 1);
      expect(Math.max(...left.values()) - Math.min(...left.values())).toBeLessThanOrEqual(1);
    }
  });
});

describe('validateTerminationPolicies', () => {
  it('accepts AWS policy names and Lambda ARNs', () => {
    expect(() =>
      validateTerminationPolicies(['arn:aws:lambda:us-east-1:123456789012:function:pick', 'OldestInstance', 'Default']),
    ).not.toThrow();
  });

  it('refuses unknown names and Default anywhere but last', () => {
    expect(() => validateTerminationPolicies(['Oldest'])).toThrow('Termination policy Oldest is not valid.');
    expect(() => validateTerminationPolicies(['Default', 'NewestInstance'])).toThrow(
      'The Default termination policy must be the last one in the list.',
    );
  });
});
