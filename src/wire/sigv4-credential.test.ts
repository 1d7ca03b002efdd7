/**
 * Reading the SigV4 credential of a request: the header and presigned forms, and AWS's own
 * wording for every way either can be malformed.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../kernel/service-error.js';
import type { WireRequest } from './protocol.js';
import { parseAuthorization } from './sigv4-credential.js';

describe('parseAuthorization', () => {
  const good =
    'AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123';

  it('reads the header form', () => {
    const credential = parseAuthorization(request({ authorization: good, 'x-amz-date': '20261122T000102Z' }));
    expect(credential).toEqual({
      accessKeyId: 'AKID',
      date: '20261122',
      region: 'us-east-1',
      service: 'ecs',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc123',
      presigned: false,
      timestamp: '20261122T000102Z',
    });
  });

  it('takes the request time from a Date header when there is no X-Amz-Date', () => {
    const credential = parseAuthorization(request({ authorization: good, date: 'Sun, 22 Nov 2026 01:02:03 GMT' }));
    expect(credential?.timestamp).toBe('20261122T010203Z');
  });

  it('is undefined for an unsigned request or a non-SigV4 Authorization', () => {
    expect(parseAuthorization(request({}))).toBeUndefined();
    expect(parseAuthorization(request({ authorization: 'Basic dXNlcjpwYXNz' }))).toBeUndefined();
  });

  it('names every missing part of the header, as AWS does', () => {
    const header = 'AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/ecs/aws4_request';
    const error = thrown(() => parseAuthorization(request({ authorization: header })));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toBe(
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${header}`,
    );
  });

  it('rejects a malformed credential scope, date and algorithm', () => {
    const date = { 'x-amz-date': '20261122T000102Z' };
    expect(
      thrown(() =>
        parseAuthorization(request({ ...date, authorization: good.replace('AKID/20261122/us-east-1/ecs/', 'AKID/') })),
      ).message,
    ).toBe(
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/aws4_request'",
    );
    expect(thrown(() => parseAuthorization(request({ authorization: good, 'x-amz-date': '2026-11-22' }))).message).toBe(
      "Date must be in ISO-8601 'basic format'. Got '2026-11-22'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
    expect(
      thrown(() => parseAuthorization(request({ ...date, authorization: good.replace('SHA256', 'SHA512') }))).message,
    ).toBe("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now).");
    const scope = thrown(() => parseAuthorization(request({ authorization: good, 'x-amz-date': '20261123T000102Z' })));
    expect(scope.code).toBe('SignatureDoesNotMatch');
    expect(scope.message).toBe(
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261122' != '20261123', from '20261123T000102Z'.",
    );
    expect(
      thrown(() => parseAuthorization(request({ ...date, authorization: good.replace('host;', '') }))).message,
    ).toBe("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('names every missing presigned query parameter', () => {
    const error = thrown(() =>
      parseAuthorization(
        request(
          {},
          'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261122%2Fus-east-1%2Fecs%2Faws4_request',
        ),
      ),
    );
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toBe(
      "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    );
  });

  it('refuses a request signed both ways', () => {
    const error = thrown(() =>
      parseAuthorization(request({ authorization: good }, 'X-Amz-Algorithm=AWS4-HMAC-SHA256')),
    );
    expect(error.message).toBe(
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  });

  it('is cheap enough to run on every request', () => {
    const wire = request({ authorization: good, 'x-amz-date': '20261122T000102Z' });
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) parseAuthorization(wire);
    expect((performance.now() - started) / 10_000).toBeLessThan(0.05); // < 50 µs each
  });
});

function request(headers: Record<string, string>, query = ''): WireRequest {
  return { method: 'POST', path: '/', query: new URLSearchParams(query), headers, body: Buffer.alloc(0) };
}

function thrown(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
}
