/**
 * Writing a restJson1 answer from an output or error structure: members bound to the status code,
 * headers and prefixed headers go there (timestamps as RFC 822 dates, jsonvalue strings as base64
 * JSON, lists comma-joined with quoting), and the body is the payload member's bytes or JSON, else
 * the remaining members as a JSON object.
 */
import { shapeOf } from '../model.js';
import type { ServiceModel, Shape, ShapeRef } from '../model.js';
import type { HttpBindings } from './http-bindings.js';
import type { MemberPlan } from './json-members.js';
import { timestampFormatOf, writeStructure, writeValue } from './json-values.js';
import { encodeBlob, formatTimestamp } from './values.js';

export const JSON_CONTENT_TYPE = 'application/json';

/** Puts the members bound to the status code and headers in place; returns the status. */
export function writeHttpBindings(
  model: ServiceModel,
  bindings: HttpBindings,
  value: Record<string, unknown>,
  status: number,
  headers: Record<string, string>,
): number {
  if (bindings.statusCode) {
    const code = value[bindings.statusCode.name];
    if (typeof code === 'number') status = code;
  }
  for (const member of bindings.header) {
    const text = writeHeader(model, member, value[member.name]);
    if (text !== undefined) headers[member.wire] = text;
  }
  for (const member of bindings.prefixHeaders) {
    const map = value[member.name];
    if (typeof map !== 'object' || map === null) continue;
    for (const [key, item] of Object.entries(map as Record<string, unknown>)) {
      if (item !== undefined && item !== null) headers[`${member.wire}${key}`.toLowerCase()] = String(item);
    }
  }
  return status;
}

/** The body of an output: its payload member's bytes or JSON, else the body members as a JSON object. */
export function writeBody(
  model: ServiceModel,
  bindings: HttpBindings,
  value: Record<string, unknown>,
  headers: Record<string, string>,
): string | Uint8Array {
  const member = bindings.payload;
  if (!member) {
    if (!bindings.hasBody) return '';
    headers['content-type'] ??= JSON_CONTENT_TYPE;
    return JSON.stringify(writeStructure(model, bindings.shape, value, true));
  }
  const payload = value[member.name];
  if (payload === undefined || payload === null) return '';
  switch (member.shape.type) {
    case 'blob':
      headers['content-type'] ??= 'application/octet-stream';
      return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : (payload as Uint8Array);
    case 'string':
      headers['content-type'] ??= 'text/plain';
      return String(payload);
    default:
      headers['content-type'] ??= JSON_CONTENT_TYPE;
      return JSON.stringify(writeValue(model, member.ref, member.shape, payload) ?? {});
  }
}

function writeHeader(model: ServiceModel, member: MemberPlan, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (member.shape.type === 'list') {
    if (!Array.isArray(value)) return undefined;
    const itemRef = member.shape.member;
    const itemShape = shapeOf(model, itemRef.shape);
    return value
      .map((item) => writeHeaderScalar(itemRef, itemShape, item))
      .filter((item): item is string => item !== undefined)
      .map((item) => (itemShape.type === 'string' && /[",]/.test(item) ? `"${item.replace(/["\\]/g, '\\$&')}"` : item))
      .join(', ');
  }
  return writeHeaderScalar(member.ref, member.shape, value);
}

function writeHeaderScalar(ref: ShapeRef, shape: Shape, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(value, timestampFormatOf(ref, shape, 'rfc822')));
    case 'blob':
      return encodeBlob(value);
    case 'string':
      return ref.jsonvalue ? Buffer.from(JSON.stringify(value), 'utf8').toString('base64') : String(value);
    default:
      return String(value);
  }
}
