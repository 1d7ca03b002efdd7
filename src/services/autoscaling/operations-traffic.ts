/**
 * Wire adapter for target groups as traffic sources: Attach/Detach/DescribeLoadBalancerTargetGroups
 * and Attach/Detach/DescribeTrafficSources (type `elbv2`). Attaching records the target group as
 * `Adding`; the controller registers the group's in-service instances. Detaching marks it
 * `Removing`; the controller deregisters the instances and waits for draining.
 */
import type {
  AttachLoadBalancerTargetGroupsType,
  AttachTrafficSourcesType,
  DescribeLoadBalancerTargetGroupsRequest,
  DescribeLoadBalancerTargetGroupsResponse,
  DescribeTrafficSourcesRequest,
  DescribeTrafficSourcesResponse,
  DetachLoadBalancerTargetGroupsType,
  DetachTrafficSourcesType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler, RequestContext } from '../../kernel/operation.js';
import { instanceRefreshInProgress, validationError } from './errors.js';
import { checkTargetGroups } from './group-configuration.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page } from './operations-support.js';
import { activeRefresh } from './store.js';
import {
  attach,
  detach,
  ELBV2_TRAFFIC_SOURCE,
  MAX_TARGET_GROUPS_PER_CALL,
  targetGroupArnsOfTrafficSources,
  toLoadBalancerTargetGroupState,
  toTrafficSourceState,
} from './traffic-source.js';

const DEFAULT_MAX_RECORDS = 100;
const MAX_RECORDS_LIMIT = 100;

export function trafficOperations(support: OperationsSupport) {
  const attachTargetGroups = (ctx: RequestContext, groupName: string, arns: readonly string[]) => {
    const group = support.requireLiveGroup(ctx, groupName);
    // `M:asg`: attaching traffic sources is refused while an instance refresh is active.
    if (activeRefresh(support.tables, group)) throw instanceRefreshInProgress();
    if (arns.length > MAX_TARGET_GROUPS_PER_CALL) {
      // UNCONFIRMED wording; the limit is from the quotas page.
      throw validationError(`You can attach at most ${MAX_TARGET_GROUPS_PER_CALL} target groups per request.`);
    }
    const targetGroups = attach(group.targetGroups, arns);
    checkTargetGroups(support.ports, support.scope(ctx), arns, targetGroups.length);
    const next = { ...group, targetGroups };
    support.commit(next, () => support.putGroup(next));
  };

  const detachTargetGroups = (ctx: RequestContext, groupName: string, arns: readonly string[]) => {
    const group = support.requireLiveGroup(ctx, groupName);
    const unknown = arns.filter((arn) => !group.targetGroups.some((attachment) => attachment.targetGroupArn === arn));
    if (unknown.length > 0) {
      // UNCONFIRMED wording.
      throw validationError(`Trying to remove Target Groups that are not part of the group: ${unknown.join(', ')}`);
    }
    const next = { ...group, targetGroups: detach(group.targetGroups, arns) };
    support.commit(next, () => support.putGroup(next));
  };

  const AttachLoadBalancerTargetGroups: OperationHandler<AttachLoadBalancerTargetGroupsType, object> = (input, ctx) => {
    attachTargetGroups(ctx, input.AutoScalingGroupName!, [...new Set(input.TargetGroupARNs ?? [])]);
    return {};
  };

  const DetachLoadBalancerTargetGroups: OperationHandler<DetachLoadBalancerTargetGroupsType, object> = (input, ctx) => {
    detachTargetGroups(ctx, input.AutoScalingGroupName!, [...new Set(input.TargetGroupARNs ?? [])]);
    return {};
  };

  const AttachTrafficSources: OperationHandler<AttachTrafficSourcesType, object> = (input, ctx) => {
    attachTargetGroups(ctx, input.AutoScalingGroupName!, [
      ...new Set(targetGroupArnsOfTrafficSources(input.TrafficSources ?? [])),
    ]);
    return {};
  };

  const DetachTrafficSources: OperationHandler<DetachTrafficSourcesType, object> = (input, ctx) => {
    detachTargetGroups(ctx, input.AutoScalingGroupName!, [
      ...new Set(targetGroupArnsOfTrafficSources(input.TrafficSources ?? [])),
    ]);
    return {};
  };

  const DescribeLoadBalancerTargetGroups: OperationHandler<
    DescribeLoadBalancerTargetGroupsRequest,
    DescribeLoadBalancerTargetGroupsResponse
  > = (input, ctx) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const result = page(
      [...group.targetGroups].sort((a, b) => (a.targetGroupArn < b.targetGroupArn ? -1 : 1)),
      (attachment) => attachment.targetGroupArn,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return { LoadBalancerTargetGroups: result.items.map(toLoadBalancerTargetGroupState), NextToken: result.nextToken };
  };

  const DescribeTrafficSources: OperationHandler<DescribeTrafficSourcesRequest, DescribeTrafficSourcesResponse> = (
    input,
    ctx,
  ) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const wanted = input.TrafficSourceType;
    const attachments = wanted === undefined || wanted === ELBV2_TRAFFIC_SOURCE ? group.targetGroups : [];
    const result = page(
      [...attachments].sort((a, b) => (a.targetGroupArn < b.targetGroupArn ? -1 : 1)),
      (attachment) => attachment.targetGroupArn,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return { TrafficSources: result.items.map(toTrafficSourceState), NextToken: result.nextToken };
  };

  return {
    AttachLoadBalancerTargetGroups,
    DetachLoadBalancerTargetGroups,
    DescribeLoadBalancerTargetGroups,
    AttachTrafficSources,
    DetachTrafficSources,
    DescribeTrafficSources,
  };
}
