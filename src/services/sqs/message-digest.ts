/**
 * The MD5 digests SQS returns with every message, which SDKs verify (MD5OfMessageBody /
 * MD5OfBody by the JavaScript and Java SDKs, MD5OfMessageAttributes by the Java SDK): the body's
 * MD5 over its UTF-8 bytes, and the attributes' MD5 over SQS's documented encoding — for each
 * attribute in order of name: 4-byte big-endian length + UTF-8 name, the same for the data type,
 * one transport byte (1 string/number, 2 binary), then the length-prefixed value.
 */
import { createHash } from 'node:crypto';

/** A message (or system) attribute as stored: binary values as base64. */
export interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** MD5OfMessageAttributes (and MD5OfMessageSystemAttributes); undefined when there are none. */
export function md5OfAttributes(attributes: Readonly<Record<string, StoredAttribute>> | undefined): string | undefined {
  if (!attributes) return undefined;
  // SQS sorts names by their bytes; for UTF-16 strings that is code-point order.
  const names = Object.keys(attributes).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const attribute = attributes[name]!;
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64')));
    } else {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8')));
    }
  }
  return md5Hex(Buffer.concat(parts));
}
