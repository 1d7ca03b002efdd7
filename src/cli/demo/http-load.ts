/**
 * Steady HTTP load on the listener, in-process: `rate` requests a second over at most
 * `concurrency` keep-alive connections, as a small client fleet would send. A request fails on a
 * status other than 2xx, a connection error or no answer within `timeoutMs`. Each answer from
 * drydock/http-echo names the task and instance that served it, so the demo can say how many
 * served.
 */
import http from 'node:http';

export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  inFlight: number;
  /** Failure reasons (`HTTP 502`, `ECONNRESET`, `timeout`) → count. */
  failures: Map<string, number>;
  tasks: Set<string>;
  instances: Set<string>;
}

export class HttpLoad {
  readonly stats: LoadStats = {
    sent: 0,
    ok: 0,
    failed: 0,
    inFlight: 0,
    failures: new Map(),
    tasks: new Set(),
    instances: new Set(),
  };
  private readonly agent: http.Agent;
  private timer: NodeJS.Timeout | undefined;
  private readonly idle: Array<() => void> = [];
  /** Called on each failure, for the timeline. */
  onFailure: (reason: string) => void = () => undefined;

  constructor(
    private readonly url: string,
    private readonly rate: number,
    private readonly concurrency: number,
    private readonly timeoutMs = 5_000,
  ) {
    // fifo: connections take turns, so none sits idle long enough to meet the listener's keep-alive close.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, scheduling: 'fifo' });
  }

  start(): void {
    const intervalMs = 1000 / this.rate;
    let due = Date.now();
    // One tick per request slot; a slot is skipped, not queued, while every connection is busy.
    this.timer = setInterval(
      () => {
        const now = Date.now();
        while (due <= now) {
          due += intervalMs;
          if (this.stats.inFlight < this.concurrency) this.request();
        }
      },
      Math.max(5, Math.floor(intervalMs / 2)),
    );
  }

  /** Stops sending, and resolves once the requests in flight have ended. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.stats.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.agent.destroy();
  }

  private request(): void {
    this.stats.sent += 1;
    this.stats.inFlight += 1;
    let settled = false;
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      this.stats.inFlight -= 1;
      if (failure === undefined) this.stats.ok += 1;
      else {
        this.stats.failed += 1;
        this.stats.failures.set(failure, (this.stats.failures.get(failure) ?? 0) + 1);
        this.onFailure(failure);
      }
      if (this.stats.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
    const request = http.get(`${this.url}/demo`, { agent: this.agent, timeout: this.timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) return finish(`HTTP ${status}`);
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { taskId?: string; instance?: string };
          if (body.taskId) this.stats.tasks.add(body.taskId);
          if (body.instance) this.stats.instances.add(body.instance);
        } catch {
          return finish('not the echo server');
        }
        finish();
      });
    });
    request.on('timeout', () => {
      request.destroy();
      finish('timeout');
    });
    request.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
  }
}
