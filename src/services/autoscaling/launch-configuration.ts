/**
 * Launch configurations (Create/Describe/DeleteLaunchConfiguration): Auto Scaling's own, older
 * launch parameters, kept per account and region (200 per Region). A group launched from one
 * hands its parameters to EC2 through the Ec2Port.
 */
import type {
  BlockDeviceMapping,
  CreateLaunchConfigurationType,
  LaunchConfiguration,
} from '@aws-sdk/client-auto-scaling';
import type { LaunchParameters } from './ports.js';

export const MAX_LAUNCH_CONFIGURATIONS = 200;

export interface LaunchConfigurationRecord {
  accountId: string;
  region: string;
  launchConfigurationName: string;
  launchConfigurationArn: string;
  imageId: string;
  instanceType: string;
  keyName?: string;
  securityGroups: string[];
  /** Base64, as the API carries it. */
  userData?: string;
  instanceMonitoringEnabled: boolean;
  iamInstanceProfile?: string;
  ebsOptimized: boolean;
  associatePublicIpAddress?: boolean;
  spotPrice?: string;
  placementTenancy?: string;
  blockDeviceMappings: BlockDeviceMapping[];
  createdAtMs: number;
}

export function launchConfigurationKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

export function launchConfigurationArn(accountId: string, region: string, uuid: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${accountId}:launchConfiguration:${uuid}:launchConfigurationName/${name}`;
}

export function newLaunchConfiguration(
  input: CreateLaunchConfigurationType & { ImageId: string; InstanceType: string },
  scope: { accountId: string; region: string; arn: string; nowMs: number },
): LaunchConfigurationRecord {
  const record: LaunchConfigurationRecord = {
    accountId: scope.accountId,
    region: scope.region,
    launchConfigurationName: input.LaunchConfigurationName ?? '',
    launchConfigurationArn: scope.arn,
    imageId: input.ImageId,
    instanceType: input.InstanceType,
    securityGroups: input.SecurityGroups ?? [],
    instanceMonitoringEnabled: input.InstanceMonitoring?.Enabled ?? true,
    ebsOptimized: input.EbsOptimized ?? false,
    blockDeviceMappings: input.BlockDeviceMappings ?? [],
    createdAtMs: scope.nowMs,
  };
  if (input.KeyName !== undefined) record.keyName = input.KeyName;
  if (input.UserData !== undefined) record.userData = input.UserData;
  if (input.IamInstanceProfile !== undefined) record.iamInstanceProfile = input.IamInstanceProfile;
  if (input.AssociatePublicIpAddress !== undefined) record.associatePublicIpAddress = input.AssociatePublicIpAddress;
  if (input.SpotPrice !== undefined) record.spotPrice = input.SpotPrice;
  if (input.PlacementTenancy !== undefined) record.placementTenancy = input.PlacementTenancy;
  return record;
}

export function toLaunchConfiguration(record: LaunchConfigurationRecord): LaunchConfiguration {
  return {
    LaunchConfigurationName: record.launchConfigurationName,
    LaunchConfigurationARN: record.launchConfigurationArn,
    ImageId: record.imageId,
    KeyName: record.keyName ?? '',
    SecurityGroups: record.securityGroups,
    ClassicLinkVPCSecurityGroups: [],
    UserData: record.userData ?? '',
    InstanceType: record.instanceType,
    KernelId: '',
    RamdiskId: '',
    BlockDeviceMappings: record.blockDeviceMappings,
    InstanceMonitoring: { Enabled: record.instanceMonitoringEnabled },
    SpotPrice: record.spotPrice,
    IamInstanceProfile: record.iamInstanceProfile,
    CreatedTime: new Date(record.createdAtMs),
    EbsOptimized: record.ebsOptimized,
    AssociatePublicIpAddress: record.associatePublicIpAddress,
    PlacementTenancy: record.placementTenancy,
  };
}

export function launchParameters(record: LaunchConfigurationRecord): LaunchParameters {
  const parameters: LaunchParameters = { imageId: record.imageId, instanceType: record.instanceType };
  if (record.userData !== undefined) parameters.userDataBase64 = record.userData;
  if (record.keyName !== undefined) parameters.keyName = record.keyName;
  if (record.securityGroups.length > 0) parameters.securityGroups = record.securityGroups;
  return parameters;
}
