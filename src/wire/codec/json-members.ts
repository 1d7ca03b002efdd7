/**
 * The members of a structure as the JSON codecs (awsJson, restJson1) see them, resolved once per
 * shape: each member's name on the wire (its `locationName`: JSON key, header or query name, else
 * the member name) and its target shape, and which members travel in the JSON body.
 */
import { shapeOf } from '../model.js';
import type { ServiceModel, Shape, ShapeRef, StructureShape } from '../model.js';

/** One member of a structure, resolved once: its wire name and target shape. */
export interface MemberPlan {
  name: string;
  /** Name on the wire: the member's `locationName` (header/query name, or JSON key), else its name. */
  wire: string;
  ref: ShapeRef;
  shape: Shape;
}

export interface StructurePlan {
  members: MemberPlan[];
  byName: Map<string, MemberPlan>;
  /** Members that travel in the JSON body (no `location`), keyed by JSON key. */
  bodyByWire: Map<string, MemberPlan>;
}

// Keyed by the shape object: each model's shapes are distinct objects, so this is per model too,
// and it lets the model (and the cache entries with it) be collected.
const plans = new WeakMap<StructureShape, StructurePlan>();

export function structurePlan(model: ServiceModel, shape: StructureShape): StructurePlan {
  let plan = plans.get(shape);
  if (plan) return plan;
  const members: MemberPlan[] = [];
  const byName = new Map<string, MemberPlan>();
  const bodyByWire = new Map<string, MemberPlan>();
  for (const [name, ref] of Object.entries(shape.members)) {
    const member: MemberPlan = { name, wire: ref.locationName ?? name, ref, shape: shapeOf(model, ref.shape) };
    members.push(member);
    byName.set(name, member);
    if (!ref.location) bodyByWire.set(member.wire, member);
  }
  plan = { members, byName, bodyByWire };
  plans.set(shape, plan);
  return plan;
}
