/** SNS filter policies from a table of cases: match, no match, and policies refused. */
import { describe, expect, it } from 'vitest';
import { checkFilterPolicy, matchesFilterPolicy, type PublishedAttribute } from './filter-policy.js';

const attributes: Record<string, PublishedAttribute> = {
  event: { Type: 'String', Value: 'autoscaling:EC2_INSTANCE_TERMINATING' },
  size: { Type: 'Number', Value: '7' },
  zones: { Type: 'String.Array', Value: '["us-east-1a","us-east-1b"]' },
  blob: { Type: 'Binary', Value: 'AQID' },
};

describe('filter policies on message attributes', () => {
  const cases: Array<[string, object, boolean]> = [
    ['exact string', { event: ['autoscaling:EC2_INSTANCE_TERMINATING'] }, true],
    ['one of several', { event: ['a', 'autoscaling:EC2_INSTANCE_TERMINATING'] }, true],
    ['no exact match', { event: ['autoscaling:EC2_INSTANCE_LAUNCHING'] }, false],
    ['prefix', { event: [{ prefix: 'autoscaling:' }] }, true],
    ['suffix', { event: [{ suffix: 'LAUNCHING' }] }, false],
    ['equals-ignore-case', { event: [{ 'equals-ignore-case': 'AUTOSCALING:ec2_instance_terminating' }] }, true],
    ['anything-but a value', { event: [{ 'anything-but': 'x' }] }, true],
    ['anything-but the value', { event: [{ 'anything-but': ['autoscaling:EC2_INSTANCE_TERMINATING'] }] }, false],
    ['anything-but a prefix', { event: [{ 'anything-but': { prefix: 'autoscaling' } }] }, false],
    ['exact number', { size: [7] }, true],
    ['numeric range', { size: [{ numeric: ['>', 5, '<=', 7] }] }, true],
    ['numeric out of range', { size: [{ numeric: ['<', 5] }] }, false],
    ['array attribute, any element', { zones: ['us-east-1b'] }, true],
    ['exists', { size: [{ exists: true }] }, true],
    ['does not exist', { missing: [{ exists: false }] }, true],
    ['absent attribute', { missing: ['x'] }, false],
    ['binary never matches', { blob: ['AQID'] }, false],
    ['every key must match', { event: [{ prefix: 'autoscaling:' }], size: [1] }, false],
  ];
  for (const [label, policy, expected] of cases) {
    it(label, () => {
      expect(matchesFilterPolicy(JSON.stringify(policy), undefined, attributes, 'body')).toBe(expected);
    });
  }

  it('lets everything through without a policy', () => {
    expect(matchesFilterPolicy(undefined, undefined, undefined, 'x')).toBe(true);
  });
});

describe('filter policies on the message body', () => {
  const body = JSON.stringify({ detail: { LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', count: 2 } });
  it('matches nested keys', () => {
    const policy = JSON.stringify({
      detail: { LifecycleTransition: [{ suffix: 'TERMINATING' }], count: [{ numeric: ['=', 2] }] },
    });
    expect(matchesFilterPolicy(policy, 'MessageBody', undefined, body)).toBe(true);
    expect(matchesFilterPolicy(JSON.stringify({ detail: { count: [3] } }), 'MessageBody', undefined, body)).toBe(false);
    expect(matchesFilterPolicy(policy, 'MessageBody', undefined, 'not json')).toBe(false);
  });
});

describe('policies drydock refuses', () => {
  it.each([
    ['{', 'Invalid parameter: FilterPolicy: failed to parse JSON.'],
    ['[]', 'Invalid parameter: FilterPolicy: Filter policy must be a JSON object'],
    ['{"a":[{"wildcard":"x*"}]}', 'Invalid parameter: FilterPolicy: Unrecognized match type wildcard'],
    [
      '{"$or":[{"a":["x"]},{"b":["y"]}]}',
      'Invalid parameter: FilterPolicy: drydock does not apply "$or" filter policies yet',
    ],
  ])('%s', (policy, message) => {
    expect(() => checkFilterPolicy(policy)).toThrow(message);
  });
});
