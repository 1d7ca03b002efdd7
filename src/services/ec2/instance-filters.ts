/**
 * The DescribeInstances filter names programs use (EC2 API Reference, DescribeInstances
 * "Filters"), with each instance's values under them. Tag filters (`tag:<key>`, `tag-key`,
 * `tag-value`, including `tag:aws:autoscaling:groupName`) come from filters.ts.
 */
import type { FilterFields } from './filters.js';
import { STATE_CODES, type InstanceRecord } from './instance.js';

const live = (record: InstanceRecord) => record.state !== 'terminated';

export const INSTANCE_FILTERS: FilterFields<InstanceRecord> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [STATE_CODES[i.state]],
  'instance-type': (i) => [i.instanceType],
  'availability-zone': (i) => [i.availabilityZone],
  'subnet-id': (i) => (live(i) ? [i.subnetId] : []),
  'vpc-id': (i) => (live(i) ? [i.vpcId] : []),
  'private-ip-address': (i) => (live(i) ? [i.privateIpAddress] : []),
  'network-interface.addresses.private-ip-address': (i) => (live(i) ? [i.privateIpAddress] : []),
  'private-dns-name': (i) => (live(i) ? [i.privateDnsName] : []),
  'network-interface.network-interface-id': (i) => (live(i) ? [i.networkInterfaceId] : []),
  'network-interface.subnet-id': (i) => (live(i) ? [i.subnetId] : []),
  'network-interface.vpc-id': (i) => (live(i) ? [i.vpcId] : []),
  'instance.group-id': (i) => (live(i) ? i.securityGroups.map((g) => g.groupId) : []),
  'instance.group-name': (i) => (live(i) ? i.securityGroups.map((g) => g.groupName) : []),
  'image-id': (i) => [i.imageId],
  'reservation-id': (i) => [i.reservationId],
  'owner-id': (i) => [i.accountId],
  'key-name': (i) => [i.keyName],
  'client-token': (i) => [i.clientToken],
  'instance-lifecycle': (i) => [i.spot ? 'spot' : undefined],
  'spot-instance-request-id': (i) => [i.spotInstanceRequestId],
  architecture: (i) => [i.architecture],
  'launch-time': (i) => [new Date(i.launchTimeMs).toISOString()],
  'state-reason-code': (i) => [i.stateReason?.code],
  'iam-instance-profile.arn': (i) => [i.iamInstanceProfileArn],
  'placement-group-name': () => [''],
  tenancy: () => ['default'],
  'root-device-type': () => ['ebs'],
  'virtualization-type': () => ['hvm'],
  'platform-details': () => ['Linux/UNIX'],
  'dns-name': () => [''],
  'monitoring-state': (i) => [i.monitoring ? 'enabled' : 'disabled'],
};

/** DescribeInstanceStatus: a running instance passes both checks; others have none to pass. */
export function statusOf(record: InstanceRecord): 'ok' | 'not-applicable' {
  return record.state === 'running' ? 'ok' : 'not-applicable';
}

export const INSTANCE_STATUS_FILTERS: FilterFields<InstanceRecord> = {
  'availability-zone': (i) => [i.availabilityZone],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [STATE_CODES[i.state]],
  'instance-status.status': (i) => [statusOf(i)],
  'system-status.status': (i) => [statusOf(i)],
  'instance-status.reachability': (i) => [i.state === 'running' ? 'passed' : undefined],
  'system-status.reachability': (i) => [i.state === 'running' ? 'passed' : undefined],
};
