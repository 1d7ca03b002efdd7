/**
 * botocore patterns compiled as AWS's servers apply them: anchored whole-string matches, with
 * Java's meaning for `\p{...}` classes and surrogate-pair ranges, each compiled once.
 */
import { describe, expect, it } from 'vitest';
import { compilePattern } from './pattern.js';

// Patterns as the models spell them: Lambda/ECS free text and ECS tag keys.
const XML_STRING = '[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*';
const ECS_TAG = '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)';

describe('compilePattern', () => {
  it('compiles each pattern once, anchored, with Java meaning for \\p{...} and surrogate ranges', () => {
    expect(compilePattern('[0-9]+')).toBe(compilePattern('[0-9]+'));
    expect(compilePattern('[0-9]+')!.test('12a')).toBe(false);
    expect(compilePattern(ECS_TAG)!.test('ключ 1')).toBe(true);
    expect(compilePattern(ECS_TAG)!.test('p{L}#')).toBe(false);
    expect(compilePattern(XML_STRING)!.test('🚢 ok\n')).toBe(true);
    expect(compilePattern(XML_STRING)!.test('\u0001')).toBe(false);
  });

  it('is null for a pattern JavaScript cannot express', () => {
    expect(compilePattern('[a-z]++')).toBeNull();
  });
});
