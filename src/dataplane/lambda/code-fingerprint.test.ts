import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { codeFingerprint } from './code-fingerprint.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

it('changes when a file is edited, added or removed, but not for dependency directories', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-fingerprint-'));
  directories.push(dir);
  writeFileSync(path.join(dir, 'index.js'), 'one');
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'lib', 'util.js'), 'util');
  const first = codeFingerprint(dir);
  expect(codeFingerprint(dir)).toBe(first);

  mkdirSync(path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'node_modules', 'dep.js'), 'dep');
  const withModules = codeFingerprint(dir);
  writeFileSync(path.join(dir, 'node_modules', 'dep.js'), 'changed dependency');
  expect(codeFingerprint(dir)).toBe(withModules);

  writeFileSync(path.join(dir, 'lib', 'util.js'), 'edited');
  utimesSync(path.join(dir, 'lib', 'util.js'), new Date(1_000), new Date(2_000));
  const edited = codeFingerprint(dir);
  expect(edited).not.toBe(withModules);
  writeFileSync(path.join(dir, 'new.py'), '');
  expect(codeFingerprint(dir)).not.toBe(edited);
});
