/**
 * AWS Signature Version 4 on the server side: reads the `Authorization: AWS4-HMAC-SHA256 ...`
 * header or the presigned `X-Amz-*` query, and recomputes the signature with the SDK's own signer
 * (@smithy/signature-v4) from the request as it arrived, the way AWS's front end checks it. Errors
 * carry the codes and messages AWS sends.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import { ServiceError } from '../kernel/service-error.js';
import type { ProtocolName } from './model.js';
import type { WireRequest } from './protocol.js';

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

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const BASIC_FORMAT = /^\d{8}T\d{6}Z$/;

// ---------------------------------------------------------------------------------------------
// Errors, worded as AWS words them. Query protocols use these codes; JSON protocols name the
// same errors with their Coral exception names (see forProtocol).

/** The access key id is unknown. */
export function invalidClientTokenId(protocol?: ProtocolName): ServiceError {
  return forProtocol(
    new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', {
      httpStatus: 403,
    }),
    protocol,
  );
}

/** The recomputed signature differs from the one sent. */
export function signatureDoesNotMatch(protocol?: ProtocolName): ServiceError {
  return forProtocol(
    new ServiceError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      { httpStatus: 403 },
    ),
    protocol,
  );
}

/** The request carries no SigV4 authentication at all. */
export function missingAuthenticationToken(protocol?: ProtocolName): ServiceError {
  return forProtocol(
    new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token', { httpStatus: 403 }),
    protocol,
  );
}

/** A malformed Authorization header or presigned query (400, as AWS's Common Errors list it). */
export function incompleteSignature(message: string): ServiceError {
  return new ServiceError('IncompleteSignature', message, { httpStatus: 400 });
}

const JSON_CODES: Record<string, { code: string; message?: string }> = {
  InvalidClientTokenId: { code: 'UnrecognizedClientException' },
  SignatureDoesNotMatch: { code: 'InvalidSignatureException' },
  MissingAuthenticationToken: { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
  IncompleteSignature: { code: 'IncompleteSignatureException' },
};

/**
 * The JSON protocols (awsJson, restJson) report authentication failures under their Coral
 * exception names (`UnrecognizedClientException`, `InvalidSignatureException`, ...); the query
 * protocols under the short codes. Other errors pass through unchanged.
 */
export function forProtocol(error: ServiceError, protocol: ProtocolName | undefined): ServiceError {
  if (protocol !== 'json' && protocol !== 'rest-json') return error;
  const renamed = JSON_CODES[error.code];
  if (!renamed) return error;
  return new ServiceError(renamed.code, renamed.message ?? error.message, {
    httpStatus: error.httpStatus,
    fault: error.fault,
  });
}

function credentialMismatch(message: string): ServiceError {
  return new ServiceError('SignatureDoesNotMatch', message, { httpStatus: 403 });
}

// ---------------------------------------------------------------------------------------------
// Parsing.

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
  return {
    ...credential,
    signedHeaders,
    signature: fields.get('Signature')!,
    presigned: false,
    timestamp,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
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
    ...credential,
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
  if (!BASIC_FORMAT.test(value)) {
    throw incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  return value;
}

/** A `Date: Tue, 22 Nov 2026 10:11:12 GMT` header in the basic format the string to sign uses. */
function httpDateToBasic(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
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

// ---------------------------------------------------------------------------------------------
// Verification.

/**
 * Recomputes the request's signature with the SDK's signer and compares it in constant time. The
 * canonical request is built from the signed headers only, the raw percent-encoded path (which
 * the signer encodes again, as every non-S3 service does), the decoded query and the body's hash.
 * `sessionToken`, when given, must equal the token the request carries. The request time is
 * not checked against the clock here; that is the caller's (it owns the clock).
 */
export async function verifySignature(
  request: WireRequest,
  credential: SigV4Credential,
  secretAccessKey: string,
  sessionToken?: string,
): Promise<boolean> {
  if (sessionToken !== undefined && credential.sessionToken !== sessionToken) return false;

  const signed = new Set(credential.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  // Non-S3 services sign the body's own hash; a signed x-amz-content-sha256 must agree with it,
  // or a replaced body would pass under the old header.
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== payloadHash) return false;

  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.query) {
    const previous = query[name];
    if (previous === undefined) query[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else query[name] = [previous, value];
  }

  const signer = new ServerSigner({
    service: credential.service,
    region: credential.region,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const expected = await signer.expectedSignature(
    { method: request.method, protocol: 'http:', hostname: '', path: request.path, query, headers },
    signed,
    payloadHash,
    credential,
  );
  return constantTimeEqual(expected, credential.signature);
}

type SignableRequest = Parameters<typeof getCanonicalHeaders>[0];

/** The SDK signer, with its canonical-request steps reachable for a request already signed. */
class ServerSigner extends SignatureV4 {
  async expectedSignature(
    request: SignableRequest,
    signedHeaders: Set<string>,
    payloadHash: string,
    credential: SigV4Credential,
  ): Promise<string> {
    // Passing the signed names as signable keeps headers the SDK would never sign itself
    // (user-agent, ...) when another client did sign them.
    const canonicalHeaders = getCanonicalHeaders(request, undefined, signedHeaders);
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const scope = `${credential.date}/${credential.region}/${credential.service}/${TERMINATOR}`;
    const stringToSign = await this.createStringToSign(credential.timestamp, scope, canonicalRequest, ALGORITHM);
    return this.sign(stringToSign, {
      signingDate: scopeDate(credential.date),
      signingRegion: credential.region,
      signingService: credential.service,
    });
  }
}

/** Midnight UTC of a scope date: the signer only takes its YYYYMMDD for the signing key. */
function scopeDate(date: string): Date {
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))));
}

function constantTimeEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 / HMAC-SHA-256 over node:crypto, in the shape the SDK signer expects. */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh() {
    if (this.secret === undefined) return createHash('sha256');
    return createHmac('sha256', toKey(this.secret));
  }
}

function toKey(secret: SourceData): string | Uint8Array {
  if (typeof secret === 'string') return secret;
  if (secret instanceof ArrayBuffer) return new Uint8Array(secret);
  return new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
}
