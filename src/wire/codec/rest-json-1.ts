/**
 * The restJson1 protocol (Lambda): the operation is found from the HTTP method and the model's
 * `requestUri` templates (rest-routes.ts); members travel in URI labels, the query string, headers,
 * a payload or a JSON body, each where the model's `location` puts it (http-bindings.ts). Errors
 * carry their code in `X-Amzn-ErrorType` and a JSON body with `Type` (`User`/`Service`) and the
 * message, as Lambda answers; an unknown path is Coral's 404 `<UnknownOperationException/>`.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { OperationModel, ServiceModel } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import { errorShapeOf } from './error-shape.js';
import { bindingsOf, inputBindings, outputBindings } from './http-bindings.js';
import { jsonErrorSide } from './json-error.js';
import { structurePlan } from './json-members.js';
import { writeLoose, writeStructure, type ReadContext } from './json-values.js';
import { readRestInput } from './rest-request.js';
import { JSON_CONTENT_TYPE, writeBody, writeHttpBindings } from './rest-response.js';
import { compileRoutes, matchRoute, type RouteTable } from './rest-routes.js';

interface RestServicePlan {
  routes: RouteTable;
  readContext: ReadContext;
}

const servicePlans = new WeakMap<ServiceModel, RestServicePlan>();

function servicePlan(model: ServiceModel): RestServicePlan {
  let plan = servicePlans.get(model);
  if (plan) return plan;
  // Lambda answers unreadable input with its own modeled InvalidRequestContentException; services
  // without one get Smithy's generic SerializationException.
  const errorCode = errorShapeOf(model, 'InvalidRequestContentException')
    ? 'InvalidRequestContentException'
    : 'SerializationException';
  plan = { routes: compileRoutes(model), readContext: { model, errorCode } };
  servicePlans.set(model, plan);
  return plan;
}

function parse(request: WireRequest, model: ServiceModel): ParsedCall {
  const plan = servicePlan(model);
  const found = matchRoute(plan.routes, request);
  if (!found) {
    throw new ServiceError('UnknownOperationException', `No operation matches ${request.method} ${request.path}.`, {
      httpStatus: 404,
    });
  }
  const operation = found.route.operation;
  const bindings = inputBindings(model, operation);
  if (!bindings) return { operation, input: {} };
  return { operation, input: readRestInput(plan.readContext, bindings, found, request) };
}

function serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse {
  const status = operation.http.responseCode ?? 200;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  const bindings = outputBindings(model, operation);
  if (!bindings) {
    // Operations without output (Lambda's 204s) answer with an empty body.
    if (status !== 204) headers['content-type'] = JSON_CONTENT_TYPE;
    return { status, headers, body: status === 204 ? '' : '{}' };
  }
  const value = typeof output === 'object' && output !== null ? (output as Record<string, unknown>) : {};
  const finalStatus = writeHttpBindings(model, bindings, value, status, headers);
  return { status: finalStatus, headers, body: writeBody(model, bindings, value, headers) };
}

function serializeError(
  model: ServiceModel,
  operation: OperationModel | undefined,
  error: ServiceError,
  requestId: string,
): WireResponse {
  if (!operation && error.code === 'UnknownOperationException') {
    // What Coral services (Lambda among them) answer for a path no operation owns.
    return {
      status: 404,
      headers: { 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'UnknownOperationException' },
      body: '<UnknownOperationException/>\n',
    };
  }
  const shape = errorShapeOf(model, error.code);
  const { fault, status, messageKey } = jsonErrorSide(shape, error);
  const headers: Record<string, string> = {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  };
  const body: Record<string, unknown> = { Type: fault === 'server' ? 'Service' : 'User', [messageKey]: error.message };
  let finalStatus = status;
  const plan = shape ? structurePlan(model, shape) : undefined;
  if (shape) {
    finalStatus = writeHttpBindings(model, bindingsOf(model, shape), error.fields, status, headers);
    for (const [key, value] of Object.entries(writeStructure(model, shape, error.fields, true))) {
      if (!(key in body)) body[key] = value;
    }
  }
  // Fields the error shape does not model still reach the client, as plain JSON.
  for (const [key, value] of Object.entries(error.fields)) {
    if (value !== undefined && !plan?.byName.has(key) && !(key in body)) body[key] = writeLoose(value);
  }
  return { status: finalStatus, headers, body: JSON.stringify(body) };
}

export const restJson1Codec: Codec = { parse, serialize, serializeError };
