// End-to-end smoke test: the packaged VSIX in a real VS Code (code-server + headless Chromium).
//   node scripts/run-tests.mjs test/e2e/smoke.test.ts
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { e2eTest, eventually, SESSION_TIMEOUT, startSession, type E2eSession } from './session';

let session: E2eSession | undefined;

// First run on a fresh machine installs code-server (~6 min), hence the generous hook timeout.
before(async () => {
  const started = Date.now();
  session = await startSession();
  console.log(`workbench ready ${Date.now() - started} ms after start (incl. VSIX install)`);
}, SESSION_TIMEOUT);

after(() => session?.stop());

e2eTest('the status bar shows Spanlight once the extension has activated', () => session, async (t, s) => {
  const item = s.launch.statusBarItem(s.page, 'Spanlight');
  const started = Date.now();
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  t.diagnostic(`status bar item visible after ${Date.now() - started} ms`);
  t.diagnostic(`status bar: ${(await item.innerText()).trim()}`);
});

e2eTest('an OTLP/JSON trace posted to the receiver is counted by /api/health', () => session, async (_t, s) => {
  // The status bar item appears when the extension activates; the receiver listens a moment later.
  await eventually(async () => ((await fetch(`http://127.0.0.1:${s.httpPort}/api/health`)).ok ? true : undefined), 'the receiver');
  const response = await fetch(`http://127.0.0.1:${s.httpPort}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(oneSpanTrace()),
  });
  assert.equal(response.status, 200, await response.text());

  // Ingestion may be batched: poll briefly instead of expecting the count on the next request.
  let health: { spans?: number } = {};
  for (let attempt = 0; attempt < 50 && !(Number(health.spans) >= 1); attempt++) {
    health = (await (await fetch(`http://127.0.0.1:${s.httpPort}/api/health`)).json()) as { spans?: number };
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
