/**
 * The ECS TaskDefinition: revisions numbered per family from 1, ACTIVE until deregistered
 * (INACTIVE), then DELETE_IN_PROGRESS once DeleteTaskDefinitions asks for it. Register validates
 * what the EC2 launch type needs (`DG:ecs/task_definition_parameters`) and normalises the
 * definition as DescribeTaskDefinition shows it (defaults filled in, task cpu/memory as units).
 */
import type {
  ContainerDefinition,
  PortMapping,
  RegisterTaskDefinitionRequest,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';
import { ClusterQueryError, parseClusterQuery } from './cluster-query.js';
import { clientException } from './errors.js';

export type TaskDefinitionStatus = 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
export type NetworkMode = 'bridge' | 'host' | 'awsvpc' | 'none';

export interface TaskDefinitionRecord {
  accountId: string;
  region: string;
  family: string;
  revision: number;
  taskDefinitionArn: string;
  status: TaskDefinitionStatus;
  networkMode: NetworkMode;
  /** Normalised container definitions (SDK shape, JSON only). */
  containerDefinitions: ContainerDefinition[];
  /** Task-level cpu (units) and memory (MiB) as normalised strings, when given. */
  cpu?: string;
  memory?: string;
  /** The rest of the request, kept to show it back (roles, volumes, runtimePlatform…). */
  extras: Omit<
    RegisterTaskDefinitionRequest,
    'family' | 'containerDefinitions' | 'cpu' | 'memory' | 'networkMode' | 'tags'
  >;
  requiresAttributes: string[];
  tags: Tag[];
  registeredAtMs: number;
  registeredBy: string;
  deregisteredAtMs?: number;
  deleteRequestedAtMs?: number;
}

export interface TaskDefinitionFamilyRecord {
  accountId: string;
  region: string;
  family: string;
  /** Revisions are never reused, even after deletion. */
  lastRevision: number;
}

/** The agent's default when a container gives no stopTimeout (`ECS_CONTAINER_STOP_TIMEOUT`, B.4). */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/** Docker's smallest memory limit; ECS refuses container memory below it. */
const MIN_CONTAINER_MEMORY_MIB = 6;

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export function taskDefinitionArnOf(accountId: string, region: string, family: string, revision: number): string {
  return arn({ service: 'ecs', region, accountId, resource: `task-definition/${family}:${revision}` });
}

/** `family`, `family:revision` or a task-definition ARN → its family and revision (absent: latest ACTIVE). */
export function parseTaskDefinitionIdentifier(identifier: string): { family: string; revision?: number } | undefined {
  const parts = parseArn(identifier);
  let text = identifier;
  if (parts) {
    if (!parts.resource.startsWith('task-definition/')) return undefined;
    text = parts.resource.slice('task-definition/'.length);
  }
  const [family, revisionText, ...rest] = text.split(':');
  if (!family || rest.length > 0) return undefined;
  if (revisionText === undefined) return parts ? undefined : { family };
  if (!/^\d+$/.test(revisionText)) return undefined;
  return { family, revision: Number(revisionText) };
}

/**
 * Task-level cpu: `1024`, `1 vCPU`, `0.25 vcpu` → CPU units as a string (DescribeTaskDefinition
 * shows units). Undefined when the text is not one of those forms.
 */
export function parseTaskCpu(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const vcpu = /^(\d*\.?\d+)\s*vcpu$/i.exec(trimmed);
  return vcpu ? Math.round(Number(vcpu[1]) * 1024) : undefined;
}

/** Task-level memory: `512`, `1 GB`, `0.5gb` → MiB. */
export function parseTaskMemory(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const gb = /^(\d*\.?\d+)\s*gb$/i.exec(trimmed);
  return gb ? Math.round(Number(gb[1]) * 1024) : undefined;
}

export interface RegisterContext {
  accountId: string;
  region: string;
  revision: number;
  nowMs: number;
}

/** Validates a RegisterTaskDefinition request and builds the new revision; throws ClientException. */
export function newTaskDefinition(
  request: RegisterTaskDefinitionRequest,
  context: RegisterContext,
): TaskDefinitionRecord {
  const family = request.family ?? '';
  if (!FAMILY.test(family)) {
    throw clientException(
      'Family name can only contain letters (upper and lowercase), numbers, hyphens and underscores, up to 255 characters.',
    );
  }
  const networkMode: NetworkMode = (request.networkMode as NetworkMode | undefined) ?? 'bridge';
  const definitions = request.containerDefinitions ?? [];
  if (definitions.length === 0) throw clientException('Container list cannot be empty.');

  const requiresFargate = request.requiresCompatibilities?.includes('FARGATE') ?? false;
  if (requiresFargate && networkMode !== 'awsvpc')
    throw clientException("Fargate only supports network mode 'awsvpc'.");
  if (requiresFargate && request.cpu === undefined)
    throw clientException("Fargate requires that 'cpu' be defined at the task level.");
  if (requiresFargate && request.memory === undefined)
    throw clientException("Fargate requires that 'memory' be defined at the task level.");

  const taskCpu = request.cpu === undefined ? undefined : parseTaskCpu(request.cpu);
  if (request.cpu !== undefined && taskCpu === undefined) throw clientException("Invalid 'cpu' setting for task.");
  const taskMemory = request.memory === undefined ? undefined : parseTaskMemory(request.memory);
  if (request.memory !== undefined && (taskMemory === undefined || taskMemory < MIN_CONTAINER_MEMORY_MIB)) {
    throw clientException("Invalid 'memory' setting for task.");
  }

  const names = new Set<string>();
  const containerDefinitions = definitions.map((definition) => {
    const normalised = normaliseContainer(definition, networkMode, taskMemory);
    if (names.has(normalised.name!)) throw clientException(`Duplicate container name: ${normalised.name!}.`);
    names.add(normalised.name!);
    return normalised;
  });
  if (!containerDefinitions.some((definition) => definition.essential)) {
    throw clientException('Task definition must have at least one essential container.');
  }
  for (const definition of containerDefinitions) {
    for (const dependency of definition.dependsOn ?? []) {
      if (
        !dependency.containerName ||
        !names.has(dependency.containerName) ||
        dependency.containerName === definition.name
      ) {
        throw clientException(
          `Container '${definition.name!}' depends on container '${dependency.containerName ?? ''}', which is not another container of this task definition.`,
        );
      }
    }
  }

  for (const constraint of request.placementConstraints ?? []) {
    try {
      parseClusterQuery(constraint.expression ?? '');
    } catch (error) {
      if (!(error instanceof ClusterQueryError)) throw error;
      throw clientException(`Invalid memberOf expression '${constraint.expression ?? ''}': ${error.message}.`);
    }
  }

  const {
    family: _family,
    containerDefinitions: _c,
    cpu: _cpu,
    memory: _m,
    networkMode: _n,
    tags,
    ...extras
  } = request;
  return {
    accountId: context.accountId,
    region: context.region,
    family,
    revision: context.revision,
    taskDefinitionArn: taskDefinitionArnOf(context.accountId, context.region, family, context.revision),
    status: 'ACTIVE',
    networkMode,
    containerDefinitions,
    ...(taskCpu !== undefined ? { cpu: String(taskCpu) } : {}),
    ...(taskMemory !== undefined ? { memory: String(taskMemory) } : {}),
    extras: JSON.parse(JSON.stringify(extras)) as TaskDefinitionRecord['extras'],
    requiresAttributes: requiredAttributesOf(containerDefinitions, networkMode, request),
    tags: tags ?? [],
    registeredAtMs: context.nowMs,
    registeredBy: `arn:aws:iam::${context.accountId}:root`,
  };
}

function normaliseContainer(
  definition: ContainerDefinition,
  networkMode: NetworkMode,
  taskMemory: number | undefined,
): ContainerDefinition {
  const name = definition.name ?? '';
  if (!CONTAINER_NAME.test(name)) {
    throw clientException(
      'Container name can only contain letters (upper and lowercase), numbers, hyphens and underscores, up to 255 characters.',
    );
  }
  if (!definition.image || definition.image.trim() === '') {
    throw clientException('Container.image should not be null or empty.');
  }
  const { memory, memoryReservation } = definition;
  if (taskMemory === undefined && memory === undefined && memoryReservation === undefined) {
    throw clientException(
      `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  for (const [label, value] of [
    ['memory', memory],
    ['memoryReservation', memoryReservation],
  ] as const) {
    if (value !== undefined && value < MIN_CONTAINER_MEMORY_MIB) {
      throw clientException(
        `Invalid '${label}' setting for container '${name}'. The minimum is ${MIN_CONTAINER_MEMORY_MIB} MiB.`,
      );
    }
  }
  if (memory !== undefined && memoryReservation !== undefined && memoryReservation > memory) {
    throw clientException(
      `Invalid setting for container '${name}'. 'memoryReservation' must be less than or equal to 'memory'.`,
    );
  }
  if (taskMemory !== undefined && memory !== undefined && memory > taskMemory) {
    throw clientException(`The 'memory' setting for container '${name}' is greater than for the task.`);
  }
  if (definition.cpu !== undefined && definition.cpu < 0) {
    throw clientException(`Invalid 'cpu' setting for container '${name}'.`);
  }
  if (definition.stopTimeout !== undefined && definition.stopTimeout < 0) {
    throw clientException(`Invalid 'stopTimeout' setting for container '${name}'.`);
  }
  const portMappings = (definition.portMappings ?? []).map((mapping) => normalisePortMapping(mapping, networkMode));
  const health = definition.healthCheck;
  return {
    ...definition,
    name,
    cpu: definition.cpu ?? 0,
    essential: definition.essential ?? true,
    portMappings,
    environment: definition.environment ?? [],
    mountPoints: definition.mountPoints ?? [],
    volumesFrom: definition.volumesFrom ?? [],
    systemControls: definition.systemControls ?? [],
    ...(health
      ? {
          healthCheck: {
            command: health.command,
            interval: health.interval ?? 30,
            timeout: health.timeout ?? 5,
            retries: health.retries ?? 3,
            ...(health.startPeriod !== undefined ? { startPeriod: health.startPeriod } : {}),
          },
        }
      : {}),
  };
}

function normalisePortMapping(mapping: PortMapping, networkMode: NetworkMode): PortMapping {
  const containerPort = mapping.containerPort;
  if (containerPort === undefined || containerPort < 1 || containerPort > 65535) {
    throw clientException('Invalid port mapping: containerPort must be between 1 and 65535.');
  }
  if (mapping.hostPort !== undefined && (mapping.hostPort < 0 || mapping.hostPort > 65535)) {
    throw clientException('Invalid port mapping: hostPort must be between 0 and 65535.');
  }
  if (networkMode === 'awsvpc' || networkMode === 'host') {
    if (mapping.hostPort !== undefined && mapping.hostPort !== 0 && mapping.hostPort !== containerPort) {
      throw clientException(
        `When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`,
      );
    }
    return { ...mapping, containerPort, hostPort: containerPort, protocol: mapping.protocol ?? 'tcp' };
  }
  return { ...mapping, containerPort, hostPort: mapping.hostPort ?? 0, protocol: mapping.protocol ?? 'tcp' };
}

function requiredAttributesOf(
  containers: readonly ContainerDefinition[],
  networkMode: NetworkMode,
  request: RegisterTaskDefinitionRequest,
): string[] {
  const required: string[] = [];
  if (containers.some((container) => container.healthCheck)) required.push('ecs.capability.container-health-check');
  if (containers.some((container) => (container.dependsOn ?? []).length > 0))
    required.push('ecs.capability.container-ordering');
  if (networkMode === 'awsvpc') required.push('ecs.capability.task-eni');
  if (request.taskRoleArn) required.push('com.amazonaws.ecs.capability.task-iam-role');
  return required;
}

/** The wire shape of DescribeTaskDefinition / RegisterTaskDefinition. */
export function toTaskDefinition(record: TaskDefinitionRecord): TaskDefinition {
  return {
    ...record.extras,
    taskDefinitionArn: record.taskDefinitionArn,
    containerDefinitions: record.containerDefinitions,
    family: record.family,
    networkMode: record.networkMode,
    revision: record.revision,
    volumes: record.extras.volumes ?? [],
    status: record.status,
    requiresAttributes: record.requiresAttributes.map((name) => ({ name })),
    placementConstraints: record.extras.placementConstraints ?? [],
    compatibilities: compatibilitiesOf(record),
    ...(record.cpu !== undefined ? { cpu: record.cpu } : {}),
    ...(record.memory !== undefined ? { memory: record.memory } : {}),
    registeredAt: new Date(record.registeredAtMs),
    registeredBy: record.registeredBy,
    ...(record.deregisteredAtMs !== undefined ? { deregisteredAt: new Date(record.deregisteredAtMs) } : {}),
    ...(record.deleteRequestedAtMs !== undefined ? { deleteRequestedAt: new Date(record.deleteRequestedAtMs) } : {}),
  };
}

/** EC2 always; FARGATE too when the definition would run there (awsvpc with task cpu and memory). */
function compatibilitiesOf(record: TaskDefinitionRecord): Array<'EC2' | 'FARGATE' | 'EXTERNAL'> {
  const compatibilities: Array<'EC2' | 'FARGATE' | 'EXTERNAL'> = ['EC2'];
  if (record.networkMode === 'awsvpc' && record.cpu !== undefined && record.memory !== undefined)
    compatibilities.push('FARGATE');
  return compatibilities;
}
