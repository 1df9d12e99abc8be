// Runs the packaged extension in a real VS Code: code-server (from the npm cache made by
// ensureCodeServer.mjs) driven by Debian's Chromium through playwright-core.
// Used by test/e2e/ and by the demo launcher (open.mjs). Recipe: /work/shared/docs/REAL-VSCODE.md.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureCodeServer } from './ensureCodeServer.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM_PATH = process.env.SPANLIGHT_CHROMIUM ?? '/usr/bin/chromium';
// Flags from the recipe: no sandbox (root in CI), no GPU, and nothing that reaches the internet.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const TEST_SETTINGS = {
  // A fresh profile opens folders in Restricted Mode, which disables our extension.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  // Keeps the built-in chat/Copilot UI and its helper processes out of the way.
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
};

function runOrThrow(cmd, args, options) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})\n${output}`);
  }
  return result;
}

/**
 * Builds (npm run build) and packages the VSIX; returns its path, size and how long packaging took.
 * SPANLIGHT_BUILT=1 (set by scripts/run-tests.mjs after its one build) skips the build: parallel test
 * processes must not rewrite dist/ while another one packages it.
 */
export function packageVsix({ root = REPO_ROOT, outFile = join(root, 'dist', 'spanlight.vsix'), build = process.env.SPANLIGHT_BUILT !== '1' } = {}) {
  if (build) runOrThrow('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const started = Date.now();
  rmSync(outFile, { force: true });
  // --no-dependencies: esbuild already bundled everything, node_modules must not be shipped.
  // --skip-license: without a LICENSE file vsce asks for confirmation on a terminal (without
  // one it only warns); the flag keeps `npm start` from stopping on that question.
  const vsce = join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  runOrThrow(vsce, ['package', '--no-dependencies', '--skip-license', '-o', outFile], { cwd: root });
  return { vsixPath: outFile, bytes: statSync(outFile).size, ms: Date.now() - started };
}

/** A port nothing listens on right now (the OS picks it; tiny race window, fine for tests). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** First port from `preferred` upwards that can be bound on 127.0.0.1. */
export async function firstFreePort(preferred) {
  for (let port = preferred; port < preferred + 100; port++) {
    const free = await new Promise((done) => {
      const server = createServer().once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${preferred}..${preferred + 99}`);
}

/** Environment for code-server: Node 24 first on PATH, and no variables from a surrounding VS Code. */
function codeServerEnv(nodeBinDir) {
  const env = { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH}` };
  // Inside a VS Code terminal VSCODE_IPC_HOOK_CLI makes code-server hand the command to *that*
  // window (e.g. --install-extension lands in the developer's editor, not the test profile).
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_')) delete env[key];
  return env;
}

async function waitForHttp(url, { timeoutMs, child, logFile }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${tail(logFile, 40)}`);
    }
    try {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 2000);
      const response = await fetch(url, { signal: abort.signal }).finally(() => clearTimeout(timer));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms:\n${tail(logFile, 40)}`);
}

function tail(file, lines) {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

const isGroupAlive = (pid) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function killGroup(pid) {
  // code-server forks a file watcher, the extension host, an agent host and more; killing only
  // its pid leaves them running. It runs in its own process group, so end the whole group.
  if (!isGroupAlive(pid)) return;
  process.kill(-pid, 'SIGTERM');
  for (let i = 0; i < 50 && isGroupAlive(pid); i++) await sleep(100);
  if (isGroupAlive(pid)) process.kill(-pid, 'SIGKILL');
  for (let i = 0; i < 50 && isGroupAlive(pid); i++) await sleep(100);
}

function installVsix(codeServerBin, profileArgs, env, vsixPath) {
  // --force: reinstalls even when a VSIX of the same version is already in the profile.
  runOrThrow(codeServerBin, [...profileArgs, '--install-extension', resolve(vsixPath), '--force'], { env });
}

// Servers not stopped yet. If the caller dies first (crash, Ctrl-C before Playwright installed
// its own SIGINT handler) nothing else would end them: detached groups survive their parent.
const runningServers = new Set();
const exitSignals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function killRunningServersSync() {
  for (const server of runningServers) {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (!process.env.SPANLIGHT_KEEP_E2E_DIRS) rmSync(server.root, { recursive: true, force: true });
  }
  runningServers.clear();
}

function onExitSignal(signal) {
  killRunningServersSync();
  // Another listener (Playwright, open.mjs) owns shutdown; alone, behave like the default action.
  if (process.listenerCount(signal) === 1) process.exit(exitSignals[signal]);
}

let exitHooksInstalled = false;
function trackUntilStopped(server) {
  if (!exitHooksInstalled) {
    exitHooksInstalled = true;
    process.on('exit', killRunningServersSync);
    for (const signal of Object.keys(exitSignals)) process.on(signal, onExitSignal);
  }
  runningServers.add(server);
}

/**
 * Starts code-server with a fresh profile (temp user-data and extensions dirs), the VSIX
 * installed and `settings` merged into User/settings.json. Call stop() when done.
 * `vscodeOptions` reach the VS Code server itself (code-server's `--vscode-option flag[=value]`),
 * e.g. 'enable-smoke-test-driver', which the integration runner needs.
 */
export async function startCodeServer({ workspace, vsixPath, port, settings = {}, vscodeOptions = [], timeoutMs = 60_000 }) {
  const { codeServerBin, nodeBinDir } = ensureCodeServer();
  const root = mkdtempSync(join(tmpdir(), 'spanlight-vscode-'));
  const running = { pid: undefined, root };
  trackUntilStopped(running);
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const logsDir = join(userDataDir, 'logs');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...settings }, null, 2));
  // An own config file: the user's ~/.config/code-server/config.yaml (password, cert) must not apply.
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const env = codeServerEnv(nodeBinDir);
  const profileArgs = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (vsixPath) {
    try {
      installVsix(codeServerBin, profileArgs, env, vsixPath);
    } catch (error) {
      runningServers.delete(running);
      if (!process.env.SPANLIGHT_KEEP_E2E_DIRS) rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  port ??= await freePort();
  const logFile = join(root, 'code-server.log');
  const logFd = openSync(logFile, 'a');
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    ...profileArgs,
    ...vscodeOptions.flatMap((option) => ['--vscode-option', option]),
    ...(workspace ? [resolve(workspace)] : []),
  ];
  // detached = own process group, so stop() can end code-server and every helper it forks.
  const child = spawn(codeServerBin, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const { pid } = child;
  running.pid = pid;

  let stopped = false;
  const stop = async ({ keepFiles = !!process.env.SPANLIGHT_KEEP_E2E_DIRS } = {}) => {
    if (stopped) return;
    stopped = true;
    await killGroup(pid);
    runningServers.delete(running);
    if (!keepFiles) rmSync(root, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs, child, logFile });
  } catch (error) {
    await stop(); // the error already carries the tail of code-server's log
    throw error;
  }
  return { url, port, pid, root, userDataDir, extensionsDir, logsDir, logFile, stop };
}

/**
 * Opens the workbench for `folder` in headless Chromium and waits until it has rendered.
 * `payload` is the workbench's `?payload=` list of [key, value] pairs (extensionTestsPath and
 * friends; honored only with the server's enable-smoke-test-driver option). `beforeLoad` runs
 * before navigation, e.g. to expose functions the workbench calls. `permissions` are granted to the
 * page (the web clipboard asks the user in a notification without 'clipboard-read').
 */
export async function openWorkbench(url, folder, { timeoutMs = 60_000, headless = true, payload, beforeLoad, permissions } = {}) {
  const started = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, permissions });
    await beforeLoad?.(page);
    const query = [
      ...(folder ? [`folder=${encodeURI(resolve(folder))}`] : []),
      ...(payload ? [`payload=${encodeURIComponent(JSON.stringify(payload))}`] : []),
    ];
    const target = query.length ? `${url}/?${query.join('&')}` : url;
    await page.goto(target, { timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    return { browser, page, readyMs: Date.now() - started };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The status bar entry whose text contains `text` (codicons like $(radio-tower) render as icons). */
export function statusBarItem(page, text) {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: text }).first();
}

/** Webviews are nested iframes: polls every frame until one contains `selector`. */
export async function findFrameWith(page, selector, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // the frame navigated or detached while we looked; try the next one
      }
    }
    await sleep(250);
  }
  throw new Error(`no frame contains ${selector} after ${timeoutMs} ms`);
}

/**
 * `<userDataDir>/logs/<time>/exthostN/remoteexthost.log` of the newest session and the latest
 * extension host in it (a crashed host is restarted as exthost2, …), if any.
 */
export function findExthostLog(userDataDir) {
  const logsDir = join(userDataDir, 'logs');
  if (!existsSync(logsDir)) return undefined;
  const newestFirst = (names) => names.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const session of newestFirst(readdirSync(logsDir))) {
    const hosts = newestFirst(readdirSync(join(logsDir, session)).filter((name) => /^exthost\d+$/.test(name)));
    for (const host of hosts) {
      const file = join(logsDir, session, host, 'remoteexthost.log');
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/**
 * Saves what explains a failure into test-results/: <name>.png, <name>.exthost.log and
 * <name>.code-server.log. Returns short lines for the test output: the status bar texts and the
 * tail of the extension host log (where activation errors and stack traces land).
 */
export async function captureFailure({ name, page, server, resultsDir = join(REPO_ROOT, 'test-results') }) {
  const base = join(resultsDir, name.replace(/[^\w.-]+/g, '_'));
  const lines = [];
  mkdirSync(resultsDir, { recursive: true });
  if (page) {
    try {
      await page.screenshot({ path: `${base}.png`, fullPage: true });
      lines.push(`screenshot: ${base}.png`);
      const items = await page.locator('#workbench\\.parts\\.statusbar .statusbar-item').allInnerTexts();
      lines.push(`status bar: ${items.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ')}`);
    } catch (error) {
      lines.push(`page not readable: ${error.message}`);
    }
  }
  if (server) {
    const exthostLog = findExthostLog(server.userDataDir);
    if (exthostLog) {
      copyFileSync(exthostLog, `${base}.exthost.log`);
      lines.push(`extension host log: ${base}.exthost.log (last 40 lines below)`, ...tail(exthostLog, 40).split('\n'));
    } else {
      lines.push(`no extension host log under ${server.userDataDir}/logs (the browser never connected?)`);
    }
    if (existsSync(server.logFile)) {
      copyFileSync(server.logFile, `${base}.code-server.log`);
      lines.push(`code-server log: ${base}.code-server.log`);
    }
  }
  return lines;
}
