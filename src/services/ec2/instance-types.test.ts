/**
 * The instance-type catalogue holds AWS's vCPU and memory figures.
 */
import { describe, expect, it } from 'vitest';
import { allInstanceTypes, instanceTypeSpec, toInstanceTypeInfo } from './instance-types.js';

describe('instance-type catalogue', () => {
  it.each([
    ['t3.micro', 2, 1024, 'x86_64'],
    ['t2.nano', 1, 512, 'x86_64'],
    ['t4g.large', 2, 8192, 'arm64'],
    ['m5.large', 2, 8192, 'x86_64'],
    ['m5.24xlarge', 96, 393216, 'x86_64'],
    ['m6g.medium', 1, 4096, 'arm64'],
    ['c5.9xlarge', 36, 73728, 'x86_64'],
    ['c6g.16xlarge', 64, 131072, 'arm64'],
    ['r6i.32xlarge', 128, 1048576, 'x86_64'],
    ['m7i.48xlarge', 192, 786432, 'x86_64'],
  ])('%s has %i vCPUs and %i MiB (%s)', (type, vCpus, memoryMiB, architecture) => {
    expect(instanceTypeSpec(type)).toMatchObject({ vCpus, memoryMiB, architecture });
  });

  it('does not know types outside the catalogue', () => {
    expect(instanceTypeSpec('t3.foo')).toBeUndefined();
    expect(instanceTypeSpec('c5.32xlarge')).toBeUndefined();
  });

  it('lists types in name order', () => {
    const names = allInstanceTypes().map((spec) => spec.instanceType);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBeGreaterThan(150);
  });

  it('describes a type as DescribeInstanceTypes does', () => {
    expect(toInstanceTypeInfo(instanceTypeSpec('m5.xlarge')!)).toMatchObject({
      InstanceType: 'm5.xlarge',
      VCpuInfo: { DefaultVCpus: 4, DefaultCores: 2, DefaultThreadsPerCore: 2 },
      MemoryInfo: { SizeInMiB: 16384 },
      ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
      BurstablePerformanceSupported: false,
      Hypervisor: 'nitro',
    });
  });
});
