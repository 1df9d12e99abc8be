// What both integration runners share: the test profile's settings and the results file that
// test/integration/index.ts writes inside the extension host (one JSON object per line).
import { existsSync, readFileSync } from 'node:fs';

/** Ports picked by the runner, so the suite never collides with a collector or a window on 4317/4318. */
export function integrationSettings({ httpPort, grpcPort }) {
  return {
    'spanlight.receiver.httpPort': httpPort,
    'spanlight.receiver.grpcPort': grpcPort,
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
  };
}

/** The results written so far; a half-written last line (the host is still appending) is left for later. */
export function readResults(file) {
  if (!existsSync(file)) return [];
  const results = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      results.push(JSON.parse(line));
    } catch {
      break;
    }
  }
  return results;
}

export function formatResult(result) {
  const mark = { passed: '✔', failed: '✖', pending: '-' }[result.state] ?? '?';
  const lines = [`${mark} ${result.title} (${Math.round(result.durationMs)} ms)`];
  if (result.error) lines.push(...result.error.split('\n').map((line) => `    ${line}`));
  return lines.join('\n');
}

export function summarize(results) {
  const passed = results.filter((r) => r.state === 'passed').length;
  const failed = results.filter((r) => r.state === 'failed').length;
  return { passed, failed, line: `${passed} passed, ${failed} failed` };
}
