import { describe, expect, it } from 'vitest';
import { ResponseParseError, ResponseParser, type ResponseHead } from './response-parser.js';

interface Parsed {
  head?: ResponseHead;
  body: string;
  lastFlags: boolean[];
  ended: number;
}

function parserFor(headRequest = false) {
  const parsed: Parsed = { body: '', lastFlags: [], ended: 0 };
  const parser = new ResponseParser(
    {
      onHead: (head) => (parsed.head = head),
      onBody: (chunk, last) => {
        parsed.body += chunk.toString('latin1');
        parsed.lastFlags.push(last);
      },
      onEnd: () => (parsed.ended += 1),
    },
    headRequest,
  );
  return { parser, parsed };
}

/** Feeds `text` in pieces of `size` bytes; returns the surplus the parser reported. */
function feedInPieces(parser: ResponseParser, text: string, size: number): number {
  const bytes = Buffer.from(text, 'latin1');
  let extra = 0;
  for (let at = 0; at < bytes.length; at += size) extra += parser.feed(bytes.subarray(at, at + size));
  return extra;
}

const CONTENT_LENGTH_RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nhello world';

const CHUNKED_RESPONSE =
  'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';

describe('ResponseParser', () => {
  it('parses a Content-Length response in one piece, ending it with the last body slice', () => {
    const { parser, parsed } = parserFor();
    expect(parser.feed(Buffer.from(CONTENT_LENGTH_RESPONSE))).toBe(0);
    expect(parsed.head).toEqual({
      statusCode: 200,
      statusMessage: 'OK',
      rawHeaders: ['Content-Type', 'text/plain', 'Content-Length', '11', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'],
      keepAlive: true,
    });
    expect(parsed.body).toBe('hello world');
    expect(parsed.lastFlags).toEqual([true]);
    expect(parsed.ended).toBe(1);
    expect(parser.done).toBe(true);
  });

  it.each([1, 2, 3, 7, 64])('gives the same result when bytes arrive %i at a time', (size) => {
    for (const response of [CONTENT_LENGTH_RESPONSE, CHUNKED_RESPONSE]) {
      const { parser, parsed } = parserFor();
      expect(feedInPieces(parser, response, size)).toBe(0);
      expect(parsed.body).toBe('hello world');
      expect(parsed.ended).toBe(1);
      expect(parser.done).toBe(true);
    }
  });

  it('decodes chunked bodies (extensions and trailers dropped) and reports the status message', () => {
    const { parser, parsed } = parserFor();
    parser.feed(Buffer.from(CHUNKED_RESPONSE));
    expect(parsed.head?.statusCode).toBe(201);
    expect(parsed.head?.statusMessage).toBe('Created');
    expect(parsed.body).toBe('hello world');
    expect(parsed.ended).toBe(1);
  });

  it('skips interim 1xx responses', () => {
    const { parser, parsed } = parserFor();
    parser.feed(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n'));
    expect(parsed.head).toBeUndefined();
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    expect(parsed.head?.statusCode).toBe(200);
    expect(parsed.body).toBe('ok');
  });

  it('reads no body for HEAD requests, 204 and 304, whatever Content-Length says', () => {
    const head = parserFor(true);
    head.parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n'));
    expect(head.parsed.ended).toBe(1);
    expect(head.parser.done).toBe(true);
    for (const status of ['204 No Content', '304 Not Modified']) {
      const { parser, parsed } = parserFor();
      parser.feed(Buffer.from(`HTTP/1.1 ${status}\r\nContent-Length: 10\r\n\r\n`));
      expect(parsed.ended).toBe(1);
    }
  });

  it('ends a body without framing when the target closes, and such a connection is not reused', () => {
    const { parser, parsed } = parserFor();
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart one, '));
    parser.feed(Buffer.from('part two'));
    expect(parsed.head?.keepAlive).toBe(false);
    expect(parsed.ended).toBe(0);
    expect(parser.close()).toBe(true);
    expect(parsed.body).toBe('part one, part two');
    expect(parsed.ended).toBe(1);
  });

  it('reports a body cut short by the close of the connection', () => {
    const { parser } = parserFor();
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(parser.close()).toBe(false);
  });

  it('decides keep-alive from the version and the Connection header', () => {
    const cases: Array<[string, boolean]> = [
      ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', true],
      ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', false],
      ['HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n', false],
      ['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', false],
      ['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n', true],
    ];
    for (const [response, keepAlive] of cases) {
      const { parser, parsed } = parserFor();
      parser.feed(Buffer.from(response));
      expect(parsed.head?.keepAlive, response).toBe(keepAlive);
    }
  });

  it('returns the bytes that follow the response', () => {
    const { parser } = parserFor();
    expect(parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'))).toBe(5);
  });

  it('rejects malformed responses', () => {
    const bad = [
      'HTTP/2 200 OK\r\n\r\n',
      'garbage\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY',
    ];
    for (const response of bad) {
      const { parser } = parserFor();
      expect(() => parser.feed(Buffer.from(response)), response).toThrow(ResponseParseError);
    }
  });

  it('refuses a head larger than 64 KiB', () => {
    const { parser } = parserFor();
    expect(() => parser.feed(Buffer.from(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`))).toThrow(/too large/);
  });
});
