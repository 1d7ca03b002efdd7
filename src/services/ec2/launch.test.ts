/**
 * Planning a launch: template and request laid over each other, placement in the default network,
 * and EC2's refusals of a bad image, type or user data.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { planDefaultNetwork } from './default-vpc.js';
import { isBase64, overlaySpec, placeLaunch, planLaunch, specFromTemplate, type LaunchSpec } from './launch.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const network = planDefaultNetwork(scope, seededRandom(1));

function plan(spec: Partial<LaunchSpec>, count = 1) {
  const full: LaunchSpec = { tags: [], ...spec };
  const placement = placeLaunch(full, network, network.subnets, [network.securityGroup], seededRandom(2));
  return planLaunch({
    scope,
    spec: full,
    count,
    placement,
    addressesInUse: new Set(),
    random: seededRandom(3),
    nowMs: 1_000,
    bootMs: 15_000,
  });
}

describe('overlaySpec', () => {
  it('lets the request win member by member and merges instance tags', () => {
    const template = specFromTemplate({
      ImageId: 'ami-11111111',
      InstanceType: 't3.micro',
      UserData: 'YQ==',
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'team', Value: 'a' },
            { Key: 'env', Value: 'dev' },
          ],
        },
      ],
    });
    const merged = overlaySpec(template, { instanceType: 'm5.large', tags: [{ Key: 'env', Value: 'prod' }] });
    expect(merged).toMatchObject({ imageId: 'ami-11111111', instanceType: 'm5.large', userData: 'YQ==' });
    expect(merged.tags).toEqual([
      { Key: 'team', Value: 'a' },
      { Key: 'env', Value: 'prod' },
    ]);
  });
});

describe('placeLaunch', () => {
  it('uses the default subnet of the zone asked for, and the default group', () => {
    const placement = placeLaunch(
      { tags: [], availabilityZone: 'us-east-1c' },
      network,
      network.subnets,
      [network.securityGroup],
      seededRandom(1),
    );
    expect(placement.subnet.cidrBlock).toBe('172.31.32.0/20');
    expect(placement.securityGroups).toEqual([network.securityGroup]);
  });

  it('refuses a subnet, zone or group that does not exist', () => {
    const place = (spec: Partial<LaunchSpec>) =>
      placeLaunch({ tags: [], ...spec }, network, network.subnets, [network.securityGroup], seededRandom(1));
    expect(() => place({ subnetId: 'subnet-00000000' })).toThrow("The subnet ID 'subnet-00000000' does not exist");
    expect(() => place({ availabilityZone: 'us-east-1z' })).toThrow('Invalid availability zone: [us-east-1z]');
    expect(() => place({ securityGroupIds: ['sg-00000000'] })).toThrow(
      "The security group 'sg-00000000' does not exist",
    );
  });
});

describe('planLaunch', () => {
  it('builds pending instances in one reservation with distinct addresses in the subnet', () => {
    const records = plan(
      { imageId: 'ami-0123456789abcdef0', instanceType: 'c6g.large', subnetId: network.subnets[1]!.subnetId },
      3,
    );
    expect(records).toHaveLength(3);
    expect(new Set(records.map((record) => record.reservationId)).size).toBe(1);
    expect(new Set(records.map((record) => record.privateIpAddress)).size).toBe(3);
    for (const [index, record] of records.entries()) {
      expect(record).toMatchObject({
        state: 'pending',
        stateDueAtMs: 16_000,
        architecture: 'arm64',
        amiLaunchIndex: index,
        subnetId: network.subnets[1]!.subnetId,
        availabilityZone: 'us-east-1b',
      });
      expect(record.privateIpAddress).toMatch(/^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/);
      expect(record.privateDnsName).toBe(`ip-${record.privateIpAddress.replaceAll('.', '-')}.ec2.internal`);
    }
  });

  it('refuses what EC2 refuses', () => {
    expect(() => plan({ instanceType: 't3.micro' })).toThrow('The request must contain the parameter ImageId');
    expect(() => plan({ imageId: 'ami-xyz' })).toThrow('Invalid id: "ami-xyz" (expecting "ami-...")');
    expect(() => plan({ imageId: 'ami-12345678', instanceType: 't3.foo' })).toThrow(
      "Invalid value 't3.foo' for InstanceType.",
    );
    expect(() => plan({ imageId: 'ami-12345678', userData: 'not base64!' })).toThrow(
      'Invalid BASE64 encoding of user data.',
    );
  });

  it('takes a requested private address only inside the subnet, once, for one instance', () => {
    const subnetId = network.subnets[0]!.subnetId;
    const spec = { imageId: 'ami-12345678', subnetId };
    expect(plan({ ...spec, privateIpAddress: '172.31.0.50' })[0]!.privateIpAddress).toBe('172.31.0.50');
    expect(() => plan({ ...spec, privateIpAddress: '10.9.9.9' })).toThrow(
      "Address 10.9.9.9 does not fall within the subnet's address range",
    );
    expect(() => plan({ ...spec, privateIpAddress: '172.31.0.50' }, 2)).toThrow('more than one instance');
    const placement = placeLaunch(
      { tags: [], ...spec },
      network,
      network.subnets,
      [network.securityGroup],
      seededRandom(2),
    );
    expect(() =>
      planLaunch({
        scope,
        spec: { tags: [], ...spec, privateIpAddress: '172.31.0.50' },
        count: 1,
        placement,
        addressesInUse: new Set(['172.31.0.50']),
        random: seededRandom(3),
        nowMs: 1_000,
        bootMs: 15_000,
      }),
    ).toThrow('Address 172.31.0.50 is in use.');
  });

  it('defaults to m1.small, as RunInstances does', () => {
    expect(plan({ imageId: 'ami-12345678' })[0]!.instanceType).toBe('m1.small');
  });
});

describe('isBase64', () => {
  it('accepts padded base64 with line breaks and refuses other text', () => {
    expect(isBase64(Buffer.from('#!/bin/bash\necho hi\n').toString('base64'))).toBe(true);
    expect(isBase64('YWJj\nZGVm')).toBe(true);
    expect(isBase64('abc')).toBe(false);
  });
});
