/**
 * The checks built from one shape's constraints: AWS's wording, the order violations are
 * reported in, the order AWS lists them inside `[...]`, and how each kind of value is measured.
 */
import { describe, expect, it } from 'vitest';
import { countChecks, scalarConstraints } from './constraint.js';

describe('scalarConstraints', () => {
  it('reports enum, pattern, min, max in that order and lists max, min, pattern, enum', () => {
    const { checks, bracket } = scalarConstraints({
      type: 'string',
      enum: ['a', 'bb'],
      pattern: '[ab]+',
      min: 1,
      max: 2,
    });
    expect(checks.map((check) => check.kind)).toEqual(['enum', 'pattern', 'length', 'length']);
    expect(bracket).toEqual([
      'Member must have length less than or equal to 2',
      'Member must have length greater than or equal to 1',
      'Member must satisfy regular expression pattern: [ab]+',
      'Member must satisfy enum value set: [a, bb]',
    ]);
  });

  it('counts a string in code points and a blob in bytes', () => {
    const [text] = scalarConstraints({ type: 'string', max: 2 }).checks;
    expect(text!.test('🚢🚢')).toBe(true);
    expect(text!.test('🚢🚢🚢')).toBe(false);
    const [bytes] = scalarConstraints({ type: 'blob', max: 2 }).checks;
    expect(bytes!.test(new Uint8Array(2))).toBe(true);
    expect(bytes!.test('é€')).toBe(false);
  });

  it('prints a floating bound as Java does and passes values of another type', () => {
    const { checks, bracket } = scalarConstraints({ type: 'double', min: 1, max: 2.5 });
    expect(bracket).toEqual([
      'Member must have value less than or equal to 2.5',
      'Member must have value greater than or equal to 1.0',
    ]);
    expect(checks.map((check) => check.kind)).toEqual(['range', 'range']);
    expect(checks[0]!.test(0.5)).toBe(false);
    expect(checks[0]!.test('0.5')).toBe(true);
    expect(scalarConstraints({ type: 'integer', min: 1 }).bracket).toEqual([
      'Member must have value greater than or equal to 1',
    ]);
  });

  it('keeps a pattern JavaScript cannot compile in the list but does not check it', () => {
    const { checks, bracket } = scalarConstraints({ type: 'string', pattern: '[a-z]++' });
    expect(checks).toEqual([]);
    expect(bracket).toEqual(['Member must satisfy regular expression pattern: [a-z]++']);
  });
});

describe('countChecks', () => {
  it('counts list items and map entries', () => {
    const [atLeast, atMost] = countChecks({ type: 'list', member: { shape: 'S' }, min: 1, max: 2 });
    expect(atLeast!.constraint).toBe('Member must have length greater than or equal to 1');
    expect(atLeast!.test([])).toBe(false);
    expect(atMost!.test({ a: 1, b: 2, c: 3 })).toBe(false);
    expect(atMost!.test([1, 2])).toBe(true);
  });
});
