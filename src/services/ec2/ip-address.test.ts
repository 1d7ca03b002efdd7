/**
 * Subnet arithmetic: the default VPC's /20s, AWS's five reserved addresses, unique allocation and
 * EC2's IP-based DNS names.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import {
  allocateAddress,
  cidrContains,
  defaultSubnetCidr,
  formatIpv4,
  parseCidr,
  parseIpv4,
  privateDnsName,
  usableAddressCount,
} from './ip-address.js';

describe('IPv4', () => {
  it('parses and formats addresses and CIDRs', () => {
    expect(parseIpv4('172.31.16.4')).toBe(((172 * 256 + 31) * 256 + 16) * 256 + 4);
    expect(formatIpv4(parseIpv4('10.0.255.1')!)).toBe('10.0.255.1');
    expect(parseIpv4('256.0.0.1')).toBeUndefined();
    expect(parseCidr('172.31.0.0/16')).toEqual({ base: parseIpv4('172.31.0.0'), prefixLength: 16 });
    expect(parseCidr('172.31.0.0/33')).toBeUndefined();
  });

  it('lays the default subnets out as AWS does', () => {
    expect([0, 1, 2, 5].map(defaultSubnetCidr)).toEqual([
      '172.31.0.0/20',
      '172.31.16.0/20',
      '172.31.32.0/20',
      '172.31.80.0/20',
    ]);
  });

  it('keeps the first four and the last address of a subnet', () => {
    expect(usableAddressCount(parseCidr('172.31.0.0/20')!)).toBe(4091);
    expect(usableAddressCount(parseCidr('10.0.0.0/28')!)).toBe(11);
  });
});

describe('allocateAddress', () => {
  it('hands out distinct addresses inside the usable range until the subnet is full', () => {
    const cidr = parseCidr('10.0.0.0/28')!;
    const random = seededRandom(3);
    const used = new Set<string>();
    for (let i = 0; i < 11; i += 1) {
      const address = allocateAddress(cidr, used, random)!;
      expect(used.has(address)).toBe(false);
      const value = parseIpv4(address)!;
      expect(cidrContains(cidr, value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(parseIpv4('10.0.0.4')!);
      expect(value).toBeLessThanOrEqual(parseIpv4('10.0.0.14')!);
      used.add(address);
    }
    expect(allocateAddress(cidr, used, random)).toBeUndefined();
  });
});

describe('privateDnsName', () => {
  it('uses ec2.internal in us-east-1 and <region>.compute.internal elsewhere', () => {
    expect(privateDnsName('172.31.5.9', 'us-east-1')).toBe('ip-172-31-5-9.ec2.internal');
    expect(privateDnsName('172.31.5.9', 'eu-west-1')).toBe('ip-172-31-5-9.eu-west-1.compute.internal');
  });
});
