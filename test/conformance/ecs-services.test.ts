/**
 * ECS services through the real AWS SDK v3 client (`@aws-sdk/client-ecs`) against a gateway
 * serving ECS on virtual time, with the simulated task runtime and a fake ELBv2: Create, Update,
 * Delete, Describe and ListServices, their defaults and validation, the rolling deployment as a
 * program using the SDK sees it, and every error with its name, message and HTTP status.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  UpdateTaskProtectionCommand,
  type CreateServiceCommandInput,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsWorld, type EcsWorld } from '../support/ecs-world.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

let world: EcsWorld;
let gateway: TestGateway;
let ecs: ECSClient;
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

beforeAll(async () => {
  world = ecsWorld({ seed: 11 });
  gateway = await startTestGateway({
    clock: world.clock,
    accountId: ACCOUNT,
    region: REGION,
    seed: 11,
    services: { ecs: world.service.operations },
  });
  ecs = new ECSClient(sdkConfig(gateway.url, REGION));
});
afterAll(async () => {
  ecs.destroy();
  await gateway.close();
  await world.close();
});

const serviceArn = (cluster: string, name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`;

async function expectError(
  call: () => Promise<unknown>,
  name: string,
  message: string | RegExp,
  status = 400,
): Promise<void> {
  let caught: { name: string; message: string; $metadata: { httpStatusCode?: number } } | undefined;
  try {
    await call();
  } catch (error) {
    caught = error as never;
  }
  expect(caught, 'the call should have failed').toBeDefined();
  expect(caught!.name).toBe(name);
  if (typeof message === 'string') expect(caught!.message).toBe(message);
  else expect(caught!.message).toMatch(message);
  expect(caught!.$metadata.httpStatusCode).toBe(status);
}

async function clusterWithInstances(name: string, count: number): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  for (let index = 0; index < count; index += 1) {
    world.launchInstance({
      userData: `#!/bin/bash\necho ECS_CLUSTER=${name} >> /etc/ecs/ecs.config`,
      availabilityZone: index % 2 === 0 ? 'us-east-1a' : 'us-east-1b',
    });
  }
}

const webDefinition = (family: string, extra: Partial<RegisterTaskDefinitionCommandInput> = {}) =>
  ({
    family,
    containerDefinitions: [
      { name: 'web', image: 'drydock/http-echo', memory: 128, portMappings: [{ containerPort: 8080, hostPort: 0 }] },
    ],
    ...extra,
  }) satisfies RegisterTaskDefinitionCommandInput;

async function register(family: string, extra: Partial<RegisterTaskDefinitionCommandInput> = {}): Promise<string> {
  const result = await ecs.send(new RegisterTaskDefinitionCommand(webDefinition(family, extra)));
  return result.taskDefinition!.taskDefinitionArn!;
}

async function describe1(cluster: string, name: string): Promise<Service> {
  return (await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
}

describe('CreateService and DescribeServices', () => {
  it('a REPLICA service with AWS defaults, its PRIMARY deployment, and tasks that reach RUNNING', async () => {
    await clusterWithInstances('s-create', 2);
    const taskDefinition = await register('s-create');
    const created = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: 's-create',
          serviceName: 'api',
          taskDefinition: 's-create',
          desiredCount: 2,
          tags: [{ key: 'team', value: 'fleet' }],
        }),
      )
    ).service!;
    expect(created).toMatchObject({
      serviceArn: serviceArn('s-create', 'api'),
      serviceName: 'api',
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/s-create`,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 0,
      pendingCount: 0,
      launchType: 'EC2',
      taskDefinition,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: false, rollback: false },
      },
      loadBalancers: [],
      placementConstraints: [],
      placementStrategy: [],
      propagateTags: 'NONE',
      enableECSManagedTags: false,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        taskDefinition,
        desiredCount: 2,
        runningCount: 0,
        failedTasks: 0,
        launchType: 'EC2',
        rolloutState: 'IN_PROGRESS',
      }),
    ]);
    const deploymentId = created.deployments![0]!.id!;
    expect(deploymentId).toMatch(/^ecs-svc\/\d{19}$/);

    await world.advance(60_000);
    const service = await describe1('s-create', 'api');
    expect(service).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(service.deployments![0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 2 });
    expect(service.events![0]!.message).toBe('(service api) has reached a steady state.');
    expect(service.events![0]!.createdAt).toBeInstanceOf(Date);
    expect(service.tags).toBeUndefined();

    const tasks = await ecs.send(new ListTasksCommand({ cluster: 's-create', serviceName: 'api' }));
    expect(tasks.taskArns).toHaveLength(2);
    const byStartedBy = await ecs.send(new ListTasksCommand({ cluster: 's-create', startedBy: deploymentId }));
    expect(byStartedBy.taskArns).toHaveLength(2);

    const withTags = await ecs.send(
      new DescribeServicesCommand({
        cluster: 's-create',
        services: [serviceArn('s-create', 'api'), 'nope'],
        include: ['TAGS'],
      }),
    );
    expect(withTags.services![0]!.tags).toEqual([{ key: 'team', value: 'fleet' }]);
    expect(withTags.failures).toEqual([{ arn: serviceArn('s-create', 'nope'), reason: 'MISSING' }]);
  });

  it('deployment configuration: the given percents, the circuit breaker, DAEMON defaults 0/100', async () => {
    await clusterWithInstances('s-config', 1);
    await register('s-config');
    const replica = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: 's-config',
          serviceName: 'replica',
          taskDefinition: 's-config',
          desiredCount: 1,
          deploymentConfiguration: {
            minimumHealthyPercent: 50,
            maximumPercent: 150,
            deploymentCircuitBreaker: { enable: true, rollback: true },
          },
          placementStrategy: [{ type: 'binpack', field: 'memory' }],
          placementConstraints: [{ type: 'distinctInstance' }],
          healthCheckGracePeriodSeconds: 30,
        }),
      )
    ).service!;
    expect(replica.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 50,
      maximumPercent: 150,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    expect(replica.placementStrategy).toEqual([{ type: 'binpack', field: 'memory' }]);
    expect(replica.placementConstraints).toEqual([{ type: 'distinctInstance' }]);
    expect(replica.healthCheckGracePeriodSeconds).toBe(30);

    const daemon = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: 's-config',
          serviceName: 'daemon',
          taskDefinition: 's-config',
          schedulingStrategy: 'DAEMON',
        }),
      )
    ).service!;
    expect(daemon).toMatchObject({
      schedulingStrategy: 'DAEMON',
      deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
    });
    await world.advance(2_000);
    expect((await describe1('s-config', 'daemon')).desiredCount).toBe(1);
  });

  it('loadBalancers: the task registers in the target group; DescribeServices shows them', async () => {
    await clusterWithInstances('s-lb', 1);
    await register('s-lb');
    const targetGroupArn = world.targetGroups.create('s-lb', { healthyAfterMs: 5_000 });
    const created = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: 's-lb',
          serviceName: 'web',
          taskDefinition: 's-lb',
          desiredCount: 1,
          loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
        }),
      )
    ).service!;
    expect(created.loadBalancers).toEqual([{ targetGroupArn, containerName: 'web', containerPort: 8080 }]);
    expect(created.healthCheckGracePeriodSeconds).toBe(0);
    await world.advance(10_000);
    expect(world.targetGroups.targets(targetGroupArn)).toEqual([expect.objectContaining({ state: 'healthy' })]);
    const messages = (await describe1('s-lb', 'web')).events!.map((event) => event.message);
    expect(messages).toContain(`(service web) registered 1 targets in (target-group ${targetGroupArn})`);
  });

  it('errors of CreateService', async () => {
    await clusterWithInstances('s-errors', 1);
    await register('s-errors');
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 's-errors-vpc',
        networkMode: 'awsvpc',
        containerDefinitions: [
          { name: 'web', image: 'drydock/http-echo', memory: 128, portMappings: [{ containerPort: 8080 }] },
        ],
      }),
    );
    const instanceTargets = world.targetGroups.create('s-errors-instance');
    const ipTargets = world.targetGroups.create('s-errors-ip', { targetType: 'ip' });
    const create = (input: Partial<CreateServiceCommandInput>) =>
      ecs.send(
        new CreateServiceCommand({
          cluster: 's-errors',
          serviceName: 'svc',
          taskDefinition: 's-errors',
          desiredCount: 1,
          ...input,
        }),
      );
    await expectError(() => create({ cluster: 'ghost' }), 'ClusterNotFoundException', 'Cluster not found.');
    await expectError(
      () => create({ taskDefinition: 'nope' }),
      'InvalidParameterException',
      'TaskDefinition not found.',
    );
    await expectError(() => create({ serviceName: 'bad name!' }), 'InvalidParameterException', /alphanumeric/);
    await expectError(
      () => create({ capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }),
      'InvalidParameterException',
      /^The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster/,
    );
    await expectError(
      () => create({ launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }),
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
    await expectError(() => create({ launchType: 'FARGATE' }), 'InvalidParameterException', /launchType FARGATE/);
    await expectError(
      () => create({ deploymentController: { type: 'CODE_DEPLOY' } }),
      'InvalidParameterException',
      /CODE_DEPLOY is not supported yet/,
    );
    await expectError(
      () => create({ desiredCount: undefined }),
      'InvalidParameterException',
      'The desired count is required for services using the REPLICA scheduling strategy.',
    );
    await expectError(() => create({ desiredCount: -1 }), 'InvalidParameterException', /desiredCount/);
    await expectError(
      () => create({ deploymentConfiguration: { minimumHealthyPercent: 150 } }),
      'InvalidParameterException',
      'minimumHealthyPercent must be between 0 and 100.',
    );
    await expectError(
      () => create({ deploymentConfiguration: { maximumPercent: 50 } }),
      'InvalidParameterException',
      'maximumPercent must be greater than or equal to 100.',
    );
    await expectError(
      () =>
        create({
          schedulingStrategy: 'DAEMON',
          desiredCount: undefined,
          deploymentConfiguration: { maximumPercent: 200 },
        }),
      'InvalidParameterException',
      'maximumPercent must be 100 for services with the DAEMON scheduling strategy.',
    );
    await expectError(
      () => create({ schedulingStrategy: 'DAEMON', desiredCount: 2 }),
      'InvalidParameterException',
      'The daemon scheduling strategy does not support a desired count for services.',
    );
    await expectError(
      () =>
        create({
          schedulingStrategy: 'DAEMON',
          desiredCount: undefined,
          placementStrategy: [{ type: 'spread', field: 'instanceId' }],
        }),
      'InvalidParameterException',
      'Placement strategies are not supported with the DAEMON scheduling strategy.',
    );
    await expectError(
      () => create({ placementStrategy: [{ type: 'binpack', field: 'disk' }] }),
      'InvalidParameterException',
      /binpack/,
    );
    await expectError(
      () => create({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =' }] }),
      'InvalidParameterException',
      /memberOf/,
    );
    await expectError(
      () => create({ healthCheckGracePeriodSeconds: -5 }),
      'InvalidParameterException',
      /healthCheckGracePeriodSeconds/,
    );
    await expectError(
      () =>
        create({
          loadBalancers: [
            {
              targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/ghost/1',
              containerName: 'web',
              containerPort: 8080,
            },
          ],
        }),
      'InvalidParameterException',
      'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
    );
    await expectError(
      () => create({ loadBalancers: [{ targetGroupArn: instanceTargets, containerName: 'app', containerPort: 8080 }] }),
      'InvalidParameterException',
      'The container app does not exist in the task definition.',
    );
    await expectError(
      () => create({ loadBalancers: [{ targetGroupArn: instanceTargets, containerName: 'web', containerPort: 80 }] }),
      'InvalidParameterException',
      'The container web did not have a container port 80 defined.',
    );
    await expectError(
      () => create({ loadBalancers: [{ targetGroupArn: ipTargets, containerName: 'web', containerPort: 8080 }] }),
      'InvalidParameterException',
      `The provided target group ${ipTargets} has target type ip, which is incompatible with the bridge network mode specified in the task definition.`,
    );
    await expectError(
      () =>
        create({
          taskDefinition: 's-errors-vpc',
          loadBalancers: [{ targetGroupArn: instanceTargets, containerName: 'web', containerPort: 8080 }],
        }),
      'InvalidParameterException',
      `The provided target group ${instanceTargets} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.`,
    );
    await expectError(
      () => create({ tags: [{ key: 'aws:owner', value: 'x' }] }),
      'InvalidParameterException',
      "Tag keys that start with 'aws:' are reserved for AWS use.",
    );

    await create({ clientToken: 'token-1' });
    const again = await create({ clientToken: 'token-1' });
    expect(again.service?.serviceName).toBe('svc');
    await expectError(() => create({}), 'InvalidParameterException', 'Creation of service was not idempotent.');
    await ecs.send(new DeleteServiceCommand({ cluster: 's-errors', service: 'svc', force: true }));
    // Its task is still stopping: the name is not free yet.
    await expectError(
      () => create({}),
      'InvalidParameterException',
      'Unable to Start a service that is still Draining.',
    );
    await expectError(
      () => ecs.send(new CreateServiceCommand({ cluster: 's-errors' } as never)),
      'InvalidParameterException',
      /Value null at 'serviceName'/,
    );
  });
});

describe('UpdateService', () => {
  it('a new task definition starts a rolling deployment that completes; desiredCount alone does not', async () => {
    await clusterWithInstances('s-update', 2);
    const v1 = await register('s-update');
    await ecs.send(
      new CreateServiceCommand({ cluster: 's-update', serviceName: 'api', taskDefinition: v1, desiredCount: 2 }),
    );
    await world.advance(60_000);
    const scaled = (await ecs.send(new UpdateServiceCommand({ cluster: 's-update', service: 'api', desiredCount: 3 })))
      .service!;
    expect(scaled.desiredCount).toBe(3);
    expect(scaled.deployments).toHaveLength(1);
    await world.advance(60_000);

    const v2 = await register('s-update');
    const updated = (
      await ecs.send(
        new UpdateServiceCommand({
          cluster: 's-update',
          service: serviceArn('s-update', 'api'),
          taskDefinition: 's-update:2',
          deploymentConfiguration: { minimumHealthyPercent: 50 },
        }),
      )
    ).service!;
    expect(updated.taskDefinition).toBe(v2);
    expect(updated.deploymentConfiguration).toMatchObject({ minimumHealthyPercent: 50, maximumPercent: 200 });
    expect(updated.deployments!.map((deployment) => [deployment.status, deployment.taskDefinition])).toEqual([
      ['PRIMARY', v2],
      ['ACTIVE', v1],
    ]);
    await world.advance(120_000);
    const done = await describe1('s-update', 'api');
    expect(done.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', taskDefinition: v2, rolloutState: 'COMPLETED', runningCount: 3 }),
    ]);
    expect(done.runningCount).toBe(3);

    const forced = (
      await ecs.send(new UpdateServiceCommand({ cluster: 's-update', service: 'api', forceNewDeployment: true }))
    ).service!;
    expect(forced.deployments).toHaveLength(2);
    expect(forced.deployments![0]!.taskDefinition).toBe(v2);
  });

  it('errors of UpdateService', async () => {
    await clusterWithInstances('s-update-errors', 1);
    await register('s-update-errors');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 's-update-errors',
        serviceName: 'daemon',
        taskDefinition: 's-update-errors',
        schedulingStrategy: 'DAEMON',
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 's-update-errors',
        serviceName: 'gone',
        taskDefinition: 's-update-errors',
        desiredCount: 0,
      }),
    );
    await ecs.send(new DeleteServiceCommand({ cluster: 's-update-errors', service: 'gone' }));
    const update = (input: Record<string, unknown>) =>
      ecs.send(new UpdateServiceCommand({ cluster: 's-update-errors', service: 'daemon', ...input }));
    await expectError(() => update({ service: 'nope' }), 'ServiceNotFoundException', 'Service not found.');
    await expectError(() => update({ service: 'gone' }), 'ServiceNotActiveException', 'Service was not ACTIVE.');
    await expectError(() => update({ cluster: 'ghost' }), 'ClusterNotFoundException', 'Cluster not found.');
    await expectError(
      () => update({ desiredCount: 3 }),
      'InvalidParameterException',
      'The daemon scheduling strategy does not support a desired count for services.',
    );
    await expectError(
      () => update({ taskDefinition: 'nope' }),
      'InvalidParameterException',
      'TaskDefinition not found.',
    );
    await expectError(
      () => update({ capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }),
      'InvalidParameterException',
      'Capacity provider strategies are not supported with the DAEMON scheduling strategy.',
    );
    await expectError(
      () => update({ deploymentConfiguration: { minimumHealthyPercent: 101 } }),
      'InvalidParameterException',
      'minimumHealthyPercent must be between 0 and 100.',
    );
  });
});

describe('DeleteService, ListServices, tags, and the cluster', () => {
  it('DeleteService: scaled above 0 needs force; DRAINING then INACTIVE; still describable', async () => {
    await clusterWithInstances('s-delete', 1);
    await register('s-delete');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 's-delete',
        serviceName: 'api',
        taskDefinition: 's-delete',
        desiredCount: 1,
      }),
    );
    await world.advance(60_000);
    await expectError(
      () => ecs.send(new DeleteServiceCommand({ cluster: 's-delete', service: 'api' })),
      'InvalidParameterException',
      'The service cannot be stopped while it is scaled above 0.',
    );
    const deleted = (await ecs.send(new DeleteServiceCommand({ cluster: 's-delete', service: 'api', force: true })))
      .service!;
    expect(deleted).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    await world.advance(10_000);
    expect(await describe1('s-delete', 'api')).toMatchObject({ status: 'INACTIVE', runningCount: 0 });
    await expectError(
      () => ecs.send(new DeleteServiceCommand({ cluster: 's-delete', service: 'api' })),
      'ServiceNotFoundException',
      'Service not found.',
    );
  });

  it('DeleteCluster: ClusterContainsServicesException while a service is ACTIVE or DRAINING', async () => {
    await clusterWithInstances('s-cluster', 0);
    await register('s-cluster');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 's-cluster',
        serviceName: 'api',
        taskDefinition: 's-cluster',
        desiredCount: 0,
      }),
    );
    expect((await ecs.send(new DescribeClustersCommand({ clusters: ['s-cluster'] }))).clusters![0]).toMatchObject({
      activeServicesCount: 1,
    });
    await expectError(
      () => ecs.send(new DeleteClusterCommand({ cluster: 's-cluster' })),
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    );
    await ecs.send(new DeleteServiceCommand({ cluster: 's-cluster', service: 'api' }));
    await world.advance(0);
    expect((await ecs.send(new DeleteClusterCommand({ cluster: 's-cluster' }))).cluster?.status).toBe('INACTIVE');
  });

  it('ListServices: ARNs in name order, paged (10 by default), filtered by scheduling strategy and launch type', async () => {
    await clusterWithInstances('s-list', 1);
    await register('s-list');
    for (let index = 0; index < 12; index += 1) {
      await ecs.send(
        new CreateServiceCommand({
          cluster: 's-list',
          serviceName: `svc-${String(index).padStart(2, '0')}`,
          taskDefinition: 's-list',
          desiredCount: 0,
        }),
      );
    }
    await ecs.send(
      new CreateServiceCommand({
        cluster: 's-list',
        serviceName: 'zz-daemon',
        taskDefinition: 's-list',
        schedulingStrategy: 'DAEMON',
      }),
    );
    const first = await ecs.send(new ListServicesCommand({ cluster: 's-list' }));
    expect(first.serviceArns).toHaveLength(10);
    expect(first.serviceArns![0]).toBe(serviceArn('s-list', 'svc-00'));
    const second = await ecs.send(new ListServicesCommand({ cluster: 's-list', nextToken: first.nextToken }));
    expect(second.serviceArns).toEqual([
      serviceArn('s-list', 'svc-10'),
      serviceArn('s-list', 'svc-11'),
      serviceArn('s-list', 'zz-daemon'),
    ]);
    expect(second.nextToken).toBeUndefined();
    const daemons = await ecs.send(new ListServicesCommand({ cluster: 's-list', schedulingStrategy: 'DAEMON' }));
    expect(daemons.serviceArns).toEqual([serviceArn('s-list', 'zz-daemon')]);
    expect((await ecs.send(new ListServicesCommand({ cluster: 's-list', launchType: 'FARGATE' }))).serviceArns).toEqual(
      [],
    );
    await expectError(
      () => ecs.send(new ListServicesCommand({ cluster: 's-list', nextToken: 'garbage' })),
      'InvalidParameterException',
      'Invalid nextToken.',
    );
    await expectError(
      () => ecs.send(new ListServicesCommand({ cluster: 'ghost' })),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await expectError(
      () =>
        ecs.send(
          new DescribeServicesCommand({
            cluster: 's-list',
            services: Array.from({ length: 11 }, (_, index) => `svc-${index}`),
          }),
        ),
      'InvalidParameterException',
      'Services cannot have more than 10 elements.',
    );
  });

  it('TagResource / UntagResource / ListTagsForResource on a service ARN', async () => {
    await clusterWithInstances('s-tags', 0);
    await register('s-tags');
    await ecs.send(
      new CreateServiceCommand({ cluster: 's-tags', serviceName: 'api', taskDefinition: 's-tags', desiredCount: 0 }),
    );
    const resourceArn = serviceArn('s-tags', 'api');
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'env', value: 'test' }] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([
      { key: 'env', value: 'test' },
    ]);
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['env'] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([]);
    await expectError(
      () => ecs.send(new TagResourceCommand({ resourceArn: serviceArn('s-tags', 'nope'), tags: [] })),
      'ResourceNotFoundException',
      'The specified resource could not be found.',
    );
  });

  it('service tasks can be protected (task scale-in protection)', async () => {
    await clusterWithInstances('s-protect', 1);
    await register('s-protect');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 's-protect',
        serviceName: 'api',
        taskDefinition: 's-protect',
        desiredCount: 1,
      }),
    );
    await world.advance(2_000);
    const [taskArn] = (await ecs.send(new ListTasksCommand({ cluster: 's-protect', serviceName: 'api' }))).taskArns!;
    const result = await ecs.send(
      new UpdateTaskProtectionCommand({ cluster: 's-protect', tasks: [taskArn!], protectionEnabled: true }),
    );
    expect(result.failures).toEqual([]);
    expect(result.protectedTasks).toEqual([
      expect.objectContaining({ taskArn, protectionEnabled: true, expirationDate: expect.any(Date) }),
    ]);
    const instances = await ecs.send(new ListContainerInstancesCommand({ cluster: 's-protect' }));
    expect(instances.containerInstanceArns).toHaveLength(1);
  });
});
