// The console plugin's built files (dist/), served by the backend so one image and one Service
// carry both. The whole tree is read into memory once at start-up: it is a few hundred KiB, the
// image's filesystem is read-only, and a request can only ever name a file in that index — no path
// from a URL ever reaches the filesystem.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { HttpError, type JsonAnswer } from './http';

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// webpack names chunks `<name>-chunk-<20 hex>.min.js` and the entry `plugin-entry.<hash>.min.js`
// in production builds: a name that carries its content hash can be cached for ever. Everything
// else (the manifest that points at those names, the locales) must be revalidated on each load, or
// a console would keep loading an old plugin after an upgrade.
const HASHED = /[.-][0-9a-f]{16,}\.min\.js$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Files larger than this are not plugin assets; refusing them keeps memory use bounded. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_FILES = 2000;

export class PluginAssetsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginAssetsError';
  }
}

export class PluginAssets {
  private constructor(private readonly files: ReadonlyMap<string, Asset>) {}

  /** Reads a built plugin; throws PluginAssetsError when `dir` is not one. */
  static load(dir: string): PluginAssets {
    const files = new Map<string, Asset>();
    const walk = (path: string): void => {
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        const full = join(path, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) {
          if (files.size >= MAX_FILES) {
            throw new PluginAssetsError(`${dir} holds more than ${MAX_FILES} files`);
          }
          if (statSync(full).size > MAX_FILE_BYTES) {
            throw new PluginAssetsError(`${full} is larger than ${MAX_FILE_BYTES} bytes`);
          }
          const name = relative(dir, full).split(sep).join('/');
          files.set(name, asset(name, readFileSync(full)));
        }
      }
    };
    try {
      walk(dir);
    } catch (err) {
      if (err instanceof PluginAssetsError) throw err;
      throw new PluginAssetsError(`cannot read plugin directory ${dir}: ${(err as Error).message}`);
    }
    if (!files.has('plugin-manifest.json')) {
      throw new PluginAssetsError(
        `${dir} is not a built plugin: it has no plugin-manifest.json (run npm run build)`,
      );
    }
    return new PluginAssets(files);
  }

  get size(): number {
    return this.files.size;
  }

  /**
   * The answer for `name` (the path below the assets' base, without a leading slash). Unknown
   * names are a 404 that does not echo the name back.
   */
  answer(name: string, ifNoneMatch: string | undefined): JsonAnswer {
    const file = this.files.get(name);
    if (!file) throw new HttpError(404, 'NotFound', 'no such plugin asset');
    const headers = {
      etag: file.etag,
      'cache-control': file.cacheControl,
      'x-content-type-options': 'nosniff',
    };
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(file.etag)) {
      return { status: 304, body: Buffer.alloc(0), contentType: file.contentType, headers };
    }
    return { status: 200, body: file.body, contentType: file.contentType, headers };
  }
}

function asset(name: string, body: Buffer): Asset {
  return {
    body,
    contentType: TYPES[extname(name)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cacheControl: name === 'plugin-manifest.json' || !HASHED.test(name) ? REVALIDATE : IMMUTABLE,
  };
}
