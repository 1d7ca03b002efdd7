/**
 * What `docker run` would execute for one ECS container, computed without side effects:
 * the argv (entryPoint + command in exec form, no shell; the image's default when both are
 * empty), the environment (the task definition's over a minimal base, plus what the ECS agent
 * injects: ECS_CONTAINER_METADATA_URI_V4, ECS_CONTAINER_METADATA_URI, ECS_AGENT_URI,
 * AWS_EXECUTION_ENV) and the working directory. Failures read like the agent's
 * `CannotStartContainerError: …` reasons.
 */
import type { ContainerSpec, TaskSpec } from '../services/ecs/ports.js';
import type { ImageDefault } from './images.js';

/** ECS caps a container's `reason` at 1024 characters. */
export const MAX_REASON_CHARS = 1024;

export interface EndpointUrls {
  /** ECS_CONTAINER_METADATA_URI_V4 */
  metadataV4: string;
  /** ECS_CONTAINER_METADATA_URI (v3) */
  metadataV3: string;
  /** ECS_AGENT_URI */
  agent: string;
}

export interface LaunchContext {
  imageDefault: ImageDefault;
  endpoints: EndpointUrls;
  /** The runtime's own PATH and HOME, the only things a container inherits from drydock. */
  basePath: string;
  baseHome: string;
}

export type LaunchPlan =
  | { ok: true; argv: [string, ...string[]]; env: Record<string, string>; cwd: string | undefined }
  | { ok: false; reason: string };

export function planLaunch(task: TaskSpec, container: ContainerSpec, context: LaunchContext): LaunchPlan {
  const argv = containerArgv(container, context.imageDefault);
  if (!argv.ok) return argv;
  return {
    ok: true,
    argv: argv.argv,
    env: containerEnvironment(task, container, context),
    cwd:
      container.workingDirectory === undefined || container.workingDirectory === ''
        ? undefined
        : container.workingDirectory,
  };
}

/**
 * Docker's rule: an entryPoint replaces the image's ENTRYPOINT and drops its CMD; a command
 * alone replaces CMD. drydock's images have only a CMD, other images have neither.
 */
export function containerArgv(
  container: Pick<ContainerSpec, 'entryPoint' | 'command'>,
  imageDefault: ImageDefault,
): { ok: true; argv: [string, ...string[]] } | { ok: false; reason: string } {
  const explicit = [...container.entryPoint, ...container.command];
  if (explicit.length > 0) return { ok: true, argv: explicit as [string, ...string[]] };
  if (imageDefault.kind === 'command' && imageDefault.argv.length > 0) {
    return { ok: true, argv: imageDefault.argv as [string, ...string[]] };
  }
  if (imageDefault.kind === 'missing') return { ok: false, reason: cannotStart(imageDefault.reason) };
  return { ok: false, reason: cannotStart('Error response from daemon: No command specified') };
}

/**
 * Later layers win: the minimal base, the task definition's environment, then what drydock and
 * the agent inject. HOST/PORT/PORT_<containerPort> win over the task definition because every
 * process shares this machine's network (bridge-mode port mapping has no address translation
 * here): a program must listen on the host port, whatever the task definition says.
 */
export function containerEnvironment(
  task: TaskSpec,
  container: ContainerSpec,
  context: Pick<LaunchContext, 'endpoints' | 'basePath' | 'baseHome'>,
): Record<string, string> {
  const env: Record<string, string> = { PATH: context.basePath, HOME: context.baseHome };
  Object.assign(env, container.environment);
  Object.assign(env, {
    AWS_EXECUTION_ENV: 'AWS_ECS_EC2',
    ECS_CONTAINER_METADATA_URI_V4: context.endpoints.metadataV4,
    ECS_CONTAINER_METADATA_URI: context.endpoints.metadataV3,
    ECS_AGENT_URI: context.endpoints.agent,
    // drydock's own: what the drydock/* images answer with, without a metadata call.
    DRYDOCK_TASK_ARN: task.taskArn,
    DRYDOCK_TASK_ID: task.taskId,
    DRYDOCK_CLUSTER_ARN: task.clusterArn,
    DRYDOCK_CONTAINER_INSTANCE_ARN: task.containerInstanceArn,
    DRYDOCK_EC2_INSTANCE_ID: task.ec2InstanceId,
    DRYDOCK_AVAILABILITY_ZONE: task.availabilityZone,
    DRYDOCK_CONTAINER_NAME: container.name,
    HOST: task.hostAddress,
  });
  const [first] = container.portMappings;
  if (first) env.PORT = String(first.hostPort);
  for (const mapping of container.portMappings) env[`PORT_${mapping.containerPort}`] = String(mapping.hostPort);
  return env;
}

/** A spawn error (ENOENT, EACCES, …) as runc would word it, behind Docker's error prefix. */
export function spawnFailureReason(error: NodeJS.ErrnoException, executable: string): string {
  const quoted = JSON.stringify(executable);
  let detail: string;
  if (error.code === 'ENOENT') {
    detail = executable.includes('/')
      ? `exec: ${quoted}: stat ${executable}: no such file or directory`
      : `exec: ${quoted}: executable file not found in $PATH`;
  } else if (error.code === 'EACCES') {
    detail = `exec: ${quoted}: permission denied`;
  } else {
    detail = `exec: ${quoted}: ${error.message}`;
  }
  return runcFailure(detail);
}

/** A working directory that does not exist, checked before spawning (spawn's ENOENT cannot tell it from a missing executable). */
export function missingWorkingDirectoryReason(cwd: string): string {
  return runcFailure(`chdir to cwd (${JSON.stringify(cwd)}) set in config.json failed: no such file or directory`);
}

function runcFailure(detail: string): string {
  return cannotStart(
    `Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${detail}: unknown`,
  );
}

export function cannotStart(detail: string): string {
  return truncateReason(`CannotStartContainerError: ${detail}`);
}

export function truncateReason(reason: string): string {
  return reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
}
