/**
 * Starts drydock in-process on an ephemeral loopback port, in memory, seeded, for conformance
 * tests that talk to it through the real AWS SDK v3 clients.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { silentLogger } from '../../src/kernel/logger.js';
import { startDrydock, type Drydock, type DrydockConfig } from '../../src/main.js';

export interface ClientOptions {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface TestDrydock extends Drydock {
  clients(options?: ClientOptions): Clients;
}

export interface Clients {
  autoscaling: AutoScalingClient;
  codedeploy: CodeDeployClient;
  ec2: EC2Client;
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  events: EventBridgeClient;
  lambda: LambdaClient;
  sfn: SFNClient;
  sns: SNSClient;
  sqs: SQSClient;
}

export async function startTestDrydock(overrides: Partial<DrydockConfig> = {}): Promise<TestDrydock> {
  const drydock = await startDrydock({
    port: 0,
    state: 'memory',
    seed: 1,
    clock: 'virtual',
    logger: silentLogger,
    ...overrides,
  });
  return Object.assign(drydock, { clients: (options?: ClientOptions) => clientsFor(drydock.url, options) });
}

export function clientsFor(endpoint: string, options: ClientOptions = {}): Clients {
  const config = {
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: options.secretAccessKey ?? 'test' },
    maxAttempts: 1,
  };
  return {
    autoscaling: new AutoScalingClient(config),
    codedeploy: new CodeDeployClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    events: new EventBridgeClient(config),
    lambda: new LambdaClient(config),
    sfn: new SFNClient(config),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
  };
}

/** Runs `fn`, which must throw; returns the error so the test can assert AWS's wire facts on it. */
export async function awsError(fn: () => Promise<unknown>): Promise<{
  name: string;
  message: string;
  $fault: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}> {
  try {
    await fn();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
