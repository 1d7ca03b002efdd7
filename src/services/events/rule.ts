/**
 * Rules (`M:ev` Rule, aws-semantics.md E.3): a pattern or a schedule on a bus, a state, and up to
 * five targets. PutRule replaces the rule's settings wholesale (what the call omits is cleared)
 * but keeps its targets. Rule ARNs are `…:rule/<name>` on the default bus and
 * `…:rule/<bus>/<name>` on a custom bus.
 */
import { arn } from '../../kernel/ids.js';
import { DEFAULT_BUS } from './event-bus.js';
import type { EventsScope } from './ports.js';
import type { TargetRecord } from './target.js';

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** UNCONFIRMED: the rules-per-bus quota is adjustable; 300 is the common default (E.3, G). */
export const MAX_RULES_PER_BUS = 300;

export interface RuleRecord {
  name: string;
  busName: string;
  accountId: string;
  region: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  createdBy: string;
  targets: TargetRecord[];
  /** Scheduled rules count their periods from here: creation, a new schedule, or re-enabling. */
  scheduleAnchorMs?: number;
  tags?: Array<{ Key: string; Value: string }>;
}

export function ruleArn(scope: EventsScope, busName: string, name: string): string {
  const resource = busName === DEFAULT_BUS ? `rule/${name}` : `rule/${busName}/${name}`;
  return arn({ service: 'events', region: scope.region, accountId: scope.accountId, resource });
}

/** `<account>|<region>|<bus>|<name>`: one bus's rules are one prefix scan, in name order. */
export function ruleKey(scope: EventsScope, busName: string, name: string): string {
  return `${scope.accountId}|${scope.region}|${busName}|${name}`;
}

export function rulePrefix(scope: EventsScope, busName: string): string {
  return `${scope.accountId}|${scope.region}|${busName}|`;
}

/** Rules in these states see events (the CloudTrail variant is ENABLED plus management events). */
export function isEnabled(rule: RuleRecord): boolean {
  return rule.state !== 'DISABLED';
}
