/**
 * The instance-type catalogue: vCPUs, memory and architecture of the common general-purpose,
 * compute- and memory-optimised families (the EC2 Instance Types guide, "Specifications"), and
 * their DescribeInstanceTypes shape. vCPU and memory are AWS's figures; network-interface limits
 * and network performance follow AWS's pattern per size and are approximations for the larger
 * sizes. A type missing here is unknown to drydock, as an unknown type is to EC2.
 */
import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';

export type Architecture = 'x86_64' | 'arm64';

export interface InstanceTypeSpec {
  instanceType: string;
  vCpus: number;
  memoryMiB: number;
  architecture: Architecture;
  burstable: boolean;
  hypervisor: 'nitro' | 'xen';
  threadsPerCore: number;
  maxNetworkInterfaces: number;
  ipv4AddressesPerInterface: number;
  networkPerformance: string;
  freeTierEligible: boolean;
}

/** vCPUs of each size in the fixed-performance families (Graviton `medium` has one). */
const SIZE_VCPUS: Readonly<Record<string, number>> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '9xlarge': 36,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};

interface FixedFamily {
  family: string;
  /** GiB of memory per vCPU: 4 for m, 2 for c, 8 for r. */
  gibPerVcpu: number;
  sizes: string[];
}

const UP_TO_24 = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const UP_TO_32 = [...UP_TO_24, '32xlarge'];
const UP_TO_48 = [...UP_TO_32, '48xlarge'];
const GRAVITON = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

const FIXED_FAMILIES: FixedFamily[] = [
  { family: 'm5', gibPerVcpu: 4, sizes: UP_TO_24 },
  { family: 'm5a', gibPerVcpu: 4, sizes: UP_TO_24 },
  { family: 'm6i', gibPerVcpu: 4, sizes: UP_TO_32 },
  { family: 'm6a', gibPerVcpu: 4, sizes: UP_TO_48 },
  { family: 'm6g', gibPerVcpu: 4, sizes: GRAVITON },
  { family: 'm7i', gibPerVcpu: 4, sizes: UP_TO_48.filter((size) => size !== '32xlarge') },
  { family: 'm7g', gibPerVcpu: 4, sizes: GRAVITON },
  {
    family: 'c5',
    gibPerVcpu: 2,
    sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'],
  },
  { family: 'c5a', gibPerVcpu: 2, sizes: UP_TO_24 },
  { family: 'c6i', gibPerVcpu: 2, sizes: UP_TO_32 },
  { family: 'c6a', gibPerVcpu: 2, sizes: UP_TO_48 },
  { family: 'c6g', gibPerVcpu: 2, sizes: GRAVITON },
  { family: 'c7i', gibPerVcpu: 2, sizes: UP_TO_48.filter((size) => size !== '32xlarge') },
  { family: 'c7g', gibPerVcpu: 2, sizes: GRAVITON },
  { family: 'r5', gibPerVcpu: 8, sizes: UP_TO_24 },
  { family: 'r5a', gibPerVcpu: 8, sizes: UP_TO_24 },
  { family: 'r6i', gibPerVcpu: 8, sizes: UP_TO_32 },
  { family: 'r6g', gibPerVcpu: 8, sizes: GRAVITON },
  { family: 'r7i', gibPerVcpu: 8, sizes: UP_TO_48.filter((size) => size !== '32xlarge') },
  { family: 'r7g', gibPerVcpu: 8, sizes: GRAVITON },
];

/** Burstable sizes: [vCPUs, GiB, network interfaces, IPv4 addresses per interface]. */
type BurstableSize = [number, number, number, number];

const T3_SIZES: Readonly<Record<string, BurstableSize>> = {
  nano: [2, 0.5, 2, 2],
  micro: [2, 1, 2, 2],
  small: [2, 2, 3, 4],
  medium: [2, 4, 3, 6],
  large: [2, 8, 3, 12],
  xlarge: [4, 16, 4, 15],
  '2xlarge': [8, 32, 4, 15],
};

const T2_SIZES: Readonly<Record<string, BurstableSize>> = {
  nano: [1, 0.5, 2, 2],
  micro: [1, 1, 2, 2],
  small: [1, 2, 3, 4],
  medium: [2, 4, 3, 6],
  large: [2, 8, 3, 12],
  xlarge: [4, 16, 3, 15],
  '2xlarge': [8, 32, 3, 15],
};

const FREE_TIER = new Set(['t2.micro', 't3.micro']);

/** Graviton families carry a `g` after the generation digit (m6g, c7g, t4g). */
function architectureOf(family: string): Architecture {
  return /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64';
}

function networkLimits(vCpus: number): [number, number] {
  if (vCpus <= 1) return [2, 4];
  if (vCpus <= 2) return [3, 10];
  if (vCpus <= 8) return [4, 15];
  if (vCpus <= 48) return [8, 30];
  return [15, 50];
}

function networkPerformance(vCpus: number): string {
  if (vCpus <= 16) return 'Up to 12.5 Gigabit';
  if (vCpus <= 48) return '12.5 Gigabit';
  if (vCpus <= 72) return '25 Gigabit';
  if (vCpus <= 96) return '37.5 Gigabit';
  return '50 Gigabit';
}

function buildCatalogue(): Map<string, InstanceTypeSpec> {
  const specs: InstanceTypeSpec[] = [];
  for (const [family, sizes] of [
    ['t2', T2_SIZES],
    ['t3', T3_SIZES],
    ['t3a', T3_SIZES],
    ['t4g', T3_SIZES],
  ] as const) {
    const architecture = architectureOf(family);
    for (const [size, [vCpus, gib, interfaces, addresses]] of Object.entries(sizes)) {
      const instanceType = `${family}.${size}`;
      specs.push({
        instanceType,
        vCpus,
        memoryMiB: gib * 1024,
        architecture,
        burstable: true,
        hypervisor: family === 't2' ? 'xen' : 'nitro',
        threadsPerCore: family === 't2' || architecture === 'arm64' ? 1 : 2,
        maxNetworkInterfaces: interfaces,
        ipv4AddressesPerInterface: addresses,
        networkPerformance: family === 't2' ? 'Low to Moderate' : 'Up to 5 Gigabit',
        freeTierEligible: FREE_TIER.has(instanceType),
      });
    }
  }
  for (const { family, gibPerVcpu, sizes } of FIXED_FAMILIES) {
    const architecture = architectureOf(family);
    for (const size of sizes) {
      const vCpus = SIZE_VCPUS[size]!;
      const [interfaces, addresses] = networkLimits(vCpus);
      specs.push({
        instanceType: `${family}.${size}`,
        vCpus,
        memoryMiB: vCpus * gibPerVcpu * 1024,
        architecture,
        burstable: false,
        hypervisor: 'nitro',
        threadsPerCore: architecture === 'arm64' ? 1 : 2,
        maxNetworkInterfaces: interfaces,
        ipv4AddressesPerInterface: addresses,
        networkPerformance: networkPerformance(vCpus),
        freeTierEligible: false,
      });
    }
  }
  // RunInstances' default type when none is named (previous generation, Xen).
  specs.push({
    instanceType: 'm1.small',
    vCpus: 1,
    memoryMiB: 1740,
    architecture: 'x86_64',
    burstable: false,
    hypervisor: 'xen',
    threadsPerCore: 1,
    maxNetworkInterfaces: 2,
    ipv4AddressesPerInterface: 4,
    networkPerformance: 'Low',
    freeTierEligible: false,
  });
  return new Map(specs.map((spec) => [spec.instanceType, spec]));
}

const CATALOGUE = buildCatalogue();

export function instanceTypeSpec(instanceType: string): InstanceTypeSpec | undefined {
  return CATALOGUE.get(instanceType);
}

/** Every type in the catalogue, in name order (DescribeInstanceTypes pages in that order). */
export function allInstanceTypes(): InstanceTypeSpec[] {
  return [...CATALOGUE.values()].sort((a, b) => (a.instanceType < b.instanceType ? -1 : 1));
}

export function toInstanceTypeInfo(spec: InstanceTypeSpec): InstanceTypeInfo {
  const cores = spec.vCpus / spec.threadsPerCore;
  return {
    InstanceType: spec.instanceType as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: !spec.instanceType.startsWith('m1.'),
    FreeTierEligible: spec.freeTierEligible,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: spec.hypervisor,
    ProcessorInfo: { SupportedArchitectures: [spec.architecture] },
    VCpuInfo: { DefaultVCpus: spec.vCpus, DefaultCores: cores, DefaultThreadsPerCore: spec.threadsPerCore },
    MemoryInfo: { SizeInMiB: spec.memoryMiB },
    InstanceStorageSupported: false,
    EbsInfo: {
      EbsOptimizedSupport: spec.hypervisor === 'xen' ? 'unsupported' : 'default',
      EncryptionSupport: 'supported',
      NvmeSupport: spec.hypervisor === 'xen' ? 'unsupported' : 'required',
    },
    NetworkInfo: {
      NetworkPerformance: spec.networkPerformance,
      MaximumNetworkInterfaces: spec.maxNetworkInterfaces,
      Ipv4AddressesPerInterface: spec.ipv4AddressesPerInterface,
      Ipv6AddressesPerInterface: spec.ipv4AddressesPerInterface,
      Ipv6Supported: spec.hypervisor === 'nitro',
      EnaSupport: spec.hypervisor === 'nitro' ? 'required' : 'unsupported',
      EfaSupported: false,
    },
    PlacementGroupInfo: { SupportedStrategies: ['partition', 'spread'] },
    HibernationSupported: spec.architecture === 'x86_64',
    BurstablePerformanceSupported: spec.burstable,
    DedicatedHostsSupported: !spec.burstable,
    AutoRecoverySupported: true,
    SupportedBootModes: spec.architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
  };
}
