/**
 * Event pattern text → EventPattern, refusing what EventBridge refuses with its
 * InvalidEventPatternException and event-ruler's reasons (`RULER` JsonRuleCompiler: "Empty arrays
 * are not allowed", "Unrecognized match type …", "Value of > must be numeric", …). Checks run in
 * the order the Java compiler meets them, so the first problem reported is AWS's first problem.
 */
import { invalidEventPattern } from './errors.js';
import { parseCidr, parseIpAddress } from './ip-address.js';
import {
  isJsonObject,
  JsonNumber,
  JsonSyntaxError,
  parseJson,
  tokenText,
  type JsonObject,
  type JsonValue,
} from './json-text.js';
import type { EventPattern, FieldPattern, NumericBound, PatternNode, ValueMatcher } from './pattern-model.js';

/** `$or` may not expand a pattern into more alternatives than this (E.2). */
export const MAX_OR_COMBINATIONS = 1000;

/** Match-operator names; event-ruler refuses them as field names directly inside `$or`. */
const OPERATOR_NAMES = new Set([
  'anything-but',
  'cidr',
  'equals-ignore-case',
  'exists',
  'numeric',
  'prefix',
  'suffix',
  'wildcard',
]);

class PatternError extends Error {}

function fail(reason: string): never {
  throw new PatternError(reason);
}

/** Compiles a pattern; throws InvalidEventPatternException. */
export function compileEventPattern(text: string): EventPattern {
  try {
    let parsed: JsonValue;
    try {
      parsed = parseJson(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError) fail(error.message);
      throw error;
    }
    if (!isJsonObject(parsed)) fail('Filter is not an object');
    const root = compileObject(parsed, false);
    const combinations = countCombinations(root);
    if (combinations > MAX_OR_COMBINATIONS) {
      // UNCONFIRMED wording; the limit itself is documented (E.2).
      fail(`The $or conditions expand to ${combinations} combinations, more than the limit of ${MAX_OR_COMBINATIONS}`);
    }
    return { text, root };
  } catch (error) {
    if (error instanceof PatternError) throw invalidEventPattern(error.message);
    throw error;
  }
}

function compileObject(object: JsonObject, insideOr: boolean): PatternNode {
  if (object.size === 0) fail('Empty objects are not allowed');
  const node: PatternNode = { fields: [] };
  for (const [name, value] of object) {
    if (name === '$or') {
      node.or = compileOr(value);
      continue;
    }
    if (insideOr && OPERATOR_NAMES.has(name)) {
      fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    node.fields.push([name, compileField(name, value, insideOr)]);
  }
  return node;
}

function compileField(name: string, value: JsonValue, insideOr: boolean): FieldPattern {
  if (isJsonObject(value)) return { kind: 'object', node: compileObject(value, insideOr) };
  if (Array.isArray(value)) return { kind: 'leaf', matchers: compileValues(value) };
  return fail(`"${name}" must be an object or an array`);
}

function compileOr(value: JsonValue): PatternNode[] {
  if (!Array.isArray(value)) fail('It must be an Array followed with $or.');
  const branches = value.map((branch) => {
    if (!isJsonObject(branch)) fail('Only JSON object is allowed in array of $or relationship.');
    return compileObject(branch, true);
  });
  if (branches.length < 2) fail('There must have at least 2 Objects in $or relationship.');
  return branches;
}

function countCombinations(node: PatternNode): number {
  let count = node.or ? node.or.reduce((sum, branch) => sum + countCombinations(branch), 0) : 1;
  for (const [, field] of node.fields) if (field.kind === 'object') count *= countCombinations(field.node);
  return count;
}

function compileValues(values: JsonValue[]): ValueMatcher[] {
  const matchers: ValueMatcher[] = [];
  for (const value of values) {
    if (isJsonObject(value)) matchers.push(compileExpression(value));
    else if (typeof value === 'string') {
      const ip = parseIpAddress(value);
      matchers.push(ip ? { type: 'string', value, ip } : { type: 'string', value });
    } else if (value instanceof JsonNumber) matchers.push({ type: 'number', text: value.text });
    else if (value === null || typeof value === 'boolean') matchers.push({ type: 'literal', value });
    else fail('Match value must be String, number, true, false, or null');
  }
  if (matchers.length === 0) fail('Empty arrays are not allowed');
  return matchers;
}

function onlyKey(expression: JsonObject, message = 'Only one key allowed in match expression'): void {
  if (expression.size > 1) fail(message);
}

const TOO_MANY_NUMERIC = 'Too many elements in numeric expression';

function compileExpression(expression: JsonObject): ValueMatcher {
  const first = expression.entries().next();
  if (first.done) fail('Match expression name not found');
  const [operator, operand] = first.value;
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      if (isJsonObject(operand)) {
        const ignoreCase = compileIgnoreCaseOperand(operator, operand);
        onlyKey(expression);
        return { type: operator, value: ignoreCase, ignoreCase: true };
      }
      if (typeof operand !== 'string') fail(`${operator} match pattern must be a string`);
      onlyKey(expression);
      return { type: operator, value: operand, ignoreCase: false };
    }
    case 'equals-ignore-case':
      if (typeof operand !== 'string') fail('equals-ignore-case match pattern must be a string');
      onlyKey(expression);
      return { type: 'equals-ignore-case', value: operand };
    case 'wildcard':
      if (typeof operand !== 'string') fail('wildcard match pattern must be a string');
      onlyKey(expression);
      return { type: 'wildcard', regex: wildcardRegex(operand) };
    case 'numeric':
      if (!Array.isArray(operand)) fail('Value of numeric must be an array.');
      onlyKey(expression, TOO_MANY_NUMERIC);
      return compileNumeric(operand);
    case 'anything-but': {
      const matcher = compileAnythingBut(operand);
      onlyKey(expression, TOO_MANY_NUMERIC);
      return matcher;
    }
    case 'exists':
      if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false.');
      onlyKey(expression);
      return { type: 'exists', value: operand };
    case 'cidr': {
      // event-ruler's own (mis)wording for a cidr that is not a string.
      if (typeof operand !== 'string') fail('prefix match pattern must be a string');
      const range = parseCidr(operand);
      if ('error' in range) fail(range.error);
      onlyKey(expression);
      return { type: 'cidr', range };
    }
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
}

/** `{"prefix": {"equals-ignore-case": "x"}}` and the suffix twin. */
function compileIgnoreCaseOperand(operator: 'prefix' | 'suffix', operand: JsonObject): string {
  const Name = operator === 'prefix' ? 'Prefix' : 'Suffix';
  const first = operand.entries().next();
  if (first.done) fail(`${Name} expression name not found`);
  const [inner, value] = first.value;
  if (inner !== 'equals-ignore-case') fail(`Unsupported ${operator} pattern: ${inner}`);
  if (typeof value !== 'string') fail('equals-ignore-case match pattern must be a string');
  onlyKey(operand);
  return value;
}

function compileAnythingBut(operand: JsonValue): ValueMatcher {
  if (isJsonObject(operand)) {
    const first = operand.entries().next();
    if (first.done) fail('Anything-But expression name not found');
    const [inner, value] = first.value;
    if (!['equals-ignore-case', 'prefix', 'suffix', 'wildcard'].includes(inner)) {
      fail(`Unsupported anything-but pattern: ${inner}`);
    }
    if (!Array.isArray(value) && typeof value !== 'string' && !(value instanceof JsonNumber)) {
      fail('Value of anything-but must be an array or single string/number value.');
    }
    const strings = (Array.isArray(value) ? value : [value]).map((item) => anythingButSetMember(inner, item));
    onlyKey(operand, TOO_MANY_NUMERIC);
    switch (inner) {
      case 'prefix':
        return { type: 'anything-but-prefix', values: strings };
      case 'suffix':
        return { type: 'anything-but-suffix', values: strings };
      case 'equals-ignore-case':
        return { type: 'anything-but-ignore-case', values: strings };
      default:
        return { type: 'anything-but-wildcard', regexes: strings.map(wildcardRegex) };
    }
  }
  if (typeof operand === 'string') return { type: 'anything-but', strings: new Set([operand]) };
  if (operand instanceof JsonNumber) return { type: 'anything-but-numbers', values: [operand.value] };
  if (!Array.isArray(operand)) fail('Value of anything-but must be an array or single string/number value.');
  const strings: string[] = [];
  const numbers: number[] = [];
  for (const item of operand) {
    if (typeof item === 'string') strings.push(item);
    else if (item instanceof JsonNumber) numbers.push(item.value);
    else fail('Inside anything but list, start|null|boolean is not supported.');
  }
  if (strings.length > 0 === numbers.length > 0) {
    fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return strings.length > 0
    ? { type: 'anything-but', strings: new Set(strings) }
    : { type: 'anything-but-numbers', values: numbers };
}

function anythingButSetMember(inner: string, item: JsonValue): string {
  if (typeof item !== 'string') {
    if (inner === 'equals-ignore-case') {
      fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
    }
    fail(
      inner === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string',
    );
  }
  if ((inner === 'prefix' || inner === 'suffix') && item === '') fail('Null prefix/suffix not allowed');
  return item;
}

const RANGE_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

function compileNumeric(terms: JsonValue[]): ValueMatcher {
  const [operator, operand, ...rest] = terms;
  if (typeof operator !== 'string')
    fail(`Invalid member in numeric match: ${operator === undefined ? ']' : tokenText(operator)}`);
  if (!RANGE_OPERATORS.has(operator)) fail(`Unrecognized numeric range operator: ${operator}`);
  if (!(operand instanceof JsonNumber)) fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  const value = operand.value;
  if (operator === '=') {
    if (rest.length > 0) fail(TOO_MANY_NUMERIC);
    return { type: 'numeric', lower: { value, inclusive: true }, upper: { value, inclusive: true } };
  }
  if (operator === '<' || operator === '<=') {
    if (rest.length > 0) fail(TOO_MANY_NUMERIC);
    return { type: 'numeric', upper: { value, inclusive: operator === '<=' } };
  }
  const lower: NumericBound = { value, inclusive: operator === '>=' };
  if (rest.length === 0) return { type: 'numeric', lower };
  const [topOperator, top, ...extra] = rest;
  if (typeof topOperator !== 'string') fail(`Bad value in numeric range: ${tokenText(topOperator!)}`);
  if (topOperator !== '<' && topOperator !== '<=') fail(`Bad numeric range operator: ${topOperator}`);
  if (!(top instanceof JsonNumber)) fail(`Value of ${topOperator} must be numeric`);
  if (extra.length > 0) fail('Too many terms in numeric range expression');
  if (!(value < top.value)) fail('Bottom must be less than top');
  return { type: 'numeric', lower, upper: { value: top.value, inclusive: topOperator === '<=' } };
}

/**
 * A wildcard operand as a regular expression: `*` is any run of characters, `\*` a literal star,
 * `\\` a backslash; any other escape and `**` are refused. Positions count UTF-8 bytes from the
 * opening quote, as event-ruler reports them.
 */
function wildcardRegex(text: string): RegExp {
  let source = '';
  const position = (index: number) => Buffer.byteLength(text.slice(0, index), 'utf8') + 1;
  for (let index = 0; index < text.length; index += 1) {
    const c = text.charAt(index);
    if (c === '*') {
      if (text.charAt(index + 1) === '*') fail(`Consecutive wildcard characters at pos ${position(index)}`);
      source += '.*';
    } else if (c === '\\') {
      const next = text.charAt(index + 1);
      if (next !== '*' && next !== '\\') fail(`Invalid escape character at pos ${position(index)}`);
      source += `\\${next}`;
      index += 1;
    } else {
      source += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}
