import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { basic, startServer, type ServerProcess } from '../../support/index.js';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of each main page, kept as test artifacts. */
export const ARTIFACTS = fileURLToPath(new URL('../../../.tmp/ui-artifacts/', import.meta.url));

export const PUBLIC_KEY = 'pk-lf-ui-test';
export const SECRET_KEY = 'sk-lf-ui-test-secret-0123456789abcdef';
export const USER_EMAIL = 'ui-owner@example.com';
export const USER_PASSWORD = 'ui test password';

// Without the background-networking flags Chromium keeps calling out to hosts this machine cannot reach.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: the browser tests need Debian's Chromium. Install it with \`apt-get install -y chromium\` (.ci/run does this), or set CHROMIUM_PATH.`);
  }
}

export interface UiHarness {
  server: ServerProcess;
  url: string;
  browser: Browser;
  page: Page;
  /** Problems the page reported: uncaught errors, console errors and any dialog (alert/confirm/prompt) not expected. */
  problems: string[];
  /** Expects the page's next dialog: answers it (accept or dismiss) and resolves to its message. */
  expectDialog(answer: 'accept' | 'dismiss'): Promise<string>;
  auth: string;
  /** Sends events to the public batch endpoint; fails the test on any per-event error. */
  ingest(batch: unknown[]): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A built Sightline server on a fresh SQLite folder (fixed first API key; with `initUser`, the
 * UI owner from SIGHTLINE_INIT_USER_*) and a headless Chromium page on it.
 */
export async function startUi(options: { initUser?: boolean; browserArgs?: string[]; env?: Record<string, string> } = {}): Promise<UiHarness> {
  requireChromium();
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-ui-'));
  const server = await startServer({
    dataDir,
    env: {
      SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY,
      SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY,
      SIGHTLINE_INIT_USER_EMAIL: options.initUser ? USER_EMAIL : '',
      SIGHTLINE_INIT_USER_PASSWORD: options.initUser ? USER_PASSWORD : '',
      ...options.env,
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...(options.browserArgs ?? [])], timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Generous: CI runs these beside the database suites on two cores.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems: string[] = [];
  const expectedDialogs: { answer: 'accept' | 'dismiss'; resolve(message: string): void }[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('dialog', (d) => {
    const expected = expectedDialogs.shift();
    if (!expected) problems.push(`dialog: ${d.type()} ${d.message()}`);
    expected?.resolve(d.message());
    void (expected?.answer === 'accept' ? d.accept() : d.dismiss());
  });
  page.on('console', (m) => {
    // Refused requests (a wrong password's 401) are logged by the browser; they are expected.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  const auth = basic(PUBLIC_KEY, SECRET_KEY);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    server,
    url: server.url,
    browser,
    page,
    problems,
    expectDialog: (answer) => new Promise((resolve) => expectedDialogs.push({ answer, resolve })),
    auth,
    async ingest(batch) {
      const res = await fetch(`${server.url}/api/public/ingestion`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (res.status !== 207 || (body.errors?.length ?? 0) > 0) throw new Error(`ingestion failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    },
    async screenshot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
    },
    async close() {
      await browser.close().catch(() => {});
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form (the init user unless told otherwise) and waits for the traces page. */
export async function signIn(h: UiHarness, email = USER_EMAIL, password = USER_PASSWORD): Promise<void> {
  await h.page.goto(h.url);
  await h.page.getByLabel('Email').fill(email);
  await h.page.getByLabel('Password').fill(password);
  await h.page.getByRole('button', { name: 'Sign in' }).click();
  await h.page.getByRole('heading', { name: 'Traces' }).waitFor();
}

let seq = 0;
/** A raw ingestion event with a unique id. */
export const event = (type: string, body: Record<string, unknown>, at = new Date()) => ({
  id: `ui-evt-${process.pid}-${++seq}`,
  type,
  timestamp: at.toISOString(),
  body,
});
