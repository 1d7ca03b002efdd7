/**
 * ECS tagging: TagResource, UntagResource, ListTagsForResource on clusters, services, task
 * definitions, tasks, container instances and capacity providers, addressed by ARN. Keys are unique per resource (a new value
 * replaces the old one), at most 50, and `aws:` keys are AWS's own.
 */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  Tag,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
} from '@aws-sdk/client-ecs';
import { parseArn } from '../../kernel/ids.js';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { saveContainerInstance, saveTask, type EcsContext, type Scope } from './context.js';
import { clientException, clusterNotFound, invalidParameter, resourceNotFound } from './errors.js';
import { memberKey, scopedKey, taskDefinitionKey } from './store.js';
import { parseTaskDefinitionIdentifier } from './task-definition.js';

/** `M:ecs` Tags: at most 50 a resource. */
export const MAX_TAGS = 50;

interface TagTarget {
  tags: readonly Tag[];
  save(tags: Tag[]): void;
}

export function tagOperations(ctx: EcsContext): OperationTable {
  const targetOf = (scope: Scope, resourceArn: string, notFound: () => Error): TagTarget => {
    const parts = parseArn(resourceArn);
    if (!parts || parts.service !== 'ecs' || parts.accountId !== scope.accountId || parts.region !== scope.region) {
      throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
    }
    const [kind, ...rest] = parts.resource.split('/');
    const path = rest.join('/');
    switch (kind) {
      case 'cluster': {
        const key = scopedKey(scope.accountId, scope.region, path);
        const record = ctx.tables.clusters.get(key);
        if (!record || record.status !== 'ACTIVE') throw clusterNotFound();
        return { tags: record.tags, save: (tags) => ctx.tables.clusters.put(key, { ...record, tags }) };
      }
      case 'task-definition': {
        const parsed = parseTaskDefinitionIdentifier(path);
        const key =
          parsed?.revision !== undefined
            ? taskDefinitionKey(scope.accountId, scope.region, parsed.family, parsed.revision)
            : undefined;
        const record = key ? ctx.tables.taskDefinitions.get(key) : undefined;
        if (!key || !record) throw notFound();
        return { tags: record.tags, save: (tags) => ctx.tables.taskDefinitions.put(key, { ...record, tags }) };
      }
      case 'task': {
        const [clusterName, taskId] = rest;
        const record =
          rest.length === 2
            ? ctx.tables.tasks.get(memberKey(scope.accountId, scope.region, clusterName!, taskId!))
            : undefined;
        if (!record) throw notFound();
        // Tags are not part of what a task state change reports: no version bump.
        return { tags: record.tags, save: (tags) => saveTask(ctx, record, { ...record, tags }, false) };
      }
      case 'service': {
        const [clusterName, serviceName] = rest;
        const key =
          rest.length === 2 ? memberKey(scope.accountId, scope.region, clusterName!, serviceName!) : undefined;
        const record = key ? ctx.tables.services.get(key) : undefined;
        if (!key || !record || record.status === 'INACTIVE') throw notFound();
        return { tags: record.tags, save: (tags) => ctx.tables.services.put(key, { ...record, tags }) };
      }
      case 'container-instance': {
        const [clusterName, id] = rest;
        const record =
          rest.length === 2
            ? ctx.tables.containerInstances.get(memberKey(scope.accountId, scope.region, clusterName!, id!))
            : undefined;
        if (!record || record.status === 'INACTIVE') throw notFound();
        return { tags: record.tags, save: (tags) => saveContainerInstance(ctx, { ...record, tags }, false) };
      }
      case 'capacity-provider': {
        const key = scopedKey(scope.accountId, scope.region, path);
        const record = ctx.tables.capacityProviders.get(key);
        if (!record || record.status !== 'ACTIVE') throw notFound();
        return { tags: record.tags, save: (tags) => ctx.tables.capacityProviders.put(key, { ...record, tags }) };
      }
      default:
        throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
    }
  };

  const TagResource: OperationHandler<TagResourceRequest, TagResourceResponse> = (input, scope) => {
    const target = targetOf(scope, input.resourceArn ?? '', () => resourceNotFound());
    const merged = new Map(target.tags.map((tag) => [tag.key, tag]));
    for (const tag of input.tags ?? []) {
      if (tag.key?.toLowerCase().startsWith('aws:')) {
        throw invalidParameter("Tag keys that start with 'aws:' are reserved for AWS use.");
      }
      merged.set(tag.key, { key: tag.key, value: tag.value ?? '' });
    }
    if (merged.size > MAX_TAGS) throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
    target.save([...merged.values()]);
    return {};
  };

  const UntagResource: OperationHandler<UntagResourceRequest, UntagResourceResponse> = (input, scope) => {
    const target = targetOf(scope, input.resourceArn ?? '', () => resourceNotFound());
    const removed = new Set(input.tagKeys ?? []);
    target.save(target.tags.filter((tag) => !removed.has(tag.key ?? '')));
    return {};
  };

  const ListTagsForResource: OperationHandler<ListTagsForResourceRequest, ListTagsForResourceResponse> = (
    input,
    scope,
  ) => {
    // ListTagsForResource has no ResourceNotFoundException in its model: ECS answers ClientException.
    const target = targetOf(scope, input.resourceArn ?? '', () =>
      clientException('The specified resource could not be found.'),
    );
    return { tags: [...target.tags] };
  };

  return { TagResource, UntagResource, ListTagsForResource };
}
