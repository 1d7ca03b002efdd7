/**
 * The restJson1 protocol (Lambda): the operation is found from the HTTP method and the model's
 * `requestUri` templates; members travel in URI labels, the query string, headers, a payload or a
 * JSON body, each where the model's `location` puts it. Errors carry their code in
 * `X-Amzn-ErrorType` and a JSON body with `Type` (`User`/`Service`) and the message, as Lambda
 * answers; an unknown path is Coral's 404 `<UnknownOperationException/>`.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { OperationModel, ServiceModel, Shape, ShapeRef, StructureShape } from '../model.js';
import type { Codec, ParsedCall, WireRequest, WireResponse } from '../protocol.js';
import {
  errorShapeOf,
  parseJsonBody,
  readError,
  readStructure,
  readValue,
  shapeNamed,
  structurePlan,
  timestampFormatOf,
  writeLoose,
  writeStructure,
  writeValue,
  type MemberPlan,
  type ReadContext,
} from './json-values.js';
import { decodeBlob, encodeBlob, formatTimestamp, parseTimestamp } from './values.js';

interface Route {
  operation: OperationModel;
  pattern: RegExp;
  /** The members of the URI labels, in capture-group order (undefined: a label the input does not model). */
  labels: Array<MemberPlan | undefined>;
  /** Literal query parts of the requestUri (`?versions`, `?find=LayerVersion`): undefined value = key present. */
  queryLiterals: [string, string | undefined][];
  specificity: number[];
}

/** Where each member of a structure travels, resolved once per shape. */
interface HttpBindings {
  shape: StructureShape;
  uri: MemberPlan[];
  query: MemberPlan[];
  /** A map bound to the query string without a name: every parameter no other member claims. */
  queryMap?: MemberPlan;
  header: MemberPlan[];
  prefixHeaders: MemberPlan[];
  statusCode?: MemberPlan;
  payload?: MemberPlan;
  /** Whether any member travels in the JSON body. */
  hasBody: boolean;
}

interface RestServicePlan {
  routesByMethod: Map<string, Route[]>;
  readContext: ReadContext;
}

const JSON_CONTENT_TYPE = 'application/json';
const servicePlans = new WeakMap<ServiceModel, RestServicePlan>();
const bindingPlans = new WeakMap<StructureShape, HttpBindings>();

function servicePlan(model: ServiceModel): RestServicePlan {
  let plan = servicePlans.get(model);
  if (plan) return plan;
  const routesByMethod = new Map<string, Route[]>();
  for (const operation of Object.values(model.operations)) {
    const route = compileRoute(model, operation);
    const method = operation.http.method.toUpperCase();
    let routes = routesByMethod.get(method);
    if (!routes) routesByMethod.set(method, (routes = []));
    routes.push(route);
  }
  for (const routes of routesByMethod.values()) routes.sort((a, b) => compareSpecificity(b.specificity, a.specificity));
  // Lambda answers unreadable input with its own modeled InvalidRequestContentException; services
  // without one get Smithy's generic SerializationException.
  const errorCode = errorShapeOf(model, 'InvalidRequestContentException')
    ? 'InvalidRequestContentException'
    : 'SerializationException';
  plan = { routesByMethod, readContext: { model, errorCode } };
  servicePlans.set(model, plan);
  return plan;
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileRoute(model: ServiceModel, operation: OperationModel): Route {
  const [pathTemplate = '/', queryTemplate] = operation.http.requestUri.split('?', 2);
  const bindings = operation.input ? bindingsOf(model, inputShape(model, operation)) : undefined;
  const labels: Array<MemberPlan | undefined> = [];
  let literalSegments = 0;
  let literalChars = 0;
  let greedy = 0;
  const source = pathTemplate
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => {
      let hasLabel = false;
      const compiled = segment.replace(
        /\{([^}]+?)(\+?)\}|([^{]+)/g,
        (_match, label?: string, plus?: string, text?: string) => {
          if (text !== undefined) {
            literalChars += text.length;
            return escapeRegExp(text);
          }
          hasLabel = true;
          labels.push(bindings?.uri.find((m) => m.wire === label));
          if (plus) greedy++;
          return plus ? '(.+)' : '([^/]+)';
        },
      );
      if (!hasLabel && segment !== '') literalSegments++;
      return compiled;
    })
    .join('/');
  const queryLiterals: [string, string | undefined][] = [];
  for (const part of (queryTemplate ?? '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    queryLiterals.push(eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return {
    operation,
    // A trailing slash is accepted either way: SDKs differ on whether they send one.
    pattern: new RegExp(`^${source}/?$`),
    labels,
    queryLiterals,
    specificity: [literalSegments, -greedy, queryLiterals.length, literalChars],
  };
}

function inputShape(model: ServiceModel, operation: OperationModel): StructureShape {
  return shapeNamed(model, operation.input!.shape) as StructureShape;
}

function bindingsOf(model: ServiceModel, shape: StructureShape): HttpBindings {
  let bindings = bindingPlans.get(shape);
  if (bindings) return bindings;
  bindings = { shape, uri: [], query: [], header: [], prefixHeaders: [], hasBody: false };
  for (const member of structurePlan(model, shape).members) {
    if (member.name === shape.payload) {
      bindings.payload = member;
      continue;
    }
    switch (member.ref.location) {
      case 'uri':
        bindings.uri.push(member);
        break;
      case 'querystring':
        if (member.shape.type === 'map') bindings.queryMap = member;
        else bindings.query.push(member);
        break;
      case 'header':
        bindings.header.push({ ...member, wire: member.wire.toLowerCase() });
        break;
      case 'headers':
        bindings.prefixHeaders.push({ ...member, wire: member.wire.toLowerCase() });
        break;
      case 'statusCode':
        bindings.statusCode = member;
        break;
      default:
        bindings.hasBody = true;
    }
  }
  bindingPlans.set(shape, bindings);
  return bindings;
}

function matchRoute(plan: RestServicePlan, request: WireRequest): { route: Route; match: RegExpExecArray } | undefined {
  const routes = plan.routesByMethod.get(request.method.toUpperCase());
  if (!routes) return undefined;
  for (const route of routes) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    let queryMatches = true;
    for (const [key, value] of route.queryLiterals) {
      const actual = request.query.get(key);
      if (actual === null || (value !== undefined && actual !== value)) {
        queryMatches = false;
        break;
      }
    }
    if (queryMatches) return { route, match };
  }
  return undefined;
}

function parse(request: WireRequest, model: ServiceModel): ParsedCall {
  const plan = servicePlan(model);
  const found = matchRoute(plan, request);
  if (!found) {
    throw new ServiceError('UnknownOperationException', `No operation matches ${request.method} ${request.path}.`, {
      httpStatus: 404,
    });
  }
  const { route, match } = found;
  const operation = route.operation;
  if (!operation.input) return { operation, input: {} };
  const context = plan.readContext;
  const bindings = bindingsOf(model, inputShape(model, operation));
  const input: Record<string, unknown> = {};

  route.labels.forEach((member, i) => {
    if (!member) return;
    const raw = match[i + 1] ?? '';
    let text: string;
    try {
      text = decodeURIComponent(raw);
    } catch {
      throw readError(context, `URI label '${member.name}' is not validly percent-encoded: ${raw}.`);
    }
    input[member.name] = readText(context, member.ref, member.shape, text, member.name);
  });

  for (const member of bindings.query) {
    if (member.shape.type === 'list') {
      const values = request.query.getAll(member.wire);
      if (values.length === 0) continue;
      const itemRef = member.shape.member;
      const itemShape = shapeNamed(model, itemRef.shape);
      input[member.name] = values.map((text, i) => readText(context, itemRef, itemShape, text, `${member.name}[${i}]`));
    } else {
      const text = request.query.get(member.wire);
      if (text !== null) input[member.name] = readText(context, member.ref, member.shape, text, member.name);
    }
  }
  if (bindings.queryMap) {
    const map = readQueryMap(context, bindings, route, request.query);
    if (map && Object.keys(map).length > 0) input[bindings.queryMap.name] = map;
  }

  for (const member of bindings.header) {
    const text = request.headers[member.wire];
    if (text === undefined) continue;
    input[member.name] = readHeader(context, member, text);
  }
  for (const member of bindings.prefixHeaders) {
    const map: Record<string, string> = {};
    let any = false;
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith(member.wire)) {
        map[name.slice(member.wire.length)] = value;
        any = true;
      }
    }
    if (any) input[member.name] = map;
  }

  if (bindings.payload) {
    const payload = readPayload(context, bindings.payload, request.body);
    if (payload !== undefined) input[bindings.payload.name] = payload;
  } else if (bindings.hasBody) {
    Object.assign(input, readStructure(context, bindings.shape, parseJsonBody(context, request.body), '', true));
  }
  return { operation, input };
}

function readQueryMap(context: ReadContext, bindings: HttpBindings, route: Route, query: URLSearchParams) {
  const member = bindings.queryMap!;
  if (member.shape.type !== 'map') return undefined;
  const claimed = new Set([...bindings.query.map((m) => m.wire), ...route.queryLiterals.map(([key]) => key)]);
  const valueRef = member.shape.value;
  const valueShape = shapeNamed(context.model, valueRef.shape);
  const map: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (claimed.has(key)) continue;
    const values = query.getAll(key);
    if (valueShape.type === 'list') {
      const itemShape = shapeNamed(context.model, valueShape.member.shape);
      map[key] = values.map((text) => readText(context, valueShape.member, itemShape, text, `${member.name}.${key}`));
    } else {
      map[key] = readText(context, valueRef, valueShape, values[0] ?? '', `${member.name}.${key}`);
    }
  }
  return map;
}

function readHeader(context: ReadContext, member: MemberPlan, text: string): unknown {
  if (member.shape.type !== 'list') return readText(context, member.ref, member.shape, text.trim(), member.name);
  const itemRef = member.shape.member;
  const itemShape = shapeNamed(context.model, itemRef.shape);
  return splitHeaderList(text, itemShape.type === 'timestamp').map((item, i) =>
    readText(context, itemRef, itemShape, item, `${member.name}[${i}]`),
  );
}

/** Splits a comma-separated header list, honouring quoted items (and HTTP dates, which contain a comma). */
function splitHeaderList(text: string, httpDates: boolean): string[] {
  if (httpDates) {
    const parts = text.split(',').map((p) => p.trim());
    const dates: string[] = [];
    for (let i = 0; i < parts.length; i += 2) dates.push(`${parts[i]}, ${parts[i + 1] ?? ''}`.trim());
    return dates;
  }
  const items: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null && match.index < text.length) {
    items.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? '').trim());
    if (pattern.lastIndex >= text.length) break;
  }
  return items;
}

/** Reads a scalar that arrived as text (URI label, query parameter, header). */
function readText(context: ReadContext, ref: ShapeRef, shape: Shape, text: string, path: string): unknown {
  switch (shape.type) {
    case 'string':
      if (ref.jsonvalue) {
        try {
          return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown;
        } catch {
          throw readError(context, `Member '${path}' is not base64-encoded JSON.`);
        }
      }
      return text;
    case 'integer':
    case 'long':
    case 'biginteger':
      if (!/^[-+]?\d+$/.test(text)) throw readError(context, `Member '${path}' must be an integer, got '${text}'.`);
      return Number(text);
    case 'float':
    case 'double':
    case 'bigdecimal': {
      const value = Number(text);
      if (text.trim() === '' || (Number.isNaN(value) && text !== 'NaN')) {
        throw readError(context, `Member '${path}' must be a number, got '${text}'.`);
      }
      return value;
    }
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw readError(context, `Member '${path}' must be true or false, got '${text}'.`);
    case 'timestamp': {
      // Any of the AWS timestamp formats is accepted on input, whatever the member's declared one.
      const date = parseTimestamp(text);
      if (!date) throw readError(context, `Member '${path}' is not a valid timestamp: '${text}'.`);
      return date;
    }
    case 'blob':
      return decodeBlob(text);
    default:
      throw readError(context, `Member '${path}' cannot be read from text.`);
  }
}

function readPayload(context: ReadContext, member: MemberPlan, body: Buffer): unknown {
  switch (member.shape.type) {
    case 'blob':
      return body.length === 0 ? undefined : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    case 'string':
      return body.length === 0 ? undefined : body.toString('utf8');
    default:
      if (body.length === 0) return undefined;
      return readValue(context, member.ref, member.shape, parseJsonBody(context, body), member.name);
  }
}

/** Puts the members bound to the status code and headers in place; returns the status. */
function writeHttpBindings(
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
function writeBody(
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
    const itemShape = shapeNamed(model, itemRef.shape);
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

function serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse {
  const status = operation.http.responseCode ?? 200;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  if (!operation.output) {
    // Operations without output (Lambda's 204s) answer with an empty body.
    if (status !== 204) headers['content-type'] = JSON_CONTENT_TYPE;
    return { status, headers, body: status === 204 ? '' : '{}' };
  }
  const bindings = bindingsOf(model, shapeNamed(model, operation.output.shape) as StructureShape);
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
  const fault = shape ? (shape.fault ? 'server' : 'client') : error.fault;
  const status =
    shape?.error?.httpStatusCode ?? (fault === 'server' && error.httpStatus < 500 ? 500 : error.httpStatus);
  const headers: Record<string, string> = {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  };
  const messageKey = shape?.members.Message && !shape.members.message ? 'Message' : 'message';
  const body: Record<string, unknown> = { Type: fault === 'server' ? 'Service' : 'User', [messageKey]: error.message };
  let finalStatus = status;
  const plan = shape ? structurePlan(model, shape) : undefined;
  if (shape) {
    const bindings = bindingsOf(model, shape);
    finalStatus = writeHttpBindings(model, bindings, error.fields, status, headers);
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
