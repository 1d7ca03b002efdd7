/**
 * Capacity provider strategies (B.8): their checks, and how base and weight split tasks among
 * providers, as the ECS Developer Guide's examples describe it.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceError } from '../../kernel/service-error.js';
import {
  effectiveStrategy,
  PROVIDER_NOT_ASSOCIATED,
  splitByStrategy,
  strategyOf,
} from './capacity-provider-strategy.js';

const tally = (names: string[]) =>
  names.reduce<Record<string, number>>((counts, name) => ({ ...counts, [name]: (counts[name] ?? 0) + 1 }), {});

describe('splitting tasks by base and weight', () => {
  it.each([
    {
      name: 'one provider takes everything',
      strategy: [{ capacityProvider: 'a', base: 0, weight: 1 }],
      count: 5,
      split: { a: 5 },
    },
    {
      name: 'weights 1 and 4: one task in five on the first',
      strategy: [
        { capacityProvider: 'a', base: 0, weight: 1 },
        { capacityProvider: 'b', base: 0, weight: 4 },
      ],
      count: 10,
      split: { a: 2, b: 8 },
    },
    {
      name: 'base 2 on a, then weights 1:1',
      strategy: [
        { capacityProvider: 'a', base: 2, weight: 1 },
        { capacityProvider: 'b', base: 0, weight: 1 },
      ],
      count: 6,
      split: { a: 4, b: 2 },
    },
    {
      name: 'base only: a weight-0 provider takes its base and nothing more',
      strategy: [
        { capacityProvider: 'a', base: 3, weight: 0 },
        { capacityProvider: 'b', base: 0, weight: 1 },
      ],
      count: 5,
      split: { a: 3, b: 2 },
    },
  ])('$name', ({ strategy, count, split }) => {
    expect(tally(splitByStrategy(strategy, {}, count))).toEqual(split);
  });

  it('counts what the providers already hold (a service scaling out)', () => {
    const strategy = [
      { capacityProvider: 'a', base: 1, weight: 1 },
      { capacityProvider: 'b', base: 0, weight: 1 },
    ];
    // a holds its base and two more, b holds one: the next goes to b, then they alternate (ties: a first).
    expect(splitByStrategy(strategy, { a: 3, b: 1 }, 3)).toEqual(['b', 'a', 'b']);
  });
});

describe('checking a strategy', () => {
  const error = (fn: () => unknown) => {
    try {
      fn();
    } catch (caught) {
      return caught as ServiceError;
    }
    throw new Error('expected an error');
  };
  it.each([
    {
      given: [
        { capacityProvider: 'a', base: 1 },
        { capacityProvider: 'b', base: 1, weight: 1 },
      ],
      message: /one capacity provider/,
    },
    { given: [{ capacityProvider: 'a' }, { capacityProvider: 'b' }], message: /weight greater than 0/ },
    { given: [{ capacityProvider: 'a', weight: 1001 }], message: /weight must be between 0 and 1000/ },
    { given: [{ capacityProvider: 'a', base: 100_001 }], message: /base must be between 0 and 100000/ },
    {
      given: [
        { capacityProvider: 'a', weight: 1 },
        { capacityProvider: 'a', weight: 2 },
      ],
      message: /more than once/,
    },
  ])('refuses $given', ({ given, message }) => {
    const caught = error(() => strategyOf(given));
    expect(caught.code).toBe('InvalidParameterException');
    expect(caught.message).toMatch(message);
  });

  it('a single provider with no weight is a valid strategy', () => {
    expect(strategyOf([{ capacityProvider: 'a' }])).toEqual([{ capacityProvider: 'a', base: 0, weight: 0 }]);
  });

  it('uses the given strategy, else none with a launch type, else the cluster default', () => {
    const cluster = ['a', 'b'];
    const fallback = [{ capacityProvider: 'a', base: 0, weight: 1 }];
    expect(effectiveStrategy(cluster, fallback, undefined, [{ capacityProvider: 'b', weight: 2 }])).toEqual([
      { capacityProvider: 'b', base: 0, weight: 2 },
    ]);
    expect(effectiveStrategy(cluster, fallback, 'EC2', undefined)).toBeUndefined();
    expect(effectiveStrategy(cluster, fallback, undefined, undefined)).toEqual(fallback);
    expect(effectiveStrategy(cluster, [], undefined, [])).toBeUndefined();
    expect(error(() => effectiveStrategy(cluster, [], undefined, [{ capacityProvider: 'c', weight: 1 }])).message).toBe(
      PROVIDER_NOT_ASSOCIATED,
    );
  });
});
