/**
 * The checks one shape's constraints make, built from the botocore traits: `enum`, `pattern`, and
 * `min`/`max` (a length for strings in code points, for blobs in bytes, for lists and maps in
 * items; a value range for numbers), each worded as AWS words it (`Member must have length less
 * than or equal to 255`). A check passes values of another type: decoding, not validation, owns types.
 */
import type { Shape } from './model.js';
import { compilePattern } from './pattern.js';
import type { ViolationKind } from './violation.js';

export interface Check {
  kind: ViolationKind;
  constraint: string;
  /** True when the value satisfies the check. */
  test: (value: unknown) => boolean;
}

export interface Constraints {
  /** In the order AWS reports violations: enum, pattern, min, max. */
  checks: Check[];
  /** The constraints as AWS lists them inside `[...]` for list items and map keys/values: max, min, pattern, enum. */
  bracket: string[];
}

/** How a `min`/`max` bound measures a value, and how AWS prints the bound. */
interface Measure {
  kind: 'length' | 'range';
  atLeast(value: unknown, bound: number): boolean;
  atMost(value: unknown, bound: number): boolean;
  print(bound: number): string;
}

/** The item count of a list or map. */
const COUNT: Measure = {
  kind: 'length',
  atLeast: (v, n) => sizeOf(v) >= n,
  atMost: (v, n) => sizeOf(v) <= n,
  print: String,
};

/** A string's length in code points; UTF-16 length settles most cases without counting. */
const TEXT: Measure = {
  kind: 'length',
  atLeast: (v, n) => typeof v !== 'string' || v.length >= 2 * n || codePointLength(v) >= n,
  atMost: (v, n) => typeof v !== 'string' || v.length <= n || codePointLength(v) <= n,
  print: String,
};

const BYTES: Measure = {
  kind: 'length',
  atLeast: (v, n) => !isBytes(v) || byteLength(v) >= n,
  atMost: (v, n) => !isBytes(v) || byteLength(v) <= n,
  print: String,
};

function numberMeasure(type: Shape['type']): Measure {
  return {
    kind: 'range',
    atLeast: (v, n) => typeof v !== 'number' || v >= n,
    atMost: (v, n) => typeof v !== 'number' || v <= n,
    // Java prints a double bound as `1.0`; integers and longs print bare.
    print: (n) => (isFloating(type) && Number.isInteger(n) ? n.toFixed(1) : String(n)),
  };
}

function boundConstraints(shape: Shape, measure: Measure): Constraints {
  const { min, max } = shape;
  const { kind } = measure;
  const noun = kind === 'length' ? 'length' : 'value';
  const atLeast: Check | undefined =
    min === undefined
      ? undefined
      : {
          kind,
          constraint: `Member must have ${noun} greater than or equal to ${measure.print(min)}`,
          test: (v) => measure.atLeast(v, min),
        };
  const atMost: Check | undefined =
    max === undefined
      ? undefined
      : {
          kind,
          constraint: `Member must have ${noun} less than or equal to ${measure.print(max)}`,
          test: (v) => measure.atMost(v, max),
        };
  return {
    checks: [atLeast, atMost].filter((check) => check !== undefined),
    bracket: [atMost, atLeast].filter((check) => check !== undefined).map((check) => check.constraint),
  };
}

/** The item-count checks of a list or map. */
export function countChecks(shape: Shape): Check[] {
  return boundConstraints(shape, COUNT).checks;
}

/** The checks of a scalar shape (string, blob, number); none for the others. */
export function scalarConstraints(shape: Shape): Constraints {
  if (shape.type === 'blob') return boundConstraints(shape, BYTES);
  if (isNumeric(shape.type)) return boundConstraints(shape, numberMeasure(shape.type));
  if (shape.type !== 'string') return { checks: [], bracket: [] };
  const bounds = boundConstraints(shape, TEXT);
  const checks: Check[] = [];
  const bracket = bounds.bracket;
  let enumText: string | undefined;
  if (shape.enum) {
    const allowed = new Set(shape.enum);
    enumText = `Member must satisfy enum value set: [${shape.enum.join(', ')}]`;
    checks.push({ kind: 'enum', constraint: enumText, test: (v) => typeof v !== 'string' || allowed.has(v) });
  }
  if (shape.pattern !== undefined) {
    const regex = compilePattern(shape.pattern);
    const constraint = `Member must satisfy regular expression pattern: ${shape.pattern}`;
    // A pattern JavaScript cannot express is skipped rather than guessed at; AWS still lists it.
    if (regex) checks.push({ kind: 'pattern', constraint, test: (v) => typeof v !== 'string' || regex.test(v) });
    bracket.push(constraint);
  }
  if (enumText !== undefined) bracket.push(enumText);
  return { checks: [...checks, ...bounds.checks], bracket };
}

function isNumeric(type: Shape['type']): boolean {
  return (
    type === 'integer' ||
    type === 'long' ||
    type === 'float' ||
    type === 'double' ||
    type === 'bigdecimal' ||
    type === 'biginteger'
  );
}

function isFloating(type: Shape['type']): boolean {
  return type === 'float' || type === 'double' || type === 'bigdecimal';
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Blobs arrive as bytes, or as text when a codec left them undecoded. */
function isBytes(value: unknown): value is Uint8Array | string {
  return value instanceof Uint8Array || typeof value === 'string';
}

function byteLength(value: Uint8Array | string): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.byteLength;
}
