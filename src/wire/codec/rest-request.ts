/**
 * Reading a restJson1 request into an operation's input: each member from where its HTTP binding
 * puts it (percent-decoded URI labels, query parameters, headers and prefixed headers, a blob,
 * string or JSON payload, else the JSON body). Scalars outside the body arrive as text and are
 * read by their shape; what does not parse is the service's own deserialization error.
 */
import { shapeOf } from '../model.js';
import type { Shape, ShapeRef } from '../model.js';
import type { WireRequest } from '../protocol.js';
import type { HttpBindings } from './http-bindings.js';
import type { MemberPlan } from './json-members.js';
import { parseJsonBody, readError, readStructure, readValue, type ReadContext } from './json-values.js';
import { integerFromText, numberFromText } from './numeric-text.js';
import type { RouteMatch } from './rest-routes.js';
import { decodeBlob, parseTimestamp } from './values.js';

export function readRestInput(
  context: ReadContext,
  bindings: HttpBindings,
  { route, match }: RouteMatch,
  request: WireRequest,
): Record<string, unknown> {
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
      const itemShape = shapeOf(context.model, itemRef.shape);
      input[member.name] = values.map((text, i) => readText(context, itemRef, itemShape, text, `${member.name}[${i}]`));
    } else {
      const text = request.query.get(member.wire);
      if (text !== null) input[member.name] = readText(context, member.ref, member.shape, text, member.name);
    }
  }
  if (bindings.queryMap) {
    const claimed = new Set([...bindings.query.map((m) => m.wire), ...route.queryLiterals.map(([key]) => key)]);
    const map = readQueryMap(context, bindings.queryMap, claimed, request.query);
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
  return input;
}

/** The query parameters no other member or route literal claims, read into the member's map. */
function readQueryMap(context: ReadContext, member: MemberPlan, claimed: Set<string>, query: URLSearchParams) {
  if (member.shape.type !== 'map') return undefined;
  const valueRef = member.shape.value;
  const valueShape = shapeOf(context.model, valueRef.shape);
  const map: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (claimed.has(key)) continue;
    const values = query.getAll(key);
    if (valueShape.type === 'list') {
      const itemShape = shapeOf(context.model, valueShape.member.shape);
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
  const itemShape = shapeOf(context.model, itemRef.shape);
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
    case 'biginteger': {
      const value = integerFromText(text);
      if (value === undefined) throw readError(context, `Member '${path}' must be an integer, got '${text}'.`);
      return value;
    }
    case 'float':
    case 'double':
    case 'bigdecimal': {
      const value = numberFromText(text);
      if (value === undefined) throw readError(context, `Member '${path}' must be a number, got '${text}'.`);
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
