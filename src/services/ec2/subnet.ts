/**
 * The subnet as stored and as DescribeSubnets shows it: the default VPC has one default subnet per
 * Availability Zone, a /20 that maps public IPs on launch (VPC User Guide, "Default VPCs").
 * AvailableIpAddressCount counts the addresses live instances hold.
 */
import type { Subnet } from '@aws-sdk/client-ec2';
import { arn } from '../../kernel/ids.js';
import type { FilterFields } from './filters.js';
import { parseCidr, usableAddressCount } from './ip-address.js';
import type { ResourceTag } from './tags.js';

export interface SubnetRecord {
  accountId: string;
  region: string;
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  tags: ResourceTag[];
}

export function subnetArn(record: SubnetRecord): string {
  return arn({
    service: 'ec2',
    region: record.region,
    accountId: record.accountId,
    resource: `subnet/${record.subnetId}`,
  });
}

export function toSubnet(record: SubnetRecord, addressesInUse: number): Subnet {
  const cidr = parseCidr(record.cidrBlock);
  return {
    SubnetId: record.subnetId,
    SubnetArn: subnetArn(record),
    VpcId: record.vpcId,
    OwnerId: record.accountId,
    CidrBlock: record.cidrBlock,
    AvailabilityZone: record.availabilityZone,
    AvailabilityZoneId: record.availabilityZoneId,
    AvailableIpAddressCount: cidr ? usableAddressCount(cidr) - addressesInUse : 0,
    DefaultForAz: record.defaultForAz,
    MapPublicIpOnLaunch: record.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    State: 'available',
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    Tags: record.tags.length > 0 ? record.tags : undefined,
  };
}

export const SUBNET_FILTERS: FilterFields<SubnetRecord> = {
  'subnet-id': (subnet) => [subnet.subnetId],
  'subnet-arn': (subnet) => [subnetArn(subnet)],
  'vpc-id': (subnet) => [subnet.vpcId],
  'availability-zone': (subnet) => [subnet.availabilityZone],
  availabilityZone: (subnet) => [subnet.availabilityZone],
  'availability-zone-id': (subnet) => [subnet.availabilityZoneId],
  'cidr-block': (subnet) => [subnet.cidrBlock],
  cidr: (subnet) => [subnet.cidrBlock],
  cidrBlock: (subnet) => [subnet.cidrBlock],
  'default-for-az': (subnet) => [subnet.defaultForAz],
  defaultForAz: (subnet) => [subnet.defaultForAz],
  'map-public-ip-on-launch': (subnet) => [subnet.mapPublicIpOnLaunch],
  'owner-id': (subnet) => [subnet.accountId],
  state: () => ['available'],
};
