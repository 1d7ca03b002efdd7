/**
 * The simulated task runtime: the TaskRuntimePort for virtual time, where no process runs and
 * every delay is a timer on the injected clock. It plays what the ECS agent and Docker would do
 * with a task's containers, with `docker stop` semantics: SIGTERM, then SIGKILL (exit 137) when
 * the container is still running after its stopTimeout.
 *
 * Behaviour, by image (any tag or digest; the same environment variables as the real images):
 * - every container starts SIMULATED_START_DELAY_MS (+ up to SIMULATED_START_JITTER_MS, seeded)
 *   after its dependsOn conditions hold (START, COMPLETE, SUCCESS, HEALTHY);
 * - `drydock/crash` exits with CRASH_EXIT_CODE (default 1) CRASH_AFTER_MS (default 5000) after
 *   it starts; on SIGTERM before that it dies of the signal (exit 143, no handler);
 * - `drydock/worker` takes WORKER_SHUTDOWN_MS (default 5000) to exit 0 after SIGTERM;
 * - any other image (`drydock/http-echo`, `drydock/tcp-echo`, …) exits 0
 *   SIMULATED_SIGTERM_EXIT_MS after SIGTERM;
 * - a container with a health check becomes HEALTHY after its first interval (checks pass);
 * - logs record start, signal and exit lines per container.
 */
import type { Clock, TimerId } from '../kernel/clock.js';
import type { Random } from '../kernel/random.js';
import type {
  ContainerLogLine,
  ContainerSpec,
  TaskRuntimeListener,
  TaskRuntimePort,
  TaskSpec,
} from '../services/ecs/ports.js';

export const SIMULATED_START_DELAY_MS = 1_000;
export const SIMULATED_START_JITTER_MS = 500;
export const SIMULATED_SIGTERM_EXIT_MS = 100;
export const DEFAULT_CRASH_EXIT_CODE = 1;
export const DEFAULT_CRASH_AFTER_MS = 5_000;
export const DEFAULT_WORKER_SHUTDOWN_MS = 5_000;
/** 128 + SIGKILL (9) / SIGTERM (15), as Docker reports a process a signal ended. */
export const SIGKILL_EXIT_CODE = 137;
export const SIGTERM_EXIT_CODE = 143;

type ContainerState = 'waiting' | 'starting' | 'running' | 'stopping' | 'exited';

interface SimContainer {
  spec: ContainerSpec;
  state: ContainerState;
  started: boolean;
  healthy: boolean;
  exitCode?: number | null;
  timers: TimerId[];
  lines: ContainerLogLine[];
}

interface SimTask {
  spec: TaskSpec;
  stopping: boolean;
  containers: Map<string, SimContainer>;
}

/** `drydock/worker`, `docker.io/drydock/worker:1`, `drydock/crash@sha256:…` → worker / crash. */
export function drydockImageName(image: string): string | undefined {
  return /^(?:(?:docker\.io|registry-1\.docker\.io)\/)?drydock\/([a-z0-9-]+)(?::[\w.-]+)?(?:@[\w:]+)?$/.exec(
    image.trim(),
  )?.[1];
}

function numberFrom(environment: Record<string, string>, name: string, fallback: number): number {
  const value = environment[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

export function createSimulatedTaskRuntime(deps: {
  clock: Clock;
  random: Random;
  listener: () => TaskRuntimeListener;
}): TaskRuntimePort {
  const { clock } = deps;
  const random = deps.random.fork('simulated-task-runtime');
  const tasks = new Map<string, SimTask>();

  const log = (container: SimContainer, line: string, stream: 'stdout' | 'stderr' = 'stdout') => {
    container.lines.push({ atMs: clock.now(), stream, line });
  };
  const after = (container: SimContainer, delayMs: number, task: () => void, label: string) => {
    container.timers.push(clock.after(delayMs, task, `simulated ${label}`));
  };
  const cancelTimers = (container: SimContainer) => {
    for (const timer of container.timers) clock.cancel(timer);
    container.timers = [];
  };

  /** Whether a dependency condition holds now; 'never' when it cannot hold any more. */
  const dependencyState = (
    task: SimTask,
    dependency: ContainerSpec['dependsOn'][number],
  ): 'met' | 'waiting' | 'never' => {
    const other = task.containers.get(dependency.containerName);
    if (!other) return 'never';
    switch (dependency.condition) {
      case 'START':
        return other.started ? 'met' : other.state === 'exited' ? 'never' : 'waiting';
      case 'COMPLETE':
        return other.state === 'exited' ? (other.started ? 'met' : 'never') : 'waiting';
      case 'SUCCESS':
        return other.state === 'exited' ? (other.exitCode === 0 ? 'met' : 'never') : 'waiting';
      case 'HEALTHY':
        return other.healthy ? 'met' : other.state === 'exited' ? 'never' : 'waiting';
    }
  };

  const exit = (task: SimTask, container: SimContainer, exitCode: number | null, reason: string) => {
    if (container.state === 'exited') return;
    cancelTimers(container);
    container.state = 'exited';
    container.exitCode = exitCode;
    log(container, exitCode === null ? `not started: ${reason}` : `exited with code ${exitCode}`);
    deps.listener().containerExited(task.spec.taskArn, container.spec.name, exitCode, reason);
    startReady(task);
  };

  const run = (task: SimTask, container: SimContainer) => {
    container.state = 'running';
    container.started = true;
    const { spec } = container;
    const argv = [...spec.entryPoint, ...spec.command];
    log(container, `[drydock sim] ${spec.image} started${argv.length > 0 ? `: ${argv.join(' ')}` : ''}`);
    for (const port of spec.portMappings) {
      log(
        container,
        `listening on ${task.spec.hostAddress}:${port.hostPort} (container port ${port.containerPort}/${port.protocol})`,
      );
    }
    deps.listener().containerStarted(task.spec.taskArn, spec.name, undefined);
    if (drydockImageName(spec.image) === 'crash') {
      const exitCode = numberFrom(spec.environment, 'CRASH_EXIT_CODE', DEFAULT_CRASH_EXIT_CODE);
      const afterMs = numberFrom(spec.environment, 'CRASH_AFTER_MS', DEFAULT_CRASH_AFTER_MS);
      after(
        container,
        afterMs,
        () => {
          log(container, `crashing with exit code ${exitCode}`, 'stderr');
          exit(task, container, exitCode, '');
        },
        `crash ${spec.name}`,
      );
    }
    if (spec.healthCheck) {
      after(
        container,
        spec.healthCheck.intervalMs,
        () => {
          if (container.state !== 'running') return;
          container.healthy = true;
          deps.listener().containerHealthChanged(task.spec.taskArn, spec.name, 'HEALTHY');
          startReady(task);
        },
        `health check ${spec.name}`,
      );
    }
    startReady(task);
  };

  /** Starts every waiting container whose dependencies hold; fails those whose never will. */
  function startReady(task: SimTask): void {
    if (task.stopping) return;
    for (const container of task.containers.values()) {
      if (container.state !== 'waiting') continue;
      const states = container.spec.dependsOn.map((dependency) => ({
        dependency,
        state: dependencyState(task, dependency),
      }));
      const blocked = states.find(({ state }) => state === 'never');
      if (blocked) {
        exit(
          task,
          container,
          null,
          `dependency ${blocked.dependency.containerName} can no longer reach ${blocked.dependency.condition}`,
        );
        continue;
      }
      if (states.some(({ state }) => state === 'waiting')) continue;
      container.state = 'starting';
      const delayMs = SIMULATED_START_DELAY_MS + random.int(0, SIMULATED_START_JITTER_MS + 1);
      after(container, delayMs, () => run(task, container), `start ${container.spec.name}`);
    }
  }

  const terminate = (task: SimTask, container: SimContainer) => {
    const { spec } = container;
    container.state = 'stopping';
    cancelTimers(container);
    log(container, 'received SIGTERM');
    const image = drydockImageName(spec.image);
    const exitAfterMs =
      image === 'worker'
        ? numberFrom(spec.environment, 'WORKER_SHUTDOWN_MS', DEFAULT_WORKER_SHUTDOWN_MS)
        : image === 'crash'
          ? 0
          : SIMULATED_SIGTERM_EXIT_MS;
    const exitCode = image === 'crash' ? SIGTERM_EXIT_CODE : 0;
    if (exitAfterMs < spec.stopTimeoutMs) {
      after(container, exitAfterMs, () => exit(task, container, exitCode, ''), `exit ${spec.name}`);
    } else {
      after(
        container,
        spec.stopTimeoutMs,
        () => {
          log(container, `still running after stopTimeout (${spec.stopTimeoutMs} ms): SIGKILL`);
          exit(task, container, SIGKILL_EXIT_CODE, '');
        },
        `SIGKILL ${spec.name}`,
      );
    }
  };

  return {
    start(spec) {
      if (tasks.has(spec.taskArn)) return;
      const task: SimTask = {
        spec,
        stopping: false,
        containers: new Map(
          spec.containers.map((container) => [
            container.name,
            { spec: container, state: 'waiting', started: false, healthy: false, timers: [], lines: [] },
          ]),
        ),
      };
      tasks.set(spec.taskArn, task);
      startReady(task);
    },
    stop(taskArn) {
      const task = tasks.get(taskArn);
      if (!task || task.stopping) return;
      task.stopping = true;
      for (const container of task.containers.values()) {
        if (container.state === 'waiting' || container.state === 'starting') {
          // Never started: nothing to signal, nothing to report.
          cancelTimers(container);
          container.state = 'exited';
        } else if (container.state === 'running') terminate(task, container);
      }
    },
    logs(taskArn, containerName) {
      const task = tasks.get(taskArn);
      if (!task) return [];
      return [...task.containers.values()]
        .filter((container) => containerName === undefined || container.spec.name === containerName)
        .map((container) => ({ containerName: container.spec.name, lines: [...container.lines] }));
    },
  };
}
