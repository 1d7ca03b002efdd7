/**
 * The images drydock ships instead of Docker: `drydock/http-echo`, `drydock/tcp-echo`,
 * `drydock/worker`, `drydock/crash` (any tag or digest) name small node programs in
 * ./images/. Like an image's CMD, the program is what runs when the task definition gives
 * neither entryPoint nor command; every other image is informational and has no default.
 *
 * Resolution: `<imagesDir>/<name>.js` (the compiled dist/dataplane/images, used by the built
 * drydock), else the `.js` or `.ts` beside this module; a `.ts` runs with tsx's loader
 * (`node --import <tsx> images/x.ts`), which is how the tests run them without a build.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DRYDOCK_IMAGES = ['http-echo', 'tcp-echo', 'worker', 'crash'] as const;
export type DrydockImage = (typeof DRYDOCK_IMAGES)[number];

/** `drydock/http-echo`, `drydock/http-echo:1.2`, `docker.io/drydock/worker@sha256:…` → the program's name. */
export function parseDrydockImage(image: string): DrydockImage | undefined {
  const match = /^(?:(?:docker\.io|registry-1\.docker\.io)\/)?drydock\/([a-z0-9-]+)(?::[\w.-]+)?(?:@[\w:]+)?$/.exec(
    image.trim(),
  );
  const name = match?.[1];
  return DRYDOCK_IMAGES.find((known) => known === name);
}

export type ImageResolver = (image: string) => ImageDefault;

export type ImageDefault =
  | { kind: 'command'; argv: string[] }
  /** Not a drydock image: it has no default command in the process runtime. */
  | { kind: 'none' }
  /** A drydock image whose program cannot be found (neither built nor runnable from source). */
  | { kind: 'missing'; reason: string };

const HERE = path.dirname(fileURLToPath(import.meta.url));

export function createImageResolver(options: { imagesDir?: string; nodePath?: string } = {}): ImageResolver {
  const node = options.nodePath ?? process.execPath;
  const besideThisModule = path.join(HERE, 'images');
  return (image) => {
    const name = parseDrydockImage(image);
    if (!name) return { kind: 'none' };
    const candidates = [
      ...(options.imagesDir ? [path.join(options.imagesDir, `${name}.js`)] : []),
      path.join(besideThisModule, `${name}.js`),
    ];
    const built = candidates.find((file) => existsSync(file));
    if (built) return { kind: 'command', argv: [node, built] };
    const source = path.join(besideThisModule, `${name}.ts`);
    if (existsSync(source)) {
      const loader = tsxLoaderUrl();
      if (loader) return { kind: 'command', argv: [node, '--import', loader, source] };
      return {
        kind: 'missing',
        reason: `image ${image}: ${source} needs tsx, which is not installed (run npm run build)`,
      };
    }
    return { kind: 'missing', reason: `image ${image}: no program at ${candidates.join(' or ')}` };
  };
}

let tsxLoader: string | null | undefined;

/** tsx's ESM loader as an absolute file URL, so it resolves whatever the container's cwd. */
function tsxLoaderUrl(): string | undefined {
  if (tsxLoader === undefined) {
    try {
      tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    } catch {
      tsxLoader = null;
    }
  }
  return tsxLoader ?? undefined;
}
