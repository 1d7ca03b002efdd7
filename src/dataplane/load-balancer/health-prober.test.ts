/**
 * Health probes against real loopback servers, on a SystemClock running 100× faster than wall
 * time (so a 5 s interval is 50 ms).
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import { SystemClock } from '../../kernel/system-clock.js';
import type { HealthCheckSpec, LoadBalancerObserver, ProbeResult } from '../../services/elbv2/ports.js';
import { HealthProber } from './health-prober.js';

const HOST = '127.1.0.61';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Probe {
  targetId: string;
  port: number;
  result: ProbeResult;
  at: number;
}

function prober() {
  const clock = new SystemClock({ timeScale: 100 });
  const probes: Probe[] = [];
  const observer: LoadBalancerObserver = {
    probeCompleted: (_tg, targetId, port, result) => probes.push({ targetId, port, result, at: Date.now() }),
    activityChanged: () => {},
    listenerBound: () => {},
    listenerBindFailed: () => {},
  };
  const healthProber = new HealthProber({ clock, logger: silentLogger, observer: () => observer });
  cleanups.push(() => {
    healthProber.close();
    clock.close();
  });
  return { prober: healthProber, probes };
}

async function httpTarget(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  return (server.address() as net.AddressInfo).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function spec(id: string, port: number, overrides: Partial<HealthCheckSpec> = {}): HealthCheckSpec {
  return {
    targetGroupArn: TG,
    target: { targetGroupArn: TG, id, address: HOST, port },
    protocol: 'HTTP',
    port,
    path: '/health',
    matcher: '200',
    intervalMs: 5_000,
    timeoutMs: 2_000,
    ...overrides,
  };
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

describe('HealthProber', () => {
  it('GETs the path with ELB-HealthChecker/2.0, at once and then every interval', async () => {
    const requests: http.IncomingHttpHeaders[] = [];
    const paths: string[] = [];
    const port = await httpTarget((request, response) => {
      requests.push(request.headers);
      paths.push(request.url ?? '');
      response.end('ok');
    });
    const { prober: p, probes } = prober();
    const started = Date.now();
    p.setHealthChecks([spec('i-a', port, { intervalMs: 15_000 })]);
    await until('three probes', () => probes.length >= 3);
    expect(probes[0]).toMatchObject({ targetId: 'i-a', port, result: { ok: true } });
    // First at once; then every 15 s of drydock time (150 ms of wall time).
    expect(probes[0]!.at - started).toBeLessThan(120);
    expect(probes[2]!.at - probes[0]!.at).toBeGreaterThanOrEqual(290);
    expect(paths[0]).toBe('/health');
    expect(requests[0]?.['user-agent']).toBe('ELB-HealthChecker/2.0');
    expect(requests[0]?.host).toBe(`${HOST}:${port}`);
  });

  it('reports a status outside the matcher as Target.ResponseCodeMismatch with the code', async () => {
    const port = await httpTarget((request, response) => {
      response.statusCode = request.url === '/redirect' ? 302 : 503;
      response.end();
    });
    const { prober: p, probes } = prober();
    p.setHealthChecks([
      spec('i-a', port),
      {
        ...spec('i-b', port),
        target: { targetGroupArn: TG, id: 'i-b', address: HOST, port },
        path: '/redirect',
        matcher: '200,302',
      },
    ]);
    const failed = await until('the failing probe', () => probes.find((probe) => probe.targetId === 'i-a'));
    expect(failed.result).toEqual({ ok: false, reasonCode: 'Target.ResponseCodeMismatch', statusCode: 503 });
    const passed = await until('the redirect probe', () => probes.find((probe) => probe.targetId === 'i-b'));
    expect(passed.result).toEqual({ ok: true });
  });

  it('reports a refused connection as Target.FailedHealthChecks, for HTTP and TCP checks', async () => {
    const port = await closedPort();
    const { prober: p, probes } = prober();
    p.setHealthChecks([spec('i-http', port), { ...spec('i-tcp', port), protocol: 'TCP' }]);
    await until('both probes', () => probes.length >= 2);
    for (const probe of probes.slice(0, 2))
      expect(probe.result).toEqual({ ok: false, reasonCode: 'Target.FailedHealthChecks' });
  });

  it('passes a TCP check on a completed handshake', async () => {
    const port = await httpTarget((_request, response) => response.end());
    const { prober: p, probes } = prober();
    p.setHealthChecks([{ ...spec('i-tcp', port), protocol: 'TCP' }]);
    expect((await until('a probe', () => probes[0])).result).toEqual({ ok: true });
  });

  it('fails with Target.Timeout when no answer comes within the timeout (a Clock timer)', async () => {
    const port = await httpTarget(() => {
      // Never answers.
    });
    const { prober: p, probes } = prober();
    const started = Date.now();
    p.setHealthChecks([spec('i-slow', port, { timeoutMs: 3_000, intervalMs: 10_000 })]);
    const probe = await until('the timeout', () => probes[0]);
    expect(probe.result).toEqual({ ok: false, reasonCode: 'Target.Timeout' });
    // 3 s of drydock time is 30 ms of wall time.
    expect(probe.at - started).toBeGreaterThanOrEqual(25);
    expect(probe.at - started).toBeLessThan(1_000);
  });

  it('replacing the set stops removed checks, restarts changed ones and leaves the rest in rhythm', async () => {
    const hits = new Map<string, number>();
    const port = await httpTarget((request, response) => {
      hits.set(request.url ?? '', (hits.get(request.url ?? '') ?? 0) + 1);
      response.end();
    });
    const { prober: p, probes } = prober();
    const a = spec('i-a', port, { path: '/a', intervalMs: 100_000 });
    const b = { ...spec('i-b', port, { path: '/b', intervalMs: 100_000 }) };
    b.target = { ...b.target, id: 'i-b' };
    p.setHealthChecks([a, b]);
    await until('first probes', () => probes.length >= 2);
    // Same spec for a (no new probe at once); b is gone; c is new.
    const c = { ...spec('i-c', port, { path: '/c' }), target: { targetGroupArn: TG, id: 'i-c', address: HOST, port } };
    p.setHealthChecks([{ ...a }, c]);
    expect(p.size).toBe(2);
    await until('c probed', () => probes.some((probe) => probe.targetId === 'i-c'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(hits.get('/a')).toBe(1);
    expect(hits.get('/b')).toBe(1);
    // A changed path restarts the check at once.
    p.setHealthChecks([{ ...a, path: '/a2' }]);
    await until('a2 probed', () => hits.get('/a2') === 1);
    p.setHealthChecks([]);
    expect(p.size).toBe(0);
  });
});
