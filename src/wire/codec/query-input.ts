/**
 * Decoding a query-protocol parameter tree (query-params.ts) by the operation's input shape, for
 * awsQuery and ec2 alike; a dialect supplies what differs: how a member's key is spelled, whether
 * every list is flattened (`Name.N`) or wrapped (`Name.member.N`), and the protocol's error for a
 * value that does not parse. Decoders are compiled per shape on first use and cached per model.
 */
import type { ServiceError } from '../../kernel/service-error.js';
import { shapeOf } from '../model.js';
import type { OperationModel, ServiceModel, Shape, ShapeRef, StructureShape } from '../model.js';
import { integerFromText, numberFromText } from './numeric-text.js';
import { indexed, type ParamNode } from './query-params.js';
import { decodeBlob, parseTimestamp } from './values.js';

export interface QueryDialect {
  /** The parameter names a structure member may arrive under. */
  memberKeys(memberName: string, ref: ShapeRef, target: Shape): string[];
  /** ec2: every list is `Name.N`; awsQuery: `Name.member.N` unless the shape is flattened. */
  flattenLists: boolean;
  /** The protocol's answer to a value that does not parse as its shape's type. */
  invalidValue(path: string, raw: string, expected: string): ServiceError;
}

/** Each decoder returns undefined when nothing usable arrived, so the member stays absent. */
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
        return scalar((raw, path) => integerFromText(raw) ?? failed(path, raw, 'an integer'));
      case 'float':
      case 'double':
      case 'bigdecimal':
        return scalar((raw, path) => numberFromText(raw) ?? failed(path, raw, 'a number'));
      case 'timestamp':
        return scalar((raw, path) => parseTimestamp(raw) ?? failed(path, raw, 'an ISO 8601 timestamp'));
      case 'blob':
        return (node) => (node.value === undefined ? undefined : decodeBlob(node.value));
    }
  }

  function failed(path: string, raw: string, expected: string): never {
    throw dialect.invalidValue(path, raw, expected);
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
