/**
 * Instance refresh through the real AWS SDK v3 client against a gateway on an ephemeral port:
 * StartInstanceRefresh, DescribeInstanceRefreshes and CancelInstanceRefresh, their answers and
 * every error (model validation from the gateway, Auto Scaling's own rules, InstanceRefreshInProgress,
 * ActiveInstanceRefreshNotFound, InvalidNextToken), while the refresh itself plays out on the
 * virtual clock. RollbackInstanceRefresh is not served and answers NotImplemented.
 */
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import {
  AttachLoadBalancerTargetGroupsCommand,
  AutoScalingClient,
  CancelInstanceRefreshCommand,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  RollbackInstanceRefreshCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AutoScalingScenario } from '../../src/services/autoscaling/test-support.js';
import { ACCOUNT_ID, autoscalingScenario, REGION, SECOND } from '../../src/services/autoscaling/test-support.js';
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

/** A group of `size` in service on version 1 of a template; returns the template id and a version 2. */
async function fleet(name: string, size: number): Promise<{ template: string; v2: string }> {
  const template = t.ec2.createLaunchTemplate(`template-${name}`);
  await client.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      MaxSize: 10,
      DesiredCapacity: size,
      LaunchTemplate: { LaunchTemplateId: template, Version: '1' },
      VPCZoneIdentifier: 'subnet-a,subnet-b',
    }),
  );
  await t.advanceBy(t.ec2.bootMs);
  return { template, v2: String(t.ec2.createLaunchTemplateVersion(template)) };
}

async function describe1(name: string): Promise<InstanceRefresh> {
  const answer = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name }));
  return answer.InstanceRefreshes![0]!;
}

describe('StartInstanceRefresh → DescribeInstanceRefreshes → Successful', () => {
  it('replaces a group of 4 in two batches and moves it to the desired configuration', async () => {
    const { template, v2 } = await fleet('web', 4);
    const started = await client.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: template, Version: v2 } },
        Preferences: {
          MinHealthyPercentage: 50,
          InstanceWarmup: 60,
          CheckpointPercentages: [50, 100],
          CheckpointDelay: 300,
        },
      }),
    );
    expect(started.InstanceRefreshId).toMatch(/^[0-9a-f-]{36}$/);
    const pending = await describe1('web');
    expect(pending).toEqual({
      InstanceRefreshId: started.InstanceRefreshId,
      AutoScalingGroupName: 'web',
      Status: 'Pending',
      StartTime: new Date(t.clock.now()),
      PercentageComplete: 0,
      InstancesToUpdate: 4,
      ProgressDetails: { LivePoolProgress: { PercentageComplete: 0, InstancesToUpdate: 4 } },
      Preferences: {
        MinHealthyPercentage: 50,
        MaxHealthyPercentage: 100,
        InstanceWarmup: 60,
        CheckpointPercentages: [50, 100],
        CheckpointDelay: 300,
        SkipMatching: false,
        AutoRollback: false,
        ScaleInProtectedInstances: 'Wait',
        StandbyInstances: 'Wait',
      },
      DesiredConfiguration: {
        LaunchTemplate: { LaunchTemplateId: template, LaunchTemplateName: 'template-web', Version: v2 },
      },
      Strategy: 'Rolling',
    });

    await t.settle();
    await t.advanceBy(t.ec2.bootMs + 60 * SECOND);
    const atCheckpoint = await describe1('web');
    expect(atCheckpoint).toMatchObject({
      Status: 'InProgress',
      PercentageComplete: 50,
      InstancesToUpdate: 2,
      StatusReason: 'Checkpoint 50% reached. Waiting 300 seconds before continuing.',
    });
    await t.advanceBy(300 * SECOND + t.ec2.bootMs + 60 * SECOND);
    const done = await describe1('web');
    expect(done).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect(done.EndTime).toBeInstanceOf(Date);

    const group = (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] })))
      .AutoScalingGroups![0]!;
    expect(group.LaunchTemplate).toEqual({
      LaunchTemplateId: template,
      LaunchTemplateName: 'template-web',
      Version: v2,
    });
    expect(group.Instances!.map((instance) => instance.LaunchTemplate!.Version)).toEqual([v2, v2, v2, v2]);

    const activities = (await client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web' })))
      .Activities!;
    const causes = activities.map((activity) => activity.Cause!.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'T'));
    expect(
      causes.filter((cause) => cause === 'At T an instance was launched in response to an instance refresh.'),
    ).toHaveLength(4);
    expect(
      causes.filter((cause) =>
        /^At T an instance was taken out of service in response to an instance refresh\. {2}At T instance i-\w+ was selected for termination\.$/.test(
          cause,
        ),
      ),
    ).toHaveLength(4);
    expect(
      t.eventBus.events
        .filter((event) => event.detailType.startsWith('EC2 Auto Scaling Instance Refresh'))
        .map((event) => event.detailType),
    ).toEqual([
      'EC2 Auto Scaling Instance Refresh Started',
      'EC2 Auto Scaling Instance Refresh Checkpoint Reached',
      'EC2 Auto Scaling Instance Refresh Checkpoint Reached',
      'EC2 Auto Scaling Instance Refresh Succeeded',
    ]);
  });

  it('DescribeInstanceRefreshes lists newest first, filters by id, and pages with MaxRecords', async () => {
    await fleet('web', 1);
    const ids: string[] = [];
    for (let run = 0; run < 3; run += 1) {
      ids.push(
        (
          await client.send(
            new StartInstanceRefreshCommand({
              AutoScalingGroupName: 'web',
              Preferences: { MinHealthyPercentage: 0, InstanceWarmup: 0 },
            }),
          )
        ).InstanceRefreshId!,
      );
      await t.advanceBy(2 * t.ec2.bootMs);
    }
    const all = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web' }));
    expect(all.InstanceRefreshes!.map((refresh) => refresh.InstanceRefreshId)).toEqual([...ids].reverse());
    expect(all.InstanceRefreshes!.map((refresh) => refresh.Status)).toEqual(['Successful', 'Successful', 'Successful']);
    const first = await client.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web', MaxRecords: 2 }),
    );
    expect(first.InstanceRefreshes).toHaveLength(2);
    const second = await client.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web', MaxRecords: 2, NextToken: first.NextToken }),
    );
    expect(second.InstanceRefreshes!.map((refresh) => refresh.InstanceRefreshId)).toEqual([ids[0]]);
    expect(second.NextToken).toBeUndefined();
    const one = await client.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web', InstanceRefreshIds: [ids[1]!, 'unknown'] }),
    );
    expect(one.InstanceRefreshes!.map((refresh) => refresh.InstanceRefreshId)).toEqual([ids[1]]);
  });
});

describe('CancelInstanceRefresh', () => {
  it('answers the id, goes Cancelling, then Cancelled once the batch in flight is done', async () => {
    const { template, v2 } = await fleet('web', 2);
    const { InstanceRefreshId } = await client.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: template, Version: v2 } },
        Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 0 },
      }),
    );
    await t.settle();
    const cancelled = await client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'web' }));
    expect(cancelled.InstanceRefreshId).toBe(InstanceRefreshId);
    expect((await describe1('web')).Status).toBe('Cancelling');
    await t.advanceBy(t.ec2.bootMs);
    expect(await describe1('web')).toMatchObject({ Status: 'Cancelled', PercentageComplete: 50 });
  });
});

describe('errors', () => {
  it('InstanceRefreshInProgress while one is active', async () => {
    await fleet('web', 1);
    await client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web' }));
    const error = await awsError(() => client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web' })));
    expect([error.name, error.message, error.$metadata.httpStatusCode, error.$fault]).toEqual([
      'InstanceRefreshInProgressFault',
      'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
      400,
      'client',
    ]);
    // Attaching traffic sources is refused too while the refresh runs (`M:asg`).
    const attach = await awsError(() =>
      client.send(
        new AttachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: 'web',
          TargetGroupARNs: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0000000000000001'],
        }),
      ),
    );
    expect(attach.name).toBe('InstanceRefreshInProgressFault');
  });

  it('ActiveInstanceRefreshNotFound without an active refresh', async () => {
    await fleet('web', 1);
    const error = await awsError(() => client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'web' })));
    expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual([
      'ActiveInstanceRefreshNotFoundFault',
      'No in progress or pending Instance Refresh found for Auto Scaling group web',
      400,
    ]);
  });

  it('an unknown group is a ValidationError for each operation', async () => {
    for (const command of [
      new StartInstanceRefreshCommand({ AutoScalingGroupName: 'ghost' }),
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'ghost' }),
      new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'ghost' }),
    ]) {
      const error = await awsError(() => client.send(command as never));
      expect([error.name, error.message]).toEqual([
        'ValidationError',
        'AutoScalingGroup name not found - AutoScalingGroup ghost not found',
      ]);
    }
  });

  it('preference rules, with the model ranges checked by the gateway', async () => {
    const { template } = await fleet('web', 1);
    const start = (input: object) =>
      awsError(() => client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web', ...input })));
    const cases: Array<[object, RegExp]> = [
      [{ Preferences: { MinHealthyPercentage: 101 } }, /minHealthyPercentage.*less than or equal to 100/],
      [
        { Preferences: { MinHealthyPercentage: 90, MaxHealthyPercentage: 250 } },
        /maxHealthyPercentage.*less than or equal to 200/,
      ],
      [
        { Preferences: { MaxHealthyPercentage: 150 } },
        /^MinHealthyPercentage must be specified when MaxHealthyPercentage/,
      ],
      [
        { Preferences: { MinHealthyPercentage: 0, MaxHealthyPercentage: 150 } },
        /^The difference between MaxHealthyPercentage \(150\) and MinHealthyPercentage \(0\) cannot be greater than 100\.$/,
      ],
      [{ Preferences: { CheckpointPercentages: [0] } }, /checkpointPercentages.*greater than or equal to 1/],
      [
        { Preferences: { CheckpointPercentages: [60, 40] } },
        /^CheckpointPercentages values must be unique and in ascending order\.$/,
      ],
      [{ Preferences: { CheckpointDelay: 600 } }, /^CheckpointPercentages must be specified when CheckpointDelay/],
      [{ Preferences: { CheckpointPercentages: [50], CheckpointDelay: 172801 } }, /checkpointDelay/],
      [
        { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0' } } },
        /^You must use a valid fully-formed launch template\. The specified launch template, with template ID lt-0123456789abcdef0, does not exist\.$/,
      ],
      [
        {
          DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: template, LaunchTemplateName: 'template-web' } },
        },
        /^You must use a valid fully-formed launch template\. You must specify either the launch template ID or launch template name/,
      ],
      [{ Preferences: { AutoRollback: true } }, /AutoRollback/],
      [{ Strategy: 'ReplaceRootVolume' }, /ReplaceRootVolume/],
    ];
    for (const [input, message] of cases) {
      const error = await start(input);
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ValidationError', 400]);
      expect(error.message).toMatch(message);
    }
    // None of them started a refresh.
    const listed = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web' }));
    expect(listed.InstanceRefreshes).toEqual([]);
  });

  it('SkipMatching on a launch configuration group needs a desired launch template', async () => {
    await client.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'web-v1',
        ImageId: 'ami-00000000000000001',
        InstanceType: 't3.micro',
      }),
    );
    await client.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'legacy',
        MinSize: 0,
        MaxSize: 2,
        LaunchConfigurationName: 'web-v1',
        VPCZoneIdentifier: 'subnet-a',
      }),
    );
    const error = await awsError(() =>
      client.send(
        new StartInstanceRefreshCommand({ AutoScalingGroupName: 'legacy', Preferences: { SkipMatching: true } }),
      ),
    );
    expect([error.name, error.message]).toEqual([
      'ValidationError',
      'The skip matching feature cannot be used to update an Auto Scaling group that uses a launch configuration unless a launch template is specified for the desired configuration.',
    ]);
  });

  it('MaxRecords and NextToken are checked', async () => {
    await fleet('web', 1);
    const tooMany = await awsError(() =>
      client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web', MaxRecords: 101 })),
    );
    expect([tooMany.name, tooMany.message]).toEqual([
      'ValidationError',
      "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100",
    ]);
    const badToken = await awsError(() =>
      client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web', NextToken: 'not-a-token' })),
    );
    expect(badToken.name).toBe('InvalidNextToken');
  });

  it('RollbackInstanceRefresh is not implemented (501)', async () => {
    const error = await awsError(() =>
      client.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'web' })),
    );
    expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['NotImplemented', 501, 'server']);
  });
});
