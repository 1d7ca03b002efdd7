/**
 * `--auth strict`: SigV4 signatures are verified against the configured access keys, in every
 * protocol, and failures get AWS's own codes: InvalidClientTokenId / SignatureDoesNotMatch in the
 * query protocols, UnrecognizedClientException / InvalidSignatureException in the JSON ones.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, startTestDrydock, type TestDrydock } from '../support/drydock.js';

let drydock: TestDrydock;

beforeAll(async () => {
  drydock = await startTestDrydock({ auth: 'strict', accessKeys: { AKIDDRYDOCKTEST: 'sekrit' } });
});
afterAll(async () => drydock.close());

describe('strict auth', () => {
  it('accepts requests signed with a configured key, in JSON and query protocols', async () => {
    const aws = drydock.clients({ accessKeyId: 'AKIDDRYDOCKTEST', secretAccessKey: 'sekrit' });
    expect((await aws.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    expect((await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups).toEqual([]);
    // A restJson1 GET with a query string verifies too.
    expect((await aws.lambda.send(new ListFunctionsCommand({ MaxItems: 5 }))).Functions).toEqual([]);
  });

  it('rejects an unknown access key with InvalidClientTokenId', async () => {
    const aws = drydock.clients({ accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'sekrit' });
    const json = await awsError(() => aws.ecs.send(new ListClustersCommand({})));
    expect(json.name).toBe('UnrecognizedClientException');
    expect(json.message).toBe('The security token included in the request is invalid.');
    expect(json.$metadata.httpStatusCode).toBe(403);
    const query = await awsError(() => aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({})));
    expect(query.name).toBe('InvalidClientTokenId');
    expect(query.$metadata.httpStatusCode).toBe(403);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
    const aws = drydock.clients({ accessKeyId: 'AKIDDRYDOCKTEST', secretAccessKey: 'wrong' });
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => aws.ecs.send(new ListClustersCommand({})), 'InvalidSignatureException'],
      [() => aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({})), 'SignatureDoesNotMatch'],
      [() => aws.ec2.send(new DescribeInstancesCommand({})), 'SignatureDoesNotMatch'],
      [() => aws.lambda.send(new ListFunctionsCommand({})), 'InvalidSignatureException'],
    ];
    for (const [call, code] of cases) {
      const error = await awsError(call);
      expect(error.name).toBe(code);
      expect(error.message).toContain('does not match the signature you provided');
      expect(error.$metadata.httpStatusCode).toBe(403);
    }
  });

  it('rejects an unsigned request', async () => {
    const response = await fetch(drydock.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
      },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { __type: string }).__type).toContain('MissingAuthenticationToken');
  });
});
