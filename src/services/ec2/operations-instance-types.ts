/**
 * EC2 wire adapter for DescribeInstanceTypes over drydock's catalogue: named types (an unknown one
 * is `InvalidInstanceType`), filters on the specifications programs select by, and paging.
 */
import type { DescribeInstanceTypesRequest, DescribeInstanceTypesResult } from '@aws-sdk/client-ec2';
import type { OperationHandler } from '../../kernel/operation.js';
import { instanceTypesNotFound } from './errors.js';
import { applyFilters, type FilterFields } from './filters.js';
import { allInstanceTypes, instanceTypeSpec, toInstanceTypeInfo, type InstanceTypeSpec } from './instance-types.js';
import { pageOf } from './paging.js';

const TYPE_FILTERS: FilterFields<InstanceTypeSpec> = {
  'instance-type': (t) => [t.instanceType],
  'current-generation': (t) => [!t.instanceType.startsWith('m1.')],
  'free-tier-eligible': (t) => [t.freeTierEligible],
  'burstable-performance-supported': (t) => [t.burstable],
  'bare-metal': () => [false],
  hypervisor: (t) => [t.hypervisor],
  'processor-info.supported-architecture': (t) => [t.architecture],
  'vcpu-info.default-vcpus': (t) => [t.vCpus],
  'vcpu-info.default-threads-per-core': (t) => [t.threadsPerCore],
  'memory-info.size-in-mib': (t) => [t.memoryMiB],
  'network-info.maximum-network-interfaces': (t) => [t.maxNetworkInterfaces],
  'network-info.ipv4-addresses-per-interface': (t) => [t.ipv4AddressesPerInterface],
  'network-info.network-performance': (t) => [t.networkPerformance],
  'supported-usage-class': () => ['on-demand', 'spot'],
  'supported-root-device-type': () => ['ebs'],
  'supported-virtualization-type': () => ['hvm'],
};

export function instanceTypeOperations() {
  const DescribeInstanceTypes: OperationHandler<DescribeInstanceTypesRequest, DescribeInstanceTypesResult> = (
    input,
  ) => {
    const named = input.InstanceTypes ?? [];
    const unknown = named.filter((type) => !instanceTypeSpec(type));
    if (unknown.length > 0) throw instanceTypesNotFound(unknown);
    const candidates =
      named.length > 0 ? allInstanceTypes().filter((t) => named.includes(t.instanceType as never)) : allInstanceTypes();
    const matching = applyFilters(candidates, input.Filters, TYPE_FILTERS);
    const page = pageOf(matching, (t) => t.instanceType, input.MaxResults, input.NextToken, {
      min: 5,
      max: 100,
      defaultSize: 100,
    });
    return { InstanceTypes: page.items.map(toInstanceTypeInfo), NextToken: page.nextToken };
  };
  return { DescribeInstanceTypes };
}
