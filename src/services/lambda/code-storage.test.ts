import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { zipFiles } from '../../../test/support/zip.js';
import { seededRandom } from '../../kernel/random.js';
import { createCodeStorage, UNZIPPED_LIMIT_BYTES, type CodeStorage } from './code-storage.js';

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

const UNZIP_FAILED = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** A one-entry zip whose entry is deflated and declares `declaredSize` unzipped bytes (honestly or not). */
function deflatedZip(name: string, content: string, declaredSize = Buffer.byteLength(content)): Uint8Array {
  const zip = Buffer.from(zipFiles({ [name]: { content: deflateRawSync(content), mode: 0o644 } }));
  const central = zip.readUInt32LE(zip.length - 22 + 16);
  zip.writeUInt16LE(8, 8); // local header: compression method = deflate
  zip.writeUInt32LE(declaredSize, 22); // local header: uncompressed size
  zip.writeUInt16LE(8, central + 10);
  zip.writeUInt32LE(declaredSize, central + 24);
  return new Uint8Array(zip);
}

it('keeps Unix modes (always readable), makes directory entries, inflates, and skips symbolic links', async () => {
  storage = createCodeStorage({ stateDir: undefined, random: seededRandom(3) });
  const code = await storage.storeZip(
    zipFiles({
      bootstrap: { content: '#!/bin/sh\n', mode: 0o755 },
      'bin/owner-only': { content: 'x', mode: 0o700 },
      'private.txt': { content: 'x', mode: 0o600 },
      'no-unix-mode.txt': { content: 'x', mode: 0 },
      'empty/': { content: '', mode: 0o40755 },
      'link-to-passwd': { content: '/etc/passwd', mode: 0o120777 },
    }),
  );
  const dir = await storage.codeDirectory(code);
  const mode = (name: string) => statSync(path.join(dir, name)).mode & 0o777;
  expect(mode('bootstrap')).toBe(0o755);
  expect(mode('bin/owner-only')).toBe(0o744);
  expect(mode('private.txt')).toBe(0o644);
  expect(mode('no-unix-mode.txt')).toBe(0o644);
  expect(statSync(path.join(dir, 'empty')).isDirectory()).toBe(true);
  expect(existsSync(path.join(dir, 'link-to-passwd'))).toBe(false);
  expect(() => lstatSync(path.join(dir, 'link-to-passwd'))).toThrow();

  const deflated = await storage.codeDirectory(await storage.storeZip(deflatedZip('index.js', 'hello deflate')));
  expect(readFileSync(path.join(deflated, 'index.js'), 'utf8')).toBe('hello deflate');
});

it('refuses entries that would land outside the code directory (zip-slip)', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'drydock-code-storage-'));
  directories.push(stateDir);
  storage = createCodeStorage({ stateDir, random: seededRandom(4) });
  const escapes = ['../escaped.txt', '../../escaped.txt', 'lib/../../escaped.txt', '/tmp/drydock-zip-slip.txt'];
  for (const name of escapes) {
    await expect(storage.storeZip(zipFiles({ 'ok.txt': 'fine', [name]: 'evil' }))).rejects.toThrow(UNZIP_FAILED);
  }
  expect(existsSync(path.join(stateDir, 'escaped.txt'))).toBe(false);
  expect(existsSync(path.join(tmpdir(), 'escaped.txt'))).toBe(false);
  expect(existsSync('/tmp/drydock-zip-slip.txt')).toBe(false);
  // Nothing is left behind: neither the refused package nor a half-unpacked directory.
  expect(readdirSync(path.join(stateDir, 'lambda-code'))).toEqual([]);
});

it('refuses a package over 250 MB unzipped, and one whose entries lie about their size', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'drydock-code-storage-'));
  directories.push(stateDir);
  storage = createCodeStorage({ stateDir, random: seededRandom(5) });
  const error = await storage.storeZip(deflatedZip('big.bin', 'small', UNZIPPED_LIMIT_BYTES + 1)).catch((e) => e);
  expect(error).toMatchObject({
    code: 'InvalidParameterValueException',
    message: 'Unzipped size must be smaller than 262144000 bytes',
  });
  await expect(storage.storeZip(deflatedZip('liar.bin', 'more than one byte', 1))).rejects.toThrow(UNZIP_FAILED);
  expect(readdirSync(path.join(stateDir, 'lambda-code'))).toEqual([]);
});
