/**
 * EC2 scenarios on the virtual clock, read like the EC2 User Guide's "Instance state changes":
 * an instance boots after bootMs, terminates through shutting-down, stops and starts, gets a Spot
 * interruption warning two minutes before termination, fails abruptly; terminated instances stay
 * describable for an hour; listeners hear every change once it is committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DescribeInstancesResult, Instance, Reservation, TerminateInstancesResult } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import { openStore } from '../../store/store.js';
import { createRig, SCOPE, TEST_TIMINGS, type Rig } from '../../../test/support/ec2-rig.js';
import { ec2Migrations } from './store.js';

const AMI = 'ami-0123456789abcdef0';

let rig: Rig;
beforeEach(() => {
  rig = createRig();
});
afterEach(async () => {
  await rig.close();
});

async function run(input: Record<string, unknown> = {}): Promise<Instance> {
  const reservation = await rig.call<Reservation>('RunInstances', {
    ImageId: AMI,
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
    ...input,
  });
  return reservation.Instances![0]!;
}

async function describe1(instanceId: string): Promise<Instance> {
  const result = await rig.call<DescribeInstancesResult>('DescribeInstances', { InstanceIds: [instanceId] });
  return result.Reservations![0]!.Instances![0]!;
}

describe('launching', () => {
  it('an instance is pending until its boot completes, then running', async () => {
    const launched = await run();
    expect(launched.State).toEqual({ Code: 0, Name: 'pending' });
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs - 1);
    expect((await describe1(launched.InstanceId!)).State?.Name).toBe('pending');
    await rig.clock.advanceBy(1);
    const running = await describe1(launched.InstanceId!);
    expect(running.State).toEqual({ Code: 16, Name: 'running' });
    expect(running.StateTransitionReason).toBe('');
    expect(rig.changes.map((c) => [c.previousState, c.state])).toEqual([
      [undefined, 'pending'],
      ['pending', 'running'],
    ]);
  });

  it('publishes `EC2 Instance State-change Notification` for each state', async () => {
    const launched = await run();
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    expect(rig.events).toHaveLength(2);
    expect(rig.events[1]).toMatchObject({
      source: 'aws.ec2',
      detailType: 'EC2 Instance State-change Notification',
      accountId: SCOPE.accountId,
      region: 'us-east-1',
      resources: [`arn:aws:ec2:us-east-1:${SCOPE.accountId}:instance/${launched.InstanceId}`],
      detail: { 'instance-id': launched.InstanceId, state: 'running' },
      timeMs: rig.clock.now(),
    });
  });

  it('tells listeners the user data decoded and the tags as a map', async () => {
    const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n').toString('base64');
    await run({
      UserData: userData,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
    });
    expect(rig.changes[0]).toMatchObject({
      state: 'pending',
      userData: '#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n',
      tags: { Name: 'web' },
      instanceType: 't3.micro',
      reason: 'User initiated',
    });
  });
});

describe('terminating', () => {
  it('passes shutting-down for shutdownMs, then is terminated', async () => {
    const { InstanceId } = await run();
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    const answer = await rig.call<TerminateInstancesResult>('TerminateInstances', { InstanceIds: [InstanceId] });
    expect(answer.TerminatingInstances).toEqual([
      { InstanceId, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 32, Name: 'shutting-down' } },
    ]);
    await rig.clock.advanceBy(TEST_TIMINGS.shutdownMs - 1);
    expect((await describe1(InstanceId!)).State?.Name).toBe('shutting-down');
    await rig.clock.advanceBy(1);
    const terminated = await describe1(InstanceId!);
    expect(terminated.State).toEqual({ Code: 48, Name: 'terminated' });
    expect(terminated.StateTransitionReason).toBe('User initiated (2026-01-01 00:00:15 GMT)');
    expect(terminated.StateReason).toEqual({
      Code: 'Client.UserInitiatedShutdown',
      Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
    });
    expect(terminated.PrivateIpAddress).toBeUndefined();
  });

  it('keeps a terminated instance describable for an hour, then forgets it', async () => {
    const { InstanceId } = await run();
    await rig.call('TerminateInstances', { InstanceIds: [InstanceId] });
    await rig.clock.advanceBy(TEST_TIMINGS.shutdownMs + 3_600_000 - 1);
    expect((await describe1(InstanceId!)).State?.Name).toBe('terminated');
    await rig.clock.advanceBy(1);
    await expect(rig.call('DescribeInstances', { InstanceIds: [InstanceId] })).rejects.toMatchObject({
      code: 'InvalidInstanceID.NotFound',
    });
  });

  it('a second TerminateInstances changes nothing and reports the current state', async () => {
    const { InstanceId } = await run();
    await rig.call('TerminateInstances', { InstanceIds: [InstanceId] });
    const again = await rig.call<TerminateInstancesResult>('TerminateInstances', { InstanceIds: [InstanceId] });
    expect(again.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Name: 'shutting-down' },
      CurrentState: { Name: 'shutting-down' },
    });
  });

  it('termination protection keeps the zone of the protected instance untouched and fails the call', async () => {
    const protectedOne = await run({ DisableApiTermination: true, Placement: { AvailabilityZone: 'us-east-1a' } });
    const sameZone = await run({ Placement: { AvailabilityZone: 'us-east-1a' } });
    const otherZone = await run({ Placement: { AvailabilityZone: 'us-east-1b' } });
    const ids = [protectedOne, sameZone, otherZone].map((i) => i.InstanceId);
    await expect(rig.call('TerminateInstances', { InstanceIds: ids })).rejects.toMatchObject({
      code: 'OperationNotPermitted',
      message: `The instance '${protectedOne.InstanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    });
    expect((await describe1(protectedOne.InstanceId!)).State?.Name).toBe('pending');
    expect((await describe1(sameZone.InstanceId!)).State?.Name).toBe('pending');
    expect((await describe1(otherZone.InstanceId!)).State?.Name).toBe('shutting-down');
  });
});

describe('stopping and starting', () => {
  it('stops through stopping, starts through pending, and moves LaunchTime', async () => {
    const { InstanceId } = await run();
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    const stopping = await rig.call<{ StoppingInstances: unknown[] }>('StopInstances', { InstanceIds: [InstanceId] });
    expect(stopping.StoppingInstances[0]).toMatchObject({
      PreviousState: { Code: 16, Name: 'running' },
      CurrentState: { Code: 64, Name: 'stopping' },
    });
    await rig.clock.advanceBy(TEST_TIMINGS.stopMs);
    expect((await describe1(InstanceId!)).State).toEqual({ Code: 80, Name: 'stopped' });
    await rig.clock.advanceBy(60_000);
    const startedAt = rig.clock.now();
    const starting = await rig.call<{ StartingInstances: unknown[] }>('StartInstances', { InstanceIds: [InstanceId] });
    expect(starting.StartingInstances[0]).toMatchObject({
      PreviousState: { Name: 'stopped' },
      CurrentState: { Name: 'pending' },
    });
    await rig.clock.advanceBy(TEST_TIMINGS.startMs);
    const running = await describe1(InstanceId!);
    expect(running.State?.Name).toBe('running');
    expect(running.LaunchTime).toEqual(new Date(startedAt));
    expect(running.StateReason).toBeUndefined();
    expect(rig.changes.map((c) => c.state)).toEqual([
      'pending',
      'running',
      'stopping',
      'stopped',
      'pending',
      'running',
    ]);
  });

  it('refuses to stop a pending instance and to start a stopping one', async () => {
    const { InstanceId } = await run();
    await expect(rig.call('StopInstances', { InstanceIds: [InstanceId] })).rejects.toMatchObject({
      code: 'IncorrectInstanceState',
      message: `This instance '${InstanceId}' is not in a state from which it can be stopped.`,
    });
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    await rig.call('StopInstances', { InstanceIds: [InstanceId] });
    await expect(rig.call('StartInstances', { InstanceIds: [InstanceId] })).rejects.toMatchObject({
      code: 'IncorrectInstanceState',
      message: `The instance '${InstanceId}' is not in a state from which it can be started.`,
    });
  });
});

describe('Spot interruption (admin)', () => {
  it('warns now and begins termination two minutes later', async () => {
    const { InstanceId } = await run({ InstanceMarketOptions: { MarketType: 'spot' } });
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    rig.events.length = 0;
    rig.service.interruptSpot(SCOPE, InstanceId!);
    expect(rig.events).toEqual([
      expect.objectContaining({
        detailType: 'EC2 Spot Instance Interruption Warning',
        detail: { 'instance-id': InstanceId, 'instance-action': 'terminate' },
        timeMs: rig.clock.now(),
      }),
    ]);
    await rig.clock.advanceBy(120_000 - 1);
    expect((await describe1(InstanceId!)).State?.Name).toBe('running');
    await rig.clock.advanceBy(1);
    const interrupted = await describe1(InstanceId!);
    expect(interrupted.State?.Name).toBe('shutting-down');
    expect(interrupted.StateReason?.Code).toBe('Server.SpotInstanceTermination');
    expect(interrupted.InstanceLifecycle).toBe('spot');
    await rig.clock.advanceBy(TEST_TIMINGS.shutdownMs);
    expect((await describe1(InstanceId!)).State?.Name).toBe('terminated');
    expect(rig.changes.slice(-2).map((c) => [c.state, c.reason])).toEqual([
      ['shutting-down', 'Spot interruption'],
      ['terminated', 'Spot interruption'],
    ]);
  });

  it('refuses an unknown instance with EC2 not-found error', () => {
    expect(() => rig.service.interruptSpot(SCOPE, 'i-0123456789abcdef0')).toThrow(
      expect.objectContaining({ code: 'InvalidInstanceID.NotFound' }),
    );
  });
});

describe('instance failure (admin)', () => {
  it('terminates the instance at once with Server.InternalError', async () => {
    const { InstanceId } = await run();
    await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
    rig.service.failInstance(SCOPE, InstanceId!);
    const failed = await describe1(InstanceId!);
    expect(failed.State?.Name).toBe('terminated');
    expect(failed.StateReason).toEqual({
      Code: 'Server.InternalError',
      Message: 'Server.InternalError: Internal error',
    });
    expect(rig.changes.at(-1)).toMatchObject({
      previousState: 'running',
      state: 'terminated',
      reason: 'Instance failure',
    });
  });
});

describe('listeners hear committed changes only', () => {
  it('a launch inside a caller transaction is heard when it commits, and never when it rolls back', () => {
    const port = rig.service.autoScalingPort;
    const subnet = port.defaultSubnet(SCOPE, 'us-east-1a')!;
    const request = {
      launchConfiguration: { imageId: AMI, instanceType: 't3.small' },
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      tags: [{ key: 'aws:autoscaling:groupName', value: 'web' }],
    };
    rig.store.transaction(() => {
      port.launch(SCOPE, request);
      expect(rig.changes).toHaveLength(0);
    });
    expect(rig.changes).toHaveLength(1);
    expect(() =>
      rig.store.transaction(() => {
        port.launch(SCOPE, request);
        throw new Error('the caller gave up');
      }),
    ).toThrow('the caller gave up');
    const committed = port.launch(SCOPE, request);
    expect(rig.changes.map((change) => change.instanceId)).toEqual([rig.changes[0]!.instanceId, committed.instanceId]);
    for (const change of rig.changes) expect(port.instance(SCOPE, change.instanceId)?.state).toBe('pending');
    expect(rig.changes[0]?.tags).toEqual({ 'aws:autoscaling:groupName': 'web' });
  });
});

describe('after a restart', () => {
  it('completes the boot that was under way', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'drydock-ec2-'));
    try {
      await rig.close();
      const clock = new VirtualClock();
      rig = createRig({ clock, store: openStore({ location: directory, migrations: ec2Migrations }) });
      const { InstanceId } = await run();
      await rig.close();
      rig = createRig({
        clock: new VirtualClock(),
        store: openStore({ location: directory, migrations: ec2Migrations }),
      });
      await rig.clock.advanceBy(TEST_TIMINGS.bootMs);
      expect((await describe1(InstanceId!)).State?.Name).toBe('running');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('launch template names', () => {
  it('refuses a malformed name with InvalidLaunchTemplateName.MalformedException', async () => {
    await expect(
      rig.call('CreateLaunchTemplate', { LaunchTemplateName: 'no spaces', LaunchTemplateData: { ImageId: AMI } }),
    ).rejects.toMatchObject({ code: 'InvalidLaunchTemplateName.MalformedException' });
  });
});

describe('accounts and Regions', () => {
  it('gives each Region its own default network and DNS domain', async () => {
    const euWest = { accountId: SCOPE.accountId, region: 'eu-west-1' };
    const reservation = await rig.call<Reservation>(
      'RunInstances',
      { ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: 'm5.large' },
      euWest,
    );
    const instance = reservation.Instances![0]!;
    expect(instance.Placement?.AvailabilityZone).toMatch(/^eu-west-1[abc]$/);
    expect(instance.PrivateDnsName).toMatch(/^ip-172-31-\d+-\d+\.eu-west-1\.compute\.internal$/);
    const zones = await rig.call<{ AvailabilityZones: unknown[] }>('DescribeAvailabilityZones', {}, euWest);
    expect(zones.AvailabilityZones).toHaveLength(3);
    const inUsEast = await rig.call<DescribeInstancesResult>('DescribeInstances', {});
    expect(inUsEast.Reservations).toEqual([]);
    const otherAccount = { accountId: '210987654321', region: 'eu-west-1' };
    const vpcs = await rig.call<{ Vpcs: Array<{ VpcId: string; OwnerId: string }> }>('DescribeVpcs', {}, otherAccount);
    const mine = await rig.call<{ Vpcs: Array<{ VpcId: string }> }>('DescribeVpcs', {}, euWest);
    expect(vpcs.Vpcs[0]!.OwnerId).toBe('210987654321');
    expect(vpcs.Vpcs[0]!.VpcId).not.toBe(mine.Vpcs[0]!.VpcId);
  });
});
