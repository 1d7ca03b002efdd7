/**
 * The Store: every service's tables in one SQLite database (`<dir>/drydock.sqlite`, or `:memory:`),
 * read from an in-memory mirror and written through to SQLite in the same transaction. It plays
 * the part of the durable state behind AWS's control planes: an API call records intent here and
 * returns; a write is acknowledged only once its outermost transaction has committed, and
 * onCommit tells the control loop what changed so it can reconcile.
 *
 * Durability: WAL journal with `synchronous=NORMAL`. A committed transaction has been written to
 * the WAL file (the OS page cache at least), so it survives the process being killed (kill -9);
 * only an OS crash or power loss can lose the last commits, never corrupt the file. Pass
 * `synchronous: 'FULL'` to fsync the WAL on every commit if that matters more than write latency.
 * The file is opened in exclusive locking mode: the memory mirror assumes it is the only writer,
 * so a second drydock on the same directory is refused instead of silently diverging.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { runMigrations, validateMigrations } from './migrations.js';
import type { Migration, Now } from './migrations.js';
import { DocumentTable, parseSqlTableName } from './table.js';
import type { Table, TableHost } from './table.js';

export type { Migration, MigrationContext, Now } from './migrations.js';
export type { Table } from './table.js';

export const DEFAULT_STORE_DIRECTORY = '.drydock';
export const STORE_FILE_NAME = 'drydock.sqlite';
/** How long opening waits for a lock held by another connection before giving up. */
const LOCK_WAIT_MS = 1_000;

export interface StoreOptions {
  /** 'memory' for an in-memory database, otherwise the directory holding drydock.sqlite (default '.drydock'). */
  location?: 'memory' | string;
  migrations: Migration[];
  /** SQLite `synchronous` in WAL mode: NORMAL survives kill -9, FULL also survives power loss. Default NORMAL. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Clock for `schema_migrations.applied_at`; without it SQLite stamps the wall time itself. */
  now?: Now;
}

export interface Change {
  service: string;
  table: string;
  key: string;
  kind: 'put' | 'delete';
}

export interface Store {
  /** ':memory:' or the sqlite file path. */
  readonly location: string;
  /** A document table created by a migration; throws a plain Error if it doesn't exist. */
  table<T>(service: string, name: string): Table<T>;
  /**
   * Runs fn in one SQLite transaction (synchronous; nested calls join the outer one). A write is
   * acknowledged only when the outermost transaction has committed. Throwing rolls back both
   * SQLite and the in-memory view; a nested call that throws rolls back only its own writes (a
   * savepoint), so an outer fn that catches the error can still commit the rest.
   */
  transaction<R>(fn: () => R): R;
  /**
   * Called after each commit that changed something, with one Change per key written (the kind
   * of its last write). Listeners run after the commit, so they may write (in a new transaction).
   * If a listener throws, the others still run and then the write that committed throws an Error
   * saying so. Returns an unsubscribe function.
   */
  onCommit(listener: (changes: readonly Change[]) => void): () => void;
  /** service -> table -> rows. */
  counts(): Record<string, Record<string, number>>;
  /** Deletes every row of every table (admin reset); the schema stays. */
  reset(): void;
  close(): void;
}

type CommitListener = (changes: readonly Change[]) => void;

interface UndoEntry {
  table: DocumentTable;
  key: string;
  previous: unknown;
  kind: 'put' | 'delete';
}

export function openStore(options: StoreOptions): Store {
  validateMigrations(options.migrations);
  const directory = options.location ?? DEFAULT_STORE_DIRECTORY;
  const location = directory === 'memory' ? ':memory:' : path.resolve(directory, STORE_FILE_NAME);
  const db = openDatabase(location, options.synchronous ?? 'NORMAL');
  try {
    runMigrations(db, options.migrations, location, options.now);
    return new SqliteStore(db, location, loadTables(db));
  } catch (error) {
    db.close();
    throw error;
  }
}

function openDatabase(location: string, synchronous: 'NORMAL' | 'FULL'): BetterSqlite3.Database {
  let db: BetterSqlite3.Database | undefined;
  try {
    if (location !== ':memory:') mkdirSync(path.dirname(location), { recursive: true });
    db = new Database(location, { timeout: LOCK_WAIT_MS });
    // EXCLUSIVE before the first WAL access: no shared-memory index, and the lock is held until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // Take the write lock now, so a second drydock on this directory fails here and not on its first write.
    db.exec('BEGIN IMMEDIATE; COMMIT');
    return db;
  } catch (error) {
    db?.close();
    throw new Error(`store ${location}: cannot open: ${describeOpenError(error)}`, { cause: error });
  }
}

function describeOpenError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'SQLITE_BUSY') return `${message} (is another drydock using this directory?)`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return `${message} (the file is corrupt or not a drydock store)`;
  return message ?? String(error);
}

function loadTables(db: BetterSqlite3.Database): Map<string, DocumentTable> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'doc\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all() as string[];
  const tables = new Map<string, DocumentTable>();
  for (const sqlName of names) {
    const parsed = parseSqlTableName(sqlName);
    if (!parsed) continue;
    const table = new DocumentTable(db, parsed.service, parsed.name, sqlName);
    table.load();
    tables.set(tableId(parsed.service, parsed.name), table);
  }
  return tables;
}

function tableId(service: string, name: string): string {
  return `${service}.${name}`;
}

class SqliteStore implements Store, TableHost {
  private readonly listeners: CommitListener[] = [];
  private undo: UndoEntry[] = [];
  private depth = 0;
  private closed = false;
  /** better-sqlite3 runs a nested call of a transaction function as a savepoint. */
  private readonly inSqlite: (fn: () => unknown) => unknown;

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly location: string,
    private readonly tables: Map<string, DocumentTable>,
  ) {
    this.inSqlite = db.transaction((fn: () => unknown) => fn());
  }

  table<T>(service: string, name: string): Table<T> {
    this.assertOpen();
    const table = this.tables.get(tableId(service, name));
    if (!table) {
      const known = [...this.tables.values()].filter((t) => t.service === service).map((t) => t.name);
      throw new Error(
        `store: table ${service}.${name} does not exist; a migration of ${service} must create it (${service} has ${known.length > 0 ? known.join(', ') : 'no tables'})`,
      );
    }
    return table.viewFor<T>(this);
  }

  transaction<R>(fn: () => R): R {
    this.assertOpen();
    if (this.depth > 0) {
      const mark = this.undo.length;
      this.depth++;
      try {
        return this.inSqlite(fn) as R;
      } catch (error) {
        this.rollbackMemory(mark);
        throw error;
      } finally {
        this.depth--;
      }
    }
    let result: R;
    this.depth = 1;
    try {
      result = this.inSqlite(fn) as R;
    } catch (error) {
      this.rollbackMemory(0);
      throw error;
    } finally {
      this.depth = 0;
    }
    const changes = this.collectChanges();
    this.undo = [];
    this.notify(changes);
    return result;
  }

  write<R>(fn: () => R): R {
    this.assertOpen();
    // Inside a transaction a single statement is atomic on its own; no savepoint needed.
    return this.depth > 0 ? fn() : this.transaction(fn);
  }

  record(table: DocumentTable, key: string, previous: unknown, kind: 'put' | 'delete'): void {
    this.undo.push({ table, key, previous, kind });
  }

  assertOpen(): void {
    if (this.closed) throw new Error(`store ${this.location} is closed`);
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  counts(): Record<string, Record<string, number>> {
    this.assertOpen();
    const counts: Record<string, Record<string, number>> = {};
    for (const table of this.tables.values()) {
      (counts[table.service] ??= {})[table.name] = table.rows.size;
    }
    return counts;
  }

  reset(): void {
    this.transaction(() => {
      for (const table of this.tables.values()) table.clear(this);
    });
  }

  close(): void {
    if (this.closed) return;
    if (this.depth > 0) throw new Error(`store ${this.location}: close() called inside a transaction`);
    this.closed = true;
    this.listeners.length = 0;
    this.db.close();
  }

  /** Replays the undo log backwards down to mark, restoring memory to what SQLite rolled back to. */
  private rollbackMemory(mark: number): void {
    for (let i = this.undo.length - 1; i >= mark; i--) {
      const { table, key, previous } = this.undo[i] as UndoEntry;
      if (previous === undefined) table.removeRow(key);
      else table.setRow(key, previous);
    }
    this.undo.length = mark;
  }

  private collectChanges(): Change[] {
    const changes = new Map<string, Change>();
    for (const { table, key, kind } of this.undo) {
      const id = `${table.sqlName}\n${key}`;
      const seen = changes.get(id);
      if (seen) seen.kind = kind;
      else changes.set(id, { service: table.service, table: table.name, key, kind });
    }
    return [...changes.values()];
  }

  private notify(changes: Change[]): void {
    if (changes.length === 0) return;
    const frozen = Object.freeze(changes.map((change) => Object.freeze(change)));
    let failure: unknown;
    let failed = false;
    for (const listener of [...this.listeners]) {
      try {
        listener(frozen);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
    if (failed) {
      throw new Error(
        `store: the transaction committed, but an onCommit listener threw: ${(failure as Error)?.message ?? String(failure)}`,
        { cause: failure },
      );
    }
  }
}
