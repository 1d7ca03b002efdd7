/**
 * ECS through the real AWS SDK v3 client (`@aws-sdk/client-ecs`) against a gateway serving the
 * ECS service on virtual time with the simulated task runtime: every implemented operation, its
 * failures[] and its errors (err.name, message, HTTP status), as a program using the SDK sees them.
 */
import {
  CreateClusterCommand,
  DeleteAttributesCommand,
  DeleteClusterCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterContainerInstanceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  GetTaskProtectionCommand,
  ListAttributesCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  PutAttributesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StartTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
  UpdateContainerInstancesStateCommand,
  UpdateTaskProtectionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/services/ecs/task.js';
import { awsError } from '../support/drydock.js';
import { ecsWorld, type EcsWorld } from '../support/ecs-world.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

let world: EcsWorld;
let gateway: TestGateway;
let ecs: ECSClient;
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

beforeAll(async () => {
  world = ecsWorld({ seed: 7 });
  gateway = await startTestGateway({
    clock: world.clock,
    accountId: ACCOUNT,
    region: REGION,
    seed: 7,
    services: { ecs: world.service.operations },
  });
  ecs = new ECSClient(sdkConfig(gateway.url, REGION));
});
afterAll(async () => {
  ecs.destroy();
  await gateway.close();
  await world.close();
});

const clusterArn = (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}`;

async function expectError(
  call: () => Promise<unknown>,
  name: string,
  message: string | RegExp,
  status = 400,
): Promise<void> {
  const error = await awsError(call);
  expect(error.name).toBe(name);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  expect(error.$metadata.httpStatusCode).toBe(status);
}

/** A cluster with `count` m5.large container instances registered from EC2 facts. */
async function clusterWithInstances(name: string, count: number, zones = ['us-east-1a']): Promise<string[]> {
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  for (let index = 0; index < count; index += 1) {
    world.launchInstance({
      userData: `#!/bin/bash\necho ECS_CLUSTER=${name} >> /etc/ecs/ecs.config`,
      availabilityZone: zones[index % zones.length],
    });
  }
  return (await ecs.send(new ListContainerInstancesCommand({ cluster: name }))).containerInstanceArns ?? [];
}

const webDefinition = (family: string): RegisterTaskDefinitionCommandInput => ({
  family,
  containerDefinitions: [
    {
      name: 'web',
      image: 'drydock/http-echo',
      memory: 128,
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
      stopTimeout: 5,
    },
  ],
});

describe('clusters', () => {
  it('Create, Describe (counts, tags, settings), List, Update, UpdateSettings, Delete', async () => {
    const created = await ecs.send(
      new CreateClusterCommand({ clusterName: 'c-life', tags: [{ key: 'team', value: 'fleet' }] }),
    );
    expect(created.cluster).toMatchObject({
      clusterArn: clusterArn('c-life'),
      clusterName: 'c-life',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      settings: [{ name: 'containerInsights', value: 'disabled' }],
    });

    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['c-life', 'nope'], include: ['TAGS'] }));
    expect(described.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'fleet' }]);
    expect(described.failures).toEqual([{ arn: clusterArn('nope'), reason: 'MISSING' }]);

    const updated = await ecs.send(
      new UpdateClusterCommand({
        cluster: 'c-life',
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } },
      }),
    );
    expect(updated.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    expect(updated.cluster?.configuration?.executeCommandConfiguration?.logging).toBe('DEFAULT');

    const settings = await ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: clusterArn('c-life'),
        settings: [{ name: 'containerInsights', value: 'enhanced' }],
      }),
    );
    expect(settings.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    await expectError(
      () =>
        ecs.send(
          new UpdateClusterSettingsCommand({
            cluster: 'c-life',
            settings: [{ name: 'containerInsights', value: 'loud' }],
          }),
        ),
      'InvalidParameterException',
      /containerInsights/,
    );

    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toContain(clusterArn('c-life'));
    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: 'c-life' }));
    expect(deleted.cluster?.status).toBe('INACTIVE');
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).not.toContain(clusterArn('c-life'));
  });

  it('counts come from the real container instances and tasks', async () => {
    await clusterWithInstances('c-counts', 2);
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('counted')));
    await ecs.send(new RunTaskCommand({ cluster: 'c-counts', taskDefinition: 'counted', count: 3 }));
    let cluster = (await ecs.send(new DescribeClustersCommand({ clusters: ['c-counts'] }))).clusters![0]!;
    expect(cluster).toMatchObject({ registeredContainerInstancesCount: 2, pendingTasksCount: 3, runningTasksCount: 0 });
    await world.advance(2_000);
    cluster = (await ecs.send(new DescribeClustersCommand({ clusters: ['c-counts'] }))).clusters![0]!;
    expect(cluster).toMatchObject({ pendingTasksCount: 0, runningTasksCount: 3 });
  });

  it('errors: ClusterNotFoundException, and a cluster with members cannot be deleted', async () => {
    await expectError(
      () => ecs.send(new DeleteClusterCommand({ cluster: 'ghost' })),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await expectError(
      () => ecs.send(new ListTasksCommand({ cluster: 'ghost' })),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await expectError(
      () => ecs.send(new CreateClusterCommand({ clusterName: 'bad name!' })),
      'InvalidParameterException',
      /alphanumeric/,
    );
    const [instance] = await clusterWithInstances('c-busy', 1);
    await expectError(
      () => ecs.send(new DeleteClusterCommand({ cluster: 'c-busy' })),
      'ClusterContainsContainerInstancesException',
      'The Cluster cannot be deleted while Container Instances are active or draining.',
    );
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('busy')));
    await ecs.send(new RunTaskCommand({ cluster: 'c-busy', taskDefinition: 'busy' }));
    await ecs.send(
      new DeregisterContainerInstanceCommand({ cluster: 'c-busy', containerInstance: instance, force: true }),
    );
    // The forced deregistration stops the task on the next reconcile; until then it is active.
    await expectError(
      () => ecs.send(new DeleteClusterCommand({ cluster: 'c-busy' })),
      'ClusterContainsTasksException',
      'The Cluster cannot be deleted while Tasks are active.',
    );
    await world.advance(0);
    expect((await ecs.send(new DeleteClusterCommand({ cluster: 'c-busy' }))).cluster?.status).toBe('INACTIVE');
  });

  it('a missing required member is the model validation error', async () => {
    await expectError(
      () => ecs.send(new UpdateClusterSettingsCommand({ cluster: 'x' } as never)),
      'InvalidParameterException',
      /Value null at 'settings'/,
    );
  });
});

describe('container instances', () => {
  it('Describe and List (pagination, filter, status), with failures MISSING', async () => {
    const arns = await clusterWithInstances('c-ci', 3, ['us-east-1a', 'us-east-1b']);
    expect(arns).toHaveLength(3);
    const described = await ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: 'c-ci',
        containerInstances: [arns[0]!, 'ffffffffffffffffffffffffffffffff'],
      }),
    );
    const instance = described.containerInstances![0]!;
    expect(instance).toMatchObject({
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
    });
    expect(instance.registeredAt).toBeInstanceOf(Date);
    expect(instance.versionInfo?.agentVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(instance.registeredResources?.find((resource) => resource.name === 'CPU')?.integerValue).toBe(2048);
    expect(described.failures).toEqual([
      {
        arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/c-ci/ffffffffffffffffffffffffffffffff`,
        reason: 'MISSING',
      },
    ]);

    const page1 = await ecs.send(new ListContainerInstancesCommand({ cluster: 'c-ci', maxResults: 2 }));
    const page2 = await ecs.send(
      new ListContainerInstancesCommand({ cluster: 'c-ci', maxResults: 2, nextToken: page1.nextToken }),
    );
    expect([...page1.containerInstanceArns!, ...page2.containerInstanceArns!].sort()).toEqual([...arns].sort());
    expect(page2.nextToken).toBeUndefined();

    const inB = await ecs.send(
      new ListContainerInstancesCommand({ cluster: 'c-ci', filter: 'attribute:ecs.availability-zone == us-east-1b' }),
    );
    expect(inB.containerInstanceArns).toHaveLength(1);
    const byId = await ecs.send(
      new ListContainerInstancesCommand({ cluster: 'c-ci', filter: `ec2InstanceId==${instance.ec2InstanceId}` }),
    );
    expect(byId.containerInstanceArns).toEqual([arns[0]]);
    const draining = await ecs.send(new ListContainerInstancesCommand({ cluster: 'c-ci', status: 'DRAINING' }));
    expect(draining.containerInstanceArns).toEqual([]);

    await expectError(
      () => ecs.send(new ListContainerInstancesCommand({ cluster: 'c-ci', filter: 'attribute:x ==' })),
      'InvalidParameterException',
      /Invalid filter expression 'attribute:x ==': expected a value/,
    );
    await expectError(
      () => ecs.send(new ListContainerInstancesCommand({ cluster: 'c-ci', nextToken: 'garbage!' })),
      'InvalidParameterException',
      'Invalid nextToken.',
    );
    await expectError(
      () => ecs.send(new ListContainerInstancesCommand({ cluster: 'c-ci', maxResults: 101 })),
      'InvalidParameterException',
      'maxResults must be between 1 and 100.',
    );
    await expectError(
      () => ecs.send(new DescribeContainerInstancesCommand({ cluster: 'c-ci', containerInstances: [] })),
      'InvalidParameterException',
      'Container instances cannot be empty.',
    );
  });

  it('UpdateContainerInstancesState: DRAINING and back, failures for unknown ids, its limits', async () => {
    const [arn] = await clusterWithInstances('c-drain', 1);
    const drained = await ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: 'c-drain',
        containerInstances: [arn!, 'deadbeef'],
        status: 'DRAINING',
      }),
    );
    expect(drained.containerInstances?.[0]).toMatchObject({ status: 'DRAINING', version: 2 });
    expect(drained.failures).toEqual([
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/c-drain/deadbeef`, reason: 'MISSING' },
    ]);
    const active = await ecs.send(
      new UpdateContainerInstancesStateCommand({ cluster: 'c-drain', containerInstances: [arn!], status: 'ACTIVE' }),
    );
    expect(active.containerInstances?.[0]?.status).toBe('ACTIVE');
    await expectError(
      () =>
        ecs.send(
          new UpdateContainerInstancesStateCommand({
            cluster: 'c-drain',
            containerInstances: Array(11).fill(arn!),
            status: 'DRAINING',
          }),
        ),
      'InvalidParameterException',
      'Container instances cannot have more than 10 elements.',
    );
    await expectError(
      () =>
        ecs.send(
          new UpdateContainerInstancesStateCommand({
            cluster: 'c-drain',
            containerInstances: [arn!],
            status: 'REGISTERING',
          }),
        ),
      'InvalidParameterException',
      'Container instance status REGISTERING is not valid: use ACTIVE or DRAINING.',
    );
    await expectError(
      () =>
        ecs.send(
          new UpdateContainerInstancesStateCommand({
            cluster: 'c-drain',
            containerInstances: [arn!],
            status: 'ASLEEP' as never,
          }),
        ),
      'InvalidParameterException',
      /failed to satisfy constraint: Member must satisfy enum value set/,
    );
  });

  it('DeregisterContainerInstance: INACTIVE; with tasks only by force; unknown is an error', async () => {
    const [first, second] = await clusterWithInstances('c-dereg', 2);
    const deregistered = await ecs.send(
      new DeregisterContainerInstanceCommand({ cluster: 'c-dereg', containerInstance: first }),
    );
    expect(deregistered.containerInstance).toMatchObject({ status: 'INACTIVE', agentConnected: false });
    await expectError(
      () => ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'c-dereg', containerInstance: first })),
      'InvalidParameterException',
      'The referenced container instance was not found.',
    );
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('dereg')));
    const { tasks } = await ecs.send(new RunTaskCommand({ cluster: 'c-dereg', taskDefinition: 'dereg' }));
    expect(tasks?.[0]?.containerInstanceArn).toBe(second);
    await expectError(
      () => ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'c-dereg', containerInstance: second })),
      'InvalidParameterException',
      /Found running tasks on the instance/,
    );
  });
});

describe('attributes', () => {
  it('Put, List (by name and value, paged), Delete; built-ins are listed and read-only', async () => {
    const [arn] = await clusterWithInstances('c-attr', 1);
    const put = await ecs.send(
      new PutAttributesCommand({ cluster: 'c-attr', attributes: [{ name: 'stack', value: 'prod', targetId: arn }] }),
    );
    expect(put.attributes).toEqual([{ name: 'stack', value: 'prod', targetType: 'container-instance', targetId: arn }]);
    const listed = await ecs.send(
      new ListAttributesCommand({
        cluster: 'c-attr',
        targetType: 'container-instance',
        attributeName: 'stack',
        attributeValue: 'prod',
      }),
    );
    expect(listed.attributes).toEqual([
      { name: 'stack', value: 'prod', targetType: 'container-instance', targetId: arn },
    ]);
    const all = await ecs.send(
      new ListAttributesCommand({ cluster: 'c-attr', targetType: 'container-instance', maxResults: 3 }),
    );
    expect(all.attributes).toHaveLength(3);
    expect(all.nextToken).toBeDefined();
    const zone = await ecs.send(
      new ListAttributesCommand({
        cluster: 'c-attr',
        targetType: 'container-instance',
        attributeName: 'ecs.availability-zone',
      }),
    );
    expect(zone.attributes?.[0]?.value).toBe('us-east-1a');

    await ecs.send(new DeleteAttributesCommand({ cluster: 'c-attr', attributes: [{ name: 'stack', targetId: arn }] }));
    const after = await ecs.send(
      new ListAttributesCommand({ cluster: 'c-attr', targetType: 'container-instance', attributeName: 'stack' }),
    );
    expect(after.attributes).toEqual([]);

    await expectError(
      () =>
        ecs.send(
          new PutAttributesCommand({
            cluster: 'c-attr',
            attributes: [{ name: 'ecs.instance-type', value: 'x', targetId: arn }],
          }),
        ),
      'InvalidParameterException',
      'Attribute ecs.instance-type is reserved for Amazon ECS and cannot be changed.',
    );
    await expectError(
      () =>
        ecs.send(
          new PutAttributesCommand({
            cluster: 'c-attr',
            attributes: [{ name: 'stack', value: 'x', targetId: 'nope' }],
          }),
        ),
      'TargetNotFoundException',
      'Could not find the target nope.',
    );
    await ecs.send(
      new PutAttributesCommand({
        cluster: 'c-attr',
        attributes: Array.from({ length: 10 }, (_, index) => ({ name: `a${index}`, targetId: arn })),
      }),
    );
    await expectError(
      () =>
        ecs.send(new PutAttributesCommand({ cluster: 'c-attr', attributes: [{ name: 'eleventh', targetId: arn }] })),
      'AttributeLimitExceededException',
      'You can apply up to 10 custom attributes for each resource.',
    );
  });
});

describe('task definitions', () => {
  it('Register revisions, Describe by family, family:revision and ARN, with tags', async () => {
    const first = await ecs.send(
      new RegisterTaskDefinitionCommand({ ...webDefinition('td-web'), tags: [{ key: 'a', value: 'b' }] }),
    );
    expect(first.taskDefinition).toMatchObject({
      family: 'td-web',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'bridge',
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/td-web:1`,
      compatibilities: ['EC2'],
    });
    expect(first.taskDefinition?.containerDefinitions?.[0]).toMatchObject({
      name: 'web',
      essential: true,
      cpu: 0,
      portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
      environment: [],
    });
    expect(first.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(first.tags).toEqual([{ key: 'a', value: 'b' }]);
    const second = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...webDefinition('td-web'),
        cpu: '0.5 vCPU',
        memory: '1 GB',
        networkMode: 'awsvpc',
      }),
    );
    expect(second.taskDefinition).toMatchObject({ revision: 2, cpu: '512', memory: '1024' });
    expect(second.taskDefinition?.containerDefinitions?.[0]?.portMappings?.[0]?.hostPort).toBe(8080);
    expect(second.taskDefinition?.compatibilities).toEqual(['EC2', 'FARGATE']);

    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'td-web' }))).taskDefinition?.revision,
    ).toBe(2);
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'td-web:1' }))).taskDefinition?.revision,
    ).toBe(1);
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: first.taskDefinition!.taskDefinitionArn!,
        include: ['TAGS'],
      }),
    );
    expect(byArn.tags).toEqual([{ key: 'a', value: 'b' }]);

    await expectError(
      () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'td-web:9' })),
      'ClientException',
      'Unable to describe task definition.',
    );
  });

  it('Register refuses what ECS refuses, as ClientException', async () => {
    const cases: Array<[RegisterTaskDefinitionCommandInput, string]> = [
      [
        { family: 'bad', containerDefinitions: [{ name: 'a', image: 'x' }] },
        "Invalid setting for container 'a'. At least one of 'memory' or 'memoryReservation' must be specified.",
      ],
      [
        { family: 'bad', containerDefinitions: [{ name: 'a', memory: 64 }] },
        'Container.image should not be null or empty.',
      ],
      [{ family: 'bad', containerDefinitions: [] }, 'Container list cannot be empty.'],
      [
        { family: 'bad', memory: '256', containerDefinitions: [{ name: 'a', image: 'x', memory: 512 }] },
        "The 'memory' setting for container 'a' is greater than for the task.",
      ],
      [
        {
          family: 'bad',
          requiresCompatibilities: ['FARGATE'],
          containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }],
        },
        "Fargate only supports network mode 'awsvpc'.",
      ],
      [
        {
          family: 'bad',
          networkMode: 'awsvpc',
          containerDefinitions: [
            { name: 'a', image: 'x', memory: 64, portMappings: [{ containerPort: 80, hostPort: 81 }] },
          ],
        },
        'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
      ],
      [
        {
          family: 'bad',
          containerDefinitions: [
            { name: 'a', image: 'x', memory: 64 },
            { name: 'a', image: 'y', memory: 64 },
          ],
        },
        'Duplicate container name: a.',
      ],
      [
        {
          family: 'bad',
          placementConstraints: [{ type: 'memberOf', expression: 'attribute:x ===' }],
          containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }],
        },
        "Invalid memberOf expression 'attribute:x ===': unexpected character '=' at position 14.",
      ],
    ];
    for (const [input, message] of cases) {
      await expectError(() => ecs.send(new RegisterTaskDefinitionCommand(input)), 'ClientException', message);
    }
  });

  it('List families and definitions (status, sort, paging), Deregister, Delete', async () => {
    for (let index = 0; index < 3; index += 1) await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('ls-a')));
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('ls-b')));
    const arn = (family: string, revision: number) =>
      `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;

    const ascending = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'ls-a' }));
    expect(ascending.taskDefinitionArns).toEqual([arn('ls-a', 1), arn('ls-a', 2), arn('ls-a', 3)]);
    const descending = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'ls-a', sort: 'DESC', maxResults: 2 }),
    );
    expect(descending.taskDefinitionArns).toEqual([arn('ls-a', 3), arn('ls-a', 2)]);
    const rest = await ecs.send(
      new ListTaskDefinitionsCommand({
        familyPrefix: 'ls-a',
        sort: 'DESC',
        maxResults: 2,
        nextToken: descending.nextToken,
      }),
    );
    expect(rest.taskDefinitionArns).toEqual([arn('ls-a', 1)]);

    const deregistered = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'ls-b:1' }));
    expect(deregistered.taskDefinition).toMatchObject({ status: 'INACTIVE' });
    expect(deregistered.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    expect(
      (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'ls-b', status: 'INACTIVE' }))).taskDefinitionArns,
    ).toEqual([arn('ls-b', 1)]);
    const families = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'ls-' }));
    expect(families.families).toEqual(['ls-a', 'ls-b']);
    expect(
      (await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'ls-', status: 'ACTIVE' }))).families,
    ).toEqual(['ls-a']);
    expect(
      (await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'ls-', status: 'INACTIVE' }))).families,
    ).toEqual(['ls-b']);
    await expectError(
      () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'ls-b' })),
      'ClientException',
      'Unable to describe task definition.',
    );

    const deleted = await ecs.send(
      new DeleteTaskDefinitionsCommand({ taskDefinitions: ['ls-b:1', 'ls-a:1', 'ls-c:1'] }),
    );
    expect(deleted.taskDefinitions?.map((definition) => [definition.taskDefinitionArn, definition.status])).toEqual([
      [arn('ls-b', 1), 'DELETE_IN_PROGRESS'],
    ]);
    expect(deleted.failures).toEqual([
      {
        arn: arn('ls-a', 1),
        reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
      },
      { arn: arn('ls-c', 1), reason: 'The specified task definition does not exist.' },
    ]);
    await expectError(
      () => ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'ls-a' })),
      'InvalidParameterException',
      /revision is required/,
    );
  });
});

describe('tasks', () => {
  it('RunTask places and starts tasks; DescribeTasks shows them RUNNING with host ports; StopTask stops one', async () => {
    const instances = await clusterWithInstances('c-run', 2);
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('run-web')));
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'c-run',
        taskDefinition: 'run-web',
        count: 4,
        startedBy: 'conformance',
        placementStrategy: [{ type: 'spread', field: 'instanceId' }],
        tags: [{ key: 'purpose', value: 'test' }],
      }),
    );
    expect(run.failures).toEqual([]);
    expect(run.tasks).toHaveLength(4);
    expect(run.tasks?.[0]).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: 'EC2',
      version: 1,
    });
    for (const instance of instances) {
      expect(run.tasks?.filter((task) => task.containerInstanceArn === instance)).toHaveLength(2);
    }

    await world.advance(2_000);
    const arns = run.tasks!.map((task) => task.taskArn!);
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'c-run', tasks: arns, include: ['TAGS'] }));
    expect(described.tasks?.map((task) => task.lastStatus)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    const binding = described.tasks![0]!.containers![0]!.networkBindings![0]!;
    expect(binding.hostPort).toBeGreaterThanOrEqual(49153);
    expect(binding.bindIP).toMatch(/^127\.1\.0\.\d+$/);
    expect(described.tasks![0]!.tags).toEqual([{ key: 'purpose', value: 'test' }]);
    expect(described.tasks![0]!.startedAt).toBeInstanceOf(Date);

    const stopped = await ecs.send(new StopTaskCommand({ cluster: 'c-run', task: arns[0] }));
    expect(stopped.task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
    });
    await world.advance(1_000);
    const after = await ecs.send(
      new DescribeTasksCommand({ cluster: 'c-run', tasks: [arns[0]!, 'ffffffffffffffffffffffffffffffff'] }),
    );
    expect(after.tasks?.[0]).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: 'Task stopped by user' });
    expect(after.tasks?.[0]?.containers?.[0]?.exitCode).toBe(0);
    expect(after.failures).toEqual([
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/c-run/ffffffffffffffffffffffffffffffff`, reason: 'MISSING' },
    ]);

    const listed = await ecs.send(new ListTasksCommand({ cluster: 'c-run' }));
    expect(listed.taskArns).toHaveLength(3);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'c-run', desiredStatus: 'STOPPED' }))).taskArns).toEqual([
      arns[0],
    ]);
    expect(
      (await ecs.send(new ListTasksCommand({ cluster: 'c-run', containerInstance: instances[0] }))).taskArns,
    ).toHaveLength(
      arns
        .slice(1)
        .filter((arn) => run.tasks!.find((task) => task.taskArn === arn)!.containerInstanceArn === instances[0]).length,
    );
    expect(
      (await ecs.send(new ListTasksCommand({ cluster: 'c-run', family: 'run-web', startedBy: 'conformance' })))
        .taskArns,
    ).toHaveLength(3);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'c-run', family: 'other' }))).taskArns).toEqual([]);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'c-run', serviceName: 'web' }))).taskArns).toEqual([]);
    const paged = await ecs.send(new ListTasksCommand({ cluster: 'c-run', maxResults: 2 }));
    const next = await ecs.send(new ListTasksCommand({ cluster: 'c-run', maxResults: 2, nextToken: paged.nextToken }));
    expect([...paged.taskArns!, ...next.taskArns!]).toHaveLength(3);
  });

  it('RunTask reports failures[] when nothing fits', async () => {
    await clusterWithInstances('c-full', 1);
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'hog',
        containerDefinitions: [{ name: 'a', image: 'x', memory: 100_000 }],
      }),
    );
    const result = await ecs.send(new RunTaskCommand({ cluster: 'c-full', taskDefinition: 'hog' }));
    expect(result.tasks).toEqual([]);
    expect(result.failures?.map((failure) => failure.reason)).toEqual(['RESOURCE:MEMORY']);
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('full-web')));
    const member = await ecs.send(
      new RunTaskCommand({
        cluster: 'c-full',
        taskDefinition: 'full-web',
        placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == t2.nano' }],
      }),
    );
    expect(member.failures?.map((failure) => failure.reason)).toEqual(['MemberOf placement constraint unsatisfied.']);
  });

  it('StartTask puts a task on each given instance, failures for unknown ones', async () => {
    const [instance] = await clusterWithInstances('c-start', 1);
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('start-web')));
    const result = await ecs.send(
      new StartTaskCommand({
        cluster: 'c-start',
        taskDefinition: 'start-web',
        containerInstances: [instance!, 'deadbeef'],
      }),
    );
    expect(result.tasks?.map((task) => task.containerInstanceArn)).toEqual([instance]);
    expect(result.failures).toEqual([
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/c-start/deadbeef`, reason: 'MISSING' },
    ]);
  });

  it('errors of RunTask, StopTask and DescribeTasks', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'c-empty' }));
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('err-web')));
    await expectError(
      () => ecs.send(new RunTaskCommand({ cluster: 'c-empty', taskDefinition: 'err-web' })),
      'InvalidParameterException',
      'No Container Instances were found in your cluster.',
    );
    await clusterWithInstances('c-err', 1);
    await expectError(
      () => ecs.send(new RunTaskCommand({ cluster: 'c-err', taskDefinition: 'no-such-family' })),
      'InvalidParameterException',
      'TaskDefinition not found.',
    );
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('err-old')));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'err-old:1' }));
    await expectError(
      () => ecs.send(new RunTaskCommand({ cluster: 'c-err', taskDefinition: 'err-old:1' })),
      'InvalidParameterException',
      'TaskDefinition is inactive',
    );
    await expectError(
      () => ecs.send(new RunTaskCommand({ cluster: 'c-err', taskDefinition: 'err-web', count: 11 })),
      'InvalidParameterException',
      'count must be between 1 and 10.',
    );
    await expectError(
      () =>
        ecs.send(
          new RunTaskCommand({
            cluster: 'c-err',
            taskDefinition: 'err-web',
            placementStrategy: [{ type: 'binpack', field: 'disk' }],
          }),
        ),
      'InvalidParameterException',
      "Invalid field 'disk' for a binpack strategy: it must be cpu or memory.",
    );
    await expectError(
      () =>
        ecs.send(
          new RunTaskCommand({
            cluster: 'c-err',
            taskDefinition: 'err-web',
            placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack in prod' }],
          }),
        ),
      'InvalidParameterException',
      /Invalid memberOf expression 'attribute:stack in prod'/,
    );
    await expectError(
      () =>
        ecs.send(
          new RunTaskCommand({
            cluster: 'c-err',
            taskDefinition: 'err-web',
            overrides: { containerOverrides: [{ name: 'nope', command: ['x'] }] },
          }),
        ),
      'InvalidParameterException',
      'Override for container named nope is not a container in the TaskDefinition.',
    );
    await expectError(
      () => ecs.send(new RunTaskCommand({ cluster: 'c-err', taskDefinition: 'err-web', launchType: 'FARGATE' })),
      'InvalidParameterException',
      /launchType FARGATE is not supported/,
    );
    await expectError(
      () => ecs.send(new StopTaskCommand({ cluster: 'c-err', task: 'ffffffffffffffffffffffffffffffff' })),
      'InvalidParameterException',
      'The referenced task was not found.',
    );
    await expectError(
      () => ecs.send(new DescribeTasksCommand({ cluster: 'c-err', tasks: [] })),
      'InvalidParameterException',
      'Tasks cannot be empty.',
    );
    await expectError(
      () => ecs.send(new DescribeTasksCommand({ cluster: 'c-err', tasks: Array(101).fill('x') })),
      'InvalidParameterException',
      'Tasks cannot have more than 100 elements.',
    );
  });
});

describe('task protection', () => {
  it('UpdateTaskProtection / GetTaskProtection: service tasks protected with an expiry, standalone ones TASK_NOT_VALID', async () => {
    await clusterWithInstances('c-prot', 1);
    await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('prot-web')));
    const { tasks } = await ecs.send(new RunTaskCommand({ cluster: 'c-prot', taskDefinition: 'prot-web', count: 2 }));
    const [serviceTask, standalone] = tasks!.map((task) => task.taskArn!);
    // What the service scheduler (a later issue) records on its tasks.
    const table = world.store.table<TaskRecord>('ecs', 'tasks');
    const key = `${ACCOUNT}/${REGION}/c-prot/${serviceTask!.split('/').pop()}`;
    table.put(key, { ...table.get(key)!, serviceName: 'web' });

    const now = world.clock.now();
    const updated = await ecs.send(
      new UpdateTaskProtectionCommand({
        cluster: 'c-prot',
        tasks: [serviceTask!, standalone!],
        protectionEnabled: true,
        expiresInMinutes: 60,
      }),
    );
    expect(updated.protectedTasks).toEqual([
      { taskArn: serviceTask, protectionEnabled: true, expirationDate: new Date(now + 3_600_000) },
    ]);
    expect(updated.failures).toEqual([{ arn: standalone, reason: 'TASK_NOT_VALID' }]);

    await world.advance(3_600_000);
    const got = await ecs.send(new GetTaskProtectionCommand({ cluster: 'c-prot', tasks: [serviceTask!] }));
    expect(got.protectedTasks).toEqual([{ taskArn: serviceTask, protectionEnabled: false }]);

    await expectError(
      () =>
        ecs.send(
          new UpdateTaskProtectionCommand({
            cluster: 'c-prot',
            tasks: [serviceTask!],
            protectionEnabled: true,
            expiresInMinutes: 2881,
          }),
        ),
      'InvalidParameterException',
      'expiresInMinutes must be between 1 and 2880 minutes.',
    );
    await expectError(
      () =>
        ecs.send(new UpdateTaskProtectionCommand({ cluster: 'ghost', tasks: [serviceTask!], protectionEnabled: true })),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
  });
});

describe('tags', () => {
  it('TagResource, UntagResource and ListTagsForResource on clusters, task definitions, tasks and instances', async () => {
    const [instance] = await clusterWithInstances('c-tags', 1);
    const definition = await ecs.send(new RegisterTaskDefinitionCommand(webDefinition('tag-web')));
    const { tasks } = await ecs.send(new RunTaskCommand({ cluster: 'c-tags', taskDefinition: 'tag-web' }));
    const resources = [
      clusterArn('c-tags'),
      definition.taskDefinition!.taskDefinitionArn!,
      tasks![0]!.taskArn!,
      instance!,
    ];
    for (const resourceArn of resources) {
      await ecs.send(
        new TagResourceCommand({
          resourceArn,
          tags: [
            { key: 'env', value: 'test' },
            { key: 'owner', value: 'me' },
          ],
        }),
      );
      await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'env', value: 'prod' }] }));
      await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['owner'] }));
      expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([
        { key: 'env', value: 'prod' },
      ]);
    }
    await expectError(
      () =>
        ecs.send(
          new TagResourceCommand({
            resourceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/c-tags/ffff`,
            tags: [{ key: 'a', value: 'b' }],
          }),
        ),
      'ResourceNotFoundException',
      'The specified resource could not be found.',
    );
    await expectError(
      () => ecs.send(new ListTagsForResourceCommand({ resourceArn: clusterArn('ghost') })),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await expectError(
      () => ecs.send(new TagResourceCommand({ resourceArn: 'not-an-arn', tags: [{ key: 'a', value: 'b' }] })),
      'InvalidParameterException',
      'Invalid resource ARN: not-an-arn',
    );
    await expectError(
      () =>
        ecs.send(
          new TagResourceCommand({ resourceArn: clusterArn('c-tags'), tags: [{ key: 'aws:owner', value: 'b' }] }),
        ),
      'InvalidParameterException',
      "Tag keys that start with 'aws:' are reserved for AWS use.",
    );
  });
});
