/**
 * A launch: RunInstances' parameters laid over a launch template's (the request wins member by
 * member; instance tags merge), checked as EC2 checks them, then placed: the subnet named, else
 * the default subnet of the zone named, else a default subnet picked at random; security groups
 * by id or name, else the VPC's default; a free private address per instance. Instances launched
 * from a template carry `aws:ec2launchtemplate:id` / `:version` tags, as EC2 adds them.
 *
 * AMIs: drydock runs no images, so any well-formed id (`ami-` + 8 or 17 hex digits) launches, and
 * the instance's architecture is its type's.
 */
import type { RunInstancesRequest } from '@aws-sdk/client-ec2';
import { ec2Id, instanceId as newInstanceId } from '../../kernel/ids.js';
import type { Random } from '../../kernel/random.js';
import type { DefaultNetwork } from './default-vpc.js';
import {
  addressInUse,
  amiIdMalformed,
  insufficientAddresses,
  invalidParameterCombination,
  invalidParameterValue,
  invalidAvailabilityZone,
  invalidInstanceType,
  invalidUserData,
  missingParameter,
  securityGroupNameNotFound,
  securityGroupNotFound,
  subnetNotFound,
} from './errors.js';
import type { InstanceRecord } from './instance.js';
import { instanceTypeSpec } from './instance-types.js';
import { allocateAddress, cidrContains, parseCidr, parseIpv4, privateDnsName } from './ip-address.js';
import type { LaunchTemplateData } from './launch-template.js';
import type { SecurityGroupRecord } from './security-group.js';
import type { Scope } from './store.js';
import type { SubnetRecord } from './subnet.js';
import { mergeTags, tagsFor, type ResourceTag } from './tags.js';

/** Launch parameters from any source; undefined members are left to the next source or defaults. */
export interface LaunchSpec {
  imageId?: string;
  instanceType?: string;
  userData?: string;
  keyName?: string;
  subnetId?: string;
  availabilityZone?: string;
  securityGroupIds?: string[];
  securityGroupNames?: string[];
  tags: ResourceTag[];
  disableApiTermination?: boolean;
  disableApiStop?: boolean;
  shutdownBehavior?: 'stop' | 'terminate';
  spot?: boolean;
  ebsOptimized?: boolean;
  monitoring?: boolean;
  iamInstanceProfile?: { arn?: string; name?: string };
  privateIpAddress?: string;
}

/** RunInstances' default when neither the request nor a template names a type. */
export const DEFAULT_INSTANCE_TYPE = 'm1.small';

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined => (list && list.length > 0 ? list : undefined);

export function specFromTemplate(data: LaunchTemplateData): LaunchSpec {
  const primary = data.NetworkInterfaces?.find((nic) => (nic.DeviceIndex ?? 0) === 0);
  return {
    imageId: data.ImageId,
    instanceType: data.InstanceType,
    userData: data.UserData,
    keyName: data.KeyName,
    subnetId: primary?.SubnetId,
    availabilityZone: data.Placement?.AvailabilityZone,
    securityGroupIds: nonEmpty(data.SecurityGroupIds) ?? nonEmpty(primary?.Groups),
    securityGroupNames: nonEmpty(data.SecurityGroups),
    tags: tagsFor(data.TagSpecifications, 'instance'),
    disableApiTermination: data.DisableApiTermination,
    disableApiStop: data.DisableApiStop,
    shutdownBehavior: data.InstanceInitiatedShutdownBehavior,
    spot: data.InstanceMarketOptions?.MarketType === 'spot' ? true : undefined,
    ebsOptimized: data.EbsOptimized,
    monitoring: data.Monitoring?.Enabled,
    iamInstanceProfile: data.IamInstanceProfile
      ? { arn: data.IamInstanceProfile.Arn, name: data.IamInstanceProfile.Name }
      : undefined,
  };
}

export function specFromRunInstances(input: RunInstancesRequest): LaunchSpec {
  const primary = input.NetworkInterfaces?.find((nic) => (nic.DeviceIndex ?? 0) === 0);
  return {
    imageId: input.ImageId,
    instanceType: input.InstanceType,
    userData: input.UserData,
    keyName: input.KeyName,
    subnetId: input.SubnetId ?? primary?.SubnetId,
    availabilityZone: input.Placement?.AvailabilityZone,
    securityGroupIds: nonEmpty(input.SecurityGroupIds) ?? nonEmpty(primary?.Groups),
    securityGroupNames: nonEmpty(input.SecurityGroups),
    tags: tagsFor(input.TagSpecifications, 'instance'),
    disableApiTermination: input.DisableApiTermination,
    disableApiStop: input.DisableApiStop,
    shutdownBehavior: input.InstanceInitiatedShutdownBehavior,
    spot: input.InstanceMarketOptions?.MarketType === 'spot' ? true : undefined,
    ebsOptimized: input.EbsOptimized,
    monitoring: input.Monitoring?.Enabled,
    iamInstanceProfile: input.IamInstanceProfile
      ? { arn: input.IamInstanceProfile.Arn, name: input.IamInstanceProfile.Name }
      : undefined,
    privateIpAddress: input.PrivateIpAddress ?? primary?.PrivateIpAddress,
  };
}

/** `over`'s members win where set; tags merge by key, `over`'s value winning. */
export function overlaySpec(base: LaunchSpec, over: LaunchSpec): LaunchSpec {
  const merged: LaunchSpec = { ...base, tags: mergeTags(base.tags, over.tags) };
  for (const [member, value] of Object.entries(over) as Array<[keyof LaunchSpec, unknown]>) {
    if (member !== 'tags' && value !== undefined) (merged as unknown as Record<string, unknown>)[member] = value;
  }
  return merged;
}

const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(text: string): boolean {
  return BASE64.test(text.replace(/\s+/g, ''));
}

export interface Placement {
  subnet: SubnetRecord;
  securityGroups: SecurityGroupRecord[];
}

/** Where the instances go: the subnet and groups the spec names, or the default network's. */
export function placeLaunch(
  spec: LaunchSpec,
  network: DefaultNetwork,
  subnets: readonly SubnetRecord[],
  groups: readonly SecurityGroupRecord[],
  random: Random,
): Placement {
  let subnet: SubnetRecord | undefined;
  if (spec.subnetId !== undefined) {
    subnet = subnets.find((candidate) => candidate.subnetId === spec.subnetId);
    if (!subnet) throw subnetNotFound(spec.subnetId);
  } else if (spec.availabilityZone !== undefined) {
    subnet = network.subnets.find((candidate) => candidate.availabilityZone === spec.availabilityZone);
    if (!subnet) throw invalidAvailabilityZone(spec.availabilityZone);
  } else {
    subnet = random.pick(network.subnets);
  }
  const vpcGroups = groups.filter((group) => group.vpcId === subnet.vpcId);
  const securityGroups: SecurityGroupRecord[] = [];
  for (const id of spec.securityGroupIds ?? []) {
    const group = vpcGroups.find((candidate) => candidate.groupId === id);
    if (!group) throw securityGroupNotFound(id);
    securityGroups.push(group);
  }
  for (const name of spec.securityGroupNames ?? []) {
    // Launch configurations may name groups by id in the same list.
    const group = vpcGroups.find((candidate) => candidate.groupName === name || candidate.groupId === name);
    if (!group) throw securityGroupNameNotFound(name, subnet.vpcId);
    securityGroups.push(group);
  }
  if (securityGroups.length === 0) {
    const fallback = vpcGroups.find((group) => group.groupName === 'default');
    if (fallback) securityGroups.push(fallback);
  }
  return { subnet, securityGroups };
}

export interface LaunchPlanInput {
  scope: Scope;
  spec: LaunchSpec;
  count: number;
  placement: Placement;
  /** Private addresses held by live instances in the subnet. */
  addressesInUse: ReadonlySet<string>;
  random: Random;
  nowMs: number;
  bootMs: number;
  launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
  clientToken?: string;
  /** Tags only AWS may write (`aws:autoscaling:groupName`), added after the caller's. */
  serviceTags?: ResourceTag[];
  changeReason?: string;
}

/** Checks the launch and builds its instances, all `pending` until bootMs from now. */
export function planLaunch(input: LaunchPlanInput): InstanceRecord[] {
  const { scope, spec, placement, random, nowMs } = input;
  if (spec.imageId === undefined || spec.imageId === '') {
    throw missingParameter('The request must contain the parameter ImageId');
  }
  if (!AMI_ID.test(spec.imageId)) throw amiIdMalformed(spec.imageId);
  const instanceType = spec.instanceType ?? DEFAULT_INSTANCE_TYPE;
  const type = instanceTypeSpec(instanceType);
  if (!type) throw invalidInstanceType(instanceType);
  if (spec.userData !== undefined && !isBase64(spec.userData)) throw invalidUserData();

  const { subnet, securityGroups } = placement;
  const cidr = parseCidr(subnet.cidrBlock)!;
  const used = new Set(input.addressesInUse);
  const reservationId = ec2Id(random, 'r');
  let tags = spec.tags;
  if (input.launchTemplate) {
    tags = mergeTags(tags, [
      { Key: 'aws:ec2launchtemplate:id', Value: input.launchTemplate.launchTemplateId },
      { Key: 'aws:ec2launchtemplate:version', Value: input.launchTemplate.version },
    ]);
  }
  if (input.serviceTags) tags = mergeTags(tags, input.serviceTags);
  const iamInstanceProfileArn =
    spec.iamInstanceProfile?.arn ??
    (spec.iamInstanceProfile?.name
      ? `arn:aws:iam::${scope.accountId}:instance-profile/${spec.iamInstanceProfile.name}`
      : undefined);

  if (spec.privateIpAddress !== undefined) {
    // EC2 takes a requested address only inside the subnet's range and only once.
    const requested = parseIpv4(spec.privateIpAddress);
    if (requested === undefined || !cidrContains(cidr, requested)) {
      throw invalidParameterValue(`Address ${spec.privateIpAddress} does not fall within the subnet's address range`);
    }
    if (used.has(spec.privateIpAddress)) throw addressInUse(spec.privateIpAddress);
    if (input.count > 1) {
      throw invalidParameterCombination('Cannot specify a private IP address when launching more than one instance.');
    }
  }
  const records: InstanceRecord[] = [];
  for (let index = 0; index < input.count; index += 1) {
    const address =
      index === 0 && spec.privateIpAddress !== undefined ? spec.privateIpAddress : allocateAddress(cidr, used, random);
    if (address === undefined) throw insufficientAddresses(subnet.subnetId);
    used.add(address);
    const record: InstanceRecord = {
      accountId: scope.accountId,
      region: scope.region,
      instanceId: newInstanceId(random),
      reservationId,
      imageId: spec.imageId,
      instanceType,
      architecture: type.architecture,
      state: 'pending',
      stateDueAtMs: nowMs + input.bootMs,
      stateTransitionReason: '',
      changeReason: input.changeReason ?? 'User initiated',
      launchTimeMs: nowMs,
      availabilityZone: subnet.availabilityZone,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      privateIpAddress: address,
      privateDnsName: privateDnsName(address, scope.region),
      networkInterfaceId: ec2Id(random, 'eni'),
      macAddress: macAddress(random),
      volumeId: ec2Id(random, 'vol'),
      securityGroups: securityGroups.map((group) => ({ groupId: group.groupId, groupName: group.groupName })),
      disableApiTermination: spec.disableApiTermination ?? false,
      disableApiStop: spec.disableApiStop ?? false,
      shutdownBehavior: spec.shutdownBehavior ?? 'stop',
      ebsOptimized: spec.ebsOptimized ?? false,
      monitoring: spec.monitoring ?? false,
      amiLaunchIndex: index,
      spot: spec.spot ?? false,
      tags,
      revision: 1,
    };
    if (spec.keyName !== undefined) record.keyName = spec.keyName;
    if (spec.userData !== undefined) record.userData = spec.userData;
    if (iamInstanceProfileArn !== undefined) record.iamInstanceProfileArn = iamInstanceProfileArn;
    if (input.launchTemplate) record.launchTemplate = input.launchTemplate;
    if (input.clientToken !== undefined) record.clientToken = input.clientToken;
    if (record.spot) record.spotInstanceRequestId = `sir-${random.hex(8)}`;
    records.push(record);
  }
  return records;
}

/** A locally administered unicast MAC, as EC2's interfaces have (`02:…`). */
function macAddress(random: Random): string {
  const octets = ['02', ...Array.from({ length: 5 }, () => random.hex(2))];
  return octets.join(':');
}
