/**
 * ELBv2 wire adapter for tags: AddTags, RemoveTags and DescribeTags on load balancers,
 * listeners, rules and target groups (by ARN; up to 20 per call, as the model allows). A
 * resource that does not exist answers its own not-found error.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { parseElbArn } from './arns.js';
import {
  requireListener,
  requireLoadBalancer,
  requireRule,
  requireTargetGroup,
  scopeOf,
  type Elbv2Context,
} from './context.js';
import { defaultRuleOperation, validationError } from './errors.js';
import type { Scope } from './ports.js';
import { addTags, removeTags, tagsFromWire, tagsToWire, type TagRecord, type WireTag } from './tags.js';

interface Tagged {
  tags: TagRecord[];
  save(tags: TagRecord[]): void;
}

function taggedResource(ctx: Elbv2Context, scope: Scope, arn: string): Tagged {
  switch (parseElbArn(arn)?.kind) {
    case 'loadbalancer': {
      const lb = requireLoadBalancer(ctx, scope, arn);
      return { tags: lb.tags, save: (tags) => ctx.tables.loadBalancers.put(arn, { ...lb, tags }) };
    }
    case 'listener': {
      const listener = requireListener(ctx, scope, arn);
      return { tags: listener.tags, save: (tags) => ctx.tables.listeners.put(arn, { ...listener, tags }) };
    }
    case 'listener-rule': {
      const found = requireRule(ctx, scope, arn);
      if (found.kind === 'default') throw defaultRuleOperation('tagged');
      const rule = found.rule;
      return { tags: rule.tags, save: (tags) => ctx.tables.rules.put(arn, { ...rule, tags }) };
    }
    case 'targetgroup': {
      const group = requireTargetGroup(ctx, scope, arn);
      return { tags: group.tags, save: (tags) => ctx.tables.targetGroups.put(arn, { ...group, tags }) };
    }
    default:
      throw validationError(`'${arn}' is not a valid Elastic Load Balancing resource ARN`);
  }
}

export function tagOperations(ctx: Elbv2Context) {
  return {
    AddTags: (input: { ResourceArns: string[]; Tags: WireTag[] }, request: RequestContext) => {
      const scope = scopeOf(request);
      const added = tagsFromWire(input.Tags);
      const resources = input.ResourceArns.map((arn) => taggedResource(ctx, scope, arn));
      const updates = resources.map((resource) => ({ resource, tags: addTags(resource.tags, added) }));
      ctx.store.transaction(() => {
        for (const update of updates) update.resource.save(update.tags);
      });
      return {};
    },

    RemoveTags: (input: { ResourceArns: string[]; TagKeys: string[] }, request: RequestContext) => {
      const scope = scopeOf(request);
      const resources = input.ResourceArns.map((arn) => taggedResource(ctx, scope, arn));
      ctx.store.transaction(() => {
        for (const resource of resources) resource.save(removeTags(resource.tags, input.TagKeys));
      });
      return {};
    },

    DescribeTags: (input: { ResourceArns: string[] }, request: RequestContext) => {
      const scope = scopeOf(request);
      return {
        TagDescriptions: input.ResourceArns.map((arn) => ({
          ResourceArn: arn,
          Tags: tagsToWire(taggedResource(ctx, scope, arn).tags),
        })),
      };
    },
  };
}
