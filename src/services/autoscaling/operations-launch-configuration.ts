/**
 * Wire adapter for launch configurations: Create, Describe (names, MaxRecords, NextToken) and
 * Delete (refused while a group uses it).
 */
import type {
  CreateLaunchConfigurationType,
  LaunchConfigurationNamesType,
  LaunchConfigurationNameType,
  LaunchConfigurationsType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler } from '../../kernel/operation.js';
import { alreadyExists, launchConfigurationNotFound, limitExceeded, resourceInUse, validationError } from './errors.js';
import {
  launchConfigurationArn,
  launchConfigurationKey,
  MAX_LAUNCH_CONFIGURATIONS,
  newLaunchConfiguration,
  toLaunchConfiguration,
} from './launch-configuration.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page } from './operations-support.js';
import { scopePrefix } from './store.js';

const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS_LIMIT = 100;

export function launchConfigurationOperations(support: OperationsSupport) {
  const { launchConfigurations } = support.tables;

  const CreateLaunchConfiguration: OperationHandler<CreateLaunchConfigurationType, object> = (input, ctx) => {
    const name = input.LaunchConfigurationName!;
    const key = launchConfigurationKey(ctx.accountId, ctx.region, name);
    if (launchConfigurations.has(key)) {
      throw alreadyExists(
        `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`,
      );
    }
    if (launchConfigurations.withPrefix(scopePrefix(ctx.accountId, ctx.region)).length >= MAX_LAUNCH_CONFIGURATIONS) {
      throw limitExceeded(`You have reached your limit of ${MAX_LAUNCH_CONFIGURATIONS} launch configurations.`);
    }
    if (input.InstanceId !== undefined) {
      throw validationError('drydock does not support creating a launch configuration from an InstanceId yet.');
    }
    const { ImageId: imageId, InstanceType: instanceType } = input;
    if (imageId === undefined || instanceType === undefined) {
      throw validationError(
        'Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.',
      );
    }
    // UNCONFIRMED wording.
    if (!support.ports.ec2.instanceTypeExists(instanceType))
      throw validationError(`Invalid instance type: ${instanceType}`);
    const arn = launchConfigurationArn(ctx.accountId, ctx.region, support.uuid(), name);
    const record = newLaunchConfiguration(
      { ...input, ImageId: imageId, InstanceType: instanceType },
      { accountId: ctx.accountId, region: ctx.region, arn, nowMs: support.nowMs() },
    );
    launchConfigurations.put(key, record);
    return {};
  };

  const DescribeLaunchConfigurations: OperationHandler<LaunchConfigurationNamesType, LaunchConfigurationsType> = (
    input,
    ctx,
  ) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    const names = input.LaunchConfigurationNames ?? [];
    const selected = launchConfigurations
      .withPrefix(scopePrefix(ctx.accountId, ctx.region))
      .filter((record) => names.length === 0 || names.includes(record.launchConfigurationName));
    const result = page(
      selected,
      (record) => record.launchConfigurationName,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return { LaunchConfigurations: result.items.map(toLaunchConfiguration), NextToken: result.nextToken };
  };

  const DeleteLaunchConfiguration: OperationHandler<LaunchConfigurationNameType, object> = (input, ctx) => {
    const name = input.LaunchConfigurationName!;
    const key = launchConfigurationKey(ctx.accountId, ctx.region, name);
    if (!launchConfigurations.has(key)) throw launchConfigurationNotFound(name);
    const user = support.groupsInScope(ctx).find((group) => group.launchConfigurationName === name);
    if (user) {
      // UNCONFIRMED wording.
      throw resourceInUse(
        `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup ${user.autoScalingGroupName}`,
      );
    }
    launchConfigurations.delete(key);
    return {};
  };

  return { CreateLaunchConfiguration, DescribeLaunchConfigurations, DeleteLaunchConfiguration };
}
