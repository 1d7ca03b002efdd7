/**
 * EventBridge wire adapter for rules: PutRule, DescribeRule, ListRules, DeleteRule, EnableRule,
 * DisableRule and ListRuleNamesByTarget (`M:ev`, aws-semantics.md E.3). PutRule checks its
 * pattern with the full pattern language and its schedule with the schedule grammar, and
 * replaces the rule (omitted settings are cleared; targets stay).
 */
import type { RequestContext } from '../../kernel/operation.js';
import { requireBus, requireRule, scopeOf, type EventsContext } from './context.js';
import {
  invalidScheduleExpression,
  limitExceeded,
  patternOrScheduleRequired,
  ruleHasTargets,
  scheduleOnCustomBus,
} from './errors.js';
import { busNameOf, DEFAULT_BUS } from './event-bus.js';
import { compiledPattern } from './event-router.js';
import { pageOf } from './paging.js';
import { MAX_RULES_PER_BUS, ruleArn, ruleKey, rulePrefix, type RuleRecord, type RuleState } from './rule.js';
import { parseScheduleExpression } from './schedule-expression.js';

interface PutRuleInput {
  Name: string;
  ScheduleExpression?: string;
  EventPattern?: string;
  State?: RuleState;
  Description?: string;
  RoleArn?: string;
  Tags?: Array<{ Key: string; Value: string }>;
  EventBusName?: string;
}

/** The Rule shape of ListRules (DescribeRule adds CreatedBy). */
function ruleShape(rule: RuleRecord) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: rule.busName,
  };
}

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

export function ruleOperations(ctx: EventsContext) {
  return {
    PutRule: (input: PutRuleInput, request: RequestContext) => {
      const scope = scopeOf(request);
      const busName = busNameOf(scope, input.EventBusName);
      if (!present(input.EventPattern) && !present(input.ScheduleExpression)) throw patternOrScheduleRequired();
      if (present(input.ScheduleExpression)) {
        if (busName !== DEFAULT_BUS) throw scheduleOnCustomBus();
        if (!parseScheduleExpression(input.ScheduleExpression)) throw invalidScheduleExpression();
      }
      if (present(input.EventPattern)) compiledPattern(ctx, input.EventPattern);
      return ctx.store.transaction(() => {
        requireBus(ctx, scope, busName);
        const key = ruleKey(scope, busName, input.Name);
        const existing = ctx.tables.rules.get(key);
        if (!existing && ctx.tables.rules.withPrefix(rulePrefix(scope, busName)).length >= MAX_RULES_PER_BUS) {
          throw limitExceeded();
        }
        const state = input.State ?? 'ENABLED';
        const schedule = present(input.ScheduleExpression) ? input.ScheduleExpression : undefined;
        // A schedule counts from when it was set, or from when its rule was enabled again.
        const restart =
          !existing ||
          existing.scheduleExpression !== schedule ||
          (existing.state === 'DISABLED' && state !== 'DISABLED');
        const rule: RuleRecord = {
          name: input.Name,
          busName,
          accountId: scope.accountId,
          region: scope.region,
          arn: ruleArn(scope, busName, input.Name),
          state,
          createdBy: existing?.createdBy ?? scope.accountId,
          targets: existing?.targets ?? [],
          ...(present(input.EventPattern) ? { eventPattern: input.EventPattern } : {}),
          ...(schedule !== undefined ? { scheduleExpression: schedule } : {}),
          ...(schedule !== undefined
            ? { scheduleAnchorMs: restart ? ctx.clock.now() : (existing?.scheduleAnchorMs ?? ctx.clock.now()) }
            : {}),
          ...(input.Description !== undefined ? { description: input.Description } : {}),
          ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
          ...((existing?.tags ?? input.Tags) ? { tags: existing?.tags ?? input.Tags } : {}),
        };
        ctx.tables.rules.put(key, rule);
        return { RuleArn: rule.arn };
      });
    },

    DescribeRule: (input: { Name: string; EventBusName?: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      const rule = requireRule(ctx, scope, busNameOf(scope, input.EventBusName), input.Name);
      return { ...ruleShape(rule), CreatedBy: rule.createdBy };
    },

    ListRules: (
      input: { NamePrefix?: string; EventBusName?: string; NextToken?: string; Limit?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const busName = busNameOf(scope, input.EventBusName);
      requireBus(ctx, scope, busName);
      const rules = ctx.tables.rules
        .withPrefix(rulePrefix(scope, busName))
        .filter((rule) => input.NamePrefix === undefined || rule.name.startsWith(input.NamePrefix));
      const page = pageOf(rules, (rule) => rule.name, input.Limit, input.NextToken);
      return { Rules: page.items.map(ruleShape), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },

    DeleteRule: (input: { Name: string; EventBusName?: string; Force?: boolean }, request: RequestContext) => {
      const scope = scopeOf(request);
      const busName = busNameOf(scope, input.EventBusName);
      requireBus(ctx, scope, busName);
      const key = ruleKey(scope, busName, input.Name);
      const rule = ctx.tables.rules.get(key);
      // Deleting a rule that does not exist succeeds, as AWS's does.
      if (!rule) return {};
      // Force is for rules AWS services manage; it does not delete targets.
      if (rule.targets.length > 0) throw ruleHasTargets();
      ctx.tables.rules.delete(key);
      return {};
    },

    EnableRule: (input: { Name: string; EventBusName?: string }, request: RequestContext) =>
      setState(ctx, scopeOf(request), input, 'ENABLED'),

    DisableRule: (input: { Name: string; EventBusName?: string }, request: RequestContext) =>
      setState(ctx, scopeOf(request), input, 'DISABLED'),

    ListRuleNamesByTarget: (
      input: { TargetArn: string; EventBusName?: string; NextToken?: string; Limit?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const busName = busNameOf(scope, input.EventBusName);
      requireBus(ctx, scope, busName);
      const names = ctx.tables.rules
        .withPrefix(rulePrefix(scope, busName))
        .filter((rule) => rule.targets.some((target) => target.Arn === input.TargetArn))
        .map((rule) => rule.name);
      const page = pageOf(names, (name) => name, input.Limit, input.NextToken);
      return { RuleNames: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
  };
}

function setState(
  ctx: EventsContext,
  scope: { accountId: string; region: string },
  input: { Name: string; EventBusName?: string },
  state: RuleState,
) {
  const busName = busNameOf(scope, input.EventBusName);
  const rule = requireRule(ctx, scope, busName, input.Name);
  if (rule.state === state) return {};
  const restart = state !== 'DISABLED' && rule.state === 'DISABLED' && rule.scheduleExpression !== undefined;
  ctx.tables.rules.put(ruleKey(scope, busName, input.Name), {
    ...rule,
    state,
    ...(restart ? { scheduleAnchorMs: ctx.clock.now() } : {}),
  });
  return {};
}
