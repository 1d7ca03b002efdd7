/**
 * The SigV4 authentication errors: AWS's codes, messages and statuses on the query protocols, and
 * the Coral exception names the JSON protocols use for the same failures.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../kernel/service-error.js';
import {
  forProtocol,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './sigv4-errors.js';

describe('authentication errors', () => {
  it('carry AWS codes, messages and statuses', () => {
    expect([invalidClientTokenId().code, invalidClientTokenId().message, invalidClientTokenId().httpStatus]).toEqual([
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
      403,
    ]);
    expect(signatureDoesNotMatch().code).toBe('SignatureDoesNotMatch');
    expect(signatureDoesNotMatch().message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
    expect(signatureDoesNotMatch().httpStatus).toBe(403);
    expect([missingAuthenticationToken().code, missingAuthenticationToken().message]).toEqual([
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
    ]);
    expect(missingAuthenticationToken().httpStatus).toBe(403);
  });

  it('use the Coral exception names on the JSON protocols', () => {
    expect(invalidClientTokenId('json').code).toBe('UnrecognizedClientException');
    expect(signatureDoesNotMatch('rest-json').code).toBe('InvalidSignatureException');
    expect([missingAuthenticationToken('rest-json').code, missingAuthenticationToken('rest-json').message]).toEqual([
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    ]);
    expect(invalidClientTokenId('query').code).toBe('InvalidClientTokenId');
    const other = new ServiceError('ClusterNotFoundException', 'x');
    expect(forProtocol(other, 'json')).toBe(other);
  });
});
