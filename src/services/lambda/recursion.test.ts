import { expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import {
  chainDepth,
  invocationTraceHeader,
  isRecursiveLoop,
  lineageKey,
  parseTraceHeader,
  RECURSION_LIMIT,
} from './recursion.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:drain';
const OTHER = 'arn:aws:lambda:us-east-1:123456789012:function:other';
const NOW = Date.UTC(2026, 0, 1);

it('starts a new trace with a Root, a Parent and this function once in its lineage', () => {
  const header = invocationTraceHeader(undefined, ARN, seededRandom(1), NOW);
  expect(header).toMatch(
    new RegExp(
      `^Root=1-${(NOW / 1000).toString(16)}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=${lineageKey(ARN)}:1$`,
    ),
  );
  expect(chainDepth(header, ARN)).toBe(1);
  expect(chainDepth(header, OTHER)).toBe(0);
});

it('continues the caller’s chain: the same Root, each function counted on its own', () => {
  const random = seededRandom(2);
  const first = invocationTraceHeader(undefined, ARN, random, NOW);
  const second = invocationTraceHeader(first, OTHER, random, NOW);
  const third = invocationTraceHeader(second, ARN, random, NOW);
  expect(parseTraceHeader(third)?.root).toBe(parseTraceHeader(first)?.root);
  expect([chainDepth(third, ARN), chainDepth(third, OTHER)]).toEqual([2, 1]);
});

it('calls it a loop once the function already ran RECURSION_LIMIT times in the chain', () => {
  const random = seededRandom(3);
  let header: string | undefined;
  for (let run = 0; run < RECURSION_LIMIT - 1; run += 1) header = invocationTraceHeader(header, ARN, random, NOW);
  expect(isRecursiveLoop(header, ARN)).toBe(false);
  header = invocationTraceHeader(header, ARN, random, NOW);
  expect(isRecursiveLoop(header, ARN)).toBe(true);
  expect(isRecursiveLoop(header, OTHER)).toBe(false);
});

it('reads headers without a Lineage, and ignores ones without a Root', () => {
  expect(parseTraceHeader('Root=1-abc-def;Parent=1;Sampled=1')).toEqual({ root: '1-abc-def', lineage: new Map() });
  expect(parseTraceHeader('Parent=1')).toBeUndefined();
  expect(parseTraceHeader(undefined)).toBeUndefined();
});
