/**
 * Does an event match a compiled pattern (`UG:eb/eb-event-patterns`, `-arrays`, `-null-values`,
 * `-content-based-filtering`)? Every field the pattern names must be matched at the same path;
 * a leaf matches when any of its values (an array in the event is any of its elements) satisfies
 * any of the pattern's matchers. Where the event holds an array of objects, one element must
 * satisfy the whole sub-pattern, so two fields are never matched from two different elements
 * (event-ruler's JSON-aware array consistency, which EventBridge uses).
 */
import { inRange, parseIpAddress } from './ip-address.js';
import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from './json-text.js';
import type { EventPattern, PatternNode, ValueMatcher } from './pattern-model.js';

export function matchesEventPattern(pattern: EventPattern, event: JsonValue): boolean {
  return matchNode(pattern.root, event);
}

function matchNode(node: PatternNode, value: JsonValue | undefined): boolean {
  if (Array.isArray(value)) {
    const elements = flatten(value);
    // An empty array holds nothing: only absence-tolerant patterns (exists: false) can match.
    if (elements.length === 0) return matchObject(node, undefined);
    return elements.some((element) => matchObject(node, isJsonObject(element) ? element : undefined));
  }
  return matchObject(node, isJsonObject(value) ? value : undefined);
}

function matchObject(node: PatternNode, object: JsonObject | undefined): boolean {
  for (const [name, field] of node.fields) {
    const child = object?.get(name);
    const ok = field.kind === 'object' ? matchNode(field.node, child) : matchLeaf(field.matchers, child);
    if (!ok) return false;
  }
  return node.or === undefined || node.or.some((branch) => matchObject(branch, object));
}

function flatten(values: JsonValue[]): JsonValue[] {
  return values.flatMap((value) => (Array.isArray(value) ? flatten(value) : [value]));
}

/** The scalar values at a leaf: none when the path is absent or holds an object (not a leaf). */
function leafValues(value: JsonValue | undefined): Array<Exclude<JsonValue, JsonObject | JsonValue[]>> {
  if (value === undefined || isJsonObject(value)) return [];
  if (!Array.isArray(value)) return [value];
  return flatten(value).filter((item): item is Exclude<JsonValue, JsonObject | JsonValue[]> => !isJsonObject(item));
}

function matchLeaf(matchers: readonly ValueMatcher[], value: JsonValue | undefined): boolean {
  const values = leafValues(value);
  return matchers.some((matcher) => {
    if (matcher.type === 'exists') return matcher.value === values.length > 0;
    return values.some((item) => matchValue(matcher, item));
  });
}

type Scalar = string | JsonNumber | boolean | null;

function lower(text: string): string {
  return text.toLowerCase();
}

function matchValue(matcher: ValueMatcher, value: Scalar): boolean {
  const text = typeof value === 'string' ? value : undefined;
  switch (matcher.type) {
    case 'string':
      if (text === undefined) return false;
      if (text === matcher.value) return true;
      // event-ruler matches an IP address by its value, not its spelling (::1 = 0:0:0:0:0:0:0:1).
      if (matcher.ip) {
        const address = parseIpAddress(text);
        return address !== undefined && address.family === matcher.ip.family && address.hex === matcher.ip.hex;
      }
      return false;
    case 'number':
      return value instanceof JsonNumber && value.text === matcher.text;
    case 'literal':
      return value === matcher.value;
    case 'prefix':
      if (text === undefined) return false;
      return matcher.ignoreCase ? lower(text).startsWith(lower(matcher.value)) : text.startsWith(matcher.value);
    case 'suffix':
      if (text === undefined) return false;
      return matcher.ignoreCase ? lower(text).endsWith(lower(matcher.value)) : text.endsWith(matcher.value);
    case 'equals-ignore-case':
      return text !== undefined && lower(text) === lower(matcher.value);
    case 'wildcard':
      return text !== undefined && matcher.regex.test(text);
    case 'numeric': {
      if (!(value instanceof JsonNumber)) return false;
      const number = value.value;
      if (matcher.lower && !(matcher.lower.inclusive ? number >= matcher.lower.value : number > matcher.lower.value)) {
        return false;
      }
      if (matcher.upper && !(matcher.upper.inclusive ? number <= matcher.upper.value : number < matcher.upper.value)) {
        return false;
      }
      return true;
    }
    case 'cidr': {
      if (text === undefined) return false;
      const address = parseIpAddress(text);
      return address !== undefined && inRange(matcher.range, address);
    }
    case 'exists':
      return false;
    // anything-but matches every leaf value the excluded set does not: other types included.
    case 'anything-but':
      return text === undefined || !matcher.strings.has(text);
    case 'anything-but-numbers':
      return !(value instanceof JsonNumber) || !matcher.values.includes(value.value);
    case 'anything-but-prefix':
      return text === undefined || !matcher.values.some((prefix) => text.startsWith(prefix));
    case 'anything-but-suffix':
      return text === undefined || !matcher.values.some((suffix) => text.endsWith(suffix));
    case 'anything-but-ignore-case':
      return text === undefined || !matcher.values.some((excluded) => lower(excluded) === lower(text));
    case 'anything-but-wildcard':
      return text === undefined || !matcher.regexes.some((regex) => regex.test(text));
  }
}
