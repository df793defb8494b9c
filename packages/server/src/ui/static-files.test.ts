import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { serveStaticApp } from './static-files.js';

function appWith(dir: string) {
  const app = new Hono();
  app.get('/api/ping', (c) => c.json({ ok: true }));
  app.use('*', serveStaticApp(dir));
  app.notFound((c) => c.json({ message: 'none' }, 404));
  return app;
}

describe('serveStaticApp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1234.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1234.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
  const app = appWith(dir);

  it('serves index.html with a CSP for the root and every client route', async () => {
    for (const path of ['/', '/p/abc/traces/t1?observation=o1', '/settings']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('app-1234.js');
    }
  });

  it('serves hashed assets with long cache headers, gzipped when asked', async () => {
    const res = await app.request('/assets/app-1234.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
  });

  it('leaves API paths to the API, never answering them with the page', async () => {
    expect(await (await app.request('/api/ping')).json()).toEqual({ ok: true });
    const res = await app.request('/api/unknown');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'none' });
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
  });

  it('answers with a hint when the UI has not been built', async () => {
    const res = await appWith(join(dir, 'nothing-here')).request('/traces');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
