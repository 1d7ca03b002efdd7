/**
 * EC2 through the real `@aws-sdk/client-ec2` (and once through the AWS CLI) against a gateway
 * serving only EC2, on a virtual clock: the default network, launch templates and versions,
 * instances through their lifecycle, attributes, tags, instance types, and EC2's errors as an SDK
 * user sees them (`err.name`, HTTP status).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  type Instance,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { seededRandom } from '../../src/kernel/random.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import type { AwsEventInput } from '../../src/services/events/ports.js';
import { createEc2Service, type Ec2Service } from '../../src/services/ec2/service.js';
import { ec2Migrations } from '../../src/services/ec2/store.js';
import { openStore, type Store } from '../../src/store/store.js';
import { awsError } from '../support/drydock.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

const ACCOUNT = '000000000000';
const AMI = 'ami-0123456789abcdef0';
const BOOT_MS = 15_000;

let clock: VirtualClock;
let store: Store;
let controlLoop: ControlLoop;
let service: Ec2Service;
let gateway: TestGateway;
let ec2: EC2Client;
const events: AwsEventInput[] = [];

beforeAll(async () => {
  clock = new VirtualClock();
  store = openStore({ location: 'memory', migrations: ec2Migrations });
  controlLoop = new ControlLoop({ clock, logger: silentLogger });
  service = createEc2Service({
    store,
    clock,
    random: seededRandom(11),
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: { publish: (event) => events.push(event) },
      instanceStateListener: { instanceStateChanged: () => {} },
    },
    timings: { bootMs: BOOT_MS, shutdownMs: 35_000, stopMs: 30_000, startMs: 15_000 },
  });
  gateway = await startTestGateway({
    clock,
    accountId: ACCOUNT,
    region: 'us-east-1',
    seed: 12,
    services: { ec2: service.operations },
    admin: {
      reset: () => store.reset(),
    },
  });
  ec2 = new EC2Client(sdkConfig(gateway.url, 'us-east-1'));
});

afterAll(async () => {
  ec2.destroy();
  await gateway.close();
  await controlLoop.stop();
  clock.close();
  store.close();
});

async function runOne(input: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}): Promise<Instance> {
  const reservation = await ec2.send(
    new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...input }),
  );
  return reservation.Instances![0]!;
}

async function describeOne(instanceId: string): Promise<Instance> {
  const result = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return result.Reservations![0]!.Instances![0]!;
}

describe('the default network', () => {
  it('has the Region’s zones with their zone ids', async () => {
    const result = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(result.AvailabilityZones?.map((zone) => [zone.ZoneName, zone.ZoneId])).toEqual([
      ['us-east-1a', 'use1-az1'],
      ['us-east-1b', 'use1-az2'],
      ['us-east-1c', 'use1-az3'],
      ['us-east-1d', 'use1-az4'],
      ['us-east-1e', 'use1-az5'],
      ['us-east-1f', 'use1-az6'],
    ]);
  });

  it('has a default VPC with one default /20 subnet per zone and a default security group', async () => {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    expect(vpcs.Vpcs).toHaveLength(1);
    const vpc = vpcs.Vpcs![0]!;
    expect(vpc).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available', OwnerId: ACCOUNT });

    const subnets = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
          { Name: 'default-for-az', Values: ['true'] },
        ],
      }),
    );
    expect(subnets.Subnets?.map((subnet) => [subnet.AvailabilityZone, subnet.CidrBlock])).toEqual(
      expect.arrayContaining([
        ['us-east-1a', '172.31.0.0/20'],
        ['us-east-1b', '172.31.16.0/20'],
        ['us-east-1f', '172.31.80.0/20'],
      ]),
    );
    expect(subnets.Subnets).toHaveLength(6);

    const inZone = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1c'] }] }),
    );
    expect(inZone.Subnets?.map((subnet) => subnet.CidrBlock)).toEqual(['172.31.32.0/20']);

    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
    );
    expect(groups.SecurityGroups).toEqual([
      expect.objectContaining({ GroupName: 'default', VpcId: vpc.VpcId, Description: 'default VPC security group' }),
    ]);
  });

  it('refuses ids that do not exist, and filters it does not know', async () => {
    const subnet = await awsError(() => ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-00000000'] })));
    expect(subnet.name).toBe('InvalidSubnetID.NotFound');
    expect(subnet.message).toBe("The subnet ID 'subnet-00000000' does not exist");
    expect(subnet.$metadata.httpStatusCode).toBe(400);
    const vpc = await awsError(() => ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-00000000'] })));
    expect(vpc.name).toBe('InvalidVpcID.NotFound');
    const filter = await awsError(() =>
      ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })),
    );
    expect([filter.name, filter.message]).toEqual(['InvalidParameterValue', "The filter 'colour' is invalid"]);
  });
});

describe('launch templates', () => {
  const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=fleet >> /etc/ecs/ecs.config\n').toString('base64');

  it('creates, versions, describes, modifies and deletes a template', async () => {
    const created = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'fleet-node',
        VersionDescription: 'first',
        LaunchTemplateData: { ImageId: AMI, InstanceType: 't3.small', UserData: userData },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'infra' }] }],
      }),
    );
    const template = created.LaunchTemplate!;
    expect(template).toMatchObject({
      LaunchTemplateName: 'fleet-node',
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      CreatedBy: `arn:aws:iam::${ACCOUNT}:root`,
      Tags: [{ Key: 'team', Value: 'infra' }],
    });
    expect(template.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);

    const v2 = await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: template.LaunchTemplateId,
        SourceVersion: '1',
        LaunchTemplateData: { InstanceType: 'm5.large' },
      }),
    );
    expect(v2.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 2,
      DefaultVersion: false,
      LaunchTemplateData: { ImageId: AMI, InstanceType: 'm5.large', UserData: userData },
    });

    const latest = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'fleet-node', Versions: ['$Latest'] }),
    );
    expect(latest.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([2]);
    const byDefault = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: template.LaunchTemplateId,
        Versions: ['$Default'],
      }),
    );
    expect(byDefault.LaunchTemplateVersions?.[0]).toMatchObject({
      VersionNumber: 1,
      DefaultVersion: true,
      VersionDescription: 'first',
      LaunchTemplateData: { UserData: userData },
    });

    const modified = await ec2.send(
      new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'fleet-node', DefaultVersion: '2' }),
    );
    expect(modified.LaunchTemplate?.DefaultVersionNumber).toBe(2);
    const all = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'fleet-node' }));
    expect(all.LaunchTemplateVersions?.map((v) => [v.VersionNumber, v.DefaultVersion])).toEqual([
      [1, false],
      [2, true],
    ]);
    const everyLatest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'] }));
    expect(everyLatest.LaunchTemplateVersions?.map((v) => v.LaunchTemplateName)).toContain('fleet-node');

    const listed = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['fleet-node'] }));
    expect(listed.LaunchTemplates?.[0]).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });

    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: template.LaunchTemplateId }));
    const gone = await awsError(() =>
      ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['fleet-node'] })),
    );
    expect([gone.name, gone.message]).toEqual([
      'InvalidLaunchTemplateName.NotFoundException',
      'At least one of the launch templates specified in the request does not exist.',
    ]);
  });

  it('answers AWS’s launch template errors', async () => {
    const created = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'errors-lt', LaunchTemplateData: { ImageId: AMI } }),
    );
    const id = created.LaunchTemplate!.LaunchTemplateId!;

    const duplicate = await awsError(() =>
      ec2.send(
        new CreateLaunchTemplateCommand({ LaunchTemplateName: 'errors-lt', LaunchTemplateData: { ImageId: AMI } }),
      ),
    );
    expect([duplicate.name, duplicate.message, duplicate.$metadata.httpStatusCode]).toEqual([
      'InvalidLaunchTemplateName.AlreadyExistsException',
      'Launch template name already in use.',
      400,
    ]);

    const byName = await awsError(() =>
      ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'missing-lt' })),
    );
    expect([byName.name, byName.message]).toEqual([
      'InvalidLaunchTemplateName.NotFoundException',
      'The specified launch template, with template name missing-lt, does not exist.',
    ]);

    const byId = await awsError(() =>
      ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-07ff4bb0369cd679c' })),
    );
    expect([byId.name, byId.message]).toEqual([
      'InvalidLaunchTemplateId.NotFound',
      'The specified launch template, with template ID lt-07ff4bb0369cd679c, does not exist.',
    ]);

    const version = await awsError(() =>
      ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['3'] })),
    );
    expect([version.name, version.message]).toEqual([
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find the specified version 3 for the launch template with ID ${id}.`,
    ]);

    const defaultVersion = await awsError(() =>
      ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' })),
    );
    expect([defaultVersion.name, defaultVersion.message]).toEqual([
      'InvalidLaunchTemplateId.VersionNotFound',
      'The launch template version 2 is not found for the specified launch template.',
    ]);

    const neither = await awsError(() => ec2.send(new DeleteLaunchTemplateCommand({})));
    expect([neither.name, neither.message]).toEqual([
      'MissingParameter',
      'The request must contain the parameter launch template ID or launch template name',
    ]);
  });
});

describe('instances', () => {
  it('runs from a launch template with overrides and tags, then boots on the clock', async () => {
    const template = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'run-lt',
        LaunchTemplateData: {
          ImageId: AMI,
          InstanceType: 't3.small',
          UserData: Buffer.from('ECS_CLUSTER=prod').toString('base64'),
        },
      }),
    );
    const id = template.LaunchTemplate!.LaunchTemplateId!;
    const reservation = await ec2.send(
      new RunInstancesCommand({
        LaunchTemplate: { LaunchTemplateName: 'run-lt', Version: '$Latest' },
        InstanceType: 'c6g.large',
        MinCount: 2,
        MaxCount: 2,
        Placement: { AvailabilityZone: 'us-east-1b' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'worker' }] }],
      }),
    );
    expect(reservation.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(reservation.OwnerId).toBe(ACCOUNT);
    expect(reservation.Instances).toHaveLength(2);
    const [first] = reservation.Instances!;
    expect(first).toMatchObject({
      State: { Code: 0, Name: 'pending' },
      ImageId: AMI,
      InstanceType: 'c6g.large',
      Architecture: 'arm64',
      Placement: { AvailabilityZone: 'us-east-1b', Tenancy: 'default' },
    });
    expect(first!.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(first!.PrivateIpAddress).toMatch(/^172\.31\.(1[6-9]|2\d|3[01])\.\d{1,3}$/);
    expect(first!.PrivateDnsName).toBe(`ip-${first!.PrivateIpAddress!.replaceAll('.', '-')}.ec2.internal`);
    expect(first!.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: 'worker' },
        { Key: 'aws:ec2launchtemplate:id', Value: id },
        { Key: 'aws:ec2launchtemplate:version', Value: '1' },
      ]),
    );

    await clock.advanceBy(BOOT_MS);
    const running = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:aws:ec2launchtemplate:id', Values: [id] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      }),
    );
    expect(running.Reservations).toHaveLength(1);
    expect(running.Reservations![0]!.Instances?.map((i) => i.State?.Name)).toEqual(['running', 'running']);

    const attribute = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: first!.InstanceId, Attribute: 'userData' }),
    );
    expect(Buffer.from(attribute.UserData!.Value!, 'base64').toString('utf8')).toBe('ECS_CLUSTER=prod');

    const byAddress = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'private-ip-address', Values: [first!.PrivateIpAddress!] }] }),
    );
    expect(byAddress.Reservations?.[0]?.Instances?.map((i) => i.InstanceId)).toEqual([first!.InstanceId]);
  });

  it('publishes state-change events for what it does', () => {
    expect(events.some((event) => event.detailType === 'EC2 Instance State-change Notification')).toBe(true);
  });

  it('is idempotent on ClientToken', async () => {
    const one = await runOne({ ClientToken: 'token-1' });
    const again = await runOne({ ClientToken: 'token-1' });
    expect(again.InstanceId).toBe(one.InstanceId);
  });

  it('pages DescribeInstances', async () => {
    await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.nano', MinCount: 6, MaxCount: 6 }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) {
      pages += 1;
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) seen.push(instance.InstanceId!);
      }
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await ec2.send(new DescribeInstancesCommand({}));
    expect(seen.length).toBe(all.Reservations!.flatMap((r) => r.Instances ?? []).length);

    const badToken = await awsError(() =>
      ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'garbage' })),
    );
    expect([badToken.name, badToken.message]).toEqual(['InvalidParameterValue', 'Unable to parse pagination token']);
  });

  it('stops, starts and terminates through AWS’s states', async () => {
    const { InstanceId } = await runOne();
    await clock.advanceBy(BOOT_MS);

    const stopping = await ec2.send(new StopInstancesCommand({ InstanceIds: [InstanceId!] }));
    expect(stopping.StoppingInstances).toEqual([
      { InstanceId, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 64, Name: 'stopping' } },
    ]);
    await clock.advanceBy(30_000);
    expect((await describeOne(InstanceId!)).State?.Name).toBe('stopped');

    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId, InstanceType: { Value: 'm5.xlarge' } }));
    const type = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId, Attribute: 'instanceType' }));
    expect(type.InstanceType?.Value).toBe('m5.xlarge');

    const starting = await ec2.send(new StartInstancesCommand({ InstanceIds: [InstanceId!] }));
    expect(starting.StartingInstances?.[0]?.CurrentState).toEqual({ Code: 0, Name: 'pending' });
    await clock.advanceBy(15_000);

    const status = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [InstanceId!] }));
    expect(status.InstanceStatuses?.[0]).toMatchObject({
      InstanceState: { Name: 'running' },
      InstanceStatus: { Status: 'ok' },
      SystemStatus: { Status: 'ok' },
      AvailabilityZoneId: expect.stringMatching(/^use1-az\d$/),
    });

    const terminating = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId!] }));
    expect(terminating.TerminatingInstances?.[0]?.CurrentState).toEqual({ Code: 32, Name: 'shutting-down' });
    const notRunning = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [InstanceId!] }));
    expect(notRunning.InstanceStatuses).toEqual([]);
    const withAll = await ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: [InstanceId!], IncludeAllInstances: true }),
    );
    expect(withAll.InstanceStatuses?.[0]?.InstanceState?.Name).toBe('shutting-down');
    await clock.advanceBy(35_000);
    const terminated = await describeOne(InstanceId!);
    expect(terminated.State).toEqual({ Code: 48, Name: 'terminated' });
    expect(terminated.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
  });

  it('honours termination protection and the stopped-only attributes', async () => {
    const { InstanceId } = await runOne();
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId, DisableApiTermination: { Value: true } }));
    const protection = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId, Attribute: 'disableApiTermination' }),
    );
    expect(protection.DisableApiTermination?.Value).toBe(true);
    const refused = await awsError(() => ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId!] })));
    expect([refused.name, refused.message, refused.$metadata.httpStatusCode]).toEqual([
      'OperationNotPermitted',
      `The instance '${InstanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      400,
    ]);
    const notStopped = await awsError(() =>
      ec2.send(new ModifyInstanceAttributeCommand({ InstanceId, InstanceType: { Value: 'm5.large' } })),
    );
    expect([notStopped.name, notStopped.message]).toEqual([
      'IncorrectInstanceState',
      `The instance '${InstanceId}' is not in the 'stopped' state.`,
    ]);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId, DisableApiTermination: { Value: false } }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId!] }));
  });

  it('answers EC2’s instance errors', async () => {
    const malformed = await awsError(() => ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-nope'] })));
    expect([malformed.name, malformed.message, malformed.$metadata.httpStatusCode]).toEqual([
      'InvalidInstanceID.Malformed',
      'Invalid id: "i-nope" (expecting "i-...")',
      400,
    ]);
    const missing = await awsError(() =>
      ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0000000000000000a', 'i-0000000000000000b'] })),
    );
    expect([missing.name, missing.message]).toEqual([
      'InvalidInstanceID.NotFound',
      "The instance IDs 'i-0000000000000000a, i-0000000000000000b' do not exist",
    ]);
    const type = await awsError(() => runOne({ InstanceType: 'x2idn.32xlarge' }));
    expect([type.name, type.message]).toEqual([
      'InvalidParameterValue',
      "Invalid value 'x2idn.32xlarge' for InstanceType.",
    ]);
    const image = await awsError(() => runOne({ ImageId: 'ami-zzz' }));
    expect(image.name).toBe('InvalidAMIID.Malformed');
    const dryRun = await awsError(() => runOne({ DryRun: true }));
    expect([dryRun.name, dryRun.$metadata.httpStatusCode]).toEqual(['DryRunOperation', 412]);
    const counts = await awsError(() => runOne({ MinCount: 3, MaxCount: 2 }));
    expect(counts.name).toBe('InvalidParameterValue');
  });
});

describe('tags', () => {
  it('creates, describes and deletes tags, and keeps aws: keys to AWS', async () => {
    const { InstanceId } = await runOne();
    await ec2.send(
      new CreateTagsCommand({
        Resources: [InstanceId!],
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'owner', Value: 'ops' },
        ],
      }),
    );
    const described = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [InstanceId!] }] }),
    );
    expect(described.Tags).toEqual([
      { ResourceId: InstanceId, ResourceType: 'instance', Key: 'env', Value: 'prod' },
      { ResourceId: InstanceId, ResourceType: 'instance', Key: 'owner', Value: 'ops' },
    ]);
    await ec2.send(new DeleteTagsCommand({ Resources: [InstanceId!], Tags: [{ Key: 'env' }] }));
    expect((await describeOne(InstanceId!)).Tags).toEqual([{ Key: 'owner', Value: 'ops' }]);
    const byTag = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:owner', Values: ['o*'] }] }));
    expect(byTag.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toContain(InstanceId);

    const reserved = await awsError(() =>
      ec2.send(new CreateTagsCommand({ Resources: [InstanceId!], Tags: [{ Key: 'aws:mine', Value: 'x' }] })),
    );
    expect(reserved.name).toBe('InvalidParameterValue');
    const unknown = await awsError(() =>
      ec2.send(new CreateTagsCommand({ Resources: ['i-0000000000000000c'], Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    expect(unknown.name).toBe('InvalidInstanceID.NotFound');
  });
});

describe('instance types', () => {
  it('describes types from the catalogue and refuses unknown ones', async () => {
    const result = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.large', 't4g.micro'] }));
    expect(
      result.InstanceTypes?.map((t) => [t.InstanceType, t.VCpuInfo?.DefaultVCpus, t.MemoryInfo?.SizeInMiB]),
    ).toEqual([
      ['m5.large', 2, 8192],
      ['t4g.micro', 2, 1024],
    ]);
    const arm = await ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: 'processor-info.supported-architecture', Values: ['arm64'] },
          { Name: 'instance-type', Values: ['c7g.*'] },
        ],
      }),
    );
    expect(arm.InstanceTypes?.map((t) => t.InstanceType)).toContain('c7g.medium');
    expect(arm.InstanceTypes?.every((t) => t.InstanceType?.startsWith('c7g.'))).toBe(true);
    const unknown = await awsError(() =>
      ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['x2idn.32xlarge'] })),
    );
    expect([unknown.name, unknown.message]).toEqual([
      'InvalidInstanceType',
      'The following supplied instance types do not exist: [x2idn.32xlarge]',
    ]);
  });
});

describe('the AWS CLI', () => {
  it('runs an instance with plain-text user data and reads it back base64', async () => {
    const exec = promisify(execFile);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    };
    const aws = async (...args: string[]) =>
      JSON.parse(
        (await exec('aws', ['--endpoint-url', gateway.url, '--output', 'json', 'ec2', ...args], { env })).stdout,
      );
    const reservation = await aws(
      'run-instances',
      '--image-id',
      AMI,
      '--instance-type',
      't3.micro',
      '--count',
      '1',
      '--user-data',
      'ECS_CLUSTER=cli',
    );
    const instanceId = reservation.Instances[0].InstanceId as string;
    const attribute = await aws('describe-instance-attribute', '--instance-id', instanceId, '--attribute', 'userData');
    expect(Buffer.from(attribute.UserData.Value, 'base64').toString('utf8')).toBe('ECS_CLUSTER=cli');
    const zones = await aws('describe-availability-zones');
    expect(zones.AvailabilityZones).toHaveLength(6);
  }, 30_000);
});
