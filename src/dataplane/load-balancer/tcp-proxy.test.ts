/**
 * The NLB listener as a client sees it: real loopback sockets, echo servers as targets, and a
 * fake RoutingApi standing in for ELBv2.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import { SystemClock } from '../../kernel/system-clock.js';
import type { LoadBalancerObserver, TargetEndpoint, TcpRouteDecision } from '../../services/elbv2/ports.js';
import { createProxyDataplane } from './proxy-dataplane.js';

const LB_HOST = '127.2.0.42';
const TARGET_HOST = '127.1.0.42';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tcp/1';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function nlb(route: (sourceIp: string) => TcpRouteDecision, timeScale = 1) {
  const clock = new SystemClock({ timeScale });
  const activity: Array<{ id: string; count: number }> = [];
  let boundPort: number | undefined;
  const observer: LoadBalancerObserver = {
    probeCompleted: () => {},
    activityChanged: (_tg, id, _port, count) => activity.push({ id, count }),
    listenerBound: (_arn, _address, port) => (boundPort = port),
    listenerBindFailed: (_arn, message) => {
      throw new Error(message);
    },
  };
  const dataplane = createProxyDataplane({
    clock,
    logger: silentLogger,
    routing: () => ({ routeHttp: () => ({ kind: 'no-targets' }), routeTcp: (_arn, sourceIp) => route(sourceIp) }),
    observer: () => observer,
  });
  cleanups.push(async () => {
    await dataplane.close();
    clock.close();
  });
  dataplane.bindListener({
    listenerArn: 'listener/net/1',
    loadBalancerArn: 'lb',
    protocol: 'TCP',
    address: LB_HOST,
    port: 0,
  });
  await until('bound', () => boundPort);
  const lastCount = (id: string) => activity.filter((a) => a.id === id).at(-1)?.count ?? 0;
  return { dataplane, activity, lastCount, port: boundPort as number };
}

/** An echo server that prefixes every answer with its name; `halfClose` answers "bye" after the client's FIN. */
async function echoTarget(id: string): Promise<{ endpoint: TargetEndpoint; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk) => socket.write(`${id}:${chunk.toString()}`));
    socket.on('end', () => socket.end(`${id}:bye`));
  });
  await new Promise<void>((resolve) => server.listen(0, TARGET_HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => sockets.forEach((socket) => socket.destroy()));
  const { port } = server.address() as net.AddressInfo;
  return { endpoint: { targetGroupArn: TG, id, address: TARGET_HOST, port }, sockets };
}

interface Client {
  socket: net.Socket;
  received: () => string;
  closed: Promise<void>;
  isClosed: () => boolean;
}

async function connect(port: number): Promise<Client> {
  const socket = net.connect({ host: LB_HOST, port, allowHalfOpen: true });
  let received = '';
  let isClosed = false;
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => {});
  // The load balancer closing its side shows as 'end' (this client allows half-open sockets).
  const closed = new Promise<void>((resolve) => {
    const onClosed = () => {
      isClosed = true;
      resolve();
    };
    socket.on('end', onClosed);
    socket.on('close', onClosed);
  });
  cleanups.push(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => received, closed, isClosed: () => isClosed };
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

const forward =
  (...targets: Array<{ endpoint: TargetEndpoint }>) =>
  (): TcpRouteDecision => ({ kind: 'forward', targetGroupArn: TG, candidates: targets.map((t) => t.endpoint) });

describe('NLB TCP listener', () => {
  it('pipes bytes both ways and counts the open connection', async () => {
    const a = await echoTarget('a');
    const lb = await nlb(forward(a));
    const client = await connect(lb.port);
    client.socket.write('hello');
    await until('echo', () => client.received() === 'a:hello');
    await until('counted', () => lb.lastCount('a') === 1);
    client.socket.destroy();
    await until('uncounted', () => lb.lastCount('a') === 0);
  });

  it('carries half-closes: the target still answers after the client is done sending', async () => {
    const a = await echoTarget('a');
    const lb = await nlb(forward(a));
    const client = await connect(lb.port);
    client.socket.end('last words');
    await client.closed;
    expect(client.received()).toBe('a:last wordsa:bye');
  });

  it('keeps each connection on the target it was given', async () => {
    const a = await echoTarget('a');
    const b = await echoTarget('b');
    const lb = await nlb(forward(a, b));
    const clients = await Promise.all(Array.from({ length: 12 }, () => connect(lb.port)));
    for (const [i, client] of clients.entries()) client.socket.write(`${i}.`);
    await until('first answers', () => clients.every((c) => c.received().length > 0));
    const owners = clients.map((c) => c.received().split(':')[0]);
    expect(new Set(owners)).toEqual(new Set(['a', 'b']));
    for (let round = 0; round < 3; round++) {
      for (const client of clients) client.socket.write('x');
      await until('answers', () => clients.every((c) => c.received().split(':').length === round + 3));
    }
    for (const [i, client] of clients.entries()) {
      expect(
        client
          .received()
          .match(/[ab]:/g)
          ?.every((tag) => tag === `${owners[i]}:`),
      ).toBe(true);
    }
  });

  it('closes the connection at once when there is no target, or the target refuses', async () => {
    const lb = await nlb(() => ({ kind: 'no-targets' }));
    await (
      await connect(lb.port)
    ).closed;
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, TARGET_HOST, () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const refused = await nlb(() => ({
      kind: 'forward',
      targetGroupArn: TG,
      candidates: [{ targetGroupArn: TG, id: 'gone', address: TARGET_HOST, port: closedPort }],
    }));
    await (
      await connect(refused.port)
    ).closed;
    await until('gone back to 0', () => refused.activity.length === 0 || refused.lastCount('gone') === 0);
  });

  it('closeConnections closes that target’s connections and no others', async () => {
    const a = await echoTarget('a');
    const b = await echoTarget('b');
    let next = 0;
    const lb = await nlb(() => ({
      kind: 'forward',
      targetGroupArn: TG,
      candidates: [(next++ % 2 === 0 ? a : b).endpoint],
    }));
    const toA = await connect(lb.port);
    const toB = await connect(lb.port);
    await until('both counted', () => lb.lastCount('a') === 1 && lb.lastCount('b') === 1);
    lb.dataplane.closeConnections(TG, 'a', a.endpoint.port);
    await toA.closed;
    await until('a uncounted', () => lb.lastCount('a') === 0);
    toB.socket.write('still here');
    await until('b answers', () => toB.received() === 'b:still here');
    expect(toB.isClosed()).toBe(false);
  });

  it('closes a connection idle for 350 s (on the clock), not one that keeps talking', async () => {
    const a = await echoTarget('a');
    // 350 s of drydock time is 350 ms of wall time.
    const lb = await nlb(forward(a), 1000);
    const idle = await connect(lb.port);
    const chatty = await connect(lb.port);
    const started = Date.now();
    const talk = setInterval(() => chatty.socket.write('.'), 50);
    cleanups.push(() => clearInterval(talk));
    await idle.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(chatty.isClosed()).toBe(false);
  });
});
