import { describe, expect, it } from 'vitest';
import { functionArn, isVersionNumber, parseFunctionReference, resolveReference } from './function-reference.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };

describe('parseFunctionReference', () => {
  it.each([
    ['my-function', { name: 'my-function' }],
    ['my-function:live', { name: 'my-function', qualifier: 'live' }],
    ['my-function:$LATEST', { name: 'my-function', qualifier: '$LATEST' }],
    ['123456789012:function:my-function', { accountId: '123456789012', name: 'my-function' }],
    ['123456789012:function:my-function:7', { accountId: '123456789012', name: 'my-function', qualifier: '7' }],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:my_function:live',
      { region: 'eu-west-1', accountId: '123456789012', name: 'my_function', qualifier: 'live' },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f',
      { region: 'us-gov-west-1', accountId: '123456789012', name: 'f' },
    ],
  ])('%s', (text, expected) => {
    expect(parseFunctionReference(text)).toEqual(expected);
  });

  it.each(['', 'has space', 'a:b:c', 'arn:aws:sns:us-east-1:123456789012:topic', `x${'y'.repeat(64)}`])(
    'rejects %j',
    (text) => {
      expect(parseFunctionReference(text)).toBeUndefined();
    },
  );
});

describe('resolveReference', () => {
  it('takes the scope from an ARN and the qualifier from the name or Qualifier', () => {
    expect(resolveReference(scope, 'arn:aws:lambda:eu-west-1:111111111111:function:f')).toEqual({
      scope: { accountId: '111111111111', region: 'eu-west-1' },
      name: 'f',
    });
    expect(resolveReference(scope, 'f', '3')).toEqual({ scope, name: 'f', qualifier: '3' });
    expect(resolveReference(scope, 'f:3', '3')).toEqual({ scope, name: 'f', qualifier: '3' });
  });

  it('refuses a qualifier that disagrees with the name, and malformed names', () => {
    expect(() => resolveReference(scope, 'f:3', '4')).toThrow(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
    expect(() => resolveReference(scope, 'not valid')).toThrow('Invalid function name: not valid');
  });
});

it('builds ARNs and tells version numbers from aliases', () => {
  expect(functionArn(scope, 'f')).toBe('arn:aws:lambda:us-east-1:123456789012:function:f');
  expect(functionArn(scope, 'f', 'live')).toBe('arn:aws:lambda:us-east-1:123456789012:function:f:live');
  expect([isVersionNumber('12'), isVersionNumber('$LATEST'), isVersionNumber('v1')]).toEqual([true, false, false]);
});
