/**
 * The real-time task runtime: ECS tasks as child processes on this machine, as the ECS agent
 * runs them as Docker containers on an EC2 instance. It starts containers in dependsOn order,
 * stops them with `docker stop` semantics (dependents first, SIGTERM, SIGKILL after stopTimeout
 * on the injected Clock), runs container health checks, keeps their logs, serves the task
 * metadata and agent endpoints, and reports every fact (started, exited, health) to ECS through
 * the TaskRuntimeListener. It decides nothing: stopping a task whose essential container exited
 * is ECS's call.
 */
import os from 'node:os';
import type { Clock, TimerId } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type {
  AgentApi,
  ContainerLogLine,
  ContainerSpec,
  TaskRuntimeListener,
  TaskRuntimePort,
  TaskSpec,
} from '../services/ecs/ports.js';
import {
  evaluateDependencies,
  readyToStop,
  type ContainerPhase,
  type ContainerView,
} from './container-dependencies.js';
import { cannotStart, planLaunch, truncateReason } from './container-launch.js';
import { ContainerLog } from './container-log.js';
import { ContainerProcess } from './container-process.js';
import {
  dockerStats,
  hostCpuCount,
  hostMemoryBytes,
  readProcessSample,
  readSystemCpuNs,
  type StatsSample,
} from './container-stats.js';
import { HealthCheckRunner, type HealthStatus } from './health-check.js';
import { createImageResolver, type ImageResolver } from './images.js';
import { TaskEndpointServer, type EndpointTarget } from './task-endpoints.js';

export interface ProcessTaskRuntimeDeps {
  clock: Clock;
  logger: Logger;
  listener: () => TaskRuntimeListener;
  agentApi: () => AgentApi;
  /** where dist/dataplane/images lives */
  imagesDir?: string;
}

export type ProcessTaskRuntime = TaskRuntimePort & {
  /** SIGKILLs every child it started, by pid, and closes its servers. */
  close(): Promise<void>;
};

/** Stopped tasks stay describable for an hour in ECS; their logs stay as long. */
const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;
const NEVER_STARTED_REASON = 'Task stopped before the container started';
/** How long close() waits (wall time) for SIGKILLed children to be reaped. */
const CLOSE_REAP_WAIT_MS = 2_000;

interface ContainerRecord {
  spec: ContainerSpec;
  endpointId: string;
  phase: ContainerPhase;
  started: boolean;
  exitCode: number | null | undefined;
  health: HealthStatus;
  signalled: boolean;
  log: ContainerLog;
  process?: ContainerProcess;
  healthCheck?: HealthCheckRunner;
  previousStats?: StatsSample;
}

interface TaskRecord {
  spec: TaskSpec;
  containers: ContainerRecord[];
  stopRequested: boolean;
  retention?: TimerId;
  advancing: boolean;
  advanceAgain: boolean;
}

export function createProcessTaskRuntime(deps: ProcessTaskRuntimeDeps): ProcessTaskRuntime {
  const { clock } = deps;
  const logger = deps.logger.child({ component: 'task-runtime' });
  const resolveImage: ImageResolver = createImageResolver(deps.imagesDir ? { imagesDir: deps.imagesDir } : {});
  const tasks = new Map<string, TaskRecord>();
  const endpoints = new Map<string, { task: TaskRecord; container: ContainerRecord }>();
  const basePath = process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const baseHome = os.homedir();
  let endpointSeq = 0;
  let closed = false;
  let server: TaskEndpointServer | undefined;
  let serverReady: Promise<void> | undefined;
  let serverListening = false;

  // ---- reporting -------------------------------------------------------------------------

  const notify = (what: string, call: (listener: TaskRuntimeListener) => void) => {
    if (closed) return;
    try {
      call(deps.listener());
    } catch (error) {
      logger.error({ err: error, event: what }, 'task runtime listener threw');
    }
  };

  const views = (task: TaskRecord) =>
    new Map<string, ContainerView>(
      task.containers.map((container) => [
        container.spec.name,
        { phase: container.phase, started: container.started, exitCode: container.exitCode, health: container.health },
      ]),
    );

  // ---- lifecycle -------------------------------------------------------------------------

  /** Moves the task forward until nothing changes; re-entrant calls (from listeners) fold into the running one. */
  const advance = (task: TaskRecord) => {
    if (closed) return;
    if (task.advancing) {
      task.advanceAgain = true;
      return;
    }
    task.advancing = true;
    try {
      do {
        task.advanceAgain = false;
        if (task.stopRequested) advanceStopping(task);
        else advanceStarting(task);
      } while (task.advanceAgain);
    } finally {
      task.advancing = false;
    }
  };

  const advanceStarting = (task: TaskRecord) => {
    if (!serverListening) return;
    for (const container of task.containers) {
      if (container.phase !== 'waiting' || task.stopRequested) continue;
      const verdict = evaluateDependencies(container.spec, views(task));
      if (verdict.kind === 'ready') launch(task, container);
      else if (verdict.kind === 'blocked') markNeverStarted(task, container, verdict.reason);
    }
  };

  const advanceStopping = (task: TaskRecord) => {
    for (const container of task.containers) {
      if (container.phase === 'waiting') markNeverStarted(task, container, NEVER_STARTED_REASON);
    }
    const snapshot = views(task);
    for (const container of task.containers) {
      if (container.phase !== 'running' || container.signalled) continue;
      if (!readyToStop(container.spec.name, task.spec.containers, snapshot)) continue;
      container.signalled = true;
      logger.info(
        { taskArn: task.spec.taskArn, container: container.spec.name, stopTimeoutMs: container.spec.stopTimeoutMs },
        'stopping container: SIGTERM',
      );
      container.process?.terminate(container.spec.stopTimeoutMs);
    }
  };

  const launch = (task: TaskRecord, container: ContainerRecord) => {
    const plan = planLaunch(task.spec, container.spec, {
      imageDefault: resolveImage(container.spec.image),
      endpoints: server!.urlsFor(container.endpointId),
      basePath,
      baseHome,
    });
    if (!plan.ok) {
      markNeverStarted(task, container, plan.reason);
      return;
    }
    container.phase = 'starting';
    const child = new ContainerProcess(clock, logger, container.log, {
      started: (pid) => onStarted(task, container, pid, plan.env, plan.cwd),
      exited: (exitCode, reason) => onExited(task, container, exitCode, reason),
    });
    container.process = child;
    logger.info({ taskArn: task.spec.taskArn, container: container.spec.name, argv: plan.argv }, 'starting container');
    child.start(plan);
  };

  const onStarted = (
    task: TaskRecord,
    container: ContainerRecord,
    pid: number | undefined,
    env: Record<string, string>,
    cwd: string | undefined,
  ) => {
    if (container.phase !== 'starting') return;
    container.phase = 'running';
    container.started = true;
    const healthCheck = container.spec.healthCheck;
    if (healthCheck) {
      container.healthCheck = new HealthCheckRunner({
        clock,
        logger,
        spec: healthCheck,
        env,
        cwd,
        onStatus: (status) => onHealth(task, container, status),
      });
      container.healthCheck.start();
    }
    notify('containerStarted', (listener) => listener.containerStarted(task.spec.taskArn, container.spec.name, pid));
    advance(task);
  };

  const onHealth = (task: TaskRecord, container: ContainerRecord, status: HealthStatus) => {
    if (container.phase !== 'running') return;
    container.health = status;
    logger.info({ taskArn: task.spec.taskArn, container: container.spec.name, status }, 'container health changed');
    notify('containerHealthChanged', (listener) =>
      listener.containerHealthChanged(task.spec.taskArn, container.spec.name, status),
    );
    advance(task);
  };

  const onExited = (task: TaskRecord, container: ContainerRecord, exitCode: number | null, reason: string) => {
    if (container.phase === 'exited') return;
    container.phase = 'exited';
    container.exitCode = exitCode;
    container.healthCheck?.stop();
    logger.info(
      { taskArn: task.spec.taskArn, container: container.spec.name, exitCode, ...(reason ? { reason } : {}) },
      'container exited',
    );
    notify('containerExited', (listener) =>
      listener.containerExited(task.spec.taskArn, container.spec.name, exitCode, truncateReason(reason)),
    );
    afterExit(task);
  };

  const markNeverStarted = (task: TaskRecord, container: ContainerRecord, reason: string) => {
    container.phase = 'exited';
    container.exitCode = null;
    logger.info({ taskArn: task.spec.taskArn, container: container.spec.name, reason }, 'container not started');
    notify('containerExited', (listener) =>
      listener.containerExited(task.spec.taskArn, container.spec.name, null, truncateReason(reason)),
    );
    afterExit(task);
  };

  const afterExit = (task: TaskRecord) => {
    advance(task);
    if (task.retention === undefined && task.containers.every((container) => container.phase === 'exited')) {
      task.retention = clock.after(STOPPED_TASK_RETENTION_MS, () => forget(task), 'stopped task retention');
    }
  };

  const forget = (task: TaskRecord) => {
    if (tasks.get(task.spec.taskArn) === task) tasks.delete(task.spec.taskArn);
    for (const container of task.containers) endpoints.delete(container.endpointId);
  };

  // ---- endpoints -------------------------------------------------------------------------

  const ensureServer = (): Promise<void> => {
    if (serverReady) return serverReady;
    server = new TaskEndpointServer({
      logger,
      agentApi: deps.agentApi,
      lookup: (endpointId): EndpointTarget | undefined => {
        const entry = endpoints.get(endpointId);
        return entry && { taskArn: entry.task.spec.taskArn, containerName: entry.container.spec.name };
      },
      containerStats: async (endpointId) => {
        const entry = endpoints.get(endpointId);
        return entry ? statsOf(entry.task, entry.container) : {};
      },
      taskStats: async (taskArn) => {
        const task = tasks.get(taskArn);
        if (!task) return {};
        const all = await Promise.all(
          task.containers.map(async (container) => [
            dockerIdentity(task, container).id,
            await statsOf(task, container),
          ]),
        );
        return Object.fromEntries(all) as Record<string, unknown>;
      },
    });
    serverReady = server.listen().then((origin) => {
      serverListening = true;
      logger.debug({ origin }, 'task metadata and agent endpoints listening');
    });
    return serverReady;
  };

  /** The DockerId/DockerName ECS shows in the metadata, so /task/stats keys match /task's containers. */
  const dockerIdentity = (task: TaskRecord, container: ContainerRecord): { id: string; name: string } => {
    let metadata: Record<string, unknown> | undefined;
    try {
      metadata = deps.agentApi().containerMetadata(task.spec.taskArn, container.spec.name);
    } catch {
      metadata = undefined;
    }
    const id = typeof metadata?.DockerId === 'string' ? metadata.DockerId : container.endpointId;
    const name =
      typeof metadata?.DockerName === 'string'
        ? metadata.DockerName
        : `ecs-${task.spec.family}-${task.spec.revision}-${container.spec.name}`;
    return { id, name: `/${name}` };
  };

  const statsOf = async (task: TaskRecord, container: ContainerRecord): Promise<Record<string, unknown>> => {
    const pid = container.process?.alive ? container.process.pid : undefined;
    const [sample, systemCpuNs] = await Promise.all([
      pid === undefined ? undefined : readProcessSample(pid),
      readSystemCpuNs(),
    ]);
    const identity = dockerIdentity(task, container);
    const atIso = new Date(clock.now()).toISOString();
    const { stats, cpu } = dockerStats({
      ...identity,
      atIso,
      sample,
      systemCpuNs,
      onlineCpus: hostCpuCount(),
      memoryLimitBytes: hostMemoryBytes(),
      previous: container.previousStats,
    });
    if (sample) container.previousStats = { atIso, cpu };
    return stats;
  };

  // ---- the port --------------------------------------------------------------------------

  return {
    start(spec: TaskSpec): void {
      if (closed) {
        logger.warn({ taskArn: spec.taskArn }, 'task runtime is closed: task not started');
        return;
      }
      if (tasks.has(spec.taskArn)) {
        logger.warn({ taskArn: spec.taskArn }, 'task already started: ignored');
        return;
      }
      const task: TaskRecord = {
        spec,
        containers: [],
        stopRequested: false,
        advancing: false,
        advanceAgain: false,
      };
      for (const container of spec.containers) {
        endpointSeq += 1;
        const record: ContainerRecord = {
          spec: container,
          endpointId: `${spec.taskId}-${endpointSeq}`,
          phase: 'waiting',
          started: false,
          exitCode: undefined,
          health: 'UNKNOWN',
          signalled: false,
          log: new ContainerLog(),
        };
        task.containers.push(record);
        endpoints.set(record.endpointId, { task, container: record });
      }
      tasks.set(spec.taskArn, task);
      if (task.containers.length === 0) afterExit(task);
      ensureServer().then(
        () => advance(task),
        (error: unknown) => {
          logger.error({ err: error }, 'task metadata endpoint could not listen');
          for (const container of task.containers) {
            if (container.phase === 'waiting') {
              markNeverStarted(task, container, cannotStart(`task metadata endpoint unavailable: ${String(error)}`));
            }
          }
        },
      );
    },

    stop(taskArn: string): void {
      const task = tasks.get(taskArn);
      if (!task) {
        logger.debug({ taskArn }, 'stop for an unknown task: ignored');
        return;
      }
      if (task.stopRequested) return;
      task.stopRequested = true;
      advance(task);
    },

    logs(taskArn: string, containerName?: string): Array<{ containerName: string; lines: ContainerLogLine[] }> {
      const task = tasks.get(taskArn);
      if (!task) return [];
      return task.containers
        .filter((container) => containerName === undefined || container.spec.name === containerName)
        .map((container) => ({ containerName: container.spec.name, lines: container.log.lines() }));
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const reaped: Promise<void>[] = [];
      for (const task of tasks.values()) {
        if (task.retention !== undefined) clock.cancel(task.retention);
        for (const container of task.containers) {
          container.healthCheck?.stop();
          if (container.process?.alive) {
            container.process.kill();
            reaped.push(container.process.exited);
          }
        }
      }
      await Promise.race([Promise.all(reaped), wallDelay(CLOSE_REAP_WAIT_MS)]);
      await serverReady?.catch(() => undefined);
      await server?.close();
    },
  };
}

/** A wall-clock wait for process reaping at shutdown (not an AWS deadline, so not on the Clock). */
function wallDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
