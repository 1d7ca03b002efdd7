/**
 * How the query protocols (awsQuery, ec2) put a ServiceError on the wire: a modeled error shape
 * brings its own code, HTTP status and fault side from the model (ELBv2
 * `LoadBalancerNotFoundException` is sent as `LoadBalancerNotFound`, Auto Scaling
 * `ResourceContentionFault` as `ResourceContention` with 500), and lays out the error's extra fields.
 */
import type { ServiceError } from '../../kernel/service-error.js';
import type { ServiceModel } from '../model.js';
import type { WireResponse } from '../protocol.js';
import { findErrorShape } from './error-shape.js';
import { textElement, writeStructureMembers, xmlHeaders } from './xml.js';

export interface WireError {
  code: string;
  status: number;
  sender: boolean;
  /** The modeled error shape, when there is one: it lays out `fields`. */
  shapeName?: string;
}

/**
 * A query-protocol error answer: the code, status and extra fields decided here, inside the
 * protocol's own envelope (awsQuery `<ErrorResponse>`, ec2 `<Response><Errors>`).
 */
export function queryErrorResponse(
  model: ServiceModel,
  error: ServiceError,
  requestId: string,
  envelope: (wire: WireError, fields: string) => string,
): WireResponse {
  const wire = wireError(model, error);
  const body = envelope(wire, errorFields(model, error, wire.shapeName));
  return { status: wire.status, headers: xmlHeaders(requestId), body };
}

/** The code, status and side of an error, from its modeled shape (found by name or wire code) if any. */
function wireError(model: ServiceModel, error: ServiceError): WireError {
  const found = findErrorShape(model, error.code);
  if (!found) return { code: error.code, status: error.httpStatus, sender: error.fault !== 'server' };
  const { name, shape } = found;
  const status = shape.error?.httpStatusCode ?? error.httpStatus;
  const sender = shape.fault ? false : (shape.error?.senderFault ?? status < 500);
  return { code: shape.error?.code ?? name, status, sender, shapeName: name };
}

/** The extra members of an error, laid out by its modeled shape when there is one. */
function errorFields(model: ServiceModel, error: ServiceError, shapeName: string | undefined): string {
  const fields: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(error.fields)) {
    // The message is already the envelope's <Message>.
    if (key === 'message' || key === 'Message' || value === undefined || value === null) continue;
    fields[key] = value;
    any = true;
  }
  if (!any) return '';
  if (shapeName) return writeStructureMembers(model, shapeName, fields);
  let out = '';
  for (const [key, value] of Object.entries(fields)) out += textElement(key, String(value));
  return out;
}
