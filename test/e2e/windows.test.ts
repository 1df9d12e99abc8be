// Two VS Code windows on one store, as a user has them: the first hosts the receiver, the second follows
// it through its JSON API. What the second one shows must stay true through the first one's restarts
// and stops: the same list, its endpoint and count in the status bar, and why it is not live when not.
//   node scripts/run-tests.mjs test/e2e/windows.test.ts
// One code-server session serves the whole file; the tests run in order and build on each other's state.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { e2eTest, eventually, runCommand, SESSION_TIMEOUT, startSession, type E2eSession } from './session';

/** A loaded 2-core machine runs code-server, two extension hosts, Chromium and the test: be patient. */
const UI_TIMEOUT = 30_000;

let session: E2eSession | undefined;
let follower: Page | undefined;
let followerSidebar: Frame | undefined;
let posted = 0;

before(async () => {
  // Settings JSON in an editor tab, not a modal one (whose palette and closing differ).
  session = await startSession({ settings: { 'workbench.editor.useModal': 'off' } });
  // The first window owns the store once its status bar shows the receiver.
  await session.launch.statusBarItem(session.page, `:${session.httpPort}`).waitFor({ timeout: 60_000 });
  for (let i = 0; i < 3; i++) assert.equal(await postTrace(session), 200);
  follower = await session.openWindow();
  followerSidebar = await openSidebar(follower, session);
}, SESSION_TIMEOUT);

after(async () => {
  await follower?.close().catch(() => undefined);
  await session?.stop();
});

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

/** Posts one single-span trace as OTLP/JSON to the first window's receiver; the HTTP status, or 0 when refused. */
async function postTrace(s: E2eSession): Promise<number> {
  posted++;
  const traceId = posted.toString(16).padStart(32, 'c');
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'two-windows' } }] },
        scopeSpans: [
          { scope: { name: 'e2e' }, spans: [{ traceId, spanId: traceId.slice(0, 16), name: `request ${posted}`, kind: 1, startTimeUnixNano: String(now - 1_000_000n), endTimeUnixNano: String(now) }] },
        ],
      },
    ],
  });
  try {
    const res = await fetch(`http://127.0.0.1:${s.httpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return res.status;
  } catch {
    return 0; // the receiver is restarting or stopped
  }
}

async function storedTraces(s: E2eSession): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${s.httpPort}/api/traces?limit=1`);
  return ((await res.json()) as { total: number }).total;
}

async function openSidebar(page: Page, s: E2eSession): Promise<Frame> {
  await page.locator('.activitybar [aria-label^="Spanlight"]').first().click({ timeout: 60_000 });
  return s.launch.findFrameWith(page, '[data-testid="trace-list"]', 60_000);
}

/** The sidebar's count line ("12 traces", or "12 traces · 9 loaded" when rows are missing). */
async function countLine(frame: Frame): Promise<string> {
  return (await frame.locator('[data-testid="trace-count"]').innerText()).trim();
}

function toast(page: Page, text: string) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** Resolves when the first window's change stream ends, i.e. its receiver stopped or restarted. */
function streamEnds(s: E2eSession): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${s.httpPort}/api/events`, (res) => {
        res.resume();
        res.on('close', () => resolve());
      })
      .on('error', reject);
  });
}

/**
 * Changes user settings the way a user does, in the settings JSON editor of the first window (both
 * windows share them): code-server does not notice a settings.json written from outside.
 */
async function setUserSettings(s: E2eSession, changes: Record<string, unknown>): Promise<void> {
  const file = join(s.server.userDataDir, 'User', 'settings.json');
  const settings = { ...JSON.parse(readFileSync(file, 'utf8')), ...changes };
  await runCommand(s.page, 'Preferences: Open User Settings (JSON)');
  const lines = s.page.locator('.monaco-editor .view-lines', { hasText: 'spanlight.receiver.httpPort' }).last();
  await lines.click({ timeout: UI_TIMEOUT });
  await s.page.keyboard.press('Control+A');
  // One line, then whatever the editor closed by itself after it (brackets, quotes) removed.
  await s.page.keyboard.insertText(JSON.stringify(settings));
  await s.page.keyboard.press('Control+Shift+End');
  await s.page.keyboard.press('Delete');
  await s.page.keyboard.press('Control+S');
  await eventually(async () => (isDeepStrictEqual(JSON.parse(readFileSync(file, 'utf8')), settings) ? true : undefined), 'settings.json saved');
  await runCommand(s.page, 'View: Close Editor');
}

function onFailure(t: { diagnostic(message: string): void }, s: E2eSession, name: string) {
  return async (error: unknown): Promise<never> => {
    if (follower) for (const line of await s.launch.captureFailure({ name: `windows-${name}-follower`, page: follower })) t.diagnostic(line);
    throw error;
  };
}

// ── tests ────────────────────────────────────────────────────────────────────────────────────────

e2eTest("the second window's status bar shows the first window's endpoint and the count it lists", () => session, async (t, s) => {
  const frame = followerSidebar as Frame;
  await eventually(async () => ((await countLine(frame)) === '3 traces' ? true : undefined), 'the 3 traces in the second window').catch(onFailure(t, s, 'count'));
  const item = s.launch.statusBarItem(follower as Page, 'Spanlight');
  await eventually(async () => ((await item.innerText()).includes(`Spanlight :${s.httpPort} · 3`) ? true : undefined), 'its endpoint and count').catch(
    onFailure(t, s, 'status-bar'),
  );
});

e2eTest('after the first window restarts its receiver (a receiver setting changed) the second lists every trace, none missed', () => session, async (t, s) => {
  const frame = followerSidebar as Frame;
  const restarted = streamEnds(s);
  // A trace every 50 ms from before the restart until well after the second window reconnected.
  let posting = true;
  const poster = (async () => {
    while (posting) {
      await postTrace(s);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await setUserSettings(s, { 'spanlight.receiver.maxBodyMB': 17 });
    await Promise.race([restarted, new Promise((_, reject) => setTimeout(() => reject(new Error('the receiver did not restart')), UI_TIMEOUT))]);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    posting = false;
    await poster;
  }
  const total = await storedTraces(s);
  t.diagnostic(`stored: ${total}`);
  // Every row loaded: "N traces" alone, no "· M loaded" for rows that never came.
  await eventually(async () => ((await countLine(frame)) === `${total} traces` ? true : undefined), `"${total} traces" in the second window`).catch(
    async (error: unknown) => {
      t.diagnostic(`second window: ${await countLine(frame)}`);
      return onFailure(t, s, 'restart')(error);
    },
  );
});

e2eTest('when the first window stops its receiver the second keeps its list and says why it is not live', () => session, async (t, s) => {
  const frame = followerSidebar as Frame;
  const before = await countLine(frame);
  await runCommand(s.page, 'Spanlight: Stop Receiver');
  const down = frame.locator('[data-testid="owner-receiver-down"]');
  await down.waitFor({ timeout: UI_TIMEOUT }).catch(onFailure(t, s, 'stopped'));
  assert.match(await down.innerText(), /The Spanlight window that owns the receiver has stopped it\. The traces shown here are not live/);
  assert.equal(await countLine(frame), before, 'the list is not emptied');
  assert.ok((await frame.locator('[data-testid="trace-row"]').count()) > 0);
  const item = s.launch.statusBarItem(follower as Page, 'Spanlight');
  await eventually(async () => ((await item.innerText()).includes('(not live)') ? true : undefined), 'the status bar to say not live');

  // Copy OTLP Endpoint says what is true; Stop Receiver here says where the receiver is, as Start does.
  await runCommand(follower as Page, 'Spanlight: Copy OTLP Endpoint');
  await toast(follower as Page, 'has stopped it').first().waitFor({ timeout: UI_TIMEOUT });
  await runCommand(follower as Page, 'Spanlight: Stop Receiver');
  await toast(follower as Page, 'Another VS Code window hosts the Spanlight receiver').first().waitFor({ timeout: UI_TIMEOUT });
});

e2eTest('when the first window starts its receiver again the second follows it and copies its endpoint', () => session, async (t, s) => {
  const frame = followerSidebar as Frame;
  await runCommand(s.page, 'Spanlight: Start Receiver');
  await frame.locator('[data-testid="owner-receiver-down"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT }).catch(onFailure(t, s, 'started'));
  assert.equal(await postTrace(s), 200);
  const total = await storedTraces(s);
  await eventually(async () => ((await countLine(frame)) === `${total} traces` ? true : undefined), `"${total} traces" in the second window`).catch(
    onFailure(t, s, 'started-count'),
  );
  await runCommand(follower as Page, 'Spanlight: Copy OTLP Endpoint');
  await toast(follower as Page, `Copied http://127.0.0.1:${s.httpPort}`).first().waitFor({ timeout: UI_TIMEOUT }).catch(onFailure(t, s, 'copy'));
});

e2eTest('binding beyond loopback: without a token one notification with Set Auth Token and Open Settings, with one a hint in the status bar', () => session, async (t, s) => {
  await setUserSettings(s, { 'spanlight.receiver.host': '0.0.0.0' });
  const refused = toast(s.page, 'reachable from other machines');
  await refused.first().waitFor({ timeout: UI_TIMEOUT }).catch(onFailure(t, s, 'bind'));
  await new Promise((resolve) => setTimeout(resolve, 2000)); // a second one would be there by now
  assert.equal(await toast(s.page, '0.0.0.0').count(), 1, 'one notification for both transports');
  const text = await refused.first().innerText();
  t.diagnostic(`notification: ${text.replace(/\s+/g, ' ')}`);
  assert.doesNotMatch(text, /--auth-token|spanlight serve/);
  for (const label of ['Set Auth Token', 'Open Settings']) await refused.first().getByRole('button', { name: label }).waitFor({ timeout: UI_TIMEOUT });

  // With a token it listens there, and the status bar says it is reachable from the network.
  await refused.first().getByRole('button', { name: 'Set Auth Token' }).click();
  const input = s.page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT });
  await input.fill('e2e-token');
  await input.press('Enter');
  const exposed = s.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: `Spanlight :${s.httpPort}` }).filter({ has: s.page.locator('.codicon-globe') });
  await exposed.first().waitFor({ timeout: UI_TIMEOUT }).catch(onFailure(t, s, 'exposed'));

  // A typo is a name nobody knows, not an address other machines reach.
  await setUserSettings(s, { 'spanlight.receiver.host': 'localhots.invalid' });
  const unknown = toast(s.page, 'no address is known for that name');
  await unknown.first().waitFor({ timeout: UI_TIMEOUT }).catch(onFailure(t, s, 'typo'));
  assert.doesNotMatch(await unknown.first().innerText(), /other machines/);
  await setUserSettings(s, { 'spanlight.receiver.host': '127.0.0.1' });
});
