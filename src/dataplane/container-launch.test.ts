import { describe, expect, it } from 'vitest';
import type { ContainerSpec, TaskSpec } from '../services/ecs/ports.js';
import {
  MAX_REASON_CHARS,
  cannotStart,
  containerArgv,
  missingWorkingDirectoryReason,
  planLaunch,
  spawnFailureReason,
} from './container-launch.js';

const container = (overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: 'web',
  image: 'drydock/http-echo',
  essential: true,
  entryPoint: [],
  command: [],
  environment: {},
  portMappings: [],
  stopTimeoutMs: 30_000,
  dependsOn: [],
  ...overrides,
});

const task = (containers: ContainerSpec[]): TaskSpec => ({
  taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef',
  taskId: '0123456789abcdef0123456789abcdef',
  clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
  containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/ffff',
  ec2InstanceId: 'i-0123456789abcdef0',
  availabilityZone: 'us-east-1a',
  family: 'web',
  revision: 3,
  hostAddress: '127.1.0.7',
  containers,
});

const endpoints = {
  metadataV4: 'http://127.0.0.1:5000/v4/x-1',
  metadataV3: 'http://127.0.0.1:5000/v3/x-1',
  agent: 'http://127.0.0.1:5000/api/x-1',
};
const context = {
  imageDefault: { kind: 'command' as const, argv: ['/usr/bin/node', '/images/http-echo.js'] },
  endpoints,
  basePath: '/usr/bin:/bin',
  baseHome: '/home/drydock',
};

describe('containerArgv (Docker entrypoint/command rules)', () => {
  const none = { kind: 'none' as const };

  it('runs entryPoint + command in exec form', () => {
    expect(containerArgv({ entryPoint: ['sh', '-c'], command: ['echo hi'] }, none)).toEqual({
      ok: true,
      argv: ['sh', '-c', 'echo hi'],
    });
    expect(containerArgv({ entryPoint: [], command: ['sleep', '1'] }, none)).toEqual({
      ok: true,
      argv: ['sleep', '1'],
    });
  });

  it("uses the image's default only when both are empty", () => {
    expect(containerArgv({ entryPoint: [], command: [] }, context.imageDefault)).toEqual({
      ok: true,
      argv: context.imageDefault.argv,
    });
    expect(containerArgv({ entryPoint: ['node'], command: [] }, context.imageDefault)).toEqual({
      ok: true,
      argv: ['node'],
    });
  });

  it('cannot start an image without a default and without a command, as Docker says', () => {
    expect(containerArgv({ entryPoint: [], command: [] }, none)).toEqual({
      ok: false,
      reason: 'CannotStartContainerError: Error response from daemon: No command specified',
    });
    const missing = containerArgv({ entryPoint: [], command: [] }, { kind: 'missing', reason: 'no program' });
    expect(missing).toEqual({ ok: false, reason: 'CannotStartContainerError: no program' });
  });
});

describe('planLaunch', () => {
  it("merges the task definition's environment over a minimal base and injects the agent's variables", () => {
    const web = container({
      environment: { PATH: '/opt/bin', GREETING: 'hi', PORT: '1', ECS_AGENT_URI: 'mine' },
      portMappings: [
        { containerPort: 8080, hostPort: 32768, protocol: 'tcp' },
        { containerPort: 9090, hostPort: 32769, protocol: 'tcp' },
      ],
      workingDirectory: '/tmp',
    });
    const plan = planLaunch(task([web]), web, context);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.cwd).toBe('/tmp');
    expect(plan.argv).toEqual(context.imageDefault.argv);
    expect(plan.env).toEqual({
      PATH: '/opt/bin',
      HOME: '/home/drydock',
      GREETING: 'hi',
      AWS_EXECUTION_ENV: 'AWS_ECS_EC2',
      ECS_CONTAINER_METADATA_URI_V4: endpoints.metadataV4,
      ECS_CONTAINER_METADATA_URI: endpoints.metadataV3,
      ECS_AGENT_URI: endpoints.agent,
      DRYDOCK_TASK_ARN: task([]).taskArn,
      DRYDOCK_TASK_ID: '0123456789abcdef0123456789abcdef',
      DRYDOCK_CLUSTER_ARN: task([]).clusterArn,
      DRYDOCK_CONTAINER_INSTANCE_ARN: task([]).containerInstanceArn,
      DRYDOCK_EC2_INSTANCE_ID: 'i-0123456789abcdef0',
      DRYDOCK_AVAILABILITY_ZONE: 'us-east-1a',
      DRYDOCK_CONTAINER_NAME: 'web',
      HOST: '127.1.0.7',
      PORT: '32768',
      PORT_8080: '32768',
      PORT_9090: '32769',
    });
  });

  it('leaves PORT unset without port mappings and the cwd unset without a working directory', () => {
    const plan = planLaunch(task([container()]), container(), context);
    expect(plan.ok && plan.env.PORT).toBeUndefined();
    expect(plan.ok && plan.cwd).toBeUndefined();
  });
});

describe('start failure reasons', () => {
  const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('words a missing executable as runc does', () => {
    expect(spawnFailureReason(errno('ENOENT'), 'no-such-cmd')).toBe(
      'CannotStartContainerError: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "no-such-cmd": executable file not found in $PATH: unknown',
    );
    expect(spawnFailureReason(errno('ENOENT'), '/opt/nope')).toContain(
      'exec: "/opt/nope": stat /opt/nope: no such file',
    );
    expect(spawnFailureReason(errno('EACCES'), '/etc/passwd')).toContain('exec: "/etc/passwd": permission denied');
  });

  it('names a missing working directory', () => {
    expect(missingWorkingDirectoryReason('/nope')).toContain('chdir to cwd ("/nope") set in config.json failed');
  });

  it('keeps reasons within the 1024 characters ECS allows', () => {
    const reason = cannotStart('x'.repeat(5000));
    expect(reason.length).toBe(MAX_REASON_CHARS);
    expect(reason.startsWith('CannotStartContainerError: ')).toBe(true);
  });
});
