/**
 * The security group as stored and as DescribeSecurityGroups shows it. Each VPC has a `default`
 * group that lets its members talk to each other and everything out (VPC User Guide, "Default
 * security groups for your VPCs"); drydock keeps rules as AWS shows them but enforces none.
 */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { arn } from '../../kernel/ids.js';
import type { FilterFields } from './filters.js';
import type { ResourceTag } from './tags.js';

export interface SecurityGroupRecord {
  accountId: string;
  region: string;
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: ResourceTag[];
}

export const DEFAULT_GROUP_NAME = 'default';
export const DEFAULT_GROUP_DESCRIPTION = 'default VPC security group';

export function toSecurityGroup(record: SecurityGroupRecord): SecurityGroup {
  const isDefault = record.groupName === DEFAULT_GROUP_NAME;
  return {
    GroupId: record.groupId,
    GroupName: record.groupName,
    Description: record.description,
    OwnerId: record.accountId,
    VpcId: record.vpcId,
    SecurityGroupArn: arn({
      service: 'ec2',
      region: record.region,
      accountId: record.accountId,
      resource: `security-group/${record.groupId}`,
    }),
    IpPermissions: isDefault
      ? [
          {
            IpProtocol: '-1',
            IpRanges: [],
            Ipv6Ranges: [],
            PrefixListIds: [],
            UserIdGroupPairs: [{ GroupId: record.groupId, UserId: record.accountId }],
          },
        ]
      : [],
    IpPermissionsEgress: [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ],
    Tags: record.tags.length > 0 ? record.tags : undefined,
  };
}

export const SECURITY_GROUP_FILTERS: FilterFields<SecurityGroupRecord> = {
  'group-id': (group) => [group.groupId],
  'group-name': (group) => [group.groupName],
  description: (group) => [group.description],
  'vpc-id': (group) => [group.vpcId],
  'owner-id': (group) => [group.accountId],
};
