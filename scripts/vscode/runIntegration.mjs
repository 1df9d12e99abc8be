// Runs the extension-host integration suite (test/integration) inside a real VS Code here: code-server.
//   node scripts/vscode/runIntegration.mjs        (npm run test:integration)
// SPANLIGHT_VSIX=path/to.vsix skips the build and packaging step.
//
// How (checked against code-server 4.139.1): the VS Code server starts an extension host only when a
// workbench connects, and the workbench takes `extensionDevelopmentPath`/`extensionTestsPath` from its
// URL (`?payload=[[key, value], …]`) — a built workbench honors that payload only when the server runs
// with `enable-smoke-test-driver` (passed through code-server's --vscode-option). The remote extension
// host then loads the development extension, requires extensionTestsPath, awaits its run() and reports
// the exit code to the page's `window.codeAutomationExit(code)`, which Playwright exposes here.
// The development path is the packaged VSIX as code-server installed it, so the suite runs exactly what
// ships and no concurrent `npm run build` (other e2e files) can change files under it mid-run.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { buildIntegration } from '../build-integration.mjs';
import { formatResult, integrationSettings, readResults, summarize } from './integrationResults.mjs';
import { captureFailure, freePort, openWorkbench, packageVsix, startCodeServer } from './launch.mjs';

const EXTENSION_ID = 'spanlight.spanlight';
// The suite's run() creates the results file first thing; the workbench loads in ~6 s here.
const START_TIMEOUT_MS = 90_000;

/**
 * Resolves with a problem when the extension host has not started the suite in time (fail fast rather
 * than at the overall timeout); never settles once it has started, or when `signal` aborts.
 */
async function suiteStarted(resultsFile, timeoutMs, signal) {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(resultsFile) && !signal.aborted) {
    if (Date.now() > deadline) {
      return {
        problem:
          `the extension host did not start the suite within ${timeoutMs / 1000} s: does this code-server honor the ` +
          'workbench ?payload= (extensionTestsPath needs the enable-smoke-test-driver server option)?',
      };
    }
    await sleep(500);
  }
  return new Promise(() => {});
}

/**
 * Runs the suite once. `onResult` sees each test as it finishes. Resolves with every result, the
 * extension host's exit code (undefined with a `problem` when the suite did not start or finish in
 * time) and the wall time; throws only when no session could be started.
 */
export async function runIntegrationInCodeServer({ vsixPath = process.env.SPANLIGHT_VSIX, onResult = () => {}, timeoutMs = 5 * 60_000 } = {}) {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'spanlight-integration-'));
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  // `finally` does not run when the process is interrupted; 'exit' still does.
  process.once('exit', removeScratch);
  const cleanup = [removeScratch];
  try {
    const { entry } = await buildIntegration();
    // An own output file: other e2e processes package to dist/spanlight.vsix at the same time.
    const vsix = vsixPath ? resolve(vsixPath) : packageVsix({ outFile: join(scratch, 'spanlight.vsix') }).vsixPath;
    const workspace = join(scratch, 'workspace');
    mkdirSync(workspace);
    const httpPort = await freePort();
    let grpcPort = await freePort();
    while (grpcPort === httpPort) grpcPort = await freePort();

    const server = await startCodeServer({
      workspace,
      vsixPath: vsix,
      settings: integrationSettings({ httpPort, grpcPort }),
      vscodeOptions: ['enable-smoke-test-driver'],
    });
    cleanup.unshift(() => server.stop());
    const resultsFile = join(server.root, 'integration-results.jsonl');
    const installed = readdirSync(server.extensionsDir).find((name) => name.startsWith(`${EXTENSION_ID}-`));
    if (!installed) throw new Error(`${EXTENSION_ID} is not in ${server.extensionsDir} after installing ${vsix}`);
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;

    let reportExit;
    const exited = new Promise((done) => (reportExit = done));
    const { browser, page } = await openWorkbench(server.url, workspace, {
      payload: [
        ['extensionDevelopmentPath', remote(join(server.extensionsDir, installed))],
        ['extensionTestsPath', remote(entry)],
        ['extensionEnvironment', JSON.stringify({ SPANLIGHT_INTEGRATION_RESULTS: resultsFile })],
      ],
      // The workbench calls this when the tests' run() settles (0 = resolved, 1 = rejected).
      beforeLoad: (p) => p.exposeFunction('codeAutomationExit', (code) => reportExit(code)),
      // Without them the web clipboard asks the (absent) user in a notification and readText() waits.
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    cleanup.unshift(() => browser.close().catch(() => undefined));

    // Stream results while the host appends them, so a hang still shows how far the suite got.
    let reported = 0;
    const report = () => {
      const results = readResults(resultsFile);
      for (const result of results.slice(reported)) onResult(result);
      reported = results.length;
      return results;
    };
    const poll = setInterval(report, 250);
    const stopWaiting = new AbortController();
    const { exitCode, problem } = await Promise.race([
      exited.then((code) => ({ exitCode: code })),
      // An aborted sleep rejects; after the race that rejection would go unhandled.
      sleep(timeoutMs, { problem: `the suite did not finish within ${timeoutMs / 1000} s` }, { signal: stopWaiting.signal }).catch(() => new Promise(() => {})),
      suiteStarted(resultsFile, START_TIMEOUT_MS, stopWaiting.signal),
    ]);
    stopWaiting.abort();
    clearInterval(poll);
    const results = report();
    let diagnostics = [];
    if (exitCode !== 0 || summarize(results).failed > 0) {
      diagnostics = await captureFailure({ name: 'integration', page, server });
    }
    return { results, exitCode, problem, ms: Date.now() - started, diagnostics };
  } finally {
    for (const step of cleanup) await step();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const run = await runIntegrationInCodeServer({ onResult: (result) => console.log(formatResult(result)) });
  const { failed, passed, line } = summarize(run.results);
  if (run.problem) console.log(`✖ ${run.problem}`);
  else if (run.exitCode !== 0 && failed === 0) console.log(`✖ the extension host ended the suite with exit code ${run.exitCode}`);
  for (const diagnostic of run.diagnostics) console.log(diagnostic);
  console.log(`\nintegration suite in code-server: ${(run.ms / 1000).toFixed(1)} s`);
  console.log(line);
  process.exitCode = run.exitCode === 0 && failed === 0 && passed > 0 ? 0 : 1;
}
