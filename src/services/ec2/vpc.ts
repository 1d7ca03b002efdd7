/**
 * The VPC as stored and as DescribeVpcs shows it. drydock has the default VPC of each account and
 * Region (172.31.0.0/16, `isDefault`), created on first use as AWS creates it with the account.
 */
import type { Vpc } from '@aws-sdk/client-ec2';
import type { FilterFields } from './filters.js';
import type { ResourceTag } from './tags.js';

export interface VpcRecord {
  accountId: string;
  region: string;
  vpcId: string;
  cidrBlock: string;
  cidrBlockAssociationId: string;
  dhcpOptionsId: string;
  isDefault: boolean;
  tags: ResourceTag[];
}

export function toVpc(record: VpcRecord): Vpc {
  return {
    VpcId: record.vpcId,
    OwnerId: record.accountId,
    CidrBlock: record.cidrBlock,
    CidrBlockAssociationSet: [
      {
        AssociationId: record.cidrBlockAssociationId,
        CidrBlock: record.cidrBlock,
        CidrBlockState: { State: 'associated' },
      },
    ],
    DhcpOptionsId: record.dhcpOptionsId,
    State: 'available',
    InstanceTenancy: 'default',
    IsDefault: record.isDefault,
    Tags: record.tags.length > 0 ? record.tags : undefined,
  };
}

export const VPC_FILTERS: FilterFields<VpcRecord> = {
  'vpc-id': (vpc) => [vpc.vpcId],
  'is-default': (vpc) => [vpc.isDefault],
  isDefault: (vpc) => [vpc.isDefault],
  cidr: (vpc) => [vpc.cidrBlock],
  'cidr-block-association.cidr-block': (vpc) => [vpc.cidrBlock],
  'cidr-block-association.association-id': (vpc) => [vpc.cidrBlockAssociationId],
  'cidr-block-association.state': () => ['associated'],
  'dhcp-options-id': (vpc) => [vpc.dhcpOptionsId],
  'owner-id': (vpc) => [vpc.accountId],
  state: () => ['available'],
};
