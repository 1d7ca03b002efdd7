/**
 * The SigV4 credential of a request, read as AWS's front end reads it: from the
 * `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header or the
 * presigned `X-Amz-*` query, with the request time from X-Amz-Date (or Date). A malformed one is
 * AWS's `IncompleteSignature` (400) or `SignatureDoesNotMatch`, with AWS's wording.
 */
import type { ServiceError } from '../kernel/service-error.js';
import type { WireRequest } from './protocol.js';
import { credentialMismatch, incompleteSignature } from './sigv4-errors.js';

export interface SigV4Credential {
  accessKeyId: string;
  /** The credential scope's date, `YYYYMMDD`. */
  date: string;
  region: string;
  service: string;
  /** Lower-cased header names, in the order the client listed them. */
  signedHeaders: string[];
  /** Hex signature as the client sent it. */
  signature: string;
  presigned: boolean;
  /** Request time in ISO 8601 basic format (`20261122T101112Z`), from X-Amz-Date or Date. */
  timestamp: string;
  /** `X-Amz-Security-Token` (header or query), when the client sent temporary credentials. */
  sessionToken?: string;
  /** Presigned URLs only: `X-Amz-Expires` in seconds. */
  expiresSeconds?: number;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const TERMINATOR = 'aws4_request';
const BASIC_FORMAT = /^\d{8}T\d{6}Z$/;

/**
 * Reads the SigV4 credential of a request. `undefined` when the request carries none (no
 * Authorization header, or one that is not `AWS4-...`, and no `X-Amz-*` query signature): the
 * gateway answers that with missingAuthenticationToken(). Throws the AWS error for a malformed one.
 */
export function parseAuthorization(request: WireRequest): SigV4Credential | undefined {
  const header = request.headers['authorization'];
  const query = request.query;
  const presigned = query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature');
  if (header !== undefined && query.has('X-Amz-Algorithm')) {
    throw incompleteSignature(
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if (header !== undefined) {
    const trimmed = header.trim();
    return trimmed.startsWith('AWS4-') ? parseHeader(request, trimmed) : undefined;
  }
  return presigned ? parseQuery(request) : undefined;
}

function parseHeader(request: WireRequest, header: string): SigV4Credential {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  const fields = new Map<string, string>();
  for (const part of (space < 0 ? '' : header.slice(space + 1)).split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const equals = item.indexOf('=');
    if (equals < 0) {
      throw incompleteSignature(
        `'${item}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
      );
    }
    fields.set(item.slice(0, equals).trim(), item.slice(equals + 1).trim());
  }

  const amzDate = request.headers['x-amz-date'];
  const httpDate = request.headers['date'];
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (amzDate === undefined && httpDate === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incompleteSignature(`${missing.join(' ')} Authorization=${header}`);

  const timestamp = amzDate !== undefined ? basicDate(amzDate) : httpDateToBasic(httpDate!);
  if (algorithm !== ALGORITHM) throw unsupportedAlgorithm(algorithm);
  const credential = scopeOf(fields.get('Credential')!, timestamp);
  const signedHeaders = signedHeaderList(fields.get('SignedHeaders')!);
  const sessionToken = request.headers['x-amz-security-token'];
  // Fields listed one by one: this runs on every request, and spreads cost microseconds here.
  const result: SigV4Credential = {
    accessKeyId: credential.accessKeyId,
    date: credential.date,
    region: credential.region,
    service: credential.service,
    signedHeaders,
    signature: fields.get('Signature')!,
    presigned: false,
    timestamp,
  };
  if (sessionToken !== undefined) result.sessionToken = sessionToken;
  return result;
}

function parseQuery(request: WireRequest): SigV4Credential {
  const query = request.query;
  const missing: string[] = [];
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!query.get(name)) missing.push(`AWS query-string parameters must include '${name}'.`);
  }
  if (missing.length > 0) throw incompleteSignature(`${missing.join(' ')} Re-examine the query-string parameters.`);

  const timestamp = basicDate(query.get('X-Amz-Date')!);
  const algorithm = query.get('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) throw unsupportedAlgorithm(algorithm);
  const credential = scopeOf(query.get('X-Amz-Credential')!, timestamp);
  const signedHeaders = signedHeaderList(query.get('X-Amz-SignedHeaders')!);
  const sessionToken = query.get('X-Amz-Security-Token');
  const expires = query.get('X-Amz-Expires');
  const result: SigV4Credential = {
    accessKeyId: credential.accessKeyId,
    date: credential.date,
    region: credential.region,
    service: credential.service,
    signedHeaders,
    signature: query.get('X-Amz-Signature')!,
    presigned: true,
    timestamp,
  };
  if (sessionToken !== null) result.sessionToken = sessionToken;
  if (expires !== null && /^\d+$/.test(expires)) result.expiresSeconds = Number(expires);
  return result;
}

function unsupportedAlgorithm(algorithm: string): ServiceError {
  return incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM} for now).`);
}

function basicDate(value: string): string {
  if (!BASIC_FORMAT.test(value)) throw notBasicFormat(value);
  return value;
}

function notBasicFormat(value: string): ServiceError {
  return incompleteSignature(
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

/** A `Date: Tue, 22 Nov 2026 10:11:12 GMT` header in the basic format the string to sign uses. */
function httpDateToBasic(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw notBasicFormat(value);
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function scopeOf(
  credential: string,
  timestamp: string,
): Pick<SigV4Credential, 'accessKeyId' | 'date' | 'region' | 'service'> {
  // AWS ignores trailing slashes when counting the elements.
  const parts = credential.replace(/\/+$/, '').split('/');
  if (parts.length !== 5) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== TERMINATOR) {
    throw credentialMismatch(
      `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`,
    );
  }
  if (date !== timestamp.slice(0, 8)) {
    throw credentialMismatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${timestamp.slice(0, 8)}', from '${timestamp}'.`,
    );
  }
  return { accessKeyId, date, region, service };
}

function signedHeaderList(value: string): string[] {
  const names = value.split(';').map((name) => name.trim().toLowerCase());
  if (!names.includes('host') && !names.includes(':authority')) {
    throw credentialMismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return names;
}
