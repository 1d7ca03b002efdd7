/**
 * ECS capacity providers through the real AWS SDK v3 clients (`@aws-sdk/client-ecs`,
 * `@aws-sdk/client-auto-scaling`) against a gateway serving EC2, Auto Scaling and ECS on virtual
 * time, wired as main.ts wires them: Create/Update/Delete/DescribeCapacityProviders,
 * PutClusterCapacityProviders, strategies on RunTask and CreateService, DescribeClusters with
 * ATTACHMENTS, and every error with its name, message and HTTP status.
 */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteCapacityProviderCommand,
  DeleteClusterCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTagsForResourceCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  TagResourceCommand,
  UpdateCapacityProviderCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsFleetWorld, FLEET_SCOPE, type FleetWorld } from '../support/ecs-fleet-world.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

let world: FleetWorld;
let gateway: TestGateway;
let ecs: ECSClient;
let autoscaling: AutoScalingClient;
const { accountId: ACCOUNT, region: REGION } = FLEET_SCOPE;
const MINUTE = 60_000;

beforeAll(async () => {
  world = ecsFleetWorld({ seed: 21 });
  gateway = await startTestGateway({
    clock: world.clock,
    accountId: ACCOUNT,
    region: REGION,
    seed: 21,
    services: {
      ecs: world.ecs.operations,
      autoscaling: world.autoscaling.operations,
      ec2: world.ec2.operations,
    },
  });
  const config = sdkConfig(gateway.url, REGION);
  ecs = new ECSClient(config);
  autoscaling = new AutoScalingClient(config);
  await world.launchTemplate('node', 'cp-cluster');
  await world.group({ name: 'pool-a', launchTemplate: 'node', min: 0, max: 4, desired: 0 });
  await world.group({ name: 'pool-b', launchTemplate: 'node', min: 0, max: 4, desired: 0, protectNewInstances: true });
  await world.group({ name: 'pool-c', launchTemplate: 'node', min: 0, max: 4, desired: 0 });
});
afterAll(async () => {
  ecs.destroy();
  autoscaling.destroy();
  await gateway.close();
  await world.close();
});

const groupArn = async (name: string) =>
  (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
    .AutoScalingGroups![0]!.AutoScalingGroupARN!;

async function expectError(
  call: () => Promise<unknown>,
  name: string,
  message: string | RegExp,
  status = 400,
): Promise<void> {
  let caught: (Error & { $metadata: { httpStatusCode?: number } }) | undefined;
  try {
    await call();
  } catch (error) {
    caught = error as typeof caught;
  }
  expect(caught, 'expected the call to fail').toBeDefined();
  expect(caught!.name).toBe(name);
  if (typeof message === 'string') expect(caught!.message).toBe(message);
  else expect(caught!.message).toMatch(message);
  expect(caught!.$metadata.httpStatusCode).toBe(status);
}

describe('capacity providers', () => {
  it('Create, Describe (by name, by ARN, all; TAGS), Update and Delete', async () => {
    const arn = await groupArn('pool-a');
    const created = await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'cp-a',
        autoScalingGroupProvider: {
          autoScalingGroupArn: arn,
          managedScaling: { status: 'ENABLED', targetCapacity: 90 },
        },
        tags: [{ key: 'team', value: 'infra' }],
      }),
    );
    expect(created.capacityProvider).toEqual({
      capacityProviderArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:capacity-provider/cp-a`,
      name: 'cp-a',
      status: 'ACTIVE',
      type: 'EC2_AUTOSCALING',
      autoScalingGroupProvider: {
        autoScalingGroupArn: arn,
        managedScaling: {
          status: 'ENABLED',
          targetCapacity: 90,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10000,
          instanceWarmupPeriod: 300,
        },
        managedTerminationProtection: 'DISABLED',
        managedDraining: 'ENABLED',
      },
      updateStatus: 'CREATE_COMPLETE',
      tags: [{ key: 'team', value: 'infra' }],
    });
    // Managed draining is on by default: ECS installed its hook on the group.
    const hooks = await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'pool-a' }));
    expect(hooks.LifecycleHooks).toMatchObject([
      {
        LifecycleHookName: 'ecs-managed-draining-termination-hook',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 3600,
        GlobalTimeout: 172800,
        DefaultResult: 'CONTINUE',
      },
    ]);

    const byArn = await ecs.send(
      new DescribeCapacityProvidersCommand({
        capacityProviders: [created.capacityProvider!.capacityProviderArn!, 'ghost'],
      }),
    );
    expect(byArn.capacityProviders!.map((provider) => provider.name)).toEqual(['cp-a']);
    expect(byArn.capacityProviders![0]!.tags).toEqual([]);
    expect(byArn.failures).toEqual([
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:capacity-provider/ghost`, reason: 'MISSING' },
    ]);
    const all = await ecs.send(new DescribeCapacityProvidersCommand({ include: ['TAGS'] }));
    expect(all.capacityProviders!.find((provider) => provider.name === 'cp-a')!.tags).toEqual([
      { key: 'team', value: 'infra' },
    ]);

    const providerArn = created.capacityProvider!.capacityProviderArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: providerArn, tags: [{ key: 'tier', value: 'gold' }] }));
    const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: providerArn }));
    expect(tags.tags).toEqual([
      { key: 'team', value: 'infra' },
      { key: 'tier', value: 'gold' },
    ]);

    const updated = await ecs.send(
      new UpdateCapacityProviderCommand({
        name: 'cp-a',
        autoScalingGroupProvider: { managedScaling: { maximumScalingStepSize: 2 }, managedDraining: 'DISABLED' },
      }),
    );
    expect(updated.capacityProvider).toMatchObject({
      updateStatus: 'UPDATE_COMPLETE',
      autoScalingGroupProvider: {
        managedScaling: { status: 'ENABLED', targetCapacity: 90, maximumScalingStepSize: 2 },
        managedDraining: 'DISABLED',
      },
    });
    const after = await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'pool-a' }));
    expect(after.LifecycleHooks).toEqual([]);

    const deleted = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp-a' }));
    expect(deleted.capacityProvider).toMatchObject({ status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE' });
    const gone = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['cp-a'] }));
    expect(gone.capacityProviders![0]!.status).toBe('INACTIVE');
  });

  it('errors of Create/Update/DeleteCapacityProvider', async () => {
    const arn = await groupArn('pool-c');
    const protectingArn = await groupArn('pool-b');
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'ecs-thing',
            autoScalingGroupProvider: { autoScalingGroupArn: arn },
          }),
        ),
      'InvalidParameterException',
      /can't be prefixed with "aws", "ecs", or "fargate"/,
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'bad name',
            autoScalingGroupProvider: { autoScalingGroupArn: arn },
          }),
        ),
      'InvalidParameterException',
      /alphanumeric/,
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'cp-ghost',
            autoScalingGroupProvider: {
              autoScalingGroupArn: arn.replace('pool-c', 'nope'),
            },
          }),
        ),
      'ClientException',
      /Auto Scaling group .* does not exist/,
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'cp-c',
            autoScalingGroupProvider: {
              autoScalingGroupArn: arn,
              managedScaling: { status: 'ENABLED', targetCapacity: 0 },
            },
          }),
        ),
      'InvalidParameterException',
      /targetCapacity/,
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'cp-c',
            autoScalingGroupProvider: {
              autoScalingGroupArn: arn,
              managedScaling: { status: 'ENABLED' },
              managedTerminationProtection: 'ENABLED',
            },
          }),
        ),
      'ClientException',
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.',
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'cp-c',
            autoScalingGroupProvider: { autoScalingGroupArn: protectingArn, managedTerminationProtection: 'ENABLED' },
          }),
        ),
      'ClientException',
      /managed scaling must also be enabled/,
    );
    await ecs.send(
      new CreateCapacityProviderCommand({ name: 'cp-c', autoScalingGroupProvider: { autoScalingGroupArn: arn } }),
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({ name: 'cp-c', autoScalingGroupProvider: { autoScalingGroupArn: arn } }),
        ),
      'ClientException',
      'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
    );
    await expectError(
      () =>
        ecs.send(
          new CreateCapacityProviderCommand({ name: 'cp-c2', autoScalingGroupProvider: { autoScalingGroupArn: arn } }),
        ),
      'ClientException',
      /already being used by another capacity provider/,
    );
    await expectError(
      () => ecs.send(new UpdateCapacityProviderCommand({ name: 'ghost', autoScalingGroupProvider: {} })),
      'ClientException',
      'The specified capacity provider does not exist. Specify a valid name or ARN and try again.',
    );
    await expectError(
      () => ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'ghost' })),
      'ClientException',
      'The specified capacity provider does not exist. Specify a valid name or ARN and try again.',
    );
    await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp-c' }));
  });
});

describe('clusters and strategies', () => {
  it('PutClusterCapacityProviders, DescribeClusters ATTACHMENTS, RunTask and CreateService through the strategy', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'cp-cluster' }));
    await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'cp-b',
        autoScalingGroupProvider: {
          autoScalingGroupArn: await groupArn('pool-b'),
          managedScaling: { status: 'ENABLED', instanceWarmupPeriod: 0 },
          managedTerminationProtection: 'ENABLED',
        },
      }),
    );
    await expectError(
      () =>
        ecs.send(
          new PutClusterCapacityProvidersCommand({
            cluster: 'cp-cluster',
            capacityProviders: ['cp-b'],
            defaultCapacityProviderStrategy: [{ capacityProvider: 'other', weight: 1 }],
          }),
        ),
      'InvalidParameterException',
      /cannot contain a capacity provider that is not associated with the cluster/,
    );
    const put = await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'cp-cluster',
        capacityProviders: ['cp-b'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1, base: 1 }],
      }),
    );
    expect(put.cluster).toMatchObject({
      capacityProviders: ['cp-b'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1, base: 1 }],
    });
    const described = await ecs.send(
      new DescribeClustersCommand({ clusters: ['cp-cluster'], include: ['ATTACHMENTS'] }),
    );
    expect(described.clusters![0]!.attachmentsStatus).toBe('UPDATE_COMPLETE');
    expect(described.clusters![0]!.attachments!.map((attachment) => attachment.type)).toEqual([
      'as_policy',
      'managed_draining',
    ]);
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['cp-cluster'] }));
    expect(plain.clusters![0]!.attachments).toBeUndefined();

    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'cp-web',
        containerDefinitions: [{ name: 'web', image: 'drydock/http-echo', cpu: 512, memory: 512 }],
      }),
    );
    await expectError(
      () =>
        ecs.send(
          new RunTaskCommand({
            cluster: 'cp-cluster',
            taskDefinition: 'cp-web',
            launchType: 'EC2',
            capacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1 }],
          }),
        ),
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
    // No instance yet: the task waits for the provider to scale the group out.
    const run = await ecs.send(new RunTaskCommand({ cluster: 'cp-cluster', taskDefinition: 'cp-web' }));
    expect(run.failures).toEqual([]);
    expect(run.tasks![0]).toMatchObject({ lastStatus: 'PROVISIONING', capacityProviderName: 'cp-b' });
    expect(run.tasks![0]!.containerInstanceArn).toBeUndefined();

    const service = await ecs.send(
      new CreateServiceCommand({
        cluster: 'cp-cluster',
        serviceName: 'cp-svc',
        taskDefinition: 'cp-web',
        desiredCount: 2,
        capacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1 }],
      }),
    );
    expect(service.service).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1, base: 0 }],
    });
    expect(service.service!.launchType).toBeUndefined();

    await world.advance(3 * MINUTE, { stepMs: 5_000 });
    const task = await ecs.send(new DescribeTasksCommand({ cluster: 'cp-cluster', tasks: [run.tasks![0]!.taskArn!] }));
    expect(task.tasks![0]).toMatchObject({ lastStatus: 'RUNNING', capacityProviderName: 'cp-b' });
    expect(task.tasks![0]!.containerInstanceArn).toMatch(/container-instance\/cp-cluster\//);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'cp-cluster', services: ['cp-svc'] }));
    expect(services.services![0]).toMatchObject({ runningCount: 2, pendingCount: 0 });

    // Taking the provider away while tasks use it is refused.
    await expectError(
      () =>
        ecs.send(
          new PutClusterCapacityProvidersCommand({
            cluster: 'cp-cluster',
            capacityProviders: [],
            defaultCapacityProviderStrategy: [],
          }),
        ),
      'ResourceInUseException',
      'The specified capacity provider is in use and cannot be removed.',
    );
    await expectError(
      () => ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp-b' })),
      'ClientException',
      /associated with cluster: cp-cluster/,
    );
    await expectError(
      () =>
        ecs.send(
          new UpdateServiceCommand({
            cluster: 'cp-cluster',
            service: 'cp-svc',
            capacityProviderStrategy: [
              { capacityProvider: 'cp-b', base: 1 },
              { capacityProvider: 'x', base: 1, weight: 1 },
            ],
          }),
        ),
      'InvalidParameterException',
      /Only one capacity provider/,
    );
  });

  it('a cluster can be deleted with its providers, which are then free', async () => {
    await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'cp-free',
        autoScalingGroupProvider: { autoScalingGroupArn: await groupArn('pool-c') },
      }),
    );
    await ecs.send(
      new CreateClusterCommand({
        clusterName: 'short-lived',
        capacityProviders: ['cp-free'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'cp-free', weight: 1 }],
      }),
    );
    await expectError(
      () =>
        ecs.send(
          new CreateClusterCommand({
            clusterName: 'greedy',
            capacityProviders: ['cp-free'],
          }),
        ),
      'InvalidParameterException',
      /already associated with another cluster/,
    );
    await ecs.send(new DeleteClusterCommand({ cluster: 'short-lived' }));
    const deleted = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp-free' }));
    expect(deleted.capacityProvider!.status).toBe('INACTIVE');
  });
});
