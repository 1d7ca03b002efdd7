/**
 * One ECS container as a child process: spawned in exec form (no shell) in its own process
 * group, stdout/stderr kept in its ContainerLog, stopped with `docker stop` semantics (SIGTERM
 * to the main process, SIGKILL to everything after stopTimeout on the injected Clock), its exit
 * code recorded as Docker records it. When the main process ends, whatever it left behind in
 * its group is killed, as the end of a container's PID 1 ends the container.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Clock, TimerId } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { ContainerLog } from './container-log.js';
import { missingWorkingDirectoryReason, spawnFailureReason } from './container-launch.js';
import { exitCodeOf, killProcessGroup } from './process-signals.js';

export interface ContainerProcessEvents {
  started(pid: number | undefined): void;
  /** exitCode null: the process never started (reason says why); reason '' for an ordinary exit. */
  exited(exitCode: number | null, reason: string): void;
}

export interface ContainerCommand {
  argv: [string, ...string[]];
  env: Record<string, string>;
  cwd: string | undefined;
}

/**
 * How long (wall time) to wait after the main process exits for its output pipes to drain before
 * reporting the exit anyway: a pipe drain is a property of the OS, not an AWS deadline, so it
 * does not run on the drydock clock.
 */
const OUTPUT_DRAIN_WAIT_MS = 250;

export class ContainerProcess {
  private child: ChildProcess | undefined;
  private killTimer: TimerId | undefined;
  private exitCode: number | null | undefined;
  private reported = false;
  private readonly exitedPromise: Promise<void>;
  private resolveExited!: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly log: ContainerLog,
    private readonly events: ContainerProcessEvents,
  ) {
    this.exitedPromise = new Promise((resolve) => (this.resolveExited = resolve));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True from a successful spawn until the main process has exited. */
  get alive(): boolean {
    return this.child?.pid !== undefined && this.exitCode === undefined;
  }

  /** Resolves once the exit (or the failure to start) has been reported. */
  get exited(): Promise<void> {
    return this.exitedPromise;
  }

  start(command: ContainerCommand): void {
    if (command.cwd !== undefined && !isDirectory(command.cwd)) {
      this.failToStart(missingWorkingDirectoryReason(command.cwd));
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(command.argv[0], command.argv.slice(1), {
        env: command.env,
        ...(command.cwd !== undefined ? { cwd: command.cwd } : {}),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // spawn throws synchronously for arguments it rejects outright (e.g. a NUL byte).
      this.failToStart(spawnFailureReason(error as NodeJS.ErrnoException, command.argv[0]));
      return;
    }
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.log.append('stdout', chunk, this.clock.now()));
    child.stderr?.on('data', (chunk: Buffer) => this.log.append('stderr', chunk, this.clock.now()));
    child.once('spawn', () => this.events.started(child.pid));
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) this.failToStart(spawnFailureReason(error, command.argv[0]));
      else this.logger.warn({ err: error, pid: child.pid }, 'container process error');
    });
    child.once('exit', (code, signal) => this.onExit(child, exitCodeOf(code, signal)));
  }

  /** `docker stop`: SIGTERM now, SIGKILL after stopTimeoutMs of drydock time if still running. */
  terminate(stopTimeoutMs: number): void {
    const child = this.child;
    if (!child || !this.alive || this.killTimer !== undefined) return;
    child.kill('SIGTERM');
    this.killTimer = this.clock.after(
      Math.max(0, stopTimeoutMs),
      () => {
        this.killTimer = undefined;
        if (this.alive && child.pid !== undefined) {
          this.logger.info({ pid: child.pid, stopTimeoutMs }, 'container ignored SIGTERM for its stopTimeout: SIGKILL');
          killProcessGroup(child.pid, 'SIGKILL');
        }
      },
      'container stopTimeout',
    );
  }

  /** SIGKILL at once, to the whole group (shutdown of drydock itself). */
  kill(): void {
    if (this.alive && this.child?.pid !== undefined) killProcessGroup(this.child.pid, 'SIGKILL');
  }

  private onExit(child: ChildProcess, exitCode: number): void {
    this.exitCode = exitCode;
    if (this.killTimer !== undefined) this.clock.cancel(this.killTimer);
    this.killTimer = undefined;
    if (child.pid !== undefined) killProcessGroup(child.pid, 'SIGKILL');
    let done = false;
    const report = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      this.log.flush(this.clock.now());
      this.report(exitCode, '');
    };
    const fallback = setTimeout(report, OUTPUT_DRAIN_WAIT_MS);
    fallback.unref();
    if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) report();
    else child.once('close', report);
  }

  private failToStart(reason: string): void {
    this.exitCode = null;
    // Asynchronously, like a spawn error, so start() never calls back before it returns.
    queueMicrotask(() => this.report(null, reason));
  }

  private report(exitCode: number | null, reason: string): void {
    if (this.reported) return;
    this.reported = true;
    this.resolveExited();
    this.events.exited(exitCode, reason);
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
