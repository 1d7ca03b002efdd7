/**
 * The awsQuery protocol (Auto Scaling, ELBv2, SNS): form requests (`Action`, `Version`, the input as
 * dotted keys like `Tags.member.1.Key`), `<OpResponse><OpResult>` XML answers and `<ErrorResponse>`
 * errors. The form decoding (query-params.ts, query-input.ts) and the error codes (query-error.ts)
 * are shared with the ec2 dialect, which differs in key spelling, flattened lists and error code.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { OperationModel, ServiceModel } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import { queryErrorResponse } from './query-error.js';
import { queryInputReader, type QueryDialect } from './query-input.js';
import { findOperation, readQueryParams, topParam } from './query-params.js';
import { escapeXml, textElement, writeStructureMembers, xmlHeaders } from './xml.js';

const awsQueryDialect: QueryDialect = {
  memberKeys(memberName, ref, target) {
    const keys = [ref.locationName ?? memberName];
    // botocore names a flattened list by its member's locationName; the SDK keeps the member's.
    if (target.type === 'list' && (ref.flattened ?? target.flattened) && target.member.locationName) {
      keys.push(target.member.locationName);
    }
    return keys;
  },
  flattenLists: false,
  // ValidationError is Auto Scaling's and ELBv2's generic client error; used for any unparsable value.
  invalidValue: (path, raw, expected) =>
    new ServiceError(
      'ValidationError',
      `1 validation error detected: Value '${raw}' at '${path}' failed to satisfy constraint: Member must be ${expected}`,
    ),
};

const awsQueryInput = queryInputReader(awsQueryDialect);

function parse(request: WireRequest, model: ServiceModel): ParsedCall {
  const params = readQueryParams(request);
  const action = topParam(params, 'Action');
  const version = topParam(params, 'Version') ?? model.metadata.apiVersion;
  if (!action) {
    throw new ServiceError('InvalidAction', `The request must contain the parameter Action (version ${version}).`);
  }
  const operation = findOperation(model, action);
  if (!operation) throw new ServiceError('InvalidAction', `Could not find operation ${action} for version ${version}`);
  return { operation, input: awsQueryInput.decode(model, operation, params) };
}

function serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse {
  const name = operation.name;
  let result = '';
  if (operation.output) {
    const wrapper = operation.output.resultWrapper ?? `${name}Result`;
    result = `<${wrapper}>${writeStructureMembers(model, operation.output.shape, output ?? {})}</${wrapper}>`;
  }
  const body =
    `<${name}Response xmlns="${escapeXml(model.metadata.xmlNamespace ?? '')}">${result}` +
    `<ResponseMetadata>${textElement('RequestId', requestId)}</ResponseMetadata></${name}Response>`;
  return { status: operation.http.responseCode ?? 200, headers: xmlHeaders(requestId), body };
}

function serializeError(
  model: ServiceModel,
  _operation: OperationModel | undefined,
  error: ServiceError,
  requestId: string,
): WireResponse {
  return queryErrorResponse(
    model,
    error,
    requestId,
    (wire, fields) =>
      `<ErrorResponse xmlns="${escapeXml(model.metadata.xmlNamespace ?? '')}"><Error>` +
      `<Type>${wire.sender ? 'Sender' : 'Receiver'}</Type>${textElement('Code', wire.code)}` +
      `${textElement('Message', error.message)}${fields}</Error>` +
      `${textElement('RequestId', requestId)}</ErrorResponse>`,
  );
}

export const awsQueryCodec: Codec = { parse, serialize, serializeError };
