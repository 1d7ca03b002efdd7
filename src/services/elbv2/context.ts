/**
 * What ELBv2's operations, controllers and data-plane adapters share: the tables, the clock, the
 * ids stream, the ports, and two runtime facts that live in memory because they do not outlive
 * the process (sockets close with it): active connection / request counts per target, and each
 * listener's bind state. `require*` lookups throw AWS's not-found errors; `usage*` answers which
 * load balancers forward to which target groups.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { forwardedTargetGroups } from './action.js';
import { arnPrefix, inScope, parseElbArn, scopeOfArn, type ArnKind } from './arns.js';
import { invalidArn, listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound } from './errors.js';
import type { ListenerRecord, RuleRecord } from './listener.js';
import type { LoadBalancerRecord } from './load-balancer.js';
import type { Elbv2Ports, Scope } from './ports.js';
import { ADDRESS_ALLOCATOR_KEY, elbv2Tables, type Elbv2Tables } from './store.js';
import type { TargetGroupRecord } from './target-group.js';
import { loadBalancerAddress } from './load-balancer.js';

export interface ListenerBindState {
  state: 'bound' | 'binding' | 'failed';
  message?: string;
  /** Where the data plane really listens: the listener's port, or higher under --privileged-port-offset. */
  boundPort?: number;
}

export interface Elbv2Context {
  store: Store;
  clock: Clock;
  /** ARNs and DNS-name ids. */
  random: Random;
  logger: Logger;
  ports: Elbv2Ports;
  tables: Elbv2Tables;
  /** Open connections (NLB) or in-flight requests (ALB) per target key, as the data plane reports them. */
  activity: Map<string, number>;
  listenerStates: Map<string, ListenerBindState>;
}

export function createContext(deps: Omit<Elbv2Context, 'tables' | 'activity' | 'listenerStates'>): Elbv2Context {
  return { ...deps, tables: elbv2Tables(deps.store), activity: new Map(), listenerStates: new Map() };
}

const ARN_WORDS: Record<ArnKind, string> = {
  loadbalancer: 'load balancer',
  listener: 'listener',
  'listener-rule': 'listener rule',
  targetgroup: 'target group',
};

/** Throws ValidationError unless text is an ARN of that kind; returns whether it is in the caller's scope. */
export function checkArn(text: string, kind: ArnKind, scope: Scope): boolean {
  const parsed = parseElbArn(text);
  if (parsed?.kind !== kind) throw invalidArn(text, ARN_WORDS[kind]);
  return inScope(parsed, scope);
}

export function requireLoadBalancer(ctx: Elbv2Context, scope: Scope, arn: string): LoadBalancerRecord {
  const found = checkArn(arn, 'loadbalancer', scope) ? ctx.tables.loadBalancers.get(arn) : undefined;
  if (!found) throw loadBalancerNotFound();
  return found;
}

export function requireListener(ctx: Elbv2Context, scope: Scope, arn: string): ListenerRecord {
  const found = checkArn(arn, 'listener', scope) ? ctx.tables.listeners.get(arn) : undefined;
  if (!found) throw listenerNotFound();
  return found;
}

export function requireTargetGroup(ctx: Elbv2Context, scope: Scope, arn: string): TargetGroupRecord {
  const found = checkArn(arn, 'targetgroup', scope) ? ctx.tables.targetGroups.get(arn) : undefined;
  if (!found) throw targetGroupNotFound();
  return found;
}

export type FoundRule = { kind: 'rule'; rule: RuleRecord } | { kind: 'default'; listener: ListenerRecord };

/** A rule, or the default rule of a listener (which lives in the listener's document). */
export function requireRule(ctx: Elbv2Context, scope: Scope, arn: string): FoundRule {
  if (!checkArn(arn, 'listener-rule', scope)) throw ruleNotFound();
  const rule = ctx.tables.rules.get(arn);
  if (rule) return { kind: 'rule', rule };
  // The default rule's ARN is a rule ARN under its listener's: listener-rule/…/<listener-id>/<id>.
  const listenerArn = arn.replace(':listener-rule/', ':listener/').replace(/\/[0-9a-f]{16}$/, '');
  const listener = ctx.tables.listeners.get(listenerArn);
  if (listener?.defaultRuleArn === arn) return { kind: 'default', listener };
  throw ruleNotFound();
}

export function findTargetGroupInScope(ctx: Elbv2Context, scope: Scope, arn: string): TargetGroupRecord | undefined {
  return inScope(parseElbArn(arn), scope) ? ctx.tables.targetGroups.get(arn) : undefined;
}

export function listenersOf(ctx: Elbv2Context, loadBalancerArn: string): ListenerRecord[] {
  return ctx.tables.listeners.withPrefix(`${loadBalancerArn.replace(':loadbalancer/', ':listener/')}/`);
}

export function rulesOfListener(ctx: Elbv2Context, listenerArn: string): RuleRecord[] {
  return ctx.tables.rules.withPrefix(`${listenerArn.replace(':listener/', ':listener-rule/')}/`);
}

export function rulesOfLoadBalancer(ctx: Elbv2Context, loadBalancerArn: string): RuleRecord[] {
  return ctx.tables.rules.withPrefix(`${loadBalancerArn.replace(':loadbalancer/', ':listener-rule/')}/`);
}

/** Target group ARN → the load balancers whose listeners or rules forward to it, in one scope. */
export function targetGroupUsage(ctx: Elbv2Context, scope: Scope): Map<string, Set<string>> {
  const usage = new Map<string, Set<string>>();
  const note = (targetGroupArn: string, loadBalancerArn: string) => {
    const set = usage.get(targetGroupArn) ?? new Set<string>();
    set.add(loadBalancerArn);
    usage.set(targetGroupArn, set);
  };
  for (const listener of ctx.tables.listeners.withPrefix(arnPrefix(scope, 'listener'))) {
    for (const arn of forwardedTargetGroups(listener.defaultActions)) note(arn, listener.loadBalancerArn);
  }
  for (const rule of ctx.tables.rules.withPrefix(arnPrefix(scope, 'listener-rule'))) {
    for (const arn of forwardedTargetGroups(rule.actions)) note(arn, rule.loadBalancerArn);
  }
  return usage;
}

export function loadBalancerArnsOf(ctx: Elbv2Context, targetGroupArn: string): string[] {
  const scope = scopeOfArn(targetGroupArn);
  if (!scope) return [];
  return [...(targetGroupUsage(ctx, scope).get(targetGroupArn) ?? [])].sort();
}

/** The next load-balancer loopback address; the allocator only moves forward. */
export function allocateAddress(ctx: Elbv2Context): string {
  const current = ctx.tables.addresses.get(ADDRESS_ALLOCATOR_KEY)?.lastIndex ?? 0;
  ctx.tables.addresses.put(ADDRESS_ALLOCATOR_KEY, { lastIndex: current + 1 });
  return loadBalancerAddress(current + 1);
}

export function scopeOf(ctx: { accountId: string; region: string }): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}
