/**
 * Model-driven input validation, as AWS's Coral front end runs it before any operation: required
 * members, enums, length/range and patterns from the botocore shapes (validation-plan.ts,
 * constraint.ts), reported as violations (violation.ts) that become `N validation error(s)
 * detected: ...`. Only what the model states is checked; limits a service enforces stay in it.
 */
import type { Check } from './constraint.js';
import type { OperationModel, ServiceModel } from './model.js';
import {
  planFor,
  type ListPlan,
  type MapPlan,
  type Plan,
  type ScalarPlan,
  type StructurePlan,
} from './validation-plan.js';
import { MAX_VIOLATIONS, type Violation } from './violation.js';

export { formatViolations, MAX_VIOLATIONS, type Violation } from './violation.js';

// What AWS does, and so what the walk does:
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
