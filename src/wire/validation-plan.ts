/**
 * What validation checks for each shape of a model, precomputed: a plan per shape, built lazily
 * on first use and cached per model. Shapes with nothing to check anywhere below them get no
 * plan, so the walk skips them (most of a large input, e.g. EC2's RunInstances, is unconstrained).
 */
import { countChecks, scalarConstraints, type Check } from './constraint.js';
import type { ListShape, MapShape, ServiceModel, Shape, StructureShape } from './model.js';

export interface ScalarPlan {
  type: 'scalar';
  checks: Check[];
  /** The checks as AWS lists them inside `[...]` for list items and map keys/values. */
  bracket: string;
  hidden: boolean;
}

export interface MemberPlan {
  name: string;
  /** The member's segment of an AWS path: its name with the first letter lower-cased. */
  segment: string;
  required: boolean;
  shape: string;
  /** Resolved on first use; `null` means the member's shape has nothing to check. */
  plan?: Plan | null;
}

export interface StructurePlan {
  type: 'structure';
  members: MemberPlan[];
}

export interface ListPlan {
  type: 'list';
  count: Check[];
  member: string;
  plan?: Plan | null;
  hidden: boolean;
}

export interface MapPlan {
  type: 'map';
  count: Check[];
  key: string;
  value: string;
  keyPlan?: Plan | null;
  valuePlan?: Plan | null;
  hidden: boolean;
}

export type Plan = ScalarPlan | StructurePlan | ListPlan | MapPlan;

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

/** The plan of a shape; `null` when nothing in it is constrained. */
export function planFor(model: ServiceModel, shapeName: string): Plan | null {
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

function scalarPlan(shape: Shape): ScalarPlan {
  const { checks, bracket } = scalarConstraints(shape);
  return { type: 'scalar', checks, bracket: `[${bracket.join(', ')}]`, hidden: shape.sensitive === true };
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

function lowerFirst(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}
