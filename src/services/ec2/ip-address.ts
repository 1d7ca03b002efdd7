/**
 * IPv4 arithmetic for VPC subnets: the default VPC's /20 subnets, private address allocation
 * inside a subnet (AWS reserves the first four addresses and the last one of every subnet, VPC
 * User Guide "Subnet CIDR blocks"), and the private DNS names EC2 derives from an address
 * (`ip-172-31-5-9.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere).
 */
import type { Random } from '../../kernel/random.js';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefixLength: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(text: string): Cidr | undefined {
  const [address = '', length = ''] = text.split('/');
  const base = parseIpv4(address);
  if (base === undefined || !/^\d{1,2}$/.test(length) || Number(length) > 32) return undefined;
  return { base, prefixLength: Number(length) };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefixLength}`;
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return address >= cidr.base && address < cidr.base + cidrSize(cidr);
}

/** The default VPC's CIDR block in every Region. */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** The index-th /20 of the default VPC: 172.31.0.0/20, 172.31.16.0/20, 172.31.32.0/20, … */
export function defaultSubnetCidr(index: number): string {
  const vpc = parseCidr(DEFAULT_VPC_CIDR)!;
  return formatCidr({ base: vpc.base + index * 2 ** 12, prefixLength: 20 });
}

/** Addresses AWS keeps for itself in every subnet: network, router, DNS, future use, broadcast. */
const RESERVED_AT_START = 4;
const RESERVED_AT_END = 1;

/** How many addresses instances can use in the subnet (4091 in a /20). */
export function usableAddressCount(cidr: Cidr): number {
  return Math.max(0, cidrSize(cidr) - RESERVED_AT_START - RESERVED_AT_END);
}

/**
 * A free address in the subnet: a random one (EC2 hands out addresses in no documented order),
 * then a scan when random draws keep hitting used ones. Undefined when the subnet is full.
 */
export function allocateAddress(cidr: Cidr, used: ReadonlySet<string>, random: Random): string | undefined {
  const count = usableAddressCount(cidr);
  if (count === 0 || used.size >= count) return undefined;
  const first = cidr.base + RESERVED_AT_START;
  for (let attempt = 0; attempt < 16; attempt += 1) {
    const candidate = formatIpv4(first + random.int(0, count));
    if (!used.has(candidate)) return candidate;
  }
  for (let offset = 0; offset < count; offset += 1) {
    const candidate = formatIpv4(first + offset);
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

/** EC2's IP-based hostname: us-east-1 keeps the legacy `ec2.internal` domain. */
export function privateDnsName(address: string, region: string): string {
  const host = `ip-${address.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}
