// A port held by someone else (a collector, `spanlight serve`) must give a clear state in a real
// VS Code: a warning status bar item and one notification naming the setting to change.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before } from 'node:test';
import { e2eTest, SESSION_TIMEOUT, startSession, type E2eSession } from './session';

let session: E2eSession | undefined;
let blocker: net.Server | undefined;

before(async () => {
  blocker = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  const busyPort = (blocker.address() as net.AddressInfo).port;
  session = await startSession({ httpPort: busyPort });
}, SESSION_TIMEOUT);

after(async () => {
  await session?.stop();
  await new Promise((resolve) => blocker?.close(resolve));
});

e2eTest('a busy HTTP port shows a warning in the status bar and one notification naming the setting', () => session, async (t, s) => {
  const item = s.launch.statusBarItem(s.page, 'Spanlight');
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'already in use' });
  await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
  const text = await toast.first().innerText();
  t.diagnostic(`notification: ${text.replace(/\s+/g, ' ')}`);
  assert.match(text, /spanlight\.receiver\.httpPort/);
  assert.equal(await toast.count(), 1, 'exactly one notification for the busy port');
  // The status bar item turns into the warning state (codicon warning, no port number).
  await s.page
    .locator('.statusbar-item', { hasText: 'Spanlight' })
    .filter({ has: s.page.locator('.codicon-warning') })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  // gRPC still came up on its own port.
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(s.grpcPort, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
});
