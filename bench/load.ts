/**
 * The driver's handle on the load generator: forks bench/load-worker.ts (autocannon in its own
 * process) and sends it one timed slice of load at a time over IPC. Structured-clone IPC carries
 * each slice's raw latencies back, so percentiles over several slices are exact.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stop, track } from './children.js';
import type { BenchRequest, Expectation } from './requests.js';

export interface RunCommand {
  type: 'run';
  id: number;
  url: string;
  connections: number;
  durationS: number;
  request: BenchRequest;
  expectation: Expectation;
  /** False for warm-up slices: their latencies are not sent back. */
  record: boolean;
}

export interface SliceResult {
  /** Answers received (any status). */
  responses: number;
  elapsedS: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** Answers whose body did not match the expectation. */
  mismatches: number;
  statusCodes: Record<string, number>;
  latenciesMs: Float64Array;
  firstMismatch?: string;
  firstError?: string;
}

export type WorkerMessage =
  { type: 'ready' } | { type: 'done'; id: number; result: SliceResult } | { type: 'failed'; id: number; error: string };

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: SliceResult) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === 'done') waiter.resolve(message.result);
      else waiter.reject(new Error(`load worker: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load worker exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(): Promise<LoadGenerator> {
    // process.execArgv carries `--import tsx`, which the worker needs to load TypeScript.
    const child = track(
      fork(WORKER, [], {
        execArgv: process.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
      'load worker',
    );
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`load worker exited (${code}) before it was ready`)));
    });
    return new LoadGenerator(child);
  }

  run(command: Omit<RunCommand, 'type' | 'id'>): Promise<SliceResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'run', id, ...command } satisfies RunCommand);
    });
  }

  async close(): Promise<void> {
    await stop(this.child);
  }
}
