/**
 * Where function code lives on this machine, as Lambda keeps deployment packages in its own
 * storage: each .zip is stored once under its SHA-256 (`<root>/<sha>.zip`) and unpacked beside it
 * (`<root>/<sha>/`, Unix file modes kept, so a custom runtime's `bootstrap` stays executable). AWS's
 * limits apply: 50 MB zipped, 250 MB unzipped. Unpacking (yauzl) refuses entries that would land
 * outside the directory and skips symbolic links. A hot-reload function's code is its own directory,
 * never copied.
 */
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise, type Entry } from 'yauzl';
import type { Random } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { invalidParameter, serviceException } from './errors.js';
import type { FunctionCode } from './function-configuration.js';

export const ZIPPED_LIMIT_BYTES = 52_428_800;
export const UNZIPPED_LIMIT_BYTES = 262_144_000;
/** The S3Bucket value that means "a directory on this machine" (the convention of other local emulators). */
export const HOT_RELOAD_BUCKET = 'hot-reload';

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

/**
 * Unpacks a stored .zip into `target`. The declared sizes are summed before anything is written;
 * yauzl checks each entry's real size against its declaration while streaming, so a package that
 * lies about its size fails as a bad zip. yauzl also refuses absolute and `..` names (zip-slip);
 * the containment check below repeats that so no entry can be written outside `target`.
 * Symbolic links are skipped rather than created, so no later entry can be written through one;
 * the usual ones in a Lambda package are `node_modules/.bin` shims, which handlers do not call.
 */
async function runUnzip(zipFile: string, target: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  const zip = await openPromise(zipFile, { autoClose: false }).catch((error: unknown) => {
    throw unzipError(error);
  });
  try {
    const entries: Entry[] = [];
    let unzippedBytes = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        entries.push(entry);
        unzippedBytes += entry.uncompressedSize;
      }
    } catch (error) {
      throw unzipError(error);
    }
    if (unzippedBytes > UNZIPPED_LIMIT_BYTES) {
      throw invalidParameter(`Unzipped size must be smaller than ${UNZIPPED_LIMIT_BYTES} bytes`);
    }
    for (const entry of entries) {
      const destination = path.resolve(target, entry.fileName);
      const inside = path.relative(target, destination);
      if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
        if (entry.fileName.endsWith('/') && inside === '') continue; // a "./" entry names the target itself
        throw unzipFailed();
      }
      try {
        if (entry.fileName.endsWith('/')) {
          await mkdir(destination, { recursive: true });
          continue;
        }
        const unixMode = (entry.externalFileAttributes >>> 16) & 0o177777;
        if ((unixMode & 0o170000) === 0o120000) continue; // a symbolic link: skipped, see above
        if (!entry.canDecodeFileData()) throw unzipFailed(); // encrypted, or neither stored nor deflated
        await mkdir(path.dirname(destination), { recursive: true });
        await removeEarlierFile(destination);
        await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(destination));
        // Zips made off Unix carry no mode; every file stays readable, as Lambda's runtime user needs.
        await chmod(destination, (unixMode & 0o777 || 0o644) | 0o444);
      } catch (error) {
        throw unzipError(error);
      }
    }
  } finally {
    zip.close();
  }
}

/** A name repeated in the archive replaces the earlier file (which may be read-only by now). */
async function removeEarlierFile(file: string): Promise<void> {
  const existing = await lstat(file).catch(() => undefined);
  if (existing && !existing.isDirectory()) await unlink(file);
}

/**
 * The archive's fault (bad format, lying sizes, names that clash with directories) is the caller's
 * InvalidParameterValueException; this machine's fault (disk full, permissions) is a ServiceException.
 */
function unzipError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  const clash = code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST';
  if (typeof syscall === 'string' && !clash) {
    return serviceException(`unpacking the code package failed: ${(error as Error).message}`);
  }
  return unzipFailed();
}

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
