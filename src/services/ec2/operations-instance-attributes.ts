/**
 * EC2 wire adapter for DescribeInstanceAttribute and ModifyInstanceAttribute. User data comes back
 * base64 as it was sent (programs decode it to read `ECS_CLUSTER=`); termination and stop
 * protection can change any time; the instance type and user data only while the instance is
 * stopped, as EC2 requires.
 */
import type {
  DescribeInstanceAttributeRequest,
  InstanceAttribute,
  ModifyInstanceAttributeRequest,
} from '@aws-sdk/client-ec2';
import type { OperationHandler } from '../../kernel/operation.js';
import { saveInstance, scopeOf, type Ec2Context } from './context.js';
import {
  instanceTypesNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  notStopped,
  securityGroupNotFound,
} from './errors.js';
import type { InstanceRecord } from './instance.js';
import { instanceTypeSpec } from './instance-types.js';
import { requireInstances } from './lookup.js';
import { scopePrefix } from './store.js';

function describeAttribute(record: InstanceRecord, attribute: string): InstanceAttribute {
  const base: InstanceAttribute = { InstanceId: record.instanceId };
  switch (attribute) {
    case 'userData':
      return { ...base, UserData: record.userData === undefined ? {} : { Value: record.userData } };
    case 'disableApiTermination':
      return { ...base, DisableApiTermination: { Value: record.disableApiTermination } };
    case 'disableApiStop':
      return { ...base, DisableApiStop: { Value: record.disableApiStop } };
    case 'instanceType':
      return { ...base, InstanceType: { Value: record.instanceType } };
    case 'instanceInitiatedShutdownBehavior':
      return { ...base, InstanceInitiatedShutdownBehavior: { Value: record.shutdownBehavior } };
    case 'rootDeviceName':
      return { ...base, RootDeviceName: { Value: '/dev/xvda' } };
    case 'blockDeviceMapping':
      return {
        ...base,
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: {
              VolumeId: record.volumeId,
              Status: 'attached',
              AttachTime: new Date(record.launchTimeMs),
              DeleteOnTermination: true,
            },
          },
        ],
      };
    case 'groupSet':
      return {
        ...base,
        Groups: record.securityGroups.map((group) => ({ GroupId: group.groupId, GroupName: group.groupName })),
      };
    case 'ebsOptimized':
      return { ...base, EbsOptimized: { Value: record.ebsOptimized } };
    case 'enaSupport':
      return { ...base, EnaSupport: { Value: true } };
    case 'sourceDestCheck':
      return { ...base, SourceDestCheck: { Value: true } };
    case 'productCodes':
      return { ...base, ProductCodes: [] };
    case 'kernel':
      return { ...base, KernelId: {} };
    case 'ramdisk':
      return { ...base, RamdiskId: {} };
    case 'sriovNetSupport':
      return { ...base, SriovNetSupport: {} };
    case 'enclaveOptions':
      return { ...base, EnclaveOptions: { Enabled: false } };
    default:
      throw invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}

function parseBoolean(value: string, attribute: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidParameterValue(`Value (${value}) for parameter ${attribute} is invalid. Expected a boolean.`);
}

type Modification = (record: InstanceRecord) => InstanceRecord;

/** What the request changes; EC2 takes one attribute per call. */
function modificationOf(ctx: Ec2Context, input: ModifyInstanceAttributeRequest): Modification {
  const found: Modification[] = [];
  const attribute = input.Attribute;
  const value = input.Value;
  const whenStopped =
    (modify: Modification): Modification =>
    (record) => {
      if (record.state !== 'stopped') throw notStopped(record.instanceId);
      return modify(record);
    };
  const setType = (instanceType: string): Modification =>
    whenStopped((record) => {
      const spec = instanceTypeSpec(instanceType);
      if (!spec) throw instanceTypesNotFound([instanceType], 'InvalidParameterValue');
      return { ...record, instanceType, architecture: spec.architecture };
    });
  const setUserData = (base64: string): Modification => whenStopped((record) => ({ ...record, userData: base64 }));

  if (input.DisableApiTermination?.Value !== undefined) {
    const flag = input.DisableApiTermination.Value;
    found.push((record) => ({ ...record, disableApiTermination: flag }));
  }
  if (input.DisableApiStop?.Value !== undefined) {
    const flag = input.DisableApiStop.Value;
    found.push((record) => ({ ...record, disableApiStop: flag }));
  }
  if (input.InstanceType?.Value !== undefined) found.push(setType(input.InstanceType.Value));
  if (input.UserData?.Value !== undefined) {
    found.push(setUserData(Buffer.from(input.UserData.Value).toString('base64')));
  }
  if (input.InstanceInitiatedShutdownBehavior?.Value !== undefined) {
    const behavior = input.InstanceInitiatedShutdownBehavior.Value;
    if (behavior !== 'stop' && behavior !== 'terminate') {
      throw invalidParameterValue(`Value (${behavior}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
    }
    found.push((record) => ({ ...record, shutdownBehavior: behavior }));
  }
  if (input.EbsOptimized?.Value !== undefined) {
    const flag = input.EbsOptimized.Value;
    found.push(whenStopped((record) => ({ ...record, ebsOptimized: flag })));
  }
  if (input.Groups && input.Groups.length > 0) {
    const groupIds = input.Groups;
    found.push((record) => {
      const groups = ctx.tables.securityGroups.withPrefix(scopePrefix(record)).filter((g) => g.vpcId === record.vpcId);
      return {
        ...record,
        securityGroups: groupIds.map((id) => {
          const group = groups.find((candidate) => candidate.groupId === id);
          if (!group) throw securityGroupNotFound(id);
          return { groupId: group.groupId, groupName: group.groupName };
        }),
      };
    });
  }
  if (attribute !== undefined && value !== undefined) {
    switch (attribute) {
      case 'disableApiTermination': {
        const flag = parseBoolean(value, attribute);
        found.push((record) => ({ ...record, disableApiTermination: flag }));
        break;
      }
      case 'disableApiStop': {
        const flag = parseBoolean(value, attribute);
        found.push((record) => ({ ...record, disableApiStop: flag }));
        break;
      }
      case 'instanceType':
        found.push(setType(value));
        break;
      case 'userData':
        found.push(setUserData(Buffer.from(value, 'utf8').toString('base64')));
        break;
      case 'instanceInitiatedShutdownBehavior':
        if (value !== 'stop' && value !== 'terminate') {
          throw invalidParameterValue(`Value (${value}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
        }
        found.push((record) => ({ ...record, shutdownBehavior: value }));
        break;
      default:
        throw invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
    }
  }
  if (found.length === 0) throw missingParameter('The request must contain the parameter attribute');
  if (found.length > 1) {
    throw invalidParameterCombination('Fields for multiple attribute types specified.');
  }
  return found[0]!;
}

export function instanceAttributeOperations(ctx: Ec2Context) {
  const DescribeInstanceAttribute: OperationHandler<DescribeInstanceAttributeRequest, InstanceAttribute> = (
    input,
    request,
  ) => {
    const [record] = requireInstances(ctx, scopeOf(request), [input.InstanceId ?? '']);
    return describeAttribute(record!, input.Attribute ?? '');
  };

  const ModifyInstanceAttribute: OperationHandler<ModifyInstanceAttributeRequest, Record<string, never>> = (
    input,
    request,
  ) => {
    const [record] = requireInstances(ctx, scopeOf(request), [input.InstanceId ?? '']);
    const modify = modificationOf(ctx, input);
    saveInstance(ctx, record!, modify(record!));
    return {};
  };

  return { DescribeInstanceAttribute, ModifyInstanceAttribute };
}
