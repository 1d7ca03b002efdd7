/**
 * drydock's own API (`/_drydock/…`), which the demo reads to narrate: the clock, the listeners'
 * real addresses, the outbox of every event the services published, and the drain function's log.
 * Only reads; everything the demo builds goes through the AWS API.
 */

export interface ClockReport {
  mode: 'real' | 'virtual';
  nowMs: number;
  timeScale: number;
}

export interface OutboxEvent {
  seq: number;
  atMs: number;
  event: {
    'detail-type': string;
    source: string;
    time: string;
    resources: string[];
    detail: Record<string, unknown>;
  };
}

export interface FunctionLogLine {
  atMs: number;
  line: string;
}

export class AdminApi {
  constructor(private readonly endpoint: string) {}

  async clock(): Promise<ClockReport> {
    return this.get<ClockReport>('/_drydock/clock');
  }

  /**
   * Where an HTTP listener of this load balancer really listens (`http://address:port`), once it
   * is bound; an Error with drydock's message if it could not bind.
   */
  async listenerUrl(loadBalancerName: string): Promise<string | undefined> {
    const status = await this.get<{ listeners?: Array<{ address: string; description: string }> }>('/_drydock/status');
    const listener = status.listeners?.find(
      (candidate) =>
        candidate.description.startsWith(`${loadBalancerName} `) && candidate.address.startsWith('http://'),
    );
    if (listener?.description.includes(', failed'))
      throw new Error(`the listener did not bind: ${listener.description}`);
    return listener?.description.endsWith(', bound') ? listener.address : undefined;
  }

  /** Events published after `afterSeq`, oldest first. */
  async events(afterSeq: number): Promise<OutboxEvent[]> {
    const answer = await this.get<{ entries: Array<OutboxEvent & { kind: string }> }>(
      `/_drydock/outbox?kind=event&afterSeq=${afterSeq}`,
    );
    return answer.entries;
  }

  async functionLog(functionName: string): Promise<FunctionLogLine[]> {
    const answer = await this.get<{ lines?: FunctionLogLine[] }>(
      `/_drydock/lambda/logs?function=${encodeURIComponent(functionName)}`,
    );
    return answer.lines ?? [];
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(new URL(path, this.endpoint), { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as T & { __type?: string; message?: string };
    if (!response.ok) throw new Error(`drydock ${path}: ${body.__type ?? response.status} ${body.message ?? ''}`);
    return body;
  }
}
