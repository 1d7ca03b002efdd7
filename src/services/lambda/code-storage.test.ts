import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { zipFiles } from '../../../test/support/zip.js';
import { seededRandom } from '../../kernel/random.js';
import { createCodeStorage, type CodeStorage } from './code-storage.js';

let storage: CodeStorage | undefined;
const directories: string[] = [];
afterEach(() => {
  storage?.close();
  storage = undefined;
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

it('unpacks a zip once per content, keeping file modes, under <stateDir>/lambda-code', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'drydock-code-storage-'));
  directories.push(stateDir);
  storage = createCodeStorage({ stateDir, random: seededRandom(1) });
  const zip = zipFiles({ bootstrap: { content: '#!/bin/sh\n', mode: 0o755 }, 'lib/data.txt': 'data' });
  const code = await storage.storeZip(zip);
  expect(code).toMatchObject({ kind: 'zip', codeSize: zip.byteLength });
  const dir = await storage.codeDirectory(code);
  expect(dir).toBe(path.join(stateDir, 'lambda-code', code.sha256Hex));
  expect(readFileSync(path.join(dir, 'lib/data.txt'), 'utf8')).toBe('data');
  expect(statSync(path.join(dir, 'bootstrap')).mode & 0o777).toBe(0o755);
  expect(await storage.storeZip(zip)).toEqual(code);
  expect(readdirSync(path.join(stateDir, 'lambda-code')).sort()).toEqual([code.sha256Hex, `${code.sha256Hex}.zip`]);

  // Unpacked code that went missing is unpacked again from the stored package.
  rmSync(dir, { recursive: true });
  expect(readFileSync(path.join(await storage.codeDirectory(code), 'lib/data.txt'), 'utf8')).toBe('data');

  // A package just stored is pinned until a version refers to it, then kept while one does.
  storage.collect(new Set());
  expect(readdirSync(path.join(stateDir, 'lambda-code'))).toHaveLength(2);
  storage.unpin(code);
  storage.unpin(code);
  storage.collect(new Set([code.sha256Hex]));
  expect(readdirSync(path.join(stateDir, 'lambda-code'))).toHaveLength(2);
  storage.collect(new Set());
  expect(readdirSync(path.join(stateDir, 'lambda-code'))).toEqual([]);
});

it('refuses what is not a zip, and a hot-reload path that is not an absolute directory', async () => {
  storage = createCodeStorage({ stateDir: undefined, random: seededRandom(2) });
  await expect(storage.storeZip(Buffer.from('PK\u0003\u0004 truncated'))).rejects.toThrow(
    'Could not unzip uploaded file. Please check your file, then try to upload again.',
  );
  await expect(storage.storeZip(Buffer.from('hello'))).rejects.toThrow(/Could not unzip/);
  expect(() => storage!.hotReload('relative')).toThrow(/absolute path of an existing directory/);
  expect(() => storage!.hotReload('/definitely/not/here')).toThrow(/absolute path of an existing directory/);
  const root = storage.root;
  expect(storage.hotReload(root)).toMatchObject({ kind: 'hot-reload', directory: root });
  storage.close();
  expect(existsSync(root)).toBe(false);
  storage = undefined;
});
