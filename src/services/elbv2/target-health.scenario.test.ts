/**
 * Target health on the virtual clock with the simulated data plane (C.1, C.2;
 * `UG:alb/target-group-health-checks`): registration, the first check, thresholds, and what a
 * target group no load balancer uses shows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { elbv2Scenario, forwardTo, SECOND, type Elbv2Scenario } from '../../../test/support/elbv2-scenario.js';

let t: Elbv2Scenario;
let web: string;
beforeEach(async () => {
  t = elbv2Scenario();
  web = t.createTargetGroup('web');
  t.createListener(t.createLoadBalancer('front'), forwardTo(web));
  await t.settle();
});
afterEach(async () => t.close());

const FAIL_503 = { ok: false, reasonCode: 'Target.ResponseCodeMismatch', statusCode: 503 };

describe('a new target', () => {
  it('is initial while registering, and healthy after one passed check (ALB)', async () => {
    t.register(web, { Id: '127.0.0.10' });
    await t.settle();
    expect(t.healthOf(web, '127.0.0.10')).toEqual({
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
      Description: 'Target registration is in progress',
    });
    // The default interval is 30 s; the first check runs one interval after registration.
    await t.advanceBy(30 * SECOND - 1);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('initial');
    await t.advanceBy(1);
    expect(t.healthOf(web, '127.0.0.10')).toEqual({ State: 'healthy' });
  });

  it('that fails its checks stays initial, then is unhealthy after UnhealthyThreshold failures', async () => {
    t.dataplane.setProbeOutcome('127.0.0.10', 8080, FAIL_503);
    t.register(web, { Id: '127.0.0.10' });
    await t.advanceBy(30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10')).toMatchObject({ State: 'initial', Reason: 'Elb.InitialHealthChecking' });
    await t.advanceBy(30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10')).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [503]',
    });
  });

  it('whose checks time out is unhealthy with Target.Timeout, reported when the timeout ends', async () => {
    t.call('ModifyTargetGroup', { TargetGroupArn: web, HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 4 });
    t.dataplane.setProbeOutcome('127.0.0.10', 8080, { ok: false, reasonCode: 'Target.Timeout' });
    t.register(web, { Id: '127.0.0.10' });
    await t.advanceBy(10 * SECOND + 10 * SECOND + 4 * SECOND - 1);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('initial');
    await t.advanceBy(1);
    expect(t.healthOf(web, '127.0.0.10')).toEqual({
      State: 'unhealthy',
      Reason: 'Target.Timeout',
      Description: 'Request timed out',
    });
  });
});

describe('an established target', () => {
  beforeEach(async () => {
    t.register(web, { Id: '127.0.0.10' });
    await t.advanceBy(30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('healthy');
  });

  it('is unhealthy after UnhealthyThreshold (2) consecutive failures, healthy again after HealthyThreshold (5) passes', async () => {
    t.dataplane.setProbeOutcome('127.0.0.10', 8080, FAIL_503);
    await t.advanceBy(30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('healthy');
    await t.advanceBy(30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('unhealthy');
    t.dataplane.setProbeOutcome('127.0.0.10', 8080, undefined);
    await t.advanceBy(4 * 30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('unhealthy');
    await t.advanceBy(30 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('healthy');
  });

  it('follows the thresholds ModifyTargetGroup sets', async () => {
    t.call('ModifyTargetGroup', { TargetGroupArn: web, UnhealthyThresholdCount: 3, HealthCheckIntervalSeconds: 10 });
    await t.settle();
    t.dataplane.setProbeOutcome('127.0.0.10', 8080, FAIL_503);
    await t.advanceBy(20 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('healthy');
    await t.advanceBy(10 * SECOND);
    expect(t.healthOf(web, '127.0.0.10').State).toBe('unhealthy');
  });

  it('is probed on the health-check port and path the group names', async () => {
    t.call('ModifyTargetGroup', { TargetGroupArn: web, HealthCheckPort: '9090', HealthCheckPath: '/health' });
    await t.settle();
    expect(t.dataplane.healthChecks()).toMatchObject([
      { port: 9090, path: '/health', matcher: '200', protocol: 'HTTP', intervalMs: 30_000, timeoutMs: 5_000 },
    ]);
    expect(t.call<{ TargetHealthDescriptions: unknown[] }>('DescribeTargetHealth', { TargetGroupArn: web })).toEqual({
      TargetHealthDescriptions: [
        { Target: { Id: '127.0.0.10', Port: 8080 }, HealthCheckPort: '9090', TargetHealth: { State: 'healthy' } },
      ],
    });
  });
});

describe('target groups and instances', () => {
  it('a group no load balancer uses shows its targets unused (Target.NotInUse) and is not checked', async () => {
    const idle = t.createTargetGroup('idle');
    t.register(idle, { Id: '127.0.0.20' });
    await t.advanceBy(60 * SECOND);
    expect(t.healthOf(idle, '127.0.0.20')).toEqual({
      State: 'unused',
      Reason: 'Target.NotInUse',
      Description: 'Target group is not configured to receive traffic from the load balancer',
    });
    expect(t.dataplane.healthChecks().map((check) => check.targetGroupArn)).not.toContain(idle);
  });

  it('an unregistered target is unused/Target.NotRegistered', () => {
    expect(t.healthOf(web, '127.0.0.99')).toEqual({
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    });
  });

  it('an instance target whose instance stops is unused/Target.InvalidState; one nothing answers for goes unhealthy', async () => {
    const instances = t.createTargetGroup('instances', { TargetType: 'instance', Port: 80 });
    const lb = t.createLoadBalancer('fleet');
    t.createListener(lb, forwardTo(instances));
    const serving = t.instances.run();
    const silent = t.instances.run(null);
    t.register(instances, { Id: serving }, { Id: silent });
    // Probes of an address nothing answers on time out (5 s) twice.
    await t.advanceBy(60 * SECOND + 5 * SECOND);
    expect(t.states(instances)).toEqual({ [`${serving}:80`]: 'healthy', [`${silent}:80`]: 'unhealthy' });
    expect(t.healthOf(instances, silent)).toMatchObject({ Reason: 'Target.Timeout' });
    t.instances.setState(serving, 'stopped');
    expect(t.healthOf(instances, serving)).toEqual({
      State: 'unused',
      Reason: 'Target.InvalidState',
      Description: 'Target is in the stopped state',
    });
  });

  it('with probeSuccessRate 0.5, outcomes are seeded: the same seed gives the same health', async () => {
    const outcome = async (seed: number) => {
      const s = elbv2Scenario({ seed, probeSuccessRate: 0.5 });
      const group = s.createTargetGroup('g');
      s.createListener(s.createLoadBalancer('lb'), forwardTo(group));
      s.register(group, { Id: '127.0.0.10' }, { Id: '127.0.0.11' }, { Id: '127.0.0.12' }, { Id: '127.0.0.13' });
      await s.advanceBy(10 * 30 * SECOND);
      const states = s.states(group);
      await s.close();
      return states;
    };
    expect(await outcome(7)).toEqual(await outcome(7));
  });
});
