/**
 * ELBv2 wire adapter for load balancers: Create (idempotent for the same settings, as AWS is),
 * Describe (by ARNs or names, paged), Delete (succeeds for one already gone; its listeners and
 * rules go with it), Describe/ModifyLoadBalancerAttributes. Subnets are looked up through the
 * optional SubnetsPort; without it a well-formed id is accepted and its zone derived (documented
 * in ports.ts).
 */
import type { RequestContext } from '../../kernel/operation.js';
import { arnPrefix, loadBalancerArn, resourceId, type LoadBalancerType } from './arns.js';
import {
  APPLICATION_LOAD_BALANCER_ATTRIBUTES,
  attributesToWire,
  defaultAttributes,
  modifyAttributes,
  NETWORK_LOAD_BALANCER_ATTRIBUTES,
  type WireAttribute,
} from './attributes.js';
import {
  allocateAddress,
  checkArn,
  listenersOf,
  requireLoadBalancer,
  rulesOfLoadBalancer,
  scopeOf,
  type Elbv2Context,
} from './context.js';
import {
  deletionProtected,
  duplicateLoadBalancerName,
  invalidConfiguration,
  loadBalancersNamedNotFound,
  subnetNotFound,
  tooManyLoadBalancers,
  validationError,
} from './errors.js';
import { LIMITS } from './limits.js';
import {
  canonicalHostedZoneId,
  checkLoadBalancerName,
  dnsName,
  loadBalancerToWire,
  PROVISIONING_MS,
  type AvailabilityZoneRecord,
  type LoadBalancerRecord,
} from './load-balancer.js';
import { pageOf } from './paging.js';
import type { Scope } from './ports.js';
import { tagsFromWire, type WireTag } from './tags.js';

interface CreateLoadBalancerInput {
  Name: string;
  Subnets?: string[];
  SubnetMappings?: Array<{ SubnetId?: string }>;
  SecurityGroups?: string[];
  Scheme?: 'internet-facing' | 'internal';
  Tags?: WireTag[];
  Type?: string;
  IpAddressType?: LoadBalancerRecord['ipAddressType'];
}

export function loadBalancerOperations(ctx: Elbv2Context) {
  return {
    CreateLoadBalancer: (input: CreateLoadBalancerInput, request: RequestContext) => ({
      LoadBalancers: [loadBalancerToWire(createLoadBalancer(ctx, scopeOf(request), input))],
    }),

    DescribeLoadBalancers: (
      input: { LoadBalancerArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      if (input.LoadBalancerArns?.length && input.Names?.length) {
        throw validationError('Load balancer names and load balancer ARNs cannot be specified at the same time');
      }
      let found = ctx.tables.loadBalancers.withPrefix(arnPrefix(scope, 'loadbalancer'));
      if (input.LoadBalancerArns?.length) {
        const wanted = input.LoadBalancerArns.map((arn) => requireLoadBalancer(ctx, scope, arn).loadBalancerArn);
        found = found.filter((lb) => wanted.includes(lb.loadBalancerArn));
      } else if (input.Names?.length) {
        const missing = input.Names.filter((name) => !found.some((lb) => lb.name === name));
        if (missing.length > 0) throw loadBalancersNamedNotFound(missing);
        found = found.filter((lb) => input.Names!.includes(lb.name));
      }
      const page = pageOf(found, (lb) => lb.loadBalancerArn, input.PageSize, input.Marker);
      return { LoadBalancers: page.items.map(loadBalancerToWire), NextMarker: page.nextMarker };
    },

    DeleteLoadBalancer: (input: { LoadBalancerArn: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      // AWS: deleting a load balancer that does not exist (any more) succeeds.
      const lb = checkArn(input.LoadBalancerArn, 'loadbalancer', scope)
        ? ctx.tables.loadBalancers.get(input.LoadBalancerArn)
        : undefined;
      if (!lb) return {};
      if (lb.attributes['deletion_protection.enabled'] === 'true') throw deletionProtected(lb.loadBalancerArn);
      ctx.store.transaction(() => {
        for (const rule of rulesOfLoadBalancer(ctx, lb.loadBalancerArn)) ctx.tables.rules.delete(rule.ruleArn);
        for (const listener of listenersOf(ctx, lb.loadBalancerArn)) ctx.tables.listeners.delete(listener.listenerArn);
        ctx.tables.loadBalancers.delete(lb.loadBalancerArn);
      });
      return {};
    },

    DescribeLoadBalancerAttributes: (input: { LoadBalancerArn: string }, request: RequestContext) => {
      const lb = requireLoadBalancer(ctx, scopeOf(request), input.LoadBalancerArn);
      return { Attributes: attributesToWire(lb.attributes) };
    },

    ModifyLoadBalancerAttributes: (
      input: { LoadBalancerArn: string; Attributes: WireAttribute[] },
      request: RequestContext,
    ) => {
      const lb = requireLoadBalancer(ctx, scopeOf(request), input.LoadBalancerArn);
      const specs = lb.type === 'application' ? APPLICATION_LOAD_BALANCER_ATTRIBUTES : NETWORK_LOAD_BALANCER_ATTRIBUTES;
      const attributes = modifyAttributes(lb.attributes, input.Attributes, specs, 'Load balancer');
      ctx.tables.loadBalancers.put(lb.loadBalancerArn, { ...lb, attributes });
      return { Attributes: attributesToWire(attributes) };
    },
  };
}

function createLoadBalancer(ctx: Elbv2Context, scope: Scope, input: CreateLoadBalancerInput): LoadBalancerRecord {
  checkLoadBalancerName(input.Name);
  const type = loadBalancerType(input.Type);
  const scheme = input.Scheme ?? 'internet-facing';
  const ipAddressType = input.IpAddressType ?? 'ipv4';
  const zones = resolveSubnets(ctx, scope, type, input);
  const securityGroups = [...(input.SecurityGroups ?? [])];
  for (const group of securityGroups) {
    if (!/^sg-[0-9a-z]+$/.test(group)) throw validationError(`Security group '${group}' is not valid`);
  }
  const existing = ctx.tables.loadBalancers
    .withPrefix(arnPrefix(scope, 'loadbalancer'))
    .find((lb) => lb.name === input.Name);
  if (existing) {
    const same =
      existing.type === type &&
      existing.scheme === scheme &&
      existing.ipAddressType === ipAddressType &&
      sameSet(
        existing.availabilityZones.map((zone) => zone.subnetId),
        zones.availabilityZones.map((zone) => zone.subnetId),
      ) &&
      (input.SecurityGroups === undefined || sameSet(existing.securityGroups, securityGroups));
    if (same) return existing;
    throw duplicateLoadBalancerName(input.Name);
  }
  const ofType = ctx.tables.loadBalancers.withPrefix(arnPrefix(scope, 'loadbalancer')).filter((lb) => lb.type === type);
  const limit = type === 'application' ? LIMITS.applicationLoadBalancers : LIMITS.networkLoadBalancers;
  if (ofType.length >= limit) throw tooManyLoadBalancers(limit);
  const tags = tagsFromWire(input.Tags);
  const id = resourceId(ctx.random);
  const nowMs = ctx.clock.now();
  // ALB DNS names carry a decimal id, NLB ones the ARN's hex id (as AWS's do).
  const dnsId = type === 'application' ? String(1_000_000_000 + ctx.random.int(0, 999_999_999)) : id;
  return ctx.store.transaction(() => {
    const record: LoadBalancerRecord = {
      accountId: scope.accountId,
      region: scope.region,
      loadBalancerArn: loadBalancerArn(scope, type, input.Name, id),
      name: input.Name,
      type,
      scheme,
      ipAddressType,
      dnsName: dnsName(input.Name, type, scheme, scope.region, dnsId),
      canonicalHostedZoneId: canonicalHostedZoneId(scope.region, type),
      ...(zones.vpcId !== undefined ? { vpcId: zones.vpcId } : {}),
      availabilityZones: zones.availabilityZones,
      securityGroups,
      state: 'provisioning',
      createdAtMs: nowMs,
      activeAtMs: nowMs + PROVISIONING_MS,
      address: allocateAddress(ctx),
      attributes: defaultAttributes(
        type === 'application' ? APPLICATION_LOAD_BALANCER_ATTRIBUTES : NETWORK_LOAD_BALANCER_ATTRIBUTES,
      ),
      tags,
    };
    ctx.tables.loadBalancers.put(record.loadBalancerArn, record);
    return record;
  });
}

function loadBalancerType(type: string | undefined): LoadBalancerType {
  const value = type ?? 'application';
  if (value === 'application' || value === 'network') return value;
  throw validationError(`drydock serves application and network load balancers, not '${value}' load balancers`);
}

function resolveSubnets(
  ctx: Elbv2Context,
  scope: Scope,
  type: LoadBalancerType,
  input: CreateLoadBalancerInput,
): { availabilityZones: AvailabilityZoneRecord[]; vpcId?: string } {
  if (input.Subnets?.length && input.SubnetMappings?.length) {
    throw validationError('You can specify subnets or subnet mappings, not both');
  }
  const subnetIds = input.Subnets?.length
    ? [...input.Subnets]
    : (input.SubnetMappings ?? []).map((mapping) => mapping.SubnetId ?? '');
  for (const subnetId of subnetIds) {
    if (!/^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/.test(subnetId)) {
      throw validationError(`The subnet ID '${subnetId}' is not valid`);
    }
  }
  let views: Array<{ subnetId: string; availabilityZone: string; vpcId?: string }>;
  if (ctx.ports.subnets) {
    const known = ctx.ports.subnets.describeSubnets(scope, subnetIds);
    views = subnetIds.map((subnetId) => {
      const view = known.find((candidate) => candidate.subnetId === subnetId);
      if (!view) throw subnetNotFound(subnetId);
      return view;
    });
    if (new Set(views.map((view) => view.vpcId)).size > 1) {
      throw invalidConfiguration('All subnets of a load balancer must be in the same VPC');
    }
  } else {
    views = subnetIds.map((subnetId, index) => ({
      subnetId,
      availabilityZone: `${scope.region}${String.fromCharCode(97 + (index % 26))}`,
    }));
  }
  const zones = views.map((view) => view.availabilityZone);
  if (new Set(zones).size !== zones.length) {
    throw validationError('You cannot specify multiple subnets in the same Availability Zone');
  }
  // OBS (AWS's ALB rule): "At least two subnets in two different Availability Zones must be specified".
  if (type === 'application' && views.length < 2) {
    throw validationError('At least two subnets in two different Availability Zones must be specified');
  }
  if (type === 'network' && views.length < 1) throw validationError('At least one subnet must be specified');
  const vpcId = views[0]?.vpcId;
  return {
    availabilityZones: views.map((view) => ({ zoneName: view.availabilityZone, subnetId: view.subnetId })),
    ...(vpcId !== undefined ? { vpcId } : {}),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}
