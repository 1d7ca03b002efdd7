/**
 * Random: the seeded source of every id, token and random choice in drydock (instance ids,
 * request ids, lifecycle action tokens, placement), so a virtual-time run is reproducible from
 * its seed. Subsystems draw from forks (`random.fork('ecs')`), which depend on the seed and the
 * label only, as TigerBeetle seeds network and storage separately.
 */
import { randomBytes } from 'node:crypto';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';

export interface Random {
  /** An integer in [0, 2^32). */
  uint32(): number;
  /** A float in [0, 1) with 53 random bits. */
  float(): number;
  /** [min, max) */
  int(min: number, max: number): number;
  /** length lowercase hex digits. */
  hex(length: number): string;
  bytes(length: number): Uint8Array;
  /** RFC 4122 version 4 layout, lowercase. */
  uuid(): string;
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy; the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this one's seed and the label (not from its current position), so new draws in one subsystem leave another's ids unchanged. */
  fork(label: string): Random;
  /** seededRandom(seed) reproduces this stream from its start (forks have derived seeds). */
  readonly seed: number;
}

/** A stream for seed, which must be a safe integer (the value of `--seed`). */
export function seededRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`a random seed must be a safe integer, got ${String(seed)}`);
  return new SeededRandom(seed);
}

/** The one place drydock uses crypto randomness: picking a seed when the user gave no --seed. */
export function seedFromEntropy(): number {
  return randomBytes(4).readUInt32BE(0);
}

class SeededRandom implements Random {
  readonly seed: number;
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.seed = seed;
    this.generator = xoroshiro128plus.fromState(initialState(seed));
  }

  uint32(): number {
    return this.generator.unsafeNext() >>> 0;
  }

  float(): number {
    const high = this.uint32() >>> 5; // 27 bits
    const low = this.uint32() >>> 6; // 26 bits
    return (high * 2 ** 26 + low) / 2 ** 53;
  }

  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min) {
      throw new RangeError(`int(min, max) needs safe integers with min < max, got [${min}, ${max})`);
    }
    return unsafeUniformIntDistribution(min, max - 1, this.generator);
  }

  hex(length: number): string {
    requireLength(length);
    let text = '';
    while (text.length < length) text += this.uint32().toString(16).padStart(8, '0');
    return text.slice(0, length);
  }

  bytes(length: number): Uint8Array {
    requireLength(length);
    const out = new Uint8Array(length);
    for (let index = 0; index < length; index += 4) {
      const word = this.uint32();
      for (let shift = 0; shift < 4 && index + shift < length; shift += 1)
        out[index + shift] = (word >>> (shift * 8)) & 0xff;
    }
    return out;
  }

  uuid(): string {
    const bytes = this.bytes(16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let index = out.length - 1; index > 0; index -= 1) {
      const other = this.int(0, index + 1);
      [out[index], out[other]] = [out[other]!, out[index]!];
    }
    return out;
  }

  fork(label: string): Random {
    return new SeededRandom(forkSeed(this.seed, label));
  }
}

function requireLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0)
    throw new RangeError(`length must be a non-negative integer, got ${length}`);
}

/** The seed's low and high 32-bit words (negative seeds wrap, so every safe integer is distinct). */
function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** xoroshiro128+ state for a seed: all 53 bits of the seed matter, and the state is never all zero. */
function initialState(seed: number): number[] {
  const [low, high] = seedWords(seed);
  const state = [0, 1, 2, 3].map(
    (index) => mix32(low + Math.imul(index + 1, 0x9e3779b9)) ^ mix32(high ^ Math.imul(index + 1, 0x7feb352d)),
  );
  if (!state.some((word) => word !== 0)) state[0] = 1;
  return state.map((word) => word | 0);
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a32(bytes: Uint8Array, basis: number): number {
  let hash = basis >>> 0;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash;
}

/** A fork's seed: FNV-1a over the parent seed and the label, widened to a 53-bit safe integer. */
function forkSeed(parentSeed: number, label: string): number {
  const [low, high] = seedWords(parentSeed);
  const labelBytes = new TextEncoder().encode(label);
  const bytes = new Uint8Array(8 + labelBytes.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, low);
  view.setUint32(4, high);
  bytes.set(labelBytes, 8);
  const first = fnv1a32(bytes, FNV_OFFSET_BASIS);
  const second = fnv1a32(bytes, mix32(first ^ 0x5bd1e995));
  return (second & 0x1fffff) * 2 ** 32 + first;
}
