/**
 * Schema migrations: each service declares numbered migrations (1..n, no gaps) that create, drop
 * and rewrite its document tables. On open, every migration not yet recorded in
 * `schema_migrations` runs in (service, version) order, each in its own transaction, like the
 * migration runners of Rails or Flyway. A database holding a migration this build does not know
 * was written by a newer drydock, and opening it is refused rather than risking a downgrade.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { assertServiceName, encodeDocument, sqlTableName } from './table.js';

/** Epoch milliseconds; the kernel Clock's `now` fits. */
export type Now = () => number;

export interface Migration {
  service: string;
  version: number;
  description: string;
  up(db: MigrationContext): void;
}

/** What a migration may do, always to its own service's tables. Runs inside the migration's transaction. */
export interface MigrationContext {
  createTable(name: string): void;
  dropTable(name: string): void;
  /** Visits every row in key order with a fresh, mutable copy of its document; return the new document, or undefined to delete the row. */
  rewrite<T>(table: string, fn: (key: string, value: T) => T | undefined): void;
  /** Raw SQL (e.g. an index). Changing document tables' rows this way is fine: memory is loaded after migrations. */
  exec(sql: string): void;
}

/**
 * The layout of the store itself (the document-table shape and `schema_migrations`), kept in
 * `PRAGMA user_version`; services' own schemas are versioned by their migrations.
 */
export const STORE_FORMAT_VERSION = 1;
/** `PRAGMA application_id` of a drydock store ("DRYD"), so a foreign SQLite file is recognised as such. */
export const APPLICATION_ID = 0x44525944;

/** Throws unless every service's migrations are numbered 1..n without gaps or repeats. */
export function validateMigrations(migrations: readonly Migration[]): void {
  const byService = new Map<string, number[]>();
  for (const migration of migrations) {
    assertServiceName(migration.service);
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new Error(
        `store: migration ${migration.service} version ${migration.version} must be a positive integer ("${migration.description}")`,
      );
    }
    const versions = byService.get(migration.service) ?? [];
    versions.push(migration.version);
    byService.set(migration.service, versions);
  }
  for (const [service, versions] of byService) {
    versions.sort((a, b) => a - b);
    versions.forEach((version, index) => {
      if (version !== index + 1) {
        const problem =
          versions.indexOf(version) !== index ? `version ${version} appears twice` : `version ${index + 1} is missing`;
        throw new Error(
          `store: migrations of ${service} must be numbered 1..${versions.length} without gaps: ${problem}`,
        );
      }
    });
  }
}

/** Migrations in the order they apply: by service name, then version. */
export function orderMigrations(migrations: readonly Migration[]): Migration[] {
  return [...migrations].sort((a, b) =>
    a.service === b.service ? a.version - b.version : a.service < b.service ? -1 : 1,
  );
}

interface AppliedRow {
  service: string;
  version: number;
}

/**
 * Brings the database up to the code's migrations. `location` names the database in errors.
 * Throws (leaving already-applied migrations committed) if a migration fails or if the database
 * is newer than the code.
 */
export function runMigrations(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[],
  location: string,
  now: Now | undefined,
): void {
  validateMigrations(migrations);
  checkStoreFormat(db, location);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    service TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (service, version)
  )`);

  const applied = db
    .prepare('SELECT service, version FROM schema_migrations ORDER BY service, version')
    .all() as AppliedRow[];
  refuseUnknownMigrations(applied, migrations, location);
  const done = new Set(applied.map((row) => `${row.service}/${row.version}`));

  // Without an injected clock, SQLite stamps the time itself: applied_at is for people reading the
  // database, and never feeds back into behaviour, so it does not break virtual-time determinism.
  const record = db.prepare<[string, number, string, number | null]>(
    `INSERT INTO schema_migrations (service, version, description, applied_at)
     VALUES (?, ?, ?, COALESCE(?, CAST(unixepoch('subsec') * 1000 AS INTEGER)))`,
  );

  for (const migration of orderMigrations(migrations)) {
    if (done.has(`${migration.service}/${migration.version}`)) continue;
    const apply = db.transaction(() => {
      migration.up(migrationContext(db, migration.service));
      record.run(migration.service, migration.version, migration.description, now ? now() : null);
    });
    try {
      apply();
    } catch (error) {
      throw new Error(
        `store ${location}: migration ${migration.service} v${migration.version} ("${migration.description}") failed and was rolled back: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

function checkStoreFormat(db: BetterSqlite3.Database, location: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const format = db.pragma('user_version', { simple: true }) as number;
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new Error(`store ${location}: this SQLite file is not a drydock store (application_id ${applicationId})`);
  }
  if (format > STORE_FORMAT_VERSION) {
    throw new Error(
      `store ${location}: it was written by a newer drydock (store format ${format}, this build knows ${STORE_FORMAT_VERSION}); use that drydock or another data directory`,
    );
  }
  if (applicationId === 0 || format < STORE_FORMAT_VERSION) {
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${STORE_FORMAT_VERSION}`);
  }
}

/** Refuses a database holding migrations the code lacks: a newer drydock wrote it, and its data may not fit this code. */
function refuseUnknownMigrations(
  applied: readonly AppliedRow[],
  migrations: readonly Migration[],
  location: string,
): void {
  const known = new Set(migrations.map((m) => `${m.service}/${m.version}`));
  const unknown = applied.filter((row) => !known.has(`${row.service}/${row.version}`));
  if (unknown.length > 0) {
    const list = unknown.map((row) => `${row.service} v${row.version}`).join(', ');
    throw new Error(
      `store ${location}: refusing to open: the database has migrations this drydock does not know (${list}); it was written by a newer drydock. Use that drydock, or another data directory.`,
    );
  }
  // A recorded v3 without v2 means the history was edited by hand; applying v2 now would run it out of order.
  const byService = new Map<string, number[]>();
  for (const row of applied) byService.set(row.service, [...(byService.get(row.service) ?? []), row.version]);
  for (const [service, versions] of byService) {
    versions.forEach((version, index) => {
      if (version !== index + 1) {
        throw new Error(
          `store ${location}: schema_migrations of ${service} records v${version} without v${index + 1}; the migration history is inconsistent`,
        );
      }
    });
  }
}

function migrationContext(db: BetterSqlite3.Database, service: string): MigrationContext {
  const existing = (name: string): string => {
    const sqlName = sqlTableName(service, name);
    const found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(sqlName);
    if (!found) throw new Error(`table ${service}.${name} does not exist`);
    return sqlName;
  };
  return {
    createTable(name) {
      const sqlName = sqlTableName(service, name);
      if (db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(sqlName)) {
        throw new Error(`table ${service}.${name} already exists`);
      }
      // WITHOUT ROWID: the text key is the clustered index, so a row is stored once and found in one B-tree.
      db.exec(`CREATE TABLE "${sqlName}" (key TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL) WITHOUT ROWID`);
    },
    dropTable(name) {
      db.exec(`DROP TABLE "${existing(name)}"`);
    },
    rewrite<T>(table: string, fn: (key: string, value: T) => T | undefined) {
      const sqlName = existing(table);
      // Read everything first: better-sqlite3 cannot write while a statement is still iterating.
      const rows = db.prepare(`SELECT key, body FROM "${sqlName}" ORDER BY key`).raw().all() as [string, string][];
      const update = db.prepare<[string, string]>(`UPDATE "${sqlName}" SET body = ? WHERE key = ?`);
      const remove = db.prepare<[string]>(`DELETE FROM "${sqlName}" WHERE key = ?`);
      for (const [key, body] of rows) {
        const next = fn(key, JSON.parse(body) as T);
        if (next === undefined) {
          remove.run(key);
          continue;
        }
        const nextBody = encodeDocument(next, `rewrite of ${service}.${table} at ${JSON.stringify(key)}`);
        if (nextBody !== body) update.run(nextBody, key);
      }
    },
    exec(sql) {
      db.exec(sql);
    },
  };
}
