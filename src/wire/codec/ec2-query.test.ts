/**
 * EC2 query codec checked through the real EC2Client: the SDK's `Name.N` / capitalised-locationName
 * form must decode to the input it was given, and the codec's Result-less XML (`reservationSet`,
 * `<item>`, `<requestId>`) must deserialize to the output the handler returned. botocore's view of
 * the same XML is checked in aws-query.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateTagsCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { ServiceError } from '../../kernel/service-error.js';
import { loadServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';
import { inProcessHandler, testClientConfig } from '../../../test/support/codec-harness.js';
import type { Exchange, TestHandler } from '../../../test/support/codec-harness.js';
import { ec2QueryCodec } from './ec2-query.js';

const ec2 = loadServiceModel('ec2');

function client(handler: TestHandler, log: Exchange[] = []): EC2Client {
  return new EC2Client({ ...testClientConfig, requestHandler: inProcessHandler(ec2QueryCodec, ec2, handler, log) });
}

function formRequest(body: string): WireRequest {
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.from(body) };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const launchTime = new Date('2024-01-15T08:00:00.000Z');

const reservations = {
  Reservations: [
    {
      ReservationId: 'r-0a1b2c3d',
      OwnerId: '123456789012',
      Groups: [],
      Instances: [
        {
          InstanceId: 'i-0123456789abcdef0',
          ImageId: 'ami-0abcdef',
          InstanceType: 't3.micro',
          State: { Code: 16, Name: 'running' },
          LaunchTime: launchTime,
          Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default', GroupName: '' },
          PrivateIpAddress: '10.0.1.23',
          PublicDnsName: '',
          SubnetId: 'subnet-1',
          VpcId: 'vpc-1',
          AmiLaunchIndex: 0,
          EbsOptimized: false,
          EnaSupport: true,
          Monitoring: { State: 'disabled' },
          SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web' }],
          BlockDeviceMappings: [
            {
              DeviceName: '/dev/xvda',
              Ebs: { VolumeId: 'vol-1', Status: 'attached', AttachTime: launchTime, DeleteOnTermination: true },
            },
          ],
          Tags: [
            { Key: 'Name', Value: 'web-1' },
            { Key: 'aws:autoscaling:groupName', Value: 'fleet <blue>' },
          ],
          StateTransitionReason: '',
          IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/ecs', Id: 'AIPA1' },
        },
        {
          InstanceId: 'i-0fedcba9876543210',
          State: { Code: 80, Name: 'stopped' },
          StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'User initiated shutdown' },
          LaunchTime: launchTime,
          Tags: [],
        },
      ],
    },
  ],
  NextToken: 'next-page',
};

describe('ec2 query through the EC2 SDK client', () => {
  it('returns a rich DescribeInstances output exactly as the handler built it', async () => {
    const log: Exchange[] = [];
    const { $metadata, ...output } = await client(() => reservations, log).send(new DescribeInstancesCommand({}));

    expect(output).toEqual(reservations);
    expect($metadata.httpStatusCode).toBe(200);
    expect($metadata.requestId).toBe('req-test-0001');

    const body = log[0]!.response!.body;
    // Members in model order under their locationNames, lists as <item>, no Result wrapper.
    const head =
      '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      '<requestId>req-test-0001</requestId><nextToken>next-page</nextToken><reservationSet><item><groupSet></groupSet>' +
      '<instancesSet><item><amiLaunchIndex>0</amiLaunchIndex>';
    expect(body.slice(0, head.length)).toBe(head);
    expect(body).toContain(
      '<ownerId>123456789012</ownerId><reservationId>r-0a1b2c3d</reservationId></item></reservationSet>',
    );
    expect(body).toContain('<instanceState><code>16</code><name>running</name></instanceState>');
    expect(body).toContain('<launchTime>2024-01-15T08:00:00.000Z</launchTime>');
    expect(body).toContain('<ebsOptimized>false</ebsOptimized>');
    expect(body).toContain('<tagSet><item><key>Name</key><value>web-1</value></item>');
    expect(body).toContain('<groupSet></groupSet>');
    expect(body).not.toContain('Result>');
  });

  it('decodes RunInstances with TagSpecifications, BlockDeviceMappings and UserData', async () => {
    const input: RunInstancesCommandInput = {
      ImageId: 'ami-0abcdef',
      InstanceType: 'c6i.large',
      MinCount: 1,
      MaxCount: 3,
      ClientToken: 'token-1',
      SubnetId: 'subnet-1',
      SecurityGroupIds: ['sg-1', 'sg-2'],
      UserData: Buffer.from('#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n').toString('base64'),
      IamInstanceProfile: { Name: 'ecsInstanceRole' },
      EbsOptimized: true,
      Monitoring: { Enabled: false },
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { VolumeSize: 30, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false, Iops: 3000 },
        },
        { DeviceName: '/dev/sdb', NoDevice: '' },
      ],
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'Name', Value: 'ecs-node' },
            { Key: 'cluster', Value: 'prod & co' },
          ],
        },
        { ResourceType: 'volume', Tags: [{ Key: 'backup', Value: 'daily' }] },
      ],
    };
    const log: Exchange[] = [];
    const reservation = {
      ReservationId: 'r-1',
      OwnerId: '123456789012',
      Instances: [{ InstanceId: 'i-1', State: { Code: 0, Name: 'pending' }, LaunchTime: launchTime }],
    };
    const output = await client(() => reservation, log).send(new RunInstancesCommand(input));

    expect(log[0]!.call!.operation.name).toBe('RunInstances');
    expect(log[0]!.call!.input).toEqual(input);
    const sent = log[0]!.request!.body.toString();
    expect(sent).toContain('TagSpecification.1.Tag.2.Key=cluster');
    expect(sent).toContain('BlockDeviceMapping.1.Ebs.VolumeSize=30');
    const { $metadata: _metadata, ...rest } = output;
    expect(rest).toEqual(reservation);
  });

  it('decodes DescribeInstances Filters and InstanceIds from their Name.N form', async () => {
    const input = {
      InstanceIds: ['i-1', 'i-2'],
      Filters: [
        { Name: 'instance-state-name', Values: ['running', 'pending'] },
        { Name: 'tag:aws:autoscaling:groupName', Values: ['fleet'] },
      ],
      MaxResults: 100,
      DryRun: false,
    };
    const log: Exchange[] = [];
    await client(() => ({ Reservations: [] }), log).send(new DescribeInstancesCommand(input));

    expect(log[0]!.call!.input).toEqual(input);
    const sent = log[0]!.request!.body.toString();
    expect(sent).toContain('InstanceId.2=i-2');
    expect(sent).toContain('Filter.1.Value.2=pending');
    expect(sent).toContain('MaxResults=100');
  });

  it('answers an error with <Response><Errors> and the SDK names it by its code', async () => {
    const log: Exchange[] = [];
    const error = await client(() => {
      throw new ServiceError('InvalidInstanceID.NotFound', "The instance ID 'i-404' does not exist");
    }, log)
      .send(new TerminateInstancesCommand({ InstanceIds: ['i-404'] }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-404' does not exist",
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(log[0]!.response!.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>' +
        "<Message>The instance ID 'i-404' does not exist</Message></Error></Errors>" +
        '<RequestID>req-test-0001</RequestID></Response>',
    );
  });

  it('keeps a server fault status', async () => {
    const error = await client(() => {
      throw new ServiceError('InternalError', 'An internal error has occurred', { httpStatus: 500 });
    })
      .send(new DescribeInstancesCommand({}))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
  });

  it('answers an operation without output shape with <return>true</return>', async () => {
    const log: Exchange[] = [];
    const output = await client(() => undefined, log).send(
      new CreateTagsCommand({ Resources: ['i-1'], Tags: [{ Key: 'k', Value: '' }] }),
    );
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(log[0]!.call!.input).toEqual({ Resources: ['i-1'], Tags: [{ Key: 'k', Value: '' }] });
    expect(log[0]!.response!.body).toContain(
      '<requestId>req-test-0001</requestId><return>true</return></CreateTagsResponse>',
    );
  });

  it('writes a list whose member has no locationName as <member>, which is what the SDK reads', async () => {
    const types = {
      InstanceTypes: [
        {
          InstanceType: 'inf1.xlarge',
          InferenceAcceleratorInfo: {
            Accelerators: [{ Count: 1, Name: 'Inferentia', Manufacturer: 'AWS' }],
            TotalInferenceMemoryInMiB: 8192,
          },
        },
      ],
    };
    const log: Exchange[] = [];
    const { $metadata: _metadata, ...output } = await client(() => types, log).send(
      new DescribeInstanceTypesCommand({}),
    );
    expect(output).toEqual(types);
    expect(log[0]!.response!.body).toContain('<accelerators><member><count>1</count>');
  });
});

describe('ec2 query requests built by hand', () => {
  it('answers an unknown Action with InvalidAction', () => {
    const error = catchError(() => ec2QueryCodec.parse(formRequest('Action=LaunchRocket&Version=2016-11-15'), ec2));
    expect(error).toMatchObject({
      code: 'InvalidAction',
      httpStatus: 400,
      message: 'The action LaunchRocket is not valid for this web service.',
    });
    const response = ec2QueryCodec.serializeError(ec2, undefined, error as ServiceError, 'r-9');
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>InvalidAction</Code>');
    expect(catchError(() => ec2QueryCodec.parse(formRequest('Version=2016-11-15'), ec2))).toMatchObject({
      code: 'InvalidAction',
    });
  });

  it('reads what botocore sends: capitalised locationNames, indices in any order', () => {
    const call = ec2QueryCodec.parse(
      formRequest(
        'Action=DescribeInstances&Version=2016-11-15&InstanceId.2=i-b&InstanceId.1=i-a&DryRun=true' +
          '&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&NextToken=abc%3D%3D',
      ),
      ec2,
    );
    expect(call.operation.name).toBe('DescribeInstances');
    expect(call.input).toEqual({
      InstanceIds: ['i-a', 'i-b'],
      DryRun: true,
      Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }],
      NextToken: 'abc==',
    });
  });

  it('honours queryName over locationName', () => {
    // InstanceNetworkInterfaceSpecification.PrivateIpAddresses: locationName privateIpAddressesSet,
    // queryName PrivateIpAddresses.
    const call = ec2QueryCodec.parse(
      formRequest(
        'Action=RunInstances&MinCount=1&MaxCount=1&NetworkInterface.1.DeviceIndex=0' +
          '&NetworkInterface.1.PrivateIpAddresses.1.PrivateIpAddress=10.0.0.5&NetworkInterface.1.PrivateIpAddresses.1.Primary=true',
      ),
      ec2,
    );
    expect(call.input).toEqual({
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, PrivateIpAddresses: [{ PrivateIpAddress: '10.0.0.5', Primary: true }] }],
    });
  });

  it('rejects a value of the wrong type with InvalidParameterValue', () => {
    expect(
      catchError(() => ec2QueryCodec.parse(formRequest('Action=RunInstances&MinCount=one&MaxCount=1'), ec2)),
    ).toMatchObject({
      code: 'InvalidParameterValue',
      httpStatus: 400,
      message: 'Value (one) for parameter MinCount is invalid. Expected an integer.',
    });
  });
});
