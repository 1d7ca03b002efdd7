/**
 * Container instances from EC2's facts, as the ECS agent registers them (B.1), on virtual time.
 */
import type { ContainerInstance, Failure, Task } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsWorld, type EcsWorld } from '../../../test/support/ecs-world.js';
import { clusterNameFromUserData, customAttributesFromUserData } from './container-agent.js';

let world: EcsWorld;

beforeEach(() => {
  world = ecsWorld();
});
afterEach(() => world.close());

const listInstances = (input: Record<string, unknown> = {}) =>
  world.call<{ containerInstanceArns: string[]; nextToken?: string }>('ListContainerInstances', input);

function runWeb(cluster?: string): string {
  world.call('RegisterTaskDefinition', {
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'drydock/http-echo', memory: 128 }],
  });
  const { tasks, failures } = world.call<{ tasks: Task[]; failures: Failure[] }>('RunTask', {
    cluster,
    taskDefinition: 'web',
  });
  expect(failures).toEqual([]);
  return tasks[0]!.taskArn!;
}

describe('the agent reads its cluster from the user data', () => {
  it.each([
    ['#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config', 'prod'],
    ['ECS_CLUSTER="blue-green"\nECS_ENABLE_TASK_IAM_ROLE=true', 'blue-green'],
    ['#!/bin/bash\nyum update -y', 'default'],
    ['', 'default'],
  ])('%j → %s', (userData, cluster) => {
    expect(clusterNameFromUserData(userData)).toBe(cluster);
  });

  it('reads ECS_INSTANCE_ATTRIBUTES as custom attributes', () => {
    expect(customAttributesFromUserData(`echo 'ECS_INSTANCE_ATTRIBUTES={"stack":"prod","tier":"web"}' >> x`)).toEqual([
      { name: 'stack', value: 'prod' },
      { name: 'tier', value: 'web' },
    ]);
    expect(customAttributesFromUserData('ECS_INSTANCE_ATTRIBUTES={not json}')).toBeUndefined();
    expect(customAttributesFromUserData('ECS_CLUSTER=x')).toEqual([]);
  });
});

describe('registration when an instance reaches running', () => {
  it('registers into the cluster its user data names, with resources from the instance type', () => {
    world.call('CreateCluster', { clusterName: 'prod' });
    world.launchInstance({
      instanceType: 'c5.xlarge',
      availabilityZone: 'us-east-1b',
      userData: `#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\necho 'ECS_INSTANCE_ATTRIBUTES={"stack":"prod"}' >> /etc/ecs/ecs.config`,
      instanceId: 'i-0123456789abcdef0',
      imageId: 'ami-0abcdef1234567890',
    });
    const [arn] = listInstances({ cluster: 'prod' }).containerInstanceArns;
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:container-instance\/prod\/[0-9a-f]{32}$/);
    const instance = world.describeInstance(arn!, 'prod');
    expect(instance).toMatchObject({
      ec2InstanceId: 'i-0123456789abcdef0',
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      version: 1,
    });
    expect(instance.registeredResources).toEqual([
      { name: 'CPU', type: 'INTEGER', integerValue: 4096, doubleValue: 0, longValue: 0 },
      // 8192 MiB nominal, 7985 MiB as the OS reports it (the m4.large figure of the guide).
      { name: 'MEMORY', type: 'INTEGER', integerValue: 7985, doubleValue: 0, longValue: 0 },
      {
        name: 'PORTS',
        type: 'STRINGSET',
        stringSetValue: ['22', '2375', '2376', '51678', '51679'],
        doubleValue: 0,
        longValue: 0,
        integerValue: 0,
      },
      { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [], doubleValue: 0, longValue: 0, integerValue: 0 },
    ]);
    const attributes = Object.fromEntries(instance.attributes!.map((attribute) => [attribute.name, attribute.value]));
    expect(attributes).toMatchObject({
      'ecs.availability-zone': 'us-east-1b',
      'ecs.instance-type': 'c5.xlarge',
      'ecs.os-type': 'linux',
      'ecs.ami-id': 'ami-0abcdef1234567890',
      'ecs.cpu-architecture': 'x86_64',
      stack: 'prod',
    });
    const registered = world.events.filter((event) => event.detailType === 'ECS Container Instance State Change');
    expect(registered).toHaveLength(1);
    expect(registered[0]!.resources).toEqual([arn]);
    expect(registered[0]!.detail).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/prod',
      status: 'ACTIVE',
      agentConnected: true,
      version: 1,
    });
  });

  it('gives every instance its own loopback host address', async () => {
    world.call('CreateCluster', {});
    world.launchInstance();
    world.launchInstance();
    world.call('RegisterTaskDefinition', {
      family: 'web',
      containerDefinitions: [
        { name: 'web', image: 'x', memory: 64, portMappings: [{ containerPort: 80, hostPort: 80 }] },
      ],
    });
    const { tasks } = world.call<{ tasks: Task[] }>('RunTask', { taskDefinition: 'web', count: 2 });
    const addresses = tasks.map((task) => task.containers![0]!.networkBindings![0]!.bindIP).sort();
    expect(addresses).toEqual(['127.1.0.1', '127.1.0.2']);
  });

  it('without ECS_CLUSTER the agent joins `default`; with no such cluster nothing registers', () => {
    world.launchInstance({ userData: '' });
    world.call('CreateCluster', {});
    expect(listInstances().containerInstanceArns).toEqual([]);
    world.launchInstance({ userData: '' });
    expect(listInstances().containerInstanceArns).toHaveLength(1);
  });

  it('an instance type drydock does not know does not register', () => {
    world.call('CreateCluster', {});
    world.launchInstance({ instanceType: 'z9.mega' });
    expect(listInstances().containerInstanceArns).toEqual([]);
  });
});

describe('when the instance stops or terminates', () => {
  beforeEach(() => {
    world.call('CreateCluster', {});
  });

  it('stopping disconnects the agent and stops its tasks; starting again reconnects the same container instance', async () => {
    const instanceId = world.launchInstance();
    const [arn] = listInstances().containerInstanceArns;
    const taskArn = runWeb();
    await world.advance(2_000);
    world.setInstanceState(instanceId, 'stopping');
    expect(world.describeInstance(arn!).agentConnected).toBe(false);
    world.setInstanceState(instanceId, 'stopped');
    await world.advance(0);
    expect(world.describeTask(taskArn)).toMatchObject({
      lastStatus: 'STOPPED',
      stoppedReason: `Host EC2 (instance ${instanceId}) stopped.`,
    });
    world.setInstanceState(instanceId, 'pending');
    world.setInstanceState(instanceId, 'running');
    expect(listInstances().containerInstanceArns).toEqual([arn]);
    expect(world.describeInstance(arn!)).toMatchObject({ agentConnected: true, status: 'ACTIVE' });
  });

  it('termination deregisters the container instance (INACTIVE) and stops its tasks', async () => {
    const instanceId = world.launchInstance();
    const [arn] = listInstances().containerInstanceArns;
    const taskArn = runWeb();
    await world.advance(2_000);
    world.setInstanceState(instanceId, 'shutting-down');
    world.setInstanceState(instanceId, 'terminated');
    await world.advance(0);
    expect(world.describeInstance(arn!)).toMatchObject({ status: 'INACTIVE', agentConnected: false });
    expect(listInstances().containerInstanceArns).toEqual([]);
    expect(listInstances({ status: 'INACTIVE' } as never).containerInstanceArns).toEqual([arn]);
    const task = world.describeTask(taskArn);
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      stoppedReason: `Host EC2 (instance ${instanceId}) terminated.`,
    });
    expect(task.containers![0]!.lastStatus).toBe('STOPPED');
    const cluster = world.call<{ clusters: Array<{ registeredContainerInstancesCount: number }> }>(
      'DescribeClusters',
      {},
    );
    expect(cluster.clusters[0]!.registeredContainerInstancesCount).toBe(0);
  });

  it('DeregisterContainerInstance refuses an instance with tasks unless forced', async () => {
    world.launchInstance();
    const [arn] = listInstances().containerInstanceArns;
    const taskArn = runWeb();
    expect(() => world.call('DeregisterContainerInstance', { containerInstance: arn })).toThrow(
      /Found running tasks on the instance/,
    );
    const result = world.call<{ containerInstance: ContainerInstance }>('DeregisterContainerInstance', {
      containerInstance: arn,
      force: true,
    });
    expect(result.containerInstance.status).toBe('INACTIVE');
    await world.advance(0);
    expect(world.describeTask(taskArn)).toMatchObject({
      lastStatus: 'STOPPED',
      stoppedReason: 'Container instance deregistration forced by user',
    });
  });
});

describe('ListContainerInstances with the cluster query language', () => {
  it('filters by instance id, attribute patterns, agent connection and running tasks, and pages', async () => {
    world.call('CreateCluster', {});
    world.launchInstance({ instanceId: 'i-00000000000000001', instanceType: 't3.medium' });
    const stopped = world.launchInstance({ instanceId: 'i-00000000000000002', instanceType: 'm5.large' });
    world.launchInstance({
      instanceId: 'i-00000000000000003',
      instanceType: 't3.micro',
      availabilityZone: 'us-east-1c',
    });
    world.setInstanceState(stopped, 'stopped');
    const ec2Ids = (filter: string) =>
      listInstances({ filter })
        .containerInstanceArns.map((arn) => world.describeInstance(arn).ec2InstanceId)
        .sort();

    expect(ec2Ids('ec2InstanceId==i-00000000000000001')).toEqual(['i-00000000000000001']);
    expect(ec2Ids('attribute:ecs.instance-type =~ t3.*')).toEqual(['i-00000000000000001', 'i-00000000000000003']);
    expect(ec2Ids('agentConnected==false')).toEqual(['i-00000000000000002']);
    expect(ec2Ids('attribute:ecs.instance-type =~ t3.* and not attribute:ecs.availability-zone == us-east-1c')).toEqual(
      ['i-00000000000000001'],
    );
    expect(ec2Ids('attribute:ecs.availability-zone in [us-east-1a, us-east-1b] or agentConnected==false')).toEqual([
      'i-00000000000000001',
      'i-00000000000000002',
    ]);

    runWeb();
    await world.advance(2_000);
    expect(ec2Ids('runningTasksCount > 0')).toHaveLength(1);

    const first = listInstances({ maxResults: 2 });
    expect(first.containerInstanceArns).toHaveLength(2);
    const second = listInstances({ maxResults: 2, nextToken: first.nextToken });
    expect(second.containerInstanceArns).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();

    expect(() => listInstances({ filter: 'colour == red' })).toThrow(/Invalid filter expression/);
  });
});
