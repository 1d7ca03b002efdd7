/**
 * awsQuery codec checked through the real AWS SDK v3 clients (Auto Scaling, ELBv2, SNS): what the
 * SDK serializes must decode to exactly the input it was given, and what the codec writes must come
 * back out of the SDK's own deserializer as the output the handler returned. One test also feeds
 * the codecs' XML to botocore's parsers (the AWS CLI's), so both client stacks agree.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import type {
  CreateAutoScalingGroupCommandInput,
  DescribeAutoScalingGroupsCommandOutput,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateTopicCommand, GetTopicAttributesCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ServiceError } from '../../kernel/service-error.js';
import { loadServiceModel } from '../model.js';
import type { ServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';
import { inProcessHandler, testClientConfig } from '../../../test/support/codec-harness.js';
import type { Exchange, TestHandler } from '../../../test/support/codec-harness.js';
import { awsQueryCodec } from './aws-query.js';
import { ec2QueryCodec } from './ec2-query.js';

const autoscaling = loadServiceModel('autoscaling');
const elbv2 = loadServiceModel('elbv2');
const sns = loadServiceModel('sns');

function sdk<C>(Client: new (config: object) => C, model: ServiceModel, handler: TestHandler, log: Exchange[] = []): C {
  return new Client({ ...testClientConfig, requestHandler: inProcessHandler(awsQueryCodec, model, handler, log) });
}

function formRequest(body: string, query = ''): WireRequest {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(query),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(body),
  };
}

const createdTime = new Date('2024-03-01T12:34:56.789Z');

const describedGroups = {
  AutoScalingGroups: [
    {
      AutoScalingGroupName: 'web & <api>',
      AutoScalingGroupARN: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:6f7e:autoScalingGroupName/web',
      LaunchTemplate: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: 'web', Version: '$Latest' },
      MinSize: 0,
      MaxSize: 10,
      DesiredCapacity: 2,
      DefaultCooldown: 300,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      LoadBalancerNames: [],
      TargetGroupARNs: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067'],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 90,
      Instances: [
        {
          InstanceId: 'i-0123456789abcdef0',
          InstanceType: 't3.micro',
          AvailabilityZone: 'us-east-1a',
          LifecycleState: 'Terminating:Wait',
          HealthStatus: 'Healthy',
          LaunchTemplate: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: 'web', Version: '3' },
          ProtectedFromScaleIn: false,
        },
        {
          InstanceId: 'i-0fedcba9876543210',
          InstanceType: 'm5.large',
          AvailabilityZone: 'us-east-1b',
          LifecycleState: 'InService',
          HealthStatus: 'Healthy',
          ProtectedFromScaleIn: true,
          WeightedCapacity: '2',
        },
      ],
      CreatedTime: createdTime,
      SuspendedProcesses: [{ ProcessName: 'AZRebalance', SuspensionReason: 'User suspended at 2024-03-01T12:40:00Z' }],
      VPCZoneIdentifier: 'subnet-1,subnet-2',
      EnabledMetrics: [],
      Tags: [
        {
          ResourceId: 'web & <api>',
          ResourceType: 'auto-scaling-group',
          Key: 'env',
          Value: 'prod "blue"',
          PropagateAtLaunch: true,
        },
      ],
      TerminationPolicies: ['OldestInstance', 'Default'],
      NewInstancesProtectedFromScaleIn: false,
      CapacityRebalance: true,
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '$Default' },
          Overrides: [
            { InstanceType: 't3.micro', WeightedCapacity: '1' },
            {
              InstanceRequirements: {
                VCpuCount: { Min: 2, Max: 8 },
                MemoryMiB: { Min: 4096 },
                CpuManufacturers: ['intel', 'amd'],
                BaselinePerformanceFactors: { Cpu: { References: [{ InstanceFamily: 'c6i' }] } },
              },
            },
          ],
        },
        InstancesDistribution: {
          OnDemandBaseCapacity: 1,
          OnDemandPercentageAboveBaseCapacity: 50,
          SpotAllocationStrategy: 'price-capacity-optimized',
        },
      },
    },
  ],
  NextToken: 'token/+=',
};

describe('awsQuery through the Auto Scaling SDK client', () => {
  it('returns a rich DescribeAutoScalingGroups output exactly as the handler built it', async () => {
    const log: Exchange[] = [];
    const client = sdk(AutoScalingClient, autoscaling, () => describedGroups, log);
    const { $metadata, ...output } = (await client.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web', 'api'], MaxRecords: 50 }),
    )) as DescribeAutoScalingGroupsCommandOutput;

    expect(output).toEqual(describedGroups);
    expect($metadata.httpStatusCode).toBe(200);
    expect($metadata.requestId).toBe('req-test-0001');
    expect(log[0]!.call!.operation.name).toBe('DescribeAutoScalingGroups');
    expect(log[0]!.call!.input).toEqual({ AutoScalingGroupNames: ['web', 'api'], MaxRecords: 50 });

    const { body, headers } = log[0]!.response!;
    expect(headers['content-type']).toBe('text/xml');
    const head =
      '<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">' +
      '<DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupARN>';
    expect(body.slice(0, head.length)).toBe(head);
    expect(body).toContain('<CreatedTime>2024-03-01T12:34:56.789Z</CreatedTime>');
    expect(body).toContain('<LoadBalancerNames></LoadBalancerNames>');
    expect(body).toContain('<AutoScalingGroupName>web &amp; &lt;api&gt;</AutoScalingGroupName>');
    // CpuPerformanceFactorRequest.References is `<Reference><item>` in the model.
    expect(body).toContain('<Cpu><Reference><item><InstanceFamily>c6i</InstanceFamily></item></Reference></Cpu>');
    const tail =
      '<NextToken>token/+=</NextToken></DescribeAutoScalingGroupsResult><ResponseMetadata>' +
      '<RequestId>req-test-0001</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>';
    expect(body.slice(-tail.length)).toBe(tail);
  });

  it('decodes a CreateAutoScalingGroup input to exactly what the SDK was given', async () => {
    const input: CreateAutoScalingGroupCommandInput = {
      AutoScalingGroupName: 'fleet',
      MinSize: 1,
      MaxSize: 20,
      DesiredCapacity: 3,
      DefaultInstanceWarmup: 60,
      VPCZoneIdentifier: 'subnet-a,subnet-b',
      HealthCheckType: 'EC2',
      NewInstancesProtectedFromScaleIn: true,
      CapacityRebalance: false,
      TargetGroupARNs: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/1'],
      TerminationPolicies: ['OldestLaunchTemplate'],
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: 'drain',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          HeartbeatTimeout: 900,
          DefaultResult: 'CONTINUE',
          NotificationMetadata: '{"cluster":"prod","note":"a=b&c d"}',
        },
        { LifecycleHookName: 'warm', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' },
      ],
      Tags: [
        { Key: 'Name', Value: 'ecs-fleet', PropagateAtLaunch: true },
        {
          Key: 'team',
          Value: 'ünïcode ✓',
          PropagateAtLaunch: false,
          ResourceId: 'fleet',
          ResourceType: 'auto-scaling-group',
        },
      ],
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateName: 'fleet-lt', Version: '$Latest' },
          Overrides: [
            { InstanceType: 'c6i.large', WeightedCapacity: '2' },
            {
              InstanceRequirements: {
                VCpuCount: { Min: 2, Max: 4 },
                MemoryMiB: { Min: 2048, Max: 8192 },
                BaselinePerformanceFactors: {
                  Cpu: { References: [{ InstanceFamily: 'c6i' }, { InstanceFamily: 'm6i' }] },
                },
                RequireHibernateSupport: false,
              },
            },
          ],
        },
        InstancesDistribution: { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 25, SpotMaxPrice: '' },
      },
    };
    const log: Exchange[] = [];
    const client = sdk(AutoScalingClient, autoscaling, () => undefined, log);
    const output = await client.send(new CreateAutoScalingGroupCommand(input));

    expect(log[0]!.call!.operation.name).toBe('CreateAutoScalingGroup');
    expect(log[0]!.call!.input).toEqual(input);
    expect(output.$metadata.httpStatusCode).toBe(200);
    // No output shape: the response has no Result element at all.
    expect(log[0]!.response!.body).toBe(
      '<CreateAutoScalingGroupResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">' +
        '<ResponseMetadata><RequestId>req-test-0001</RequestId></ResponseMetadata></CreateAutoScalingGroupResponse>',
    );
  });

  it('carries empty lists both ways', async () => {
    const log: Exchange[] = [];
    const client = sdk(AutoScalingClient, autoscaling, () => ({ AutoScalingGroups: [] }), log);
    const output = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [] }));

    expect(log[0]!.request!.body.toString()).toContain('AutoScalingGroupNames=');
    expect(log[0]!.call!.input).toEqual({ AutoScalingGroupNames: [] });
    expect(output.AutoScalingGroups).toEqual([]);
  });

  it('sends a modeled fault under its wire code and the SDK names it by its shape', async () => {
    const log: Exchange[] = [];
    const client = sdk(
      AutoScalingClient,
      autoscaling,
      () => {
        throw new ServiceError('AlreadyExistsFault', 'AutoScalingGroup by this name already exists - fleet');
      },
      log,
    );
    const error = await client
      .send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'fleet', MinSize: 0, MaxSize: 1 }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'AlreadyExistsFault',
      message: 'AutoScalingGroup by this name already exists - fleet',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-test-0001' },
    });
    expect(log[0]!.response!.body).toBe(
      '<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type>' +
        '<Code>AlreadyExists</Code><Message>AutoScalingGroup by this name already exists - fleet</Message>' +
        '</Error><RequestId>req-test-0001</RequestId></ErrorResponse>',
    );
  });

  it('takes the status of a modeled fault from the model (ResourceContention is 500)', async () => {
    const log: Exchange[] = [];
    const client = sdk(
      AutoScalingClient,
      autoscaling,
      () => {
        throw new ServiceError(
          'ResourceContentionFault',
          'You already have a pending update to an Auto Scaling resource.',
        );
      },
      log,
    );
    const error = await client
      .send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'fleet', DesiredCapacity: 2 }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ResourceContentionFault', $metadata: { httpStatusCode: 500 } });
    expect(log[0]!.response!.status).toBe(500);
    expect(log[0]!.response!.body).toContain('<Code>ResourceContention</Code>');
  });

  it('passes an unmodeled code through with its own status', async () => {
    const client = sdk(AutoScalingClient, autoscaling, () => {
      throw new ServiceError('ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup fleet not found');
    });
    const error = await client
      .send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'fleet', DesiredCapacity: 2 }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'AutoScalingGroup name not found - AutoScalingGroup fleet not found',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('awsQuery through the ELBv2 SDK client', () => {
  const targetGroups = {
    TargetGroups: [
      {
        TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067',
        TargetGroupName: 'web',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-1',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: '/health?full=1&deep=true',
        Matcher: { HttpCode: '200-299' },
        LoadBalancerArns: [
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1',
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/b/2',
        ],
        TargetType: 'instance',
        ProtocolVersion: 'HTTP1',
        IpAddressType: 'ipv4',
      },
    ],
  };

  it('returns DescribeTargetGroups output intact', async () => {
    const log: Exchange[] = [];
    const client = sdk(ElasticLoadBalancingV2Client, elbv2, () => targetGroups, log);
    const { $metadata, ...output } = await client.send(
      new DescribeTargetGroupsCommand({ Names: ['web'], PageSize: 5 }),
    );

    expect(output).toEqual(targetGroups);
    expect($metadata.httpStatusCode).toBe(200);
    expect(log[0]!.call!.input).toEqual({ Names: ['web'], PageSize: 5 });
    expect(log[0]!.response!.body).toContain('<HealthCheckPath>/health?full=1&amp;deep=true</HealthCheckPath>');
  });

  it('decodes RegisterTargets input', async () => {
    const input = {
      TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067',
      Targets: [{ Id: 'i-1', Port: 8080 }, { Id: '10.0.0.7', Port: 80, AvailabilityZone: 'all' }, { Id: 'i-3' }],
    };
    const log: Exchange[] = [];
    const client = sdk(ElasticLoadBalancingV2Client, elbv2, () => ({}), log);
    await client.send(new RegisterTargetsCommand(input));

    expect(log[0]!.call!.input).toEqual(input);
    expect(log[0]!.request!.body.toString()).toContain('Targets.member.2.AvailabilityZone=all');
  });

  it('maps LoadBalancerNotFoundException to its wire code LoadBalancerNotFound and back', async () => {
    const log: Exchange[] = [];
    const client = sdk(
      ElasticLoadBalancingV2Client,
      elbv2,
      () => {
        throw new ServiceError('LoadBalancerNotFoundException', 'One or more load balancers not found');
      },
      log,
    );
    const error = await client.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'LoadBalancerNotFoundException',
      message: 'One or more load balancers not found',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(log[0]!.response!.body).toContain('<Code>LoadBalancerNotFound</Code>');
  });
});

describe('awsQuery through the SNS SDK client', () => {
  it('decodes Publish with a MessageAttributes map, blob values included', async () => {
    const input = {
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:events',
      Message: '{"detail":"x < y & z"}',
      Subject: 'Lifecycle',
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'terminate' },
        count: { DataType: 'Number', StringValue: '3' },
        raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250, 255]) },
      },
    };
    const log: Exchange[] = [];
    const client = sdk(SNSClient, sns, () => ({ MessageId: 'm-1' }), log);
    const output = await client.send(new PublishCommand(input));

    expect(log[0]!.call!.input).toEqual(input);
    expect(log[0]!.request!.body.toString()).toContain('MessageAttributes.entry.1.Name=kind');
    expect(output.MessageId).toBe('m-1');
  });

  it('decodes CreateTopic Attributes and Tags and returns the TopicArn', async () => {
    const input = {
      Name: 'orders.fifo',
      Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'false', DisplayName: '' },
      Tags: [
        { Key: 'team', Value: 'fleet' },
        { Key: 'cost-center', Value: '42' },
      ],
    };
    const log: Exchange[] = [];
    const client = sdk(SNSClient, sns, () => ({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders.fifo' }), log);
    const output = await client.send(new CreateTopicCommand(input));

    expect(log[0]!.call!.input).toEqual(input);
    expect(output.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:orders.fifo');
  });

  it('returns a map output as <entry><key/><value/></entry>', async () => {
    const attributes = { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Policy: '{"a":1}', DisplayName: '' };
    const log: Exchange[] = [];
    const client = sdk(SNSClient, sns, () => ({ Attributes: attributes }), log);
    const output = await client.send(new GetTopicAttributesCommand({ TopicArn: attributes.TopicArn }));

    expect(output.Attributes).toEqual(attributes);
    expect(log[0]!.response!.body).toContain(
      '<Attributes><entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:123456789012:t</value></entry>',
    );
  });
});

describe('awsQuery requests built by hand', () => {
  it('answers an unknown Action with InvalidAction naming it and the version', () => {
    const error = catchError(() =>
      awsQueryCodec.parse(formRequest('Action=DescribeEverything&Version=2011-01-01'), autoscaling),
    );
    expect(error).toMatchObject({
      code: 'InvalidAction',
      httpStatus: 400,
      message: 'Could not find operation DescribeEverything for version 2011-01-01',
    });
    const response = awsQueryCodec.serializeError(autoscaling, undefined, error as ServiceError, 'r-1');
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>InvalidAction</Code>');
  });

  it('answers a missing Action with InvalidAction', () => {
    expect(catchError(() => awsQueryCodec.parse(formRequest('Version=2011-01-01'), autoscaling))).toMatchObject({
      code: 'InvalidAction',
      httpStatus: 400,
    });
    // Object.prototype names are not operations.
    expect(catchError(() => awsQueryCodec.parse(formRequest('Action=toString'), autoscaling))).toMatchObject({
      code: 'InvalidAction',
    });
  });

  it('reads a GET query string, out-of-order indices, + and percent escapes, and numbered lists without .member', () => {
    const request: WireRequest = {
      method: 'GET',
      path: '/',
      query: new URLSearchParams(
        'Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.2=b%20two' +
          '&AutoScalingGroupNames.member.1=a+one&IncludeInstances=TRUE&Filters.1.Name=tag%3Aenv&Filters.1.Values.member.1=prod',
      ),
      headers: {},
      body: Buffer.alloc(0),
    };
    const call = awsQueryCodec.parse(request, autoscaling);
    expect(call.operation.name).toBe('DescribeAutoScalingGroups');
    expect(call.input).toEqual({
      AutoScalingGroupNames: ['a one', 'b two'],
      IncludeInstances: true,
      Filters: [{ Name: 'tag:env', Values: ['prod'] }],
    });
  });

  it('decodes every scalar type from a form body and keeps only the members sent', () => {
    const call = awsQueryCodec.parse(
      formRequest(
        'Action=PutScheduledUpdateGroupAction&Version=2011-01-01&AutoScalingGroupName=g&ScheduledActionName=s' +
          '&StartTime=2024-05-01T00%3A00%3A00Z&MinSize=-1&Unknown.Param=1',
      ),
      autoscaling,
    );
    expect(call.input).toEqual({
      AutoScalingGroupName: 'g',
      ScheduledActionName: 's',
      StartTime: new Date('2024-05-01T00:00:00Z'),
      MinSize: -1,
    });
  });

  it('rejects a value that is not of its member type with ValidationError', () => {
    const bad = (param: string) =>
      catchError(() =>
        awsQueryCodec.parse(
          formRequest(`Action=CreateAutoScalingGroup&AutoScalingGroupName=g&MinSize=0&MaxSize=1&${param}`),
          autoscaling,
        ),
      );
    expect(bad('DesiredCapacity=two')).toMatchObject({
      code: 'ValidationError',
      httpStatus: 400,
      message:
        "1 validation error detected: Value 'two' at 'DesiredCapacity' failed to satisfy constraint: Member must be an integer",
    });
    expect(bad('Tags.member.1.Key=k&Tags.member.1.PropagateAtLaunch=yes')).toMatchObject({
      code: 'ValidationError',
      message: expect.stringContaining("at 'Tags.member.1.PropagateAtLaunch'"),
    });
    expect(bad('DesiredCapacity=')).toMatchObject({ code: 'ValidationError' });
    expect(catchError(() => awsQueryCodec.parse(formRequest('Action=%E0%A4%A'), autoscaling))).toMatchObject({
      code: 'MalformedQueryString',
    });
  });

  it('reads and writes flattened lists and maps (botocore and SDK spellings)', () => {
    const model = flattenedModel();
    const call = awsQueryCodec.parse(
      formRequest(
        'Action=Send&Entry.2.Id=b&Entry.1.Id=a&Entry.1.Size=3&Attribute.1.Name=color&Attribute.1.Value=red' +
          '&Attribute.2.Name=size&Attribute.2.Value=L&Labels.1=x',
      ),
      model,
    );
    expect(call.input).toEqual({
      Entries: [{ Id: 'a', Size: 3 }, { Id: 'b' }],
      Attributes: { color: 'red', size: 'L' },
      Labels: ['x'],
    });
    // The SDK keeps the member name for a flattened list.
    expect(awsQueryCodec.parse(formRequest('Action=Send&Entries.1.Id=z'), model).input).toEqual({
      Entries: [{ Id: 'z' }],
    });

    const response = awsQueryCodec.serialize(model, model.operations.Send!, call.input, 'r-2');
    expect(response.body).toBe(
      '<SendResponse xmlns="urn:test"><SendResult><Entry><Id>a</Id><Size>3</Size></Entry><Entry><Id>b</Id></Entry>' +
        '<Attribute><Name>color</Name><Value>red</Value></Attribute><Attribute><Name>size</Name><Value>L</Value></Attribute>' +
        '<Labels>x</Labels></SendResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></SendResponse>',
    );
  });

  it('writes error fields of a modeled error shape inside <Error>', () => {
    const model = flattenedModel();
    const error = new ServiceError('BadThingException', 'no', { fields: { Reason: 'because', Count: 2 } });
    const response = awsQueryCodec.serializeError(model, undefined, error, 'r-3');
    expect(response.status).toBe(409);
    expect(response.body).toBe(
      '<ErrorResponse xmlns="urn:test"><Error><Type>Sender</Type><Code>BadThing</Code><Message>no</Message>' +
        '<Reason>because</Reason><Count>2</Count></Error><RequestId>r-3</RequestId></ErrorResponse>',
    );
  });
});

describe('botocore (the AWS CLI) reads what the query codecs write', () => {
  it('parses DescribeAutoScalingGroups, EC2 DescribeInstances and an ELBv2 error like the SDK does', () => {
    const ec2 = loadServiceModel('ec2');
    const launchTime = new Date('2024-02-02T03:04:05.000Z');
    const cases = [
      {
        service: 'autoscaling',
        protocol: 'query',
        operation: 'DescribeAutoScalingGroups',
        body: awsQueryCodec.serialize(
          autoscaling,
          autoscaling.operations.DescribeAutoScalingGroups!,
          describedGroups,
          'rq-1',
        ).body,
        status: 200,
      },
      {
        service: 'ec2',
        protocol: 'ec2',
        operation: 'DescribeInstances',
        body: ec2QueryCodec.serialize(
          ec2,
          ec2.operations.DescribeInstances!,
          {
            Reservations: [
              {
                ReservationId: 'r-1',
                OwnerId: '123456789012',
                Instances: [
                  {
                    InstanceId: 'i-1',
                    State: { Code: 16, Name: 'running' },
                    LaunchTime: launchTime,
                    Tags: [{ Key: 'Name', Value: 'a&b' }],
                    EbsOptimized: false,
                  },
                ],
              },
            ],
          },
          'rq-2',
        ).body,
        status: 200,
      },
      {
        service: 'elbv2',
        protocol: 'query',
        operation: 'DescribeLoadBalancers',
        body: awsQueryCodec.serializeError(
          elbv2,
          undefined,
          new ServiceError('LoadBalancerNotFoundException', 'One or more load balancers not found'),
          'rq-3',
        ).body,
        status: 400,
      },
    ];
    const script = `
import json, sys, botocore.session, botocore.parsers
session = botocore.session.get_session()
out = []
for case in json.load(sys.stdin):
    op = session.get_service_model(case['service']).operation_model(case['operation'])
    parser = botocore.parsers.create_parser(case['protocol'])
    response = {'body': case['body'].encode(), 'headers': {}, 'status_code': case['status']}
    out.append(parser.parse(response, op.output_shape))
print(json.dumps(out, default=lambda v: v.isoformat() if hasattr(v, 'isoformat') else str(v)))
`;
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [groups, instances, failure] = JSON.parse(run.stdout) as Record<string, unknown>[];

    const { CreatedTime: _created, ...groupRest } = describedGroups.AutoScalingGroups[0]!;
    expect(groups).toMatchObject({
      AutoScalingGroups: [{ ...groupRest, CreatedTime: '2024-03-01T12:34:56.789000+00:00' }],
      NextToken: 'token/+=',
      ResponseMetadata: { RequestId: 'rq-1' },
    });
    expect(instances).toMatchObject({
      Reservations: [
        {
          ReservationId: 'r-1',
          OwnerId: '123456789012',
          Instances: [
            {
              InstanceId: 'i-1',
              State: { Code: 16, Name: 'running' },
              LaunchTime: '2024-02-02T03:04:05+00:00',
              Tags: [{ Key: 'Name', Value: 'a&b' }],
              EbsOptimized: false,
            },
          ],
        },
      ],
      ResponseMetadata: { RequestId: 'rq-2' },
    });
    expect(failure).toMatchObject({
      Error: { Type: 'Sender', Code: 'LoadBalancerNotFound', Message: 'One or more load balancers not found' },
      ResponseMetadata: { RequestId: 'rq-3' },
    });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** A small awsQuery model with the flattened traits SQS's old query API used. */
function flattenedModel(): ServiceModel {
  return {
    metadata: {
      apiVersion: '2020-01-01',
      endpointPrefix: 'test',
      protocol: 'query',
      serviceId: 'Test',
      serviceFullName: 'Test',
      xmlNamespace: 'urn:test',
    },
    operations: {
      Send: {
        name: 'Send',
        http: { method: 'POST', requestUri: '/' },
        input: { shape: 'SendInput' },
        output: { shape: 'SendInput', resultWrapper: 'SendResult' },
      },
    },
    shapes: {
      SendInput: {
        type: 'structure',
        members: {
          Entries: { shape: 'EntryList' },
          Attributes: { shape: 'AttributeMap', locationName: 'Attribute' },
          Labels: { shape: 'LabelList', flattened: true },
        },
      },
      EntryList: { type: 'list', member: { shape: 'Entry', locationName: 'Entry' }, flattened: true },
      Entry: { type: 'structure', members: { Id: { shape: 'String' }, Size: { shape: 'Integer' } } },
      AttributeMap: {
        type: 'map',
        key: { shape: 'String', locationName: 'Name' },
        value: { shape: 'String', locationName: 'Value' },
        flattened: true,
      },
      LabelList: { type: 'list', member: { shape: 'String' } },
      String: { type: 'string' },
      Integer: { type: 'integer' },
      BadThingException: {
        type: 'structure',
        members: { message: { shape: 'String' }, Reason: { shape: 'String' }, Count: { shape: 'Integer' } },
        exception: true,
        error: { code: 'BadThing', httpStatusCode: 409, senderFault: true },
      },
    },
  };
}
