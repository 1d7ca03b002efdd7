/**
 * Wire adapter for instance refreshes (A.8): StartInstanceRefresh records a `Pending` refresh with
 * its preferences resolved, the configuration it moves the group to and the old instances it will
 * replace; DescribeInstanceRefreshes lists a group's refreshes newest first; CancelInstanceRefresh
 * marks the active one `Cancelling`. The group controller does the replacing. One refresh is
 * active per group (`InstanceRefreshInProgress`); cancelling needs one (`ActiveInstanceRefreshNotFound`).
 * RollbackInstanceRefresh is not served (the gateway answers NotImplemented).
 */
import type {
  CancelInstanceRefreshAnswer,
  CancelInstanceRefreshType,
  DescribeInstanceRefreshesAnswer,
  DescribeInstanceRefreshesType,
  StartInstanceRefreshAnswer,
  StartInstanceRefreshType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler, RequestContext } from '../../kernel/operation.js';
import { activeInstanceRefreshNotFound, instanceRefreshInProgress, validationError } from './errors.js';
import type { AutoScalingGroupRecord, GroupLaunchTemplate } from './group.js';
import { resolveLaunchTemplate } from './group-configuration.js';
import type { InstanceRefreshRecord, RefreshTarget } from './instance-refresh.js';
import { instanceRefreshKey, refreshSortKey, toInstanceRefresh } from './instance-refresh.js';
import { instancesToReplace } from './instance-refresh-plan.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page, sortBy } from './operations-support.js';
import { resolvePreferences } from './refresh-preferences.js';
import { activeRefresh, groupRefreshes } from './store.js';

const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS_LIMIT = 100;
/** DescribeInstanceRefreshes shows the last six weeks. */
const RETENTION_MS = 42 * 24 * 3600_000;

export function instanceRefreshOperations(support: OperationsSupport) {
  /** What the refreshed instances must run: the desired launch template, or the group's launch source now. */
  const resolveTarget = (
    ctx: RequestContext,
    group: AutoScalingGroupRecord,
    desired: GroupLaunchTemplate | undefined,
    skipMatching: boolean,
  ): RefreshTarget => {
    const template = desired ?? group.launchTemplate;
    if (template) {
      const resolved = support.ports.ec2.resolveLaunchTemplate(support.scope(ctx), template);
      if ('missing' in resolved) {
        // The group's own template was deleted behind its back; AWS's launch would fail the same way.
        throw validationError(
          `You must use a valid fully-formed launch template. The specified launch template, with template ID ${template.launchTemplateId}, does not exist.`,
        );
      }
      return { launchTemplateId: resolved.launchTemplateId, version: resolved.version };
    }
    if (skipMatching) {
      // `UG:asg/asg-instance-refresh-skip-matching`: the rule is documented, the error wording is UNCONFIRMED.
      throw validationError(
        'The skip matching feature cannot be used to update an Auto Scaling group that uses a launch configuration unless a launch template is specified for the desired configuration.',
      );
    }
    return { launchConfigurationName: group.launchConfigurationName ?? '' };
  };

  const StartInstanceRefresh: OperationHandler<StartInstanceRefreshType, StartInstanceRefreshAnswer> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    if (input.Strategy !== undefined && input.Strategy !== 'Rolling') {
      // ReplaceRootVolume needs a mixed instances policy, which drydock does not support.
      throw validationError(
        `drydock does not support the ${input.Strategy} instance refresh strategy yet; use Rolling.`,
      );
    }
    if (activeRefresh(support.tables, group)) throw instanceRefreshInProgress();
    const preferences = resolvePreferences(group, input.Preferences);
    const desiredConfiguration = input.DesiredConfiguration;
    if (desiredConfiguration?.MixedInstancesPolicy !== undefined) {
      throw validationError(
        'drydock does not support MixedInstancesPolicy yet; give DesiredConfiguration a LaunchTemplate.',
      );
    }
    const desiredLaunchTemplate = desiredConfiguration?.LaunchTemplate
      ? resolveLaunchTemplate(support.ports, support.scope(ctx), desiredConfiguration.LaunchTemplate)
      : undefined;
    const target = resolveTarget(ctx, group, desiredLaunchTemplate, preferences.skipMatching);
    const pending = instancesToReplace(support.instancesOf(group), target, preferences);
    const record: InstanceRefreshRecord = {
      accountId: group.accountId,
      region: group.region,
      autoScalingGroupName: group.autoScalingGroupName,
      instanceRefreshId: support.uuid(),
      status: 'Pending',
      startTimeMs: support.nowMs(),
      preferences,
      target,
      pendingInstanceIds: pending,
      replacingInstanceIds: [],
      checkpointIndex: 0,
      percentageComplete: 0,
      instancesToUpdate: pending.length,
    };
    if (desiredLaunchTemplate) record.desiredLaunchTemplate = desiredLaunchTemplate;
    support.commit(group, () => support.tables.instanceRefreshes.put(instanceRefreshKey(record), record));
    return { InstanceRefreshId: record.instanceRefreshId };
  };

  const DescribeInstanceRefreshes: OperationHandler<DescribeInstanceRefreshesType, DescribeInstanceRefreshesAnswer> = (
    input,
    ctx,
  ) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    // UNCONFIRMED: an unknown group answers Auto Scaling's not-found error, as other per-group reads do.
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const ids = input.InstanceRefreshIds ?? [];
    const oldestMs = support.nowMs() - RETENTION_MS;
    const selected = groupRefreshes(support.tables, group).filter(
      (refresh) => refresh.startTimeMs >= oldestMs && (ids.length === 0 || ids.includes(refresh.instanceRefreshId)),
    );
    const result = page(
      sortBy(selected, refreshSortKey),
      refreshSortKey,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return { InstanceRefreshes: result.items.map(toInstanceRefresh), NextToken: result.nextToken };
  };

  const CancelInstanceRefresh: OperationHandler<CancelInstanceRefreshType, CancelInstanceRefreshAnswer> = (
    input,
    ctx,
  ) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const active = activeRefresh(support.tables, group);
    // A refresh already being cancelled is no longer "in progress or pending".
    if (!active || active.status === 'Cancelling') throw activeInstanceRefreshNotFound(group.autoScalingGroupName);
    const next: InstanceRefreshRecord = {
      ...active,
      status: 'Cancelling',
      waitForTransitioningInstances: input.WaitForTransitioningInstances ?? true,
    };
    support.commit(group, () => support.tables.instanceRefreshes.put(instanceRefreshKey(next), next));
    return { InstanceRefreshId: active.instanceRefreshId };
  };

  return { StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh };
}
