/**
 * A group's SNS notification configurations (PutNotificationConfiguration, section A.4): which
 * topic receives which of the launch/terminate (error) notifications, at most 10 topics a group.
 * Putting a configuration for a topic replaces its notification types.
 */
import type { NotificationConfiguration } from '@aws-sdk/client-auto-scaling';
import { limitExceeded, validationError } from './errors.js';

export const TEST_NOTIFICATION = 'autoscaling:TEST_NOTIFICATION';
export const NOTIFICATION_CONFIGURATION_TYPES: readonly string[] = [
  'autoscaling:EC2_INSTANCE_LAUNCH',
  'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE',
  'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
  TEST_NOTIFICATION,
];
export const MAX_TOPICS_PER_GROUP = 10;

export interface NotificationConfigurationRecord {
  topicArn: string;
  notificationTypes: string[];
}

export function putNotificationConfiguration(
  current: readonly NotificationConfigurationRecord[],
  groupName: string,
  topicArn: string,
  notificationTypes: readonly string[],
): NotificationConfigurationRecord[] {
  for (const type of notificationTypes) {
    // UNCONFIRMED wording.
    if (!NOTIFICATION_CONFIGURATION_TYPES.includes(type)) throw validationError(`Invalid notification type: ${type}`);
  }
  const others = current.filter((config) => config.topicArn !== topicArn);
  if (others.length >= MAX_TOPICS_PER_GROUP) {
    // UNCONFIRMED wording; the limit is from the quotas page.
    throw limitExceeded(
      `Cannot add more than ${MAX_TOPICS_PER_GROUP} notification configurations to AutoScalingGroup ${groupName}.`,
    );
  }
  return [...others, { topicArn, notificationTypes: [...new Set(notificationTypes)] }];
}

export function wants(config: NotificationConfigurationRecord, notificationType: string): boolean {
  return config.notificationTypes.includes(notificationType);
}

/** One entry per (topic, type), as DescribeNotificationConfigurations lists them. */
export function toNotificationConfigurations(
  groupName: string,
  configs: readonly NotificationConfigurationRecord[],
): NotificationConfiguration[] {
  return [...configs]
    .sort((a, b) => (a.topicArn < b.topicArn ? -1 : a.topicArn > b.topicArn ? 1 : 0))
    .flatMap((config) =>
      [...config.notificationTypes]
        .sort()
        .map((type) => ({ AutoScalingGroupName: groupName, TopicARN: config.topicArn, NotificationType: type })),
    );
}
