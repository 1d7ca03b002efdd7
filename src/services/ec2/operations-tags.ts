/**
 * EC2 wire adapter for CreateTags, DeleteTags and DescribeTags over every taggable noun drydock
 * keeps: instances, launch templates, VPCs, subnets and security groups. A resource id is
 * recognised by its prefix; every named resource must exist before any is changed.
 */
import type {
  CreateTagsRequest,
  DeleteTagsRequest,
  DescribeTagsRequest,
  DescribeTagsResult,
  TagDescription,
} from '@aws-sdk/client-ec2';
import type { OperationHandler } from '../../kernel/operation.js';
import type { Table } from '../../store/store.js';
import { defaultNetwork, scopeOf, type Ec2Context } from './context.js';
import {
  instanceNotFound,
  invalidResourceId,
  launchTemplateIdNotFound,
  reservedTagKey,
  securityGroupNotFound,
  subnetNotFound,
  vpcNotFound,
} from './errors.js';
import { applyFilters, type FilterFields } from './filters.js';
import { pageOf, sortedBy } from './paging.js';
import { resourceKey, scopePrefix, type Scope } from './store.js';
import { mergeTags, removeTags, userTags, type ResourceTag } from './tags.js';

interface Tagged {
  tags: ResourceTag[];
}

interface TaggableKind {
  prefix: string;
  resourceType: TagDescription['ResourceType'];
  table: (ctx: Ec2Context) => Table<Tagged>;
  idOf: (record: Tagged) => string;
  notFound: (id: string) => Error;
}

/** One taggable noun; the casts are confined here, where each table's record type is known. */
function kind<T extends Tagged>(
  prefix: string,
  resourceType: TagDescription['ResourceType'],
  table: (ctx: Ec2Context) => Table<T>,
  idOf: (record: T) => string,
  notFound: (id: string) => Error,
): TaggableKind {
  return {
    prefix,
    resourceType,
    table: table as (ctx: Ec2Context) => Table<Tagged>,
    idOf: idOf as (record: Tagged) => string,
    notFound,
  };
}

const KINDS: TaggableKind[] = [
  kind(
    'i-',
    'instance',
    (ctx) => ctx.tables.instances,
    (r) => r.instanceId,
    (id) => instanceNotFound([id]),
  ),
  kind(
    'lt-',
    'launch-template',
    (ctx) => ctx.tables.launchTemplates,
    (r) => r.launchTemplateId,
    launchTemplateIdNotFound,
  ),
  kind(
    'vpc-',
    'vpc',
    (ctx) => ctx.tables.vpcs,
    (r) => r.vpcId,
    vpcNotFound,
  ),
  kind(
    'subnet-',
    'subnet',
    (ctx) => ctx.tables.subnets,
    (r) => r.subnetId,
    subnetNotFound,
  ),
  kind(
    'sg-',
    'security-group',
    (ctx) => ctx.tables.securityGroups,
    (r) => r.groupId,
    securityGroupNotFound,
  ),
];

interface Target {
  key: string;
  table: Table<Tagged>;
  record: Tagged;
}

function requireTargets(ctx: Ec2Context, scope: Scope, ids: readonly string[]): Target[] {
  defaultNetwork(ctx, scope);
  return [...new Set(ids)].map((id) => {
    const kind = KINDS.find((candidate) => id.startsWith(candidate.prefix));
    if (!kind) throw invalidResourceId(id);
    const table = kind.table(ctx);
    const key = resourceKey(scope, id);
    const record = table.get(key);
    if (!record) throw kind.notFound(id);
    return { key, table, record };
  });
}

const TAG_FILTERS: FilterFields<TagDescription> = {
  key: (tag) => [tag.Key],
  value: (tag) => [tag.Value],
  'resource-id': (tag) => [tag.ResourceId],
  'resource-type': (tag) => [tag.ResourceType],
};

export function tagOperations(ctx: Ec2Context) {
  const CreateTags: OperationHandler<CreateTagsRequest, Record<string, never>> = (input, request) => {
    const tags = userTags(input.Tags);
    const targets = requireTargets(ctx, scopeOf(request), input.Resources ?? []);
    const changed = targets.map((target) => ({ ...target, tags: mergeTags(target.record.tags, tags) }));
    ctx.store.transaction(() => {
      for (const { key, table, record, tags: next } of changed) table.put(key, { ...record, tags: next });
    });
    return {};
  };

  const DeleteTags: OperationHandler<DeleteTagsRequest, Record<string, never>> = (input, request) => {
    if (input.Tags?.some((tag) => (tag.Key ?? '').toLowerCase().startsWith('aws:'))) throw reservedTagKey();
    const targets = requireTargets(ctx, scopeOf(request), input.Resources ?? []);
    ctx.store.transaction(() => {
      for (const { key, table, record } of targets) {
        // Without Tags, every tag the caller could have written goes; `aws:` tags stay.
        const next =
          input.Tags === undefined || input.Tags.length === 0
            ? record.tags.filter((tag) => tag.Key.startsWith('aws:'))
            : removeTags(record.tags, input.Tags);
        table.put(key, { ...record, tags: next });
      }
    });
    return {};
  };

  const DescribeTags: OperationHandler<DescribeTagsRequest, DescribeTagsResult> = (input, request) => {
    const scope = scopeOf(request);
    defaultNetwork(ctx, scope);
    const descriptions: TagDescription[] = [];
    for (const kind of KINDS) {
      for (const record of kind.table(ctx).withPrefix(scopePrefix(scope))) {
        for (const tag of record.tags) {
          descriptions.push({
            ResourceId: kind.idOf(record),
            ResourceType: kind.resourceType,
            Key: tag.Key,
            Value: tag.Value,
          });
        }
      }
    }
    const tagsOf = (tag: TagDescription) => [{ Key: tag.Key, Value: tag.Value }];
    const matching = applyFilters(descriptions, input.Filters, TAG_FILTERS, tagsOf);
    const keyOf = (tag: TagDescription) => `${tag.ResourceId}\u0000${tag.Key}`;
    const page = pageOf(sortedBy(matching, keyOf), keyOf, input.MaxResults, input.NextToken, { min: 5, max: 1000 });
    return { Tags: page.items, NextToken: page.nextToken };
  };

  return { CreateTags, DeleteTags, DescribeTags };
}
