/**
 * Where function code lives on this machine, as Lambda keeps deployment packages in its own
 * storage: each .zip is stored once under its SHA-256 (`<root>/<sha>.zip`) and unpacked beside it
 * (`<root>/<sha>/`, file modes kept, so a custom runtime's `bootstrap` stays executable). AWS's
 * limits apply: 50 MB zipped, 250 MB unzipped. A hot-reload function's code is its own directory
 * and is never copied. Unpacking uses python3's zipfile (no zip library is installed in drydock).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Random } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { invalidParameter, serviceException } from './errors.js';
import type { FunctionCode } from './function-configuration.js';

export const ZIPPED_LIMIT_BYTES = 52_428_800;
export const UNZIPPED_LIMIT_BYTES = 262_144_000;
/** The S3Bucket value that means "a directory on this machine" (the convention of other local emulators). */
export const HOT_RELOAD_BUCKET = 'hot-reload';

/** Extracts argv[1] into argv[2]; exit 2 = not a zip, 3 = too large unzipped. Modes come from the zip's Unix attributes. */
const UNZIP_SCRIPT = `
import os, sys, zipfile
source, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    archive = zipfile.ZipFile(source)
    members = archive.infolist()
except (zipfile.BadZipFile, OSError):
    sys.exit(2)
if sum(member.file_size for member in members) > limit:
    sys.exit(3)
try:
    for member in members:
        written = archive.extract(member, target)
        mode = (member.external_attr >> 16) & 0o777
        if not member.is_dir():
            os.chmod(written, (mode or 0o644) | 0o444)
except (zipfile.BadZipFile, OSError, ValueError) as error:
    print(error, file=sys.stderr)
    sys.exit(2)
`;

export interface CodeStorage {
  readonly root: string;
  /**
   * Stores and unpacks a .zip (once per content); throws InvalidParameterValueException for a bad
   * archive. The package is pinned against collect() until unpin(): no version refers to it yet.
   */
  storeZip(zip: Uint8Array): Promise<FunctionCode & { kind: 'zip' }>;
  unpin(code: FunctionCode): void;
  /** Checks a hot-reload directory; throws InvalidParameterValueException unless it is an absolute, existing directory. */
  hotReload(directory: string): FunctionCode & { kind: 'hot-reload' };
  /** The directory an invocation runs in (LAMBDA_TASK_ROOT), unpacking again if it went missing. */
  codeDirectory(code: FunctionCode): Promise<string>;
  /** Where GetFunction's `Code.Location` points. */
  location(code: FunctionCode): string;
  /** Deletes stored packages no version refers to any more. */
  collect(inUse: ReadonlySet<string>): void;
  /** Removes the root when it was a temporary directory (memory state). */
  close(): void;
}

export function createCodeStorage(options: { stateDir: string | undefined; random: Random }): CodeStorage {
  const temporary = options.stateDir === undefined;
  let root: string | undefined =
    options.stateDir === undefined ? undefined : path.resolve(options.stateDir, 'lambda-code');
  const rootDir = (): string => {
    root ??= mkdtempSync(path.join(tmpdir(), 'drydock-lambda-code-'));
    mkdirSync(root, { recursive: true });
    return root;
  };
  const unpacking = new Map<string, Promise<void>>();
  const pinned = new Map<string, number>();

  const unpack = (sha256Hex: string): Promise<void> => {
    const running = unpacking.get(sha256Hex);
    if (running) return running;
    const dir = path.join(rootDir(), sha256Hex);
    const work = (async () => {
      if (existsSync(dir)) return;
      const zipFile = path.join(rootDir(), `${sha256Hex}.zip`);
      if (!existsSync(zipFile))
        throw serviceException(`drydock lost the code package ${sha256Hex}.zip from ${rootDir()}`);
      const staging = path.join(rootDir(), `.${sha256Hex}.${options.random.hex(8)}`);
      try {
        await runUnzip(zipFile, staging);
        renameSync(staging, dir);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    })();
    unpacking.set(sha256Hex, work);
    return work.finally(() => unpacking.delete(sha256Hex));
  };

  const unpinSha = (sha256Hex: string) => {
    const count = (pinned.get(sha256Hex) ?? 1) - 1;
    if (count > 0) pinned.set(sha256Hex, count);
    else pinned.delete(sha256Hex);
  };

  return {
    get root() {
      return rootDir();
    },

    async storeZip(zip) {
      if (zip.byteLength > ZIPPED_LIMIT_BYTES) {
        throw invalidParameter(`Zipped size must be smaller than ${ZIPPED_LIMIT_BYTES} bytes`);
      }
      if (!looksLikeZip(zip)) throw unzipFailed();
      const digest = createHash('sha256').update(zip).digest();
      const sha256Hex = digest.toString('hex');
      const zipFile = path.join(rootDir(), `${sha256Hex}.zip`);
      pinned.set(sha256Hex, (pinned.get(sha256Hex) ?? 0) + 1);
      try {
        if (!existsSync(zipFile)) {
          const partial = `${zipFile}.${options.random.hex(8)}`;
          writeFileSync(partial, zip);
          renameSync(partial, zipFile);
        }
        await unpack(sha256Hex);
      } catch (error) {
        unpinSha(sha256Hex);
        if (!existsSync(path.join(rootDir(), sha256Hex)) && !pinned.has(sha256Hex)) rmSync(zipFile, { force: true });
        throw error;
      }
      return { kind: 'zip', sha256Hex, codeSha256: digest.toString('base64'), codeSize: zip.byteLength };
    },

    unpin(code) {
      if (code.kind === 'zip') unpinSha(code.sha256Hex);
    },

    hotReload(directory) {
      if (!path.isAbsolute(directory) || !isDirectory(directory)) {
        throw invalidParameter(
          `Code.S3Key must be the absolute path of an existing directory for the ${HOT_RELOAD_BUCKET} bucket, got ${directory}`,
        );
      }
      const resolved = path.resolve(directory);
      const codeSha256 = createHash('sha256').update(`hot-reload:${resolved}`).digest('base64');
      return { kind: 'hot-reload', directory: resolved, codeSha256 };
    },

    async codeDirectory(code) {
      if (code.kind === 'hot-reload') return code.directory;
      await unpack(code.sha256Hex);
      return path.join(rootDir(), code.sha256Hex);
    },

    location(code) {
      return code.kind === 'hot-reload'
        ? `file://${code.directory}`
        : `file://${path.join(rootDir(), `${code.sha256Hex}.zip`)}`;
    },

    collect(inUse) {
      if (root === undefined || !existsSync(root)) return;
      for (const entry of readdirSync(root)) {
        const sha = entry.endsWith('.zip') ? entry.slice(0, -4) : entry;
        if (!/^[0-9a-f]{64}$/.test(sha) || inUse.has(sha) || unpacking.has(sha) || pinned.has(sha)) continue;
        rmSync(path.join(root, entry), { recursive: true, force: true });
      }
    },

    close() {
      if (temporary && root !== undefined) rmSync(root, { recursive: true, force: true });
    },
  };
}

const unzipFailed = () =>
  invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');

/** A zip starts with a local file header, or is an empty archive (its end-of-central-directory record). */
function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

function runUnzip(zipFile: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      ['-c', UNZIP_SCRIPT, zipFile, target, String(UNZIPPED_LIMIT_BYTES)],
      { timeout: 120_000 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const code = (error as { code?: unknown }).code;
        if (code === 2) return reject(unzipFailed());
        if (code === 3)
          return reject(invalidParameter(`Unzipped size must be smaller than ${UNZIPPED_LIMIT_BYTES} bytes`));
        if (code === 'ENOENT') {
          return reject(serviceException('drydock unpacks .zip packages with python3, which is not on the PATH.'));
        }
        reject(
          error instanceof ServiceError
            ? error
            : serviceException(`unpacking the code package failed: ${stderr || error.message}`),
        );
      },
    );
  });
}

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
