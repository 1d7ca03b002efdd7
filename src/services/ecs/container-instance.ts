/**
 * The ECS ContainerInstance: an EC2 instance whose agent registered it into a cluster (B.1).
 * Registered resources come from the instance type as the agent measures them; remaining
 * resources, task counts and ports in use are computed from the tasks that hold them, never
 * stored, so they cannot drift. Status ACTIVE ⇄ DRAINING, INACTIVE once deregistered.
 */
import type { Attribute, ContainerInstance, Resource, Tag } from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';
import type { InstanceTypeFacts } from './ports.js';
import type { QueryTarget } from './cluster-query.js';

export type ContainerInstanceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';

export interface InstanceAttribute {
  name: string;
  value?: string;
}

export interface ContainerInstanceRecord {
  accountId: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  containerInstanceId: string;
  containerInstanceArn: string;
  ec2InstanceId: string;
  instanceType: string;
  availabilityZone: string;
  imageId: string;
  /** Its own loopback address (127.1.x.y): its tasks' processes listen there. */
  hostAddress: string;
  status: ContainerInstanceStatus;
  agentConnected: boolean;
  registeredCpu: number;
  registeredMemoryMiB: number;
  /** Built-in (`ecs.*`) attributes first, then custom ones, each name once. */
  attributes: InstanceAttribute[];
  tags: Tag[];
  registeredAtMs: number;
  updatedAtMs: number;
  /** Bumped on every change an `ECS Container Instance State Change` event reports. */
  version: number;
  statusReason?: string;
  /** The Auto Scaling group that launched its EC2 instance (its `aws:autoscaling:groupName` tag). */
  autoScalingGroupName?: string;
}

/** What the instance's tasks hold, computed from the tasks that are not STOPPED. */
export interface InstanceUsage {
  cpu: number;
  memoryMiB: number;
  tcpPorts: number[];
  udpPorts: number[];
  runningTasksCount: number;
  pendingTasksCount: number;
  taskGroups: string[];
}

export const EMPTY_USAGE: InstanceUsage = {
  cpu: 0,
  memoryMiB: 0,
  tcpPorts: [],
  udpPorts: [],
  runningTasksCount: 0,
  pendingTasksCount: 0,
  taskGroups: [],
};

/** CPU units per vCPU, as the agent registers them. */
export const CPU_UNITS_PER_VCPU = 1024;

/**
 * Host ports the agent reserves on every instance (SSH, the Docker daemon, the agent's
 * introspection and credentials endpoints), listed in registeredResources PORTS.
 */
export const RESERVED_TCP_PORTS = [22, 2375, 2376, 51678, 51679];

/**
 * The agent registers the memory the OS reports, which is less than the instance type's
 * nominal memory: an m4.large (8192 MiB) registers 7985 MiB (`DG:ecs/memory-management`). drydock
 * applies that ratio to every type (an approximation; AWS's overhead varies a little by type).
 */
export function registeredMemoryMiB(facts: InstanceTypeFacts): number {
  return Math.floor((facts.memoryMiB * 7985) / 8192);
}

/** The agent version drydock's container instances report. */
export const AGENT_VERSION = '1.89.0';

export function containerInstanceArnOf(
  accountId: string,
  region: string,
  clusterName: string,
  containerInstanceId: string,
): string {
  return arn({
    service: 'ecs',
    region,
    accountId,
    resource: `container-instance/${clusterName}/${containerInstanceId}`,
  });
}

/** An id, a long ARN (`container-instance/<cluster>/<id>`) or a short one (`container-instance/<id>`) → the id. */
export function containerInstanceIdOf(identifier: string): string {
  const parts = parseArn(identifier);
  if (parts && parts.resource.startsWith('container-instance/')) {
    return parts.resource.split('/').pop() ?? identifier;
  }
  return identifier;
}

/** The cluster a long container-instance ARN names, if it names one. */
export function clusterOfContainerInstanceArn(identifier: string): string | undefined {
  const parts = parseArn(identifier);
  if (!parts || !parts.resource.startsWith('container-instance/')) return undefined;
  const segments = parts.resource.split('/');
  return segments.length === 3 ? segments[1] : undefined;
}

/** The n-th host address (n ≥ 1): 127.1.0.1 … 127.1.0.254, 127.1.1.1 …, never .0 or .255. */
export function hostAddressOf(index: number): string {
  const third = Math.floor((index - 1) / 254);
  const fourth = ((index - 1) % 254) + 1;
  if (third > 255) throw new RangeError('drydock has handed out every loopback host address in 127.1.0.0/16');
  return `127.1.${third}.${fourth}`;
}

export interface RegistrationFacts {
  accountId: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  containerInstanceId: string;
  ec2InstanceId: string;
  instanceType: string;
  availabilityZone: string;
  imageId: string;
  hostAddress: string;
  instanceTypeFacts: InstanceTypeFacts;
  customAttributes: InstanceAttribute[];
  nowMs: number;
  autoScalingGroupName?: string;
}

/** The record the agent's RegisterContainerInstance call creates. */
export function newContainerInstance(facts: RegistrationFacts): ContainerInstanceRecord {
  const builtIn = builtInAttributes(facts);
  const builtInNames = new Set(builtIn.map((attribute) => attribute.name));
  return {
    accountId: facts.accountId,
    region: facts.region,
    clusterName: facts.clusterName,
    clusterArn: facts.clusterArn,
    containerInstanceId: facts.containerInstanceId,
    containerInstanceArn: containerInstanceArnOf(
      facts.accountId,
      facts.region,
      facts.clusterName,
      facts.containerInstanceId,
    ),
    ec2InstanceId: facts.ec2InstanceId,
    instanceType: facts.instanceType,
    availabilityZone: facts.availabilityZone,
    imageId: facts.imageId,
    hostAddress: facts.hostAddress,
    status: 'ACTIVE',
    agentConnected: true,
    registeredCpu: facts.instanceTypeFacts.vCpus * CPU_UNITS_PER_VCPU,
    registeredMemoryMiB: registeredMemoryMiB(facts.instanceTypeFacts),
    attributes: [...builtIn, ...facts.customAttributes.filter((attribute) => !builtInNames.has(attribute.name))],
    tags: [],
    registeredAtMs: facts.nowMs,
    updatedAtMs: facts.nowMs,
    version: 1,
    ...(facts.autoScalingGroupName !== undefined ? { autoScalingGroupName: facts.autoScalingGroupName } : {}),
  };
}

/**
 * What the agent reports about itself and its host. The capability attributes are the ones task
 * definitions can require (requiresAttributes), so placement can check them (`ATTRIBUTE`).
 */
function builtInAttributes(facts: RegistrationFacts): InstanceAttribute[] {
  return [
    { name: 'ecs.availability-zone', value: facts.availabilityZone },
    { name: 'ecs.instance-type', value: facts.instanceType },
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.ami-id', value: facts.imageId },
    { name: 'ecs.cpu-architecture', value: facts.instanceTypeFacts.architecture },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.17' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.21' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.29' },
    { name: 'com.amazonaws.ecs.capability.task-iam-role' },
    { name: 'ecs.capability.task-eni' },
    { name: 'ecs.capability.container-health-check' },
    { name: 'ecs.capability.container-ordering' },
  ];
}

/** Attributes whose names start with `ecs.` or `com.amazonaws.ecs.` belong to the agent. */
export function isBuiltInAttribute(name: string): boolean {
  return name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.');
}

function integerResource(name: string, value: number): Resource {
  return { name, type: 'INTEGER', integerValue: value, doubleValue: 0, longValue: 0 };
}

function portsResource(name: string, ports: readonly number[]): Resource {
  return {
    name,
    type: 'STRINGSET',
    stringSetValue: [...ports].sort((a, b) => a - b).map(String),
    doubleValue: 0,
    longValue: 0,
    integerValue: 0,
  };
}

export function registeredResources(record: ContainerInstanceRecord): Resource[] {
  return [
    integerResource('CPU', record.registeredCpu),
    integerResource('MEMORY', record.registeredMemoryMiB),
    portsResource('PORTS', RESERVED_TCP_PORTS),
    portsResource('PORTS_UDP', []),
  ];
}

/** Remaining CPU and memory; PORTS lists the ports in use (reserved + held by tasks), as ECS does. */
export function remainingResources(record: ContainerInstanceRecord, usage: InstanceUsage): Resource[] {
  return [
    integerResource('CPU', record.registeredCpu - usage.cpu),
    integerResource('MEMORY', record.registeredMemoryMiB - usage.memoryMiB),
    portsResource('PORTS', [...new Set([...RESERVED_TCP_PORTS, ...usage.tcpPorts])]),
    portsResource('PORTS_UDP', [...new Set(usage.udpPorts)]),
  ];
}

export function toContainerInstance(
  record: ContainerInstanceRecord,
  usage: InstanceUsage,
  includeTags: boolean,
  capacityProviderName?: string,
): ContainerInstance {
  const attributes: Attribute[] = record.attributes.map((attribute) =>
    attribute.value === undefined ? { name: attribute.name } : { name: attribute.name, value: attribute.value },
  );
  return {
    containerInstanceArn: record.containerInstanceArn,
    ec2InstanceId: record.ec2InstanceId,
    ...(capacityProviderName !== undefined ? { capacityProviderName } : {}),
    version: record.version,
    versionInfo: { agentVersion: AGENT_VERSION, agentHash: 'drydock', dockerVersion: 'DockerVersion: 25.0.8' },
    remainingResources: remainingResources(record, usage),
    registeredResources: registeredResources(record),
    status: record.status,
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
    agentConnected: record.agentConnected,
    runningTasksCount: usage.runningTasksCount,
    pendingTasksCount: usage.pendingTasksCount,
    attributes,
    registeredAt: new Date(record.registeredAtMs),
    attachments: [],
    tags: includeTags ? record.tags : [],
  };
}

/** What the cluster query language sees of an instance. */
export function queryTargetOf(record: ContainerInstanceRecord, usage: InstanceUsage): QueryTarget {
  return {
    attributes: new Map(record.attributes.map((attribute) => [attribute.name, attribute.value])),
    ec2InstanceId: record.ec2InstanceId,
    agentConnected: record.agentConnected,
    agentVersion: AGENT_VERSION,
    registeredAtMs: record.registeredAtMs,
    runningTasksCount: usage.runningTasksCount,
    taskGroups: usage.taskGroups,
  };
}

/**
 * A DRAINING instance is drained once no task on it is in any state but STOPPED: tasks still
 * DEACTIVATING (deregistration delay) or STOPPING (stopTimeout) hold it, though
 * runningTasksCount already left them out (B.2). What managed draining waits for.
 */
export function isDrainComplete(
  record: ContainerInstanceRecord,
  tasks: ReadonlyArray<{ containerInstanceId: string; lastStatus: string }>,
): boolean {
  return (
    record.status === 'DRAINING' &&
    !tasks.some((task) => task.containerInstanceId === record.containerInstanceId && task.lastStatus !== 'STOPPED')
  );
}
