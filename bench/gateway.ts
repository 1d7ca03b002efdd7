/**
 * drydock under test, started the way a user starts it: `node bin/drydock.js up --port 0
 * --state memory --log-level warn` in its own process, its URL read from the banner line
 * `serving AWS APIs on http://…`. Also measures start-up (spawn → first 200) and reads the
 * process's resident memory from /proc/<pid>/status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { stderrTail, stop, track, waitForLine } from './children.js';
import { send, type BenchRequest } from './requests.js';

const BIN = fileURLToPath(new URL('../bin/drydock.js', import.meta.url));
export const DRYDOCK_URL_LINE = /serving AWS APIs on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 20_000;

export interface Spawned {
  child: ChildProcess;
  /** Everything the child wrote to stderr lately, for error messages. */
  stderr: () => string;
}

export function spawnDrydock(): Spawned {
  const child = spawn(process.execPath, [BIN, 'up', '--port', '0', '--state', 'memory', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child, 'drydock');
  return { child, stderr: stderrTail(child) };
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
}

export async function startDrydockProcess(): Promise<RunningServer> {
  const { child, stderr } = spawnDrydock();
  try {
    const url = await waitForLine(child, 'drydock', DRYDOCK_URL_LINE, START_TIMEOUT_MS);
    child.stdout?.resume();
    return { child, url };
  } catch (error) {
    await stop(child);
    throw new Error(`${(error as Error).message}\n${stderr()}`);
  }
}

export interface StartupSample {
  /** spawn → the URL line on stdout. */
  urlLineMs: number;
  /** spawn → the first 200 answer to the probe request. */
  firstOkMs: number;
  /** Probe attempts until the first 200 (1 = the first try worked). */
  attempts: number;
}

/**
 * Spawns a server with `spawnServer`, then sends `probe` as soon as the URL is known and again
 * every couple of milliseconds until an answer is a 200. Returns the timings and the running
 * server; the caller stops it.
 */
export async function measureStartup(
  spawnServer: () => Spawned,
  urlLine: RegExp,
  probe: (url: string) => BenchRequest,
): Promise<{ sample: StartupSample; server: RunningServer }> {
  const startedAt = performance.now();
  const { child, stderr } = spawnServer();
  try {
    const url = await waitForLine(child, 'server', urlLine, START_TIMEOUT_MS);
    const urlLineMs = performance.now() - startedAt;
    child.stdout?.resume();
    const request = probe(url);
    let attempts = 0;
    let last = '';
    while (performance.now() - startedAt < START_TIMEOUT_MS) {
      attempts += 1;
      try {
        const answer = await send(url, request);
        if (answer.status === 200) {
          const firstOkMs = performance.now() - startedAt;
          return { sample: { urlLineMs, firstOkMs, attempts }, server: { child, url } };
        }
        last = `HTTP ${answer.status}: ${answer.body.slice(0, 300)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(2);
    }
    throw new Error(`no 200 within ${START_TIMEOUT_MS} ms; last answer: ${last}`);
  } catch (error) {
    await stop(child);
    throw new Error(`${(error as Error).message}\n${stderr()}`);
  }
}

export interface Memory {
  rssMiB: number;
  /** Peak resident set so far. */
  hwmMiB: number;
}

/** VmRSS and VmHWM of a live process, from /proc (Linux only). */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) / 1024;
  };
  return { rssMiB: kib('VmRSS'), hwmMiB: kib('VmHWM') };
}
