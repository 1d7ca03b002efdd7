/**
 * A document table: one SQLite table `doc_<service>_<name>(key, body)` of JSON documents, mirrored
 * by an in-memory map so reads cost a map lookup. Keys are kept sorted so listings and prefix
 * scans are in key order (deterministic across restarts, and `withPrefix` works like the
 * `${accountId}/${region}/${name}` key paths services build, much as DynamoDB's begins_with).
 *
 * Values are JSON documents. What `get` returns is the stored copy, deep-frozen: it is exactly what
 * a reopened store would read (a `Date` becomes its ISO string, `undefined` members vanish, NaN
 * becomes null — keep timestamps as epoch-ms numbers), and mutating it throws a TypeError in
 * ESM's strict mode instead of silently changing the store behind `put`. Change a document with
 * `put(key, { ...old, field })`. Measured on an 870-byte ECS-task-like document: a frozen read
 * costs ~10 ns, a structuredClone per read ~7.7 µs and a JSON.parse ~2.8 µs, so the cost of
 * immutability is paid once per write (parse + freeze, ~3.6 µs) instead of on every read.
 */
import type BetterSqlite3 from 'better-sqlite3';

export interface Table<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  /** Outside `Store.transaction()` a single write is its own transaction. Writing an identical document is a no-op. */
  put(key: string, value: T): void;
  delete(key: string): boolean;
  /** Every document, in key order. */
  values(): T[];
  keys(): string[];
  size(): number;
  /** Rows whose key starts with prefix, in key order (keys are built like `${accountId}/${region}/${name}`). */
  withPrefix(prefix: string): T[];
}

/** What a table needs from its store: a transaction to write in and an undo log to record into. */
export interface TableHost {
  /** Runs fn inside the current transaction, or in a new one if none is open. */
  write<R>(fn: () => R): R;
  /** Records a change to memory so a rollback can restore `previous` (undefined: the key was absent). */
  record(table: DocumentTable, key: string, previous: unknown, kind: 'put' | 'delete'): void;
  assertOpen(): void;
}

const SERVICE_PATTERN = /^[a-z][a-z0-9]*$/;
const TABLE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

export function assertServiceName(service: string): void {
  if (!SERVICE_PATTERN.test(service)) {
    throw new Error(
      `store: service name ${JSON.stringify(service)} must match ${SERVICE_PATTERN} (e.g. 'ecs', 'elbv2')`,
    );
  }
}

export function assertTableName(name: string): void {
  if (!TABLE_PATTERN.test(name)) {
    throw new Error(`store: table name ${JSON.stringify(name)} must match ${TABLE_PATTERN} (e.g. 'lifecycleHooks')`);
  }
}

/**
 * The SQLite name of a document table. SQLite compares identifiers case-insensitively, so the
 * name is encoded injectively into lower case: `_` becomes `__` and an upper-case letter becomes
 * `_` plus its lower case (`lifecycleHooks` → `doc_autoscaling_lifecycle_hooks`). Service names
 * have no `_`, so the first `_` after `doc_` ends the service.
 */
export function sqlTableName(service: string, name: string): string {
  assertServiceName(service);
  assertTableName(name);
  const encoded = name.replace(/[A-Z_]/g, (c) => (c === '_' ? '__' : `_${c.toLowerCase()}`));
  return `doc_${service}_${encoded}`;
}

/** The inverse of sqlTableName; undefined for a SQLite table that is not a document table. */
export function parseSqlTableName(sqlName: string): { service: string; name: string } | undefined {
  const match = /^doc_([a-z][a-z0-9]*)_([a-z0-9_]+)$/.exec(sqlName);
  if (!match) return undefined;
  const [, service = '', encoded = ''] = match;
  let name = '';
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charAt(i);
    if (c !== '_') {
      name += c;
      continue;
    }
    const next = encoded.charAt(i + 1);
    if (next === '_') name += '_';
    else if (next !== '') name += next.toUpperCase();
    else return undefined;
    i++;
  }
  return TABLE_PATTERN.test(name) ? { service, name } : undefined;
}

/** JSON text of a document; throws for values JSON cannot hold at all (undefined, functions, symbols, bigint). */
export function encodeDocument(value: unknown, where: string): string {
  let body: string | undefined;
  try {
    body = JSON.stringify(value) as string | undefined;
  } catch (error) {
    throw new Error(`store: ${where}: the value is not JSON data (${(error as Error).message})`, { cause: error });
  }
  if (body === undefined) throw new Error(`store: ${where}: the value is not JSON data (got ${typeof value})`);
  return body;
}

export function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) {
      for (const item of value) deepFreeze(item);
    } else {
      for (const member of Object.values(value)) deepFreeze(member);
    }
    Object.freeze(value);
  }
  return value;
}

/** Index of the first element of sorted that is >= key (string order, the same as Array.prototype.sort). */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One document table's rows in memory plus its prepared statements; shared by every view of it. */
export class DocumentTable {
  readonly rows = new Map<string, unknown>();
  private sortedKeys: string[] = [];
  private readonly upsert: BetterSqlite3.Statement<[string, string]>;
  private readonly remove: BetterSqlite3.Statement<[string]>;
  private readonly removeAll: BetterSqlite3.Statement<[]>;
  private view: Table<unknown> | undefined;

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly service: string,
    readonly name: string,
    readonly sqlName: string,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO "${sqlName}" (key, body) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body`,
    );
    this.remove = db.prepare(`DELETE FROM "${sqlName}" WHERE key = ?`);
    this.removeAll = db.prepare(`DELETE FROM "${sqlName}"`);
  }

  /** Fills memory from SQLite (at open, after migrations). */
  load(): void {
    const rows = this.db.prepare(`SELECT key, body FROM "${this.sqlName}"`).raw().all() as [string, string][];
    this.rows.clear();
    const keys: string[] = [];
    for (const [key, body] of rows) {
      this.rows.set(key, deepFreeze(JSON.parse(body)));
      keys.push(key);
    }
    // SQLite orders TEXT by UTF-8 bytes, JavaScript by UTF-16 units; sort here so both agree with lowerBound.
    this.sortedKeys = keys.sort();
  }

  /** Memory only: sets a row (used by writes and by rollback). */
  setRow(key: string, value: unknown): void {
    if (!this.rows.has(key)) this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 0, key);
    this.rows.set(key, value);
  }

  /** Memory only: removes a row (used by writes and by rollback). */
  removeRow(key: string): void {
    if (!this.rows.delete(key)) return;
    this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 1);
  }

  /**
   * Deletes every row in SQLite and memory; the host records each deletion, last key first, so
   * that a rollback (which replays the undo log backwards) re-inserts in ascending order cheaply.
   */
  clear(host: TableHost): void {
    this.removeAll.run();
    for (let i = this.sortedKeys.length - 1; i >= 0; i--) {
      const key = this.sortedKeys[i] as string;
      host.record(this, key, this.rows.get(key), 'delete');
    }
    this.rows.clear();
    this.sortedKeys = [];
  }

  keysInOrder(): string[] {
    return this.sortedKeys.slice();
  }

  keysWithPrefix(prefix: string): string[] {
    const start = lowerBound(this.sortedKeys, prefix);
    let end = start;
    while (end < this.sortedKeys.length && (this.sortedKeys[end] as string).startsWith(prefix)) end++;
    return this.sortedKeys.slice(start, end);
  }

  /** The typed view handed to services; one per table, since it holds no state of its own. */
  viewFor<T>(host: TableHost): Table<T> {
    this.view ??= this.createView(host);
    return this.view as Table<T>;
  }

  private createView(host: TableHost): Table<unknown> {
    const where = `${this.service}.${this.name}`;
    const valuesOf = (keys: string[]): unknown[] => keys.map((key) => this.rows.get(key));
    return {
      get: (key) => {
        host.assertOpen();
        return this.rows.get(key);
      },
      has: (key) => {
        host.assertOpen();
        return this.rows.has(key);
      },
      put: (key, value) => {
        if (typeof key !== 'string') throw new Error(`store: ${where}: key must be a string, got ${typeof key}`);
        const body = encodeDocument(value, `${where} put ${JSON.stringify(key)}`);
        host.write(() => {
          const previous = this.rows.get(key);
          // Rewriting the same document changes nothing, so it neither touches SQLite nor wakes onCommit
          // listeners (a controller that re-records an unchanged fact must not re-trigger itself).
          if (previous !== undefined && JSON.stringify(previous) === body) return;
          this.upsert.run(key, body);
          this.setRow(key, deepFreeze(JSON.parse(body)));
          host.record(this, key, previous, 'put');
        });
      },
      delete: (key) =>
        host.write(() => {
          const previous = this.rows.get(key);
          if (previous === undefined) return false;
          this.remove.run(key);
          this.removeRow(key);
          host.record(this, key, previous, 'delete');
          return true;
        }),
      values: () => {
        host.assertOpen();
        return valuesOf(this.sortedKeys);
      },
      keys: () => {
        host.assertOpen();
        return this.keysInOrder();
      },
      size: () => {
        host.assertOpen();
        return this.rows.size;
      },
      withPrefix: (prefix) => {
        host.assertOpen();
        return valuesOf(this.keysWithPrefix(prefix));
      },
    };
  }
}
