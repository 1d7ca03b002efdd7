/**
 * ECS attribute operations: PutAttributes, DeleteAttributes, ListAttributes on container
 * instances (the only `targetType`). Built-in `ecs.*` attributes are listed but not writable;
 * each change is a container-instance state change (version bump and event).
 */
import type {
  Attribute,
  DeleteAttributesRequest,
  DeleteAttributesResponse,
  ListAttributesRequest,
  ListAttributesResponse,
  PutAttributesRequest,
  PutAttributesResponse,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { requireValidAttribute, targetNotFound, withAttributes, withoutAttributes } from './attribute.js';
import type { ClusterRecord } from './cluster.js';
import { containerInstanceIdOf, type ContainerInstanceRecord } from './container-instance.js';
import { containerInstancesIn, requireActiveCluster, saveContainerInstance, type EcsContext } from './context.js';
import { invalidParameter } from './errors.js';
import { pageOf } from './page.js';
import { memberKey } from './store.js';

/** `M:ecs` PutAttributes/DeleteAttributes: up to 10 attributes a call. */
export const MAX_ATTRIBUTES_PER_CALL = 10;

export function attributeOperations(ctx: EcsContext): OperationTable {
  const requireTarget = (cluster: ClusterRecord, attribute: Attribute): ContainerInstanceRecord => {
    if (attribute.targetType !== undefined && attribute.targetType !== 'container-instance') {
      throw invalidParameter(`Attribute targetType ${String(attribute.targetType)} is not supported.`);
    }
    if (!attribute.targetId) throw invalidParameter(`Attribute ${attribute.name ?? ''} needs a targetId.`);
    const record = ctx.tables.containerInstances.get(
      memberKey(cluster.accountId, cluster.region, cluster.clusterName, containerInstanceIdOf(attribute.targetId)),
    );
    if (!record || record.status === 'INACTIVE') throw targetNotFound(attribute.targetId);
    return record;
  };

  /** Applies change to each attribute's target, one state change per instance. */
  const change = (
    cluster: ClusterRecord,
    attributes: readonly Attribute[],
    apply: (record: ContainerInstanceRecord, mine: Attribute[]) => ContainerInstanceRecord,
  ) => {
    if (attributes.length === 0) throw invalidParameter('Attributes cannot be empty.');
    if (attributes.length > MAX_ATTRIBUTES_PER_CALL) {
      throw invalidParameter(`Attributes cannot have more than ${MAX_ATTRIBUTES_PER_CALL} elements.`);
    }
    const byTarget = new Map<string, { record: ContainerInstanceRecord; mine: Attribute[] }>();
    for (const attribute of attributes) {
      const record = requireTarget(cluster, attribute);
      const entry = byTarget.get(record.containerInstanceId) ?? { record, mine: [] };
      entry.mine.push(attribute);
      byTarget.set(record.containerInstanceId, entry);
    }
    const updates = [...byTarget.values()].map(({ record, mine }) => apply(record, mine));
    ctx.transact(() => {
      for (const next of updates) saveContainerInstance(ctx, next, true);
    });
    return attributes.map((attribute) => ({
      ...attribute,
      targetType: 'container-instance' as const,
      targetId: byTarget.get(containerInstanceIdOf(attribute.targetId!))!.record.containerInstanceArn,
    }));
  };

  const PutAttributes: OperationHandler<PutAttributesRequest, PutAttributesResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    for (const attribute of input.attributes ?? [])
      requireValidAttribute({ name: attribute.name!, value: attribute.value });
    const attributes = change(cluster, input.attributes ?? [], (record, mine) =>
      withAttributes(
        record,
        mine.map((attribute) =>
          attribute.value === undefined ? { name: attribute.name! } : { name: attribute.name!, value: attribute.value },
        ),
      ),
    );
    return { attributes };
  };

  const DeleteAttributes: OperationHandler<DeleteAttributesRequest, DeleteAttributesResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    for (const attribute of input.attributes ?? []) requireValidAttribute({ name: attribute.name! });
    const attributes = change(cluster, input.attributes ?? [], (record, mine) =>
      withoutAttributes(
        record,
        mine.map((attribute) => attribute.name!),
      ),
    );
    return { attributes };
  };

  const ListAttributes: OperationHandler<ListAttributesRequest, ListAttributesResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    if (input.attributeValue !== undefined && input.attributeName === undefined) {
      throw invalidParameter('attributeValue can only be given with attributeName.');
    }
    const all = containerInstancesIn(ctx, cluster)
      .filter((record) => record.status !== 'INACTIVE')
      .flatMap((record) =>
        record.attributes.map((attribute) => ({
          key: `${record.containerInstanceId}/${attribute.name}`,
          attribute: {
            name: attribute.name,
            ...(attribute.value !== undefined ? { value: attribute.value } : {}),
            targetType: 'container-instance' as const,
            targetId: record.containerInstanceArn,
          },
        })),
      )
      .filter(({ attribute }) => input.attributeName === undefined || attribute.name === input.attributeName)
      .filter(({ attribute }) => input.attributeValue === undefined || attribute.value === input.attributeValue)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const page = pageOf(all, (entry) => entry.key, input.maxResults, input.nextToken);
    return {
      attributes: page.items.map((entry) => entry.attribute),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  };

  return { PutAttributes, DeleteAttributes, ListAttributes };
}
