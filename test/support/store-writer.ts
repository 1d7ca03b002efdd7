/**
 * Child process for test/store-durability.test.ts: opens a file store and commits transactions
 * as fast as it can, printing each transaction's number on stdout only after `transaction()` has
 * returned — the moment drydock would answer an API call. The parent kills it with SIGKILL at an
 * arbitrary point and checks that every acknowledged transaction survived, whole.
 *
 * Usage: node --import tsx test/support/store-writer.ts <directory>
 */
import { pathToFileURL } from 'node:url';
import { openStore } from '../../src/store/store.js';
import type { Migration } from '../../src/store/store.js';

export const writerMigrations: Migration[] = [
  {
    service: 'writer',
    version: 1,
    description: 'rows written in batches, and the number of the last batch',
    up: (db) => {
      db.createTable('rows');
      db.createTable('progress');
    },
  },
];

export interface Row {
  batch: number;
  index: number;
  padding: string;
}

export interface Progress {
  lastBatch: number;
}

/** Transaction `batch` writes this many rows, so some transactions are large enough to be cut by the kill. */
export function rowsInBatch(batch: number): number {
  return 1 + (batch % 20);
}

/** Rows of a batch share the prefix, so the parent can check them with withPrefix. */
export function batchPrefix(batch: number): string {
  return `${String(batch).padStart(8, '0')}/`;
}

const MAX_BATCHES = 1_000_000;

function main(directory: string): void {
  const store = openStore({ location: directory, migrations: writerMigrations });
  const rows = store.table<Row>('writer', 'rows');
  const progress = store.table<Progress>('writer', 'progress');
  // A restarted writer carries on after the last batch that committed.
  const first = (progress.get('last')?.lastBatch ?? -1) + 1;
  const padding = 'x'.repeat(300);
  for (let batch = first; batch < first + MAX_BATCHES; batch++) {
    store.transaction(() => {
      for (let index = 0; index < rowsInBatch(batch); index++) {
        rows.put(`${batchPrefix(batch)}${index}`, { batch, index, padding });
      }
      progress.put('last', { lastBatch: batch });
    });
    // Writes to a pipe are synchronous on Linux, so this line is out before the next batch begins.
    process.stdout.write(`${batch}\n`);
  }
  store.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const directory = process.argv[2];
  if (!directory) throw new Error('usage: store-writer.ts <directory>');
  main(directory);
}
