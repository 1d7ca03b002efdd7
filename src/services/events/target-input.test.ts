/**
 * Target input: Input, InputPath and the InputTransformer examples of the EventBridge user guide
 * (`eb-transform-target-input`), reserved variables included, and what PutTargets refuses.
 */
import { describe, expect, it } from 'vitest';
import { parseJsonPath, selectJsonPath } from './json-path.js';
import { parseJson, toPlain } from './json-text.js';
import { inputProblem, targetInput, type DeliveryContext, type TargetInputSpec } from './target-input.js';

const EVENT_TEXT = JSON.stringify({
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', count: 2.5 },
}).replace('"count":2.5', '"count":2.50');

const context: DeliveryContext = {
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTimeMs: Date.UTC(2015, 10, 11, 21, 29, 55),
  event: parseJson(EVENT_TEXT),
};

const PATHS = { instance: '$.detail.instance-id', state: '$.detail.state' };

function transform(InputTemplate: string, InputPathsMap: Record<string, string> = PATHS): string {
  return targetInput({ InputTransformer: { InputPathsMap, InputTemplate } }, context);
}

describe('target input', () => {
  it('is the whole event, minified, by default, numbers as written', () => {
    expect(targetInput({}, context)).toBe(EVENT_TEXT);
    expect(EVENT_TEXT).toContain('"count":2.50');
  });

  it('is the constant Input when one is given', () => {
    expect(targetInput({ Input: '{"fixed": true}' }, context)).toBe('{"fixed": true}');
  });

  it('is the part an InputPath selects', () => {
    expect(targetInput({ InputPath: '$.detail' }, context)).toBe(
      '{"instance-id":"i-0123456789","state":"RUNNING","count":2.50}',
    );
    expect(targetInput({ InputPath: '$.detail.state' }, context)).toBe('"RUNNING"');
    expect(targetInput({ InputPath: '$.resources[0]' }, context)).toBe(
      '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"',
    );
    expect(targetInput({ InputPath: "$['detail']['instance-id']" }, context)).toBe('"i-0123456789"');
    expect(targetInput({ InputPath: '$' }, context)).toBe(EVENT_TEXT);
    expect(targetInput({ InputPath: '$.detail.missing' }, context)).toBe('null');
  });

  it.each([
    ['a simple string', '"instance <instance> is in <state>"', '"instance i-0123456789 is in RUNNING"'],
    [
      'a string with escaped quotes',
      '"instance \\"<instance>\\" is in <state>"',
      '"instance \\"i-0123456789\\" is in RUNNING"',
    ],
    [
      'simple JSON',
      '{\n  "instance" : <instance>,\n  "state": <state>\n}',
      '{"instance":"i-0123456789","state":"RUNNING"}',
    ],
    [
      'JSON with strings and variables',
      '{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}',
      '{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \\"i-0123456789\\" is in RUNNING"}',
    ],
    [
      'JSON with a mix of variables and static information',
      '{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}',
      '{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}',
    ],
    ['reserved variables in a string', '"<aws.events.rule-name> triggered"', '"example triggered"'],
    ['a plain-text template', 'instance <instance> is in <state>', 'instance i-0123456789 is in RUNNING'],
    ['an undefined name stays as written', 'Hello <b>world</b> <state>', 'Hello <b>world</b> RUNNING'],
  ])('InputTransformer: %s', (_name, template, expected) => {
    expect(transform(template)).toBe(expected);
  });

  it('InputTransformer: reserved variables in JSON, the event without its detail and the full event', () => {
    const output = transform(
      '{"instance": <instance>, "ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, ' +
        '"originalEvent": <aws.events.event>, "full": <aws.events.event.json>, "at": <aws.events.event.ingestion-time>}',
    );
    const parsed = toPlain(parseJson(output)) as Record<string, unknown>;
    expect(parsed.instance).toBe('i-0123456789');
    expect(parsed.ruleArn).toBe(context.ruleArn);
    expect(parsed.ruleName).toBe('example');
    expect(parsed.originalEvent).toMatchObject({ id: '7bf73129-1428-4cd3-a780-95db273d1602', source: 'aws.ec2' });
    expect(parsed.originalEvent).not.toHaveProperty('detail');
    expect(parsed.full).toMatchObject({ detail: { state: 'RUNNING' } });
    expect(parsed.at).toBe('2015-11-11T21:29:55.000Z');
  });

  it('InputTransformer: a variable whose path matches nothing is null in JSON and empty in text', () => {
    const paths = { ...PATHS, missing: '$.detail.nothing' };
    expect(transform('{"m": <missing>, "s": "<missing>!"}', paths)).toBe('{"m":null,"s":"!"}');
    expect(transform('value=<missing>;', paths)).toBe('value=;');
  });

  it('InputTransformer: numbers and objects keep their JSON form', () => {
    expect(transform('{"count": <count>, "detail": <detail>}', { count: '$.detail.count', detail: '$.detail' })).toBe(
      '{"count":2.50,"detail":{"instance-id":"i-0123456789","state":"RUNNING","count":2.50}}',
    );
    expect(transform('"count is <count>"', { count: '$.detail.count' })).toBe('"count is 2.50"');
  });

  it('JSON paths: wildcards gather every match', () => {
    const event = parseJson('{"items":[{"id":1},{"id":2}]}');
    expect(toPlain(selectJsonPath(parseJsonPath('$.items[*].id')!, event)!)).toEqual([1, 2]);
    expect(parseJsonPath('detail')).toBeUndefined();
    expect(parseJsonPath('$.a[')).toBeUndefined();
  });
});

describe('target input settings PutTargets refuses', () => {
  it.each<[string, TargetInputSpec, string | undefined]>([
    ['valid Input', { Input: '{"a":1}' }, undefined],
    ['Input that is not JSON', { Input: 'not json' }, 'Input'],
    ['a valid InputPath', { InputPath: '$.detail' }, undefined],
    ['an InputPath that is not a path', { InputPath: 'detail' }, 'InputPath'],
    [
      'a valid JSON template',
      { InputTransformer: { InputPathsMap: PATHS, InputTemplate: '{"i": <instance>}' } },
      undefined,
    ],
    ['a valid string template', { InputTransformer: { InputTemplate: '"<aws.events.rule-name> fired"' } }, undefined],
    ['a plain text template', { InputTransformer: { InputTemplate: 'anything <goes>' } }, undefined],
    [
      'a template that is not JSON',
      { InputTransformer: { InputPathsMap: PATHS, InputTemplate: '{"i": <instance>' } },
      'InputTransformer',
    ],
    [
      'a placeholder as a key',
      { InputTransformer: { InputPathsMap: PATHS, InputTemplate: '{<instance>: 1}' } },
      'InputTransformer',
    ],
    [
      'a key starting with AWS.',
      { InputTransformer: { InputPathsMap: { 'aws.x': '$.id' }, InputTemplate: '"x"' } },
      'InputTransformer',
    ],
    [
      'a path that is not a path',
      { InputTransformer: { InputPathsMap: { a: 'detail' }, InputTemplate: '"x"' } },
      'InputTransformer',
    ],
  ])('%s', (_name, spec, member) => {
    expect(inputProblem(spec)?.member).toBe(member);
  });
});
