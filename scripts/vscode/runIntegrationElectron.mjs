// Runs the extension-host integration suite (test/integration) in desktop VS Code with @vscode/test-electron,
// for contributors and CI that can download VS Code (or have one). Same suite as runIntegration.mjs.
//   node scripts/vscode/runIntegrationElectron.mjs      (npm run test:integration:electron)
// VSCODE_EXECUTABLE_PATH=/path/to/code   use an installed VS Code instead of downloading one
// VSCODE_TEST_VERSION=1.99.0             download that version (default: stable)
// On Linux without a display, run it under xvfb-run. On the project's build machines the download is
// blocked (only npm and apt are reachable): this script then says so and exits 2; use runIntegration.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';
import { buildIntegration } from '../build-integration.mjs';
import { formatResult, integrationSettings, readResults, summarize } from './integrationResults.mjs';
import { freePort, REPO_ROOT } from './launch.mjs';

const started = Date.now();
if (spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
const { entry } = await buildIntegration();

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (!vscodeExecutablePath) {
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      // Outside the repo, beside the code-server cache: a download is ~150 MB.
      cachePath: join(homedir(), '.cache', 'spanlight', 'vscode-test'),
      timeout: 20_000,
    });
  } catch (error) {
    console.error(
      `Could not download desktop VS Code for the integration tests: ${error.message}\n` +
        '(the project\'s build machines reach only the npm registry and apt, not update.code.visualstudio.com).\n' +
        'Set VSCODE_EXECUTABLE_PATH to an installed VS Code, or run the same suite in code-server: npm run test:integration',
    );
    process.exit(2);
  }
}

// A fresh profile per run: the store lives in globalStorage, and the ports must be free ones.
const scratch = mkdtempSync(join(tmpdir(), 'spanlight-integration-electron-'));
const userDataDir = join(scratch, 'user-data');
const workspace = join(scratch, 'workspace');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
mkdirSync(workspace);
const httpPort = await freePort();
let grpcPort = await freePort();
while (grpcPort === httpPort) grpcPort = await freePort();
writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(integrationSettings({ httpPort, grpcPort }), null, 2));
const resultsFile = join(scratch, 'integration-results.jsonl');

let exitCode = 0;
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: entry,
    extensionTestsEnv: { SPANLIGHT_INTEGRATION_RESULTS: resultsFile },
    // Only Spanlight and the built-ins: the developer's own extensions must not change the results.
    launchArgs: [workspace, '--user-data-dir', userDataDir, '--extensions-dir', join(scratch, 'extensions'), '--disable-extensions'],
  });
} catch (error) {
  // TestRunFailedError: VS Code exited non-zero (a test failed); anything else did not start it.
  if (!(error instanceof TestRunFailedError)) console.error(`VS Code did not run the suite: ${error.message}`);
  exitCode = 1;
}

const results = readResults(resultsFile);
rmSync(scratch, { recursive: true, force: true });
// Mocha's spec reporter already printed live; repeat the outcome in the format runIntegration.mjs uses.
for (const result of results) console.log(formatResult(result));
const { passed, failed, line } = summarize(results);
console.log(`\nintegration suite in desktop VS Code: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(line);
process.exitCode = exitCode === 0 && failed === 0 && passed > 0 ? 0 : 1;
