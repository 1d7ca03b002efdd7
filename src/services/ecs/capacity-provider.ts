/**
 * The ECS CapacityProvider of an Auto Scaling group (B.8, `M:ecs`, `DG:ecs/cluster-auto-scaling`,
 * `DG:ecs/managed-instance-draining`): the record, AWS's defaults and ranges, and its wire
 * shape. Managed scaling keeps the group sized to its tasks, managed termination protection
 * keeps busy instances out of scale-in, managed draining drains an instance before Auto Scaling
 * terminates it (the `ecs-managed-draining-termination-hook` ECS installs on the group). The
 * record also carries the capacity controller's own memory: when the reservation first fell
 * below target, and when each draining instance's lifecycle action last got a heartbeat.
 */
import type { Attachment, AutoScalingGroupProvider, CapacityProvider, ManagedScaling, Tag } from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';
import { clientException, invalidParameter } from './errors.js';

export type Toggle = 'ENABLED' | 'DISABLED';
export type CapacityProviderStatus = 'ACTIVE' | 'INACTIVE';
export type CapacityProviderUpdateStatus = 'CREATE_COMPLETE' | 'UPDATE_COMPLETE' | 'DELETE_COMPLETE';

/** The hook ECS installs on the group for managed draining (`OBS:` many infrastructure repos; B.8). */
export const MANAGED_DRAINING_HOOK = 'ecs-managed-draining-termination-hook';
export const MANAGED_DRAINING_HEARTBEAT_S = 3600;

export interface ManagedScalingSettings {
  status: Toggle;
  /** 1–100 %: the utilisation to keep (100 = no spare instance). */
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
  /** Seconds after launch before an instance counts; no scale-out while one is warming up. */
  instanceWarmupPeriod: number;
}

/** Per managed-draining instance: when it started waiting on ECS and when ECS last sent a heartbeat. */
export interface DrainingInstanceState {
  startedAtMs: number;
  lastHeartbeatAtMs: number;
}

export interface CapacityProviderRecord {
  accountId: string;
  region: string;
  name: string;
  capacityProviderArn: string;
  status: CapacityProviderStatus;
  updateStatus: CapacityProviderUpdateStatus;
  /** As the caller gave it (an ARN, or a name, which AWS also accepts). */
  autoScalingGroupArn: string;
  /** Resolved at creation: the group the provider drives. */
  autoScalingGroupName: string;
  managedScaling: ManagedScalingSettings;
  managedTerminationProtection: Toggle;
  managedDraining: Toggle;
  tags: Tag[];
  /** The cluster it is attached to (PutClusterCapacityProviders); a provider serves one cluster. */
  clusterName?: string;
  createdAtMs: number;
  /** The cluster attachments ECS shows for this provider (as_policy, managed_draining). */
  attachmentIds: { scalingPolicy: string; managedDraining: string; scalingPolicyName: string };
  /** Managed scaling's memory: since when the reservation has asked for fewer instances. */
  scaleInWantedSinceMs?: number;
  /** Managed draining's memory, by EC2 instance id. */
  draining: Record<string, DrainingInstanceState>;
}

/** `M:ecs` ManagedScaling defaults (B.8). UNCONFIRMED: the API default of `status`; ECS's console turns it on. */
export const DEFAULT_MANAGED_SCALING: ManagedScalingSettings = {
  status: 'DISABLED',
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10_000,
  instanceWarmupPeriod: 300,
};

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const RESERVED_PREFIXES = ['aws', 'ecs', 'fargate'];

export function capacityProviderArnOf(accountId: string, region: string, name: string): string {
  return arn({ service: 'ecs', region, accountId, resource: `capacity-provider/${name}` });
}

/** A provider's name or ARN → its name. */
export function capacityProviderNameOf(identifier: string): string {
  const parts = parseArn(identifier);
  if (parts && parts.resource.startsWith('capacity-provider/'))
    return parts.resource.slice('capacity-provider/'.length);
  return identifier;
}

/** `OBS:` ECS's words for a reserved prefix; the character rule's wording is UNCONFIRMED. */
export function requireValidCapacityProviderName(name: string): void {
  if (!NAME.test(name)) {
    throw invalidParameter(
      'The capacity provider name can only contain alphanumeric characters, hyphens and underscores, up to 255 characters.',
    );
  }
  const lower = name.toLowerCase();
  if (RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    throw invalidParameter(
      'The specified capacity provider name is invalid. Capacity provider names can\'t be prefixed with "aws", "ecs", or "fargate".',
    );
  }
}

function requireToggle(value: string | undefined, field: string): Toggle | undefined {
  if (value === undefined) return undefined;
  if (value !== 'ENABLED' && value !== 'DISABLED') {
    throw invalidParameter(`${field} must be ENABLED or DISABLED.`);
  }
  return value;
}

function requireRange(value: number | undefined, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${field} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** ManagedScaling merged over the current (or default) settings, each field checked against `M:ecs`. */
export function managedScalingOf(
  given: ManagedScaling | undefined,
  current: ManagedScalingSettings,
): ManagedScalingSettings {
  if (!given) return current;
  const next: ManagedScalingSettings = {
    status: requireToggle(given.status, 'managedScaling.status') ?? current.status,
    targetCapacity:
      requireRange(given.targetCapacity, 'managedScaling.targetCapacity', 1, 100) ?? current.targetCapacity,
    minimumScalingStepSize:
      requireRange(given.minimumScalingStepSize, 'managedScaling.minimumScalingStepSize', 1, 10_000) ??
      current.minimumScalingStepSize,
    maximumScalingStepSize:
      requireRange(given.maximumScalingStepSize, 'managedScaling.maximumScalingStepSize', 1, 10_000) ??
      current.maximumScalingStepSize,
    instanceWarmupPeriod:
      requireRange(given.instanceWarmupPeriod, 'managedScaling.instanceWarmupPeriod', 0, 10_000) ??
      current.instanceWarmupPeriod,
  };
  if (next.minimumScalingStepSize > next.maximumScalingStepSize) {
    // UNCONFIRMED wording.
    throw invalidParameter('managedScaling.minimumScalingStepSize cannot be greater than maximumScalingStepSize.');
  }
  return next;
}

export interface ProviderSettings {
  managedScaling: ManagedScalingSettings;
  managedTerminationProtection: Toggle;
  managedDraining: Toggle;
}

/**
 * The settings after a Create (defaults: managed draining ENABLED, termination protection
 * DISABLED) or an Update (what the call leaves out stays).
 */
export function providerSettingsOf(
  given: Pick<AutoScalingGroupProvider, 'managedScaling' | 'managedTerminationProtection' | 'managedDraining'>,
  current?: ProviderSettings,
): ProviderSettings {
  return {
    managedScaling: managedScalingOf(given.managedScaling, current?.managedScaling ?? DEFAULT_MANAGED_SCALING),
    managedTerminationProtection:
      requireToggle(given.managedTerminationProtection, 'managedTerminationProtection') ??
      current?.managedTerminationProtection ??
      'DISABLED',
    managedDraining: requireToggle(given.managedDraining, 'managedDraining') ?? current?.managedDraining ?? 'ENABLED',
  };
}

/**
 * Managed termination protection needs managed scaling and a group that protects its new
 * instances (`DG:ecs/asg-capacity-providers`). `OBS:` ECS's wording.
 */
export function requireTerminationProtectionPrerequisites(
  settings: ProviderSettings,
  newInstancesProtectedFromScaleIn: boolean,
): void {
  if (settings.managedTerminationProtection !== 'ENABLED') return;
  if (settings.managedScaling.status !== 'ENABLED') {
    throw clientException(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must also be enabled.',
    );
  }
  if (!newInstancesProtectedFromScaleIn) {
    throw clientException(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.',
    );
  }
}

export function toCapacityProvider(record: CapacityProviderRecord, includeTags = true): CapacityProvider {
  const scaling = record.managedScaling;
  return {
    capacityProviderArn: record.capacityProviderArn,
    name: record.name,
    status: record.status,
    type: 'EC2_AUTOSCALING',
    autoScalingGroupProvider: {
      autoScalingGroupArn: record.autoScalingGroupArn,
      managedScaling: {
        status: scaling.status,
        targetCapacity: scaling.targetCapacity,
        minimumScalingStepSize: scaling.minimumScalingStepSize,
        maximumScalingStepSize: scaling.maximumScalingStepSize,
        instanceWarmupPeriod: scaling.instanceWarmupPeriod,
      },
      managedTerminationProtection: record.managedTerminationProtection,
      managedDraining: record.managedDraining,
    },
    updateStatus: record.updateStatus,
    tags: includeTags ? record.tags : [],
  };
}

/**
 * What DescribeClusters `include: ATTACHMENTS` shows for a provider of the cluster
 * (`DG:ecs/managed-instance-draining`, `OBS:` describe-clusters output): the target tracking
 * policy of managed scaling (`as_policy`) and the managed-draining hook (`managed_draining`).
 */
export function providerAttachments(record: CapacityProviderRecord): Attachment[] {
  const attachments: Attachment[] = [];
  if (record.managedScaling.status === 'ENABLED') {
    attachments.push({
      id: record.attachmentIds.scalingPolicy,
      type: 'as_policy',
      status: 'CREATED',
      details: [
        { name: 'capacityProviderName', value: record.name },
        { name: 'scalingPolicyName', value: record.attachmentIds.scalingPolicyName },
      ],
    });
  }
  if (record.managedDraining === 'ENABLED') {
    attachments.push({
      id: record.attachmentIds.managedDraining,
      type: 'managed_draining',
      status: 'CREATED',
      details: [
        { name: 'capacityProviderName', value: record.name },
        { name: 'autoScalingLifecycleHookName', value: MANAGED_DRAINING_HOOK },
      ],
    });
  }
  return attachments;
}
