/**
 * Runs the built `drydock` command as a child process, the way a user does, and stops it by its
 * pid. Tests call `npm run build` first (npm test does).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DRYDOCK_BIN = fileURLToPath(new URL('../../bin/drydock.js', import.meta.url));

export interface RunningDrydock {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export async function spawnDrydock(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningDrydock> {
  const child = spawn(process.execPath, [DRYDOCK_BIN, 'up', '--port', '0', '--log-level', 'warn', ...args], {
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`drydock did not start:\n${output}`)), 10_000);
    const check = () => {
      // The last line of the banner: everything before it has been printed.
      const match = /serving AWS APIs on (http:\/\/\S+)[\s\S]*Ctrl-C stops it\./.exec(output);
      if (match?.[1]) {
        clearTimeout(deadline);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(deadline);
      reject(new Error(`drydock exited before it started:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

export function stop(running: RunningDrydock, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (running.child.pid !== undefined && running.child.exitCode === null) process.kill(running.child.pid, signal);
  return running.exited;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
