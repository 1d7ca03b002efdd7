/**
 * ECS capacity-provider operations (B.8): Create/Update/Delete/DescribeCapacityProviders and
 * PutClusterCapacityProviders, for Auto Scaling group providers. They check the call against the
 * group (through the AutoScalingGroupsPort), record the provider, and install or remove the
 * managed-draining lifecycle hook as ECS does; the capacity controller does the rest on the clock.
 * Messages marked `OBS:` are ECS's own; the others are UNCONFIRMED wordings of ECS's rules.
 */
import type {
  Attachment,
  CapacityProviderStrategyItem,
  CreateCapacityProviderRequest,
  CreateCapacityProviderResponse,
  DeleteCapacityProviderRequest,
  DeleteCapacityProviderResponse,
  DescribeCapacityProvidersRequest,
  DescribeCapacityProvidersResponse,
  Failure,
  PutClusterCapacityProvidersRequest,
  PutClusterCapacityProvidersResponse,
  Tag,
  UpdateCapacityProviderRequest,
  UpdateCapacityProviderResponse,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { ServiceError } from '../../kernel/service-error.js';
import {
  capacityProviderArnOf,
  capacityProviderNameOf,
  MANAGED_DRAINING_HEARTBEAT_S,
  MANAGED_DRAINING_HOOK,
  providerAttachments,
  providerSettingsOf,
  requireTerminationProtectionPrerequisites,
  requireValidCapacityProviderName,
  toCapacityProvider,
  type CapacityProviderRecord,
} from './capacity-provider.js';
import { PROVIDER_NOT_ASSOCIATED, strategyOf } from './capacity-provider-strategy.js';
import { toCluster, type ClusterRecord } from './cluster.js';
import {
  capacityProviderKey,
  clusterCounts,
  findCapacityProvider,
  requireActiveCluster,
  servicesIn,
  tasksIn,
  type EcsContext,
  type Scope,
} from './context.js';
import { clientException, invalidParameter } from './errors.js';
import { MAX_TAGS } from './operations-tag.js';
import { pageOf } from './page.js';
import type { AutoScalingGroupsPort, AutoScalingGroupView } from './ports.js';
import { scopedKey } from './store.js';

/** `M:ecs` DescribeCapacityProviders: up to 100 names; a page of at most 10 by default. UNCONFIRMED default. */
export const MAX_DESCRIBE_CAPACITY_PROVIDERS = 100;
export const DEFAULT_CAPACITY_PROVIDER_PAGE = 10;

/** `OBS:` ECS's words. */
export const CAPACITY_PROVIDER_EXISTS =
  'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.';
export const CAPACITY_PROVIDER_NOT_FOUND =
  'The specified capacity provider does not exist. Specify a valid name or ARN and try again.';
/** `OBS:` what PutClusterCapacityProviders answers for a provider still used by a service or task. */
export const CAPACITY_PROVIDER_IN_USE = 'The specified capacity provider is in use and cannot be removed.';

const providerInUse = () => new ServiceError('ResourceInUseException', CAPACITY_PROVIDER_IN_USE);

function requireAutoScaling(ctx: EcsContext): AutoScalingGroupsPort {
  const port = ctx.ports.autoScalingGroups;
  if (!port) throw clientException('Auto Scaling is not available in this drydock: capacity providers need it.');
  return port;
}

function requireTags(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS) throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
  if (tags.some((tag) => tag.key?.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter("Tag keys that start with 'aws:' are reserved for AWS use.");
  }
}

/** The hook ECS installs for managed draining (B.8): TERMINATING, heartbeat 3600 s, CONTINUE. */
export function installDrainingHook(port: AutoScalingGroupsPort, scope: Scope, groupName: string): void {
  try {
    port.putLifecycleHook(scope, groupName, {
      name: MANAGED_DRAINING_HOOK,
      transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeoutS: MANAGED_DRAINING_HEARTBEAT_S,
      defaultResult: 'CONTINUE',
    });
  } catch (error) {
    // The group refused it (50 hooks already): the provider cannot drain, so it is not made.
    const reason = error instanceof Error ? error.message : String(error);
    throw clientException(`Unable to create the managed draining lifecycle hook on the Auto Scaling group: ${reason}`);
  }
}

function removeDrainingHook(ctx: EcsContext, port: AutoScalingGroupsPort, scope: Scope, groupName: string): void {
  try {
    port.deleteLifecycleHook(scope, groupName, MANAGED_DRAINING_HOOK);
  } catch (error) {
    // Gone already (the group, or the hook deleted by hand): nothing left to remove.
    ctx.logger.debug({ err: error, groupName }, 'managed draining hook not removed');
  }
}

/** The cluster as capacity-provider calls answer it (tags, no attachments). */
function clusterView(ctx: EcsContext, cluster: ClusterRecord) {
  return toCluster(cluster, clusterCounts(ctx, cluster), { includeTags: true });
}

/** What DescribeClusters `include: ATTACHMENTS` lists for a cluster's providers. */
export function clusterAttachments(ctx: EcsContext, cluster: ClusterRecord): Attachment[] {
  return (cluster.capacityProviders ?? []).flatMap((name) => {
    const provider = findCapacityProvider(ctx, cluster, name);
    return provider ? providerAttachments(provider) : [];
  });
}

/** Whether a service of the cluster names the provider, or a task of it is not STOPPED yet. */
function providerInUseBy(ctx: EcsContext, cluster: ClusterRecord, name: string): boolean {
  const services = servicesIn(ctx, cluster).some(
    (service) =>
      service.status !== 'INACTIVE' &&
      (service.capacityProviderStrategy ?? []).some((item) => item.capacityProvider === name),
  );
  return (
    services ||
    tasksIn(ctx, cluster).some((task) => task.capacityProviderName === name && task.lastStatus !== 'STOPPED')
  );
}

/**
 * PutClusterCapacityProviders (and CreateCluster's providers): the cluster's providers replaced
 * by these, the default strategy with them. A provider serves one cluster; one in use by a
 * service or a task cannot be taken away (ResourceInUseException, `OBS:`).
 */
export function putClusterCapacityProviders(
  ctx: EcsContext,
  scope: Scope,
  cluster: ClusterRecord,
  names: readonly string[],
  defaultStrategy: readonly CapacityProviderStrategyItem[],
): ClusterRecord {
  const wanted = [...new Set(names.map(capacityProviderNameOf))];
  const providers = wanted.map((name) => {
    if (name === 'FARGATE' || name === 'FARGATE_SPOT') {
      throw invalidParameter(`drydock runs tasks on EC2 container instances only; ${name} is not supported.`);
    }
    const provider = findCapacityProvider(ctx, scope, name);
    if (!provider) throw invalidParameter(`The specified capacity provider ${name} does not exist.`);
    if (provider.clusterName !== undefined && provider.clusterName !== cluster.clusterName) {
      throw invalidParameter(
        `The specified capacity provider ${name} is already associated with another cluster (${provider.clusterName}). A capacity provider can be associated with one cluster only.`,
      );
    }
    return provider;
  });
  const strategy = strategyOf(defaultStrategy).map((item) => ({
    ...item,
    capacityProvider: capacityProviderNameOf(item.capacityProvider),
  }));
  if (strategy.some((item) => !wanted.includes(item.capacityProvider))) throw invalidParameter(PROVIDER_NOT_ASSOCIATED);
  const removed = (cluster.capacityProviders ?? []).filter((name) => !wanted.includes(name));
  for (const name of removed) if (providerInUseBy(ctx, cluster, name)) throw providerInUse();

  const next: ClusterRecord = { ...cluster, capacityProviders: wanted, defaultCapacityProviderStrategy: strategy };
  ctx.transact(() => {
    ctx.tables.clusters.put(scopedKey(cluster.accountId, cluster.region, cluster.clusterName), next);
    for (const provider of providers) {
      if (provider.clusterName !== cluster.clusterName) {
        ctx.tables.capacityProviders.put(capacityProviderKey(scope, provider.name), {
          ...provider,
          clusterName: cluster.clusterName,
        });
      }
    }
    for (const name of removed) {
      const provider = findCapacityProvider(ctx, scope, name);
      if (!provider) continue;
      const { clusterName: _detached, scaleInWantedSinceMs: _forgotten, ...rest } = provider;
      ctx.tables.capacityProviders.put(capacityProviderKey(scope, name), rest);
    }
  });
  return next;
}

export function capacityProviderOperations(ctx: EcsContext): OperationTable {
  const { capacityProviders } = ctx.tables;

  const describeGroupOf = (port: AutoScalingGroupsPort, scope: Scope, arnOrName: string): AutoScalingGroupView => {
    const group = port.describeGroup(scope, arnOrName);
    // UNCONFIRMED wording.
    if (!group) throw clientException(`The specified Auto Scaling group ${arnOrName} does not exist.`);
    return group;
  };

  const CreateCapacityProvider: OperationHandler<CreateCapacityProviderRequest, CreateCapacityProviderResponse> = (
    input,
    scope,
  ) => {
    const name = input.name ?? '';
    requireValidCapacityProviderName(name);
    if (findCapacityProvider(ctx, scope, name)) throw clientException(CAPACITY_PROVIDER_EXISTS);
    const given = input.autoScalingGroupProvider;
    if (!given?.autoScalingGroupArn) {
      throw invalidParameter(
        'drydock supports Auto Scaling group capacity providers: give autoScalingGroupProvider.autoScalingGroupArn.',
      );
    }
    requireTags(input.tags ?? []);
    const port = requireAutoScaling(ctx);
    const group = describeGroupOf(port, scope, given.autoScalingGroupArn);
    const taken = capacityProviders
      .withPrefix(`${scope.accountId}/${scope.region}/`)
      .find((record) => record.status === 'ACTIVE' && record.autoScalingGroupName === group.autoScalingGroupName);
    if (taken) {
      throw clientException(
        `The specified Auto Scaling group ARN is already being used by another capacity provider (${taken.name}). Specify a unique Auto Scaling group ARN and try again.`,
      );
    }
    const settings = providerSettingsOf(given);
    requireTerminationProtectionPrerequisites(settings, group.newInstancesProtectedFromScaleIn);
    if (settings.managedDraining === 'ENABLED') installDrainingHook(port, scope, group.autoScalingGroupName);
    const record: CapacityProviderRecord = {
      accountId: scope.accountId,
      region: scope.region,
      name,
      capacityProviderArn: capacityProviderArnOf(scope.accountId, scope.region, name),
      status: 'ACTIVE',
      updateStatus: 'CREATE_COMPLETE',
      autoScalingGroupArn: given.autoScalingGroupArn,
      autoScalingGroupName: group.autoScalingGroupName,
      ...settings,
      tags: input.tags ?? [],
      createdAtMs: ctx.clock.now(),
      attachmentIds: {
        scalingPolicy: ctx.random.uuid(),
        scalingPolicyName: `ECSManagedAutoScalingPolicy-${ctx.random.uuid()}`,
        managedDraining: ctx.random.uuid(),
      },
      draining: {},
    };
    capacityProviders.put(capacityProviderKey(scope, name), record);
    return { capacityProvider: toCapacityProvider(record) };
  };

  const UpdateCapacityProvider: OperationHandler<UpdateCapacityProviderRequest, UpdateCapacityProviderResponse> = (
    input,
    scope,
  ) => {
    const record = findCapacityProvider(ctx, scope, input.name ?? '');
    if (!record) throw clientException(CAPACITY_PROVIDER_NOT_FOUND);
    const given = input.autoScalingGroupProvider;
    if (!given)
      throw invalidParameter('autoScalingGroupProvider is required to update an Auto Scaling group provider.');
    const settings = providerSettingsOf(given, record);
    const port = requireAutoScaling(ctx);
    const group = describeGroupOf(port, scope, record.autoScalingGroupArn);
    requireTerminationProtectionPrerequisites(settings, group.newInstancesProtectedFromScaleIn);
    if (settings.managedDraining === 'ENABLED' && record.managedDraining !== 'ENABLED') {
      installDrainingHook(port, scope, group.autoScalingGroupName);
    }
    if (settings.managedDraining === 'DISABLED' && record.managedDraining === 'ENABLED') {
      removeDrainingHook(ctx, port, scope, group.autoScalingGroupName);
    }
    const next: CapacityProviderRecord = { ...record, ...settings, updateStatus: 'UPDATE_COMPLETE' };
    if (settings.managedScaling.status !== 'ENABLED') delete next.scaleInWantedSinceMs;
    if (settings.managedDraining !== 'ENABLED') next.draining = {};
    capacityProviders.put(capacityProviderKey(scope, record.name), next);
    return { capacityProvider: toCapacityProvider(next) };
  };

  const DeleteCapacityProvider: OperationHandler<DeleteCapacityProviderRequest, DeleteCapacityProviderResponse> = (
    input,
    scope,
  ) => {
    const record = findCapacityProvider(ctx, scope, input.capacityProvider ?? '');
    if (!record) throw clientException(CAPACITY_PROVIDER_NOT_FOUND);
    if (record.clusterName !== undefined) {
      throw clientException(
        `The capacity provider cannot be deleted because it is associated with cluster: ${record.clusterName}. Remove the capacity provider from the cluster and try again.`,
      );
    }
    const port = ctx.ports.autoScalingGroups;
    if (port && record.managedDraining === 'ENABLED') removeDrainingHook(ctx, port, scope, record.autoScalingGroupName);
    const { scaleInWantedSinceMs: _forgotten, ...rest } = record;
    const next: CapacityProviderRecord = { ...rest, status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE', draining: {} };
    capacityProviders.put(capacityProviderKey(scope, record.name), next);
    return { capacityProvider: toCapacityProvider(next) };
  };

  const DescribeCapacityProviders: OperationHandler<
    DescribeCapacityProvidersRequest,
    DescribeCapacityProvidersResponse
  > = (input, scope) => {
    const includeTags = input.include?.includes('TAGS') ?? false;
    const names = input.capacityProviders ?? [];
    if (names.length > MAX_DESCRIBE_CAPACITY_PROVIDERS) {
      throw invalidParameter(`capacityProviders cannot have more than ${MAX_DESCRIBE_CAPACITY_PROVIDERS} elements.`);
    }
    const failures: Failure[] = [];
    if (names.length > 0) {
      const found: CapacityProviderRecord[] = [];
      for (const identifier of names) {
        const name = capacityProviderNameOf(identifier);
        // INACTIVE (deleted) providers stay describable by name for a while, as on AWS.
        const record = capacityProviders.get(capacityProviderKey(scope, name));
        if (record) found.push(record);
        else {
          failures.push({
            arn: identifier.startsWith('arn:')
              ? identifier
              : capacityProviderArnOf(scope.accountId, scope.region, name),
            reason: 'MISSING',
          });
        }
      }
      return { capacityProviders: found.map((record) => toCapacityProvider(record, includeTags)), failures };
    }
    const active = capacityProviders
      .withPrefix(`${scope.accountId}/${scope.region}/`)
      .filter((record) => record.status === 'ACTIVE');
    const page = pageOf(
      active,
      (record) => record.name,
      input.maxResults ?? DEFAULT_CAPACITY_PROVIDER_PAGE,
      input.nextToken,
    );
    return {
      capacityProviders: page.items.map((record) => toCapacityProvider(record, includeTags)),
      failures,
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  };

  const PutClusterCapacityProviders: OperationHandler<
    PutClusterCapacityProvidersRequest,
    PutClusterCapacityProvidersResponse
  > = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const next = putClusterCapacityProviders(
      ctx,
      scope,
      cluster,
      input.capacityProviders ?? [],
      input.defaultCapacityProviderStrategy ?? [],
    );
    return { cluster: clusterView(ctx, next) };
  };

  return {
    CreateCapacityProvider,
    UpdateCapacityProvider,
    DeleteCapacityProvider,
    DescribeCapacityProviders,
    PutClusterCapacityProviders,
  };
}
