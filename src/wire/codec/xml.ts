/**
 * XML for the query protocols (awsQuery, ec2): escaping, and writers compiled per shape from the model
 * that put each value where botocore's and the SDK's parsers look (locationNames, `<member>`/`<item>`,
 * flattened lists, `<entry>` maps). A tiny string writer, not fast-xml-parser's XMLBuilder: the builder
 * needs an intermediate object tree per response, a second walk, and re-encoding every model trait in
 * its own conventions, while the model already names every tag in order.
 */
import { shapeOf } from '../model.js';
import type { ServiceModel, Shape, ShapeRef, TimestampFormat } from '../model.js';
import { encodeBlob, formatTimestamp } from './values.js';

/**
 * Escapes text for element content and double-quoted attributes. `\r` becomes a character reference
 * because XML parsers fold a literal CR into LF. Other C0 controls also go out as references: the
 * SDK's parser reads them back, while a strict XML 1.0 parser (botocore's) rejects them in any form.
 */
export function escapeXml(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 62) continue;
    let replacement: string;
    if (c === 38) replacement = '&amp;';
    else if (c === 60) replacement = '&lt;';
    else if (c === 62) replacement = '&gt;';
    else if (c === 34) replacement = '&quot;';
    else if (c < 32 && c !== 9 && c !== 10) replacement = `&#x${c.toString(16).toUpperCase()};`;
    else continue;
    out += text.slice(last, i) + replacement;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** `<name>escaped text</name>`, for the fixed envelope elements (RequestId, Code, Message). */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** The headers of every query-protocol answer, success or error. */
export function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
}

/**
 * Writes one value as element(s) between the given tags. A flattened list or map writes one element
 * per item with those tags and no wrapper, which is why the tags are passed in rather than a name.
 */
type ElementWriter = (value: unknown, open: string, close: string) => string;

interface MemberPlan {
  /** Member name: the key of the value object. */
  name: string;
  open: string;
  close: string;
  write: ElementWriter;
}

interface ModelWriters {
  elements: Map<string, ElementWriter>;
  structures: Map<string, MemberPlan[]>;
}

const writersByModel = new WeakMap<ServiceModel, ModelWriters>();

function writersOf(model: ServiceModel): ModelWriters {
  let writers = writersByModel.get(model);
  if (!writers) {
    writers = { elements: new Map(), structures: new Map() };
    writersByModel.set(model, writers);
  }
  return writers;
}

/**
 * The members of structure `shapeName` present in `value` (a plain object keyed by member name),
 * without a wrapping element: the body of an awsQuery `<OpResult>`, of an ec2 `<OpResponse>`, or the
 * extra fields of an `<Error>`. Members that are undefined or null are left out.
 */
export function writeStructureMembers(model: ServiceModel, shapeName: string, value: unknown): string {
  return writeMembers(structurePlan(model, shapeName), value, shapeName);
}

function writeMembers(plan: MemberPlan[], value: unknown, shapeName: string): string {
  if (value === null || typeof value !== 'object') throw new TypeError(`expected an object for ${shapeName}`);
  const record = value as Record<string, unknown>;
  let out = '';
  for (const member of plan) {
    const item = record[member.name];
    if (item === undefined || item === null) continue;
    out += member.write(item, member.open, member.close);
  }
  return out;
}

function structurePlan(model: ServiceModel, shapeName: string): MemberPlan[] {
  const writers = writersOf(model);
  let plan = writers.structures.get(shapeName);
  if (plan) return plan;
  const shape = shapeOf(model, shapeName);
  if (shape.type !== 'structure') throw new Error(`shape ${shapeName} is not a structure`);
  plan = Object.entries(shape.members).map(([name, ref]) => {
    const element = memberElementName(model, name, ref);
    return { name, open: `<${element}>`, close: `</${element}>`, write: writerFor(model, ref) };
  });
  writers.structures.set(shapeName, plan);
  return plan;
}

/**
 * The tag a structure member is written under. A flattened list whose member shape carries a
 * locationName repeats that name in place of the member's own (botocore's `_member_key_name`).
 */
function memberElementName(model: ServiceModel, memberName: string, ref: ShapeRef): string {
  const target = shapeOf(model, ref.shape);
  if (target.type === 'list' && (ref.flattened ?? target.flattened) && target.member.locationName) {
    return target.member.locationName;
  }
  return ref.locationName ?? memberName;
}

/**
 * The writer for a reference. Writers are cached per model, keyed by shape plus the reference-level
 * traits that change the bytes (flattened, timestampFormat); structures resolve their members on
 * first use, so recursive shapes compile without looping.
 */
function writerFor(model: ServiceModel, ref: ShapeRef): ElementWriter {
  const writers = writersOf(model);
  const key =
    ref.flattened !== undefined || ref.timestampFormat !== undefined
      ? `${ref.shape}|${ref.flattened === true ? 'flat' : ''}|${ref.timestampFormat ?? ''}`
      : ref.shape;
  let writer = writers.elements.get(key);
  if (!writer) {
    writer = compileWriter(model, ref, shapeOf(model, ref.shape));
    writers.elements.set(key, writer);
  }
  return writer;
}

function compileWriter(model: ServiceModel, ref: ShapeRef, shape: Shape): ElementWriter {
  switch (shape.type) {
    case 'structure':
      return structureWriter(model, ref.shape);
    case 'list': {
      const flattened = ref.flattened ?? shape.flattened ?? false;
      const item = shape.member.locationName ?? 'member';
      return listWriter(model, shape.member, flattened, `<${item}>`, `</${item}>`);
    }
    case 'map':
      return mapWriter(model, shape.key, shape.value, ref.flattened ?? shape.flattened ?? false);
    case 'boolean':
      return (value, open, close) =>
        open + (typeof value === 'boolean' ? String(value) : String(value).toLowerCase()) + close;
    case 'timestamp': {
      const format: TimestampFormat = ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601';
      return (value, open, close) => open + escapeXml(String(formatTimestamp(value, format))) + close;
    }
    case 'blob':
      return (value, open, close) => open + encodeBlob(value) + close;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return (value, open, close) => open + escapeXml(String(value)) + close;
    case 'string':
      return (value, open, close) => open + escapeXml(typeof value === 'string' ? value : String(value)) + close;
  }
}

function structureWriter(model: ServiceModel, shapeName: string): ElementWriter {
  let plan: MemberPlan[] | undefined;
  return (value, open, close) => {
    plan ??= structurePlan(model, shapeName);
    return open + writeMembers(plan, value, shapeName) + close;
  };
}

function listWriter(
  model: ServiceModel,
  memberRef: ShapeRef,
  flattened: boolean,
  itemOpen: string,
  itemClose: string,
): ElementWriter {
  let item: ElementWriter | undefined;
  return (value, open, close) => {
    if (!Array.isArray(value)) throw new TypeError(`expected a list for ${open}`);
    item ??= writerFor(model, memberRef);
    let out = '';
    for (const element of value) {
      if (element === undefined || element === null) continue;
      out += flattened ? item(element, open, close) : item(element, itemOpen, itemClose);
    }
    return flattened ? out : open + out + close;
  };
}

function mapWriter(model: ServiceModel, keyRef: ShapeRef, valueRef: ShapeRef, flattened: boolean): ElementWriter {
  const keyName = keyRef.locationName ?? 'key';
  const valueName = valueRef.locationName ?? 'value';
  const keyOpen = `<${keyName}>`;
  const keyClose = `</${keyName}>`;
  const valueOpen = `<${valueName}>`;
  const valueClose = `</${valueName}>`;
  let writeValue: ElementWriter | undefined;
  return (value, open, close) => {
    if (value === null || typeof value !== 'object') throw new TypeError(`expected a map for ${open}`);
    writeValue ??= writerFor(model, valueRef);
    const entries = value instanceof Map ? value.entries() : Object.entries(value);
    let out = '';
    for (const [key, item] of entries as Iterable<[unknown, unknown]>) {
      if (item === undefined || item === null) continue;
      const entry = keyOpen + escapeXml(String(key)) + keyClose + writeValue(item, valueOpen, valueClose);
      out += flattened ? open + entry + close : '<entry>' + entry + '</entry>';
    }
    return flattened ? out : open + out + close;
  };
}
