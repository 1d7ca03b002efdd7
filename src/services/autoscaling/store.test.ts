/**
 * Auto Scaling's tables across restarts: migration 2 completes version-1 group documents,
 * migration 3 adds instance refreshes, and a service started on an existing store picks its
 * groups up again, deadlines included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_VIRTUAL_START_MS } from '../../kernel/virtual-clock.js';
import { openStore } from '../../store/store.js';
import type { InstanceRefreshRecord } from './instance-refresh.js';
import { instanceRefreshKey } from './instance-refresh.js';
import { activeRefresh, autoscalingMigrations, autoscalingTables, groupRefreshes, parseGroupKey } from './store.js';
import { autoscalingScenario, createGroup, HOUR, TERMINATING } from './test-support.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'drydock-asg-'));
  directories.push(directory);
  return directory;
}

describe('migrations', () => {
  it('version 2 gives version-1 groups the members the service now needs', () => {
    const directory = tempDirectory();
    const v1 = openStore({ location: directory, migrations: autoscalingMigrations.slice(0, 1) });
    v1.table('autoscaling', 'groups').put('123456789012/us-east-1/old', {
      accountId: '123456789012',
      region: 'us-east-1',
      autoScalingGroupName: 'old',
      minSize: 0,
      maxSize: 1,
      desiredCapacity: 0,
      tags: [],
    });
    v1.close();
    const store = openStore({ location: directory, migrations: autoscalingMigrations });
    const group = autoscalingTables(store).groups.get('123456789012/us-east-1/old')!;
    expect(group).toMatchObject({
      autoScalingGroupName: 'old',
      lifecycleHooks: [],
      targetGroups: [],
      suspendedProcesses: [],
      terminationPolicies: ['Default'],
      launchFailureCount: 0,
    });
    expect(autoscalingTables(store).instances.size()).toBe(0);
    store.close();
  });

  it('version 3 adds the instance refresh table to a version-2 store, and refreshes survive a reopen', () => {
    const directory = tempDirectory();
    openStore({ location: directory, migrations: autoscalingMigrations.slice(0, 2) }).close();
    const store = openStore({ location: directory, migrations: autoscalingMigrations });
    const tables = autoscalingTables(store);
    expect(tables.instanceRefreshes.size()).toBe(0);
    const group = { accountId: '123456789012', region: 'us-east-1', autoScalingGroupName: 'team/web' };
    const refresh: InstanceRefreshRecord = {
      ...group,
      instanceRefreshId: '0a1b2c3d-0000-4000-8000-000000000001',
      status: 'InProgress',
      startTimeMs: 1,
      preferences: {
        minHealthyPercentage: 90,
        maxHealthyPercentage: 100,
        instanceWarmupS: 0,
        checkpointPercentages: [],
        skipMatching: false,
        scaleInProtectedInstances: 'Wait',
        standbyInstances: 'Wait',
      },
      target: { launchTemplateId: 'lt-00000000000000001', version: '2' },
      pendingInstanceIds: ['i-00000000000000001'],
      replacingInstanceIds: [],
      checkpointIndex: 0,
      percentageComplete: 0,
      instancesToUpdate: 1,
    };
    tables.instanceRefreshes.put(instanceRefreshKey(refresh), refresh);
    store.close();
    const reopened = autoscalingTables(openStore({ location: directory, migrations: autoscalingMigrations }));
    // A group named `team` does not see `team/web`'s refresh, although its key prefix matches.
    expect(groupRefreshes(reopened, { ...group, autoScalingGroupName: 'team' })).toEqual([]);
    expect(activeRefresh(reopened, group)).toEqual(refresh);
  });

  it('group keys split back into their parts, names with slashes included', () => {
    expect(parseGroupKey('123456789012/us-east-1/team/web')).toEqual({
      accountId: '123456789012',
      region: 'us-east-1',
      groupName: 'team/web',
    });
  });
});

describe('restart', () => {
  it('a wait recorded before a restart still ends at its deadline', async () => {
    const directory = tempDirectory();
    const before = autoscalingScenario({ storeLocation: directory });
    createGroup(before, {
      AutoScalingGroupName: 'web',
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'drain', LifecycleTransition: TERMINATING }],
    });
    await before.advanceBy(before.ec2.bootMs);
    before.call('SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 });
    await before.settle();
    const [waiting] = before.inState('web', 'Terminating:Wait');
    await before.close();

    // drydock comes back 30 minutes later: the hook still has half an hour to go.
    const after = autoscalingScenario({ storeLocation: directory, startAtMs: DEFAULT_VIRTUAL_START_MS + HOUR / 2 });
    await after.settle();
    expect(after.states('web')).toEqual({ [waiting!]: 'Terminating:Wait' });
    await after.clock.advanceTo((DEFAULT_VIRTUAL_START_MS + after.ec2.bootMs + HOUR) as never);
    // The new EC2 fake never knew the instance, so its termination completes at once.
    expect(after.states('web')).toEqual({});
    await after.close();
  });
});
