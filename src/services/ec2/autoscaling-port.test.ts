/**
 * Auto Scaling's port onto EC2: templates resolved to the version a launch uses now, subnets and
 * zones, launches with the group's tags, terminations that ignore termination protection.
 */
import type { CreateLaunchTemplateResult } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRig, SCOPE, TEST_TIMINGS, type Rig } from '../../../test/support/ec2-rig.js';

let rig: Rig;
let templateId: string;

beforeEach(async () => {
  rig = createRig();
  const created = await rig.call<CreateLaunchTemplateResult>('CreateLaunchTemplate', {
    LaunchTemplateName: 'web',
    LaunchTemplateData: {
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't3.small',
      UserData: Buffer.from('ECS_CLUSTER=prod').toString('base64'),
      DisableApiTermination: true,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'infra' }] }],
    },
  });
  templateId = created.LaunchTemplate!.LaunchTemplateId!;
  await rig.call('CreateLaunchTemplateVersion', {
    LaunchTemplateId: templateId,
    SourceVersion: '1',
    LaunchTemplateData: { InstanceType: 'm5.large' },
  });
});
afterEach(async () => rig.close());

describe('resolveLaunchTemplate', () => {
  it('resolves $Default (also when no version is given), $Latest and numbers, by id or name', () => {
    const port = rig.service.autoScalingPort;
    expect(port.resolveLaunchTemplate(SCOPE, { launchTemplateName: 'web' })).toEqual({
      launchTemplateId: templateId,
      launchTemplateName: 'web',
      version: '1',
      instanceType: 't3.small',
      imageId: 'ami-0123456789abcdef0',
    });
    expect(port.resolveLaunchTemplate(SCOPE, { launchTemplateId: templateId, version: '$Latest' })).toMatchObject({
      version: '2',
      instanceType: 'm5.large',
      imageId: 'ami-0123456789abcdef0',
    });
  });

  it('says which part is missing', () => {
    const port = rig.service.autoScalingPort;
    expect(port.resolveLaunchTemplate(SCOPE, { launchTemplateName: 'nope' })).toEqual({ missing: 'template' });
    expect(port.resolveLaunchTemplate(SCOPE, { launchTemplateId: templateId, version: '9' })).toEqual({
      missing: 'version',
    });
  });
});

describe('zones and subnets', () => {
  it('lists the Region’s zones and finds default subnets', () => {
    const port = rig.service.autoScalingPort;
    expect(port.availabilityZones(SCOPE)).toHaveLength(6);
    const subnet = port.defaultSubnet(SCOPE, 'us-east-1b')!;
    expect(subnet.availabilityZone).toBe('us-east-1b');
    expect(port.describeSubnets(SCOPE, [subnet.subnetId, 'subnet-00000000'])).toEqual([subnet]);
    expect(port.defaultSubnet(SCOPE, 'us-east-1z')).toBeUndefined();
    expect(port.instanceTypeExists('c7g.xlarge')).toBe(true);
    expect(port.instanceTypeExists('c7g.huge')).toBe(false);
  });
});

describe('launch and terminate', () => {
  it('launches from a template version in the group’s subnet with the group’s tags', async () => {
    const port = rig.service.autoScalingPort;
    const subnet = port.defaultSubnet(SCOPE, 'us-east-1c')!;
    const view = port.launch(SCOPE, {
      launchTemplate: { launchTemplateId: templateId, version: '2', instanceTypeOverride: 'c5.large' },
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      tags: [{ key: 'aws:autoscaling:groupName', value: 'web-asg' }],
    });
    expect(view).toMatchObject({
      state: 'pending',
      instanceType: 'c5.large',
      subnetId: subnet.subnetId,
      availabilityZone: 'us-east-1c',
      launchTemplate: { launchTemplateId: templateId, launchTemplateName: 'web', version: '2' },
    });
    expect(rig.changes[0]?.tags).toEqual({
      team: 'infra',
      'aws:ec2launchtemplate:id': templateId,
      'aws:ec2launchtemplate:version': '2',
      'aws:autoscaling:groupName': 'web-asg',
    });
    expect(rig.changes[0]?.userData).toBe('ECS_CLUSTER=prod');
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    expect(port.instance(SCOPE, view.instanceId)?.state).toBe('running');
  });

  it('terminates even a protected instance, and ignores unknown ones', async () => {
    const port = rig.service.autoScalingPort;
    const subnet = port.defaultSubnet(SCOPE, 'us-east-1a')!;
    const view = port.launch(SCOPE, {
      launchTemplate: { launchTemplateId: templateId, version: '1' },
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      tags: [],
    });
    port.terminate(SCOPE, view.instanceId, 'Auto Scaling scale-in');
    expect(port.instance(SCOPE, view.instanceId)?.state).toBe('shutting-down');
    expect(rig.changes.at(-1)).toMatchObject({ state: 'shutting-down', reason: 'Auto Scaling scale-in' });
    expect(() => port.terminate(SCOPE, 'i-00000000000000000', 'x')).not.toThrow();
    await rig.clock.advanceBy(TEST_TIMINGS.shutdownMs);
    expect(port.instance(SCOPE, view.instanceId)?.state).toBe('terminated');
  });

  it('launches from a launch configuration, naming groups by name', () => {
    const port = rig.service.autoScalingPort;
    const subnet = port.defaultSubnet(SCOPE, 'us-east-1a')!;
    const view = port.launch(SCOPE, {
      launchConfiguration: { imageId: 'ami-12345678', instanceType: 'm6g.large', securityGroups: ['default'] },
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      tags: [],
    });
    expect(view.instanceType).toBe('m6g.large');
    expect(view.launchTemplate).toBeUndefined();
  });
});
