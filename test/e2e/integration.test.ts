// The extension-host integration suite (test/integration, mocha inside VS Code) run in code-server by
// scripts/vscode/runIntegration.mjs; each in-host test becomes one node:test test here, so the project's
// "N passed, N failed" counts them. Alone: node scripts/run-tests.mjs test/e2e/integration.test.ts
import { describe, it } from 'node:test';

describe('extension host integration suite (code-server)', async () => {
  const { runIntegrationInCodeServer } = await import('../../scripts/vscode/runIntegration.mjs');
  let run: Awaited<ReturnType<typeof runIntegrationInCodeServer>>;
  try {
    run = await runIntegrationInCodeServer();
  } catch (error) {
    // A failure while building the suite would otherwise be a failed suite, which the runner does not count.
    it('starts code-server with the suite', () => {
      throw error;
    });
    return;
  }
  console.log(`integration suite in code-server: ${(run.ms / 1000).toFixed(1)} s`);

  for (const result of run.results) {
    it(result.title, { skip: result.state === 'pending' }, (t) => {
      t.diagnostic(`${Math.round(result.durationMs)} ms in the extension host`);
      if (result.state !== 'failed') return;
      for (const line of run.diagnostics) t.diagnostic(line);
      throw new Error(result.error ?? 'failed');
    });
  }
  // The host's verdict covers what the results cannot show: a crash or hang before the last test.
  if (run.exitCode !== 0 && !run.results.some((r) => r.state === 'failed')) {
    it('the extension host finishes the suite', () => {
      throw new Error([run.problem ?? `the extension host ended the suite with exit code ${run.exitCode}`, ...run.diagnostics].join('\n'));
    });
  }
});
