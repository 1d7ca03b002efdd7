/**
 * AWS Signature Version 4 on the server side: the credential a request carries
 * (sigv4-credential.ts) is checked by recomputing the signature with the SDK's own signer
 * (@smithy/signature-v4) from the request as it arrived, the way AWS's front end checks it.
 * Failures carry the codes and messages AWS sends (sigv4-errors.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import type { WireRequest } from './protocol.js';
import { ALGORITHM, TERMINATOR, type SigV4Credential } from './sigv4-credential.js';

export { parseAuthorization, type SigV4Credential } from './sigv4-credential.js';
export {
  forProtocol,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './sigv4-errors.js';

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
