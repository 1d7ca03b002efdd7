/**
 * The AWS SDK v3 clients the demo builds its fleet with: the public API only, pointed at drydock's
 * endpoint exactly as a user's own scripts would be (AWS_ENDPOINT_URL, any credentials).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';

export interface DemoClients {
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  events: EventBridgeClient;
  lambda: LambdaClient;
}

export function demoClients(endpoint: string, region: string): DemoClients {
  const config = {
    endpoint,
    region,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  };
  return {
    autoscaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    events: new EventBridgeClient(config),
    lambda: new LambdaClient(config),
  };
}

export function destroyClients(clients: DemoClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
