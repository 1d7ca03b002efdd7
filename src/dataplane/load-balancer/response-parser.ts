/**
 * An incremental parser for the HTTP/1.1 responses targets send the ALB proxy: status line and
 * headers, then the body framed by Content-Length, chunked coding or the end of the connection
 * (RFC 9112 §6.3), interim 1xx responses skipped. It hands out slices of the bytes it was fed,
 * so a proxied answer costs little more than its socket writes.
 */

export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  /** Header names (original case) and values, flat: [name, value, name, value, …]. */
  rawHeaders: string[];
  /** The connection may carry another request after this response. */
  keepAlive: boolean;
}

export interface ResponseHandler {
  onHead(head: ResponseHead): void;
  /** `last` when this slice completes the body (the caller can then end in one write). */
  onBody(chunk: Buffer, last: boolean): void;
  onEnd(): void;
}

/** Longest status line + headers accepted (ALB allows 64 KiB of response headers). */
export const MAX_HEAD_BYTES = 64 * 1024;

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

const enum Chunked {
  Size,
  Data,
  DataEnd,
  Trailer,
}

export class ResponseParseError extends Error {}

export class ResponseParser {
  private phase: 'head' | 'body' | 'done' = 'head';
  private pending: Buffer | undefined;
  private framing: Framing = { kind: 'none' };
  private chunkState = Chunked.Size;
  private chunkRemaining = 0;

  constructor(
    private readonly handler: ResponseHandler,
    /** The request was HEAD: the response has headers only, whatever they announce. */
    private readonly headRequest: boolean,
  ) {}

  get done(): boolean {
    return this.phase === 'done';
  }

  /** True once the head has been parsed (an error after it cannot become a 502 any more). */
  get headParsed(): boolean {
    return this.phase !== 'head';
  }

  /**
   * Feeds bytes from the target. Returns the number of bytes that were not part of this
   * response (a well-behaved target sends none). Throws ResponseParseError on a malformed response.
   */
  feed(chunk: Buffer): number {
    let data = chunk;
    if (this.phase === 'head') {
      data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      // A head split across reads is searched again from just before the new bytes.
      const from = this.pending ? Math.max(0, this.pending.length - 3) : 0;
      const end = data.indexOf(HEAD_END, from);
      if (end < 0) {
        if (data.length > MAX_HEAD_BYTES) throw new ResponseParseError('response headers are too large');
        this.pending = data;
        return 0;
      }
      this.pending = undefined;
      const parsed = this.parseHead(data.toString('latin1', 0, end));
      data = data.subarray(end + 4);
      if (parsed === 'interim') return this.feed(data);
      if (parsed === 'done') {
        this.handler.onEnd();
        return data.length;
      }
    }
    if (this.phase === 'body' && data.length > 0) return this.feedBody(data);
    return this.phase === 'done' ? data.length : 0;
  }

  /** The target closed the connection: that ends a close-delimited body; anything else is cut short. */
  close(): boolean {
    if (this.phase === 'body' && this.framing.kind === 'close') {
      this.phase = 'done';
      this.handler.onEnd();
      return true;
    }
    return this.phase === 'done';
  }

  /** `interim` for a 1xx response (skipped), `done` when the response has no body. */
  private parseHead(text: string): 'interim' | 'body' | 'done' {
    const lines = text.split('\r\n');
    const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!status)
      throw new ResponseParseError(`malformed status line ${JSON.stringify((lines[0] ?? '').slice(0, 100))}`);
    const minor = status[1];
    const statusCode = Number(status[2]);
    if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) return 'interim';
    const rawHeaders: string[] = [];
    let contentLength: number | undefined;
    let chunked = false;
    let connection = '';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ResponseParseError(`malformed header line ${JSON.stringify(line.slice(0, 100))}`);
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      rawHeaders.push(name, value);
      switch (name.length) {
        case 10:
          if (name.toLowerCase() === 'connection') connection += `${value.toLowerCase()},`;
          break;
        case 14:
          if (name.toLowerCase() === 'content-length') {
            const length = Number(value);
            if (!/^\d+$/.test(value) || (contentLength !== undefined && contentLength !== length))
              throw new ResponseParseError(`invalid Content-Length ${JSON.stringify(value)}`);
            contentLength = length;
          }
          break;
        case 17:
          if (name.toLowerCase() === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
          break;
      }
    }
    const keepAlive = minor === '1' ? !/(?:^|[\s,])close,/.test(connection) : /(?:^|[\s,])keep-alive,/.test(connection);
    const noBody = this.headRequest || statusCode === 204 || statusCode === 304;
    if (noBody) this.framing = { kind: 'none' };
    else if (chunked) this.framing = { kind: 'chunked' };
    else if (contentLength !== undefined)
      this.framing = contentLength === 0 ? { kind: 'none' } : { kind: 'length', remaining: contentLength };
    else this.framing = { kind: 'close' };
    const closeDelimited = this.framing.kind === 'close';
    this.handler.onHead({
      statusCode,
      statusMessage: status[3] ?? '',
      rawHeaders,
      keepAlive: keepAlive && !closeDelimited,
    });
    this.phase = this.framing.kind === 'none' ? 'done' : 'body';
    return this.phase;
  }

  private feedBody(data: Buffer): number {
    const framing = this.framing;
    if (framing.kind === 'close') {
      this.handler.onBody(data, false);
      return 0;
    }
    if (framing.kind === 'length') {
      if (data.length < framing.remaining) {
        framing.remaining -= data.length;
        this.handler.onBody(data, false);
        return 0;
      }
      const body = data.length === framing.remaining ? data : data.subarray(0, framing.remaining);
      const extra = data.length - framing.remaining;
      framing.remaining = 0;
      this.phase = 'done';
      this.handler.onBody(body, true);
      this.handler.onEnd();
      return extra;
    }
    return this.feedChunked(data);
  }

  private feedChunked(input: Buffer): number {
    const data = this.pending ? Buffer.concat([this.pending, input]) : input;
    this.pending = undefined;
    let at = 0;
    while (at < data.length) {
      switch (this.chunkState) {
        case Chunked.Size:
        case Chunked.Trailer: {
          const eol = data.indexOf(CRLF, at);
          if (eol < 0) {
            if (data.length - at > 4096) throw new ResponseParseError('chunk size line is too long');
            this.pending = data.subarray(at);
            return 0;
          }
          const line = data.toString('latin1', at, eol);
          at = eol + 2;
          if (this.chunkState === Chunked.Trailer) {
            if (line === '') {
              this.phase = 'done';
              this.handler.onEnd();
              return data.length - at;
            }
            continue;
          }
          const size = parseInt(line, 16);
          if (!/^[0-9a-fA-F]+/.test(line) || !Number.isFinite(size))
            throw new ResponseParseError(`malformed chunk size ${JSON.stringify(line.slice(0, 40))}`);
          if (size === 0) this.chunkState = Chunked.Trailer;
          else {
            this.chunkRemaining = size;
            this.chunkState = Chunked.Data;
          }
          break;
        }
        case Chunked.Data: {
          const take = Math.min(this.chunkRemaining, data.length - at);
          this.handler.onBody(data.subarray(at, at + take), false);
          at += take;
          this.chunkRemaining -= take;
          if (this.chunkRemaining === 0) this.chunkState = Chunked.DataEnd;
          break;
        }
        case Chunked.DataEnd: {
          if (data.length - at < 2) {
            this.pending = data.subarray(at);
            return 0;
          }
          if (data[at] !== 13 || data[at + 1] !== 10)
            throw new ResponseParseError('chunk data is not followed by CRLF');
          at += 2;
          this.chunkState = Chunked.Size;
          break;
        }
      }
    }
    return 0;
  }
}
