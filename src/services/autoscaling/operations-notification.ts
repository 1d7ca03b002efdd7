/**
 * Wire adapter for PutNotificationConfiguration, DescribeNotificationConfigurations,
 * DeleteNotificationConfiguration and DescribeAutoScalingNotificationTypes (A.4). A new topic is
 * owed a test notification, which the group controller sends.
 */
import type {
  DeleteNotificationConfigurationType,
  DescribeNotificationConfigurationsAnswer,
  DescribeNotificationConfigurationsType,
  DescribeAutoScalingNotificationTypesAnswer,
  PutNotificationConfigurationType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler } from '../../kernel/operation.js';
import { checkNotificationTarget } from './group-configuration.js';
import {
  NOTIFICATION_CONFIGURATION_TYPES,
  putNotificationConfiguration,
  toNotificationConfigurations,
} from './notification-configuration.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page } from './operations-support.js';

const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS_LIMIT = 100;

export function notificationOperations(support: OperationsSupport) {
  const PutNotificationConfiguration: OperationHandler<PutNotificationConfigurationType, object> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const topicArn = input.TopicARN!;
    const configurations = putNotificationConfiguration(
      group.notificationConfigurations,
      group.autoScalingGroupName,
      topicArn,
      input.NotificationTypes ?? [],
    );
    const isNew = !group.notificationConfigurations.some((config) => config.topicArn === topicArn);
    if (isNew)
      checkNotificationTarget(support.ports, support.scope(ctx), topicArn, undefined, 'notification configuration');
    const next = {
      ...group,
      notificationConfigurations: configurations,
      pendingTestNotifications: isNew
        ? [...group.pendingTestNotifications, { targetArn: topicArn }]
        : group.pendingTestNotifications,
    };
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const DescribeNotificationConfigurations: OperationHandler<
    DescribeNotificationConfigurationsType,
    DescribeNotificationConfigurationsAnswer
  > = (input, ctx) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    const names = input.AutoScalingGroupNames ?? [];
    const entries = support
      .groupsInScope(ctx)
      .filter((group) => names.length === 0 || names.includes(group.autoScalingGroupName))
      .flatMap((group) => toNotificationConfigurations(group.autoScalingGroupName, group.notificationConfigurations));
    const result = page(
      entries,
      (entry) => `${entry.AutoScalingGroupName}\u0000${entry.TopicARN}\u0000${entry.NotificationType}`,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return { NotificationConfigurations: result.items, NextToken: result.nextToken };
  };

  /** Deleting a configuration the group does not have is accepted and changes nothing. */
  const DeleteNotificationConfiguration: OperationHandler<DeleteNotificationConfigurationType, object> = (
    input,
    ctx,
  ) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const remaining = group.notificationConfigurations.filter((config) => config.topicArn !== input.TopicARN);
    if (remaining.length !== group.notificationConfigurations.length) {
      support.putGroup({ ...group, notificationConfigurations: remaining });
    }
    return {};
  };

  const DescribeAutoScalingNotificationTypes: OperationHandler<
    object,
    DescribeAutoScalingNotificationTypesAnswer
  > = () => ({ AutoScalingNotificationTypes: [...NOTIFICATION_CONFIGURATION_TYPES] });

  return {
    PutNotificationConfiguration,
    DescribeNotificationConfigurations,
    DeleteNotificationConfiguration,
    DescribeAutoScalingNotificationTypes,
  };
}
