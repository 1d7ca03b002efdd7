/**
 * The bench's child processes: every process the bench starts is registered here, so that the
 * end of the run, an error or Ctrl-C stops each one by its pid (SIGTERM, then SIGKILL) and no
 * server or load generator outlives the bench.
 */
import type { ChildProcess } from 'node:child_process';

const GRACE_MS = 2000;

const live = new Map<number, { child: ChildProcess; name: string }>();

export function track(child: ChildProcess, name: string): ChildProcess {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} did not start`);
  live.set(pid, { child, name });
  child.once('exit', () => live.delete(pid));
  return child;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM by pid, then SIGKILL if the process is still there after a grace period. */
export async function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(pid, 'SIGTERM');
  const timer = setTimeout(() => signal(pid, 'SIGKILL'), GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live.values()].map(({ child }) => stop(child)));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: nothing to stop.
  }
}

/** Last resort when the bench process exits anyway: synchronous SIGKILL of every survivor. */
process.on('exit', () => {
  for (const pid of live.keys()) signal(pid, 'SIGKILL');
});

/** Resolves with the first capture of `pattern` in the child's stdout, rejects if it exits first. */
export function waitForLine(child: ChildProcess, name: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdout = child.stdout;
    if (!stdout) return reject(new Error(`${name}: stdout is not piped`));
    let seen = '';
    const timer = setTimeout(
      () => finish(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-8192);
      const match = pattern.exec(seen);
      if (match) finish(undefined, match[1] ?? match[0]);
    };
    const onExit = (code: number | null, signalName: string | null) =>
      finish(new Error(`${name} exited (${signalName ?? code}) before printing its address; stdout:\n${seen}`));
    function finish(error?: Error, value?: string) {
      clearTimeout(timer);
      stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as string);
    }
    stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Keeps the last bytes a child wrote to stderr, for error messages. */
export function stderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4096);
  });
  return () => tail;
}
