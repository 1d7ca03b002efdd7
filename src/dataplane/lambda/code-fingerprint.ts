/**
 * A fingerprint of a hot-reload function's directory: the path, size and modification time of
 * every file, hashed. A warm instance is reused only while the fingerprint it started with still
 * holds, so an edit applies at the next invocation without redeploying, the way local emulators'
 * hot reload works. Dependency and cache directories (node_modules, __pycache__, .git, virtual
 * environments) are not walked: they are large and edits there are rare; at most 10,000 entries
 * are looked at.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['node_modules', '__pycache__', '.git', '.venv', 'venv', '.mypy_cache', '.pytest_cache']);
const MAX_ENTRIES = 10_000;

export function codeFingerprint(directory: string): string {
  const hash = createHash('sha256');
  let entries = 0;
  const walk = (dir: string, relative: string) => {
    let children;
    try {
      children = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      hash.update(`!${relative}\n`);
      return;
    }
    for (const child of children) {
      if (entries >= MAX_ENTRIES) return;
      entries += 1;
      const childPath = path.join(dir, child.name);
      const childRelative = path.join(relative, child.name);
      if (child.isDirectory()) {
        if (!SKIPPED.has(child.name)) walk(childPath, childRelative);
        continue;
      }
      try {
        const stat = statSync(childPath);
        hash.update(`${childRelative}\0${stat.size}\0${stat.mtimeMs}\n`);
      } catch {
        hash.update(`${childRelative}\0gone\n`);
      }
    }
  };
  walk(directory, '');
  return hash.digest('hex');
}
