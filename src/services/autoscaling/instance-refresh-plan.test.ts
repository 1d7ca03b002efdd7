/**
 * planInstanceRefresh and the preferences it runs with, as pure functions: hand-built groups in,
 * batch sizes and capacity targets out (the arithmetic of MinHealthyPercentage and
 * MaxHealthyPercentage), plus StartInstanceRefresh's preference rules.
 */
import { describe, expect, it } from 'vitest';
import type { AutoScalingGroupRecord } from './group.js';
import type { InstanceRecord } from './instance.js';
import type { LifecycleState } from './instance-lifecycle.js';
import type { InstanceRefreshRecord, RefreshPreferencesRecord } from './instance-refresh.js';
import { toInstanceRefresh } from './instance-refresh.js';
import { instancesToReplace, matchesTarget, planInstanceRefresh } from './instance-refresh-plan.js';
import { resolvePreferences } from './refresh-preferences.js';
import { ServiceError } from '../../kernel/service-error.js';

const NOW = 10_000_000;
const TEMPLATE = 'lt-0000000000000000a';

function group(desired: number, overrides: Partial<AutoScalingGroupRecord> = {}): AutoScalingGroupRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    autoScalingGroupName: 'web',
    autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/web',
    minSize: 0,
    maxSize: 100,
    desiredCapacity: desired,
    defaultCooldownS: 300,
    availabilityZones: ['a', 'b'],
    subnets: [
      { subnetId: 'subnet-a', availabilityZone: 'a' },
      { subnetId: 'subnet-b', availabilityZone: 'b' },
    ],
    healthCheckType: 'EC2',
    healthCheckGracePeriodS: 0,
    tags: [],
    createdAtMs: 0,
    terminationPolicies: ['Default'],
    newInstancesProtectedFromScaleIn: false,
    lifecycleHooks: [],
    notificationConfigurations: [],
    targetGroups: [],
    suspendedProcesses: [],
    launchFailureCount: 0,
    pendingTestNotifications: [],
    serviceLinkedRoleArn: 'role',
    capacityRebalance: false,
    launchTemplate: { launchTemplateId: TEMPLATE, launchTemplateName: 'web' },
    ...overrides,
  };
}

function instance(
  id: string,
  version: string,
  state: LifecycleState = 'InService',
  overrides: Partial<InstanceRecord> = {},
): InstanceRecord {
  const zone = Number(id.slice(2)) % 2 === 0 ? 'a' : 'b';
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    instanceId: id,
    autoScalingGroupName: 'web',
    availabilityZone: zone,
    subnetId: `subnet-${zone}`,
    instanceType: 't3.micro',
    launchTemplate: { launchTemplateId: TEMPLATE, launchTemplateName: 'web', version },
    lifecycleState: state,
    healthStatus: 'Healthy',
    protectedFromScaleIn: false,
    launchedAtMs: 0,
    inServiceAtMs: 0,
    lifecycleActions: [],
    registeredTargetGroups: [],
    drainingTargetGroups: [],
    skipLaunchHooks: false,
    runTerminateHooks: true,
    ...overrides,
  };
}

const olds = (count: number) => Array.from({ length: count }, (_, index) => instance(`i-${index}`, '1'));

function preferences(overrides: Partial<RefreshPreferencesRecord> = {}): RefreshPreferencesRecord {
  return {
    minHealthyPercentage: 90,
    maxHealthyPercentage: 100,
    instanceWarmupS: 0,
    checkpointPercentages: [],
    skipMatching: false,
    scaleInProtectedInstances: 'Wait',
    standbyInstances: 'Wait',
    ...overrides,
  };
}

function refresh(
  instances: readonly InstanceRecord[],
  overrides: Partial<InstanceRefreshRecord> = {},
  prefs: Partial<RefreshPreferencesRecord> = {},
): InstanceRefreshRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    autoScalingGroupName: 'web',
    instanceRefreshId: 'refresh-1',
    status: 'InProgress',
    startTimeMs: NOW - 1000,
    preferences: preferences(prefs),
    target: { launchTemplateId: TEMPLATE, version: '2' },
    pendingInstanceIds: instances.filter((i) => i.launchTemplate!.version === '1').map((i) => i.instanceId),
    replacingInstanceIds: [],
    checkpointIndex: 0,
    percentageComplete: 0,
    instancesToUpdate: instances.length,
    ...overrides,
  };
}

function step(desired: number, instances: InstanceRecord[], prefs: Partial<RefreshPreferencesRecord> = {}) {
  return planInstanceRefresh({
    refresh: refresh(instances, {}, prefs),
    group: group(desired),
    instances,
    nowMs: NOW,
    termination: { nowMs: NOW, launchConfigurationCreatedAtMs: {} },
  });
}

describe('the first batch of a refresh, by MinHealthyPercentage and MaxHealthyPercentage', () => {
  it.each([
    // desired, min, max → taken out of service, capacity target (launches = target - remaining)
    [4, 50, 100, 2, 4],
    [4, 100, 100, 1, 4],
    [4, 0, 100, 4, 4],
    [4, 90, 100, 1, 4], // ceil(3.6) = 4 healthy: still one at a time
    [10, 90, 100, 1, 10],
    [1000, 90, 100, 100, 1000],
    [4, 100, 200, 0, 8],
    [10, 100, 110, 0, 11],
    [10, 90, 110, 1, 11],
    [4, 50, 150, 2, 6],
  ])('desired %i, Min %i, Max %i: %i out now, the group converges to %i', (desired, min, max, out, target) => {
    const result = step(desired, olds(desired), { minHealthyPercentage: min, maxHealthyPercentage: max });
    expect(result.takeOutOfService).toHaveLength(out);
    expect(result.capacityTarget).toBe(target);
    expect(result.launchesForRefresh).toBe(true);
  });

  it('waits while replacements are warming up, and says which one', () => {
    const instances = [
      instance('i-0', '1'),
      instance('i-1', '1'),
      instance('i-2', '2', 'InService', { inServiceAtMs: NOW - 10_000 }),
      instance('i-3', '2', 'InService', { inServiceAtMs: NOW - 10_000 }),
    ];
    const result = step(4, instances, { minHealthyPercentage: 50, instanceWarmupS: 60 });
    expect(result.takeOutOfService).toEqual([]);
    expect(result.deadlines).toContain(NOW + 50_000);
    expect(result.refresh.statusReason).toBe(
      'Waiting for instances to warm up before continuing. For example: i-2 is warming up.',
    );
    expect(result.refresh).toMatchObject({ percentageComplete: 0, instancesToUpdate: 4 });
  });

  it('keeps AZ balance when choosing which old instances go first', () => {
    // Zone a holds i-0, i-2, i-4; zone b holds i-1, i-3. Each pick comes from the busiest zone
    // (ties to the first): a (3 to 2), then a again (2 and 2).
    const result = step(5, olds(5), { minHealthyPercentage: 40 });
    expect(result.takeOutOfService).toEqual(['i-0', 'i-2', 'i-1']);
  });

  it('a checkpoint bounds the replacements started toward it', () => {
    const result = step(10, olds(10), { minHealthyPercentage: 0, checkpointPercentages: [20, 100] });
    expect(result.takeOutOfService).toHaveLength(2);
  });

  it('starts the refresh: Pending becomes InProgress with a Started event', () => {
    const instances = olds(2);
    const result = planInstanceRefresh({
      refresh: refresh(instances, { status: 'Pending' }),
      group: group(2),
      instances,
      nowMs: NOW,
      termination: { nowMs: NOW, launchConfigurationCreatedAtMs: {} },
    });
    expect(result.refresh.status).toBe('InProgress');
    expect(result.events).toEqual([{ kind: 'Started', instanceRefreshId: 'refresh-1' }]);
  });

  it('success hands the group its desired configuration', () => {
    const instances = [instance('i-0', '2'), instance('i-1', '2')];
    const desiredLaunchTemplate = { launchTemplateId: TEMPLATE, launchTemplateName: 'web', version: '2' };
    const result = planInstanceRefresh({
      refresh: refresh(instances, { desiredLaunchTemplate }),
      group: group(2),
      instances,
      nowMs: NOW,
      termination: { nowMs: NOW, launchConfigurationCreatedAtMs: {} },
    });
    expect(result.refresh).toMatchObject({ status: 'Successful', endTimeMs: NOW, percentageComplete: 100 });
    expect(result.groupPatch).toEqual({ launchTemplate: desiredLaunchTemplate, launchConfigurationName: undefined });
    expect(result.launchTemplate).toEqual(desiredLaunchTemplate);
    expect(result.events.map((event) => event.kind)).toEqual(['Succeeded']);
  });

  it('a finished refresh plans nothing', () => {
    const instances = olds(2);
    const result = planInstanceRefresh({
      refresh: refresh(instances, { status: 'Failed' }),
      group: group(2),
      instances,
      nowMs: NOW,
      termination: { nowMs: NOW, launchConfigurationCreatedAtMs: {} },
    });
    expect(result).toMatchObject({ takeOutOfService: [], capacityTarget: 2, launchesForRefresh: false, events: [] });
  });

  it('fails after 14 days', () => {
    const instances = olds(2);
    const result = planInstanceRefresh({
      refresh: refresh(instances, { startTimeMs: NOW - 14 * 24 * 3_600_000 }),
      group: group(2),
      instances,
      nowMs: NOW,
      termination: { nowMs: NOW, launchConfigurationCreatedAtMs: {} },
    });
    expect(result.refresh.status).toBe('Failed');
    expect(result.refresh.statusReason).toBe(
      'Instance refresh failed because it exceeded the maximum duration of 14 days.',
    );
  });
});

describe('which instances a refresh replaces', () => {
  const target = { launchTemplateId: TEMPLATE, version: '2' };

  it('SkipMatching leaves instances already on the target version', () => {
    const instances = [instance('i-0', '1'), instance('i-1', '2'), instance('i-2', '1', 'Terminating')];
    expect(matchesTarget(instances[1]!, target)).toBe(true);
    expect(instancesToReplace(instances, target, preferences({ skipMatching: true }))).toEqual(['i-0']);
    expect(instancesToReplace(instances, target, preferences())).toEqual(['i-0', 'i-1']);
  });

  it('a launch configuration target matches by name', () => {
    const fromConfig = instance('i-0', '1', 'InService', { launchConfigurationName: 'web-v1' });
    delete fromConfig.launchTemplate;
    expect(matchesTarget(fromConfig, { launchConfigurationName: 'web-v1' })).toBe(true);
    expect(matchesTarget(fromConfig, target)).toBe(false);
  });
});

describe('resolvePreferences', () => {
  const errorOf = (input: object): string => {
    try {
      resolvePreferences(group(2), input);
    } catch (error) {
      if (error instanceof ServiceError) return `${error.code}: ${error.message}`;
      throw error;
    }
    throw new Error('expected a ValidationError');
  };

  it('fills in AWS defaults', () => {
    expect(resolvePreferences(group(2, { healthCheckGracePeriodS: 120 }), undefined)).toEqual({
      minHealthyPercentage: 90,
      maxHealthyPercentage: 100,
      instanceWarmupS: 120,
      checkpointPercentages: [],
      skipMatching: false,
      scaleInProtectedInstances: 'Wait',
      standbyInstances: 'Wait',
    });
    expect(
      resolvePreferences(group(2, { defaultInstanceWarmupS: 30 }), { CheckpointPercentages: [50, 100] }),
    ).toMatchObject({ instanceWarmupS: 30, checkpointPercentages: [50, 100], checkpointDelayS: 3600 });
  });

  it('refuses what AWS refuses', () => {
    expect(errorOf({ MaxHealthyPercentage: 150 })).toBe(
      'ValidationError: MinHealthyPercentage must be specified when MaxHealthyPercentage is specified.',
    );
    expect(errorOf({ MinHealthyPercentage: 50, MaxHealthyPercentage: 200 })).toBe(
      'ValidationError: The difference between MaxHealthyPercentage (200) and MinHealthyPercentage (50) cannot be greater than 100.',
    );
    expect(errorOf({ MinHealthyPercentage: 90, MaxHealthyPercentage: 99 })).toBe(
      "ValidationError: 1 validation error detected: Value '99' at 'preferences.maxHealthyPercentage' failed to satisfy constraint: Member must have value greater than or equal to 100",
    );
    expect(errorOf({ CheckpointPercentages: [50, 20] })).toBe(
      'ValidationError: CheckpointPercentages values must be unique and in ascending order.',
    );
    expect(errorOf({ CheckpointDelay: 60 })).toBe(
      'ValidationError: CheckpointPercentages must be specified when CheckpointDelay is specified.',
    );
    expect(errorOf({ AutoRollback: true })).toMatch(/AutoRollback/);
  });
});

describe('DescribeInstanceRefreshes shape', () => {
  it('echoes the resolved preferences and the desired configuration', () => {
    const record = refresh(olds(2), {
      desiredLaunchTemplate: { launchTemplateId: TEMPLATE, launchTemplateName: 'web', version: '$Latest' },
    });
    expect(toInstanceRefresh(record)).toMatchObject({
      InstanceRefreshId: 'refresh-1',
      Status: 'InProgress',
      Strategy: 'Rolling',
      PercentageComplete: 0,
      InstancesToUpdate: 2,
      ProgressDetails: { LivePoolProgress: { PercentageComplete: 0, InstancesToUpdate: 2 } },
      Preferences: { MinHealthyPercentage: 90, MaxHealthyPercentage: 100, SkipMatching: false, AutoRollback: false },
      DesiredConfiguration: {
        LaunchTemplate: { LaunchTemplateId: TEMPLATE, LaunchTemplateName: 'web', Version: '$Latest' },
      },
    });
  });
});
