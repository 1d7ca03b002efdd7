/**
 * Listener sockets: binding, failures reported (never thrown), the privileged-port offset,
 * rebinding on a new port, unbinding and shutting the whole data plane down.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import { SystemClock } from '../../kernel/system-clock.js';
import type { ListenerBinding, LoadBalancerObserver, TargetEndpoint } from '../../services/elbv2/ports.js';
import { createProxyDataplane } from './proxy-dataplane.js';

const LB_HOST = '127.2.0.43';
const TARGET_HOST = '127.1.0.43';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tcp/1';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Event =
  { kind: 'bound'; arn: string; address: string; port: number } | { kind: 'failed'; arn: string; message: string };

async function echoTarget(): Promise<TargetEndpoint> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, TARGET_HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => sockets.forEach((socket) => socket.destroy()));
  return { targetGroupArn: TG, id: 'i-echo', address: TARGET_HOST, port: (server.address() as net.AddressInfo).port };
}

function dataplane(options: { privilegedPortOffset?: number; target?: TargetEndpoint } = {}) {
  const clock = new SystemClock();
  const events: Event[] = [];
  const observer: LoadBalancerObserver = {
    probeCompleted: () => {},
    activityChanged: () => {},
    listenerBound: (arn, address, port) => events.push({ kind: 'bound', arn, address, port }),
    listenerBindFailed: (arn, message) => events.push({ kind: 'failed', arn, message }),
  };
  const { target } = options;
  const plane = createProxyDataplane({
    clock,
    logger: silentLogger,
    routing: () => ({
      routeHttp: () => ({ kind: 'fixed-response', statusCode: 200, body: 'fixed' }),
      routeTcp: () => (target ? { kind: 'forward', targetGroupArn: TG, candidates: [target] } : { kind: 'no-targets' }),
    }),
    observer: () => observer,
    ...(options.privilegedPortOffset !== undefined ? { privilegedPortOffset: options.privilegedPortOffset } : {}),
  });
  cleanups.push(async () => {
    await plane.close();
    clock.close();
  });
  const next = (count: number) => until(`${count} events`, () => events.length >= count && events[count - 1]);
  return { plane, events, next };
}

const binding = (port: number, overrides: Partial<ListenerBinding> = {}): ListenerBinding => ({
  listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/net/lb/1/1',
  loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/lb/1',
  protocol: 'TCP',
  address: LB_HOST,
  port,
  ...overrides,
});

async function freePort(host = LB_HOST, above = 0): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const { port: chosen } = server.address() as net.AddressInfo;
        server.close(() => resolve(chosen));
      });
    });
    if (port > above) return port;
  }
}

async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, LB_HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

function connectable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LB_HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('proxy data plane listeners', () => {
  it('binds at the load balancer address and reports the real port; the same binding again is a no-op', async () => {
    const { plane, events, next } = dataplane();
    const port = await freePort();
    plane.bindListener(binding(port));
    expect(await next(1)).toEqual({ kind: 'bound', arn: binding(port).listenerArn, address: LB_HOST, port });
    expect(await connectable(port)).toBe(true);
    plane.bindListener(binding(port));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events).toHaveLength(1);
  });

  it('reports a taken port with a message naming it and the way out, and retries the same binding later', async () => {
    const { plane, next } = dataplane();
    const port = await freePort();
    const squatter = await occupy(port);
    expect(() => plane.bindListener(binding(port))).not.toThrow();
    const failure = await next(1);
    expect(failure).toMatchObject({ kind: 'failed' });
    expect(failure.kind === 'failed' && failure.message).toContain(`${LB_HOST}:${port}`);
    expect(failure.kind === 'failed' && failure.message).toContain('already in use');
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    plane.bindListener(binding(port));
    expect(await next(2)).toMatchObject({ kind: 'bound', port });
  });

  it('serves a privileged port at port + privilegedPortOffset', async () => {
    const real = await freePort(LB_HOST, 1100);
    const { plane, next } = dataplane({ privilegedPortOffset: real - 80 });
    plane.bindListener(binding(80, { protocol: 'HTTP' }));
    expect(await next(1)).toMatchObject({ kind: 'bound', address: LB_HOST, port: real });
    const answer = await fetch(`http://${LB_HOST}:${real}/`);
    expect(await answer.text()).toBe('fixed');
  });

  it('without an offset, a privileged port binds only as root and otherwise says how to serve it', async () => {
    const address = '127.2.0.243';
    const { plane, next } = dataplane();
    plane.bindListener(binding(81, { address }));
    const event = await next(1);
    if (process.getuid?.() === 0) expect(event).toMatchObject({ kind: 'bound', port: 81 });
    else {
      expect(event).toMatchObject({ kind: 'failed' });
      expect(event.kind === 'failed' && event.message).toContain('--privileged-port-offset 8000 to serve it on 8081');
    }
  });

  it('rebinds on a new port: the old one stops accepting, its open connections carry on', async () => {
    const target = await echoTarget();
    const { plane, next } = dataplane({ target });
    const [first, second] = [await freePort(), await freePort()];
    plane.bindListener(binding(first));
    await next(1);
    const open = net.connect({ host: LB_HOST, port: first });
    await new Promise((resolve) => open.once('connect', resolve));
    cleanups.push(() => {
      open.destroy();
    });
    plane.bindListener(binding(second));
    expect(await next(2)).toMatchObject({ kind: 'bound', port: second });
    expect(await connectable(second)).toBe(true);
    expect(await connectable(first)).toBe(false);
    open.write('still works');
    const echoed = await new Promise<string>((resolve) =>
      open.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(echoed).toBe('still works');
  });

  it('unbinding closes the socket and the connections it accepted', async () => {
    const target = await echoTarget();
    const { plane, next } = dataplane({ target });
    const port = await freePort();
    plane.bindListener(binding(port));
    await next(1);
    const open = net.connect({ host: LB_HOST, port });
    await new Promise((resolve) => open.once('connect', resolve));
    const closed = new Promise((resolve) => open.once('close', resolve));
    open.on('error', () => {});
    plane.unbindListener(binding(port).listenerArn);
    await closed;
    expect(await connectable(port)).toBe(false);
    plane.unbindListener('never bound');
  });

  it('close() closes every listener and connection and turns later calls into no-ops', async () => {
    const target = await echoTarget();
    const { plane, events, next } = dataplane({ target });
    const [tcpPort, httpPort] = [await freePort(), await freePort()];
    plane.bindListener(binding(tcpPort));
    plane.bindListener(binding(httpPort, { listenerArn: 'http-listener', protocol: 'HTTP' }));
    await next(2);
    const open = net.connect({ host: LB_HOST, port: tcpPort });
    open.on('error', () => {});
    await new Promise((resolve) => open.once('connect', resolve));
    const closed = new Promise((resolve) => open.once('close', resolve));
    await plane.close();
    await closed;
    expect(await connectable(tcpPort)).toBe(false);
    expect(await connectable(httpPort)).toBe(false);
    plane.bindListener(binding(tcpPort));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events).toHaveLength(2);
  });
});
