/**
 * JSON value walking shared by the awsJson1_0/1_1 and restJson1 codecs: reads a parsed JSON body
 * into service values (Date, Uint8Array, ...) by following the botocore shapes, and writes service
 * values back to JSON. As AWS does, unknown members are ignored and nulls mean "absent"; a value of
 * the wrong JSON type is the protocol's deserialization error, naming the member's path.
 */
import { ServiceError } from '../../kernel/service-error.js';
import { shapeOf } from '../model.js';
import type { ServiceModel, Shape, ShapeRef, StructureShape, TimestampFormat } from '../model.js';
import { structurePlan } from './json-members.js';
import { decodeBlob, encodeBlob, formatTimestamp, parseTimestamp } from './values.js';

/** How a codec reports input it cannot read (`SerializationException` for awsJson). */
export interface ReadContext {
  model: ServiceModel;
  errorCode: string;
}

export function readError(context: ReadContext, message: string): ServiceError {
  return new ServiceError(context.errorCode, message, { httpStatus: 400, fault: 'client' });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  if (typeof value === 'object') return 'a JSON object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`;
}

function wrongType(context: ReadContext, path: string, expected: string, value: unknown): ServiceError {
  const where = path ? `member '${path}'` : 'the request body';
  return readError(context, `Expected ${expected} for ${where} but found ${describeJson(value)}.`);
}

/**
 * Reads the members of a JSON object into a structure value. With `bodyOnly`, members bound to
 * the URI, query string or headers are skipped (restJson1 reads those from the request itself).
 */
export function readStructure(
  context: ReadContext,
  shape: StructureShape,
  value: unknown,
  path: string,
  bodyOnly = false,
): Record<string, unknown> {
  if (!isPlainObject(value)) throw wrongType(context, path, 'a JSON object', value);
  if (shape.document) return value;
  const plan = structurePlan(context.model, shape);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = bodyOnly ? plan.bodyByWire.get(key) : (plan.bodyByWire.get(key) ?? plan.byName.get(key));
    // Unknown members are ignored, as AWS ignores them (older or newer clients send them).
    if (!member) continue;
    const raw = value[key];
    if (raw === null || raw === undefined) continue;
    result[member.name] = readValue(
      context,
      member.ref,
      member.shape,
      raw,
      path ? `${path}.${member.name}` : member.name,
    );
  }
  return result;
}

/** Reads one JSON value as the given shape. `ref` carries member traits (timestampFormat, jsonvalue). */
export function readValue(context: ReadContext, ref: ShapeRef, shape: Shape, value: unknown, path: string): unknown {
  // Documents (Smithy `document`, botocore `document: true`) and jsonvalue members are free-form JSON.
  if (ref.jsonvalue || (shape.type === 'structure' && shape.document)) return value;
  switch (shape.type) {
    case 'structure':
      return readStructure(context, shape, value, path);
    case 'list': {
      if (!Array.isArray(value)) throw wrongType(context, path, 'a JSON array', value);
      const memberShape = shapeOf(context.model, shape.member.shape);
      const result: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null || item === undefined) continue;
        result.push(readValue(context, shape.member, memberShape, item, `${path}[${i}]`));
      }
      return result;
    }
    case 'map': {
      if (!isPlainObject(value)) throw wrongType(context, path, 'a JSON object', value);
      const valueShape = shapeOf(context.model, shape.value.shape);
      const result: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (item === null || item === undefined) continue;
        result[key] = readValue(context, shape.value, valueShape, item, `${path}.${key}`);
      }
      return result;
    }
    case 'string':
      if (typeof value !== 'string') throw wrongType(context, path, 'a string', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(context, path, 'a boolean', value);
      return value;
    case 'integer':
    case 'long':
    case 'biginteger':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(context, path, 'an integer', value);
      return value;
    case 'float':
    case 'double':
    case 'bigdecimal':
      if (typeof value === 'number') return value;
      // Smithy's JSON protocols spell the non-finite doubles as strings.
      if (value === 'NaN') return NaN;
      if (value === 'Infinity') return Infinity;
      if (value === '-Infinity') return -Infinity;
      throw wrongType(context, path, 'a number', value);
    case 'timestamp': {
      if (typeof value !== 'number' && typeof value !== 'string') throw wrongType(context, path, 'a timestamp', value);
      const date = parseTimestamp(value);
      if (!date) throw readError(context, `Member '${path}' is not a valid timestamp: ${JSON.stringify(value)}.`);
      return date;
    }
    case 'blob':
      if (typeof value !== 'string') throw wrongType(context, path, 'a base64 string', value);
      return decodeBlob(value);
  }
}

/** Writes a structure value as a JSON object; with `bodyOnly`, members with an HTTP location are left out. */
export function writeStructure(
  model: ServiceModel,
  shape: StructureShape,
  value: unknown,
  bodyOnly = false,
): Record<string, unknown> {
  if (!isPlainObject(value)) return {};
  if (shape.document) return value;
  const plan = structurePlan(model, shape);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = plan.byName.get(key);
    if (!member || (bodyOnly && member.ref.location)) continue;
    const written = writeValue(model, member.ref, member.shape, value[key]);
    if (written !== undefined) result[member.wire] = written;
  }
  return result;
}

/** Writes one service value as JSON for the given shape; undefined/null become undefined (left out). */
export function writeValue(model: ServiceModel, ref: ShapeRef, shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (ref.jsonvalue || (shape.type === 'structure' && shape.document)) return value;
  switch (shape.type) {
    case 'structure':
      return writeStructure(model, shape, value);
    case 'list': {
      if (!Array.isArray(value)) return undefined;
      const memberShape = shapeOf(model, shape.member.shape);
      const result: unknown[] = [];
      for (const item of value) {
        const written = writeValue(model, shape.member, memberShape, item);
        if (written !== undefined) result.push(written);
      }
      return result;
    }
    case 'map': {
      if (!isPlainObject(value)) return undefined;
      const valueShape = shapeOf(model, shape.value.shape);
      const result: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const written = writeValue(model, shape.value, valueShape, value[key]);
        if (written !== undefined) result[key] = written;
      }
      return result;
    }
    case 'timestamp':
      return formatTimestamp(value, timestampFormatOf(ref, shape, 'unixTimestamp'));
    case 'blob':
      return encodeBlob(value);
    case 'float':
    case 'double':
    case 'bigdecimal':
      if (typeof value === 'number' && !Number.isFinite(value)) {
        return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
      }
      return typeof value === 'string' ? Number(value) : value;
    case 'integer':
    case 'long':
    case 'biginteger':
      return typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
    default:
      return value;
  }
}

/** The member's timestampFormat, else the shape's, else the protocol's default for where it travels. */
export function timestampFormatOf(ref: ShapeRef, shape: Shape, fallback: TimestampFormat): TimestampFormat {
  return ref.timestampFormat ?? shape.timestampFormat ?? fallback;
}

/** Values outside any modeled member (extra error fields) written with the JSON protocols' scalar rules. */
export function writeLoose(value: unknown): unknown {
  if (value instanceof Date) return formatTimestamp(value, 'unixTimestamp');
  if (value instanceof Uint8Array) return encodeBlob(value);
  if (Array.isArray(value)) return value.map(writeLoose);
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) if (value[key] !== undefined) result[key] = writeLoose(value[key]);
    return result;
  }
  return value;
}

/** Parses a request body as JSON; an empty body is `{}`, as the AWS JSON protocols treat it. */
export function parseJsonBody(context: ReadContext, body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw readError(context, `Could not parse request body into json: ${(error as Error).message}`);
  }
}
