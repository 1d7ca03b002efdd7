/**
 * Auto Scaling through the real AWS SDK v3 client against a gateway on an ephemeral port: the
 * service is wired to in-memory EC2/ELBv2/notification ports on a virtual clock the test advances,
 * so lifecycle hooks play out in virtual time while every request and answer crosses the wire.
 */
import {
  AttachLoadBalancerTargetGroupsCommand,
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteLaunchConfigurationCommand,
  DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeAutoScalingNotificationTypesCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeLifecycleHooksCommand,
  DescribeLifecycleHookTypesCommand,
  DescribeLoadBalancerTargetGroupsCommand,
  DescribeNotificationConfigurationsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingProcessTypesCommand,
  DescribeTagsCommand,
  DescribeTerminationPolicyTypesCommand,
  DescribeTrafficSourcesCommand,
  DetachInstancesCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  PutLifecycleHookCommand,
  PutNotificationConfigurationCommand,
  PutWarmPoolCommand,
  RecordLifecycleActionHeartbeatCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SetInstanceHealthCommand,
  SetInstanceProtectionCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AutoScalingScenario } from '../../src/services/autoscaling/test-support.js';
import { ACCOUNT_ID, autoscalingScenario, MINUTE, REGION } from '../../src/services/autoscaling/test-support.js';
import { awsError } from '../support/drydock.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

let t: AutoScalingScenario;
let gateway: TestGateway;
let client: AutoScalingClient;

beforeEach(async () => {
  t = autoscalingScenario();
  gateway = await startTestGateway({
    clock: t.clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    seed: 7,
    services: { autoscaling: t.service.operations },
  });
  client = new AutoScalingClient(sdkConfig(gateway.url, REGION));
});

afterEach(async () => {
  client.destroy();
  await gateway.close();
  await t.close();
});

async function createGroup(name: string, desired: number, extra: object = {}): Promise<string> {
  const template = t.ec2.createLaunchTemplate(`template-${name}`);
  await client.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      MaxSize: 5,
      DesiredCapacity: desired,
      LaunchTemplate: { LaunchTemplateId: template, Version: '$Latest' },
      VPCZoneIdentifier: 'subnet-a,subnet-b,subnet-c',
      ...extra,
    }),
  );
  return template;
}

describe('the issue-3 walkthrough through the SDK', () => {
  it('a group of 3 with a terminate hook scales to 1: two instances wait, one heartbeat, completions by instance id and by token', async () => {
    const template = await createGroup('fleet', 3);
    await client.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: 'fleet',
        LifecycleHookName: 'drain',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 900,
      }),
    );
    await t.advanceBy(t.ec2.bootMs);
    const described = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['fleet'] }));
    const group = described.AutoScalingGroups![0]!;
    expect(group.LaunchTemplate).toEqual({
      LaunchTemplateId: template,
      LaunchTemplateName: 'template-fleet',
      Version: '$Latest',
    });
    expect(group.Instances!.map((instance) => instance.LifecycleState)).toEqual([
      'InService',
      'InService',
      'InService',
    ]);
    expect(group.CreatedTime).toBeInstanceOf(Date);

    await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'fleet', DesiredCapacity: 1 }));
    await t.settle();
    const instances = (await client.send(new DescribeAutoScalingInstancesCommand({}))).AutoScalingInstances!;
    const waiting = instances.filter((instance) => instance.LifecycleState === 'Terminating:Wait');
    expect(waiting).toHaveLength(2);
    expect(waiting[0]).toMatchObject({
      AutoScalingGroupName: 'fleet',
      HealthStatus: 'HEALTHY',
      ProtectedFromScaleIn: false,
    });
    const [byId, byToken] = waiting.map((instance) => instance.InstanceId!) as [string, string];
    const token = t.eventBus
      .ofType('EC2 Instance-terminate Lifecycle Action')
      .find((event) => event.detail.EC2InstanceId === byToken)!.detail.LifecycleActionToken as string;

    await t.advanceBy(10 * MINUTE);
    await client.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: 'fleet',
        LifecycleHookName: 'drain',
        InstanceId: byId,
      }),
    );
    await client.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: 'fleet',
        LifecycleHookName: 'drain',
        InstanceId: byId,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    await client.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: 'fleet',
        LifecycleHookName: 'drain',
        LifecycleActionToken: token,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    await t.advanceBy(t.ec2.shutdownMs);
    const after = (await client.send(new DescribeAutoScalingInstancesCommand({}))).AutoScalingInstances!;
    expect(after.map((instance) => instance.LifecycleState)).toEqual(['InService']);

    const activities = (await client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'fleet' })))
      .Activities!;
    expect(activities).toHaveLength(5);
    const terminations = activities.filter((activity) =>
      activity.Description!.startsWith('Terminating EC2 instance: '),
    );
    expect(terminations).toHaveLength(2);
    for (const activity of terminations) {
      expect(activity.StatusCode).toBe('Successful');
      expect(activity.EndTime).toBeInstanceOf(Date);
      expect(activity.Cause).toMatch(
        /^At \S+Z a user request explicitly set group desired capacity changing the desired capacity from 3 to 1\. {2}At \S+Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 1\. {2}At \S+Z instance i-[0-9a-f]{17} was selected for termination\.$/,
      );
    }

    const error = await awsError(() =>
      client.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: 'fleet',
          LifecycleHookName: 'drain',
          LifecycleActionToken: token,
          LifecycleActionResult: 'CONTINUE',
        }),
      ),
    );
    expect([error.name, error.message, error.$metadata.httpStatusCode, error.$fault]).toEqual([
      'ValidationError',
      `No active Lifecycle Action found with token ${token}`,
      400,
      'client',
    ]);
  });
});

describe('instance operations answer AWS shapes', () => {
  it('TerminateInstanceInAutoScalingGroup, EnterStandby, ExitStandby, DetachInstances return their activities', async () => {
    await createGroup('web', 3);
    await t.advanceBy(t.ec2.bootMs);
    const [a, b, c] = t.inState('web', 'InService') as [string, string, string];
    const terminated = await client.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: a, ShouldDecrementDesiredCapacity: true }),
    );
    expect(terminated.Activity).toMatchObject({
      Description: `Terminating EC2 instance: ${a}`,
      StatusCode: 'InProgress',
      AutoScalingGroupName: 'web',
    });
    expect(terminated.Activity!.StartTime).toBeInstanceOf(Date);
    const standby = await client.send(
      new EnterStandbyCommand({ AutoScalingGroupName: 'web', InstanceIds: [b], ShouldDecrementDesiredCapacity: true }),
    );
    expect(standby.Activities![0]).toMatchObject({ Description: `Moving EC2 instance to Standby: ${b}`, Progress: 50 });
    await t.settle();
    const exit = await client.send(new ExitStandbyCommand({ AutoScalingGroupName: 'web', InstanceIds: [b] }));
    expect(exit.Activities![0]).toMatchObject({ Description: `Moving EC2 instance out of Standby: ${b}` });
    await t.settle();
    await client.send(
      new SetInstanceProtectionCommand({ AutoScalingGroupName: 'web', InstanceIds: [b], ProtectedFromScaleIn: true }),
    );
    await t.settle();
    const detached = await client.send(
      new DetachInstancesCommand({
        AutoScalingGroupName: 'web',
        InstanceIds: [c],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    expect(detached.Activities![0]!.Description).toBe(`Detaching EC2 instance: ${c}`);
    await client.send(new SetInstanceHealthCommand({ InstanceId: b, HealthStatus: 'Healthy' }));
    await client.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'web', ScalingProcesses: ['AZRebalance'] }));
    await client.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'web' }));
    await client.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MaxSize: 4, HealthCheckGracePeriod: 60 }),
    );
    const group = (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] })))
      .AutoScalingGroups![0]!;
    expect(group).toMatchObject({ MaxSize: 4, HealthCheckGracePeriod: 60, DesiredCapacity: 1, SuspendedProcesses: [] });
  });
});

describe('reads and catalogues', () => {
  it('round-trips hooks, tags, notification configurations, launch configurations, target groups and catalogues', async () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:events';
    t.notifications.deliverable.add(topic);
    const targetGroup = t.targetGroups.createTargetGroup('web');
    await client.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'lc',
        ImageId: 'ami-12345678',
        InstanceType: 't3.small',
      }),
    );
    await client.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'web',
        MinSize: 0,
        MaxSize: 2,
        LaunchConfigurationName: 'lc',
        AvailabilityZones: ['us-east-1a', 'us-east-1c'],
        Tags: [{ Key: 'env', Value: 'prod', PropagateAtLaunch: true }],
        LifecycleHookSpecificationList: [
          {
            LifecycleHookName: 'warm',
            LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
            NotificationMetadata: 'm',
          },
        ],
      }),
    );
    await client.send(
      new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'web', TargetGroupARNs: [targetGroup] }),
    );
    await client.send(
      new PutNotificationConfigurationCommand({
        AutoScalingGroupName: 'web',
        TopicARN: topic,
        NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH'],
      }),
    );
    await client.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: 'web',
            ResourceType: 'auto-scaling-group',
            Key: 'team',
            Value: 'core',
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
    const hooks = await client.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'web' }));
    expect(hooks.LifecycleHooks).toEqual([
      {
        LifecycleHookName: 'warm',
        AutoScalingGroupName: 'web',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        NotificationMetadata: 'm',
        HeartbeatTimeout: 3600,
        GlobalTimeout: 172800,
        DefaultResult: 'ABANDON',
      },
    ]);
    expect((await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }] }))).Tags).toEqual(
      [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'core', PropagateAtLaunch: false }],
    );
    expect((await client.send(new DescribeNotificationConfigurationsCommand({}))).NotificationConfigurations).toEqual([
      { AutoScalingGroupName: 'web', TopicARN: topic, NotificationType: 'autoscaling:EC2_INSTANCE_LAUNCH' },
    ]);
    const configs = (await client.send(new DescribeLaunchConfigurationsCommand({}))).LaunchConfigurations!;
    expect(configs[0]).toMatchObject({
      LaunchConfigurationName: 'lc',
      ImageId: 'ami-12345678',
      InstanceType: 't3.small',
    });
    expect(configs[0]!.CreatedTime).toBeInstanceOf(Date);
    expect(
      (await client.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'web' })))
        .LoadBalancerTargetGroups,
    ).toEqual([{ LoadBalancerTargetGroupARN: targetGroup, State: 'Adding' }]);
    expect(
      (await client.send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'web' }))).TrafficSources,
    ).toEqual([{ TrafficSource: targetGroup, Identifier: targetGroup, Type: 'elbv2', State: 'Adding' }]);
    expect((await client.send(new DescribeLifecycleHookTypesCommand({}))).LifecycleHookTypes).toEqual([
      'autoscaling:EC2_INSTANCE_LAUNCHING',
      'autoscaling:EC2_INSTANCE_TERMINATING',
    ]);
    expect((await client.send(new DescribeTerminationPolicyTypesCommand({}))).TerminationPolicyTypes).toHaveLength(7);
    expect((await client.send(new DescribeScalingProcessTypesCommand({}))).Processes).toHaveLength(9);
    expect(
      (await client.send(new DescribeAutoScalingNotificationTypesCommand({}))).AutoScalingNotificationTypes,
    ).toHaveLength(5);
    expect(await client.send(new DescribeAccountLimitsCommand({}))).toMatchObject({
      MaxNumberOfAutoScalingGroups: 500,
      NumberOfAutoScalingGroups: 1,
      NumberOfLaunchConfigurations: 1,
    });
  });
});

describe('errors on the wire', () => {
  const expectError = async (
    call: () => Promise<unknown>,
    name: string,
    message: string,
    status = 400,
  ): Promise<void> => {
    const error = await awsError(call);
    expect({ name: error.name, message: error.message, status: error.$metadata.httpStatusCode }).toEqual({
      name,
      message,
      status,
    });
  };

  it('ValidationError: unknown group, capacity bounds, launch template, hook and action lookups', async () => {
    await expectError(
      () => client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'ghost', DesiredCapacity: 1 })),
      'ValidationError',
      'AutoScalingGroup name not found - AutoScalingGroup ghost not found',
    );
    await createGroup('web', 0);
    await expectError(
      () => client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 9 })),
      'ValidationError',
      'New SetDesiredCapacity value 9 is above max value 5 for the AutoScalingGroup.',
    );
    await expectError(
      () => client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MinSize: 3, MaxSize: 2 })),
      'ValidationError',
      'Max bound, 2, must be greater than or equal to min bound, 3',
    );
    await expectError(
      () =>
        client.send(
          new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: 'other',
            MinSize: 0,
            MaxSize: 1,
            LaunchTemplate: { LaunchTemplateName: 'nope' },
            AvailabilityZones: ['us-east-1a'],
          }),
        ),
      'ValidationError',
      'You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist.',
    );
    await expectError(
      () =>
        client.send(
          new RecordLifecycleActionHeartbeatCommand({
            AutoScalingGroupName: 'web',
            LifecycleHookName: 'drain',
            InstanceId: 'i-0123456789abcdef0',
          }),
        ),
      'ValidationError',
      'No active Lifecycle Action found with instance ID i-0123456789abcdef0',
    );
    await expectError(
      () =>
        client.send(
          new TerminateInstanceInAutoScalingGroupCommand({
            InstanceId: 'i-0123456789abcdef0',
            ShouldDecrementDesiredCapacity: false,
          }),
        ),
      'ValidationError',
      'Instance Id not found - No managed instance found for instance ID: i-0123456789abcdef0',
    );
  });

  it('AlreadyExistsFault, LimitExceededFault, ResourceInUseFault, ScalingActivityInProgressFault, InvalidNextToken', async () => {
    await createGroup('web', 1);
    await expectError(
      () => createGroup('web', 1),
      // The SDK names modeled errors after their shape (`AlreadyExistsFault`), as it does against AWS.
      'AlreadyExistsFault',
      'AutoScalingGroup by this name already exists - A group with the name web already exists',
    );
    const many = Array.from({ length: 51 }, (_, index) => `i-${String(index).padStart(17, '0')}`);
    const limit = await awsError(() =>
      client.send(
        new SetInstanceProtectionCommand({
          AutoScalingGroupName: 'web',
          InstanceIds: many,
          ProtectedFromScaleIn: true,
        }),
      ),
    );
    expect([limit.name, limit.$metadata.httpStatusCode]).toEqual(['LimitExceededFault', 400]);
    await expectError(
      () => client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web' })),
      'ScalingActivityInProgressFault',
      'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.',
    );
    await t.settle();
    await expectError(
      () => client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web' })),
      'ResourceInUseFault',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    );
    await client.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'lc',
        ImageId: 'ami-1',
        InstanceType: 't3.small',
      }),
    );
    await client.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'lc' }));
    await expectError(
      () => client.send(new DescribeAutoScalingGroupsCommand({ NextToken: 'not-a-token' })),
      'InvalidNextToken',
      'The token provided is not valid.',
    );
    await client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web', ForceDelete: true }));
    await t.advanceBy(t.ec2.shutdownMs);
    expect((await client.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups).toEqual([]);
  });

  it('an operation drydock does not implement answers NotImplemented (501)', async () => {
    const error = await awsError(() => client.send(new PutWarmPoolCommand({ AutoScalingGroupName: 'web' })));
    expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['NotImplemented', 501, 'server']);
  });
});
