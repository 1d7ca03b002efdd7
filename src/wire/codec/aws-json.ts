/**
 * The awsJson1_0 / awsJson1_1 protocols (SQS and Step Functions speak 1.0; ECS, EventBridge and
 * CodeDeploy 1.1): every call is a POST naming its operation in `X-Amz-Target:
 * <targetPrefix>.<Operation>`, the input is the JSON body and the output a JSON body with
 * `Content-Type: application/x-amz-json-<version>`. Errors carry their code in `__type` and
 * `X-Amzn-ErrorType`; query-compatible services (SQS) also send `x-amzn-query-error`.
 */
import { ServiceError } from '../../kernel/service-error.js';
import { shapeOf } from '../model.js';
import type { OperationModel, ServiceModel, StructureShape } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import { findErrorShape } from './error-shape.js';
import { jsonErrorSide } from './json-error.js';
import { structurePlan } from './json-members.js';
import {
  parseJsonBody,
  readError,
  readStructure,
  writeLoose,
  writeStructure,
  writeValue,
  type ReadContext,
} from './json-values.js';

interface JsonServicePlan {
  /** Lower-cased `amazonec2containerservicev20141113.listclusters` -> the operation. */
  operationsByTarget: Map<string, OperationModel>;
  contentType: string;
  readContext: ReadContext;
}

const servicePlans = new WeakMap<ServiceModel, JsonServicePlan>();

function servicePlan(model: ServiceModel): JsonServicePlan {
  let plan = servicePlans.get(model);
  if (plan) return plan;
  const operationsByTarget = new Map<string, OperationModel>();
  const prefix = model.metadata.targetPrefix ?? '';
  for (const operation of Object.values(model.operations)) {
    // Matched without regard to case, as the gateway's routing by target prefix is.
    operationsByTarget.set(`${prefix}.${operation.name}`.toLowerCase(), operation);
  }
  plan = {
    operationsByTarget,
    contentType: `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`,
    readContext: { model, errorCode: 'SerializationException' },
  };
  servicePlans.set(model, plan);
  return plan;
}

function parse(request: WireRequest, model: ServiceModel): ParsedCall {
  const plan = servicePlan(model);
  const target = request.headers['x-amz-target'];
  if (!target) {
    throw new ServiceError('UnknownOperationException', 'Missing X-Amz-Target header.', { httpStatus: 400 });
  }
  const operation = plan.operationsByTarget.get(target.trim().toLowerCase());
  if (!operation) {
    throw new ServiceError('UnknownOperationException', `Unknown operation ${target}.`, { httpStatus: 400 });
  }
  const body = parseJsonBody(plan.readContext, request.body);
  if (!operation.input) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw readError(plan.readContext, 'Expected a JSON object for the request body.');
    }
    return { operation, input: {} };
  }
  const shape = shapeOf(model, operation.input.shape) as StructureShape;
  return { operation, input: readStructure(plan.readContext, shape, body, '') };
}

function serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse {
  const plan = servicePlan(model);
  const body = operation.output
    ? writeStructure(model, shapeOf(model, operation.output.shape) as StructureShape, output)
    : {};
  return {
    status: 200,
    headers: { 'content-type': plan.contentType, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

function serializeError(
  model: ServiceModel,
  _operation: OperationModel | undefined,
  error: ServiceError,
  requestId: string,
): WireResponse {
  const plan = servicePlan(model);
  // A query-compatible service's domain may throw under the query code (the model's error.code);
  // either spelling finds the shape, and `__type` is always the shape name.
  const found = findErrorShape(model, error.code);
  const code = found?.name ?? error.code;
  const { fault, status, messageKey } = jsonErrorSide(found?.shape, error);

  const body: Record<string, unknown> = { __type: code };
  body[messageKey] = error.message;
  const plannedMembers = found ? structurePlan(model, found.shape).byName : undefined;
  for (const [name, value] of Object.entries(error.fields)) {
    if (value === undefined || name === '__type' || name === messageKey) continue;
    const member = plannedMembers?.get(name);
    const written = member ? writeValue(model, member.ref, member.shape, value) : writeLoose(value);
    if (written !== undefined) body[member?.wire ?? name] = written;
  }

  const headers: Record<string, string> = {
    'content-type': plan.contentType,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': code,
  };
  if (model.metadata.awsQueryCompatible) {
    headers['x-amzn-query-error'] = `${found?.shape.error?.code ?? code};${fault === 'server' ? 'Receiver' : 'Sender'}`;
  }
  return { status, headers, body: JSON.stringify(body) };
}

export const awsJsonCodec: Codec = { parse, serialize, serializeError };
