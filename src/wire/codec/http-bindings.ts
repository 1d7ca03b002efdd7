/**
 * restJson1's HTTP bindings: where each member of an input, output or error structure travels,
 * as the model's `location` traits put it (URI label, query string, header, header prefix, status
 * code), which member is the payload, and whether any member is left for the JSON body.
 * Resolved once per shape.
 */
import { shapeOf } from '../model.js';
import type { OperationModel, ServiceModel, StructureShape } from '../model.js';
import { structurePlan, type MemberPlan } from './json-members.js';

export interface HttpBindings {
  shape: StructureShape;
  uri: MemberPlan[];
  query: MemberPlan[];
  /** A map bound to the query string without a name: every parameter no other member claims. */
  queryMap?: MemberPlan;
  /** Header members, their wire names lower-cased as request headers arrive. */
  header: MemberPlan[];
  prefixHeaders: MemberPlan[];
  statusCode?: MemberPlan;
  payload?: MemberPlan;
  /** Whether any member travels in the JSON body. */
  hasBody: boolean;
}

const bindingPlans = new WeakMap<StructureShape, HttpBindings>();

export function bindingsOf(model: ServiceModel, shape: StructureShape): HttpBindings {
  let bindings = bindingPlans.get(shape);
  if (bindings) return bindings;
  bindings = { shape, uri: [], query: [], header: [], prefixHeaders: [], hasBody: false };
  for (const member of structurePlan(model, shape).members) {
    if (member.name === shape.payload) {
      bindings.payload = member;
      continue;
    }
    switch (member.ref.location) {
      case 'uri':
        bindings.uri.push(member);
        break;
      case 'querystring':
        if (member.shape.type === 'map') bindings.queryMap = member;
        else bindings.query.push(member);
        break;
      case 'header':
        bindings.header.push({ ...member, wire: member.wire.toLowerCase() });
        break;
      case 'headers':
        bindings.prefixHeaders.push({ ...member, wire: member.wire.toLowerCase() });
        break;
      case 'statusCode':
        bindings.statusCode = member;
        break;
      default:
        bindings.hasBody = true;
    }
  }
  bindingPlans.set(shape, bindings);
  return bindings;
}

/** The bindings of an operation's input; undefined when it has none. */
export function inputBindings(model: ServiceModel, operation: OperationModel): HttpBindings | undefined {
  return operation.input ? bindingsOf(model, shapeOf(model, operation.input.shape) as StructureShape) : undefined;
}

/** The bindings of an operation's output; undefined when it has none. */
export function outputBindings(model: ServiceModel, operation: OperationModel): HttpBindings | undefined {
  return operation.output ? bindingsOf(model, shapeOf(model, operation.output.shape) as StructureShape) : undefined;
}
