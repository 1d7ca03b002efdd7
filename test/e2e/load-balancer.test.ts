/**
 * Load balancers for real: the ELBv2 service (its store, control loop, routing and observer, built
 * as main.ts builds services) with the proxy data plane's real listener sockets, real health probes
 * and real `drydock/http-echo` / `drydock/tcp-echo` processes as targets, on a SystemClock running
 * 20× faster than wall time (a 30 s deregistration delay lasts 1.5 s). Everything listens on
 * loopback; every process is stopped by its pid and every socket closed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageResolver } from '../../src/dataplane/images.js';
import { createProxyDataplane, type ProxyDataplane } from '../../src/dataplane/load-balancer/proxy-dataplane.js';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { SystemClock } from '../../src/kernel/system-clock.js';
import type { InstanceAddressesPort, LoadBalancerObserver } from '../../src/services/elbv2/ports.js';
import { createElbv2Service, type Elbv2Service } from '../../src/services/elbv2/service.js';
import { elbv2Migrations } from '../../src/services/elbv2/store.js';
import { openStore } from '../../src/store/store.js';

const TIME_SCALE = 20;
const ACCOUNT_ID = '123456789012';
const REGION = 'us-east-1';
const VPC_ID = 'vpc-0000000000000000a';
const SUBNETS = ['subnet-0000000000000000a', 'subnet-0000000000000000b'];
const resolveImage = createImageResolver();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// ── the world: ELBv2 + the real data plane ────────────────────────────────────────────────────

interface Bound {
  address: string;
  port: number;
}

function world() {
  const clock = new SystemClock({ timeScale: TIME_SCALE });
  const store = openStore({ location: 'memory', migrations: elbv2Migrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const bound = new Map<string, Bound>();
  const probes: Array<{ targetId: string; ok: boolean; reasonCode?: string; statusCode?: number }> = [];
  /** `<id>:<port>` → the connections (NLB) or requests (ALB) the data plane last reported. */
  const activity = new Map<string, number>();
  // The service's own observer, with the facts this test also wants to see recorded on the way.
  const observer: LoadBalancerObserver = {
    probeCompleted: (tg, id, port, result) => {
      probes.push({ targetId: `${id}:${port}`, ...result });
      service.observer.probeCompleted(tg, id, port, result);
    },
    activityChanged: (tg, id, port, count) => {
      activity.set(`${id}:${port}`, count);
      service.observer.activityChanged(tg, id, port, count);
    },
    listenerBound: (arn, address, port) => {
      bound.set(arn, { address, port });
      service.observer.listenerBound(arn, address, port);
    },
    listenerBindFailed: (arn, message) => service.observer.listenerBindFailed(arn, message),
  };
  const dataplane: ProxyDataplane = createProxyDataplane({
    clock,
    logger: silentLogger,
    routing: () => service.routing,
    observer: () => observer,
  });
  const instances: InstanceAddressesPort = {
    addressOf: () => undefined,
    instanceState: () => undefined,
    availabilityZoneOf: () => undefined,
  };
  // The closures above read `service` only once traffic flows, after it is built.
  const service: Elbv2Service = createElbv2Service({
    store,
    clock,
    random: seededRandom(42),
    controlLoop,
    logger: silentLogger,
    ports: { eventBus: { publish: () => {} }, dataplane, instances },
  });
  cleanups.push(async () => {
    await dataplane.close();
    await controlLoop.stop();
    clock.close();
    store.close();
  });

  const call = <O = Record<string, unknown>>(operation: string, input: object): O => {
    const handler = service.operations[operation];
    if (!handler) throw new Error(`ELBv2 does not implement ${operation}`);
    const context: RequestContext = {
      requestId: 'e2e',
      region: REGION,
      accountId: ACCOUNT_ID,
      serviceId: 'elbv2',
      operationName: operation,
    };
    return handler(input as never, context) as O;
  };

  const healthOf = (targetGroupArn: string) =>
    Object.fromEntries(
      call<{
        TargetHealthDescriptions: Array<{ Target: { Id: string; Port: number }; TargetHealth: { State: string } }>;
      }>('DescribeTargetHealth', { TargetGroupArn: targetGroupArn }).TargetHealthDescriptions.map((d) => [
        `${d.Target.Id}:${d.Target.Port}`,
        d.TargetHealth.State,
      ]),
    );

  return {
    probes,
    activity,
    call,
    healthOf,
    dataplane,
    createLoadBalancer(name: string, type: 'application' | 'network'): string {
      return call<{ LoadBalancers: Array<{ LoadBalancerArn: string }> }>('CreateLoadBalancer', {
        Name: name,
        Type: type,
        Subnets: type === 'application' ? SUBNETS : SUBNETS.slice(0, 1),
      }).LoadBalancers[0]!.LoadBalancerArn;
    },
    createTargetGroup(name: string, protocol: 'HTTP' | 'TCP', extra: Record<string, unknown> = {}): string {
      return call<{ TargetGroups: Array<{ TargetGroupArn: string }> }>('CreateTargetGroup', {
        Name: name,
        Protocol: protocol,
        Port: 8080,
        VpcId: VPC_ID,
        TargetType: 'ip',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        ...extra,
      }).TargetGroups[0]!.TargetGroupArn;
    },
    /** Creates the listener on a free port and waits until its socket is bound. */
    async createListener(loadBalancerArn: string, protocol: 'HTTP' | 'TCP', defaultActions: object[]): Promise<Bound> {
      const port = await freePort();
      const listenerArn = call<{ Listeners: Array<{ ListenerArn: string }> }>('CreateListener', {
        LoadBalancerArn: loadBalancerArn,
        Protocol: protocol,
        Port: port,
        DefaultActions: defaultActions,
      }).Listeners[0]!.ListenerArn;
      return until(`listener on port ${port} bound`, () => bound.get(listenerArn));
    },
    setAttribute(targetGroupArn: string, key: string, value: string): void {
      call('ModifyTargetGroupAttributes', { TargetGroupArn: targetGroupArn, Attributes: [{ Key: key, Value: value }] });
    },
    register(targetGroupArn: string, ...targets: Target[]): void {
      call('RegisterTargets', {
        TargetGroupArn: targetGroupArn,
        Targets: targets.map((t) => ({ Id: t.host, Port: t.port })),
      });
    },
    deregister(targetGroupArn: string, ...targets: Target[]): void {
      call('DeregisterTargets', {
        TargetGroupArn: targetGroupArn,
        Targets: targets.map((t) => ({ Id: t.host, Port: t.port })),
      });
    },
    async untilHealthy(targetGroupArn: string, ...targets: Target[]): Promise<void> {
      await until('targets healthy', () => targets.every((t) => healthOf(targetGroupArn)[t.key] === 'healthy'));
    },
  };
}

// ── targets: drydock images as real processes, or a plain node server ─────────────────────────

interface Target {
  host: string;
  port: number;
  key: string;
}

let nextHost = 70;

/** Runs a drydock image (HOST=127.1.0.x, PORT=0) and waits for its "listening on" line. */
async function runImage(
  image: 'drydock/http-echo' | 'drydock/tcp-echo',
  env: Record<string, string> = {},
): Promise<Target> {
  const resolved = resolveImage(image);
  if (resolved.kind !== 'command') throw new Error(`${image} cannot run: ${JSON.stringify(resolved)}`);
  const host = `127.1.0.${nextHost++}`;
  const [command, ...args] = resolved.argv as [string, ...string[]];
  const child = spawn(command, args, {
    env: { ...process.env, HOST: host, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => stopProcess(child));
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.resume();
  const port = await until(`${image} listening`, () => {
    const match = /listening on [\d.]+:(\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  });
  return { host, port, key: `${host}:${port}` };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const kill = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(kill);
}

/** An in-process HTTP target whose /health answer can be switched to failing. */
async function switchableTarget(name: string): Promise<Target & { failHealth: () => void; hits: () => number }> {
  const host = `127.1.0.${nextHost++}`;
  let healthy = true;
  let hits = 0;
  const server = http.createServer((request, response) => {
    if (request.url === '/health') {
      response.statusCode = healthy ? 200 : 500;
      response.end();
      return;
    }
    hits += 1;
    response.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  const { port } = server.address() as net.AddressInfo;
  return {
    host,
    port,
    key: `${host}:${port}`,
    failHealth: () => (healthy = false),
    hits: () => hits,
  };
}

// ── clients ───────────────────────────────────────────────────────────────────────────────────

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });
cleanups.push(() => keepAlive.destroy());

function get(bound: Bound, path: string, agent: http.Agent | false = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: bound.address, port: bound.port, path, agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

interface TcpClient {
  socket: net.Socket;
  closedAt: () => number | undefined;
  /** Sends `text` and resolves with the echo. */
  roundTrip: (text: string) => Promise<string>;
}

async function tcpConnect(bound: Bound): Promise<TcpClient> {
  const socket = net.connect({ host: bound.address, port: bound.port });
  let closedAt: number | undefined;
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => {});
  socket.on('close', () => (closedAt = Date.now()));
  cleanups.push(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    closedAt: () => closedAt,
    roundTrip: async (text) => {
      received = '';
      socket.write(text);
      return until(`echo of ${text}`, () => (received.length >= text.length ? received : undefined));
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.2.255.250', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** 1 s of drydock time in wall milliseconds. */
const wallMs = (drydockMs: number) => drydockMs / TIME_SCALE;

// ── the scenarios ─────────────────────────────────────────────────────────────────────────────

describe('NLB connection draining with real sockets', () => {
  it.each([
    { termination: true, expect: 'is closed when the delay ends' },
    { termination: false, expect: 'outlives the delay' },
  ])(
    'a long-lived connection survives deregistration; with connection_termination=$termination it $expect',
    async ({ termination }) => {
      const w = world();
      const [a, b] = [await runImage('drydock/tcp-echo'), await runImage('drydock/tcp-echo')];
      const group = w.createTargetGroup(`tcp-${termination}`, 'TCP');
      w.setAttribute(group, 'deregistration_delay.timeout_seconds', '30');
      w.setAttribute(group, 'deregistration_delay.connection_termination.enabled', String(termination));
      const nlb = await w.createListener(w.createLoadBalancer(`nlb-${termination}`, 'network'), 'TCP', [
        { Type: 'forward', TargetGroupArn: group },
      ]);
      // Only A at first, so the long-lived connection is A's.
      w.register(group, a);
      await w.untilHealthy(group, a);
      const longLived = await tcpConnect(nlb);
      expect(await longLived.roundTrip('before')).toBe('before');
      await until('A carries the connection', () => w.activity.get(a.key) === 1);
      w.register(group, b);
      await w.untilHealthy(group, b);

      const deregisteredAt = Date.now();
      w.deregister(group, a);
      expect(w.healthOf(group)[a.key]).toBe('draining');

      // New connections go to B only.
      const fresh = await Promise.all([tcpConnect(nlb), tcpConnect(nlb), tcpConnect(nlb)]);
      for (const client of fresh) expect(await client.roundTrip('new')).toBe('new');
      await until('B carries the new connections', () => w.activity.get(b.key) === 3);
      expect(w.activity.get(a.key)).toBe(1);

      // Within the delay the draining connection works.
      await new Promise((resolve) => setTimeout(resolve, wallMs(20_000)));
      expect(await longLived.roundTrip('during the drain')).toBe('during the drain');
      expect(longLived.closedAt()).toBeUndefined();

      // The delay ends: A is no longer registered.
      await until('A unused', () => w.healthOf(group)[a.key] === undefined);
      if (termination) {
        const closedAt = await until('the connection closed', () => longLived.closedAt());
        expect(closedAt - deregisteredAt).toBeGreaterThanOrEqual(wallMs(30_000) - 50);
      } else {
        await new Promise((resolve) => setTimeout(resolve, wallMs(10_000)));
        expect(longLived.closedAt()).toBeUndefined();
        expect(await longLived.roundTrip('after the delay')).toBe('after the delay');
      }
      for (const client of fresh) expect(client.closedAt()).toBeUndefined();
    },
  );
});

describe('ALB with real sockets', () => {
  it('a request in flight during deregistration completes; new requests go to the other target', async () => {
    const w = world();
    const [a, b] = [
      await runImage('drydock/http-echo', { HTTP_ECHO_MESSAGE: 'A' }),
      await runImage('drydock/http-echo', { HTTP_ECHO_MESSAGE: 'B' }),
    ];
    const group = w.createTargetGroup('web', 'HTTP', { HealthCheckPath: '/' });
    w.setAttribute(group, 'deregistration_delay.timeout_seconds', '60');
    const alb = await w.createListener(w.createLoadBalancer('front', 'application'), 'HTTP', [
      { Type: 'forward', TargetGroupArn: group },
    ]);
    // Only A at first, so the slow request is A's; B joins while it is in flight.
    w.register(group, a);
    await w.untilHealthy(group, a);
    const slow = get(alb, '/?delay=2000');
    w.register(group, b);
    await w.untilHealthy(group, b);
    const answeredBy = async () => (JSON.parse((await get(alb, '/', keepAlive)).body) as { message: string }).message;
    expect(new Set([await answeredBy(), await answeredBy()])).toEqual(new Set(['A', 'B']));

    w.deregister(group, a);
    expect(w.healthOf(group)[a.key]).toBe('draining');
    for (let i = 0; i < 6; i++) expect(await answeredBy()).toBe('B');
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ message: 'A', delayMs: 2000 });
    // The drain completed early (nothing left in flight) but A shows draining until the delay ends.
    expect(w.healthOf(group)[a.key]).toBe('draining');
    await until('A gone after the delay', () => w.healthOf(group)[a.key] === undefined, wallMs(60_000) + 3_000);
  });

  it('a 3:1 weighted forward splits 1,000 requests within ±5 %', async () => {
    const w = world();
    const [blue, green] = [
      await runImage('drydock/http-echo', { HTTP_ECHO_MESSAGE: 'blue' }),
      await runImage('drydock/http-echo', { HTTP_ECHO_MESSAGE: 'green' }),
    ];
    const blueGroup = w.createTargetGroup('blue', 'HTTP', { HealthCheckPath: '/' });
    const greenGroup = w.createTargetGroup('green', 'HTTP', { HealthCheckPath: '/' });
    const alb = await w.createListener(w.createLoadBalancer('weighted', 'application'), 'HTTP', [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: blueGroup, Weight: 3 },
            { TargetGroupArn: greenGroup, Weight: 1 },
          ],
        },
      },
    ]);
    w.register(blueGroup, blue);
    w.register(greenGroup, green);
    await w.untilHealthy(blueGroup, blue);
    await w.untilHealthy(greenGroup, green);
    const counts = { blue: 0, green: 0 } as Record<string, number>;
    const workers = Array.from({ length: 8 }, async (_, worker) => {
      for (let i = worker; i < 1000; i += 8) {
        const answer = await get(alb, '/', keepAlive);
        expect(answer.status).toBe(200);
        const { message } = JSON.parse(answer.body) as { message: string };
        counts[message] = (counts[message] ?? 0) + 1;
      }
    });
    await Promise.all(workers);
    expect(counts.blue! + counts.green!).toBe(1000);
    expect(counts.blue! / 1000).toBeGreaterThanOrEqual(0.7);
    expect(counts.blue! / 1000).toBeLessThanOrEqual(0.8);
  });

  it('a target whose health endpoint starts failing goes unhealthy after the threshold and stops receiving requests', async () => {
    const w = world();
    const [sick, well] = [await switchableTarget('sick'), await switchableTarget('well')];
    const group = w.createTargetGroup('checked', 'HTTP', { HealthCheckPath: '/health', Matcher: { HttpCode: '200' } });
    const alb = await w.createListener(w.createLoadBalancer('checked', 'application'), 'HTTP', [
      { Type: 'forward', TargetGroupArn: group },
    ]);
    w.register(group, sick, well);
    await w.untilHealthy(group, sick, well);
    for (let i = 0; i < 4; i++) await get(alb, '/', keepAlive);
    expect(sick.hits()).toBeGreaterThan(0);

    sick.failHealth();
    await until('sick unhealthy', () => w.healthOf(group)[sick.key] === 'unhealthy', 5_000);
    const failures = w.probes.filter((p) => p.targetId === sick.key && !p.ok);
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toMatchObject({ reasonCode: 'Target.ResponseCodeMismatch', statusCode: 500 });
    const health = w.call<{ TargetHealthDescriptions: Array<{ TargetHealth: object }> }>('DescribeTargetHealth', {
      TargetGroupArn: group,
      Targets: [{ Id: sick.host, Port: sick.port }],
    }).TargetHealthDescriptions[0]!.TargetHealth;
    expect(health).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [500]',
    });

    const hitsBefore = sick.hits();
    for (let i = 0; i < 20; i++) expect((await get(alb, '/', keepAlive)).body).toBe('well');
    expect(sick.hits()).toBe(hitsBefore);
  });
});
