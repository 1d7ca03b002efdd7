import { describe, expect, it } from 'vitest';
import { seededRandom } from '../kernel/random.js';
import { VirtualClock } from '../kernel/virtual-clock.js';
import type { HealthCheckSpec, LoadBalancerObserver, ProbeResult, RoutingApi } from '../services/elbv2/ports.js';
import { createSimulatedLoadBalancerDataplane } from './simulated-load-balancer.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0000000000000001';

class RecordingObserver implements LoadBalancerObserver {
  readonly probes: Array<{ atMs: number; id: string; result: ProbeResult }> = [];
  private readonly startMs: number;
  readonly activity: Array<[string, number]> = [];
  readonly binds: string[] = [];
  constructor(private readonly clock: VirtualClock) {
    this.startMs = clock.now();
  }
  probeCompleted(_tg: string, id: string, _port: number, result: ProbeResult): void {
    this.probes.push({ atMs: this.clock.now() - this.startMs, id, result });
  }
  activityChanged(_tg: string, id: string, _port: number, count: number): void {
    this.activity.push([id, count]);
  }
  listenerBindFailed(arn: string, message: string): void {
    this.binds.push(`failed ${arn}: ${message}`);
  }
  listenerBound(arn: string, address: string, port: number): void {
    this.binds.push(`bound ${arn} ${address}:${port}`);
  }
}

function setup(options: { probeSuccessRate?: number; seed?: number; routing?: RoutingApi } = {}) {
  const localClock = new VirtualClock();
  const observer = new RecordingObserver(localClock);
  const dataplane = createSimulatedLoadBalancerDataplane({
    clock: localClock,
    random: seededRandom(options.seed ?? 1),
    observer: () => observer,
    ...(options.routing ? { routing: () => options.routing! } : {}),
    ...(options.probeSuccessRate !== undefined ? { probeSuccessRate: options.probeSuccessRate } : {}),
  });
  return { clock: localClock, observer, dataplane };
}

const check = (id: string, overrides: Partial<HealthCheckSpec> = {}): HealthCheckSpec => ({
  targetGroupArn: TG,
  target: { targetGroupArn: TG, id, address: id, port: 8080 },
  protocol: 'HTTP',
  port: 8080,
  path: '/',
  matcher: '200',
  intervalMs: 10_000,
  timeoutMs: 2_000,
  ...overrides,
});

describe('probes', () => {
  it('run every interval, the first one interval after the check is handed over', async () => {
    const s = setup();
    s.dataplane.setHealthChecks([check('127.0.0.10')]);
    await s.clock.advanceBy(35_000);
    expect(s.observer.probes.map((probe) => [probe.atMs, probe.result.ok])).toEqual([
      [10_000, true],
      [20_000, true],
      [30_000, true],
    ]);
  });

  it('are seeded: a success rate of 0.5 gives the same outcomes for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const s = setup({ probeSuccessRate: 0.5, seed });
      s.dataplane.setHealthChecks([check('127.0.0.10'), check('127.0.0.11')]);
      await s.clock.advanceBy(200_000);
      return s.observer.probes.map((probe) => probe.result.ok);
    };
    const first = await outcomes(11);
    expect(first).toEqual(await outcomes(11));
    expect(first.filter(Boolean).length).toBeGreaterThan(5);
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(5);
  });

  it('a forced timeout is reported when the timeout ends; removing a check stops its probes; an unchanged set keeps its timers', async () => {
    const s = setup();
    s.dataplane.setProbeOutcome('127.0.0.10', 8080, { ok: false, reasonCode: 'Target.Timeout' });
    s.dataplane.setHealthChecks([check('127.0.0.10')]);
    await s.clock.advanceBy(11_000);
    expect(s.observer.probes).toEqual([]);
    await s.clock.advanceBy(1_000);
    expect(s.observer.probes.map((probe) => probe.result)).toEqual([{ ok: false, reasonCode: 'Target.Timeout' }]);
    s.dataplane.setHealthChecks([check('127.0.0.10')]);
    await s.clock.advanceBy(8_000);
    expect(s.observer.probes).toHaveLength(1);
    await s.clock.advanceBy(4_000);
    expect(s.observer.probes).toHaveLength(2);
    s.dataplane.setHealthChecks([]);
    await s.clock.advanceBy(60_000);
    expect(s.observer.probes).toHaveLength(2);
    expect(s.clock.pendingTimerCount()).toBe(0);
  });
});

describe('listeners and connections', () => {
  const LISTENER =
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/db/0000000000000001/0000000000000002';
  const routing: RoutingApi = {
    routeHttp: () => ({ kind: 'no-targets' }),
    routeTcp: () => ({
      kind: 'forward',
      targetGroupArn: TG,
      candidates: [
        { targetGroupArn: TG, id: '127.0.0.10', address: '127.0.0.10', port: 5432 },
        { targetGroupArn: TG, id: '127.0.0.11', address: '127.0.0.11', port: 5432 },
      ],
    }),
  };

  it('binds report back; a second listener on a taken address:port fails', async () => {
    const s = setup();
    s.dataplane.bindListener({
      listenerArn: 'a',
      loadBalancerArn: 'lb',
      protocol: 'TCP',
      address: '127.2.0.1',
      port: 80,
    });
    s.dataplane.bindListener({
      listenerArn: 'b',
      loadBalancerArn: 'lb',
      protocol: 'TCP',
      address: '127.2.0.1',
      port: 80,
    });
    await s.clock.advanceBy(0);
    expect(s.observer.binds).toEqual(['bound a 127.2.0.1:80', 'failed b: 127.2.0.1:80 is already in use']);
  });

  it('connections are counts per target, spread round robin; closeConnections drops a target’s', async () => {
    const s = setup({ routing });
    s.dataplane.bindListener({
      listenerArn: LISTENER,
      loadBalancerArn: 'lb',
      protocol: 'TCP',
      address: '127.2.0.1',
      port: 5432,
    });
    const ids = [1, 2, 3].map(() => s.dataplane.openConnection(LISTENER)!);
    expect(s.dataplane.activeConnections(TG, '127.0.0.10', 5432)).toBe(2);
    expect(s.dataplane.activeConnections(TG, '127.0.0.11', 5432)).toBe(1);
    s.dataplane.closeConnection(ids[1]!);
    s.dataplane.closeConnections(TG, '127.0.0.10', 5432);
    expect(s.dataplane.activeConnections(TG, '127.0.0.10', 5432)).toBe(0);
    expect(s.dataplane.connection(ids[0]!)).toBeUndefined();
    expect(s.observer.activity).toEqual([
      ['127.0.0.10', 1],
      ['127.0.0.11', 1],
      ['127.0.0.10', 2],
      ['127.0.0.11', 0],
      ['127.0.0.10', 0],
    ]);
    expect(s.dataplane.openConnection('unknown-listener')).toBeUndefined();
  });
});
