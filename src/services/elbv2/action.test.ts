import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { actionsFromWire, actionToWire, redirectLocation, type RedirectRecord } from './action.js';
import { chooseTargetGroup } from './routing.js';
import type { TargetGroupRecord } from './target-group.js';

const TG_A = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/0000000000000001';
const TG_B = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/0000000000000002';
const TG_TCP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/0000000000000003';
const groups: Record<string, Partial<TargetGroupRecord>> = {
  [TG_A]: { protocol: 'HTTP' },
  [TG_B]: { protocol: 'HTTP' },
  [TG_TCP]: { protocol: 'TCP' },
};
const alb = {
  loadBalancerType: 'application' as const,
  findTargetGroup: (arn: string) => groups[arn] as TargetGroupRecord,
};

function failure(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return [error.code, error.message];
    throw error;
  }
  throw new Error('expected a ServiceError');
}

describe('actions', () => {
  it('a forward to one group is described with both TargetGroupArn and a ForwardConfig of weight 1', () => {
    const [action] = actionsFromWire([{ Type: 'forward', TargetGroupArn: TG_A }], alb);
    expect(actionToWire(action!)).toEqual({
      Type: 'forward',
      TargetGroupArn: TG_A,
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: TG_A, Weight: 1 }],
        TargetGroupStickinessConfig: { Enabled: false },
      },
    });
  });

  it.each([
    ['no actions', [], 'ValidationError'],
    [
      'an unknown group',
      [{ Type: 'forward', TargetGroupArn: TG_A.replace('/a/', '/zz/') }],
      'TargetGroupNotFoundException',
    ],
    ['a malformed group ARN', [{ Type: 'forward', TargetGroupArn: 'tg-1' }], 'ValidationError'],
    [
      'weights missing for several groups',
      [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG_A }, { TargetGroupArn: TG_B }] } }],
      'ValidationError',
    ],
    [
      'weight 1000',
      [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG_A, Weight: 1000 }] } }],
      'ValidationError',
    ],
    [
      'ARN and a ForwardConfig of other groups',
      [
        {
          Type: 'forward',
          TargetGroupArn: TG_A,
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG_B, Weight: 1 }] },
        },
      ],
      'ValidationError',
    ],
    [
      'a TCP group behind an HTTP listener',
      [{ Type: 'forward', TargetGroupArn: TG_TCP }],
      'IncompatibleProtocolsException',
    ],
    [
      'authenticate-oidc',
      [{ Type: 'authenticate-oidc' }, { Type: 'forward', TargetGroupArn: TG_A }],
      'InvalidLoadBalancerActionException',
    ],
    [
      'two terminal actions',
      [
        { Type: 'forward', TargetGroupArn: TG_A, Order: 1 },
        { Type: 'forward', TargetGroupArn: TG_B, Order: 2 },
      ],
      'TooManyActionsException',
    ],
    [
      'a redirect to itself',
      [{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }],
      'InvalidLoadBalancerActionException',
    ],
    [
      'a fixed response of 302',
      [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }],
      'ValidationError',
    ],
  ])('refuses %s', (_name, actions, code) => {
    expect(failure(() => actionsFromWire(actions, alb))[0]).toBe(code);
  });

  it('NLB listeners forward only', () => {
    const nlb = { ...alb, loadBalancerType: 'network' as const };
    expect(
      failure(() => actionsFromWire([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }], nlb)),
    ).toEqual([
      'InvalidLoadBalancerActionException',
      "Network Load Balancer listeners support only forward actions, not 'fixed-response'",
    ]);
  });
});

describe('redirect Location (#{protocol} #{host} #{port} #{path} #{query})', () => {
  const request = { protocol: 'HTTP', host: 'www.example.com', port: 80, path: '/a/b', query: 'x=1' };
  const redirect = (overrides: Partial<RedirectRecord>): RedirectRecord => ({
    protocol: '#{protocol}',
    port: '#{port}',
    host: '#{host}',
    path: '/#{path}',
    query: '#{query}',
    statusCode: 'HTTP_301',
    ...overrides,
  });
  it.each([
    ['to HTTPS on 443', { protocol: 'HTTPS', port: '443' }, 'https://www.example.com:443/a/b?x=1'],
    ['to another host, path kept', { host: 'new.#{host}' }, 'http://new.www.example.com:80/a/b?x=1'],
    ['a new path reusing the old one', { path: '/v2/#{path}', query: '' }, 'http://www.example.com:80/v2/a/b'],
    [
      'a query built from parts',
      { query: 'from=#{host}&#{query}' },
      'http://www.example.com:80/a/b?from=www.example.com&x=1',
    ],
  ])('%s', (_name, overrides, location) => {
    expect(redirectLocation(redirect(overrides), request)).toBe(location);
  });
});

describe('weighted choice', () => {
  it('splits by weight / Σ weights; weight 0 gets nothing; all-zero sends nothing', () => {
    const random = seededRandom(3);
    const counts = { a: 0, b: 0, c: 0 };
    const weighted = [
      { targetGroupArn: 'a', weight: 30 },
      { targetGroupArn: 'b', weight: 10 },
      { targetGroupArn: 'c', weight: 0 },
    ];
    for (let i = 0; i < 4000; i += 1) counts[chooseTargetGroup(weighted, random) as 'a' | 'b' | 'c'] += 1;
    expect(counts.c).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.7);
    expect(counts.a / counts.b).toBeLessThan(3.3);
    expect(chooseTargetGroup([{ targetGroupArn: 'a', weight: 0 }], random)).toBeUndefined();
  });
});
