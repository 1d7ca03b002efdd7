/**
 * Listener and Rule: what a load balancer listens on (ALB: HTTP; NLB: TCP) and how it decides.
 * Each listener has a default rule (priority `default`, `IsDefault`, no conditions) whose actions
 * are the listener's default actions; ALB listeners add rules with priorities 1–50000, unique per
 * listener, evaluated lowest first (C.5).
 */
import type { ActionRecord } from './action.js';
import { actionToWire } from './action.js';
import type { ConditionRecord } from './rule-condition.js';
import { conditionToWire } from './rule-condition.js';
import type { TagRecord } from './tags.js';

export interface ListenerRecord {
  accountId: string;
  region: string;
  listenerArn: string;
  loadBalancerArn: string;
  protocol: 'HTTP' | 'TCP';
  port: number;
  defaultActions: ActionRecord[];
  /** The ARN DescribeRules gives the default rule. */
  defaultRuleArn: string;
  tags: TagRecord[];
  createdAtMs: number;
}

export interface RuleRecord {
  accountId: string;
  region: string;
  ruleArn: string;
  listenerArn: string;
  loadBalancerArn: string;
  priority: number;
  conditions: ConditionRecord[];
  actions: ActionRecord[];
  tags: TagRecord[];
  createdAtMs: number;
}

export function listenerToWire(record: ListenerRecord) {
  return {
    ListenerArn: record.listenerArn,
    LoadBalancerArn: record.loadBalancerArn,
    Port: record.port,
    Protocol: record.protocol,
    DefaultActions: record.defaultActions.map(actionToWire),
  };
}

export function ruleToWire(record: RuleRecord) {
  return {
    RuleArn: record.ruleArn,
    Priority: String(record.priority),
    Conditions: record.conditions.map(conditionToWire),
    Actions: record.actions.map(actionToWire),
    IsDefault: false,
  };
}

export function defaultRuleToWire(listener: ListenerRecord) {
  return {
    RuleArn: listener.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: listener.defaultActions.map(actionToWire),
    IsDefault: true,
  };
}

export function byPriority(a: RuleRecord, b: RuleRecord): number {
  return a.priority - b.priority;
}
