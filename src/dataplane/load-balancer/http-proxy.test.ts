/**
 * The ALB listener as a client sees it: real loopback sockets, targets that are plain node
 * servers, and a fake RoutingApi standing in for ELBv2's rules.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import { SystemClock } from '../../kernel/system-clock.js';
import type {
  HttpRequestInfo,
  HttpRouteDecision,
  LoadBalancerObserver,
  TargetEndpoint,
} from '../../services/elbv2/ports.js';
import { createProxyDataplane } from './proxy-dataplane.js';

const LB_HOST = '127.2.0.41';
const TARGET_HOST = '127.1.0.41';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Route = (request: HttpRequestInfo) => HttpRouteDecision;

async function alb(route: Route, timeScale = 1) {
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
    routing: () => ({ routeHttp: (_arn, request) => route(request), routeTcp: () => ({ kind: 'no-targets' }) }),
    observer: () => observer,
  });
  cleanups.push(async () => {
    await dataplane.close();
    clock.close();
  });
  dataplane.bindListener({
    listenerArn: 'listener/app/1',
    loadBalancerArn: 'lb',
    protocol: 'HTTP',
    address: LB_HOST,
    port: 0,
  });
  await until('bound', () => boundPort);
  return { dataplane, activity, port: boundPort as number, url: `http://${LB_HOST}:${boundPort}` };
}

interface Target {
  endpoint: TargetEndpoint;
  server: http.Server;
  connections: () => number;
}

async function target(id: string, handler: http.RequestListener): Promise<Target> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, TARGET_HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  const { port } = server.address() as net.AddressInfo;
  return { endpoint: { targetGroupArn: TG, id, address: TARGET_HOST, port }, server, connections: () => connections };
}

const forward =
  (...targets: Target[]): Route =>
  () => ({
    kind: 'forward',
    targetGroupArn: TG,
    candidates: targets.map((t) => t.endpoint),
    algorithm: 'round_robin',
  });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });
cleanups.push(() => keepAlive.destroy());

function request(
  url: string,
  options: http.RequestOptions & { body?: string | Buffer | string[] } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { body, ...rest } = options;
    const req = http.request(url, { agent: false, ...rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const piece of body) req.write(piece);
      req.end();
    } else req.end(body);
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

/** A target that answers with the request it received, as JSON. */
const echoRequest: http.RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.stringify({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
};

describe('ALB HTTP listener', () => {
  it('forwards method, path, query and body with X-Forwarded-For appended and -Proto/-Port set', async () => {
    const t = await target('i-a', echoRequest);
    const lb = await alb(forward(t));
    const answer = await request(`${lb.url}/orders/7?x=1&y=2`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/orders/7?x=1&y=2');
    expect(seen.body).toBe('payload');
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-port']).toBe(String(lb.port));
    expect(seen.headers.host).toBe(`${LB_HOST}:${lb.port}`);
    expect(seen.headers['content-type']).toBe('text/plain');
  });

  it('gives the routing the method, path, query, headers and source address', async () => {
    const t = await target('i-a', echoRequest);
    const seen: HttpRequestInfo[] = [];
    const lb = await alb((info) => {
      seen.push(info);
      return forward(t)(info);
    });
    await request(`${lb.url}/api/items?color=red`, { method: 'PUT', headers: { 'x-env': 'blue' }, body: '' });
    expect(seen[0]).toMatchObject({ method: 'PUT', path: '/api/items', sourceIp: '127.0.0.1' });
    expect(seen[0]?.query.get('color')).toBe('red');
    expect(seen[0]?.headers['x-env']).toBe('blue');
  });

  it('drops hop-by-hop headers both ways, and those the Connection header names', async () => {
    const t = await target('i-a', (req, res) => {
      const body = JSON.stringify(req.headers);
      res.writeHead(200, 'Fine Thanks', [
        'Content-Length',
        String(Buffer.byteLength(body)),
        'Connection',
        'keep-alive, X-Internal',
        'X-Internal',
        'secret',
        'Keep-Alive',
        'timeout=5',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
      ]);
      res.end(body);
    });
    const lb = await alb(forward(t));
    const answer = await request(`${lb.url}/`, {
      headers: {
        connection: 'keep-alive, x-private',
        'x-private': '1',
        'keep-alive': 'timeout=9',
        te: 'trailers',
        'x-kept': 'yes',
      },
    });
    const seen = JSON.parse(answer.body) as Record<string, string>;
    expect(seen['x-private']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['x-kept']).toBe('yes');
    expect(answer.headers['x-internal']).toBeUndefined();
    // node's server announces its own keep-alive timeout; the target's does not come through.
    expect(answer.headers['keep-alive']).not.toBe('timeout=5');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('streams a chunked response as it comes, and a chunked request body', async () => {
    let release: () => void = () => {};
    const t = await target('i-a', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(`got ${Buffer.concat(chunks).toString()};`);
        release = () => res.end('second part');
      });
    });
    const lb = await alb(forward(t));
    const first = await new Promise<{ res: http.IncomingMessage; chunk: string }>((resolve, reject) => {
      const req = http.request(`${lb.url}/`, { method: 'POST', agent: false }, (res) =>
        res.once('data', (chunk: Buffer) => resolve({ res, chunk: chunk.toString() })),
      );
      req.on('error', reject);
      // No Content-Length: node sends the body chunked.
      req.write('one,');
      req.write('two');
      req.end();
    });
    expect(first.res.headers['transfer-encoding']).toBe('chunked');
    expect(first.chunk).toBe('got one,two;');
    const rest: string[] = [];
    first.res.on('data', (chunk: Buffer) => rest.push(chunk.toString()));
    const ended = new Promise((resolve) => first.res.on('end', resolve));
    release();
    await ended;
    expect(rest.join('')).toBe('second part');
  });

  it('carries a large body both ways', async () => {
    const t = await target('i-a', (req, res) => {
      res.writeHead(200);
      req.pipe(res);
    });
    const lb = await alb(forward(t));
    const big = Buffer.alloc(3 * 1024 * 1024, 'x');
    const answer = await request(`${lb.url}/`, {
      method: 'POST',
      headers: { 'content-length': big.length },
      body: big,
    });
    expect(answer.body.length).toBe(big.length);
  });

  it('passes an early answer through while the body is still coming, and does not reuse that connection', async () => {
    const t = await target('i-a', (req, res) => {
      if (req.url === '/upload') res.writeHead(413, { connection: 'keep-alive' }).end('too large');
      else res.end('next');
    });
    const lb = await alb(forward(t));
    const early = await new Promise<Answer>((resolve, reject) => {
      const req = http.request(`${lb.url}/upload`, { method: 'POST', agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      // A chunked body that never ends while the answer arrives.
      req.write('x'.repeat(1024));
    });
    expect(early).toMatchObject({ status: 413, body: 'too large' });
    expect(await request(`${lb.url}/`)).toMatchObject({ status: 200, body: 'next' });
  });

  it('answers HEAD, 204 and 304 without a body and keeps the connection usable', async () => {
    const t = await target('i-a', (req, res) => {
      if (req.url === '/204') res.writeHead(204).end();
      else if (req.url === '/304') res.writeHead(304, { etag: '"x"' }).end();
      else res.writeHead(200, { 'content-length': 5 }).end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const lb = await alb(forward(t));
    const head = await request(`${lb.url}/`, { method: 'HEAD', agent: keepAlive });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('5');
    expect((await request(`${lb.url}/204`, { agent: keepAlive })).status).toBe(204);
    expect((await request(`${lb.url}/304`, { agent: keepAlive })).status).toBe(304);
    expect(await request(`${lb.url}/`, { agent: keepAlive })).toMatchObject({ status: 200, body: 'hello' });
  });

  it('reuses keep-alive connections to the target', async () => {
    const t = await target('i-a', (_req, res) => res.end('ok'));
    const lb = await alb(forward(t));
    for (let i = 0; i < 20; i++) expect((await request(`${lb.url}/`)).body).toBe('ok');
    expect(t.connections()).toBe(1);
  });

  it('answers fixed responses and redirects itself', async () => {
    const lb = await alb((info) =>
      info.path === '/moved'
        ? { kind: 'redirect', statusCode: 301, location: 'https://example.com/new' }
        : { kind: 'fixed-response', statusCode: 418, contentType: 'application/json', body: '{"teapot":true}' },
    );
    const fixed = await request(`${lb.url}/anything`);
    expect(fixed).toMatchObject({ status: 418, body: '{"teapot":true}' });
    expect(fixed.headers['content-type']).toBe('application/json');
    const moved = await request(`${lb.url}/moved`);
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('https://example.com/new');
  });

  it('answers 503 when no target can take the request, or the routing fails', async () => {
    const lb = await alb((info) => {
      if (info.path === '/throw') throw new Error('control plane bug');
      return info.path === '/empty' ? { ...forward()(info) } : { kind: 'no-targets' };
    });
    for (const path of ['/', '/empty', '/throw']) {
      const answer = await request(`${lb.url}${path}`);
      expect(answer.status, path).toBe(503);
      expect(answer.headers.server).toBe('awselb/2.0');
      expect(answer.body).toContain('503 Service Temporarily Unavailable');
    }
  });

  it('answers 502 when the target refuses the connection or resets it', async () => {
    const gone = await target('i-gone', () => {});
    const closedPort = gone.endpoint.port;
    await new Promise((resolve) => gone.server.close(resolve));
    const resetter = await target('i-reset', (req) => req.socket.destroy());
    const lb = await alb((info) => ({
      kind: 'forward',
      targetGroupArn: TG,
      candidates: [info.path === '/refused' ? { ...gone.endpoint, port: closedPort } : resetter.endpoint],
      algorithm: 'round_robin',
    }));
    const refused = await request(`${lb.url}/refused`);
    expect(refused.status).toBe(502);
    expect(refused.body).toContain('502 Bad Gateway');
    expect((await request(`${lb.url}/reset`)).status).toBe(502);
    await until('activity back to 0', () => lb.activity.filter((a) => a.id === 'i-reset').at(-1)?.count === 0);
  });

  it('cuts the client off when the target resets in the middle of the body', async () => {
    const t = await target('i-a', (_req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const lb = await alb(forward(t));
    await expect(request(`${lb.url}/`)).rejects.toThrow();
  });

  it('answers 504 when the target stays silent for the idle timeout (60 s on the clock)', async () => {
    const t = await target('i-a', () => {
      // Never answers.
    });
    // 60 s of drydock time is 60 ms of wall time.
    const lb = await alb(forward(t), 1000);
    const started = Date.now();
    const answer = await request(`${lb.url}/`);
    expect(answer.status).toBe(504);
    expect(answer.body).toContain('504 Gateway Time-out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('keeps a slow but steady answer going past the idle timeout', async () => {
    const t = await target('i-a', (_req, res) => {
      res.writeHead(200);
      let sent = 0;
      const tick = setInterval(() => {
        res.write(`${sent},`);
        if (++sent === 8) {
          clearInterval(tick);
          res.end();
        }
      }, 25);
    });
    const lb = await alb(forward(t), 1000);
    const answer = await request(`${lb.url}/`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('0,1,2,3,4,5,6,7,');
  });

  it('reports requests in flight per target, and least_outstanding_requests avoids the busy one', async () => {
    const waiting: http.ServerResponse[] = [];
    const slow = await target('i-slow', (_req, res) => waiting.push(res));
    const fast = await target('i-fast', (_req, res) => res.end('fast'));
    const lb = await alb(() => ({
      kind: 'forward',
      targetGroupArn: TG,
      candidates: [slow.endpoint, fast.endpoint],
      algorithm: 'least_outstanding_requests',
    }));
    const first = request(`${lb.url}/`);
    await until('the slow target holds a request', () => waiting.length === 1);
    await until('activity reported', () => lb.activity.some((a) => a.id === 'i-slow' && a.count === 1));
    for (let i = 0; i < 5; i++) expect((await request(`${lb.url}/`)).body).toBe('fast');
    waiting[0]?.end('slow');
    expect((await first).body).toBe('slow');
    await until('slow back to 0', () => lb.activity.filter((a) => a.id === 'i-slow').at(-1)?.count === 0);
  });

  it('round_robin alternates between targets', async () => {
    const a = await target('i-a', (_req, res) => res.end('a'));
    const b = await target('i-b', (_req, res) => res.end('b'));
    const lb = await alb(forward(a, b));
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) bodies.push((await request(`${lb.url}/`)).body);
    expect(bodies).toEqual(['a', 'b', 'a', 'b']);
  });

  it('closeConnections ends the requests still in flight to that target with 502', async () => {
    const t = await target('i-a', () => {
      // Holds every request.
    });
    const lb = await alb(forward(t));
    const pending = request(`${lb.url}/`);
    await until('in flight', () => lb.activity.some((a) => a.count === 1));
    lb.dataplane.closeConnections(TG, 'i-a', t.endpoint.port);
    expect((await pending).status).toBe(502);
  });

  it('retries on a new connection when a pooled one was closed by the target', async () => {
    // A raw target that answers the first request of each connection and drops the connection
    // when a second one arrives on it, as a target whose keep-alive timer just fired does.
    let connections = 0;
    const raw = net.createServer((socket) => {
      connections += 1;
      let requests = 0;
      socket.on('data', () => {
        requests += 1;
        if (requests > 1) socket.destroy();
        else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, TARGET_HOST, resolve));
    cleanups.push(() => new Promise<void>((resolve) => raw.close(() => resolve())));
    const endpoint: TargetEndpoint = {
      targetGroupArn: TG,
      id: 'i-raw',
      address: TARGET_HOST,
      port: (raw.address() as net.AddressInfo).port,
    };
    const lb = await alb(() => ({
      kind: 'forward',
      targetGroupArn: TG,
      candidates: [endpoint],
      algorithm: 'round_robin',
    }));
    for (let i = 0; i < 3; i++) expect(await request(`${lb.url}/`)).toMatchObject({ status: 200, body: 'ok' });
    expect(connections).toBe(3);
    // A POST is not idempotent: it is not sent twice, the client gets the 502.
    expect((await request(`${lb.url}/`, { method: 'POST' })).status).toBe(502);
  });

  it('passes protocol upgrades (WebSocket) through to the target', async () => {
    const t = await target('i-a', (_req, res) => res.end());
    t.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Seen-For: ${String(req.headers['x-forwarded-for'])}\r\n\r\n`,
      );
      socket.on('data', (chunk) => socket.write(chunk));
      // An upgraded socket of a node http server allows half-open connections: close it ourselves.
      socket.on('end', () => socket.end());
    });
    const lb = await alb(forward(t));
    const { socket, head } = await new Promise<{ socket: net.Socket; head: http.IncomingMessage }>(
      (resolve, reject) => {
        const req = http.request(`${lb.url}/ws`, { agent: false, headers: { connection: 'Upgrade', upgrade: 'echo' } });
        req.on('upgrade', (res, socket) => resolve({ socket: socket as net.Socket, head: res }));
        req.on('error', reject);
        req.end();
      },
    );
    expect(head.statusCode).toBe(101);
    expect(head.headers['x-seen-for']).toBe('127.0.0.1');
    socket.write('ping');
    const echoed = await new Promise<string>((resolve) =>
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(echoed).toBe('ping');
    socket.destroy();
  });
});
