import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImageResolver, parseDrydockImage } from './images.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('parseDrydockImage', () => {
  it('knows the shipped images, with any tag or digest', () => {
    expect(parseDrydockImage('drydock/http-echo')).toBe('http-echo');
    expect(parseDrydockImage('drydock/worker:1.2.3')).toBe('worker');
    expect(parseDrydockImage('docker.io/drydock/crash@sha256:abcd')).toBe('crash');
    expect(parseDrydockImage('drydock/tcp-echo:latest')).toBe('tcp-echo');
  });

  it('leaves every other image alone', () => {
    expect(parseDrydockImage('nginx:latest')).toBeUndefined();
    expect(parseDrydockImage('drydock/unknown')).toBeUndefined();
    expect(parseDrydockImage('evil.example/drydock/http-echo')).toBeUndefined();
  });
});

describe('createImageResolver', () => {
  it('runs a built image from imagesDir with node', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-images-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'worker.js'), '');
    const resolve = createImageResolver({ imagesDir: dir, nodePath: '/usr/bin/node' });
    expect(resolve('drydock/worker')).toEqual({
      kind: 'command',
      argv: ['/usr/bin/node', path.join(dir, 'worker.js')],
    });
  });

  it('falls back to the TypeScript source with the tsx loader when nothing is built', () => {
    const resolve = createImageResolver({ imagesDir: path.join(os.tmpdir(), 'drydock-no-such-dir') });
    const resolved = resolve('drydock/http-echo');
    expect(resolved.kind).toBe('command');
    if (resolved.kind !== 'command') return;
    expect(resolved.argv[0]).toBe(process.execPath);
    expect(resolved.argv[1]).toBe('--import');
    expect(resolved.argv[2]).toMatch(/^file:.*tsx/);
    expect(resolved.argv[3]).toMatch(/images[/\\]http-echo\.ts$/);
  });

  it('has no default for other images', () => {
    expect(createImageResolver()('public.ecr.aws/nginx/nginx')).toEqual({ kind: 'none' });
  });
});
