/**
 * One execution environment of a function: a runtime process (in its own process group) and the
 * Runtime API it polls. The first invocation waits for the runtime to initialise (cold start);
 * later ones find it waiting on `/invocation/next` (warm). An instance runs one invocation at a
 * time. The function's timeout runs on the drydock clock from the moment the event is handed
 * over; when it passes, the whole group is SIGKILLed and the caller gets `Task timed out after
 * N.NN seconds`, as Lambda answers. A runtime that exits mid-invocation is `Runtime.ExitError`.
 * Output lines go to the function's log, and the invocation's own lines (START … REPORT) are
 * returned for `LogType: Tail`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type { Clock, TimerId } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { FunctionInvocationRequest, FunctionInvocationResult } from '../../services/lambda/ports.js';
import { killProcessGroup } from '../process-signals.js';
import { LineSplitter, reportLine, TailBuffer, type FunctionLog } from './function-log.js';
import { answer, createRuntimeApiServer, listenRuntimeApi } from './runtime-api.js';
import type { LaunchPlan } from './runtime-environment.js';

/** How long (wall time) a runtime may take to start: a property of this machine, not an AWS deadline. */
const INIT_WALL_LIMIT_MS = 10_000;
/** How long (wall time) to wait for output pipes to drain after the process exits. */
const OUTPUT_DRAIN_WAIT_MS = 250;

export type InstanceState = 'starting' | 'idle' | 'busy' | 'dead';

export interface InstanceDeps {
  clock: Clock;
  logger: Logger;
  log: FunctionLog;
  /** Drydock time per wall-clock millisecond (the --time-scale); the deadline a function sees is in wall time. */
  timeScale: number;
  /** Called when the instance may take another invocation, and when it is gone. */
  onStateChange(instance: FunctionInstance): void;
}

interface ActiveInvocation {
  request: FunctionInvocationRequest;
  resolve(result: FunctionInvocationResult): void;
  tail: TailBuffer;
  delivered: boolean;
  deliveredAtMs: number;
  timer?: TimerId;
  finishing: boolean;
}

export class FunctionInstance {
  state: InstanceState = 'starting';
  private child: ChildProcess | undefined;
  private readonly server: http.Server;
  private waitingNext: http.ServerResponse | undefined;
  private current: ActiveInvocation | undefined;
  private readonly spawnedAtMs: number;
  private initDurationMs: number | undefined;
  private initWallTimer: NodeJS.Timeout | undefined;
  /** Has served an invocation (later REPORT lines carry no Init Duration). */
  private warm = false;
  private exited = false;
  private readonly exitedPromise: Promise<void>;
  private resolveExited!: () => void;

  constructor(
    readonly key: string,
    readonly functionArn: string,
    readonly version: string,
    private readonly memoryMiB: number,
    private readonly deps: InstanceDeps,
  ) {
    this.spawnedAtMs = deps.clock.now();
    this.exitedPromise = new Promise((resolve) => (this.resolveExited = resolve));
    this.server = createRuntimeApiServer({
      next: (response) => this.onNext(response),
      respond: (requestId, body) => this.onResult(requestId, body, undefined),
      error: (requestId, body) => this.onResult(requestId, body.length > 0 ? body : undefined, 'error'),
      initError: (body) => this.onInitError(body),
    });
  }

  /** Resolves once the process is gone (or never started). */
  get gone(): Promise<void> {
    return this.exitedPromise;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Listens on its runtime API, then starts the runtime with the plan `launch` builds for that address. */
  async start(launch: (runtimeApi: string) => LaunchPlan): Promise<void> {
    let runtimeApi: string;
    try {
      runtimeApi = await listenRuntimeApi(this.server);
    } catch (error) {
      this.die(initFailure(`the runtime API could not listen: ${(error as Error).message}`));
      return;
    }
    if (this.state === 'dead') {
      this.server.close();
      return;
    }
    let plan: LaunchPlan;
    try {
      plan = launch(runtimeApi);
    } catch (error) {
      this.die(initFailure(`could not prepare the runtime: ${(error as Error).message}`));
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(plan.argv[0], plan.argv.slice(1), {
        cwd: plan.cwd,
        env: plan.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      this.die(initFailure(`could not start ${plan.argv[0]}: ${(error as Error).message}`));
      return;
    }
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      const splitter = new LineSplitter((line) => this.output(line));
      stream?.on('data', (chunk: Buffer) => splitter.write(chunk));
      stream?.on('end', () => splitter.end());
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      const reason =
        error.code === 'ENOENT' || error.code === 'EACCES'
          ? `Couldn't find valid bootstrap(s): [${plan.argv[0]}]`
          : `could not start ${plan.argv[0]}: ${error.message}`;
      this.die(
        initFailure(
          reason,
          error.code === 'ENOENT' || error.code === 'EACCES' ? 'Runtime.InvalidEntrypoint' : undefined,
        ),
      );
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    this.initWallTimer = setTimeout(() => {
      if (this.state === 'starting' || (this.current && !this.current.delivered)) {
        this.deps.logger.warn({ functionArn: this.functionArn }, 'runtime did not start within 10 s; stopping it');
        this.timeOut();
      }
    }, INIT_WALL_LIMIT_MS);
    this.initWallTimer.unref();
  }

  /** Hands an invocation to this instance; it must be starting (the cold-start invocation) or idle. */
  invoke(request: FunctionInvocationRequest): Promise<FunctionInvocationResult> {
    if (this.current || this.state === 'busy' || this.state === 'dead') {
      return Promise.reject(new Error(`instance of ${this.functionArn} is not free (${this.state})`));
    }
    return new Promise((resolve) => {
      this.current = { request, resolve, tail: new TailBuffer(), delivered: false, deliveredAtMs: 0, finishing: false };
      if (this.state === 'idle') this.setState('busy');
      const waiting = this.waitingNext;
      if (waiting) {
        this.waitingNext = undefined;
        this.deliver(waiting);
      }
    });
  }

  /** Stops the runtime at once (SIGKILL to its group). */
  kill(): void {
    if (this.child?.pid !== undefined && !this.exited) killProcessGroup(this.child.pid, 'SIGKILL');
    if (!this.child) this.die(initFailure('the runtime was stopped before it started'));
  }

  // ---- runtime API ----------------------------------------------------------------------------

  private onNext(response: http.ServerResponse): void {
    if (this.state === 'dead') return answer(response, 410, { errorType: 'Gone', errorMessage: 'instance stopped' });
    if (this.initDurationMs === undefined) {
      this.initDurationMs = this.deps.clock.now() - this.spawnedAtMs;
      if (this.initWallTimer) clearTimeout(this.initWallTimer);
    }
    this.waitingNext = response;
    response.once('close', () => {
      if (this.waitingNext === response) this.waitingNext = undefined;
    });
    if (this.current && !this.current.delivered) {
      this.waitingNext = undefined;
      this.deliver(response);
    } else if (this.state === 'starting') {
      this.setState('idle');
    }
  }

  private deliver(response: http.ServerResponse): void {
    const invocation = this.current!;
    const { request } = invocation;
    const nowMs = this.deps.clock.now();
    invocation.delivered = true;
    invocation.deliveredAtMs = nowMs;
    this.setState('busy');
    this.record(invocation, `START RequestId: ${request.requestId} Version: ${request.version}`);
    invocation.timer = this.deps.clock.after(
      request.timeoutMs,
      () => this.timeOut(),
      `lambda timeout ${request.requestId}`,
    );
    // The function measures its remaining time on the wall clock, where the drydock timeout lasts timeoutMs / timeScale.
    const deadlineMs = Date.now() + Math.ceil(request.timeoutMs / this.deps.timeScale);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': request.requestId,
      'lambda-runtime-deadline-ms': String(deadlineMs),
      'lambda-runtime-invoked-function-arn': request.invokedFunctionArn ?? request.functionArn,
      'content-length': String(request.payload.byteLength),
    };
    if (request.traceId !== undefined) headers['lambda-runtime-trace-id'] = request.traceId;
    if (request.clientContext !== undefined) headers['lambda-runtime-client-context'] = request.clientContext;
    response.writeHead(200, headers);
    response.end(Buffer.from(request.payload));
  }

  private onResult(requestId: string, body: Buffer | undefined, kind: 'error' | undefined): boolean {
    const invocation = this.current;
    if (!invocation || !invocation.delivered || invocation.finishing || invocation.request.requestId !== requestId) {
      return false;
    }
    if (kind === 'error') {
      this.finish(invocation, {
        payload: body ?? Buffer.from('{"errorMessage":"Unknown error"}'),
        functionError: 'Unhandled',
      });
    } else if (body === undefined) {
      this.finish(invocation, {
        payload: errorPayload(
          'Function.ResponseSizeTooLarge',
          'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
        ),
        functionError: 'Unhandled',
      });
    } else {
      this.finish(invocation, { payload: body });
    }
    return true;
  }

  private onInitError(body: Buffer): void {
    const invocation = this.current;
    if (invocation && !invocation.finishing) {
      this.finish(
        invocation,
        { payload: body.length > 0 ? body : initFailure('init failed'), functionError: 'Unhandled' },
        false,
      );
    }
    this.kill();
  }

  // ---- endings --------------------------------------------------------------------------------

  private timeOut(): void {
    const invocation = this.current;
    if (this.child?.pid !== undefined) killProcessGroup(this.child.pid, 'SIGKILL');
    if (!invocation || invocation.finishing) return;
    const seconds = (invocation.request.timeoutMs / 1000).toFixed(2);
    const message = `${new Date(this.deps.clock.now()).toISOString()} ${invocation.request.requestId} Task timed out after ${seconds} seconds`;
    this.record(invocation, message);
    this.finish(
      invocation,
      { payload: Buffer.from(JSON.stringify({ errorMessage: message })), functionError: 'Unhandled' },
      false,
    );
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.pid !== undefined) killProcessGroup(child.pid, 'SIGKILL');
    const reason =
      code !== null ? `exit status ${code}` : `signal: ${signal === 'SIGKILL' ? 'killed' : (signal ?? 'unknown')}`;
    const settle = () => {
      const invocation = this.current;
      if (invocation && !invocation.finishing) {
        const requestId = invocation.request.requestId;
        this.record(invocation, `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`);
        this.finish(
          invocation,
          {
            payload: errorPayload(
              'Runtime.ExitError',
              `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`,
            ),
            functionError: 'Unhandled',
          },
          false,
        );
      }
      this.markExited();
    };
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      settle();
    };
    const fallback = setTimeout(once, OUTPUT_DRAIN_WAIT_MS);
    fallback.unref();
    if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) once();
    else child.once('close', once);
  }

  /** The process never ran: the waiting invocation fails with an init error. */
  private die(payload: Buffer): void {
    const invocation = this.current;
    if (invocation && !invocation.finishing) this.finish(invocation, { payload, functionError: 'Unhandled' }, false);
    this.markExited();
  }

  private markExited(): void {
    if (this.exited) return;
    this.exited = true;
    if (this.initWallTimer) clearTimeout(this.initWallTimer);
    this.waitingNext?.destroy();
    this.waitingNext = undefined;
    this.server.close();
    this.server.closeAllConnections();
    this.setState('dead');
    this.resolveExited();
  }

  /**
   * Ends the invocation. Completion waits one turn of the event loop so output the runtime wrote
   * just before answering (already in the pipe) lands in the log and the tail first.
   */
  private finish(
    invocation: ActiveInvocation,
    result: Omit<FunctionInvocationResult, 'logTail'>,
    reusable = true,
  ): void {
    invocation.finishing = true;
    if (invocation.timer !== undefined) this.deps.clock.cancel(invocation.timer);
    const { request } = invocation;
    const durationMs = invocation.delivered ? this.deps.clock.now() - invocation.deliveredAtMs : 0;
    setImmediate(() => {
      const maxMemoryUsedMiB = this.maxMemoryUsedMiB();
      this.record(invocation, `END RequestId: ${request.requestId}`);
      this.record(
        invocation,
        reportLine({
          requestId: request.requestId,
          durationMs,
          memoryMiB: this.memoryMiB,
          ...(maxMemoryUsedMiB !== undefined ? { maxMemoryUsedMiB } : {}),
          // Only the cold start's report carries the init duration.
          ...(this.initDurationMs !== undefined && !this.warm ? { initDurationMs: this.initDurationMs } : {}),
        }),
      );
      this.warm = true;
      if (this.current === invocation) this.current = undefined;
      invocation.resolve({ ...result, logTail: invocation.tail.text() });
      if (this.state === 'dead') return;
      if (reusable) this.setState('idle');
      else this.kill();
    });
  }

  private output(line: string): void {
    // Until the deferred completion clears it, output still belongs to the invocation: the runtime
    // wrote it before answering, even if the answer was read first.
    const invocation = this.current;
    if (invocation) invocation.tail.push(line);
    this.deps.log.push({ atMs: this.deps.clock.now(), line });
  }

  private record(invocation: ActiveInvocation, line: string): void {
    invocation.tail.push(line);
    this.deps.log.push({ atMs: this.deps.clock.now(), line });
  }

  private maxMemoryUsedMiB(): number | undefined {
    if (this.child?.pid === undefined || this.exited) return undefined;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return match ? Math.ceil(Number(match[1]) / 1024) : undefined;
    } catch {
      return undefined;
    }
  }

  private setState(state: InstanceState): void {
    if (this.state === state || this.state === 'dead') return;
    this.state = state;
    this.deps.onStateChange(this);
  }
}

function errorPayload(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}

function initFailure(message: string, errorType = 'Runtime.Unknown'): Buffer {
  return errorPayload(errorType, message);
}
