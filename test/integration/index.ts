// The extensionTestsPath module: VS Code loads it in the extension host, awaits run() and ends the
// host with exit code 0 (resolved) or 1 (rejected). Both runners use it unchanged:
// scripts/vscode/runIntegration.mjs (code-server, here) and runIntegrationElectron.mjs (desktop VS Code).
//
// Every finished test is appended as one JSON line to $SPANLIGHT_INTEGRATION_RESULTS, because the exit
// code alone says nothing about which test failed, and in code-server the host's stdout goes nowhere
// the runner can read (console.* is forwarded to the browser console, mixed with workbench logs).
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface IntegrationResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  // Mocha's spec reporter writes through console.log: desktop VS Code prints it in the terminal.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const suiteDir = join(__dirname, 'suite');
  for (const name of readdirSync(suiteDir).sort()) if (name.endsWith('.test.js')) mocha.addFile(join(suiteDir, name));

  const resultsFile = process.env.SPANLIGHT_INTEGRATION_RESULTS;
  // Created empty at once: tells the runner that the host picked up extensionTestsPath at all.
  if (resultsFile) writeFileSync(resultsFile, '');
  const record = (result: IntegrationResult): void => {
    if (resultsFile) appendFileSync(resultsFile, `${JSON.stringify(result)}\n`);
  };

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
    runner.on('pass', (t) => record({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('pending', (t) => record({ title: t.fullTitle(), state: 'pending', durationMs: 0 }));
    // 'fail' also fires for hooks (a failed suiteSetup fails every test after it): recorded under the hook's title.
    runner.on('fail', (t, err: Error) =>
      record({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err.stack ?? String(err) }),
    );
  });
}
