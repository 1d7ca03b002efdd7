/**
 * The process task runtime with real processes, real sockets and the system clock: what a user
 * of `drydock up` gets when ECS runs a task. Short timeouts keep it quick; every child is
 * stopped by pid (the runtime's close()) and everything listens on loopback.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/kernel/system-clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { createProcessTaskRuntime, type ProcessTaskRuntime } from '../../src/dataplane/process-task-runtime.js';
import type { AgentApi, ContainerSpec, TaskRuntimeListener, TaskSpec } from '../../src/services/ecs/ports.js';

const HOST = '127.1.0.9';
const NODE = process.execPath;

type RuntimeEvent =
  | { kind: 'started'; taskArn: string; container: string; pid: number | undefined; at: number }
  | { kind: 'exited'; taskArn: string; container: string; exitCode: number | null; reason: string; at: number }
  | { kind: 'health'; taskArn: string; container: string; status: string; at: number };

let runtime: ProcessTaskRuntime | undefined;
let clock: SystemClock | undefined;
afterEach(async () => {
  await runtime?.close();
  clock?.close();
  runtime = undefined;
  clock = undefined;
});

let taskSeq = 0;
function taskSpec(containers: ContainerSpec[]): TaskSpec {
  taskSeq += 1;
  const taskId = `${String(taskSeq).padStart(4, '0')}${'e'.repeat(28)}`;
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/default/${taskId}`,
    taskId,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/c1',
    ec2InstanceId: 'i-0123456789abcdef0',
    availabilityZone: 'us-east-1a',
    family: 'e2e',
    revision: 1,
    hostAddress: HOST,
    containers,
  };
}

function container(name: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name,
    image: 'example/app:latest',
    essential: true,
    entryPoint: [],
    command: [],
    environment: {},
    portMappings: [],
    stopTimeoutMs: 5_000,
    dependsOn: [],
    ...overrides,
  };
}

/** A `node -e` program as a container command. */
const nodeCommand = (source: string) => [NODE, '-e', source];

function harness(agentApi: Partial<AgentApi> = {}, timeScale = 1) {
  const events: RuntimeEvent[] = [];
  const listener: TaskRuntimeListener = {
    containerStarted: (taskArn, container, pid) =>
      events.push({ kind: 'started', taskArn, container, pid, at: Date.now() }),
    containerExited: (taskArn, container, exitCode, reason) =>
      events.push({ kind: 'exited', taskArn, container, exitCode, reason, at: Date.now() }),
    containerHealthChanged: (taskArn, container, status) =>
      events.push({ kind: 'health', taskArn, container, status, at: Date.now() }),
  };
  const api: AgentApi = {
    taskMetadata: () => undefined,
    containerMetadata: () => undefined,
    getTaskProtection: (taskArn) => ({
      protection: { ProtectionEnabled: false, ExpirationDate: null, TaskArn: taskArn },
    }),
    putTaskProtection: () => ({ status: 200, body: {} }),
    ...agentApi,
  };
  clock = new SystemClock({ timeScale });
  runtime = createProcessTaskRuntime({ clock, logger: silentLogger, listener: () => listener, agentApi: () => api });
  const find = <K extends RuntimeEvent['kind']>(kind: K, name: string) =>
    events.find(
      (event): event is Extract<RuntimeEvent, { kind: K }> => event.kind === kind && event.container === name,
    );
  const waitFor = async <T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const logText = (taskArn: string, name: string) =>
    runtime!
      .logs(taskArn, name)
      .flatMap((entry) => entry.lines.map((line) => line.line))
      .join('\n');
  return { runtime: runtime, events, find, waitFor, logText };
}

/** A free port on HOST (bound, then released for the container to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('process task runtime', () => {
  it('SIGKILLs a container that ignores SIGTERM after its stopTimeout: exit code 137', async () => {
    const { runtime, find, waitFor, logText } = harness();
    const task = taskSpec([
      container('stubborn', {
        command: nodeCommand(
          "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000);",
        ),
        stopTimeoutMs: 400,
      }),
    ]);
    runtime.start(task);
    const started = await waitFor('start', () => find('started', 'stubborn'));
    expect(started.pid).toBeGreaterThan(0);
    await waitFor('ready', () => logText(task.taskArn, 'stubborn').includes('ready'));
    const stoppedAt = Date.now();
    runtime.stop(task.taskArn);
    const exited = await waitFor('exit', () => find('exited', 'stubborn'));
    expect(exited.exitCode).toBe(137);
    expect(exited.reason).toBe('');
    expect(exited.at - stoppedAt).toBeGreaterThanOrEqual(350);
    expect(logText(task.taskArn, 'stubborn')).toContain('ignoring SIGTERM');
  });

  it('drydock/http-echo answers on HOST:PORT, finishes an in-flight request after SIGTERM, and exits 0 promptly', async () => {
    const { runtime, find, waitFor, logText } = harness();
    const port = await freePort();
    const task = taskSpec([
      container('web', {
        image: 'drydock/http-echo',
        portMappings: [{ containerPort: 8080, hostPort: port, protocol: 'tcp' }],
        stopTimeoutMs: 10_000,
      }),
    ]);
    runtime.start(task);
    await waitFor('listening', () => logText(task.taskArn, 'web').includes('listening'));
    const answer = (await (await fetch(`http://${HOST}:${port}/hello`)).json()) as Record<string, unknown>;
    expect(answer).toMatchObject({
      taskArn: task.taskArn,
      taskId: task.taskId,
      container: 'web',
      instance: 'i-0123456789abcdef0',
      host: HOST,
      port,
      path: '/hello',
    });

    const slow = fetch(`http://${HOST}:${port}/slow?delay=700`).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      at: Date.now(),
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stoppedAt = Date.now();
    runtime.stop(task.taskArn);
    const finished = await slow;
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ delayMs: 700, shuttingDown: true });
    const exited = await waitFor('exit', () => find('exited', 'web'));
    expect(exited.exitCode).toBe(0);
    expect(exited.at - stoppedAt).toBeLessThan(3_000);
    expect(exited.at).toBeGreaterThanOrEqual(finished.at - 5);
    await expect(fetch(`http://${HOST}:${port}/`)).rejects.toThrow();
    expect(logText(task.taskArn, 'web')).toContain('SIGTERM received');
  });

  it('drydock/crash exits with its CRASH_EXIT_CODE, and its output is in the logs with timestamps', async () => {
    const { runtime, find, waitFor } = harness();
    const task = taskSpec([
      container('crash', {
        image: 'drydock/crash:latest',
        environment: { CRASH_EXIT_CODE: '3', CRASH_AFTER_MS: '50' },
      }),
    ]);
    const before = Date.now();
    runtime.start(task);
    const exited = await waitFor('crash', () => find('exited', 'crash'));
    expect(exited.exitCode).toBe(3);
    const [logs] = runtime.logs(task.taskArn);
    expect(logs?.containerName).toBe('crash');
    expect(logs?.lines).toContainEqual(
      expect.objectContaining({ stream: 'stderr', line: 'crash: exiting with code 3' }),
    );
    expect(logs?.lines[0]?.atMs).toBeGreaterThanOrEqual(before - 1000);
  });

  it('reports a container that cannot start as exitCode null with a reason, and keeps running other tasks', async () => {
    const { runtime, find, waitFor } = harness();
    const task = taskSpec([
      container('missing', { command: ['drydock-no-such-command', '--flag'] }),
      container('nowhere', { command: nodeCommand('0'), workingDirectory: '/drydock/no/such/dir' }),
      container('nocommand', { image: 'nginx:latest' }),
    ]);
    runtime.start(task);
    const missing = await waitFor('missing', () => find('exited', 'missing'));
    expect(missing.exitCode).toBeNull();
    expect(missing.reason).toMatch(
      /^CannotStartContainerError: .*exec: "drydock-no-such-command": executable file not found in \$PATH/,
    );
    const nowhere = await waitFor('nowhere', () => find('exited', 'nowhere'));
    expect(nowhere).toMatchObject({
      exitCode: null,
      reason: expect.stringContaining('chdir to cwd ("/drydock/no/such/dir")'),
    });
    const nocommand = await waitFor('nocommand', () => find('exited', 'nocommand'));
    expect(nocommand).toMatchObject({
      exitCode: null,
      reason: 'CannotStartContainerError: Error response from daemon: No command specified',
    });
    expect(find('started', 'missing')).toBeUndefined();

    const next = taskSpec([container('fine', { command: nodeCommand('process.exit(0)') })]);
    runtime.start(next);
    expect((await waitFor('fine', () => find('exited', 'fine'))).exitCode).toBe(0);
  });

  it('runs container health checks on the clock: HEALTHY, UNHEALTHY, and HEALTHY dependencies gate start', async () => {
    const { runtime, find, waitFor } = harness();
    const idle = nodeCommand('setInterval(() => {}, 1000)');
    const healthCheck = (command: string[]) => ({
      command,
      intervalMs: 100,
      timeoutMs: 1_000,
      retries: 2,
      startPeriodMs: 0,
    });
    const task = taskSpec([
      container('good', { command: idle, healthCheck: healthCheck(['CMD-SHELL', 'test -n "$HOST"']) }),
      container('bad', { command: idle, healthCheck: healthCheck(['CMD', 'false']) }),
      container('slow', { command: idle, healthCheck: healthCheck(['CMD', 'sleep', '5']), essential: false }),
      container('after-good', { command: idle, dependsOn: [{ containerName: 'good', condition: 'HEALTHY' }] }),
    ]);
    task.containers[2]!.healthCheck!.timeoutMs = 100;
    task.containers[2]!.healthCheck!.retries = 1;
    runtime.start(task);
    const good = await waitFor('good healthy', () => find('health', 'good'));
    expect(good.status).toBe('HEALTHY');
    const bad = await waitFor('bad unhealthy', () => find('health', 'bad'));
    expect(bad.status).toBe('UNHEALTHY');
    const slow = await waitFor('slow probe timed out', () => find('health', 'slow'));
    expect(slow.status).toBe('UNHEALTHY');
    const dependent = await waitFor('after-good started', () => find('started', 'after-good'));
    expect(dependent.at).toBeGreaterThanOrEqual(good.at);
    runtime.stop(task.taskArn);
    await waitFor('all exited', () => ['good', 'bad', 'slow', 'after-good'].every((name) => find('exited', name)));
  });

  it('honours dependsOn: SUCCESS waits for the exit, and shutdown runs dependents first', async () => {
    const { runtime, find, waitFor, logText } = harness();
    const slowToStop = nodeCommand(
      "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 300)); console.log('ready'); setInterval(() => {}, 1000);",
    );
    const task = taskSpec([
      container('app', {
        command: slowToStop,
        dependsOn: [
          { containerName: 'init', condition: 'SUCCESS' },
          { containerName: 'proxy', condition: 'START' },
        ],
      }),
      container('init', { command: nodeCommand('setTimeout(() => process.exit(0), 100)'), essential: false }),
      container('proxy', { command: nodeCommand('setInterval(() => {}, 1000)') }),
    ]);
    runtime.start(task);
    const appStarted = await waitFor('app started', () => find('started', 'app'));
    const initExited = find('exited', 'init');
    expect(initExited?.exitCode).toBe(0);
    expect(appStarted.at).toBeGreaterThanOrEqual(initExited!.at);
    await waitFor('app ready', () => logText(task.taskArn, 'app').includes('ready'));
    runtime.stop(task.taskArn);
    const proxyExited = await waitFor('proxy exited', () => find('exited', 'proxy'));
    const appExited = find('exited', 'app');
    expect(appExited?.exitCode).toBe(0);
    expect(proxyExited.exitCode).toBe(143);
    expect(proxyExited.at).toBeGreaterThanOrEqual(appExited!.at);
  });

  it("serves the task metadata and agent endpoints to the task's processes from AgentApi", async () => {
    let protection = { ProtectionEnabled: false, ExpirationDate: null as string | null };
    const seen: unknown[] = [];
    const { runtime, find, waitFor, logText } = harness({
      taskMetadata: (taskArn) => ({ Cluster: 'default', TaskARN: taskArn, Family: 'e2e', Revision: '1' }),
      containerMetadata: (taskArn, name) => ({ Name: name, DockerId: `docker-${name}`, TaskARN: taskArn }),
      getTaskProtection: (taskArn) => ({ protection: { ...protection, TaskArn: taskArn } }),
      putTaskProtection: (taskArn, body) => {
        seen.push(body);
        protection = { ProtectionEnabled: body.ProtectionEnabled === true, ExpirationDate: '2026-01-01T02:00:00Z' };
        return { status: 200, body: { protection: { ...protection, TaskArn: taskArn } } };
      },
    });
    const script = `
      const v4 = process.env.ECS_CONTAINER_METADATA_URI_V4;
      const agent = process.env.ECS_AGENT_URI;
      const show = async (label, response) => console.log(label, response.status, JSON.stringify(await response.json()));
      (async () => {
        await show('task', await fetch(v4 + '/task'));
        await show('container', await fetch(v4));
        const stats = await (await fetch(v4 + '/stats')).json();
        console.log('stats', stats.memory_stats.usage > 0, stats.cpu_stats.cpu_usage.total_usage > 0, stats.id);
        const taskStats = await (await fetch(v4 + '/task/stats')).json();
        console.log('taskstats', Object.keys(taskStats).join(','));
        const state = agent + '/task-protection/v1/state';
        await show('put', await fetch(state, { method: 'PUT', body: JSON.stringify({ ProtectionEnabled: true, ExpiresInMinutes: 120 }) }));
        await show('get', await fetch(state));
        await show('bad', await fetch(state, { method: 'PUT', body: '{oops' }));
      })();
    `;
    const task = taskSpec([container('probe', { command: nodeCommand(script) })]);
    runtime.start(task);
    const exited = await waitFor('probe exited', () => find('exited', 'probe'));
    expect(exited.exitCode).toBe(0);
    const lines = logText(task.taskArn, 'probe').split('\n');
    expect(lines).toContain(
      `task 200 ${JSON.stringify({ Cluster: 'default', TaskARN: task.taskArn, Family: 'e2e', Revision: '1' })}`,
    );
    expect(lines).toContain(
      `container 200 ${JSON.stringify({ Name: 'probe', DockerId: 'docker-probe', TaskARN: task.taskArn })}`,
    );
    expect(lines).toContain('stats true true docker-probe');
    expect(lines).toContain('taskstats docker-probe');
    const protectedBody = {
      protection: { ProtectionEnabled: true, ExpirationDate: '2026-01-01T02:00:00Z', TaskArn: task.taskArn },
    };
    expect(lines).toContain(`put 200 ${JSON.stringify(protectedBody)}`);
    expect(lines).toContain(`get 200 ${JSON.stringify(protectedBody)}`);
    expect(lines).toContain(
      `bad 400 ${JSON.stringify({ error: { Arn: '', Code: 'InvalidParameterException', Message: 'UpdateTaskProtection: failed to decode request' } })}`,
    );
    expect(seen).toEqual([{ ProtectionEnabled: true, ExpiresInMinutes: 120 }]);
  });

  it('runs stopTimeout on the drydock clock: at --time-scale 60 a 30 s stopTimeout lasts half a second', async () => {
    const { runtime, find, waitFor, logText } = harness({}, 60);
    const task = taskSpec([
      container('stubborn', {
        command: nodeCommand("process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);"),
        stopTimeoutMs: 30_000,
      }),
    ]);
    runtime.start(task);
    await waitFor('ready', () => logText(task.taskArn, 'stubborn').includes('ready'));
    const stoppedAt = Date.now();
    runtime.stop(task.taskArn);
    const exited = await waitFor('exit', () => find('exited', 'stubborn'), 5_000);
    expect(exited.exitCode).toBe(137);
    expect(exited.at - stoppedAt).toBeGreaterThanOrEqual(450);
    expect(exited.at - stoppedAt).toBeLessThan(3_000);
  });

  it('drydock/worker takes WORKER_SHUTDOWN_MS after SIGTERM; drydock/tcp-echo keeps open connections until they close', async () => {
    const { runtime, find, waitFor, logText } = harness();
    const port = await freePort();
    const task = taskSpec([
      container('worker', { image: 'drydock/worker', environment: { WORKER_SHUTDOWN_MS: '300' } }),
      container('echo', {
        image: 'drydock/tcp-echo',
        portMappings: [{ containerPort: 9000, hostPort: port, protocol: 'tcp' }],
      }),
    ]);
    runtime.start(task);
    await waitFor('worker started', () => logText(task.taskArn, 'worker').includes('worker started'));
    await waitFor('echo listening', () => logText(task.taskArn, 'echo').includes('listening'));
    const socket = net.connect(port, HOST);
    const received: string[] = [];
    socket.on('data', (chunk) => received.push(chunk.toString()));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('one');
    await waitFor('echo', () => received.join('') === 'one');

    const stoppedAt = Date.now();
    runtime.stop(task.taskArn);
    await waitFor('echo draining', () => logText(task.taskArn, 'echo').includes('draining 1 connection'));
    socket.write('two');
    await waitFor('echo while draining', () => received.join('') === 'onetwo');
    const worker = await waitFor('worker exit', () => find('exited', 'worker'));
    expect(worker.exitCode).toBe(0);
    expect(worker.at - stoppedAt).toBeGreaterThanOrEqual(250);
    expect(find('exited', 'echo')).toBeUndefined();
    socket.end();
    const echo = await waitFor('echo exit', () => find('exited', 'echo'));
    expect(echo.exitCode).toBe(0);
  });

  it('close() SIGKILLs every child it started', async () => {
    const { runtime, find, waitFor } = harness();
    const task = taskSpec([
      container('stubborn', {
        command: nodeCommand("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"),
        stopTimeoutMs: 60_000,
      }),
    ]);
    runtime.start(task);
    const started = await waitFor('start', () => find('started', 'stubborn'));
    await runtime.close();
    expect(() => process.kill(started.pid!, 0)).toThrow();
  });
});
