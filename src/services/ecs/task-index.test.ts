/**
 * The task index is a hint checked against the store on every read: what it returns is always
 * what the table holds, whatever was rolled back, stopped or deleted since it was noted.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../store/store.js';
import { ecsMigrations, ecsTables } from './store.js';
import { TaskIndex } from './task-index.js';
import type { TaskRecord } from './task.js';

const PREFIX = '000000000000/us-east-1/fleet/';

function task(taskId: string, patch: Partial<TaskRecord> = {}): TaskRecord {
  return {
    accountId: '000000000000',
    region: 'us-east-1',
    clusterName: 'fleet',
    taskId,
    containerInstanceId: 'ci-1',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    serviceName: 'web',
    ...patch,
  } as TaskRecord;
}

function setup() {
  const store = openStore({ location: 'memory', migrations: ecsMigrations });
  const tasks = ecsTables(store).tasks;
  const index = new TaskIndex(tasks);
  const save = (record: TaskRecord) => {
    tasks.put(`${PREFIX}${record.taskId}`, record);
    index.saved(`${PREFIX}${record.taskId}`, record);
  };
  return { store, tasks, index, save };
}

describe('TaskIndex', () => {
  it('is built from the table on first use, then follows writes', () => {
    const { tasks, index, save, store } = setup();
    tasks.put(`${PREFIX}a`, task('a'));
    tasks.put(`${PREFIX}b`, task('b', { serviceName: undefined, containerInstanceId: 'ci-2' }));
    expect(index.activeIn(PREFIX).map((record) => record.taskId)).toEqual(['a', 'b']);
    save(task('c'));
    expect(index.activeOfService(`${PREFIX}web`, 'web').map((record) => record.taskId)).toEqual(['a', 'c']);
    expect(index.onInstance(`${PREFIX}ci-2`, 'ci-2').map((record) => record.taskId)).toEqual(['b']);
    store.close();
  });

  it('forgets a task once it is STOPPED and counted, or gone, and never returns a rolled-back one', () => {
    const { index, save, store, tasks } = setup();
    save(task('a'));
    save(task('b'));
    index.activeIn(PREFIX);
    // STOPPED but not yet counted by its service: still active for the scheduler, off the instance.
    save(task('a', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    expect(index.activeIn(PREFIX).map((record) => record.taskId)).toEqual(['a', 'b']);
    expect(index.onInstance(`${PREFIX}ci-1`, 'ci-1').map((record) => record.taskId)).toEqual(['b']);
    save(task('a', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', serviceAccounted: true }));
    expect(index.activeIn(PREFIX).map((record) => record.taskId)).toEqual(['b']);
    tasks.delete(`${PREFIX}b`);
    expect(index.activeIn(PREFIX)).toEqual([]);
    expect(() =>
      store.transaction(() => {
        save(task('ghost'));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(index.activeIn(PREFIX)).toEqual([]);
    expect(index.onInstance(`${PREFIX}ci-1`, 'ci-1')).toEqual([]);
    store.close();
  });

  it('moves a task that waited for capacity to the instance that took it', () => {
    const { index, save, store } = setup();
    save(task('w', { lastStatus: 'PROVISIONING', containerInstanceId: '' }));
    expect(index.onInstance(`${PREFIX}ci-1`, 'ci-1')).toEqual([]);
    save(task('w', { lastStatus: 'PROVISIONING', containerInstanceId: 'ci-1' }));
    expect(index.onInstance(`${PREFIX}ci-1`, 'ci-1').map((record) => record.taskId)).toEqual(['w']);
    store.close();
  });
});
