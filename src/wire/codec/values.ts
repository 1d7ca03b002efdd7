/**
 * Scalar value conventions shared by every codec: timestamps in the three AWS formats and blobs
 * as base64. Which format applies where is the protocol's decision (awsQuery/ec2: ISO 8601;
 * JSON bodies: epoch seconds; REST headers: RFC 822), overridable by a member's timestampFormat.
 */
import type { TimestampFormat } from '../model.js';

export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  const date = toDate(value);
  switch (format) {
    case 'iso8601':
      return date.toISOString();
    case 'rfc822':
      return date.toUTCString();
    case 'unixTimestamp':
      // Seconds with millisecond precision, as the AWS JSON protocols send them.
      return Math.round(date.getTime()) / 1000;
  }
}

/** Reads a timestamp in any of the AWS formats (ISO 8601, RFC 822, epoch seconds). */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const date = /^-?\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return new Date(value);
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function encodeBlob(value: unknown): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  throw new TypeError('not a blob');
}

export function decodeBlob(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64'));
}
