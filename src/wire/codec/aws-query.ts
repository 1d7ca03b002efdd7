/**
 * The awsQuery protocol (Auto Scaling, ELBv2, SNS): form requests (`Action`, `Version`, the input as
 * dotted keys like `Tags.member.1.Key`), `<OpResponse><OpResult>` XML answers and `<ErrorResponse>`
 * errors. The form decoding here is shared with the ec2 dialect (ec2-query.ts), which differs in key
 * spelling, always-flattened lists and its bad-value error code.
 */
import { ServiceError } from '../../kernel/service-error.js';
import { shapeOf } from '../model.js';
import type { OperationModel, ServiceModel, Shape, ShapeRef, StructureShape } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import { parseTimestamp, decodeBlob } from './values.js';
import { escapeXml, textElement, writeStructureMembers } from './xml.js';

// ---------------------------------------------------------------------------------------------
// Form parameters as a tree: `Tags.member.1.Key=k` becomes root → Tags → member → 1 → Key = 'k'.
// Decoding walks the parameters that arrived (few) rather than every member of the input shape
// (EC2's RunInstances has 50), and a list item is present exactly when its index node exists.

export interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

/** Reads the query string and, for a form POST, the body, into one parameter tree (body wins). */
export function readQueryParams(request: WireRequest): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of request.query) addParam(root, key, value);
  if (request.body.length > 0) addFormParams(request.body.toString('utf8'), root);
  return root;
}

function addFormParams(text: string, root: ParamNode): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const split = eq >= 0 && eq < end;
      const key = decodeFormComponent(text.slice(start, split ? eq : end));
      addParam(root, key, split ? decodeFormComponent(text.slice(eq + 1, end)) : '');
    }
    start = end + 1;
  }
}

function decodeFormComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new ServiceError('MalformedQueryString', `The query string contains an invalid percent-encoding: ${text}`);
  }
}

function addParam(root: ParamNode, key: string, value: string): void {
  if (key === '') return;
  let node = root;
  let start = 0;
  for (;;) {
    const dot = key.indexOf('.', start);
    const part = dot < 0 ? key.slice(start) : key.slice(start, dot);
    const children = (node.children ??= new Map());
    let next = children.get(part);
    if (!next) {
      next = {};
      children.set(part, next);
    }
    node = next;
    if (dot < 0) break;
    start = dot + 1;
  }
  node.value = value;
}

/** A top-level parameter such as `Action` or `Version`. */
export function topParam(params: ParamNode, name: string): string | undefined {
  return params.children?.get(name)?.value;
}

// ---------------------------------------------------------------------------------------------
// Decoding the tree by the input shape. Decoders are compiled per shape on first use and cached per
// model; each returns undefined when nothing usable arrived so the member stays absent.

export interface QueryDialect {
  /** The parameter names a structure member may arrive under. */
  memberKeys(memberName: string, ref: ShapeRef, target: Shape): string[];
  /** ec2: every list is `Name.N`; awsQuery: `Name.member.N` unless the shape is flattened. */
  flattenLists: boolean;
  /** The protocol's answer to a value that does not parse as its shape's type. */
  invalidValue(path: string, raw: string, expected: string): ServiceError;
}

type Decoder = (node: ParamNode, path: string) => unknown;

export interface QueryInputReader {
  decode(model: ServiceModel, operation: OperationModel, params: ParamNode): Record<string, unknown>;
}

export function queryInputReader(dialect: QueryDialect): QueryInputReader {
  const decodersByModel = new WeakMap<ServiceModel, Map<string, Decoder>>();

  function decoderFor(model: ServiceModel, ref: ShapeRef): Decoder {
    let decoders = decodersByModel.get(model);
    if (!decoders) {
      decoders = new Map();
      decodersByModel.set(model, decoders);
    }
    const key = ref.flattened === undefined ? ref.shape : `${ref.shape}|${ref.flattened ? 'flat' : ''}`;
    let decoder = decoders.get(key);
    if (!decoder) {
      decoder = compile(model, ref, shapeOf(model, ref.shape));
      decoders.set(key, decoder);
    }
    return decoder;
  }

  function compile(model: ServiceModel, ref: ShapeRef, shape: Shape): Decoder {
    switch (shape.type) {
      case 'structure':
        return structureDecoder(model, shape);
      case 'list': {
        const flattened = dialect.flattenLists || (ref.flattened ?? shape.flattened ?? false);
        return listDecoder(model, shape.member, flattened ? undefined : (shape.member.locationName ?? 'member'));
      }
      case 'map':
        return mapDecoder(model, shape.key, shape.value, ref.flattened ?? shape.flattened ?? false);
      case 'string':
        return (node) => node.value;
      case 'boolean':
        return scalar((raw, path) => {
          const lower = raw.toLowerCase();
          if (lower === 'true') return true;
          if (lower === 'false') return false;
          throw dialect.invalidValue(path, raw, 'a boolean (true or false)');
        });
      case 'integer':
      case 'long':
      case 'biginteger':
        return scalar((raw, path) => {
          if (!/^[+-]?\d+$/.test(raw)) throw dialect.invalidValue(path, raw, 'an integer');
          return Number(raw);
        });
      case 'float':
      case 'double':
      case 'bigdecimal':
        return scalar((raw, path) => {
          const number = Number(raw);
          if (raw.trim() === '' || (Number.isNaN(number) && raw !== 'NaN'))
            throw dialect.invalidValue(path, raw, 'a number');
          return number;
        });
      case 'timestamp':
        return scalar((raw, path) => {
          const date = parseTimestamp(raw);
          if (!date) throw dialect.invalidValue(path, raw, 'an ISO 8601 timestamp');
          return date;
        });
      case 'blob':
        return (node) => (node.value === undefined ? undefined : decodeBlob(node.value));
    }
  }

  function scalar(read: (raw: string, path: string) => unknown): Decoder {
    return (node, path) => (node.value === undefined ? undefined : read(node.value, path));
  }

  function structureDecoder(model: ServiceModel, shape: StructureShape): Decoder {
    let members: Map<string, { name: string; decode: Decoder }> | undefined;
    return (node, path) => {
      members ??= memberTable(model, shape);
      const out: Record<string, unknown> = {};
      if (!node.children) return out;
      for (const [key, child] of node.children) {
        const member = members.get(key);
        if (!member) continue;
        const value = member.decode(child, path === '' ? key : `${path}.${key}`);
        if (value !== undefined) out[member.name] = value;
      }
      return out;
    };
  }

  function memberTable(model: ServiceModel, shape: StructureShape) {
    const table = new Map<string, { name: string; decode: Decoder }>();
    for (const [name, ref] of Object.entries(shape.members)) {
      const entry = { name, decode: decoderFor(model, ref) };
      for (const key of dialect.memberKeys(name, ref, shapeOf(model, ref.shape))) {
        if (!table.has(key)) table.set(key, entry);
      }
    }
    return table;
  }

  /** `itemKey` undefined: flattened (`Name.N`); else `Name.<itemKey>.N`. */
  function listDecoder(model: ServiceModel, memberRef: ShapeRef, itemKey: string | undefined): Decoder {
    let decodeItem: Decoder | undefined;
    return (node, path) => {
      decodeItem ??= decoderFor(model, memberRef);
      // `Name=` is how the SDK and the CLI send an empty list. Numbered children straight under
      // the name are accepted for a non-flattened list too, as hand-written clients send them.
      const wrapper = itemKey === undefined ? undefined : node.children?.get(itemKey);
      const items = indexed(wrapper?.children ?? node.children);
      const prefix = wrapper ? `${path}.${itemKey}` : path;
      const out: unknown[] = [];
      for (const [index, child] of items) {
        const value = decodeItem(child, `${prefix}.${index}`);
        if (value !== undefined) out.push(value);
      }
      return out;
    };
  }

  function mapDecoder(model: ServiceModel, keyRef: ShapeRef, valueRef: ShapeRef, flattened: boolean): Decoder {
    const keyName = keyRef.locationName ?? 'key';
    const valueName = valueRef.locationName ?? 'value';
    let decodeValue: Decoder | undefined;
    return (node, path) => {
      decodeValue ??= decoderFor(model, valueRef);
      const wrapper = flattened ? undefined : node.children?.get('entry');
      const prefix = wrapper ? `${path}.entry` : path;
      const out: Record<string, unknown> = {};
      for (const [index, entry] of indexed(wrapper?.children ?? node.children)) {
        const key = entry.children?.get(keyName)?.value;
        const valueNode = entry.children?.get(valueName);
        if (key === undefined || !valueNode) continue;
        const value = decodeValue(valueNode, `${prefix}.${index}.${valueName}`);
        if (value === undefined) continue;
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true });
        else out[key] = value;
      }
      return out;
    };
  }

  return {
    decode(model, operation, params) {
      if (!operation.input) return {};
      return decoderFor(model, operation.input)(params, '') as Record<string, unknown>;
    },
  };
}

/** The numbered children (`1`, `2`, …) of a list or map node, in index order. */
function indexed(children: Map<string, ParamNode> | undefined): [number, ParamNode][] {
  const items: [number, ParamNode][] = [];
  if (!children) return items;
  let sorted = true;
  for (const [key, child] of children) {
    if (!/^[1-9]\d*$/.test(key)) continue;
    const index = Number(key);
    if (items.length > 0 && index < items[items.length - 1]![0]) sorted = false;
    items.push([index, child]);
  }
  if (!sorted) items.sort((a, b) => a[0] - b[0]);
  return items;
}

// ---------------------------------------------------------------------------------------------
// The awsQuery dialect and codec.

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

export function findOperation(model: ServiceModel, action: string): OperationModel | undefined {
  return Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
}

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

export function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
}

interface WireError {
  code: string;
  status: number;
  sender: boolean;
  /** The modeled error shape, when there is one: it lays out `fields`. */
  shapeName?: string;
}

const errorCodesByModel = new WeakMap<ServiceModel, Map<string, string>>();

/**
 * What goes on the wire for a ServiceError: a modeled error shape (found by its shape name, as the
 * domain throws it, or by its wire code) brings its own code, HTTP status and fault side from the
 * model: ELBv2 `LoadBalancerNotFoundException` is sent as `LoadBalancerNotFound`, Auto Scaling
 * `ResourceContentionFault` as `ResourceContention` with 500.
 */
export function wireError(model: ServiceModel, error: ServiceError): WireError {
  let shapeName: string | undefined = error.code;
  let shape = Object.hasOwn(model.shapes, shapeName) ? model.shapes[shapeName] : undefined;
  if (!shape || shape.type !== 'structure' || !shape.exception) {
    shapeName = errorShapeByCode(model).get(error.code);
    shape = shapeName === undefined ? undefined : model.shapes[shapeName];
  }
  if (!shape || shape.type !== 'structure' || !shapeName) {
    return { code: error.code, status: error.httpStatus, sender: error.fault !== 'server' };
  }
  const status = shape.error?.httpStatusCode ?? error.httpStatus;
  const sender = shape.fault ? false : (shape.error?.senderFault ?? status < 500);
  return { code: shape.error?.code ?? shapeName, status, sender, shapeName };
}

function errorShapeByCode(model: ServiceModel): Map<string, string> {
  let byCode = errorCodesByModel.get(model);
  if (!byCode) {
    byCode = new Map();
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.type === 'structure' && shape.exception) byCode.set(shape.error?.code ?? name, name);
    }
    errorCodesByModel.set(model, byCode);
  }
  return byCode;
}

/** The extra members of an error, laid out by its modeled shape when there is one. */
export function errorFields(model: ServiceModel, error: ServiceError, shapeName: string | undefined): string {
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

function serializeError(
  model: ServiceModel,
  _operation: OperationModel | undefined,
  error: ServiceError,
  requestId: string,
): WireResponse {
  const wire = wireError(model, error);
  const body =
    `<ErrorResponse xmlns="${escapeXml(model.metadata.xmlNamespace ?? '')}"><Error>` +
    `<Type>${wire.sender ? 'Sender' : 'Receiver'}</Type>${textElement('Code', wire.code)}` +
    `${textElement('Message', error.message)}${errorFields(model, error, wire.shapeName)}</Error>` +
    `${textElement('RequestId', requestId)}</ErrorResponse>`;
  return { status: wire.status, headers: xmlHeaders(requestId), body };
}

export const awsQueryCodec: Codec = { parse, serialize, serializeError };
