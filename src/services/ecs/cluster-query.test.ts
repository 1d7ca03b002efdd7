import { describe, expect, it } from 'vitest';
import {
  ClusterQueryError,
  evaluateClusterQuery,
  parseClusterQuery,
  parseQueryDate,
  type QueryTarget,
} from './cluster-query.js';

const instance: QueryTarget = {
  attributes: new Map<string, string | undefined>([
    ['ecs.instance-type', 't3.small'],
    ['ecs.availability-zone', 'us-east-1a'],
    ['ecs.os-type', 'linux'],
    ['stack', 'prod'],
    ['gpu-ready', undefined],
    ['weight', '20'],
  ]),
  ec2InstanceId: 'i-abcd1234',
  agentConnected: true,
  agentVersion: '1.89.0',
  registeredAtMs: Date.parse('2026-01-01T00:00:00Z'),
  runningTasksCount: 1,
  taskGroups: ['service:production', 'family:web'],
};

describe('the cluster query language, as the ECS Developer Guide writes it', () => {
  const cases: Array<[string, boolean]> = [
    // The guide's own examples.
    ['attribute:ecs.instance-type == t2.small', false],
    ['attribute:ecs.instance-type == t3.small', true],
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', true],
    ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', false],
    ['attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone != us-east-1d', true],
    ['task:group == service:production', true],
    ['not(task:group == database)', true],
    ['runningTasksCount == 1', true],
    ['agentVersion < 1.14.5', false],
    ['agentVersion >= 1.89.0', true],
    ['registeredAt < 2018-02-13', false],
    ['registeredAt >= 2025-12-31T23:59:59Z', true],
    ["ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true],
    // Word spellings of the operators and the Boolean connectives.
    ['attribute:stack equals prod', true],
    ['attribute:stack not_equals prod', false],
    ['attribute:stack exists', true],
    ['attribute:missing exists', false],
    ['attribute:missing !exists', true],
    ['attribute:missing not_exists', true],
    ['attribute:gpu-ready exists', true],
    ['attribute:stack !in [dev, test]', true],
    ['attribute:stack not_in [prod]', false],
    ['attribute:stack matches pr.*', true],
    ['attribute:stack !~ pr.*', false],
    ['attribute:stack not_matches dev', true],
    ['attribute:weight > 3', true],
    ['attribute:weight greater_than_equal 20', true],
    ['attribute:weight less_than 20', false],
    ['agentConnected == true', true],
    ['agentConnected != true', false],
    ['ec2InstanceId == i-abcd1234 && runningTasksCount < 2', true],
    ['ec2InstanceId == i-nope || runningTasksCount < 2', true],
    ['!(ec2InstanceId == i-abcd1234)', false],
    ['NOT attribute:stack == dev', true],
    // Precedence: not binds tighter than and, and tighter than or.
    ['attribute:stack == dev and attribute:stack == dev or runningTasksCount == 1', true],
    ['attribute:stack == dev and (attribute:stack == dev or runningTasksCount == 1)', false],
    ['not attribute:stack == dev and runningTasksCount == 1', true],
    // =~ is a whole-value regular expression (Java's matches()), not a substring search.
    ['attribute:ecs.instance-type =~ t3', false],
    ['attribute:ecs.instance-type =~ "t3\\.(small|medium)"', true],
    // task:group is many-valued.
    ['task:group == family:web', true],
    ['task:group != family:web', false],
    ['task:group in [family:api, family:web]', true],
    ['task:group =~ service:.*', true],
    ['task:group exists', true],
    // A comparison against a missing attribute is false; its negation true.
    ['attribute:missing == x', false],
    ['attribute:missing != x', true],
  ];
  for (const [expression, expected] of cases) {
    it(`${expression} → ${expected}`, () => {
      expect(evaluateClusterQuery(parseClusterQuery(expression), instance)).toBe(expected);
    });
  }
});

describe('expressions the parser refuses, saying why', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['attribute:stack', /expected an operator/],
    ['attribute:stack ==', /expected a value/],
    ['colour == red', /unknown subject 'colour'/],
    ['attribute: == x', /needs an attribute name/],
    ['attribute:stack in prod', /'\[' to open the argument list/],
    ['attribute:stack in [prod', /expected ',' or '\]'/],
    ['(attribute:stack == prod', /expected '\)'/],
    ['attribute:stack == prod)', /unexpected '\)'/],
    ['attribute:stack == prod and', /expected a subject/],
    ["attribute:stack == 'prod", /unterminated quoted value/],
    ['runningTasksCount =~ 1', /not valid for 'runningTasksCount'/],
    ['agentConnected > true', /not valid for 'agentConnected'/],
    ['attribute:stack =~ "(unclosed"', /not a valid regular expression/],
    ['x'.repeat(2001), /longer than 2000/],
  ];
  for (const [expression, message] of cases) {
    it(JSON.stringify(expression.slice(0, 60)), () => {
      expect(() => parseClusterQuery(expression)).toThrow(ClusterQueryError);
      expect(() => parseClusterQuery(expression)).toThrow(message);
    });
  }
});

describe('registeredAt dates', () => {
  it('reads the four formats the guide lists', () => {
    expect(parseQueryDate('2018-06-18T22:28:28+00:00')).toBe(Date.parse('2018-06-18T22:28:28Z'));
    expect(parseQueryDate('2018-06-18T22:28:28Z')).toBe(Date.parse('2018-06-18T22:28:28Z'));
    expect(parseQueryDate('2018-06-18T22:28:28')).toBe(Date.parse('2018-06-18T22:28:28Z'));
    expect(parseQueryDate('2018-06-18')).toBe(Date.parse('2018-06-18T00:00:00Z'));
    expect(parseQueryDate('June 18')).toBeUndefined();
  });
});
