/**
 * Document tables: reads, writes, key order, prefix scans, the frozen-document rule and the
 * encoding of table names into SQLite identifiers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './store.js';
import type { Store } from './store.js';
import { parseSqlTableName, sqlTableName } from './table.js';

interface Instance {
  id: string;
  state: string;
  tags?: { key: string; value: string }[];
  launchedAtMs?: number;
}

let store: Store | undefined;
afterEach(() => store?.close());

function memoryStore(): Store {
  store = openStore({
    location: 'memory',
    migrations: [
      {
        service: 'ec2',
        version: 1,
        description: 'instances',
        up: (db) => {
          db.createTable('instances');
          db.createTable('launchTemplates');
        },
      },
    ],
  });
  return store;
}

describe('Table', () => {
  it('puts, gets, checks and deletes documents', () => {
    const instances = memoryStore().table<Instance>('ec2', 'instances');
    expect(instances.get('i-1')).toBeUndefined();
    expect(instances.has('i-1')).toBe(false);

    instances.put('i-1', { id: 'i-1', state: 'pending', launchedAtMs: 1_700_000_000_000 });
    expect(instances.get('i-1')).toEqual({ id: 'i-1', state: 'pending', launchedAtMs: 1_700_000_000_000 });
    expect(instances.has('i-1')).toBe(true);
    expect(instances.size()).toBe(1);

    instances.put('i-1', { id: 'i-1', state: 'running' });
    expect(instances.get('i-1')?.state).toBe('running');
    expect(instances.size()).toBe(1);

    expect(instances.delete('i-1')).toBe(true);
    expect(instances.delete('i-1')).toBe(false);
    expect(instances.get('i-1')).toBeUndefined();
    expect(instances.size()).toBe(0);
  });

  it('lists keys and values in key order, whatever the insertion order', () => {
    const instances = memoryStore().table<Instance>('ec2', 'instances');
    for (const id of ['i-c', 'i-a', 'i-d', 'i-b']) instances.put(id, { id, state: 'running' });
    instances.delete('i-d');
    expect(instances.keys()).toEqual(['i-a', 'i-b', 'i-c']);
    expect(instances.values().map((i) => i.id)).toEqual(['i-a', 'i-b', 'i-c']);
  });

  it('returns the rows whose key starts with a prefix, in key order', () => {
    const instances = memoryStore().table<Instance>('ec2', 'instances');
    const keys = [
      '000000000000/us-east-1/web-2',
      '000000000000/us-east-1/web-1',
      '000000000000/us-east-10/web-1',
      '000000000000/us-west-2/web-1',
      '111111111111/us-east-1/web-1',
      '000000000000/us-east-1/api-1',
    ];
    for (const key of keys) instances.put(key, { id: key, state: 'running' });

    expect(instances.withPrefix('000000000000/us-east-1/').map((i) => i.id)).toEqual([
      '000000000000/us-east-1/api-1',
      '000000000000/us-east-1/web-1',
      '000000000000/us-east-1/web-2',
    ]);
    expect(instances.withPrefix('000000000000/').length).toBe(5);
    expect(instances.withPrefix('').length).toBe(6);
    expect(instances.withPrefix('222222222222/')).toEqual([]);
    expect(instances.withPrefix('000000000000/us-east-1/web-1')).toHaveLength(1);
  });

  it('keeps tables apart', () => {
    const s = memoryStore();
    s.table<Instance>('ec2', 'instances').put('x', { id: 'x', state: 'running' });
    expect(s.table('ec2', 'launchTemplates').get('x')).toBeUndefined();
  });

  it('hands out frozen documents that cannot change the store behind put', () => {
    const instances = memoryStore().table<Instance>('ec2', 'instances');
    const original: Instance = { id: 'i-1', state: 'running', tags: [{ key: 'Name', value: 'web' }] };
    instances.put('i-1', original);

    // The caller's object is copied, not captured: changing it later does not change the store.
    original.state = 'terminated';
    expect(instances.get('i-1')?.state).toBe('running');

    const read = instances.get('i-1') as Instance;
    expect(Object.isFrozen(read)).toBe(true);
    expect(() => {
      read.state = 'stopped';
    }).toThrow(TypeError);
    expect(() => {
      read.tags?.push({ key: 'a', value: 'b' });
    }).toThrow(TypeError);
    expect(() => {
      (read.tags as { key: string; value: string }[])[0]!.value = 'api';
    }).toThrow(TypeError);
    expect(instances.values()[0]).toEqual({ id: 'i-1', state: 'running', tags: [{ key: 'Name', value: 'web' }] });

    // The arrays values()/keys() return are the caller's own.
    const listed = instances.values();
    listed.pop();
    expect(instances.values()).toHaveLength(1);
  });

  it('stores JSON: what get returns is what a reopened store would read', () => {
    const docs = memoryStore().table<Record<string, unknown>>('ec2', 'instances');
    docs.put('k', { at: new Date(0), gone: undefined, nan: Number.NaN, nested: [1, 'two', true, null] });
    expect(docs.get('k')).toEqual({ at: '1970-01-01T00:00:00.000Z', nan: null, nested: [1, 'two', true, null] });
  });

  it('rejects values that are not JSON data and keys that are not strings', () => {
    const docs = memoryStore().table<unknown>('ec2', 'instances');
    expect(() => docs.put('k', undefined)).toThrow(/not JSON data/);
    expect(() => docs.put('k', () => 1)).toThrow(/not JSON data/);
    expect(() => docs.put('k', { n: 1n })).toThrow(/not JSON data/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => docs.put('k', cyclic)).toThrow(/not JSON data/);
    expect(() => docs.put(7 as unknown as string, {})).toThrow(/key must be a string/);
    expect(docs.size()).toBe(0);
  });

  it('writing an identical document is a no-op that notifies nobody', () => {
    const s = memoryStore();
    const instances = s.table<Instance>('ec2', 'instances');
    instances.put('i-1', { id: 'i-1', state: 'running' });
    const seen: string[] = [];
    s.onCommit((changes) => seen.push(...changes.map((c) => c.key)));
    instances.put('i-1', { id: 'i-1', state: 'running' });
    expect(seen).toEqual([]);
    instances.put('i-1', { id: 'i-1', state: 'stopping' });
    expect(seen).toEqual(['i-1']);
  });

  it('keeps null documents apart from missing ones', () => {
    const docs = memoryStore().table<null>('ec2', 'instances');
    docs.put('k', null);
    expect(docs.has('k')).toBe(true);
    expect(docs.get('k')).toBeNull();
    expect(docs.delete('k')).toBe(true);
  });
});

describe('table names in SQLite', () => {
  it('encodes camelCase and underscores injectively, in lower case', () => {
    expect(sqlTableName('autoscaling', 'lifecycleHooks')).toBe('doc_autoscaling_lifecycle_hooks');
    expect(sqlTableName('ecs', 'tasks')).toBe('doc_ecs_tasks');
    const names = [
      'lifecycleHooks',
      'lifecycle_hooks',
      'lifecyclehooks',
      'lifecycle_Hooks',
      'a__b',
      'aB',
      'a_b',
      'A',
      'a1',
    ];
    const encoded = names.map((name) => sqlTableName('svc', name));
    expect(new Set(encoded.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const [i, name] of names.entries()) {
      expect(parseSqlTableName(encoded[i] as string)).toEqual({ service: 'svc', name });
    }
  });

  it('rejects names that cannot be encoded and SQLite tables that are not document tables', () => {
    expect(() => sqlTableName('my_service', 'x')).toThrow(/service name/);
    expect(() => sqlTableName('ECS', 'x')).toThrow(/service name/);
    expect(() => sqlTableName('ecs', 'bad-name')).toThrow(/table name/);
    expect(() => sqlTableName('ecs', '1st')).toThrow(/table name/);
    expect(parseSqlTableName('schema_migrations')).toBeUndefined();
    expect(parseSqlTableName('doc_ecs_tasks_')).toBeUndefined();
  });
});
