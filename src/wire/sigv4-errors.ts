/**
 * The authentication errors of AWS Signature Version 4, worded as AWS words them. The query
 * protocols send the short codes (`InvalidClientTokenId`, `SignatureDoesNotMatch`, ...); the JSON
 * protocols name the same errors with their Coral exception names (`UnrecognizedClientException`,
 * `InvalidSignatureException`, ...), which forProtocol applies.
 */
import { ServiceError } from '../kernel/service-error.js';
import type { ProtocolName } from './model.js';

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

/** A credential scope or signed-header list that cannot match any signature AWS would accept. */
export function credentialMismatch(message: string): ServiceError {
  return new ServiceError('SignatureDoesNotMatch', message, { httpStatus: 403 });
}
