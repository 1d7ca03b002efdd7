/**
 * Deregistration and connection draining on the virtual clock (C.3, C.4;
 * `UG:alb/load-balancer-target-groups#deregistration-delay`, `UG:nlb/load-balancer-target-groups`):
 * draining at once, no new traffic, the delay, early completion, connection termination, and
 * Auto Scaling waiting on it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { elbv2Scenario, forwardTo, SCOPE, SECOND, type Elbv2Scenario } from '../../../test/support/elbv2-scenario.js';

let t: Elbv2Scenario;
afterEach(async () => t.close());

describe('an ALB target', () => {
  let web: string;
  let listener: string;
  beforeEach(async () => {
    t = elbv2Scenario();
    web = t.createTargetGroup('web');
    t.setAttribute(web, 'deregistration_delay.timeout_seconds', '60');
    listener = t.createListener(t.createLoadBalancer('front'), forwardTo(web));
    t.register(web, { Id: '127.0.0.10' }, { Id: '127.0.0.11' });
    await t.advanceBy(30 * SECOND);
  });

  it('a deregistered target drains for the delay, then is unused and gone from the listing', async () => {
    const requests = [t.dataplane.openConnection(listener)!, t.dataplane.openConnection(listener)!];
    expect(t.dataplane.activeConnections(web, '127.0.0.10', 8080)).toBe(1);
    t.deregister(web, { Id: '127.0.0.10' });
    expect(t.healthOf(web, '127.0.0.10')).toEqual({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    });
    await t.advanceBy(60 * SECOND - 1);
    expect(t.states(web)).toEqual({ '127.0.0.10:8080': 'draining', '127.0.0.11:8080': 'healthy' });
    await t.advanceBy(1);
    expect(t.states(web)).toEqual({ '127.0.0.11:8080': 'healthy' });
    expect(t.healthOf(web, '127.0.0.10', 8080)).toEqual({
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    });
    // ALB: the request still in flight when the delay ends is cut (UNCONFIRMED, see target-group-controller.ts).
    expect(t.dataplane.activeConnections(web, '127.0.0.10', 8080)).toBe(0);
    expect(t.dataplane.connection(requests[0]!)).toBeUndefined();
    expect(t.dataplane.connection(requests[1]!)).toMatchObject({ targetId: '127.0.0.11' });
  });

  it('a draining target gets no new requests: they go to the other target', async () => {
    t.dataplane.openConnection(listener);
    t.deregister(web, { Id: '127.0.0.10' });
    const targets = Array.from(
      { length: 6 },
      () => t.dataplane.connection(t.dataplane.openConnection(listener)!)!.targetId,
    );
    expect(new Set(targets)).toEqual(new Set(['127.0.0.11']));
    const decision = t.service.routing.routeHttp(listener, {
      method: 'GET',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      sourceIp: '127.0.0.1',
    });
    expect(decision).toMatchObject({
      kind: 'forward',
      candidates: [{ id: '127.0.0.11', address: '127.0.0.11', port: 8080 }],
    });
  });

  it('an IP target registers again only after its deregistration finished', async () => {
    t.dataplane.openConnection(listener);
    t.deregister(web, { Id: '127.0.0.10' });
    expect(() => t.register(web, { Id: '127.0.0.10' })).toThrow(/being deregistered/);
    await t.advanceBy(60 * SECOND);
    t.register(web, { Id: '127.0.0.10' });
    expect(t.healthOf(web, '127.0.0.10').State).toBe('initial');
  });

  it('deregistering a target that is not registered succeeds', () => {
    t.deregister(web, { Id: '127.0.0.77' });
    expect(Object.keys(t.states(web))).toHaveLength(2);
  });
});

describe('an NLB target', () => {
  let tcp: string;
  let listener: string;
  beforeEach(async () => {
    t = elbv2Scenario();
    tcp = t.createTargetGroup('tcp', { Protocol: 'TCP', Port: 5432 });
    listener = t.createListener(t.createLoadBalancer('db', 'network'), forwardTo(tcp), 5432);
    t.register(tcp, { Id: '127.0.0.20' }, { Id: '127.0.0.21' });
    await t.advanceBy(30 * SECOND);
  });

  it('keeps its connections after the delay unless connection termination is enabled', async () => {
    const flow = t.dataplane.openConnection(listener)!;
    const { targetId } = t.dataplane.connection(flow)!;
    t.deregister(tcp, { Id: targetId });
    await t.advanceBy(300 * SECOND);
    expect(t.states(tcp)).not.toHaveProperty(`${targetId}:5432`);
    expect(t.dataplane.connection(flow)).toBeDefined();
    expect(t.dataplane.activeConnections(tcp, targetId, 5432)).toBe(1);
  });

  it('with connection termination enabled, its remaining connections close when the delay ends', async () => {
    t.setAttribute(tcp, 'deregistration_delay.connection_termination.enabled', 'true');
    t.setAttribute(tcp, 'deregistration_delay.timeout_seconds', '30');
    const flow = t.dataplane.openConnection(listener)!;
    const { targetId } = t.dataplane.connection(flow)!;
    t.deregister(tcp, { Id: targetId });
    await t.advanceBy(30 * SECOND - 1);
    expect(t.dataplane.connection(flow)).toBeDefined();
    await t.advanceBy(1);
    expect(t.dataplane.connection(flow)).toBeUndefined();
    expect(t.dataplane.activeConnections(tcp, targetId, 5432)).toBe(0);
  });
});

describe('Auto Scaling', () => {
  let fleet: string;
  let listener: string;
  let instanceId: string;
  beforeEach(async () => {
    t = elbv2Scenario();
    fleet = t.createTargetGroup('fleet', { TargetType: 'instance', Protocol: 'TCP', Port: 80 });
    listener = t.createListener(t.createLoadBalancer('fleet', 'network'), forwardTo(fleet));
    instanceId = t.instances.run();
    t.service.autoScalingPort.register(SCOPE, fleet, [instanceId]);
    await t.advanceBy(30 * SECOND);
    expect(t.service.autoScalingPort.health(SCOPE, fleet, [instanceId])).toEqual([{ instanceId, state: 'healthy' }]);
  });

  it('deregistration waits for draining: isDraining until the delay ends while a connection stays open', async () => {
    t.dataplane.openConnection(listener);
    t.service.autoScalingPort.deregister(SCOPE, fleet, [instanceId]);
    expect(t.service.autoScalingPort.isDraining(SCOPE, fleet, instanceId)).toBe(true);
    expect(t.service.autoScalingPort.health(SCOPE, fleet, [instanceId])).toEqual([{ instanceId, state: 'draining' }]);
    await t.advanceBy(300 * SECOND - 1);
    expect(t.service.autoScalingPort.isDraining(SCOPE, fleet, instanceId)).toBe(true);
    await t.advanceBy(1);
    expect(t.service.autoScalingPort.isDraining(SCOPE, fleet, instanceId)).toBe(false);
    expect(t.service.autoScalingPort.health(SCOPE, fleet, [instanceId])).toEqual([]);
  });

  it('draining ends early when its last connection closes (DescribeTargetHealth still shows draining until the delay)', async () => {
    const flows = [t.dataplane.openConnection(listener)!, t.dataplane.openConnection(listener)!];
    t.service.autoScalingPort.deregister(SCOPE, fleet, [instanceId]);
    await t.advanceBy(10 * SECOND);
    t.dataplane.closeConnection(flows[0]!);
    expect(t.service.autoScalingPort.isDraining(SCOPE, fleet, instanceId)).toBe(true);
    t.dataplane.closeConnection(flows[1]!);
    expect(t.service.autoScalingPort.isDraining(SCOPE, fleet, instanceId)).toBe(false);
    expect(t.healthOf(fleet, instanceId).State).toBe('draining');
    await t.advanceBy(290 * SECOND);
    expect(t.healthOf(fleet, instanceId).State).toBe('unused');
  });

  it('a target with nothing in flight completes its deregistration at once', () => {
    t.service.autoScalingPort.deregister(SCOPE, fleet, [instanceId]);
    expect(t.service.autoScalingPort.isDraining(SCOPE, fleet, instanceId)).toBe(false);
    expect(t.healthOf(fleet, instanceId).State).toBe('draining');
  });

  it('missing() names target groups that do not exist; a stopped instance is refused quietly', () => {
    const ghost = fleet.replace('/fleet/', '/ghost/');
    expect(t.service.autoScalingPort.missing(SCOPE, [fleet, ghost])).toEqual([ghost]);
    expect(t.service.autoScalingPort.missing({ ...SCOPE, region: 'eu-west-1' }, [fleet])).toEqual([fleet]);
    const stopped = t.instances.run();
    t.instances.setState(stopped, 'stopped');
    t.service.autoScalingPort.register(SCOPE, fleet, [stopped]);
    expect(t.service.autoScalingPort.health(SCOPE, fleet, [stopped])).toEqual([]);
  });
});

describe('ECS task targets', () => {
  it('register on their own ports, report their state, drain when deregistered', async () => {
    t = elbv2Scenario();
    const api = t.createTargetGroup('api');
    t.createListener(t.createLoadBalancer('api'), forwardTo(api));
    t.service.targetsPort.register(SCOPE, api, [{ id: '127.1.0.3', port: 32768 }]);
    expect(t.service.targetsPort.state(SCOPE, api, { id: '127.1.0.3', port: 32768 })).toBe('initial');
    await t.advanceBy(30 * SECOND);
    expect(t.service.targetsPort.state(SCOPE, api, { id: '127.1.0.3', port: 32768 })).toBe('healthy');
    t.service.targetsPort.deregister(SCOPE, api, [{ id: '127.1.0.3', port: 32768 }]);
    expect(t.service.targetsPort.state(SCOPE, api, { id: '127.1.0.3', port: 32768 })).toBe('draining');
    await t.advanceBy(300 * SECOND);
    expect(t.service.targetsPort.state(SCOPE, api, { id: '127.1.0.3', port: 32768 })).toBeUndefined();
  });
});
