// One end-to-end session: the packaged VSIX installed in a fresh code-server profile, a temp workspace,
// the workbench open in headless Chromium. Every e2e file starts one in `before` and stops it in `after`.
// SPANLIGHT_VSIX=path/to.vsix skips the build and packaging step.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';

// The harness is an ES module and this package is CommonJS, so it is loaded with import().
export type Launch = typeof import('../../scripts/vscode/launch.mjs', { with: { 'resolution-mode': 'import' } });
type CodeServer = Awaited<ReturnType<Launch['startCodeServer']>>;

export interface E2eSession {
  launch: Launch;
  server: CodeServer;
  browser: Browser;
  page: Page;
  workspace: string;
  httpPort: number;
  grpcPort: number;
  /** Another browser window on the same code-server (a second VS Code window). */
  openWindow(): Promise<Page>;
  stop(): Promise<void>;
}

let packagedVsix: string | undefined;

/** Builds and packages once per process (several sessions in one file reuse it). */
async function vsix(launch: Launch): Promise<string> {
  // A VSIX per test process: e2e files run in parallel, and one file installing dist/spanlight.vsix while
  // another rewrites it read a truncated zip ("End of central directory record signature not found").
  if (packagedVsix) return packagedVsix;
  if (process.env.SPANLIGHT_VSIX) return (packagedVsix = process.env.SPANLIGHT_VSIX);
  const vsixPath = launch.packageVsix({ outFile: join(tmpdir(), `spanlight-e2e-${process.pid}.vsix`) }).vsixPath;
  process.once('exit', () => rmSync(vsixPath, { force: true }));
  packagedVsix = vsixPath;
  return packagedVsix;
}

export async function startSession(
  options: { settings?: Record<string, unknown>; files?: Record<string, string>; httpPort?: number } = {},
): Promise<E2eSession> {
  const launch = await import('../../scripts/vscode/launch.mjs');
  const workspace = mkdtempSync(join(tmpdir(), 'spanlight-e2e-workspace-'));
  // `after` does not run when the run is interrupted (Ctrl-C); 'exit' still does.
  process.once('exit', () => rmSync(workspace, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(options.files ?? { 'app.py': 'print("hello")\n' })) {
    writeFileSync(join(workspace, name), text);
  }
  // Ephemeral ports so tests never collide with a collector or another window on 4317/4318.
  const httpPort = options.httpPort ?? (await launch.freePort());
  let grpcPort = await launch.freePort();
  while (grpcPort === httpPort) grpcPort = await launch.freePort();
  const server = await launch.startCodeServer({
    workspace,
    vsixPath: await vsix(launch),
    settings: { 'spanlight.receiver.httpPort': httpPort, 'spanlight.receiver.grpcPort': grpcPort, ...options.settings },
  });
  let opened: { browser: Browser; page: Page };
  try {
    opened = await launch.openWorkbench(server.url, workspace);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const { browser, page } = opened;
  return {
    launch,
    server,
    browser,
    page,
    workspace,
    httpPort,
    grpcPort,
    async openWindow() {
      const second = await browser.newPage();
      await second.goto(`${server.url}/?folder=${encodeURI(workspace)}`);
      await second.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      return second;
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** A test that saves a screenshot and the extension host log to test-results/ when it fails. */
export function e2eTest(name: string, session: () => E2eSession | undefined, body: (t: TestContext, s: E2eSession) => Promise<void>): void {
  test(name, { timeout: 120_000 }, async (t) => {
    const s = session();
    if (!s) throw new Error('the e2e session did not start (see the before hook)');
    try {
      await body(t, s);
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
      for (const line of await s.launch.captureFailure({ name: slug, page: s.page, server: s.server })) t.diagnostic(line);
      throw error;
    }
  });
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const SESSION_TIMEOUT = { timeout: 15 * 60_000 };

/** Runs a command from the palette of `page`, by its title. */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  await page.bringToFront();
  const input = page.locator('.quick-input-widget input');
  // F1 again if the palette did not open: pressed while a webview had the focus (just after its
  // context menu ran an item), the key does not always reach the workbench.
  await eventually(async () => {
    await page.keyboard.press('F1');
    return input.waitFor({ state: 'visible', timeout: 3000 }).then(() => true).catch(() => undefined);
  }, 'the command palette', timeoutMs);
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: timeoutMs });
  await input.press('Enter');
}
