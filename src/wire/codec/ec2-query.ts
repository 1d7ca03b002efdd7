/**
 * The EC2 query protocol: awsQuery's form requests with EC2's spellings (a member's key is its
 * queryName, else its locationName capitalised; every list is `Name.N`), and responses without a
 * Result wrapper: `<OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>` then
 * the output members under their locationNames (`reservationSet`, `instancesSet`, `<item>`).
 * Errors are `<Response><Errors><Error><Code>…</Errors><RequestID>`.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { OperationModel, ServiceModel } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import { queryErrorResponse } from './query-error.js';
import { queryInputReader, type QueryDialect } from './query-input.js';
import { findOperation, readQueryParams, topParam } from './query-params.js';
import { escapeXml, textElement, writeStructureMembers, xmlHeaders } from './xml.js';

const ec2Dialect: QueryDialect = {
  memberKeys(memberName, ref) {
    if (ref.queryName) return [ref.queryName];
    if (ref.locationName) return [ref.locationName.charAt(0).toUpperCase() + ref.locationName.slice(1)];
    return [memberName];
  },
  flattenLists: true,
  // EC2 rejects a value of the wrong type with its generic InvalidParameterValue.
  invalidValue: (path, raw, expected) =>
    new ServiceError('InvalidParameterValue', `Value (${raw}) for parameter ${path} is invalid. Expected ${expected}.`),
};

const ec2Input = queryInputReader(ec2Dialect);

const prolog = '<?xml version="1.0" encoding="UTF-8"?>\n';

function parse(request: WireRequest, model: ServiceModel): ParsedCall {
  const params = readQueryParams(request);
  const action = topParam(params, 'Action');
  if (!action) throw new ServiceError('InvalidAction', 'The request must contain the parameter Action.');
  const operation = findOperation(model, action);
  if (!operation) throw new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`);
  return { operation, input: ec2Input.decode(model, operation, params) };
}

/** EC2 writes its namespace with a trailing slash; botocore's metadata drops it. */
function namespaceOf(model: ServiceModel): string {
  const namespace = model.metadata.xmlNamespace ?? `http://ec2.amazonaws.com/doc/${model.metadata.apiVersion}`;
  return namespace.endsWith('/') ? namespace : `${namespace}/`;
}

function serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse {
  const name = operation.name;
  // An operation without an output shape answers `<return>true</return>`, as EC2 does.
  const members = operation.output
    ? writeStructureMembers(model, operation.output.shape, output ?? {})
    : '<return>true</return>';
  const body =
    `${prolog}<${name}Response xmlns="${escapeXml(namespaceOf(model))}">` +
    `${textElement('requestId', requestId)}${members}</${name}Response>`;
  return { status: operation.http.responseCode ?? 200, headers: xmlHeaders(requestId), body };
}

function serializeError(
  model: ServiceModel,
  _operation: OperationModel | undefined,
  error: ServiceError,
  requestId: string,
): WireResponse {
  // EC2's model declares no error shapes, so this is the code as thrown unless a future model adds one.
  return queryErrorResponse(
    model,
    error,
    requestId,
    (wire, fields) =>
      `${prolog}<Response><Errors><Error>${textElement('Code', wire.code)}${textElement('Message', error.message)}` +
      `${fields}</Error></Errors>${textElement('RequestID', requestId)}</Response>`,
  );
}

export const ec2QueryCodec: Codec = { parse, serialize, serializeError };
