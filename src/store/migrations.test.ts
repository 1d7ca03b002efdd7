/**
 * Migrations: validation of version numbering, the order they apply in, rewrites, failures that
 * roll back, and refusing a database written by a newer drydock.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, STORE_FORMAT_VERSION, orderMigrations, validateMigrations } from './migrations.js';
import type { Migration } from './migrations.js';
import { openStore } from './store.js';
import type { Store } from './store.js';

let dir: string;
const opened: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-migrations-'));
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(migrations: Migration[], location = dir): Store {
  const store = openStore({ location, migrations, now: () => 1_700_000_000_000 });
  opened.push(store);
  return store;
}

function closeAll(): void {
  for (const store of opened.splice(0)) store.close();
}

/** Reads the file directly, with the store closed. */
function query<R>(sql: string): R[] {
  const db = new Database(path.join(dir, 'drydock.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as R[];
  } finally {
    db.close();
  }
}

const migration = (service: string, version: number, up: Migration['up'] = () => undefined): Migration => ({
  service,
  version,
  description: `${service} v${version}`,
  up,
});

describe('validateMigrations', () => {
  it('accepts versions 1..n per service, in any listing order', () => {
    expect(() => validateMigrations([migration('ecs', 2), migration('sqs', 1), migration('ecs', 1)])).not.toThrow();
    expect(() => validateMigrations([])).not.toThrow();
  });

  it('rejects gaps, repeats, bad numbers and bad service names', () => {
    expect(() => validateMigrations([migration('ecs', 1), migration('ecs', 3)])).toThrow(/ecs .*version 2 is missing/);
    expect(() => validateMigrations([migration('ecs', 2)])).toThrow(/version 1 is missing/);
    expect(() => validateMigrations([migration('ecs', 1), migration('ecs', 1)])).toThrow(/version 1 appears twice/);
    expect(() => validateMigrations([migration('ecs', 1.5)])).toThrow(/positive integer/);
    expect(() => validateMigrations([migration('ecs', 0)])).toThrow(/positive integer/);
    expect(() => validateMigrations([migration('Bad_Service', 1)])).toThrow(/service name/);
  });

  it('makes openStore refuse invalid migrations before touching the disk', () => {
    const location = path.join(dir, 'never-created');
    expect(() => openStore({ location, migrations: [migration('ecs', 2)] })).toThrow(/version 1 is missing/);
    expect(existsSync(location)).toBe(false);
  });
});

describe('running migrations', () => {
  it('applies pending migrations in (service, version) order, each once', () => {
    const ran: string[] = [];
    const track = (m: Migration): Migration => ({ ...m, up: () => ran.push(m.description) });
    const all = [migration('sqs', 1), migration('ecs', 2), migration('autoscaling', 1), migration('ecs', 1)].map(track);
    expect(orderMigrations(all).map((m) => m.description)).toEqual(['autoscaling v1', 'ecs v1', 'ecs v2', 'sqs v1']);

    open(all.filter((m) => m.description !== 'ecs v2'));
    expect(ran).toEqual(['autoscaling v1', 'ecs v1', 'sqs v1']);
    closeAll();

    ran.length = 0;
    open(all);
    expect(ran).toEqual(['ecs v2']);
    closeAll();

    ran.length = 0;
    open(all);
    expect(ran).toEqual([]);
    closeAll();

    expect(
      query('SELECT service, version, description, applied_at FROM schema_migrations ORDER BY service, version'),
    ).toEqual([
      { service: 'autoscaling', version: 1, description: 'autoscaling v1', applied_at: 1_700_000_000_000 },
      { service: 'ecs', version: 1, description: 'ecs v1', applied_at: 1_700_000_000_000 },
      { service: 'ecs', version: 2, description: 'ecs v2', applied_at: 1_700_000_000_000 },
      { service: 'sqs', version: 1, description: 'sqs v1', applied_at: 1_700_000_000_000 },
    ]);
  });

  it('stamps applied_at with the wall time when no clock is given', () => {
    opened.push(openStore({ location: dir, migrations: [migration('ecs', 1)] }));
    closeAll();
    const [row] = query<{ applied_at: number }>('SELECT applied_at FROM schema_migrations');
    expect(Math.abs(row!.applied_at - Date.now())).toBeLessThan(60_000);
  });

  it('creates document tables named after service and table, and drops them', () => {
    const v1 = migration('autoscaling', 1, (db) => {
      db.createTable('lifecycleHooks');
      db.createTable('scratch');
    });
    const store = open([v1]);
    expect(store.counts()).toEqual({ autoscaling: { lifecycleHooks: 0, scratch: 0 } });
    closeAll();
    const tables = query<{ name: string }>("SELECT name FROM sqlite_master WHERE name LIKE 'doc%' ORDER BY name");
    expect(tables.map((t) => t.name)).toEqual(['doc_autoscaling_lifecycle_hooks', 'doc_autoscaling_scratch']);

    const v2 = migration('autoscaling', 2, (db) => db.dropTable('scratch'));
    const again = open([v1, v2]);
    expect(again.counts()).toEqual({ autoscaling: { lifecycleHooks: 0 } });
    expect(() => again.table('autoscaling', 'scratch')).toThrow(/does not exist/);
  });

  it('rewrites documents: changing, deleting and keeping rows, seen in memory after open', () => {
    interface V1 {
      name: string;
      timeoutSeconds: number;
    }
    interface V2 {
      name: string;
      heartbeatTimeoutMs: number;
    }
    const v1 = migration('autoscaling', 1, (db) => db.createTable('hooks'));
    const store = open([v1]);
    const hooks = store.table<V1>('autoscaling', 'hooks');
    hooks.put('a', { name: 'a', timeoutSeconds: 60 });
    hooks.put('b', { name: 'b', timeoutSeconds: 0 });
    hooks.put('c', { name: 'c', timeoutSeconds: 3600 });
    closeAll();

    const visited: string[] = [];
    const v2 = migration('autoscaling', 2, (db) =>
      db.rewrite<V1 | V2>('hooks', (key, value) => {
        visited.push(key);
        const old = value as V1;
        if (old.timeoutSeconds === 0) return undefined;
        return { name: old.name, heartbeatTimeoutMs: old.timeoutSeconds * 1000 };
      }),
    );
    const migrated = open([v1, v2]).table<V2>('autoscaling', 'hooks');
    expect(visited).toEqual(['a', 'b', 'c']);
    expect(migrated.values()).toEqual([
      { name: 'a', heartbeatTimeoutMs: 60_000 },
      { name: 'c', heartbeatTimeoutMs: 3_600_000 },
    ]);
  });

  it('hands rewrite functions mutable copies and runs exec for indexes', () => {
    const v1 = migration('ecs', 1, (db) => {
      db.createTable('tasks');
      db.exec('CREATE TABLE ecs_side (n INTEGER)');
    });
    open([v1]).table<{ n: number }>('ecs', 'tasks').put('t', { n: 1 });
    closeAll();
    const v2 = migration('ecs', 2, (db) =>
      db.rewrite<{ n: number }>('tasks', (_key, value) => {
        value.n += 1;
        return value;
      }),
    );
    expect(open([v1, v2]).table('ecs', 'tasks').get('t')).toEqual({ n: 2 });
  });

  it('rolls back a failing migration, names it, keeps earlier ones, and retries it on the next open', () => {
    const v1 = migration('ecs', 1, (db) => db.createTable('tasks'));
    let fail = true;
    const v2 = migration('ecs', 2, (db) => {
      db.createTable('services');
      if (fail) throw new Error('disk says no');
    });
    expect(() => open([v1, v2])).toThrow(/migration ecs v2 \("ecs v2"\) failed and was rolled back: disk says no/);
    expect(query<{ version: number }>('SELECT version FROM schema_migrations').map((r) => r.version)).toEqual([1]);
    expect(query("SELECT name FROM sqlite_master WHERE name = 'doc_ecs_services'")).toEqual([]);

    fail = false;
    expect(open([v1, v2]).counts()).toEqual({ ecs: { services: 0, tasks: 0 } });
  });

  it('reports a migration error from the context clearly', () => {
    const v1 = migration('ecs', 1, (db) => {
      db.createTable('tasks');
      db.createTable('tasks');
    });
    expect(() => open([v1], 'memory')).toThrow(/ecs v1.*table ecs.tasks already exists/);
    const v1b = migration('ecs', 1, (db) => db.rewrite('missing', (_k, v) => v));
    expect(() => open([v1b], 'memory')).toThrow(/table ecs.missing does not exist/);
  });
});

describe('refusing a newer database', () => {
  it('refuses to open when the database has a migration version this code does not know', () => {
    open([migration('ecs', 1), migration('ecs', 2), migration('sqs', 1)]);
    closeAll();
    const file = path.join(dir, 'drydock.sqlite');
    expect(() => open([migration('ecs', 1), migration('sqs', 1)])).toThrow(
      new RegExp(
        `store ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: refusing to open: .*\\(ecs v2\\).*newer drydock`,
      ),
    );
    expect(() => open([migration('ecs', 1), migration('ecs', 2)])).toThrow(/\(sqs v1\)/);
    // Refusing changed nothing: the newer code still opens it.
    expect(() => open([migration('ecs', 1), migration('ecs', 2), migration('sqs', 1)])).not.toThrow();
  });

  it('refuses a store format newer than this build, and a SQLite file that is not a drydock store', () => {
    open([]);
    closeAll();
    const file = path.join(dir, 'drydock.sqlite');
    const db = new Database(file);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.pragma(`user_version = ${STORE_FORMAT_VERSION + 1}`);
    db.close();
    expect(() => open([])).toThrow(/newer drydock \(store format 2/);

    const foreign = new Database(file);
    foreign.pragma('application_id = 42');
    foreign.close();
    expect(() => open([])).toThrow(/not a drydock store/);
  });

  it('refuses a history with a hole in it', () => {
    open([migration('ecs', 1), migration('ecs', 2)]);
    closeAll();
    const db = new Database(path.join(dir, 'drydock.sqlite'));
    db.prepare("DELETE FROM schema_migrations WHERE service = 'ecs' AND version = 1").run();
    db.close();
    expect(() => open([migration('ecs', 1), migration('ecs', 2)])).toThrow(/records v2 without v1/);
  });
});
