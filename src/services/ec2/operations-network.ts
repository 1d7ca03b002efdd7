/**
 * EC2 wire adapter for the network nouns: DescribeAvailabilityZones, DescribeVpcs,
 * DescribeSubnets and DescribeSecurityGroups, with their id lists, filters and paging. Each call
 * makes sure the account's default network exists first, as it always does in AWS.
 */
import type {
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
} from '@aws-sdk/client-ec2';
import type { OperationHandler } from '../../kernel/operation.js';
import { toAvailabilityZone, zonesOf, type ZoneInfo } from './availability-zone.js';
import { defaultNetwork, instancesOf, scopeOf, type Ec2Context } from './context.js';
import {
  invalidAvailabilityZone,
  securityGroupNameNotFound,
  securityGroupNotFound,
  subnetNotFound,
  vpcNotFound,
} from './errors.js';
import { applyFilters, type FilterFields } from './filters.js';
import { pageOf } from './paging.js';
import { SECURITY_GROUP_FILTERS, toSecurityGroup } from './security-group.js';
import { scopePrefix } from './store.js';
import { SUBNET_FILTERS, toSubnet } from './subnet.js';
import { toVpc, VPC_FILTERS } from './vpc.js';

const DESCRIBE_BOUNDS = { min: 5, max: 1000 };

const ZONE_FILTERS: FilterFields<ZoneInfo> = {
  'zone-name': (zone) => [zone.zoneName],
  'zone-id': (zone) => [zone.zoneId],
  'region-name': (zone) => [zone.region],
  'group-name': (zone) => [zone.region],
  'network-border-group': (zone) => [zone.region],
  state: () => ['available'],
  'opt-in-status': () => ['opt-in-not-required'],
  'zone-type': () => ['availability-zone'],
};

/** Ids a Describe call named that do not exist: EC2 refuses the call naming the first. */
function requireAll<T>(
  ids: readonly string[] | undefined,
  items: readonly T[],
  idOf: (item: T) => string,
  missing: (id: string) => Error,
): void {
  for (const id of ids ?? []) if (!items.some((item) => idOf(item) === id)) throw missing(id);
}

export function networkOperations(ctx: Ec2Context) {
  const DescribeAvailabilityZones: OperationHandler<
    DescribeAvailabilityZonesRequest,
    DescribeAvailabilityZonesResult
  > = (input, request) => {
    const zones = zonesOf(request.region);
    for (const name of input.ZoneNames ?? [])
      if (!zones.some((zone) => zone.zoneName === name)) throw invalidAvailabilityZone(name);
    for (const id of input.ZoneIds ?? [])
      if (!zones.some((zone) => zone.zoneId === id)) throw invalidAvailabilityZone(id);
    const named = zones.filter(
      (zone) =>
        (!input.ZoneNames?.length || input.ZoneNames.includes(zone.zoneName)) &&
        (!input.ZoneIds?.length || input.ZoneIds.includes(zone.zoneId)),
    );
    return { AvailabilityZones: applyFilters(named, input.Filters, ZONE_FILTERS).map(toAvailabilityZone) };
  };

  const DescribeVpcs: OperationHandler<DescribeVpcsRequest, DescribeVpcsResult> = (input, request) => {
    const scope = scopeOf(request);
    defaultNetwork(ctx, scope);
    const all = ctx.tables.vpcs.withPrefix(scopePrefix(scope));
    requireAll(input.VpcIds, all, (vpc) => vpc.vpcId, vpcNotFound);
    const named = input.VpcIds?.length ? all.filter((vpc) => input.VpcIds!.includes(vpc.vpcId)) : all;
    const matching = applyFilters(named, input.Filters, VPC_FILTERS, (vpc) => vpc.tags);
    const page = pageOf(matching, (vpc) => vpc.vpcId, input.MaxResults, input.NextToken, DESCRIBE_BOUNDS);
    return { Vpcs: page.items.map(toVpc), NextToken: page.nextToken };
  };

  const DescribeSubnets: OperationHandler<DescribeSubnetsRequest, DescribeSubnetsResult> = (input, request) => {
    const scope = scopeOf(request);
    defaultNetwork(ctx, scope);
    const all = ctx.tables.subnets.withPrefix(scopePrefix(scope));
    requireAll(input.SubnetIds, all, (subnet) => subnet.subnetId, subnetNotFound);
    const named = input.SubnetIds?.length ? all.filter((subnet) => input.SubnetIds!.includes(subnet.subnetId)) : all;
    const matching = applyFilters(named, input.Filters, SUBNET_FILTERS, (subnet) => subnet.tags);
    const page = pageOf(matching, (subnet) => subnet.subnetId, input.MaxResults, input.NextToken, DESCRIBE_BOUNDS);
    const inUse = new Map<string, number>();
    for (const instance of instancesOf(ctx, scope)) {
      if (instance.state !== 'terminated') inUse.set(instance.subnetId, (inUse.get(instance.subnetId) ?? 0) + 1);
    }
    return {
      Subnets: page.items.map((subnet) => toSubnet(subnet, inUse.get(subnet.subnetId) ?? 0)),
      NextToken: page.nextToken,
    };
  };

  const DescribeSecurityGroups: OperationHandler<DescribeSecurityGroupsRequest, DescribeSecurityGroupsResult> = (
    input,
    request,
  ) => {
    const scope = scopeOf(request);
    const network = defaultNetwork(ctx, scope);
    const all = ctx.tables.securityGroups.withPrefix(scopePrefix(scope));
    requireAll(input.GroupIds, all, (group) => group.groupId, securityGroupNotFound);
    // Group names without ids name groups of the default VPC (EC2 API Reference, GroupNames).
    const defaultVpcGroups = all.filter((group) => group.vpcId === network.vpc.vpcId);
    requireAll(
      input.GroupNames,
      defaultVpcGroups,
      (group) => group.groupName,
      (name) => securityGroupNameNotFound(name, network.vpc.vpcId),
    );
    let named = all;
    if (input.GroupIds?.length) named = named.filter((group) => input.GroupIds!.includes(group.groupId));
    if (input.GroupNames?.length) {
      named = named.filter((group) => group.vpcId === network.vpc.vpcId && input.GroupNames!.includes(group.groupName));
    }
    const matching = applyFilters(named, input.Filters, SECURITY_GROUP_FILTERS, (group) => group.tags);
    const page = pageOf(matching, (group) => group.groupId, input.MaxResults, input.NextToken, DESCRIBE_BOUNDS);
    return { SecurityGroups: page.items.map(toSecurityGroup), NextToken: page.nextToken };
  };

  return { DescribeAvailabilityZones, DescribeVpcs, DescribeSubnets, DescribeSecurityGroups };
}
