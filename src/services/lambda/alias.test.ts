import { expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { checkRouting, pickAliasVersion } from './alias.js';

const exists = (version: string) => ['1', '2', '3'].includes(version);

it('accepts one additional published version, and refuses what Lambda refuses', () => {
  expect(() => checkRouting('1', {}, exists)).not.toThrow();
  expect(() => checkRouting('1', { '2': 0.2 }, exists)).not.toThrow();
  expect(() => checkRouting('1', { '2': 0.1, '3': 0.1 }, exists)).toThrow(
    'Number of items in AdditionalVersionWeights cannot be greater than 1',
  );
  expect(() => checkRouting('$LATEST', { '2': 0.1 }, exists)).toThrow(
    '$LATEST is not supported for an alias pointing to more than 1 version',
  );
  expect(() => checkRouting('1', { '1': 0.5 }, exists)).toThrow(/already included in routing configuration/);
  expect(() => checkRouting('1', { '9': 0.5 }, exists)).toThrow(/does not exist/);
});

it('routes invocations to the additional version with its weight', () => {
  const random = seededRandom(11);
  const alias = { functionVersion: '1', additionalVersionWeights: { '2': 0.25 } };
  let second = 0;
  for (let i = 0; i < 4000; i += 1) if (pickAliasVersion(alias, random) === '2') second += 1;
  expect(second / 4000).toBeGreaterThan(0.22);
  expect(second / 4000).toBeLessThan(0.28);
  expect(pickAliasVersion({ functionVersion: '3', additionalVersionWeights: {} }, random)).toBe('3');
});
