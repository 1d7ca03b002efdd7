/**
 * Wire adapter for group tags: CreateOrUpdateTags, DeleteTags and DescribeTags (filters
 * `auto-scaling-group`, `key`, `value`, `propagate-at-launch`). Tags that propagate reach
 * instances launched afterwards; running instances keep theirs, as in AWS.
 */
import type {
  CreateOrUpdateTagsType,
  DeleteTagsType,
  DescribeTagsType,
  Tag,
  TagDescription,
  TagsType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler, RequestContext } from '../../kernel/operation.js';
import { validationError } from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import { toTagDescription } from './group.js';
import { mergeTags } from './group-configuration.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page } from './operations-support.js';

const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS_LIMIT = 100;
const TAG_FILTERS = ['auto-scaling-group', 'key', 'value', 'propagate-at-launch'];

export function tagOperations(support: OperationsSupport) {
  /** Tags grouped by the group they name; every group must exist and be of the one resource type. */
  const byGroup = (
    ctx: RequestContext,
    tags: readonly Tag[],
  ): Map<string, { group: AutoScalingGroupRecord; tags: Tag[] }> => {
    const groups = new Map<string, { group: AutoScalingGroupRecord; tags: Tag[] }>();
    for (const tag of tags) {
      const type = tag.ResourceType ?? 'auto-scaling-group';
      // UNCONFIRMED wording.
      if (type !== 'auto-scaling-group') throw validationError(`Invalid resource type: ${type}`);
      const name = tag.ResourceId ?? '';
      const entry = groups.get(name) ?? { group: support.requireGroup(ctx, name), tags: [] };
      entry.tags.push(tag);
      groups.set(name, entry);
    }
    return groups;
  };

  const CreateOrUpdateTags: OperationHandler<CreateOrUpdateTagsType, object> = (input, ctx) => {
    const updates = [...byGroup(ctx, input.Tags ?? []).values()].map(({ group, tags }) => ({
      ...group,
      tags: mergeTags(group.tags, tags, group.autoScalingGroupName),
    }));
    support.deps.store.transaction(() => updates.forEach((group) => support.putGroup(group)));
    return {};
  };

  const DeleteTags: OperationHandler<DeleteTagsType, object> = (input, ctx) => {
    const updates = [...byGroup(ctx, input.Tags ?? []).values()].map(({ group, tags }) => ({
      ...group,
      tags: group.tags.filter((existing) => !tags.some((tag) => tag.Key === existing.key)),
    }));
    support.deps.store.transaction(() => updates.forEach((group) => support.putGroup(group)));
    return {};
  };

  const DescribeTags: OperationHandler<DescribeTagsType, TagsType> = (input, ctx) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    const filters = input.Filters ?? [];
    for (const filter of filters) {
      if (!TAG_FILTERS.includes(filter.Name ?? '')) {
        // UNCONFIRMED wording.
        throw validationError(
          `Filter type ${filter.Name} is not correct. Allowed Filter types are: ${TAG_FILTERS.join(' ')}`,
        );
      }
    }
    const all: TagDescription[] = support
      .groupsInScope(ctx)
      .flatMap((group) =>
        [...group.tags].sort((a, b) => (a.key < b.key ? -1 : 1)).map((tag) => toTagDescription(group, tag)),
      );
    const selected = all.filter((tag) =>
      filters.every((filter) => {
        const values = filter.Values ?? [];
        switch (filter.Name) {
          case 'auto-scaling-group':
            return values.includes(tag.ResourceId ?? '');
          case 'key':
            return values.includes(tag.Key ?? '');
          case 'value':
            return values.includes(tag.Value ?? '');
          default:
            return values.includes(String(tag.PropagateAtLaunch));
        }
      }),
    );
    const result = page(
      selected,
      (tag) => `${tag.ResourceId}\u0000${tag.Key}`,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return { Tags: result.items, NextToken: result.nextToken };
  };

  return { CreateOrUpdateTags, DeleteTags, DescribeTags };
}
