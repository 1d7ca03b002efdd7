/**
 * Durability of the file store under kill -9: a child process commits transactions and
 * acknowledges each one on stdout after transaction() returned; the test SIGKILLs it mid-stream,
 * reopens the store and checks that every acknowledged transaction is there, and that every
 * transaction is all-or-nothing. Like an AWS API, drydock must never lose a write it answered.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/store.js';
import { batchPrefix, rowsInBatch, writerMigrations } from './support/store-writer.js';
import type { Progress, Row } from './support/store-writer.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const writerScript = fileURLToPath(new URL('./support/store-writer.ts', import.meta.url));

let dir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-durability-'));
});
afterEach(() => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null)
    process.kill(child.pid, 'SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the writer until it has acknowledged `killAfter` batches, SIGKILLs it, and returns every batch it acknowledged. */
function writeThenKill(killAfter: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const writer = spawn(process.execPath, ['--import', 'tsx', writerScript, dir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = writer;
    const acknowledged: number[] = [];
    let pending = '';
    let stderr = '';
    let killed = false;
    // A writer that stops acknowledging is reported with what it said, not left to the test timeout.
    let lastProgressCount = -1;
    const stallCheck = setInterval(() => {
      if (acknowledged.length === lastProgressCount && !killed) {
        clearInterval(stallCheck);
        if (writer.pid !== undefined) process.kill(writer.pid, 'SIGKILL');
        reject(new Error(`store writer stalled after ${acknowledged.length} acknowledgements:\n${stderr}`));
      }
      lastProgressCount = acknowledged.length;
    }, 10_000);
    writer.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    writer.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // a line cut short by the kill was never acknowledged
      for (const line of lines) acknowledged.push(Number(line));
      if (!killed && acknowledged.length >= killAfter && writer.pid !== undefined) {
        killed = true;
        process.kill(writer.pid, 'SIGKILL');
      }
    });
    writer.on('error', reject);
    writer.on('close', (code, signal) => {
      clearInterval(stallCheck);
      if (signal === 'SIGKILL' && killed) resolve(acknowledged);
      else reject(new Error(`store writer ended by itself (code ${code}, signal ${signal}):\n${stderr}`));
    });
  });
}

/** Reopens the store and checks every acknowledged batch, and the atomicity of every batch. */
function verify(acknowledged: readonly number[]): number {
  const store = openStore({ location: dir, migrations: writerMigrations });
  try {
    const rows = store.table<Row>('writer', 'rows');
    const lastBatch = store.table<Progress>('writer', 'progress').get('last')?.lastBatch ?? -1;
    const lastAcknowledged = Math.max(-1, ...acknowledged);
    // Every acknowledged batch committed; at most the one in flight when the kill came is extra.
    expect(lastBatch).toBeGreaterThanOrEqual(lastAcknowledged);
    expect(lastBatch).toBeLessThanOrEqual(lastAcknowledged + 1);
    let expectedRows = 0;
    for (let batch = 0; batch <= lastBatch; batch++) {
      const batchRows = rows.withPrefix(batchPrefix(batch));
      expect(batchRows.length, `rows of batch ${batch}`).toBe(rowsInBatch(batch));
      expect(batchRows.every((row) => row.batch === batch && row.padding.length === 300)).toBe(true);
      expectedRows += rowsInBatch(batch);
    }
    // No row of a batch after the last committed one: a cut transaction left nothing behind.
    expect(rows.size()).toBe(expectedRows);
    return lastBatch;
  } finally {
    store.close();
  }
}

describe('file store under kill -9', () => {
  it('keeps every acknowledged transaction, whole, across repeated kills', async () => {
    let previousLast = -1;
    // Kill points spread so the WAL is cut small and after automatic checkpoints (~4 MB of WAL).
    for (const killAfter of [1, 700 + Math.floor(Math.random() * 300), 3000 + Math.floor(Math.random() * 2000)]) {
      const acknowledged = await writeThenKill(killAfter);
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
      // The restarted writer carried on after the last committed batch, acknowledging in order.
      expect(acknowledged[0]).toBe(previousLast + 1);
      expect(acknowledged).toEqual(acknowledged.map((_, i) => previousLast + 1 + i));
      previousLast = verify(acknowledged);
    }
  }, 60_000);
});
