import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import type { TargetEndpoint } from '../../services/elbv2/ports.js';
import { TargetPicker } from './target-picker.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';
const target = (id: string): TargetEndpoint => ({
  targetGroupArn: TG,
  id,
  address: '127.1.0.1',
  port: 8000 + id.length,
});
const [A, B, C] = [target('a'), target('bb'), target('ccc')] as [TargetEndpoint, TargetEndpoint, TargetEndpoint];

function picker(loads: Map<TargetEndpoint, number> = new Map()) {
  return new TargetPicker(seededRandom(7), (t) => loads.get(t) ?? 0);
}

describe('TargetPicker', () => {
  it('has nothing to pick from an empty list and takes the only candidate', () => {
    expect(picker().pick(TG, [], 'round_robin')).toBeUndefined();
    expect(picker().pick(TG, [A], 'least_outstanding_requests')).toBe(A);
  });

  it('round_robin takes turns per target group', () => {
    const p = picker();
    const picks = Array.from({ length: 6 }, () => p.pick(TG, [A, B, C], 'round_robin')?.id);
    expect(picks).toEqual(['a', 'bb', 'ccc', 'a', 'bb', 'ccc']);
    // Another target group has its own turn.
    expect(p.pick('other', [A, B, C], 'round_robin')).toBe(A);
  });

  it('round_robin keeps going when a target leaves the candidates (a draining target)', () => {
    const p = picker();
    const picks = Array.from({ length: 4 }, () => p.pick(TG, [A, C], 'round_robin')?.id);
    expect(picks).toEqual(['a', 'ccc', 'a', 'ccc']);
  });

  it('least_outstanding_requests takes the least busy target', () => {
    const loads = new Map([
      [A, 3],
      [B, 1],
      [C, 2],
    ]);
    const p = picker(loads);
    for (let i = 0; i < 5; i++) expect(p.pick(TG, [A, B, C], 'least_outstanding_requests')).toBe(B);
  });

  it('least_outstanding_requests rotates among equally idle targets', () => {
    const p = picker();
    const picks = Array.from({ length: 6 }, () => p.pick(TG, [A, B, C], 'least_outstanding_requests')?.id);
    expect(new Set(picks)).toEqual(new Set(['a', 'bb', 'ccc']));
    expect(picks.slice(0, 3)).toEqual(['a', 'bb', 'ccc']);
  });

  it('weighted_random and flow_hash spread evenly, reproducibly from the seed', () => {
    for (const algorithm of ['weighted_random', 'flow_hash'] as const) {
      const p = picker();
      const counts = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const id = p.pick(TG, [A, B, C], algorithm)?.id as string;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const id of ['a', 'bb', 'ccc']) expect(counts.get(id)).toBeGreaterThan(900);
      const again = picker();
      const first = Array.from({ length: 20 }, () => again.pick(TG, [A, B, C], algorithm)?.id);
      const other = picker();
      expect(Array.from({ length: 20 }, () => other.pick(TG, [A, B, C], algorithm)?.id)).toEqual(first);
    }
  });
});
