import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context, Next } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page's policy: scripts and styles only from this origin (the build has no inline
 * scripts), no plugins, no framing. Inline `style` attributes are allowed for the charts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  body: Uint8Array;
  gzip: Uint8Array | null;
  type: string;
  /** Vite's hashed output (`/assets/…`) never changes under one name. */
  immutable: boolean;
}

/** packages/web/dist, next to this package both from src/ui (tests) and dist/ui (built). */
export function defaultWebDir(): string {
  return process.env.SIGHTLINE_WEB_DIR ?? fileURLToPath(new URL('../../../web/dist/', import.meta.url));
}

function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const url = '/' + relative(dir, path).split(sep).join('/');
      const body = readFileSync(path);
      const type = TYPES[extname(path)] ?? 'application/octet-stream';
      const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
      files.set(url, { body, gzip: compressible ? gzipSync(body, { level: 9 }) : null, type, immutable: url.startsWith('/assets/') });
    }
  };
  walk(dir);
  return files;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Sightline</title>
<p>The web UI has not been built. Run <code>npm run build</code> (or <code>npm run build -w @sightline/web</code>) and restart.</p>`;

/**
 * Serves the built single-page app: files by exact path (read once at start, so no path
 * from a request ever reaches the file system), and index.html for every other GET that is
 * not an API path, so client routes survive a reload. API paths always pass through.
 */
export function serveStaticApp(webDir: string = defaultWebDir()) {
  const files = loadFiles(webDir);
  const index = files.get('/index.html');
  return async (c: Context, next: Next): Promise<Response | void> => {
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || path === '/api' || path.startsWith('/api/')) return next();
    const file = files.get(path) ?? (path.startsWith('/assets/') ? undefined : index);
    if (!file) {
      if (path.startsWith('/assets/')) return next(); // the app's JSON 404
      c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.header('Cache-Control', 'no-cache');
      return c.html(NOT_BUILT, 503);
    }
    c.header('Content-Type', file.type);
    c.header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file.type.startsWith('text/html')) c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Vary', 'Accept-Encoding');
    const gzip = file.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) c.header('Content-Encoding', 'gzip');
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body((gzip ? file.gzip! : file.body) as Uint8Array<ArrayBuffer>, 200);
  };
}
