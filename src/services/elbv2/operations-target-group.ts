/**
 * ELBv2 wire adapter for target groups: Create (idempotent for the same settings), Describe (by
 * names, ARNs or load balancer, paged), Modify (health-check settings), Delete (ResourceInUse
 * while a listener or rule forwards to it; succeeds for one already gone) and the attributes of C.3.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { arnPrefix, resourceId, targetGroupArn } from './arns.js';
import {
  attributesToWire,
  defaultAttributes,
  HTTP_TARGET_GROUP_ATTRIBUTES,
  modifyAttributes,
  tcpTargetGroupAttributes,
  type WireAttribute,
} from './attributes.js';
import {
  checkArn,
  requireLoadBalancer,
  requireTargetGroup,
  scopeOf,
  targetGroupUsage,
  type Elbv2Context,
} from './context.js';
import {
  duplicateTargetGroupName,
  targetGroupInUse,
  targetGroupNotFound,
  tooManyTargetGroups,
  validationError,
} from './errors.js';
import { LIMITS } from './limits.js';
import { pageOf } from './paging.js';
import type { Scope } from './ports.js';
import { targetKey, targetsOf } from './store.js';
import { tagsFromWire, type WireTag } from './tags.js';
import {
  checkTargetGroupName,
  checkTargetGroupProtocol,
  checkTargetType,
  healthCheckForCreate,
  healthCheckForModify,
  targetGroupToWire,
  type HealthCheckInput,
  type TargetGroupRecord,
} from './target-group.js';

interface CreateTargetGroupInput extends HealthCheckInput {
  Name: string;
  Protocol?: string;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  Tags?: WireTag[];
  IpAddressType?: string;
}

export function targetGroupSpecs(group: Pick<TargetGroupRecord, 'protocol' | 'targetType'>) {
  return group.protocol === 'HTTP' ? HTTP_TARGET_GROUP_ATTRIBUTES : tcpTargetGroupAttributes(group.targetType);
}

export function targetGroupOperations(ctx: Elbv2Context) {
  const describe = (scope: Scope, groups: TargetGroupRecord[]) => {
    const usage = targetGroupUsage(ctx, scope);
    return groups.map((group) => targetGroupToWire(group, [...(usage.get(group.targetGroupArn) ?? [])].sort()));
  };
  return {
    CreateTargetGroup: (input: CreateTargetGroupInput, request: RequestContext) => {
      const scope = scopeOf(request);
      return { TargetGroups: describe(scope, [createTargetGroup(ctx, scope, input)]) };
    },

    DescribeTargetGroups: (
      input: {
        LoadBalancerArn?: string;
        TargetGroupArns?: string[];
        Names?: string[];
        Marker?: string;
        PageSize?: number;
      },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      let groups = ctx.tables.targetGroups.withPrefix(arnPrefix(scope, 'targetgroup'));
      if (input.LoadBalancerArn !== undefined) {
        const lb = requireLoadBalancer(ctx, scope, input.LoadBalancerArn);
        const usage = targetGroupUsage(ctx, scope);
        groups = groups.filter((group) => usage.get(group.targetGroupArn)?.has(lb.loadBalancerArn));
      }
      if (input.TargetGroupArns?.length) {
        for (const arn of input.TargetGroupArns) requireTargetGroup(ctx, scope, arn);
        groups = groups.filter((group) => input.TargetGroupArns!.includes(group.targetGroupArn));
      }
      if (input.Names?.length) {
        // OBS: DescribeTargetGroups with a name that does not exist → "One or more target groups not found".
        if (input.Names.some((name) => !groups.some((group) => group.name === name))) throw targetGroupNotFound();
        groups = groups.filter((group) => input.Names!.includes(group.name));
      }
      const page = pageOf(groups, (group) => group.targetGroupArn, input.PageSize, input.Marker);
      return { TargetGroups: describe(scope, page.items), NextMarker: page.nextMarker };
    },

    ModifyTargetGroup: (input: HealthCheckInput & { TargetGroupArn: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      const group = requireTargetGroup(ctx, scope, input.TargetGroupArn);
      const next = { ...group, healthCheck: healthCheckForModify(group, input) };
      ctx.tables.targetGroups.put(group.targetGroupArn, next);
      return { TargetGroups: describe(scope, [next]) };
    },

    DeleteTargetGroup: (input: { TargetGroupArn: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      const group = checkArn(input.TargetGroupArn, 'targetgroup', scope)
        ? ctx.tables.targetGroups.get(input.TargetGroupArn)
        : undefined;
      if (!group) return {};
      if (targetGroupUsage(ctx, scope).has(group.targetGroupArn)) throw targetGroupInUse(group.targetGroupArn);
      ctx.store.transaction(() => {
        for (const target of targetsOf(ctx.tables, group.targetGroupArn)) {
          ctx.tables.targets.delete(targetKey(target.targetGroupArn, target.id, target.port));
        }
        ctx.tables.targetGroups.delete(group.targetGroupArn);
      });
      return {};
    },

    DescribeTargetGroupAttributes: (input: { TargetGroupArn: string }, request: RequestContext) => {
      const group = requireTargetGroup(ctx, scopeOf(request), input.TargetGroupArn);
      return { Attributes: attributesToWire(group.attributes) };
    },

    ModifyTargetGroupAttributes: (
      input: { TargetGroupArn: string; Attributes: WireAttribute[] },
      request: RequestContext,
    ) => {
      const group = requireTargetGroup(ctx, scopeOf(request), input.TargetGroupArn);
      const attributes = modifyAttributes(group.attributes, input.Attributes, targetGroupSpecs(group), 'Target group');
      ctx.tables.targetGroups.put(group.targetGroupArn, { ...group, attributes });
      return { Attributes: attributesToWire(attributes) };
    },
  };
}

function createTargetGroup(ctx: Elbv2Context, scope: Scope, input: CreateTargetGroupInput): TargetGroupRecord {
  checkTargetGroupName(input.Name);
  const targetType = checkTargetType(input.TargetType);
  // UNCONFIRMED wording for the three required settings of instance and ip groups.
  if (input.Protocol === undefined) throw validationError('A protocol must be specified');
  if (input.Port === undefined) throw validationError('A port must be specified');
  if (input.VpcId === undefined) throw validationError('A VPC ID must be specified');
  // OBS: "The VPC ID 'vpc-xxxxxxxxxx' is not found" (drydock checks the id's form only).
  if (!/^vpc-[0-9a-z]+$/.test(input.VpcId)) throw validationError(`The VPC ID '${input.VpcId}' is not found`);
  const protocol = checkTargetGroupProtocol(input.Protocol);
  if (input.ProtocolVersion !== undefined && !(protocol === 'HTTP' && input.ProtocolVersion === 'HTTP1')) {
    throw validationError(`drydock serves protocol version HTTP1 only, not '${input.ProtocolVersion}'`);
  }
  if (input.IpAddressType !== undefined && input.IpAddressType !== 'ipv4') {
    throw validationError(`drydock serves IPv4 target groups only, not '${input.IpAddressType}'`);
  }
  const healthCheck = healthCheckForCreate(protocol, targetType, input);
  const groups = ctx.tables.targetGroups.withPrefix(arnPrefix(scope, 'targetgroup'));
  const existing = groups.find((group) => group.name === input.Name);
  if (existing) {
    const same =
      existing.protocol === protocol &&
      existing.port === input.Port &&
      existing.vpcId === input.VpcId &&
      existing.targetType === targetType &&
      JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
    if (same) return existing;
    throw duplicateTargetGroupName(input.Name);
  }
  if (groups.length >= LIMITS.targetGroups) throw tooManyTargetGroups(LIMITS.targetGroups);
  const record: TargetGroupRecord = {
    accountId: scope.accountId,
    region: scope.region,
    targetGroupArn: targetGroupArn(scope, input.Name, resourceId(ctx.random)),
    name: input.Name,
    targetType,
    protocol,
    ...(protocol === 'HTTP' ? { protocolVersion: 'HTTP1' as const } : {}),
    port: input.Port,
    vpcId: input.VpcId,
    ipAddressType: 'ipv4',
    healthCheck,
    attributes: defaultAttributes(targetGroupSpecs({ protocol, targetType })),
    tags: tagsFromWire(input.Tags),
    createdAtMs: ctx.clock.now(),
  };
  ctx.tables.targetGroups.put(record.targetGroupArn, record);
  return record;
}
