/**
 * SNS subscription filter policies (`FilterPolicy`, `FilterPolicyScope`): a subscription gets a
 * message only when every key of its policy matches. With the MessageAttributes scope (the
 * default) keys name message attributes (`String`, `Number`, `String.Array` values; Binary never
 * matches); with MessageBody they are paths into the JSON message. Each key lists alternatives:
 * exact strings and numbers, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values or
 * a prefix), `numeric` comparisons and `exists`. A policy that uses anything else is refused.
 */
import { invalidParameter } from './errors.js';

export interface PublishedAttribute {
  Type: string;
  Value: string;
}

type Condition = unknown;

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists']);

/** Throws `Invalid parameter: FilterPolicy: …` unless text is a policy drydock can apply. */
export function checkFilterPolicy(text: string): void {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw invalidParameter('FilterPolicy: failed to parse JSON.');
  }
  if (!isObject(policy)) throw invalidParameter('FilterPolicy: Filter policy must be a JSON object');
  checkNode(policy);
}

function checkNode(node: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') throw invalidParameter('FilterPolicy: drydock does not apply "$or" filter policies yet');
    if (isObject(value)) {
      checkNode(value);
      continue;
    }
    if (!Array.isArray(value)) throw invalidParameter(`FilterPolicy: "${key}" must be an object or an array`);
    for (const condition of value) {
      if (!isObject(condition)) continue;
      const [operator, ...more] = Object.keys(condition);
      if (operator === undefined || more.length > 0 || !OPERATORS.has(operator)) {
        throw invalidParameter(`FilterPolicy: Unrecognized match type ${operator ?? '(none)'}`);
      }
    }
  }
}

export function matchesFilterPolicy(
  policyText: string | undefined,
  scope: string | undefined,
  attributes: Readonly<Record<string, PublishedAttribute>> | undefined,
  message: string,
): boolean {
  if (!policyText) return true;
  const policy = JSON.parse(policyText) as Record<string, unknown>;
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    return isObject(body) && matchesBody(policy, body);
  }
  return Object.entries(policy).every(([name, conditions]) =>
    matchesValues(conditions as Condition[], attributeValues(attributes?.[name])),
  );
}

function matchesBody(policy: Record<string, unknown>, body: Record<string, unknown>): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    const value = Object.hasOwn(body, key) ? body[key] : undefined;
    if (isObject(rule)) return isObject(value) && matchesBody(rule, value);
    const values = value === undefined ? undefined : Array.isArray(value) ? value : [value];
    return matchesValues(rule as Condition[], values);
  });
}

/** The values an attribute offers to a match (a String.Array offers each element), or undefined if absent. */
function attributeValues(attribute: PublishedAttribute | undefined): unknown[] | undefined {
  if (!attribute) return undefined;
  if (attribute.Type.startsWith('Number')) return [Number(attribute.Value)];
  if (attribute.Type.startsWith('String.Array')) {
    try {
      const parsed: unknown = JSON.parse(attribute.Value);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  if (attribute.Type.startsWith('String')) return [attribute.Value];
  return [];
}

function matchesValues(conditions: Condition[], values: unknown[] | undefined): boolean {
  return conditions.some((condition) => {
    if (isObject(condition) && 'exists' in condition) return (values !== undefined) === Boolean(condition.exists);
    if (values === undefined) return false;
    return values.some((value) => matchesCondition(condition, value));
  });
}

function matchesCondition(condition: Condition, value: unknown): boolean {
  if (condition === null || typeof condition !== 'object') {
    if (typeof condition === 'number') return typeof value === 'number' && value === condition;
    return value === condition;
  }
  const rule = condition as Record<string, unknown>;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(String(rule.prefix));
  if ('suffix' in rule) return typeof value === 'string' && value.endsWith(String(rule.suffix));
  if ('equals-ignore-case' in rule) {
    return typeof value === 'string' && value.toLowerCase() === String(rule['equals-ignore-case']).toLowerCase();
  }
  if ('anything-but' in rule) {
    const excluded = rule['anything-but'];
    if (isObject(excluded) && 'prefix' in excluded) {
      return typeof value === 'string' && !value.startsWith(String(excluded.prefix));
    }
    const list = Array.isArray(excluded) ? excluded : [excluded];
    return !list.some((item) => matchesCondition(item, value));
  }
  if ('numeric' in rule) return typeof value === 'number' && matchesNumeric(rule.numeric, value);
  return false;
}

function matchesNumeric(spec: unknown, value: number): boolean {
  if (!Array.isArray(spec)) return false;
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const bound = Number(spec[i + 1]);
    const ok =
      spec[i] === '='
        ? value === bound
        : spec[i] === '<'
          ? value < bound
          : spec[i] === '<='
            ? value <= bound
            : spec[i] === '>'
              ? value > bound
              : spec[i] === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
