/**
 * Builds seed 000's system through the AWS API only, as a user's scripts would on AWS: an ECS
 * cluster; a launch template whose user data joins it; an Auto Scaling group of 3 across three
 * zones; an ALB with a target group and a listener; a service of 4 `drydock/http-echo` tasks behind
 * it. Instances leave through either
 * - `hook`: a termination lifecycle hook, an EventBridge rule on its event, and the drain function
 *   of controllers/drain deployed as a Lambda that drains the container instance, or
 * - `managed`: an ECS capacity provider with managed draining (ECS installs its own hook and drains).
 * Then the instance refresh that replaces every instance with a new launch template version.
 */
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, CreateFunctionCommand, PutFunctionRecursionConfigCommand } from '@aws-sdk/client-lambda';
import type { AdminApi } from './admin-api.js';
import type { DemoClients } from './aws-clients.js';
import { until } from './wait.js';

export type DrainMode = 'hook' | 'managed';

export const GROUP_SIZE = 3;
export const SERVICE_TASKS = 4;
export const HOOK_HEARTBEAT_SECONDS = 300;
/** AWS's default. */
export const DEREGISTRATION_DELAY_SECONDS = 300;
const AMI_V1 = 'ami-0a1b2c3d4e5f60001';
const AMI_V2 = 'ami-0a1b2c3d4e5f60002';
const ROLE = (accountId: string) => `arn:aws:iam::${accountId}:role/drydock-demo-drain`;

export interface FleetNames {
  prefix: string;
  cluster: string;
  launchTemplate: string;
  group: string;
  hook: string;
  loadBalancer: string;
  targetGroup: string;
  service: string;
  function: string;
  rule: string;
  capacityProvider: string;
}

export interface Fleet {
  names: FleetNames;
  mode: DrainMode;
  clusterArn: string;
  groupArn: string;
  targetGroupArn: string;
  listenerUrl: string;
  functionArn?: string;
}

export function fleetNames(prefix: string): FleetNames {
  return {
    prefix,
    cluster: prefix,
    launchTemplate: `${prefix}-lt`,
    group: `${prefix}-asg`,
    hook: `${prefix}-drain`,
    loadBalancer: `${prefix}-alb`,
    targetGroup: `${prefix}-tg`,
    service: 'web',
    function: `${prefix}-drain`,
    rule: `${prefix}-terminating`,
    capacityProvider: `${prefix}-cp`,
  };
}

export interface BuildOptions {
  clients: DemoClients;
  admin: AdminApi;
  names: FleetNames;
  mode: DrainMode;
  /** Drydock time per wall second: the drain function's poll interval is set in wall time. */
  timeScale: number;
  /** controllers/drain, deployed with `S3Bucket: hot-reload`. */
  drainDir: string;
  listenerPort: number;
  say: (line: string) => void;
}

export async function buildFleet(options: BuildOptions): Promise<Fleet> {
  const { clients, names, mode, say } = options;
  const cluster = await clients.ecs.send(new CreateClusterCommand({ clusterName: names.cluster }));
  const clusterArn = cluster.cluster!.clusterArn!;
  const accountId = clusterArn.split(':')[4] ?? '000000000000';
  say(`ECS cluster ${names.cluster}`);

  const userData = `#!/bin/bash\necho ECS_CLUSTER=${names.cluster} >> /etc/ecs/ecs.config\n`;
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: names.launchTemplate,
      LaunchTemplateData: {
        ImageId: AMI_V1,
        InstanceType: 't3.medium',
        UserData: Buffer.from(userData).toString('base64'),
      },
    }),
  );
  say(`launch template ${names.launchTemplate} (t3.medium, user data ECS_CLUSTER=${names.cluster})`);

  const subnets = await defaultSubnets(clients);

  let functionArn: string | undefined;
  if (mode === 'hook') {
    functionArn = await deployDrainFunction(options, accountId);
    say(`Lambda ${names.function} from ${options.drainDir} (hot-reload), EventBridge rule ${names.rule} → it`);
  }

  await clients.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: names.group,
      LaunchTemplate: { LaunchTemplateName: names.launchTemplate, Version: '$Latest' },
      MinSize: GROUP_SIZE,
      MaxSize: GROUP_SIZE + 1,
      DesiredCapacity: GROUP_SIZE,
      VPCZoneIdentifier: subnets.map((subnet) => subnet.id).join(','),
      DefaultInstanceWarmup: 60,
      ...(mode === 'hook'
        ? {
            LifecycleHookSpecificationList: [
              {
                LifecycleHookName: names.hook,
                LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
                HeartbeatTimeout: HOOK_HEARTBEAT_SECONDS,
                DefaultResult: 'ABANDON',
              },
            ],
          }
        : {}),
    }),
  );
  const groupArn = (
    await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.group] }))
  ).AutoScalingGroups![0]!.AutoScalingGroupARN!;
  say(
    `Auto Scaling group ${names.group}: ${GROUP_SIZE} instances in ${subnets.map((s) => s.zone).join(', ')}` +
      (mode === 'hook' ? `, termination hook ${names.hook} (heartbeat timeout ${HOOK_HEARTBEAT_SECONDS} s)` : ''),
  );

  if (mode === 'managed') {
    await clients.ecs.send(
      new CreateCapacityProviderCommand({
        name: names.capacityProvider,
        autoScalingGroupProvider: {
          autoScalingGroupArn: groupArn,
          managedScaling: { status: 'DISABLED' },
          managedTerminationProtection: 'DISABLED',
          managedDraining: 'ENABLED',
        },
      }),
    );
    await clients.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: names.cluster,
        capacityProviders: [names.capacityProvider],
        defaultCapacityProviderStrategy: [{ capacityProvider: names.capacityProvider, weight: 1 }],
      }),
    );
    say(`capacity provider ${names.capacityProvider} with managed draining, the cluster's default`);
  }

  const loadBalancer = await clients.elbv2.send(
    new CreateLoadBalancerCommand({ Name: names.loadBalancer, Type: 'application', Subnets: subnets.map((s) => s.id) }),
  );
  const loadBalancerArn = loadBalancer.LoadBalancers![0]!.LoadBalancerArn!;
  const targetGroup = await clients.elbv2.send(
    new CreateTargetGroupCommand({
      Name: names.targetGroup,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: subnets[0]!.vpcId,
      TargetType: 'instance',
      // AWS's defaults but a healthy threshold of 2: a check's 5 s timeout lasts only 83 ms of
      // wall time at 60×, which a task process that has just started may not meet.
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
    }),
  );
  const targetGroupArn = targetGroup.TargetGroups![0]!.TargetGroupArn!;
  await clients.elbv2.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: targetGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(DEREGISTRATION_DELAY_SECONDS) }],
    }),
  );
  await clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: options.listenerPort,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  const listenerUrl = await until('the listener to bind', () => options.admin.listenerUrl(names.loadBalancer), {
    timeoutMs: 10_000,
  });
  say(
    `ALB ${names.loadBalancer} listening on ${listenerUrl}, target group ${names.targetGroup} ` +
      `(deregistration delay ${DEREGISTRATION_DELAY_SECONDS} s)`,
  );

  await until(
    `${GROUP_SIZE} container instances in ${names.cluster}`,
    async () =>
      (await clients.ecs.send(new ListContainerInstancesCommand({ cluster: names.cluster, status: 'ACTIVE' })))
        .containerInstanceArns!.length >= GROUP_SIZE,
    { timeoutMs: 30_000 },
  );
  say(`${GROUP_SIZE} instances booted and registered as container instances`);

  await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${names.prefix}-web`,
      containerDefinitions: [
        {
          name: 'web',
          image: 'drydock/http-echo',
          cpu: 256,
          memory: 128,
          portMappings: [{ containerPort: 8080, hostPort: 0 }],
          environment: [{ name: 'HTTP_ECHO_MESSAGE', value: 'hello from the drydock demo' }],
        },
      ],
    }),
  );
  await clients.ecs.send(
    new CreateServiceCommand({
      cluster: names.cluster,
      serviceName: names.service,
      taskDefinition: `${names.prefix}-web`,
      desiredCount: SERVICE_TASKS,
      loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      placementStrategy: [
        { type: 'spread', field: 'attribute:ecs.availability-zone' },
        { type: 'spread', field: 'instanceId' },
      ],
      ...(mode === 'managed'
        ? { capacityProviderStrategy: [{ capacityProvider: names.capacityProvider, weight: 1 }] }
        : {}),
    }),
  );
  await until(
    `${SERVICE_TASKS} healthy targets`,
    async () => {
      const service = (
        await clients.ecs.send(new DescribeServicesCommand({ cluster: names.cluster, services: [names.service] }))
      ).services![0]!;
      const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      const healthy = health.TargetHealthDescriptions!.filter((d) => d.TargetHealth?.State === 'healthy').length;
      return service.runningCount === SERVICE_TASKS && healthy === SERVICE_TASKS;
    },
    { timeoutMs: 30_000 },
  );
  say(`service ${names.service}: ${SERVICE_TASKS} drydock/http-echo tasks, all healthy behind the ALB`);
  return { names, mode, clusterArn, groupArn, targetGroupArn, listenerUrl, functionArn };
}

/** A new launch template version (a new AMI), and the refresh that rolls it out one instance at a time. */
export async function startInstanceRefresh(clients: DemoClients, names: FleetNames): Promise<string> {
  await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateName: names.launchTemplate,
      SourceVersion: '1',
      VersionDescription: 'new AMI',
      LaunchTemplateData: { ImageId: AMI_V2 },
    }),
  );
  const refresh = await clients.autoscaling.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: names.group,
      Strategy: 'Rolling',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: names.launchTemplate, Version: '$Latest' } },
      // Launch a replacement first, then take an old instance out: never fewer than 3 in service.
      Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 110, InstanceWarmup: 60 },
    }),
  );
  return refresh.InstanceRefreshId!;
}

async function deployDrainFunction(options: BuildOptions, accountId: string): Promise<string> {
  const { clients, names } = options;
  // The function sleeps on the wall clock while the hook's timeouts run on drydock's: poll every
  // 30 s of drydock time, well inside the 300 s heartbeat timeout.
  const pollSeconds = Math.min(10, Math.max(0.1, 30 / options.timeScale));
  const created = await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: names.function,
      Runtime: 'nodejs20.x',
      Role: ROLE(accountId),
      Handler: 'index.handler',
      Code: { S3Bucket: 'hot-reload', S3Key: options.drainDir },
      Timeout: 900,
      Environment: {
        Variables: {
          CLUSTER: names.cluster,
          POLL_SECONDS: String(pollSeconds),
          MARGIN_SECONDS: String(Math.min(30, Math.max(0.5, 60 / options.timeScale))),
        },
      },
    }),
  );
  const functionArn = created.FunctionArn!;
  // Long drains re-invoke the function; on AWS that chain needs recursion allowed.
  await clients.lambda.send(
    new PutFunctionRecursionConfigCommand({ FunctionName: names.function, RecursiveLoop: 'Allow' }),
  );
  const rule = await clients.events.send(
    new PutRuleCommand({
      Name: names.rule,
      EventPattern: JSON.stringify({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
        detail: { AutoScalingGroupName: [names.group] },
      }),
    }),
  );
  await clients.lambda.send(
    new AddPermissionCommand({
      FunctionName: names.function,
      StatementId: 'eventbridge',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: rule.RuleArn,
    }),
  );
  await clients.events.send(new PutTargetsCommand({ Rule: names.rule, Targets: [{ Id: 'drain', Arn: functionArn }] }));
  return functionArn;
}

interface SubnetChoice {
  id: string;
  zone: string;
  vpcId: string;
}

/** The default VPC's subnets in three zones (one each), as a quick-start template picks them. */
async function defaultSubnets(clients: DemoClients): Promise<SubnetChoice[]> {
  const answer = await clients.ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
  );
  const byZone = new Map<string, SubnetChoice>();
  for (const subnet of answer.Subnets ?? []) {
    if (subnet.SubnetId && subnet.AvailabilityZone && subnet.VpcId && !byZone.has(subnet.AvailabilityZone)) {
      byZone.set(subnet.AvailabilityZone, { id: subnet.SubnetId, zone: subnet.AvailabilityZone, vpcId: subnet.VpcId });
    }
  }
  const chosen = [...byZone.values()].sort((a, b) => a.zone.localeCompare(b.zone)).slice(0, 3);
  if (chosen.length < 2) throw new Error('the default VPC has fewer than two subnets: an ALB needs two zones');
  return chosen;
}
