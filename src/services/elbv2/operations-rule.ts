/**
 * ELBv2 wire adapter for ALB listener rules (C.5): Create (priority 1–50000, unique per listener:
 * PriorityInUse), Describe (by listener, in priority order with the default rule last, or by ARNs),
 * Modify (conditions and actions replaced wholesale; the default rule's actions only), Delete
 * (never the default rule) and SetRulePriorities (atomic: the final priorities must be unique).
 */
import type { RequestContext } from '../../kernel/operation.js';
import type { WireAction } from './action.js';
import { resourceId, ruleArn } from './arns.js';
import {
  requireListener,
  requireLoadBalancer,
  requireRule,
  rulesOfListener,
  rulesOfLoadBalancer,
  scopeOf,
  type Elbv2Context,
  type FoundRule,
} from './context.js';
import { defaultRuleOperation, invalidConfiguration, priorityInUse, tooManyRules, validationError } from './errors.js';
import { LIMITS } from './limits.js';
import { byPriority, defaultRuleToWire, ruleToWire, type ListenerRecord, type RuleRecord } from './listener.js';
import { listenerActions } from './operations-listener.js';
import { pageOf } from './paging.js';
import { conditionsFromWire, type WireCondition } from './rule-condition.js';
import { tagsFromWire, type WireTag } from './tags.js';
import type { Scope } from './ports.js';

interface CreateRuleInput {
  ListenerArn: string;
  Conditions: WireCondition[];
  Priority: number;
  Actions: WireAction[];
  Tags?: WireTag[];
  Transforms?: unknown[];
}

type WireRule = ReturnType<typeof ruleToWire> | ReturnType<typeof defaultRuleToWire>;

export function ruleOperations(ctx: Elbv2Context) {
  const toWire = (found: FoundRule): WireRule =>
    found.kind === 'rule' ? ruleToWire(found.rule) : defaultRuleToWire(found.listener);

  return {
    CreateRule: (input: CreateRuleInput, request: RequestContext) => {
      const scope = scopeOf(request);
      const listener = requireListener(ctx, scope, input.ListenerArn);
      const lb = requireLoadBalancer(ctx, scope, listener.loadBalancerArn);
      if (lb.type !== 'application') {
        throw invalidConfiguration('Rules can be added only to listeners of Application Load Balancers');
      }
      rejectTransforms(input.Transforms);
      checkPriority(input.Priority);
      const conditions = conditionsFromWire(input.Conditions);
      const actions = listenerActions(ctx, scope, lb, input.Actions);
      if (rulesOfListener(ctx, listener.listenerArn).some((rule) => rule.priority === input.Priority)) {
        throw priorityInUse(input.Priority);
      }
      if (rulesOfLoadBalancer(ctx, lb.loadBalancerArn).length >= LIMITS.rulesPerApplicationLoadBalancer) {
        throw tooManyRules(LIMITS.rulesPerApplicationLoadBalancer);
      }
      const record: RuleRecord = {
        accountId: scope.accountId,
        region: scope.region,
        ruleArn: ruleArn(listener.listenerArn, resourceId(ctx.random)),
        listenerArn: listener.listenerArn,
        loadBalancerArn: lb.loadBalancerArn,
        priority: input.Priority,
        conditions,
        actions,
        tags: tagsFromWire(input.Tags),
        createdAtMs: ctx.clock.now(),
      };
      ctx.tables.rules.put(record.ruleArn, record);
      return { Rules: [ruleToWire(record)] };
    },

    DescribeRules: (
      input: { ListenerArn?: string; RuleArns?: string[]; Marker?: string; PageSize?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      let found: FoundRule[];
      if (input.RuleArns?.length) {
        if (input.ListenerArn !== undefined) {
          throw validationError('A listener ARN and rule ARNs cannot be specified at the same time');
        }
        found = input.RuleArns.map((arn) => requireRule(ctx, scope, arn));
      } else if (input.ListenerArn !== undefined) {
        const listener = requireListener(ctx, scope, input.ListenerArn);
        found = [
          ...rulesOfListener(ctx, listener.listenerArn)
            .sort(byPriority)
            .map((rule): FoundRule => ({ kind: 'rule', rule })),
          { kind: 'default', listener },
        ];
      } else {
        throw validationError('You must specify either listener rule ARNs or a listener ARN');
      }
      // Page keys follow priority order, the default rule last.
      const keyOf = (item: FoundRule) =>
        item.kind === 'rule' ? `${String(item.rule.priority).padStart(5, '0')}|${item.rule.ruleArn}` : '99999|default';
      const keyed = input.RuleArns?.length ? [...found].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)) : found;
      const page = pageOf(keyed, keyOf, input.PageSize, input.Marker);
      return { Rules: page.items.map(toWire), NextMarker: page.nextMarker };
    },

    ModifyRule: (
      input: { RuleArn: string; Conditions?: WireCondition[]; Actions?: WireAction[]; Transforms?: unknown[] },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      rejectTransforms(input.Transforms);
      const found = requireRule(ctx, scope, input.RuleArn);
      if (found.kind === 'default') {
        if (input.Conditions !== undefined && input.Conditions.length > 0) {
          throw defaultRuleOperation('given conditions');
        }
        const listener = modifyDefaultRule(ctx, scope, found.listener, input.Actions);
        return { Rules: [defaultRuleToWire(listener)] };
      }
      const rule = found.rule;
      const lb = requireLoadBalancer(ctx, scope, rule.loadBalancerArn);
      const next: RuleRecord = {
        ...rule,
        conditions: input.Conditions !== undefined ? conditionsFromWire(input.Conditions) : rule.conditions,
        actions: input.Actions !== undefined ? listenerActions(ctx, scope, lb, input.Actions) : rule.actions,
      };
      ctx.tables.rules.put(rule.ruleArn, next);
      return { Rules: [ruleToWire(next)] };
    },

    DeleteRule: (input: { RuleArn: string }, request: RequestContext) => {
      const found = requireRule(ctx, scopeOf(request), input.RuleArn);
      if (found.kind === 'default') throw defaultRuleOperation('deleted');
      ctx.tables.rules.delete(found.rule.ruleArn);
      return {};
    },

    SetRulePriorities: (
      input: { RulePriorities: Array<{ RuleArn?: string; Priority?: number }> },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const changes = input.RulePriorities.map((pair) => {
        const found = requireRule(ctx, scope, pair.RuleArn ?? '');
        if (found.kind === 'default') throw defaultRuleOperation('given a priority');
        if (pair.Priority === undefined) throw validationError('A priority must be specified for each rule');
        checkPriority(pair.Priority);
        return { rule: found.rule, priority: pair.Priority };
      });
      const updated = new Map(
        changes.map((change) => [change.rule.ruleArn, { ...change.rule, priority: change.priority }]),
      );
      // Atomic: only the priorities after every change must be unique, per listener.
      for (const listenerArn of new Set(changes.map((change) => change.rule.listenerArn))) {
        const seen = new Set<number>();
        for (const rule of rulesOfListener(ctx, listenerArn)) {
          const priority = updated.get(rule.ruleArn)?.priority ?? rule.priority;
          if (seen.has(priority)) throw priorityInUse(priority);
          seen.add(priority);
        }
      }
      ctx.store.transaction(() => {
        for (const rule of updated.values()) ctx.tables.rules.put(rule.ruleArn, rule);
      });
      return { Rules: [...updated.values()].sort(byPriority).map(ruleToWire) };
    },
  };
}

function modifyDefaultRule(
  ctx: Elbv2Context,
  scope: Scope,
  listener: ListenerRecord,
  actions: WireAction[] | undefined,
): ListenerRecord {
  if (actions === undefined) return listener;
  const lb = requireLoadBalancer(ctx, scope, listener.loadBalancerArn);
  const next = { ...listener, defaultActions: listenerActions(ctx, scope, lb, actions) };
  ctx.tables.listeners.put(listener.listenerArn, next);
  return next;
}

function checkPriority(priority: number): void {
  if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
    throw validationError(`Priority '${priority}' must be between 1 and 50000`);
  }
}

function rejectTransforms(transforms: unknown[] | undefined): void {
  if (transforms !== undefined && transforms.length > 0)
    throw validationError('drydock does not support rule transforms');
}
