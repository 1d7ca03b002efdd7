/**
 * The default network AWS gives every account in every Region: a VPC of 172.31.0.0/16, one
 * default /20 subnet per Availability Zone (172.31.0.0/20, 172.31.16.0/20, … in zone order) and
 * the VPC's `default` security group (VPC User Guide, "Default VPCs"). drydock creates it the
 * first time anything in the account and Region touches EC2.
 */
import { ec2Id } from '../../kernel/ids.js';
import type { Random } from '../../kernel/random.js';
import { zonesOf } from './availability-zone.js';
import { DEFAULT_VPC_CIDR, defaultSubnetCidr } from './ip-address.js';
import { DEFAULT_GROUP_DESCRIPTION, DEFAULT_GROUP_NAME, type SecurityGroupRecord } from './security-group.js';
import type { Scope } from './store.js';
import type { SubnetRecord } from './subnet.js';
import type { VpcRecord } from './vpc.js';

export interface DefaultNetwork {
  vpc: VpcRecord;
  subnets: SubnetRecord[];
  securityGroup: SecurityGroupRecord;
}

export function planDefaultNetwork(scope: Scope, random: Random): DefaultNetwork {
  const vpcId = ec2Id(random, 'vpc');
  const vpc: VpcRecord = {
    ...scope,
    vpcId,
    cidrBlock: DEFAULT_VPC_CIDR,
    cidrBlockAssociationId: ec2Id(random, 'vpc-cidr-assoc'),
    dhcpOptionsId: ec2Id(random, 'dopt'),
    isDefault: true,
    tags: [],
  };
  const subnets = zonesOf(scope.region).map((zone, index): SubnetRecord => ({
    ...scope,
    subnetId: ec2Id(random, 'subnet'),
    vpcId,
    cidrBlock: defaultSubnetCidr(index),
    availabilityZone: zone.zoneName,
    availabilityZoneId: zone.zoneId,
    defaultForAz: true,
    mapPublicIpOnLaunch: true,
    tags: [],
  }));
  const securityGroup: SecurityGroupRecord = {
    ...scope,
    groupId: ec2Id(random, 'sg'),
    groupName: DEFAULT_GROUP_NAME,
    description: DEFAULT_GROUP_DESCRIPTION,
    vpcId,
    tags: [],
  };
  return { vpc, subnets, securityGroup };
}
