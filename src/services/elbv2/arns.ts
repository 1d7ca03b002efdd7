/**
 * ELBv2 resource ARNs in AWS's layout: `loadbalancer/app|net/<name>/<id>`,
 * `listener/app|net/<lb-name>/<lb-id>/<id>`, `listener-rule/app/<lb-name>/<lb-id>/<listener-id>/<id>`,
 * `targetgroup/<name>/<id>`, ids being 16 lowercase hex digits from the seeded Random. An ARN
 * carries its account and region, so the data plane's calls (which name only ARNs) find their scope.
 */
import { arn } from '../../kernel/ids.js';
import type { Random } from '../../kernel/random.js';
import type { Scope } from './ports.js';

export type LoadBalancerType = 'application' | 'network';

const SERVICE = 'elasticloadbalancing';
const ARN_HEAD = /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):(\d{12}):(.+)$/;

export function resourceId(random: Random): string {
  return random.hex(16);
}

export function typeSegment(type: LoadBalancerType): 'app' | 'net' {
  return type === 'application' ? 'app' : 'net';
}

export function loadBalancerArn(scope: Scope, type: LoadBalancerType, name: string, id: string): string {
  return arn({ service: SERVICE, ...scope, resource: `loadbalancer/${typeSegment(type)}/${name}/${id}` });
}

/** A listener's ARN extends its load balancer's (`loadbalancer/…` → `listener/…/<id>`). */
export function listenerArn(loadBalancerArnValue: string, id: string): string {
  return `${loadBalancerArnValue.replace(':loadbalancer/', ':listener/')}/${id}`;
}

export function ruleArn(listenerArnValue: string, id: string): string {
  return `${listenerArnValue.replace(':listener/', ':listener-rule/')}/${id}`;
}

export function targetGroupArn(scope: Scope, name: string, id: string): string {
  return arn({ service: SERVICE, ...scope, resource: `targetgroup/${name}/${id}` });
}

export type ArnKind = 'loadbalancer' | 'listener' | 'listener-rule' | 'targetgroup';

const RESOURCE_PATTERNS: Record<ArnKind, RegExp> = {
  loadbalancer: /^loadbalancer\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
  listener: /^listener\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
  'listener-rule': /^listener-rule\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
  targetgroup: /^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
};

export interface ParsedArn extends Scope {
  kind: ArnKind;
}

/** The kind and scope of an ELBv2 ARN, or undefined when text is not one. */
export function parseElbArn(text: string): ParsedArn | undefined {
  const match = ARN_HEAD.exec(text);
  if (!match) return undefined;
  const [, , region = '', accountId = '', resource = ''] = match;
  for (const kind of Object.keys(RESOURCE_PATTERNS) as ArnKind[]) {
    if (RESOURCE_PATTERNS[kind].test(resource)) return { kind, region, accountId };
  }
  return undefined;
}

export function isArnOf(text: string, kind: ArnKind): boolean {
  return parseElbArn(text)?.kind === kind;
}

export function inScope(parsed: ParsedArn | undefined, scope: Scope): boolean {
  return parsed !== undefined && parsed.accountId === scope.accountId && parsed.region === scope.region;
}

/** The account and region an ELBv2 ARN lives in (for calls from the data plane, which name ARNs only). */
export function scopeOfArn(text: string): Scope | undefined {
  const match = ARN_HEAD.exec(text);
  return match ? { region: match[2] ?? '', accountId: match[3] ?? '' } : undefined;
}

/** Key prefix of every ARN of one kind in a scope (tables are keyed by ARN). */
export function arnPrefix(scope: Scope, kind: ArnKind): string {
  return `arn:aws:${SERVICE}:${scope.region}:${scope.accountId}:${kind}/`;
}
