/**
 * The ALB proxy's keep-alive connections to targets (ALB reuses backend connections across
 * clients): plain TCP sockets pooled per target, last in first out, one HTTP/1.1 exchange at a
 * time; a request goes out as one string, the answer comes back through ResponseParser. The hot
 * path of every proxied request, at about half the cost of node's http.Agent and ClientRequest.
 */
import net from 'node:net';
import { ResponseParseError, ResponseParser, type ResponseHandler } from './response-parser.js';

export interface ExchangeHandler extends ResponseHandler {
  /**
   * The connection failed before the response was complete. `reused`: the request went out on a
   * pooled connection (which the target may have closed just then: safe to retry once).
   */
  onError(error: Error, reused: boolean): void;
}

export class TargetConnection {
  readonly socket: net.Socket;
  /** Carried a request before the current one. */
  reused = false;
  private handler: ExchangeHandler | undefined;
  private parser: ResponseParser | undefined;
  private requestSent = false;
  private keepAlive = false;
  private closed = false;

  constructor(
    readonly key: string,
    address: string,
    port: number,
    private readonly pool: TargetConnectionPool,
  ) {
    this.socket = net.connect({ host: address, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (error) => this.onClosed(error));
    this.socket.on('close', () => this.onClosed(new Error('the target closed the connection')));
  }

  /** Starts an exchange: writes the request head (and whatever body bytes are already there). */
  begin(handler: ExchangeHandler, headRequest: boolean, head: string): void {
    this.handler = handler;
    this.requestSent = false;
    this.keepAlive = false;
    this.parser = new ResponseParser(
      {
        onHead: (responseHead) => {
          this.keepAlive = responseHead.keepAlive;
          handler.onHead(responseHead);
        },
        onBody: (chunk, last) => handler.onBody(chunk, last),
        onEnd: () => handler.onEnd(),
      },
      headRequest,
    );
    this.socket.write(head, 'latin1');
  }

  /** Request body bytes; false when the socket wants the writer to wait for 'drain'. */
  write(chunk: Buffer | string): boolean {
    return this.socket.write(chunk);
  }

  /** The whole request has been written: once the response is complete too, the connection is free. */
  requestComplete(): void {
    this.requestSent = true;
    if (this.parser?.done) this.finishExchange(0);
  }

  /** Abandons the exchange and the connection (client gone, timeout, connection termination). */
  destroy(): void {
    this.handler = undefined;
    this.parser = undefined;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const parser = this.parser;
    if (!parser || !this.handler) {
      // Bytes on an idle connection: the target is confused; start afresh next time.
      this.socket.destroy();
      return;
    }
    let extra: number;
    try {
      extra = parser.feed(chunk);
    } catch (error) {
      const handler = this.handler;
      this.destroy();
      handler?.onError(error instanceof ResponseParseError ? error : new ResponseParseError(String(error)), false);
      return;
    }
    if (parser.done && this.parser === parser) this.finishExchange(extra);
  }

  private finishExchange(extraBytes: number): void {
    // An answer that came before the whole request was sent waits for the rest of the request.
    if (!this.requestSent) return;
    this.handler = undefined;
    this.parser = undefined;
    // A surplus of bytes or `Connection: close` ends the connection.
    if (extraBytes > 0 || !this.keepAlive || this.closed) {
      this.socket.destroy();
      return;
    }
    this.reused = true;
    this.pool.release(this);
  }

  private onEnd(): void {
    const parser = this.parser;
    const handler = this.handler;
    if (parser && handler) {
      // A close-delimited body ends here; any other response was cut short.
      this.keepAlive = false;
      if (parser.close()) {
        if (this.parser === parser) this.finishExchange(0);
      } else {
        this.destroy();
        handler.onError(new Error('the target closed the connection before the response was complete'), this.reused);
        return;
      }
    }
    this.socket.destroy();
  }

  private onClosed(error: Error): void {
    this.closed = true;
    this.pool.forget(this);
    const handler = this.handler;
    if (!handler) return;
    this.handler = undefined;
    this.parser = undefined;
    this.socket.destroy();
    handler.onError(error, this.reused);
  }
}

export class TargetConnectionPool {
  private readonly idle = new Map<string, TargetConnection[]>();
  private readonly all = new Set<TargetConnection>();

  constructor(private readonly maxIdlePerTarget: number) {}

  /** A pooled idle connection to address:port, or a new one. */
  acquire(address: string, port: number): TargetConnection {
    const key = `${address}:${port}`;
    const idle = this.idle.get(key);
    const pooled = idle?.pop();
    if (pooled) return pooled;
    const connection = new TargetConnection(key, address, port, this);
    this.all.add(connection);
    return connection;
  }

  release(connection: TargetConnection): void {
    let idle = this.idle.get(connection.key);
    if (!idle) {
      idle = [];
      this.idle.set(connection.key, idle);
    }
    if (idle.length >= this.maxIdlePerTarget) {
      connection.destroy();
      return;
    }
    idle.push(connection);
  }

  /** The connection closed: it leaves the pool. */
  forget(connection: TargetConnection): void {
    this.all.delete(connection);
    const idle = this.idle.get(connection.key);
    if (!idle) return;
    const at = idle.indexOf(connection);
    if (at >= 0) idle.splice(at, 1);
    if (idle.length === 0) this.idle.delete(connection.key);
  }

  idleCount(address: string, port: number): number {
    return this.idle.get(`${address}:${port}`)?.length ?? 0;
  }

  /** Closes the idle connections to one target (its deregistration delay is over). */
  destroyIdle(address: string, port: number): void {
    for (const connection of [...(this.idle.get(`${address}:${port}`) ?? [])]) connection.destroy();
  }

  destroyAll(): void {
    for (const connection of [...this.all]) connection.destroy();
  }
}
