/**
 * The part of an error answer both JSON protocols (awsJson, restJson1) decide alike: a modeled
 * error's side (client/server) and HTTP status come from its shape, whatever status the domain
 * left as default; an unmodeled server fault is never answered below 500; the message goes under
 * the key the shape spells (`message`, or `Message` where only that is modeled).
 */
import type { Fault, ServiceError } from '../../kernel/service-error.js';
import type { StructureShape } from '../model.js';

export interface JsonErrorSide {
  fault: Fault;
  status: number;
  messageKey: 'message' | 'Message';
}

export function jsonErrorSide(shape: StructureShape | undefined, error: ServiceError): JsonErrorSide {
  const fault = shape ? (shape.fault ? 'server' : 'client') : error.fault;
  const status =
    shape?.error?.httpStatusCode ?? (fault === 'server' && error.httpStatus < 500 ? 500 : error.httpStatus);
  const messageKey = shape?.members.Message && !shape.members.message ? 'Message' : 'message';
  return { fault, status, messageKey };
}
