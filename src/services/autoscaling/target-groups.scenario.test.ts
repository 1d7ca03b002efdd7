/**
 * Target groups on the virtual clock (A.1, A.5, `UG:asg/lifecycle-hooks-overview` steps 3–5):
 * instances are registered before they are InService; on the way out they are deregistered and
 * their connections drained before termination hooks run; ELB health replaces instances after
 * the grace period.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AutoScalingScenario } from './test-support.js';
import { autoscalingScenario, createGroup, MINUTE, SECOND, serviceErrorOf, TERMINATING } from './test-support.js';

let t: AutoScalingScenario;
let web: string;
beforeEach(() => {
  t = autoscalingScenario({ deregistrationDelayMs: 300 * SECOND });
  web = t.targetGroups.createTargetGroup('web');
});
afterEach(async () => t.close());

describe('registration', () => {
  it('instances are registered with the target groups before they are InService', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 2, TargetGroupARNs: [web] });
    await t.advanceBy(t.ec2.bootMs - 1);
    expect(t.targetGroups.registered(web)).toEqual([]);
    await t.advanceBy(1);
    const inService = t.inState('web', 'InService');
    expect(t.targetGroups.registered(web).sort()).toEqual(inService.sort());
    expect(t.targetGroups.calls.every((call) => call.kind === 'register' && call.atMs === t.clock.now())).toBe(true);
    expect(t.call('DescribeLoadBalancerTargetGroups', { AutoScalingGroupName: 'web' })).toEqual({
      LoadBalancerTargetGroups: [{ LoadBalancerTargetGroupARN: web, State: 'Added' }],
      NextToken: undefined,
    });
    expect(t.group('web').TargetGroupARNs).toEqual([web]);
  });

  it('a target group that does not exist is refused in AWS words', () => {
    const ghost = web.replace('/web/', '/ghost/');
    const error = serviceErrorOf(() => createGroup(t, { AutoScalingGroupName: 'web', TargetGroupARNs: [ghost] }));
    expect([error.code, error.message]).toEqual([
      'ValidationError',
      'Provided Target Groups may not be valid. Please ensure they exist and try again.',
    ]);
  });

  it('AddToLoadBalancer suspended: new instances go into service unregistered', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', TargetGroupARNs: [web] });
    t.call('SuspendProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['AddToLoadBalancer'] });
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.advanceBy(t.ec2.bootMs);
    expect(t.inState('web', 'InService')).toHaveLength(1);
    expect(t.targetGroups.registered(web)).toEqual([]);
  });

  it('attaching a target group registers the instances in service; detaching drains them first', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    await t.advanceBy(t.ec2.bootMs);
    t.call('AttachTrafficSources', {
      AutoScalingGroupName: 'web',
      TrafficSources: [{ Identifier: web, Type: 'elbv2' }],
    });
    expect(t.call('DescribeTrafficSources', { AutoScalingGroupName: 'web' })).toMatchObject({
      TrafficSources: [{ TrafficSource: web, Identifier: web, Type: 'elbv2', State: 'Adding' }],
    });
    await t.settle();
    expect(t.targetGroups.registered(web)).toHaveLength(2);
    t.call('DetachLoadBalancerTargetGroups', { AutoScalingGroupName: 'web', TargetGroupARNs: [web] });
    await t.settle();
    expect(t.call('DescribeLoadBalancerTargetGroups', { AutoScalingGroupName: 'web' })).toMatchObject({
      LoadBalancerTargetGroups: [{ LoadBalancerTargetGroupARN: web, State: 'Removing' }],
    });
    await t.advanceBy(300 * SECOND + 5 * SECOND);
    expect(t.call('DescribeLoadBalancerTargetGroups', { AutoScalingGroupName: 'web' })).toMatchObject({
      LoadBalancerTargetGroups: [],
    });
    expect(
      serviceErrorOf(() =>
        t.call('DetachLoadBalancerTargetGroups', { AutoScalingGroupName: 'web', TargetGroupARNs: [web] }),
      ).code,
    ).toBe('ValidationError');
  });
});

describe('on the way out', () => {
  it('deregistration draining completes before terminate hooks run', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      TargetGroupARNs: [web],
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }],
    });
    await t.advanceBy(t.ec2.bootMs);
    const [instanceId] = t.inState('web', 'InService');
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.settle();
    const deregisteredAtMs = t.clock.now();
    expect(t.states('web')[instanceId!]).toBe('Terminating');
    expect(t.targetGroups.calls.at(-1)).toMatchObject({ kind: 'deregister', instanceIds: [instanceId] });
    expect(t.activities('web')[0]).toMatchObject({ StatusCode: 'WaitingForELBConnectionDraining' });

    await t.advanceBy(300 * SECOND - 1);
    expect(t.states('web')[instanceId!]).toBe('Terminating');
    expect(t.eventBus.ofType('EC2 Instance-terminate Lifecycle Action')).toHaveLength(0);
    await t.advanceBy(5 * SECOND);
    expect(t.states('web')[instanceId!]).toBe('Terminating:Wait');
    const [event] = t.eventBus.ofType('EC2 Instance-terminate Lifecycle Action');
    expect(event!.timeMs - deregisteredAtMs).toBeGreaterThanOrEqual(300 * SECOND);
    expect(event!.timeMs - deregisteredAtMs).toBeLessThanOrEqual(305 * SECOND);
    expect(t.activities('web')[0]).toMatchObject({ StatusCode: 'MidLifecycleAction' });
  });

  it('EnterStandby deregisters and waits for draining; ExitStandby registers again', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 1, TargetGroupARNs: [web] });
    await t.advanceBy(t.ec2.bootMs);
    const [instanceId] = t.inState('web', 'InService');
    t.call('EnterStandby', {
      AutoScalingGroupName: 'web',
      InstanceIds: [instanceId],
      ShouldDecrementDesiredCapacity: true,
    });
    await t.settle();
    expect(t.states('web')[instanceId!]).toBe('EnteringStandby');
    await t.advanceBy(305 * SECOND);
    expect(t.states('web')[instanceId!]).toBe('Standby');
    expect(t.targetGroups.registered(web)).toEqual([]);
    t.call('ExitStandby', { AutoScalingGroupName: 'web', InstanceIds: [instanceId] });
    await t.settle();
    expect(t.states('web')[instanceId!]).toBe('InService');
    expect(t.targetGroups.registered(web)).toEqual([instanceId]);
  });
});

describe('ELB health checks', () => {
  it('an unhealthy target is replaced only after the grace period, when HealthCheckType includes ELB', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      TargetGroupARNs: [web],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 120,
    });
    await t.advanceBy(t.ec2.bootMs);
    const [instanceId] = t.inState('web', 'InService');
    t.targetGroups.setHealth(web, instanceId!, 'unhealthy');
    await t.advanceBy(120 * SECOND - 1);
    expect(t.instances('web')[0]).toMatchObject({ InstanceId: instanceId, HealthStatus: 'HEALTHY' });
    await t.advanceBy(1);
    expect(t.states('web')[instanceId!]).toBe('Terminating');
    const termination = t.activities('web').find((activity) => activity.Description?.startsWith('Terminating'))!;
    expect(termination.Cause).toMatch(
      /an instance was taken out of service in response to an ELB system health check failure\.$/,
    );
  });

  it('an EC2-only group ignores target health', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 1, TargetGroupARNs: [web] });
    await t.advanceBy(t.ec2.bootMs);
    const [instanceId] = t.inState('web', 'InService');
    t.targetGroups.setHealth(web, instanceId!, 'unhealthy');
    await t.advanceBy(10 * MINUTE);
    expect(t.states('web')[instanceId!]).toBe('InService');
  });
});
