// End-to-end smoke test: the packaged VSIX in a real VS Code (code-server + headless Chromium).
//   node --import tsx --test test/e2e/smoke.test.ts
// SPANLIGHT_VSIX=path/to.vsix skips the build and packaging step.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';

// The harness is an ES module and this package is CommonJS, so it is loaded with import().
type Launch = typeof import('../../scripts/vscode/launch.mjs', { with: { 'resolution-mode': 'import' } });
type CodeServer = Awaited<ReturnType<Launch['startCodeServer']>>;
let launch: Launch;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let workspace: string | undefined;
let httpPort = 0;

/** Runs `body`; on failure saves a screenshot and logs to test-results/ and prints where, with the log tail. */
async function withFailureArtifacts(name: string, diagnostic: (message: string) => void, body: () => Promise<void>) {
  try {
    await body();
  } catch (error) {
    for (const line of await launch.captureFailure({ name, page, server })) diagnostic(line);
    throw error;
  }
}

// First run on a fresh machine installs code-server (~6 min), hence the generous hook timeout.
before(async () => {
  launch = await import('../../scripts/vscode/launch.mjs');
  const { freePort, openWorkbench, packageVsix, startCodeServer } = launch;
  await withFailureArtifacts('e2e-setup', (message) => console.error(message), async () => {
    const vsixPath = process.env.SPANLIGHT_VSIX ?? packageVsix().vsixPath;
    workspace = mkdtempSync(join(tmpdir(), 'spanlight-e2e-workspace-'));
    const workspaceDir = workspace;
    // `after` does not run when the run is interrupted (Ctrl-C); 'exit' still does.
    process.once('exit', () => rmSync(workspaceDir, { recursive: true, force: true }));
    writeFileSync(join(workspace, 'app.py'), 'print("hello")\n');
    // Ephemeral ports so the test never collides with a collector or another window on 4317/4318.
    httpPort = await freePort();
    let grpcPort = await freePort();
    while (grpcPort === httpPort) grpcPort = await freePort();
    const started = Date.now();
    server = await startCodeServer({
      workspace,
      vsixPath,
      settings: { 'spanlight.receiver.httpPort': httpPort, 'spanlight.receiver.grpcPort': grpcPort },
    });
    const serverMs = Date.now() - started;
    let readyMs: number;
    ({ browser, page, readyMs } = await openWorkbench(server.url, workspace));
    console.log(`code-server answered after ${serverMs} ms (incl. VSIX install), workbench ready after ${readyMs} ms more`);
  });
}, { timeout: 15 * 60_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

function e2eTest(name: string, body: (t: TestContext) => Promise<void>) {
  test(name, { timeout: 90_000 }, (t) => withFailureArtifacts(name, (message) => t.diagnostic(message), () => body(t)));
}

e2eTest('the status bar shows Spanlight once the extension has activated', async (t) => {
  assert.ok(page, 'workbench did not open');
  const item = launch.statusBarItem(page, 'Spanlight');
  const started = Date.now();
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  t.diagnostic(`status bar item visible after ${Date.now() - started} ms`);
  t.diagnostic(`status bar: ${(await item.innerText()).trim()}`);
});

e2eTest('an OTLP/JSON trace posted to the receiver is counted by /api/health', async () => {
  const response = await fetch(`http://127.0.0.1:${httpPort}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(oneSpanTrace()),
  });
  assert.equal(response.status, 200, await response.text());

  // Ingestion may be batched: poll briefly instead of expecting the count on the next request.
  let health: { spans?: number } = {};
  for (let attempt = 0; attempt < 50 && !(Number(health.spans) >= 1); attempt++) {
    health = (await (await fetch(`http://127.0.0.1:${httpPort}/api/health`)).json()) as { spans?: number };
    if (!(Number(health.spans) >= 1)) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(Number(health.spans) >= 1, `expected spans >= 1 in /api/health, got ${JSON.stringify(health)}`);
});

function oneSpanTrace() {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'spanlight-e2e' } }] },
      scopeSpans: [{
        scope: { name: 'e2e' },
        spans: [{
          traceId: '5b8efff798038103d269b633813fc60c',
          spanId: 'eee19b7ec3c1b174',
          name: 'e2e smoke span',
          kind: 1,
          startTimeUnixNano: String(now - 5_000_000n),
          endTimeUnixNano: String(now),
          attributes: [{ key: 'e2e', value: { boolValue: true } }],
          status: { code: 1 },
        }],
      }],
    }],
  };
}
