/**
 * Model-driven input validation, as AWS's Coral front end runs it before any operation: required
 * members, enums, length/range and patterns from the botocore shapes, reported as `N validation
 * error(s) detected: Value 'x' at 'member.path' failed to satisfy constraint: ...`. Only what the
 * model states is checked; limits a service enforces itself stay in the service.
 */
import type { ListShape, MapShape, ServiceModel, Shape, StringShape, OperationModel, StructureShape } from './model.js';

export type ViolationKind = 'required' | 'enum' | 'length' | 'range' | 'pattern';

export interface Violation {
  /** AWS member path, e.g. `autoScalingGroupName`, `containerDefinitions.1.member.name`. */
  path: string;
  /** The offending value as received (`null` for a missing required member). */
  value: unknown;
  /** The text after `failed to satisfy constraint: `. */
  constraint: string;
  kind: ViolationKind;
  /** The shape is `sensitive`: the message leaves the value out, as AWS does. */
  hidden?: boolean;
}

/** AWS reports several violations at once; beyond this many the rest add nothing. */
export const MAX_VIOLATIONS = 10;

// ---------------------------------------------------------------------------------------------
// Plans: per-shape precomputed checks, built lazily on first use and cached per model.

interface Check {
  kind: ViolationKind;
  constraint: string;
  /** True when the value satisfies the check. */
  test: (value: unknown) => boolean;
}

interface ScalarPlan {
  type: 'scalar';
  checks: Check[];
  /** The checks as AWS lists them inside `[...]` for list items and map keys/values. */
  bracket: string;
  hidden: boolean;
}

interface MemberPlan {
  name: string;
  segment: string;
  required: boolean;
  shape: string;
  /** Resolved on first use; `null` means the member's shape has nothing to check. */
  plan?: Plan | null;
}

interface StructurePlan {
  type: 'structure';
  members: MemberPlan[];
}

interface ListPlan {
  type: 'list';
  count: Check[];
  member: string;
  plan?: Plan | null;
  hidden: boolean;
}

interface MapPlan {
  type: 'map';
  count: Check[];
  key: string;
  value: string;
  keyPlan?: Plan | null;
  valuePlan?: Plan | null;
  hidden: boolean;
}

type Plan = ScalarPlan | StructurePlan | ListPlan | MapPlan;

interface ModelPlans {
  plans: Map<string, Plan | null>;
  constrained: Map<string, boolean>;
}

const modelPlans = new WeakMap<ServiceModel, ModelPlans>();

function plansOf(model: ServiceModel): ModelPlans {
  let plans = modelPlans.get(model);
  if (!plans) {
    plans = { plans: new Map(), constrained: new Map() };
    modelPlans.set(model, plans);
  }
  return plans;
}

function planFor(model: ServiceModel, shapeName: string): Plan | null {
  const cache = plansOf(model);
  let plan = cache.plans.get(shapeName);
  if (plan === undefined) {
    plan = buildPlan(model, shapeName);
    cache.plans.set(shapeName, plan);
  }
  return plan;
}

function buildPlan(model: ServiceModel, shapeName: string): Plan | null {
  const shape = model.shapes[shapeName];
  if (!shape || !isConstrained(model, shapeName)) return null;
  switch (shape.type) {
    case 'structure':
      return structurePlan(model, shape);
    case 'list':
      return listPlan(shape);
    case 'map':
      return mapPlan(shape);
    default:
      return scalarPlan(shape);
  }
}

function structurePlan(model: ServiceModel, shape: StructureShape): StructurePlan {
  const required = new Set(shape.required ?? []);
  const members: MemberPlan[] = [];
  for (const [name, ref] of Object.entries(shape.members)) {
    const isRequired = required.has(name);
    if (!isRequired && !isConstrained(model, ref.shape)) continue;
    members.push({ name, segment: lowerFirst(name), required: isRequired, shape: ref.shape });
  }
  return { type: 'structure', members };
}

function listPlan(shape: ListShape): ListPlan {
  return { type: 'list', count: countChecks(shape), member: shape.member.shape, hidden: shape.sensitive === true };
}

function mapPlan(shape: MapShape): MapPlan {
  return {
    type: 'map',
    count: countChecks(shape),
    key: shape.key.shape,
    value: shape.value.shape,
    hidden: shape.sensitive === true,
  };
}

function countChecks(shape: Shape): Check[] {
  const checks: Check[] = [];
  const { min, max } = shape;
  if (min !== undefined) {
    checks.push({
      kind: 'length',
      constraint: `Member must have length greater than or equal to ${min}`,
      test: (v) => sizeOf(v) >= min,
    });
  }
  if (max !== undefined) {
    checks.push({
      kind: 'length',
      constraint: `Member must have length less than or equal to ${max}`,
      test: (v) => sizeOf(v) <= max,
    });
  }
  return checks;
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

function scalarPlan(shape: Shape): ScalarPlan {
  const checks: Check[] = [];
  // Inside `[...]` AWS lists max before min, then the pattern.
  const bracket: string[] = [];
  const { min, max } = shape;
  if (shape.type === 'string') {
    const stringShape = shape as StringShape;
    if (stringShape.enum) {
      const allowed = new Set(stringShape.enum);
      const text = `Member must satisfy enum value set: [${stringShape.enum.join(', ')}]`;
      checks.push({ kind: 'enum', constraint: text, test: (v) => typeof v !== 'string' || allowed.has(v) });
    }
    if (stringShape.pattern !== undefined) {
      const regex = compilePattern(stringShape.pattern);
      const text = `Member must satisfy regular expression pattern: ${stringShape.pattern}`;
      // A pattern JavaScript cannot express is skipped rather than guessed at.
      if (regex)
        checks.push({ kind: 'pattern', constraint: text, test: (v) => typeof v !== 'string' || regex.test(v) });
    }
    if (min !== undefined) {
      checks.push({
        kind: 'length',
        constraint: `Member must have length greater than or equal to ${min}`,
        test: (v) => typeof v !== 'string' || v.length >= 2 * min || codePointLength(v) >= min,
      });
    }
    if (max !== undefined) {
      checks.push({
        kind: 'length',
        constraint: `Member must have length less than or equal to ${max}`,
        test: (v) => typeof v !== 'string' || v.length <= max || codePointLength(v) <= max,
      });
    }
    if (max !== undefined) bracket.push(`Member must have length less than or equal to ${max}`);
    if (min !== undefined) bracket.push(`Member must have length greater than or equal to ${min}`);
    if (stringShape.pattern !== undefined)
      bracket.push(`Member must satisfy regular expression pattern: ${stringShape.pattern}`);
    if (stringShape.enum) bracket.push(`Member must satisfy enum value set: [${stringShape.enum.join(', ')}]`);
  } else if (shape.type === 'blob') {
    if (min !== undefined) {
      checks.push({
        kind: 'length',
        constraint: `Member must have length greater than or equal to ${min}`,
        test: (v) => !isBytes(v) || byteLength(v) >= min,
      });
    }
    if (max !== undefined) {
      checks.push({
        kind: 'length',
        constraint: `Member must have length less than or equal to ${max}`,
        test: (v) => !isBytes(v) || byteLength(v) <= max,
      });
    }
    if (max !== undefined) bracket.push(`Member must have length less than or equal to ${max}`);
    if (min !== undefined) bracket.push(`Member must have length greater than or equal to ${min}`);
  } else if (isNumeric(shape.type)) {
    // Java prints a double bound as `1.0`; integers and longs print bare.
    const bound = (n: number) => (isFloating(shape.type) && Number.isInteger(n) ? n.toFixed(1) : String(n));
    if (min !== undefined) {
      checks.push({
        kind: 'range',
        constraint: `Member must have value greater than or equal to ${bound(min)}`,
        test: (v) => typeof v !== 'number' || v >= min,
      });
    }
    if (max !== undefined) {
      checks.push({
        kind: 'range',
        constraint: `Member must have value less than or equal to ${bound(max)}`,
        test: (v) => typeof v !== 'number' || v <= max,
      });
    }
    if (max !== undefined) bracket.push(`Member must have value less than or equal to ${bound(max)}`);
    if (min !== undefined) bracket.push(`Member must have value greater than or equal to ${bound(min)}`);
  }
  return { type: 'scalar', checks, bracket: `[${bracket.join(', ')}]`, hidden: shape.sensitive === true };
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

/** Whether a shape, or anything it contains, carries a constraint; cycles are cut. */
function isConstrained(model: ServiceModel, shapeName: string): boolean {
  const cache = plansOf(model).constrained;
  const known = cache.get(shapeName);
  if (known !== undefined) return known;
  const result = constrainedWalk(model, shapeName, new Set());
  cache.set(shapeName, result);
  return result;
}

function constrainedWalk(model: ServiceModel, shapeName: string, visiting: Set<string>): boolean {
  const cached = plansOf(model).constrained.get(shapeName);
  if (cached !== undefined) return cached;
  if (visiting.has(shapeName)) return false;
  const shape = model.shapes[shapeName];
  if (!shape) return false;
  if (shape.min !== undefined || shape.max !== undefined) return true;
  visiting.add(shapeName);
  let result: boolean;
  switch (shape.type) {
    case 'string':
      result = shape.enum !== undefined || shape.pattern !== undefined;
      break;
    case 'structure':
      result =
        !shape.document &&
        ((shape.required !== undefined && shape.required.length > 0) ||
          Object.values(shape.members).some((ref) => constrainedWalk(model, ref.shape, visiting)));
      break;
    case 'list':
      result = constrainedWalk(model, shape.member.shape, visiting);
      break;
    case 'map':
      result = constrainedWalk(model, shape.key.shape, visiting) || constrainedWalk(model, shape.value.shape, visiting);
      break;
    default:
      result = false;
  }
  visiting.delete(shapeName);
  // A `true` is final; a `false` reached inside a cycle may depend on the cut, so only the
  // outermost call (isConstrained) records it.
  if (result) plansOf(model).constrained.set(shapeName, true);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Patterns: botocore patterns are Java regexes that must match the whole value.

const patternCache = new Map<string, RegExp | null>();

/**
 * Compiles a model pattern anchored at both ends. Without the `u` flag first, like Java's UTF-16
 * view; with `u` when that fails (e.g. surrogate-pair ranges). Patterns using `\p{...}` classes go
 * straight to `u`: without it JavaScript reads `\p{L}` as the letters `p{L}`. `null` when
 * JavaScript cannot express the pattern at all.
 */
export function compilePattern(pattern: string): RegExp | null {
  let regex = patternCache.get(pattern);
  if (regex !== undefined) return regex;
  regex = null;
  const anchored = `^(?:${pattern})$`;
  const attempts = /\\[pP]\{/.test(pattern) ? ['u'] : ['', 'u'];
  for (const flags of attempts) {
    try {
      regex = new RegExp(anchored, flags);
      break;
    } catch {
      // try the next flag set
    }
  }
  patternCache.set(pattern, regex);
  return regex;
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

function lowerFirst(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

// ---------------------------------------------------------------------------------------------
// The walk. What AWS does, and so what this does:
// - Paths are member names with the first letter lower-cased; list items of structures are
//   `tags.1.member.key` (1-based), map values of structures `scanFilter.<key>.member.x`.
// - A list of scalars whose items break a constraint is reported once, at the list, with the item
//   shape's whole constraint set: `Member must satisfy constraint: [Member must have length less
//   than or equal to 255, ...]`; maps the same way with `Map keys must satisfy constraint: [...]`
//   and `Map value must satisfy constraint: [...]`.
// - A value breaking several constraints ('' against pattern `x+` and min 1) yields one violation
//   per constraint, pattern first. Members are visited in model order.

/** Validates a decoded input against the operation's input shape; `[]` when it is valid. */
export function validateInput(
  model: ServiceModel,
  operation: OperationModel,
  input: Record<string, unknown>,
): Violation[] {
  const out: Violation[] = [];
  if (!operation.input) return out;
  const plan = planFor(model, operation.input.shape);
  if (plan && plan.type === 'structure') walkStructure(model, plan, input, '', out);
  return out;
}

function join(path: string, segment: string): string {
  return path === '' ? segment : `${path}.${segment}`;
}

function walkStructure(
  model: ServiceModel,
  plan: StructurePlan,
  value: Record<string, unknown>,
  path: string,
  out: Violation[],
): void {
  for (const member of plan.members) {
    if (out.length >= MAX_VIOLATIONS) return;
    const memberValue = value[member.name];
    if (memberValue === undefined || memberValue === null) {
      if (member.required) {
        out.push({
          path: join(path, member.segment),
          value: null,
          constraint: 'Member must not be null',
          kind: 'required',
        });
      }
      continue;
    }
    if (member.plan === undefined) member.plan = planFor(model, member.shape);
    if (member.plan) walkValue(model, member.plan, memberValue, path, member.segment, out);
  }
}

function walkValue(
  model: ServiceModel,
  plan: Plan,
  value: unknown,
  parentPath: string,
  segment: string,
  out: Violation[],
): void {
  switch (plan.type) {
    case 'scalar':
      for (const check of plan.checks) {
        if (out.length >= MAX_VIOLATIONS) return;
        if (!check.test(value)) push(out, join(parentPath, segment), value, check, plan.hidden);
      }
      return;
    case 'structure':
      if (isRecord(value)) walkStructure(model, plan, value, join(parentPath, segment), out);
      return;
    case 'list':
      if (Array.isArray(value)) walkList(model, plan, value, join(parentPath, segment), out);
      return;
    case 'map':
      if (isRecord(value)) walkMap(model, plan, value, join(parentPath, segment), out);
      return;
  }
}

function walkList(model: ServiceModel, plan: ListPlan, value: unknown[], path: string, out: Violation[]): void {
  for (const check of plan.count) {
    if (!check.test(value)) push(out, path, value, check, plan.hidden);
  }
  if (plan.plan === undefined) plan.plan = planFor(model, plan.member);
  const itemPlan = plan.plan;
  if (!itemPlan) return;
  if (itemPlan.type === 'scalar') {
    const failed = firstFailure(itemPlan, value);
    if (failed) {
      pushAggregate(out, path, value, 'Member must satisfy constraint: ', itemPlan, failed, plan.hidden);
    }
    return;
  }
  for (let i = 0; i < value.length && out.length < MAX_VIOLATIONS; i++) {
    const item = value[i];
    if (item === null || item === undefined) continue;
    walkValue(model, itemPlan, item, path, `${i + 1}.member`, out);
  }
}

function walkMap(
  model: ServiceModel,
  plan: MapPlan,
  value: Record<string, unknown>,
  path: string,
  out: Violation[],
): void {
  for (const check of plan.count) {
    if (!check.test(value)) push(out, path, value, check, plan.hidden);
  }
  if (plan.keyPlan === undefined) plan.keyPlan = planFor(model, plan.key);
  if (plan.valuePlan === undefined) plan.valuePlan = planFor(model, plan.value);
  const { keyPlan, valuePlan } = plan;
  if (keyPlan && keyPlan.type === 'scalar') {
    const failed = firstFailure(keyPlan, Object.keys(value));
    if (failed) pushAggregate(out, path, value, 'Map keys must satisfy constraint: ', keyPlan, failed, plan.hidden);
  }
  if (!valuePlan || out.length >= MAX_VIOLATIONS) return;
  if (valuePlan.type === 'scalar') {
    const failed = firstFailure(valuePlan, Object.values(value));
    if (failed) pushAggregate(out, path, value, 'Map value must satisfy constraint: ', valuePlan, failed, plan.hidden);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (out.length >= MAX_VIOLATIONS) return;
    if (item === null || item === undefined) continue;
    walkValue(model, valuePlan, item, path, `${key}.member`, out);
  }
}

function firstFailure(plan: ScalarPlan, items: unknown[]): Check | undefined {
  for (const item of items) {
    if (item === null || item === undefined) continue;
    for (const check of plan.checks) if (!check.test(item)) return check;
  }
  return undefined;
}

/** One violation for a whole list or map, listing the item shape's constraints as AWS does. */
function pushAggregate(
  out: Violation[],
  path: string,
  value: unknown,
  prefix: string,
  plan: ScalarPlan,
  failed: Check,
  hidden: boolean,
): void {
  if (out.length >= MAX_VIOLATIONS) return;
  const violation: Violation = { path, value, constraint: prefix + plan.bracket, kind: failed.kind };
  if (hidden || plan.hidden) violation.hidden = true;
  out.push(violation);
}

function push(out: Violation[], path: string, value: unknown, check: Check, hidden: boolean): void {
  if (out.length >= MAX_VIOLATIONS) return;
  const violation: Violation = { path, value, constraint: check.constraint, kind: check.kind };
  if (hidden) violation.hidden = true;
  out.push(violation);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

// ---------------------------------------------------------------------------------------------
// Messages.

/**
 * `Value 'x' at 'path' failed to satisfy constraint: ...` for one violation. Values print as
 * Java's toString shows them (Coral is Java): every non-null value quoted, lists `'[a, b]'`, maps
 * and structures `'{k=v, k2=v2}'`, blobs as Java's ByteBuffer description, timestamps ISO 8601;
 * null unquoted; values of `sensitive` shapes left out (`Value at 'x' failed ...`).
 */
export function formatViolation(violation: Violation): string {
  let shown: string;
  if (violation.value === null || violation.value === undefined) shown = 'Value null';
  else if (violation.hidden) shown = 'Value';
  else shown = `Value '${javaString(violation.value)}'`;
  return `${shown} at '${violation.path}' failed to satisfy constraint: ${violation.constraint}`;
}

/** The ValidationException message: `2 validation errors detected: ...; ...`. */
export function formatViolations(violations: Violation[]): string {
  const count = violations.length;
  const noun = count === 1 ? 'error' : 'errors';
  return `${count} validation ${noun} detected: ${violations.map(formatViolation).join('; ')}`;
}

/** A value as Java's toString would print it, which is what Coral echoes back. */
function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) {
    return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  }
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
  }
  return String(value);
}
