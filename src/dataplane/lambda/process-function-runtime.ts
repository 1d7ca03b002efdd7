/**
 * The real-time Lambda runtime: functions run as processes on this machine, one per execution
 * environment, each serving many invocations while warm, as Lambda reuses environments. An
 * invocation takes an idle instance of the same function version and configuration, or starts a
 * new one (a cold start); concurrency limits are the control plane's. An instance idle for
 * 10 minutes of drydock time is stopped, as Lambda reclaims idle environments; one whose function
 * changed (configuration, code, or an edited hot-reload directory) is replaced. Output is kept per
 * function for `drydock logs`. close() SIGKILLs every process by its pid.
 *
 * Runtimes speak the Lambda Runtime API (runtime-api.ts) through drydock's own clients for
 * Node.js and Python (node-bootstrap.ts, python-bootstrap.ts), written to a temporary directory
 * on first use; `provided*` functions bring their own `bootstrap`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, TimerId } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { SystemClock } from '../../kernel/system-clock.js';
import type {
  FunctionInvocationRequest,
  FunctionInvocationResult,
  FunctionLogLine,
  FunctionRuntimePort,
} from '../../services/lambda/ports.js';
import { codeFingerprint } from './code-fingerprint.js';
import { FunctionInstance } from './function-instance.js';
import { FunctionLog } from './function-log.js';
import { NODE_BOOTSTRAP_FILE, NODE_BOOTSTRAP_SOURCE, NODE_LOADER_FILE, NODE_LOADER_SOURCE } from './node-bootstrap.js';
import { PYTHON_BOOTSTRAP_FILE, PYTHON_BOOTSTRAP_SOURCE } from './python-bootstrap.js';
import {
  functionIdentity,
  launchPlan,
  logStreamName,
  runtimeFamily,
  type RuntimeFiles,
} from './runtime-environment.js';

export interface ProcessFunctionRuntimeDeps {
  clock: Clock;
  logger: Logger;
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID… pointing at drydock; read at each cold start. */
  awsEnvironment: () => Record<string, string>;
  /** Stop an instance after this long idle (drydock time); default 10 minutes. */
  idleTimeoutMs?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;
/** How long close() waits (wall time) for SIGKILLed runtimes to be reaped. */
const CLOSE_REAP_WAIT_MS = 2_000;

export function createProcessFunctionRuntime(deps: ProcessFunctionRuntimeDeps): FunctionRuntimePort {
  const logger = deps.logger.child({ component: 'lambda-runtime' });
  const idleTimeoutMs = deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const timeScale = deps.clock instanceof SystemClock ? deps.clock.timeScale : 1;
  const instances = new Set<FunctionInstance>();
  const idleTimers = new Map<FunctionInstance, TimerId>();
  /** The newest configuration key per function version: older instances are retired when free. */
  const currentKeys = new Map<string, string>();
  const logs = new Map<string, FunctionLog>();
  const basePath = process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const home = os.homedir();
  const modulesDir = findNodeModules();
  let files: RuntimeFiles | undefined;
  let pythonExecutable: string | undefined;
  let sequence = 0;
  let closed = false;

  const runtimeFiles = (): RuntimeFiles => {
    if (files) return files;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-lambda-runtime-'));
    const written: RuntimeFiles = {
      dir,
      nodeBootstrap: path.join(dir, NODE_BOOTSTRAP_FILE),
      nodeLoader: path.join(dir, NODE_LOADER_FILE),
      pythonBootstrap: path.join(dir, PYTHON_BOOTSTRAP_FILE),
    };
    writeFileSync(written.nodeBootstrap, NODE_BOOTSTRAP_SOURCE);
    writeFileSync(written.nodeLoader, NODE_LOADER_SOURCE);
    writeFileSync(written.pythonBootstrap, PYTHON_BOOTSTRAP_SOURCE);
    files = written;
    return written;
  };

  /** python3's real executable (resolved once: pyenv-style shims cost tens of ms per start). */
  const python = (): string => {
    if (pythonExecutable === undefined) {
      try {
        pythonExecutable = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
          encoding: 'utf8',
          timeout: 10_000,
        }).trim();
      } catch {
        pythonExecutable = 'python3';
      }
    }
    return pythonExecutable;
  };

  const logOf = (functionArn: string): FunctionLog => {
    let log = logs.get(functionArn);
    if (!log) {
      log = new FunctionLog();
      logs.set(functionArn, log);
    }
    return log;
  };

  const versionKey = (instance: { functionArn: string; version: string }) =>
    `${instance.functionArn}#${instance.version}`;

  const onStateChange = (instance: FunctionInstance) => {
    const timer = idleTimers.get(instance);
    if (timer !== undefined) deps.clock.cancel(timer);
    idleTimers.delete(instance);
    if (instance.state === 'dead') {
      instances.delete(instance);
      return;
    }
    if (instance.state !== 'idle') return;
    if (closed || currentKeys.get(versionKey(instance)) !== instance.key) {
      instance.kill();
      return;
    }
    idleTimers.set(
      instance,
      deps.clock.after(
        idleTimeoutMs,
        () => {
          idleTimers.delete(instance);
          if (instance.state === 'idle') instance.kill();
        },
        `lambda idle ${instance.functionArn}`,
      ),
    );
  };

  const startInstance = (request: FunctionInvocationRequest, key: string): FunctionInstance => {
    sequence += 1;
    const instance = new FunctionInstance(key, request.functionArn, request.version, request.memoryMiB, {
      clock: deps.clock,
      logger,
      log: logOf(request.functionArn),
      timeScale,
      onStateChange,
    });
    instances.add(instance);
    const streamName = logStreamName(request.version, deps.clock.now(), `${request.functionArn}#${sequence}`);
    const family = runtimeFamily(request.runtime);
    void instance.start((runtimeApi) =>
      launchPlan(request, {
        files: runtimeFiles(),
        nodeExecutable: process.execPath,
        pythonExecutable: family === 'python' ? python() : 'python3',
        modulesDir,
        awsEnvironment: deps.awsEnvironment(),
        runtimeApi,
        logStreamName: streamName,
        basePath,
        home,
      }),
    );
    logger.debug({ functionArn: request.functionArn, version: request.version }, 'cold start');
    return instance;
  };

  return {
    invoke(request: FunctionInvocationRequest): Promise<FunctionInvocationResult> {
      if (closed) return Promise.reject(new Error('the Lambda runtime is closed'));
      if (!runtimeFamily(request.runtime)) {
        return Promise.reject(new Error(`drydock has no runtime for ${request.runtime}`));
      }
      const key = instanceKey(request);
      currentKeys.set(versionKey(request), key);
      let instance: FunctionInstance | undefined;
      for (const candidate of instances) {
        if (candidate.functionArn !== request.functionArn || candidate.version !== request.version) continue;
        if (candidate.key !== key) {
          if (candidate.state === 'idle') candidate.kill();
        } else if (candidate.state === 'idle' && instance === undefined) {
          instance = candidate;
        }
      }
      return (instance ?? startInstance(request, key)).invoke(request);
    },

    logs(functionName: string): FunctionLogLine[] {
      if (functionName.startsWith('arn:')) return logs.get(functionName)?.lines() ?? [];
      const lines = [...logs]
        .filter(([arn]) => functionIdentity(arn).name === functionName)
        .flatMap(([, log]) => log.lines());
      return lines.sort((a, b) => a.atMs - b.atMs);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const timer of idleTimers.values()) deps.clock.cancel(timer);
      idleTimers.clear();
      const gone = [...instances].map((instance) => {
        instance.kill();
        return instance.gone;
      });
      await Promise.race([Promise.all(gone), wallDelay(CLOSE_REAP_WAIT_MS)]);
      if (files) rmSync(files.dir, { recursive: true, force: true });
    },
  };
}

/** What makes two invocations able to share an environment: same version, code (and its files, for hot reload) and configuration. */
function instanceKey(request: FunctionInvocationRequest): string {
  return JSON.stringify([
    request.functionArn,
    request.version,
    request.runtime,
    request.handler,
    request.codeDir,
    request.environment,
    request.memoryMiB,
    request.timeoutMs,
    request.hotReload ? codeFingerprint(request.codeDir) : '',
  ]);
}

/** drydock's own node_modules (the nearest one above this module), for `@aws-sdk/*` inside Node.js functions. */
function findNodeModules(): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A wall-clock wait for process reaping at shutdown (not an AWS deadline, so not on the Clock). */
function wallDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
