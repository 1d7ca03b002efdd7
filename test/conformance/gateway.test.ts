/**
 * The gateway through the real AWS SDK v3 clients: one port serves every protocol, routes by
 * signing name / target / version / path, validates input from the models, and answers every
 * failure in the service's own error shape.
 */
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { CreateVpcCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateTaskSetCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import { SetIpAddressTypeCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListArchivesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, ListLayersCommand } from '@aws-sdk/client-lambda';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { GetSMSAttributesCommand } from '@aws-sdk/client-sns';
import { ListMessageMoveTasksCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, startTestDrydock, type Clients, type TestDrydock } from '../support/drydock.js';

let drydock: TestDrydock;
let aws: Clients;

beforeAll(async () => {
  drydock = await startTestDrydock();
  aws = drydock.clients();
});
afterAll(async () => drydock.close());

describe('cheap reads answer well-formed, empty results', () => {
  it('ECS ListClusters', async () => {
    const result = await aws.ecs.send(new ListClustersCommand({}));
    expect(result.clusterArns).toEqual([]);
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Auto Scaling DescribeAutoScalingGroups', async () => {
    const result = await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(result.AutoScalingGroups).toEqual([]);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('ECS clusters are stored per account and region', () => {
  it('creates, lists, describes and deletes a cluster', async () => {
    const created = await aws.ecs.send(
      new CreateClusterCommand({ clusterName: 'fleet', tags: [{ key: 'team', value: 'infra' }] }),
    );
    expect(created.cluster).toMatchObject({
      clusterName: 'fleet',
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/fleet',
      status: 'ACTIVE',
      tags: [{ key: 'team', value: 'infra' }],
    });
    expect((await aws.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([created.cluster?.clusterArn]);

    const described = await aws.ecs.send(
      new DescribeClustersCommand({ clusters: ['fleet', 'arn:aws:ecs:us-east-1:000000000000:cluster/nope'] }),
    );
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['fleet']);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);

    const deleted = await aws.ecs.send(new DeleteClusterCommand({ cluster: created.cluster?.clusterArn }));
    expect(deleted.cluster?.status).toBe('INACTIVE');
    expect((await aws.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });

  it('takes the region from the credential scope', async () => {
    const west = drydock.clients({ region: 'us-west-2' });
    const created = await west.ecs.send(new CreateClusterCommand({ clusterName: 'west' }));
    expect(created.cluster?.clusterArn).toBe('arn:aws:ecs:us-west-2:000000000000:cluster/west');
    expect((await aws.ecs.send(new ListClustersCommand({}))).clusterArns).not.toContain(created.cluster?.clusterArn);
    expect((await west.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([created.cluster?.clusterArn]);
  });

  it('pages ListClusters with maxResults and nextToken', async () => {
    const region = drydock.clients({ region: 'eu-west-1' });
    for (const name of ['a', 'b', 'c']) await region.ecs.send(new CreateClusterCommand({ clusterName: name }));
    const first = await region.ecs.send(new ListClustersCommand({ maxResults: 2 }));
    expect(first.clusterArns).toHaveLength(2);
    expect(first.nextToken).toBeTruthy();
    const second = await region.ecs.send(new ListClustersCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:000000000000:cluster/c']);
    expect(second.nextToken).toBeUndefined();
    const bad = await awsError(() => region.ecs.send(new ListClustersCommand({ nextToken: 'garbage!' })));
    expect(bad.name).toBe('InvalidParameterException');
  });

  it('answers ClusterNotFoundException for a cluster that does not exist', async () => {
    const error = await awsError(() => aws.ecs.send(new DeleteClusterCommand({ cluster: 'ghost' })));
    expect(error.name).toBe('ClusterNotFoundException');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('model validation answers with each service its own error', () => {
  it('Auto Scaling: a missing required member is a ValidationError naming it', async () => {
    const error = await awsError(() =>
      aws.autoscaling.send(new SetDesiredCapacityCommand({ DesiredCapacity: 1 } as never)),
    );
    expect(error.name).toBe('ValidationError');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null",
    );
  });

  it('Auto Scaling: a value out of range is a ValidationError naming the member', async () => {
    const error = await awsError(() =>
      aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1000 })),
    );
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain("at 'maxRecords'");
    expect(error.message).toContain('Member must have value less than or equal to 100');
  });

  it('Auto Scaling: a model length limit is a ValidationError naming the list member', async () => {
    const error = await awsError(() =>
      aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['x'.repeat(256)] })),
    );
    expect(error.name).toBe('ValidationError');
    // Coral reports a bad list element against the list, listing the element's constraints.
    expect(error.message).toContain(
      "at 'autoScalingGroupNames' failed to satisfy constraint: Member must satisfy constraint: [",
    );
    expect(error.message).toContain('Member must have length less than or equal to 255');
  });

  it('ECS: a missing required member is an InvalidParameterException', async () => {
    const error = await awsError(() => aws.ecs.send(new DeleteClusterCommand({} as never)));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain("Value null at 'cluster'");
  });

  it('EventBridge: an enum violation is a ValidationException', async () => {
    const error = await awsError(() =>
      aws.events.send(new PutRuleCommand({ Name: 'r', State: 'SOMETIMES' as never, EventPattern: '{}' })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("at 'state'");
  });

  it('EC2: a missing parameter is MissingParameter', async () => {
    const error = await awsError(() => aws.ec2.send(new TerminateInstancesCommand({} as never)));
    expect(error.name).toBe('MissingParameter');
    expect(error.message).toContain('InstanceId');
  });

  it('SQS: a missing parameter is MissingParameter', async () => {
    const error = await awsError(() => aws.sqs.send(new ReceiveMessageCommand({} as never)));
    expect(error.name).toBe('MissingParameter');
  });

  it('Lambda: a pattern violation is a ValidationException', async () => {
    const error = await awsError(() => aws.lambda.send(new InvokeCommand({ FunctionName: 'bad name!' })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("at 'functionName'");
  });
});

describe('known operations drydock does not implement yet answer NotImplemented, in every protocol', () => {
  const cases: Array<[string, (aws: Clients) => Promise<unknown>, string]> = [
    [
      'ECS (awsJson1_1)',
      (c) => c.ecs.send(new CreateTaskSetCommand({ service: 's', cluster: 'c', taskDefinition: 'td:1' })),
      'CreateTaskSet',
    ],
    ['EC2 (ec2 query)', (c) => c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })), 'CreateVpc'],
    [
      'ELBv2 (awsQuery)',
      (c) =>
        c.elbv2.send(
          new SetIpAddressTypeCommand({
            LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/x/0123456789abcdef',
            IpAddressType: 'dualstack',
          }),
        ),
      'SetIpAddressType',
    ],
    ['SNS (awsQuery)', (c) => c.sns.send(new GetSMSAttributesCommand({})), 'GetSMSAttributes'],
    [
      'SQS (awsJson1_0)',
      (c) => c.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' })),
      'ListMessageMoveTasks',
    ],
    ['EventBridge (awsJson1_1)', (c) => c.events.send(new ListArchivesCommand({})), 'ListArchives'],
    ['Lambda (restJson1)', (c) => c.lambda.send(new ListLayersCommand({})), 'ListLayers'],
    ['CodeDeploy (awsJson1_1)', (c) => c.codedeploy.send(new ListDeploymentsCommand({})), 'ListDeployments'],
    ['Step Functions (awsJson1_0)', (c) => c.sfn.send(new ListStateMachinesCommand({})), 'ListStateMachines'],
  ];
  for (const [label, call, operation] of cases) {
    it(label, async () => {
      const error = await awsError(() => call(aws));
      expect(error.name).toBe('NotImplemented');
      expect(error.$metadata.httpStatusCode).toBe(501);
      expect(error.$fault).toBe('server');
      expect(error.message).toContain(operation);
    });
  }
});

describe('requests no SDK would send still get AWS-shaped answers', () => {
  it('an unknown query Action is InvalidAction', async () => {
    const response = await fetch(drydock.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=LaunchRockets&Version=2011-01-01',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<Code>InvalidAction</Code>');
    expect(body).toContain('LaunchRockets');
  });

  it('an unknown JSON target is UnknownOperationException', async () => {
    const response = await fetch(drydock.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.LaunchRockets',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toContain('UnknownOperationException');
  });

  it('malformed JSON is a SerializationException', async () => {
    const response = await fetch(drydock.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
      },
      body: '{"maxResults": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toContain('SerializationException');
  });

  it('a path no service serves is a JSON 404, never HTML', async () => {
    const response = await fetch(`${drydock.url}/index.html`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});
