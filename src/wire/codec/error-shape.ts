/**
 * Modeled error shapes, shared by every codec: the exception structure a ServiceError stands for,
 * found by its shape name (as the domain throws it: `LoadBalancerNotFoundException`,
 * `QueueDoesNotExist`) or by the code the model says it travels under (`error.code`:
 * `LoadBalancerNotFound`, `AWS.SimpleQueueService.NonExistentQueue`), so either spelling works.
 */
import type { ServiceModel, StructureShape } from '../model.js';

export interface ErrorShape {
  name: string;
  shape: StructureShape;
}

/** The error shape a name denotes: a modeled exception structure, or undefined. */
export function errorShapeOf(model: ServiceModel, name: string): StructureShape | undefined {
  const shape = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  return shape && shape.type === 'structure' && shape.exception ? shape : undefined;
}

/** The exception shape an error code names: by shape name first, then by the model's wire code. */
export function findErrorShape(model: ServiceModel, code: string): ErrorShape | undefined {
  const own = errorShapeOf(model, code);
  if (own) return { name: code, shape: own };
  const name = namesByWireCode(model).get(code);
  return name === undefined ? undefined : { name, shape: model.shapes[name] as StructureShape };
}

const wireCodesByModel = new WeakMap<ServiceModel, Map<string, string>>();

/** Shape name by wire code (`error.code`, else the shape's own name), built once per model. */
function namesByWireCode(model: ServiceModel): Map<string, string> {
  let byCode = wireCodesByModel.get(model);
  if (!byCode) {
    byCode = new Map();
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.type === 'structure' && shape.exception) byCode.set(shape.error?.code ?? name, name);
    }
    wireCodesByModel.set(model, byCode);
  }
  return byCode;
}
