/**
 * The load generator's process: forked by bench/load.ts, it runs autocannon (keep-alive
 * connections, one request in flight per connection) against whatever URL it is sent, records
 * every response's latency, and checks every status and body. Living in its own process keeps
 * its event loop off both the server under test and the bench driver.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { RunCommand, SliceResult, WorkerMessage } from './load.js';

interface AutocannonResult {
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonTracker extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'reqMismatch', listener: (body: string) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
}

type Autocannon = (options: Record<string, unknown>) => AutocannonTracker;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

class LatencyLog {
  private values = new Float64Array(1 << 16);
  length = 0;
  push(ms: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = ms;
  }
  take(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

async function runSlice(command: RunCommand): Promise<SliceResult> {
  const pattern = new RegExp(command.expectation.pattern);
  const latencies = new LatencyLog();
  let firstMismatch: string | undefined;
  let firstError: string | undefined;
  const startedAt = performance.now();
  const tracker = autocannon({
    url: command.url,
    connections: command.connections,
    pipelining: 1,
    duration: command.durationS,
    // Check for the end of the slice every 50 ms instead of every second, so short slices
    // last as long as asked.
    sampleInt: 50,
    timeout: 10,
    method: command.request.method,
    headers: command.request.headers,
    body: command.request.body,
    verifyBody: (body: string) => pattern.test(body),
    excludeErrorStats: false,
  });
  tracker.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  tracker.on('reqMismatch', (body) => {
    firstMismatch ??= body.slice(0, 500);
  });
  tracker.on('reqError', (error) => {
    firstError ??= error.message;
  });
  const result = await tracker;
  const elapsedS = (performance.now() - startedAt) / 1000;
  const statusCodes: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) statusCodes[status] = count;
  return {
    responses: latencies.length,
    elapsedS,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    statusCodes,
    latenciesMs: command.record ? latencies.take() : new Float64Array(0),
    firstMismatch,
    firstError,
  };
}

process.on('message', (message: RunCommand) => {
  void runSlice(message).then(
    (result) => process.send?.({ type: 'done', id: message.id, result } satisfies WorkerMessage),
    (error: unknown) =>
      process.send?.({
        type: 'failed',
        id: message.id,
        error: String((error as Error).stack ?? error),
      } satisfies WorkerMessage),
  );
});
// The driver going away (even killed) closes the IPC channel: leave with it.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' } satisfies WorkerMessage);
