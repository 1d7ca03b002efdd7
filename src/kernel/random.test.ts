import { describe, expect, it } from 'vitest';
import { seededRandom, seedFromEntropy } from './random.js';
import type { Random } from './random.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const draws = (random: Random, count = 20) => Array.from({ length: count }, () => random.uint32());

describe('seededRandom', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draws(seededRandom(7))).toEqual(draws(seededRandom(7)));
    expect(draws(seededRandom(7))).not.toEqual(draws(seededRandom(8)));
    // Every bit of a safe-integer seed matters, negative seeds included.
    expect(draws(seededRandom(2 ** 40))).not.toEqual(draws(seededRandom(2 ** 40 + 1)));
    expect(draws(seededRandom(2 ** 40))).not.toEqual(draws(seededRandom(0)));
    expect(draws(seededRandom(-1))).not.toEqual(draws(seededRandom(2 ** 32 - 1)));
  });

  it('keeps producing the same values for a seed across releases (ids in recorded scenarios depend on it)', () => {
    const random = seededRandom(42);
    expect(random.hex(16)).toBe('8f7ee1190a3ec411');
    expect(random.uuid()).toBe('849c473b-b458-459c-a896-a3defab7e352');
    expect(random.int(0, 1000)).toBe(360);
    expect(random.fork('ecs').hex(12)).toBe('3a5ef174da41');
  });

  it('forks depend on the seed and label, not on how much the parent has drawn', () => {
    const fresh = seededRandom(99);
    const used = seededRandom(99);
    draws(used, 1000);
    expect(draws(fresh.fork('ecs'))).toEqual(draws(used.fork('ecs')));

    const ecs = fresh.fork('ecs');
    const autoscaling = fresh.fork('autoscaling');
    const autoscalingAlone = seededRandom(99).fork('autoscaling');
    draws(ecs, 500); // new draws in one subsystem …
    expect(draws(autoscaling)).toEqual(draws(autoscalingAlone)); // … leave another's unchanged

    expect(draws(fresh.fork('ecs'))).not.toEqual(draws(fresh.fork('ec2')));
    expect(draws(fresh.fork('ecs'))).not.toEqual(draws(seededRandom(100).fork('ecs')));
    expect(draws(fresh.fork('a').fork('b'))).not.toEqual(draws(fresh.fork('b').fork('a')));
  });

  it('gives a fork a seed that reproduces it', () => {
    const fork = seededRandom(5).fork('elbv2');
    expect(Number.isSafeInteger(fork.seed)).toBe(true);
    expect(draws(seededRandom(fork.seed))).toEqual(draws(seededRandom(5).fork('elbv2')));
    expect(seededRandom(5).seed).toBe(5);
  });

  it('draws uint32, float, int and hex in range', () => {
    const random = seededRandom(1);
    for (let index = 0; index < 2000; index += 1) {
      const word = random.uint32();
      expect(Number.isInteger(word) && word >= 0 && word < 2 ** 32).toBe(true);
      const float = random.float();
      expect(float >= 0 && float < 1).toBe(true);
      const int = random.int(-3, 4);
      expect(Number.isInteger(int) && int >= -3 && int < 4).toBe(true);
    }
    const seen = new Set(Array.from({ length: 500 }, () => random.int(0, 5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(random.hex(0)).toBe('');
    expect(random.hex(17)).toMatch(/^[0-9a-f]{17}$/);
    expect(random.hex(33)).toMatch(/^[0-9a-f]{33}$/);
    expect(() => random.int(3, 3)).toThrow(RangeError);
    expect(() => random.int(0.5, 3)).toThrow(RangeError);
  });

  it('makes v4 UUIDs', () => {
    const random = seededRandom(3);
    const ids = Array.from({ length: 200 }, () => random.uuid());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fills bytes of any length', () => {
    const random = seededRandom(4);
    expect(random.bytes(0)).toHaveLength(0);
    const bytes = random.bytes(37);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toHaveLength(37);
    expect(new Set(bytes).size).toBeGreaterThan(10);
  });

  it('picks members and shuffles into a permutation without touching the input', () => {
    const random = seededRandom(6);
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
    for (let index = 0; index < 50; index += 1) expect(items).toContain(random.pick(items));
    expect(() => random.pick([])).toThrow(RangeError);
    const shuffled = random.shuffle(items);
    expect([...shuffled].sort()).toEqual([...items]);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(seededRandom(6).shuffle(items)).not.toEqual(seededRandom(6).fork('x').shuffle(items));
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => seededRandom(1.5)).toThrow(RangeError);
    expect(() => seededRandom(2 ** 53)).toThrow(RangeError);
    expect(() => seededRandom(Number.NaN)).toThrow(RangeError);
  });
});

describe('seedFromEntropy', () => {
  it('returns a uint32 usable as a seed', () => {
    const seed = seedFromEntropy();
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
    expect(seededRandom(seed).seed).toBe(seed);
  });
});
