/**
 * The Store: transactions (nesting, rollback of SQLite and memory), commit notifications, reset,
 * counts, memory and file modes, and the errors of opening a file that is locked or corrupt.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './store.js';
import type { Change, Migration, Store } from './store.js';

interface Task {
  arn: string;
  lastStatus: string;
}

const migrations: Migration[] = [
  {
    service: 'ecs',
    version: 1,
    description: 'clusters and tasks',
    up: (db) => {
      db.createTable('clusters');
      db.createTable('tasks');
    },
  },
  { service: 'sqs', version: 1, description: 'queues', up: (db) => db.createTable('queues') },
];

let dir: string;
const opened: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-store-'));
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(location = dir): Store {
  const store = openStore({ location, migrations });
  opened.push(store);
  return store;
}

/** Closes the store and opens the same file again: what SQLite holds, without the memory mirror. */
function reopen(store: Store): Store {
  store.close();
  return open();
}

const task = (arn: string, lastStatus = 'RUNNING'): Task => ({ arn, lastStatus });

describe('openStore', () => {
  it('keeps a file store in <dir>/drydock.sqlite, creating the directory', () => {
    const nested = path.join(dir, 'a', 'b');
    const store = open(nested);
    expect(store.location).toBe(path.join(nested, 'drydock.sqlite'));
    store.table<Task>('ecs', 'tasks').put('t1', task('t1'));
    const again = reopen(store);
    expect(again.location).toBe(path.join(dir, 'drydock.sqlite'));
    opened.push(openStore({ location: nested, migrations }));
    expect(opened.at(-1)!.table<Task>('ecs', 'tasks').get('t1')).toEqual(task('t1'));
  });

  it('resolves a relative directory to an absolute path', () => {
    const relative = path.relative(process.cwd(), dir);
    expect(open(relative).location).toBe(path.join(dir, 'drydock.sqlite'));
  });

  it("runs the same code in memory with location 'memory', and keeps nothing after close", () => {
    const store = open('memory');
    expect(store.location).toBe(':memory:');
    store.table<Task>('ecs', 'tasks').put('t1', task('t1'));
    expect(store.table<Task>('ecs', 'tasks').get('t1')).toEqual(task('t1'));
    store.close();
    expect(open('memory').table('ecs', 'tasks').size()).toBe(0);
  });

  it('refuses a second store on a directory that is in use, naming the file', () => {
    open();
    expect(() => open()).toThrow(
      new RegExp(
        `store ${escape(path.join(dir, 'drydock.sqlite'))}: cannot open: database is locked .*another drydock`,
      ),
    );
  });

  it('names the file when it is not a database', () => {
    writeFileSync(path.join(dir, 'drydock.sqlite'), 'this is not a database'.repeat(200));
    expect(() => open()).toThrow(
      new RegExp(`store ${escape(path.join(dir, 'drydock.sqlite'))}: cannot open: .*not a database`),
    );
  });

  it('names the path when the directory cannot be created', () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, '');
    expect(() => open(path.join(file, 'sub'))).toThrow(/plain-file.*cannot open/);
  });

  it('throws a plain Error naming a table that no migration created', () => {
    const store = open('memory');
    expect(() => store.table('ecs', 'services')).toThrow(/table ecs.services does not exist.*ecs has clusters, tasks/);
    expect(() => store.table('sns', 'topics')).toThrow(/sns has no tables/);
  });
});

describe('transaction', () => {
  it('commits every write of the function together and returns its result', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    const result = store.transaction(() => {
      tasks.put('t1', task('t1'));
      tasks.put('t2', task('t2'));
      store.table('ecs', 'clusters').put('default', { name: 'default' });
      return 'done';
    });
    expect(result).toBe('done');
    const again = reopen(store);
    expect(again.table('ecs', 'tasks').keys()).toEqual(['t1', 't2']);
    expect(again.table('ecs', 'clusters').keys()).toEqual(['default']);
  });

  it('rolls back SQLite and memory when the function throws', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    tasks.put('kept', task('kept', 'PENDING'));
    tasks.put('deleted', task('deleted'));

    expect(() =>
      store.transaction(() => {
        tasks.put('kept', task('kept', 'STOPPED'));
        tasks.put('new', task('new'));
        tasks.delete('deleted');
        tasks.put('new', task('new', 'STOPPED'));
        expect(tasks.keys()).toEqual(['kept', 'new']); // the transaction sees its own writes
        throw new Error('boom');
      }),
    ).toThrow('boom');

    // Memory is back as it was before the transaction...
    expect(tasks.keys()).toEqual(['deleted', 'kept']);
    expect(tasks.get('kept')).toEqual(task('kept', 'PENDING'));
    expect(tasks.withPrefix('n')).toEqual([]);
    // ...and so is SQLite: a later commit does not carry the rolled-back writes, and a reopen agrees.
    tasks.put('after', task('after'));
    const again = reopen(store);
    expect(again.table<Task>('ecs', 'tasks').keys()).toEqual(['after', 'deleted', 'kept']);
    expect(again.table<Task>('ecs', 'tasks').get('kept')).toEqual(task('kept', 'PENDING'));
  });

  it('joins nested calls to the outermost transaction', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    const commits: (readonly Change[])[] = [];
    store.onCommit((changes) => commits.push(changes));

    store.transaction(() => {
      tasks.put('t1', task('t1'));
      store.transaction(() => {
        tasks.put('t2', task('t2'));
        store.transaction(() => tasks.put('t3', task('t3')));
      });
      expect(commits).toEqual([]); // nothing is acknowledged before the outermost commit
    });
    expect(commits).toHaveLength(1);
    expect(commits[0]?.map((c) => c.key)).toEqual(['t1', 't2', 't3']);
  });

  it('rolls back everything, nested writes included, when the outer function throws', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    expect(() =>
      store.transaction(() => {
        store.transaction(() => tasks.put('inner', task('inner')));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(tasks.size()).toBe(0);
    expect(reopen(store).table('ecs', 'tasks').size()).toBe(0);
  });

  it('rolls back only a nested call that throws, when the outer function catches it', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    const commits: (readonly Change[])[] = [];
    store.onCommit((changes) => commits.push(changes));

    store.transaction(() => {
      tasks.put('before', task('before'));
      try {
        store.transaction(() => {
          tasks.put('inner', task('inner'));
          tasks.put('before', task('before', 'STOPPED'));
          throw new Error('inner fails');
        });
      } catch {
        // the caller decided to carry on
      }
      expect(tasks.get('before')).toEqual(task('before'));
      tasks.put('after', task('after'));
    });

    expect(tasks.keys()).toEqual(['after', 'before']);
    expect(commits.flat().map((c) => c.key)).toEqual(['before', 'after']);
    const again = reopen(store).table<Task>('ecs', 'tasks');
    expect(again.keys()).toEqual(['after', 'before']);
    expect(again.get('before')).toEqual(task('before'));
  });

  it('refuses an async function and rolls back what it wrote before its first await', async () => {
    const store = open('memory');
    const tasks = store.table<Task>('ecs', 'tasks');
    expect(() =>
      store.transaction(async () => {
        tasks.put('t1', task('t1'));
        await Promise.resolve();
      }),
    ).toThrow(/promise/);
    expect(tasks.size()).toBe(0);
  });
});

describe('onCommit', () => {
  it('reports one batch per committed transaction, one change per key with its last kind', () => {
    const store = open('memory');
    const tasks = store.table<Task>('ecs', 'tasks');
    const queues = store.table<{ url: string }>('sqs', 'queues');
    tasks.put('gone', task('gone'));
    const commits: (readonly Change[])[] = [];
    store.onCommit((changes) => commits.push(changes));

    store.transaction(() => {
      tasks.put('t1', task('t1', 'PENDING'));
      queues.put('q1', { url: 'http://localhost/q1' });
      tasks.put('t1', task('t1', 'RUNNING'));
      tasks.delete('gone');
      tasks.put('brief', task('brief'));
      tasks.delete('brief');
    });
    tasks.put('t2', task('t2'));
    tasks.delete('t2');
    tasks.delete('never-existed');

    expect(commits).toEqual([
      [
        { service: 'ecs', table: 'tasks', key: 't1', kind: 'put' },
        { service: 'sqs', table: 'queues', key: 'q1', kind: 'put' },
        { service: 'ecs', table: 'tasks', key: 'gone', kind: 'delete' },
        { service: 'ecs', table: 'tasks', key: 'brief', kind: 'delete' },
      ],
      [{ service: 'ecs', table: 'tasks', key: 't2', kind: 'put' }],
      [{ service: 'ecs', table: 'tasks', key: 't2', kind: 'delete' }],
    ]);
    expect(Object.isFrozen(commits[0])).toBe(true);
  });

  it('says nothing for rolled-back or empty transactions', () => {
    const store = open('memory');
    const calls: number[] = [];
    store.onCommit((changes) => calls.push(changes.length));
    store.transaction(() => undefined);
    expect(() =>
      store.transaction(() => {
        store.table<Task>('ecs', 'tasks').put('t1', task('t1'));
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(calls).toEqual([]);
  });

  it('lets listeners write in a transaction of their own, and unsubscribe', () => {
    const store = open('memory');
    const tasks = store.table<Task>('ecs', 'tasks');
    const clusters = store.table<{ tasks: number }>('ecs', 'clusters');
    const seen: string[] = [];
    const unsubscribe = store.onCommit((changes) => {
      seen.push(changes.map((c) => `${c.table}/${c.key}`).join(','));
      if (changes.some((c) => c.table === 'tasks')) clusters.put('default', { tasks: tasks.size() });
    });
    tasks.put('t1', task('t1'));
    expect(clusters.get('default')).toEqual({ tasks: 1 });
    expect(seen).toEqual(['tasks/t1', 'clusters/default']);
    unsubscribe();
    unsubscribe();
    tasks.put('t2', task('t2'));
    expect(seen).toHaveLength(2);
  });

  it('still commits and tells every listener when one listener throws, then reports it', () => {
    const store = open('memory');
    const tasks = store.table<Task>('ecs', 'tasks');
    const seen: string[] = [];
    store.onCommit(() => {
      throw new Error('listener bug');
    });
    store.onCommit((changes) => seen.push(changes[0]!.key));
    expect(() => tasks.put('t1', task('t1'))).toThrow(/committed, but an onCommit listener threw: listener bug/);
    expect(tasks.get('t1')).toEqual(task('t1'));
    expect(seen).toEqual(['t1']);
  });
});

describe('counts and reset', () => {
  it('counts the rows of every table, per service', () => {
    const store = open('memory');
    expect(store.counts()).toEqual({ ecs: { clusters: 0, tasks: 0 }, sqs: { queues: 0 } });
    store.table<Task>('ecs', 'tasks').put('t1', task('t1'));
    store.table<Task>('ecs', 'tasks').put('t2', task('t2'));
    store.table('sqs', 'queues').put('q', { url: 'u' });
    expect(store.counts()).toEqual({ ecs: { clusters: 0, tasks: 2 }, sqs: { queues: 1 } });
  });

  it('deletes every row, keeps the schema, reports the deletions, and survives a reopen', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    tasks.put('t1', task('t1'));
    store.table('sqs', 'queues').put('q', { url: 'u' });
    const deleted: string[] = [];
    store.onCommit((changes) => deleted.push(...changes.map((c) => `${c.kind} ${c.service}.${c.table}/${c.key}`)));

    store.reset();
    expect(store.counts()).toEqual({ ecs: { clusters: 0, tasks: 0 }, sqs: { queues: 0 } });
    expect(deleted.sort()).toEqual(['delete ecs.tasks/t1', 'delete sqs.queues/q']);
    tasks.put('t3', task('t3'));
    const again = reopen(store);
    expect(again.counts()).toEqual({ ecs: { clusters: 0, tasks: 1 }, sqs: { queues: 0 } });
  });

  it('is undone, in SQLite and memory, by a rollback', () => {
    const store = open();
    const tasks = store.table<Task>('ecs', 'tasks');
    for (let i = 0; i < 50; i++) tasks.put(`t${String(i).padStart(2, '0')}`, task(`t${i}`));
    expect(() =>
      store.transaction(() => {
        store.reset();
        tasks.put('x', task('x'));
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(tasks.size()).toBe(50);
    expect(tasks.keys()[0]).toBe('t00');
    expect(tasks.withPrefix('t4')).toHaveLength(10);
    expect(reopen(store).table('ecs', 'tasks').size()).toBe(50);
  });
});

describe('close', () => {
  it('makes later use fail clearly, and is idempotent', () => {
    const store = open('memory');
    const tasks = store.table<Task>('ecs', 'tasks');
    store.close();
    store.close();
    expect(() => tasks.get('t1')).toThrow(/closed/);
    expect(() => tasks.put('t1', task('t1'))).toThrow(/closed/);
    expect(() => store.table('ecs', 'tasks')).toThrow(/closed/);
    expect(() => store.transaction(() => 1)).toThrow(/closed/);
  });

  it('is refused inside a transaction', () => {
    const store = open('memory');
    expect(() => store.transaction(() => store.close())).toThrow(/inside a transaction/);
  });

  it('releases the file for the next store', () => {
    open().close();
    expect(() => open()).not.toThrow();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
