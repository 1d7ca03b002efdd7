/**
 * The group's capacity machinery on the virtual clock (sections A.5–A.7, A.9): creation rules and
 * messages, balanced launches, tags, scale-in by policy and protection, user terminations,
 * standby, detach and attach, suspended processes, health replacement, cooldowns, launch
 * failures and deletion.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../kernel/service-error.js';
import type { AutoScalingScenario } from './test-support.js';
import {
  autoscalingScenario,
  createGroup,
  MINUTE,
  SECOND,
  serviceErrorOf,
  SUBNETS,
  TERMINATING,
} from './test-support.js';

let t: AutoScalingScenario;
beforeEach(() => {
  t = autoscalingScenario();
});
afterEach(async () => t.close());

const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function inService(name: string, size: number, extra: Record<string, unknown> = {}): Promise<string[]> {
  createGroup(t, { AutoScalingGroupName: name, DesiredCapacity: size, ...extra });
  await t.advanceBy(t.ec2.bootMs);
  const ids = t.inState(name, 'InService');
  expect(ids).toHaveLength(size);
  return ids;
}

function errorOf(operation: string, input: object): [string, string] {
  const error = serviceErrorOf(() => t.call(operation, input));
  return [error.code, error.message];
}

describe('CreateAutoScalingGroup', () => {
  it('refuses bad capacity bounds with AWS messages', () => {
    const template = t.ec2.createLaunchTemplate('web');
    const base = {
      AutoScalingGroupName: 'web',
      LaunchTemplate: { LaunchTemplateId: template },
      AvailabilityZones: ['us-east-1a'],
    };
    expect(errorOf('CreateAutoScalingGroup', { ...base, MinSize: 5, MaxSize: 3 })).toEqual([
      'ValidationError',
      'Max bound, 3, must be greater than or equal to min bound, 5',
    ]);
    expect(errorOf('CreateAutoScalingGroup', { ...base, MinSize: 2, MaxSize: 5, DesiredCapacity: 7 })).toEqual([
      'ValidationError',
      'Desired capacity:7 must be between the specified min size:2 and max size:5',
    ]);
  });

  it('needs exactly one launch source, an existing template, and a place to launch', () => {
    const base = { AutoScalingGroupName: 'web', MinSize: 0, MaxSize: 1, AvailabilityZones: ['us-east-1a'] };
    expect(errorOf('CreateAutoScalingGroup', base)).toEqual([
      'ValidationError',
      'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.',
    ]);
    expect(
      errorOf('CreateAutoScalingGroup', { ...base, LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0' } }),
    ).toEqual([
      'ValidationError',
      'You must use a valid fully-formed launch template. The specified launch template, with template ID lt-0123456789abcdef0, does not exist.',
    ]);
    expect(errorOf('CreateAutoScalingGroup', { ...base, LaunchTemplate: { LaunchTemplateName: 'ghost' } })[1]).toBe(
      'You must use a valid fully-formed launch template. The specified launch template, with template name ghost, does not exist.',
    );
    expect(errorOf('CreateAutoScalingGroup', { ...base, LaunchConfigurationName: 'ghost' })[1]).toBe(
      'Launch configuration name not found - Launch configuration ghost not found',
    );
    t.ec2.createLaunchTemplate('web');
    const withTemplate = { ...base, LaunchTemplate: { LaunchTemplateName: 'web' } };
    expect(errorOf('CreateAutoScalingGroup', { ...withTemplate, AvailabilityZones: undefined })[1]).toBe(
      'At least one Availability Zone or VPC Subnet is required.',
    );
    expect(errorOf('CreateAutoScalingGroup', { ...withTemplate, VPCZoneIdentifier: 'subnet-a,subnet-zz' })[1]).toBe(
      "The subnet ID 'subnet-zz' does not exist",
    );
    t.call('CreateAutoScalingGroup', withTemplate);
    expect(errorOf('CreateAutoScalingGroup', withTemplate)).toEqual([
      'AlreadyExists',
      'AutoScalingGroup by this name already exists - A group with the name web already exists',
    ]);
  });

  it('describes the group as created, DesiredCapacity defaulting to MinSize', async () => {
    const template = t.ec2.createLaunchTemplate('web');
    t.call('CreateAutoScalingGroup', {
      AutoScalingGroupName: 'web',
      MinSize: 2,
      MaxSize: 4,
      LaunchTemplate: { LaunchTemplateId: template, Version: '$Latest' },
      VPCZoneIdentifier: 'subnet-a, subnet-b',
    });
    expect(t.group('web')).toMatchObject({
      AutoScalingGroupName: 'web',
      AutoScalingGroupARN: expect.stringMatching(
        /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/web$/,
      ),
      LaunchTemplate: { LaunchTemplateId: template, LaunchTemplateName: 'web', Version: '$Latest' },
      MinSize: 2,
      MaxSize: 4,
      DesiredCapacity: 2,
      DefaultCooldown: 300,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      VPCZoneIdentifier: 'subnet-a,subnet-b',
      HealthCheckType: 'EC2',
      HealthCheckGracePeriod: 0,
      TerminationPolicies: ['Default'],
      NewInstancesProtectedFromScaleIn: false,
      Instances: [],
    });
    await t.settle();
    expect(t.group('web').Instances!.map((instance) => instance.LifecycleState)).toEqual(['Pending', 'Pending']);
  });
});

describe('scale-out', () => {
  it('launches are balanced across the subnets and their zones, with propagated tags', async () => {
    await inService('web', 6, {
      Tags: [
        { Key: 'team', Value: 'core', PropagateAtLaunch: true },
        { Key: 'cost-center', Value: '42', PropagateAtLaunch: false },
      ],
    });
    const perZone: Record<string, number> = {};
    for (const instance of t.instances('web'))
      perZone[instance.AvailabilityZone!] = (perZone[instance.AvailabilityZone!] ?? 0) + 1;
    expect(perZone).toEqual({ 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 });
    const [first] = t.inState('web', 'InService');
    expect(t.ec2.tagsOf(first!)).toEqual({ team: 'core', 'aws:autoscaling:groupName': 'web' });
    expect(t.ec2.launchRequests.map((request) => request.subnetId).sort()).toEqual(
      SUBNETS.flatMap((subnet) => [subnet.subnetId, subnet.subnetId]),
    );
  });

  it('the launch activity reads like AWS and ends Successful when the instance is InService', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    const createdAt = at(t.clock.now());
    await t.settle();
    const [pending] = t.activities('web');
    expect(pending).toMatchObject({ StatusCode: 'PreInService', Progress: 30 });
    await t.advanceBy(t.ec2.bootMs);
    const [instanceId] = t.inState('web', 'InService');
    expect(t.activities('web')[0]).toMatchObject({
      Description: `Launching a new EC2 instance: ${instanceId}`,
      Cause:
        `At ${createdAt} a user request created an AutoScalingGroup changing the desired capacity from 0 to 1.  ` +
        `At ${createdAt} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.`,
      StatusCode: 'Successful',
      Progress: 100,
      Details: '{"Subnet ID":"subnet-a","Availability Zone":"us-east-1a"}',
    });
    expect(t.eventBus.ofType('EC2 Instance Launch Successful')[0]!.detail).toMatchObject({
      EC2InstanceId: instanceId,
      Description: `Launching a new EC2 instance: ${instanceId}`,
      Details: { 'Subnet ID': 'subnet-a', 'Availability Zone': 'us-east-1a' },
    });
  });

  it('a failing launch is a Failed activity and is retried after a backoff', async () => {
    t.ec2.failLaunches = {
      remaining: 1,
      error: new ServiceError('InsufficientInstanceCapacity', 'We currently do not have sufficient capacity.'),
    };
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.settle();
    expect(t.states('web')).toEqual({});
    expect(t.activities('web')[0]).toMatchObject({
      StatusCode: 'Failed',
      StatusMessage: 'We currently do not have sufficient capacity.',
      Description:
        'Launching a new EC2 instance.  Status Reason: We currently do not have sufficient capacity. Launching EC2 instance failed.',
    });
    expect(t.eventBus.ofType('EC2 Instance Launch Unsuccessful')).toHaveLength(1);
    await t.advanceBy(10 * SECOND - 1);
    expect(t.states('web')).toEqual({});
    await t.advanceBy(1);
    expect(Object.values(t.states('web'))).toEqual(['Pending']);
  });

  it('SetDesiredCapacity answers AWS messages outside [Min, Max] and for unknown groups', () => {
    createGroup(t, { AutoScalingGroupName: 'web', MinSize: 1, MaxSize: 1 });
    expect(errorOf('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2 })).toEqual([
      'ValidationError',
      'New SetDesiredCapacity value 2 is above max value 1 for the AutoScalingGroup.',
    ]);
    expect(errorOf('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 })[1]).toBe(
      'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.',
    );
    expect(errorOf('SetDesiredCapacity', { AutoScalingGroupName: 'nope', DesiredCapacity: 0 })[1]).toBe(
      'AutoScalingGroup name not found - AutoScalingGroup nope not found',
    );
  });
});

describe('scale-in and protection', () => {
  it('protected instances survive scale-in and the activity says why', async () => {
    await inService('web', 2, { NewInstancesProtectedFromScaleIn: true });
    expect(t.instances('web').every((instance) => instance.ProtectedFromScaleIn)).toBe(true);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.advanceBy(MINUTE);
    expect(t.group('web').DesiredCapacity).toBe(0);
    expect(t.inState('web', 'InService')).toHaveLength(2);
    const blocked = t.activities('web').filter((activity) => activity.StatusMessage?.includes('protected'));
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({
      StatusCode: 'Failed',
      StatusMessage: 'Could not scale to desired capacity because all remaining instances are protected from scale-in.',
    });
    // Lifting the protection lets the pending scale-in happen.
    t.call('SetInstanceProtection', {
      AutoScalingGroupName: 'web',
      InstanceIds: t.inState('web', 'InService'),
      ProtectedFromScaleIn: false,
    });
    await t.settle();
    expect(t.inState('web', 'Terminating')).toHaveLength(2);
  });

  it('only unprotected instances are chosen; TerminateInstanceInAutoScalingGroup ignores protection', async () => {
    const [a, b, c] = await inService('web', 3);
    t.call('SetInstanceProtection', { AutoScalingGroupName: 'web', InstanceIds: [a], ProtectedFromScaleIn: true });
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.settle();
    expect(t.states('web')).toEqual({ [a!]: 'InService', [b!]: 'Terminating', [c!]: 'Terminating' });
    const answer = t.call<{ Activity: { Description: string; Cause: string; StatusCode: string } }>(
      'TerminateInstanceInAutoScalingGroup',
      { InstanceId: a, ShouldDecrementDesiredCapacity: false },
    );
    expect(answer.Activity).toMatchObject({
      Description: `Terminating EC2 instance: ${a}`,
      Cause: `At ${at(t.clock.now())} instance ${a} was taken out of service in response to a user request.`,
      StatusCode: 'InProgress',
    });
    await t.settle();
    // Without decrement a replacement launches.
    expect(t.inState('web', 'Pending')).toHaveLength(1);
  });

  it('SetInstanceProtection refuses instances outside InService/EnteringStandby/Standby', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.settle();
    const [pending] = t.inState('web', 'Pending');
    expect(
      errorOf('SetInstanceProtection', {
        AutoScalingGroupName: 'web',
        InstanceIds: [pending],
        ProtectedFromScaleIn: true,
      }),
    ).toEqual(['ValidationError', `The instance ${pending} is not in InService or EnteringStandby or Standby.`]);
    const tooMany = Array.from({ length: 51 }, (_, index) => `i-${index}`);
    expect(
      errorOf('SetInstanceProtection', {
        AutoScalingGroupName: 'web',
        InstanceIds: tooMany,
        ProtectedFromScaleIn: true,
      })[0],
    ).toBe('LimitExceeded');
  });

  it('termination with decrement shrinks the group; below MinSize it is refused', async () => {
    const [a, b] = await inService('web', 2, { MinSize: 1 });
    const answer = t.call<{ Activity: { Cause: string } }>('TerminateInstanceInAutoScalingGroup', {
      InstanceId: a,
      ShouldDecrementDesiredCapacity: true,
    });
    expect(answer.Activity.Cause).toBe(
      `At ${at(t.clock.now())} instance ${a} was taken out of service in response to a user request, shrinking the capacity from 2 to 1.`,
    );
    expect(t.group('web').DesiredCapacity).toBe(1);
    await t.advanceBy(t.ec2.shutdownMs);
    expect(t.states('web')).toEqual({ [b!]: 'InService' });
    expect(
      errorOf('TerminateInstanceInAutoScalingGroup', { InstanceId: b, ShouldDecrementDesiredCapacity: true })[0],
    ).toBe('ValidationError');
    expect(
      errorOf('TerminateInstanceInAutoScalingGroup', {
        InstanceId: 'i-0000000000000dead',
        ShouldDecrementDesiredCapacity: true,
      }),
    ).toEqual([
      'ValidationError',
      'Instance Id not found - No managed instance found for instance ID: i-0000000000000dead',
    ]);
  });

  it('OldestInstance terminates the oldest instance of the busiest zone', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      VPCZoneIdentifier: 'subnet-a',
      TerminationPolicies: ['OldestInstance'],
    });
    await t.advanceBy(t.ec2.bootMs);
    const [oldest] = t.inState('web', 'InService');
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    await t.advanceBy(t.ec2.bootMs);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.settle();
    expect(t.inState('web', 'Terminating')).toEqual([oldest]);
  });
});

describe('standby, detach and attach', () => {
  it('EnterStandby with decrement shrinks the group; ExitStandby returns the instance to service', async () => {
    const [a] = await inService('web', 2);
    const answer = t.call<{ Activities: Array<{ Description: string; Cause: string; Progress: number }> }>(
      'EnterStandby',
      { AutoScalingGroupName: 'web', InstanceIds: [a], ShouldDecrementDesiredCapacity: true },
    );
    expect(answer.Activities[0]).toMatchObject({
      Description: `Moving EC2 instance to Standby: ${a}`,
      Cause: `At ${at(t.clock.now())} instance ${a} was moved to standby in response to a user request, shrinking the capacity from 2 to 1.`,
      Progress: 50,
    });
    await t.settle();
    expect(t.states('web')[a!]).toBe('Standby');
    expect(t.group('web').DesiredCapacity).toBe(1);
    expect(
      errorOf('EnterStandby', { AutoScalingGroupName: 'web', InstanceIds: [a], ShouldDecrementDesiredCapacity: true }),
    ).toEqual(['ValidationError', `The instance ${a} is not in InService.`]);

    const exit = t.call<{ Activities: Array<{ Description: string; StatusCode: string }> }>('ExitStandby', {
      AutoScalingGroupName: 'web',
      InstanceIds: [a],
    });
    expect(exit.Activities[0]).toMatchObject({
      Description: `Moving EC2 instance out of Standby: ${a}`,
      StatusCode: 'PreInService',
    });
    expect(t.states('web')[a!]).toBe('Pending');
    await t.settle();
    expect(t.states('web')[a!]).toBe('InService');
    expect(t.group('web').DesiredCapacity).toBe(2);
    expect(errorOf('ExitStandby', { AutoScalingGroupName: 'web', InstanceIds: [a] })[1]).toBe(
      `The instance ${a} is not in Standby.`,
    );
  });

  it('EnterStandby without decrement launches a replacement; launch hooks do not fire for standby moves', async () => {
    const [a] = await inService('web', 1);
    t.call('PutLifecycleHook', {
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'warm',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      DefaultResult: 'CONTINUE',
    });
    t.call('EnterStandby', { AutoScalingGroupName: 'web', InstanceIds: [a], ShouldDecrementDesiredCapacity: false });
    await t.settle();
    const replacement = Object.keys(t.states('web')).find((id) => id !== a)!;
    expect(t.states('web')).toEqual({ [a!]: 'Standby', [replacement]: 'Pending:Wait' });
    t.call('ExitStandby', { AutoScalingGroupName: 'web', InstanceIds: [a] });
    await t.settle();
    expect(t.states('web')[a!]).toBe('InService');
  });

  it('DetachInstances removes the instance from the group; EC2 keeps it running', async () => {
    const [a, b] = await inService('web', 2);
    expect(
      errorOf('DetachInstances', {
        AutoScalingGroupName: 'web',
        InstanceIds: ['i-x'],
        ShouldDecrementDesiredCapacity: true,
      })[0],
    ).toBe('ValidationError');
    const answer = t.call<{ Activities: Array<{ Description: string }> }>('DetachInstances', {
      AutoScalingGroupName: 'web',
      InstanceIds: [a],
      ShouldDecrementDesiredCapacity: true,
    });
    expect(answer.Activities[0]!.Description).toBe(`Detaching EC2 instance: ${a}`);
    await t.settle();
    expect(t.states('web')).toEqual({ [b!]: 'InService' });
    expect(t.group('web').DesiredCapacity).toBe(1);
    expect(t.ec2.state(a!)).toBe('running');
  });

  it('DetachInstances refuses instances that are not InService or Standby', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.settle();
    const [pending] = t.inState('web', 'Pending');
    expect(
      errorOf('DetachInstances', {
        AutoScalingGroupName: 'web',
        InstanceIds: [pending],
        ShouldDecrementDesiredCapacity: false,
      }),
    ).toEqual(['ValidationError', `The instance ${pending} is not in InService or Standby.`]);
  });

  it('AttachInstances adds a running instance and raises the desired capacity, up to MaxSize', async () => {
    await inService('web', 1, { MaxSize: 2 });
    const outsider = t.ec2.runStandaloneInstance('us-east-1b');
    t.call('AttachInstances', { AutoScalingGroupName: 'web', InstanceIds: [outsider] });
    expect(t.group('web').DesiredCapacity).toBe(2);
    await t.settle();
    expect(t.states('web')[outsider]).toBe('InService');
    const another = t.ec2.runStandaloneInstance();
    expect(errorOf('AttachInstances', { AutoScalingGroupName: 'web', InstanceIds: [another] })).toEqual([
      'ValidationError',
      'Desired capacity:3 must be between the specified min size:0 and max size:2',
    ]);
    expect(errorOf('AttachInstances', { AutoScalingGroupName: 'web', InstanceIds: [outsider] })[1]).toBe(
      `The instance ${outsider} is already part of AutoScalingGroup web.`,
    );
  });
});

describe('suspended processes really stop the work', () => {
  it('Launch suspended: no launches until resumed', async () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    t.call('SuspendProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['Launch'] });
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    await t.advanceBy(MINUTE);
    expect(t.states('web')).toEqual({});
    expect(t.group('web').SuspendedProcesses).toEqual([
      { ProcessName: 'Launch', SuspensionReason: `User suspended at ${at(t.startMs)}` },
    ]);
    t.call('ResumeProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['Launch'] });
    await t.settle();
    expect(Object.values(t.states('web'))).toEqual(['Pending', 'Pending']);
  });

  it('Terminate suspended: no scale-in', async () => {
    await inService('web', 2);
    t.call('SuspendProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['Terminate'] });
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.advanceBy(MINUTE);
    expect(t.inState('web', 'InService')).toHaveLength(2);
    t.call('ResumeProcesses', { AutoScalingGroupName: 'web' });
    await t.settle();
    expect(t.inState('web', 'Terminating')).toHaveLength(2);
  });

  it('HealthCheck suspended: a failed instance is not replaced', async () => {
    const [a] = await inService('web', 1);
    t.call('SuspendProcesses', { AutoScalingGroupName: 'web' });
    expect(t.group('web').SuspendedProcesses).toHaveLength(9);
    t.ec2.failInstance(a!);
    await t.advanceBy(MINUTE);
    expect(t.instances('web')[0]).toMatchObject({
      InstanceId: a,
      LifecycleState: 'InService',
      HealthStatus: 'HEALTHY',
    });
    expect(errorOf('SuspendProcesses', { AutoScalingGroupName: 'web', ScalingProcesses: ['Launchh'] })[0]).toBe(
      'ValidationError',
    );
  });
});

describe('health checks', () => {
  it('an instance that leaves running is Unhealthy and replaced, and the activities say why', async () => {
    const [a] = await inService('web', 1);
    t.ec2.failInstance(a!);
    await t.settle();
    const now = at(t.clock.now());
    // EC2 already terminated it: the group's termination ends at once, and a replacement launches.
    const states = t.states('web');
    expect(states[a!]).toBeUndefined();
    const replacement = Object.keys(states).find((id) => id !== a)!;
    expect(states[replacement]).toBe('Pending');
    expect(t.eventBus.ofType('EC2 Instance Terminate Successful')[0]!.detail.EC2InstanceId).toBe(a);
    const [latest, previous] = t.activities('web');
    const byDescription = Object.fromEntries(
      [latest, previous].map((activity) => [activity!.Description, activity!.Cause]),
    );
    expect(byDescription[`Terminating EC2 instance: ${a}`]).toBe(
      `At ${now} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
    );
    expect(byDescription[`Launching a new EC2 instance: ${replacement}`]).toBe(
      `At ${now} an instance was launched in response to an unhealthy instance needing to be replaced.`,
    );
    await t.advanceBy(t.ec2.bootMs);
    expect(t.states('web')).toEqual({ [replacement]: 'InService' });
  });

  it('SetInstanceHealth Unhealthy replaces the instance; within the grace period it is ignored unless told otherwise', async () => {
    const [a] = await inService('web', 1, { HealthCheckGracePeriod: 300 });
    t.call('SetInstanceHealth', { InstanceId: a, HealthStatus: 'Unhealthy' });
    await t.settle();
    expect(t.states('web')[a!]).toBe('InService');
    t.call('SetInstanceHealth', { InstanceId: a, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: false });
    await t.settle();
    expect(t.states('web')[a!]).toBe('Terminating');
    const cause = t
      .activities('web')
      .find((activity) => activity.Description === `Terminating EC2 instance: ${a}`)!.Cause;
    expect(cause).toBe(
      `At ${at(t.clock.now())} an instance was taken out of service in response to a user health-check.`,
    );
    expect(errorOf('SetInstanceHealth', { InstanceId: 'i-nope', HealthStatus: 'Healthy' })[1]).toBe(
      'Instance Id not found - No managed instance found for instance ID: i-nope',
    );
  });
});

describe('cooldown', () => {
  it('SetDesiredCapacity with HonorCooldown is refused during the cooldown, not without it', async () => {
    await inService('web', 1, { DefaultCooldown: 120 });
    const error = serviceErrorOf(() =>
      t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true }),
    );
    expect(error.code).toBe('ScalingActivityInProgress');
    // The cooldown started when the instance entered service, at boot time.
    await t.advanceTo(t.ec2.bootMs + 120 * SECOND);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true });
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    expect(t.group('web').DesiredCapacity).toBe(3);
  });

  it('the cooldown does not wait for termination hooks', async () => {
    await inService('web', 2, {
      DefaultCooldown: 60,
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }],
    });
    await t.advanceBy(60 * SECOND);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 1, HonorCooldown: true });
    await t.settle();
    expect(t.inState('web', 'Terminating:Wait')).toHaveLength(1);
    expect(
      serviceErrorOf(() =>
        t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true }),
      ).code,
    ).toBe('ScalingActivityInProgress');
    await t.advanceBy(60 * SECOND);
    expect(t.inState('web', 'Terminating:Wait')).toHaveLength(1);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true });
  });

  it('a launch hook delays the cooldown until the instance is in service', async () => {
    createGroup(t, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      DefaultCooldown: 60,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: 'warm',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
          HeartbeatTimeout: 600,
          DefaultResult: 'CONTINUE',
        },
      ],
    });
    await t.advanceBy(5 * MINUTE);
    expect(
      serviceErrorOf(() =>
        t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true }),
      ).code,
    ).toBe('ScalingActivityInProgress');
    await t.advanceTo(10 * MINUTE + 60 * SECOND - 1);
    expect(
      serviceErrorOf(() =>
        t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true }),
      ).code,
    ).toBe('ScalingActivityInProgress');
    await t.advanceBy(1);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2, HonorCooldown: true });
  });
});

describe('DeleteAutoScalingGroup', () => {
  it('refuses a group with instances, unless forced; a forced delete runs no hooks', async () => {
    await inService('web', 2, {
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }],
    });
    expect(errorOf('DeleteAutoScalingGroup', { AutoScalingGroupName: 'web' })).toEqual([
      'ResourceInUse',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    ]);
    t.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'web', ForceDelete: true });
    expect(t.group('web').Status).toBe('Delete in progress');
    await t.settle();
    expect(t.inState('web', 'Terminating')).toHaveLength(2);
    expect(t.eventBus.ofType('EC2 Instance-terminate Lifecycle Action')).toHaveLength(0);
    await t.advanceBy(t.ec2.shutdownMs);
    expect(
      t.call<{ AutoScalingGroups: unknown[] }>('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['web'] })
        .AutoScalingGroups,
    ).toEqual([]);
    expect(t.activities('web')).toEqual([]);
    const kept = t.call<{ Activities: Array<{ AutoScalingGroupState: string }> }>('DescribeScalingActivities', {
      AutoScalingGroupName: 'web',
      IncludeDeletedGroups: true,
    }).Activities;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((activity) => activity.AutoScalingGroupState === 'Deleted')).toBe(true);
  });

  it('an empty group is deleted at once; a group still launching is busy', async () => {
    createGroup(t, { AutoScalingGroupName: 'empty' });
    t.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'empty' });
    await t.settle();
    expect(errorOf('DescribeLifecycleHooks', { AutoScalingGroupName: 'empty' })[1]).toBe(
      'AutoScalingGroup name not found - AutoScalingGroup empty not found',
    );
    createGroup(t, { AutoScalingGroupName: 'busy', DesiredCapacity: 1 });
    expect(errorOf('DeleteAutoScalingGroup', { AutoScalingGroupName: 'busy' })[0]).toBe('ScalingActivityInProgress');
  });
});

describe('UpdateAutoScalingGroup', () => {
  it('a larger MinSize raises the desired capacity and says so', async () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'web', MinSize: 2 });
    expect(t.group('web')).toMatchObject({ MinSize: 2, DesiredCapacity: 2 });
    await t.settle();
    const now = at(t.clock.now());
    expect(t.activities('web')[0]!.Cause).toBe(
      `At ${now} a user request update of AutoScalingGroup constraints to min: 2, max: 10, desired: 2 changing the desired capacity from 0 to 2.  ` +
        `At ${now} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2.`,
    );
    expect(errorOf('UpdateAutoScalingGroup', { AutoScalingGroupName: 'web', MaxSize: 1, MinSize: 2 })[1]).toBe(
      'Max bound, 1, must be greater than or equal to min bound, 2',
    );
  });
});

describe('launch configurations', () => {
  it('create, launch from, describe, and refuse to delete while in use', async () => {
    t.call('CreateLaunchConfiguration', {
      LaunchConfigurationName: 'lc-1',
      ImageId: 'ami-00000000000000001',
      InstanceType: 'm5.large',
      UserData: Buffer.from('#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config').toString('base64'),
    });
    expect(
      errorOf('CreateLaunchConfiguration', {
        LaunchConfigurationName: 'lc-1',
        ImageId: 'ami-1',
        InstanceType: 'm5.large',
      }),
    ).toEqual([
      'AlreadyExists',
      'Launch Configuration by this name already exists - A launch configuration already exists with the name lc-1',
    ]);
    t.call('CreateAutoScalingGroup', {
      AutoScalingGroupName: 'web',
      MinSize: 1,
      MaxSize: 1,
      LaunchConfigurationName: 'lc-1',
      AvailabilityZones: ['us-east-1b'],
    });
    await t.advanceBy(t.ec2.bootMs);
    expect(t.instances('web')[0]).toMatchObject({
      LaunchConfigurationName: 'lc-1',
      InstanceType: 'm5.large',
      AvailabilityZone: 'us-east-1b',
    });
    expect(t.ec2.launchRequests[0]!.launchConfiguration).toMatchObject({
      imageId: 'ami-00000000000000001',
      instanceType: 'm5.large',
    });
    const described = t.call<{ LaunchConfigurations: Array<Record<string, unknown>> }>('DescribeLaunchConfigurations', {
      LaunchConfigurationNames: ['lc-1'],
    }).LaunchConfigurations;
    expect(described[0]).toMatchObject({
      LaunchConfigurationName: 'lc-1',
      LaunchConfigurationARN: expect.stringMatching(
        /:launchConfiguration:[0-9a-f-]{36}:launchConfigurationName\/lc-1$/,
      ),
      InstanceMonitoring: { Enabled: true },
    });
    expect(errorOf('DeleteLaunchConfiguration', { LaunchConfigurationName: 'lc-1' })[0]).toBe('ResourceInUse');
    expect(errorOf('DeleteLaunchConfiguration', { LaunchConfigurationName: 'lc-2' })).toEqual([
      'ValidationError',
      'Launch configuration name not found - Launch configuration lc-2 not found',
    ]);
  });
});

describe('tags', () => {
  it('CreateOrUpdateTags, DescribeTags with filters, DeleteTags', () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    createGroup(t, { AutoScalingGroupName: 'api' });
    const tag = (group: string, Key: string, Value: string, PropagateAtLaunch = true) => ({
      ResourceId: group,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
      PropagateAtLaunch,
    });
    t.call('CreateOrUpdateTags', {
      Tags: [tag('web', 'env', 'prod'), tag('api', 'env', 'dev', false), tag('web', 'team', 'core')],
    });
    t.call('CreateOrUpdateTags', { Tags: [tag('web', 'env', 'staging')] });
    const all = t.call<{ Tags: unknown[] }>('DescribeTags', {}).Tags;
    expect(all).toEqual([tag('api', 'env', 'dev', false), tag('web', 'env', 'staging'), tag('web', 'team', 'core')]);
    const prodOnly = t.call<{ Tags: unknown[] }>('DescribeTags', {
      Filters: [
        { Name: 'auto-scaling-group', Values: ['web'] },
        { Name: 'key', Values: ['team'] },
      ],
    }).Tags;
    expect(prodOnly).toEqual([tag('web', 'team', 'core')]);
    const paged = t.call<{ Tags: unknown[]; NextToken: string }>('DescribeTags', { MaxRecords: 2 });
    expect(paged.Tags).toHaveLength(2);
    expect(t.call<{ Tags: unknown[] }>('DescribeTags', { NextToken: paged.NextToken }).Tags).toEqual([
      tag('web', 'team', 'core'),
    ]);
    t.call('DeleteTags', { Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'team' }] });
    expect(t.group('web').Tags).toEqual([tag('web', 'env', 'staging')]);
    expect(errorOf('CreateOrUpdateTags', { Tags: [tag('nope', 'a', 'b')] })[1]).toBe(
      'AutoScalingGroup name not found - AutoScalingGroup nope not found',
    );
  });
});

describe('notification configurations', () => {
  const topic = 'arn:aws:sns:us-east-1:123456789012:asg-events';

  it('a test notification, then launch and terminate messages to the topic', async () => {
    t.notifications.deliverable.add(topic);
    createGroup(t, { AutoScalingGroupName: 'web' });
    t.call('PutNotificationConfiguration', {
      AutoScalingGroupName: 'web',
      TopicARN: topic,
      NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_TERMINATE'],
    });
    expect(
      t.call<{ NotificationConfigurations: unknown[] }>('DescribeNotificationConfigurations', {})
        .NotificationConfigurations,
    ).toEqual([
      { AutoScalingGroupName: 'web', TopicARN: topic, NotificationType: 'autoscaling:EC2_INSTANCE_LAUNCH' },
      { AutoScalingGroupName: 'web', TopicARN: topic, NotificationType: 'autoscaling:EC2_INSTANCE_TERMINATE' },
    ]);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 1 });
    await t.advanceBy(t.ec2.bootMs);
    const [instanceId] = t.inState('web', 'InService');
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await t.advanceBy(t.ec2.shutdownMs);
    const messages = t.notifications.to(topic);
    expect(messages.map((delivery) => delivery.message.Event)).toEqual([
      'autoscaling:TEST_NOTIFICATION',
      'autoscaling:EC2_INSTANCE_LAUNCH',
      'autoscaling:EC2_INSTANCE_TERMINATE',
    ]);
    expect(messages[1]!.subject).toBe('Auto Scaling: launch for group "web"');
    expect(messages[1]!.message).toMatchObject({
      Service: 'AWS Auto Scaling',
      AutoScalingGroupName: 'web',
      EC2InstanceId: instanceId,
      Description: `Launching a new EC2 instance: ${instanceId}`,
      StatusCode: 'Successful',
      Progress: 100,
    });
    expect(messages[2]!.subject).toBe('Auto Scaling: termination for group "web"');
    t.call('DeleteNotificationConfiguration', { AutoScalingGroupName: 'web', TopicARN: topic });
    expect(
      t.call<{ NotificationConfigurations: unknown[] }>('DescribeNotificationConfigurations', {})
        .NotificationConfigurations,
    ).toEqual([]);
  });

  it('refuses unknown notification types and undeliverable topics', () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    expect(
      errorOf('PutNotificationConfiguration', {
        AutoScalingGroupName: 'web',
        TopicARN: topic,
        NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH'],
      })[0],
    ).toBe('ValidationError');
    t.notifications.deliverable.add(topic);
    expect(
      errorOf('PutNotificationConfiguration', {
        AutoScalingGroupName: 'web',
        TopicARN: topic,
        NotificationTypes: ['launch'],
      })[0],
    ).toBe('ValidationError');
  });
});

describe('DescribeScalingActivities', () => {
  it('lists in-progress activities first, then newest first, and pages with MaxRecords', async () => {
    createGroup(t, { AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    await t.advanceBy(t.ec2.bootMs);
    t.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    await t.settle();
    const activities = t.activities('web');
    expect(activities.map((activity) => activity.StatusCode)).toEqual(['PreInService', 'Successful', 'Successful']);
    const first = t.call<{ Activities: Array<{ ActivityId: string }>; NextToken: string }>(
      'DescribeScalingActivities',
      {
        AutoScalingGroupName: 'web',
        MaxRecords: 2,
      },
    );
    expect(first.Activities.map((activity) => activity.ActivityId)).toEqual(
      activities.slice(0, 2).map((a) => a.ActivityId),
    );
    const rest = t.call<{ Activities: Array<{ ActivityId: string }>; NextToken?: string }>(
      'DescribeScalingActivities',
      {
        AutoScalingGroupName: 'web',
        MaxRecords: 2,
        NextToken: first.NextToken,
      },
    );
    expect(rest.Activities.map((activity) => activity.ActivityId)).toEqual([activities[2]!.ActivityId]);
    expect(rest.NextToken).toBeUndefined();
    const byId = t.call<{ Activities: unknown[] }>('DescribeScalingActivities', {
      ActivityIds: [activities[1]!.ActivityId, 'unknown-id'],
    }).Activities;
    expect(byId).toHaveLength(1);
    expect(errorOf('DescribeScalingActivities', { NextToken: 'garbage' })).toEqual([
      'InvalidNextToken',
      'The token provided is not valid.',
    ]);
  });
});

describe('catalogue reads', () => {
  it('DescribeAccountLimits, DescribeTerminationPolicyTypes, DescribeScalingProcessTypes, DescribeAdjustmentTypes', () => {
    createGroup(t, { AutoScalingGroupName: 'web' });
    expect(t.call('DescribeAccountLimits', {})).toEqual({
      MaxNumberOfAutoScalingGroups: 500,
      MaxNumberOfLaunchConfigurations: 200,
      NumberOfAutoScalingGroups: 1,
      NumberOfLaunchConfigurations: 0,
    });
    expect(
      t.call<{ TerminationPolicyTypes: string[] }>('DescribeTerminationPolicyTypes', {}).TerminationPolicyTypes,
    ).toContain('OldestLaunchTemplate');
    expect(t.call<{ Processes: unknown[] }>('DescribeScalingProcessTypes', {}).Processes).toHaveLength(9);
    expect(t.call<{ AdjustmentTypes: unknown[] }>('DescribeAdjustmentTypes', {}).AdjustmentTypes).toHaveLength(3);
  });
});
