/**
 * The awsJson1_0 / awsJson1_1 protocols (SQS and Step Functions speak 1.0; ECS, EventBridge and
 * CodeDeploy 1.1): every call is a POST naming its operation in `X-Amz-Target:
 * <targetPrefix>.<Operation>`, the input is the JSON body and the output a JSON body with
 * `Content-Type: application/x-amz-json-<version>`. Errors carry their code in `__type` and
 * `X-Amzn-ErrorType`; query-compatible services (SQS) also send `x-amzn-query-error`.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { OperationModel, ServiceModel, StructureShape } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import {
  errorShapeOf,
  parseJsonBody,
  readError,
  readStructure,
  shapeNamed,
  structurePlan,
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
  /** awsQueryError code and status per error shape, for query-compatible services. */
  queryErrors: Map<string, QueryError>;
  /** Error shape name by awsQueryError code, so a domain error thrown under the query code still resolves. */
  shapeByQueryCode: Map<string, string>;
}

interface QueryError {
  code: string;
  httpStatus?: number;
}

/**
 * The awsQueryError traits of SQS's error shapes. The Smithy model (and so the AWS SDKs) carry
 * them; botocore's JSON model of SQS dropped them, so they are restated here from the Smithy
 * model. A shape's own `error.code` in the model, when present, wins over this table.
 */
const SQS_QUERY_ERRORS: Record<string, [string, number]> = {
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidAddress: ['InvalidAddress', 404],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  InvalidSecurity: ['InvalidSecurity', 403],
  KmsAccessDenied: ['KMS.AccessDeniedException', 400],
  KmsDisabled: ['KMS.DisabledException', 400],
  KmsInvalidKeyUsage: ['KMS.InvalidKeyUsageException', 400],
  KmsInvalidState: ['KMS.InvalidStateException', 400],
  KmsNotFound: ['KMS.NotFoundException', 400],
  KmsOptInRequired: ['KMS.OptInRequired', 403],
  KmsThrottled: ['KMS.ThrottlingException', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  OverLimit: ['OverLimit', 403],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  RequestThrottled: ['RequestThrottled', 403],
  ResourceNotFoundException: ['ResourceNotFoundException', 404],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
};

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
  const queryErrors = new Map<string, QueryError>();
  const shapeByQueryCode = new Map<string, string>();
  if (model.metadata.awsQueryCompatible) {
    const fallback = model.metadata.serviceId === 'SQS' ? SQS_QUERY_ERRORS : {};
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.type !== 'structure' || !shape.exception) continue;
      const known = Object.hasOwn(fallback, name) ? fallback[name] : undefined;
      const code = shape.error?.code ?? known?.[0] ?? name;
      queryErrors.set(name, { code, httpStatus: shape.error?.httpStatusCode ?? known?.[1] });
      shapeByQueryCode.set(code, name);
    }
  }
  plan = {
    operationsByTarget,
    contentType: `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`,
    readContext: { model, errorCode: 'SerializationException' },
    queryErrors,
    shapeByQueryCode,
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
  const shape = shapeNamed(model, operation.input.shape) as StructureShape;
  return { operation, input: readStructure(plan.readContext, shape, body, '') };
}

function serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse {
  const plan = servicePlan(model);
  const body = operation.output
    ? writeStructure(model, shapeNamed(model, operation.output.shape) as StructureShape, output)
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
  const shapeName = errorShapeOf(model, error.code) ? error.code : plan.shapeByQueryCode.get(error.code);
  const shape = shapeName ? errorShapeOf(model, shapeName) : undefined;
  const code = shapeName ?? error.code;
  const queryError = shapeName ? plan.queryErrors.get(shapeName) : undefined;
  // A modeled error's side comes from the model, whatever status the domain left as default.
  const fault = shape ? (shape.fault ? 'server' : 'client') : error.fault;
  const status =
    shape?.error?.httpStatusCode ??
    queryError?.httpStatus ??
    (fault === 'server' && error.httpStatus < 500 ? 500 : error.httpStatus);

  const body: Record<string, unknown> = { __type: code };
  const messageKey = shape?.members.Message && !shape.members.message ? 'Message' : 'message';
  body[messageKey] = error.message;
  const plannedMembers = shape ? structurePlan(model, shape).byName : undefined;
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
    headers['x-amzn-query-error'] = `${queryError?.code ?? code};${fault === 'server' ? 'Receiver' : 'Sender'}`;
  }
  return { status, headers, body: JSON.stringify(body) };
}

export const awsJsonCodec: Codec = { parse, serialize, serializeError };
