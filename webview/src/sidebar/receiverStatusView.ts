// What the receiver is doing, in words and with the fix at hand: listening (where), failed (why, and the
// buttons that help), stopped, or hosted by another window. Used by the empty state and the banner.
import { ownerReceiverDown, type ReceiverView, type SidebarOutbound } from '../../../src/protocol/messages';
import type { TransportStatus } from '../../../src/protocol/receiverStatus';
import { codicon, el } from '../shared/dom';

export type Post = (message: SidebarOutbound) => void;

export type ReceiverHealth = 'listening' | 'error' | 'stopped' | 'follower' | 'starting';

export function receiverHealth(r: ReceiverView): ReceiverHealth {
  if (r.role === 'follower') return 'follower';
  if (r.status.http.state === 'error' || r.status.grpc.state === 'error') return 'error';
  if (r.status.http.state === 'listening') return 'listening';
  return r.role === 'starting' ? 'starting' : 'stopped';
}

function transportLine(name: string, t: TransportStatus, url: string | undefined): HTMLElement | undefined {
  switch (t.state) {
    case 'listening':
      return el('div', { className: 'transport ok', testId: `receiver-${name.toLowerCase()}` }, [codicon('radio-tower'), `OTLP/${name} `, el('code', { text: url ?? `${t.host}:${t.port}` })]);
    case 'error':
      return el('div', { className: 'transport error', testId: `receiver-${name.toLowerCase()}` }, [codicon('error'), `OTLP/${name}: `, el('span', { className: 'error-text', text: t.message })]);
    case 'disabled':
      return el('div', { className: 'transport muted', testId: `receiver-${name.toLowerCase()}` }, [codicon('circle-slash'), `OTLP/${name} disabled`]);
    default:
      return undefined;
  }
}

/**
 * A follower reads the owner window's traces through the owner's HTTP port. While that does not listen
 * the list here stays as it was, said to be not live, rather than emptied: the owner's store still holds
 * every trace, and an empty list would claim it does not (ownerFollower.ts).
 */
function followerLine(r: ReceiverView): HTMLElement {
  const down = ownerReceiverDown(r.status.http);
  if (!down) return el('div', { className: 'transport muted' }, [codicon('info'), 'Another VS Code window hosts the receiver. Send traces to it as usual: they show up here too.']);
  return el('div', { className: 'transport error', testId: 'owner-receiver-down' }, [
    codicon('debug-disconnect'),
    // The owner's error message is its receiver's (port, host): as text, like every status line.
    el('span', { className: 'error-text', text: `${down} The traces shown here are not live: they update when it listens again, or when that window closes and this one takes over.` }),
  ]);
}

function button(label: string, onClick: () => void, secondary = true, testId?: string): HTMLElement {
  const b = el('vscode-button', { text: label, testId });
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/** `compact`: when all is well say so in one line (the empty state lists the endpoints itself). */
export function renderReceiverStatus(r: ReceiverView, post: Post, options: { compact?: boolean } = {}): HTMLElement {
  const health = receiverHealth(r);
  const box = el('div', { className: `receiver-status ${health}`, testId: 'receiver-status' });
  box.dataset.state = health;
  switch (health) {
    case 'follower':
      box.append(followerLine(r));
      break;
    case 'starting':
      box.append(el('div', { className: 'transport muted' }, [codicon('loading'), 'Starting the receiver…']));
      break;
    case 'stopped':
      box.append(
        el('div', { className: 'transport muted' }, [codicon('circle-slash'), 'The receiver is stopped.']),
        el('div', { className: 'button-row' }, [button('Start Receiver', () => post({ type: 'command', command: 'spanlight.startReceiver' }), false, 'start-receiver')]),
      );
      break;
    default: {
      if (health === 'listening' && options.compact) {
        box.append(el('div', { className: 'transport ok' }, [codicon('radio-tower'), 'The receiver is listening.']));
        break;
      }
      const lines = [transportLine('HTTP', r.status.http, r.endpoint.httpUrl), transportLine('gRPC', r.status.grpc, r.endpoint.grpcUrl)];
      for (const line of lines) if (line) box.append(line);
      if (health === 'error') {
        box.append(
          el('div', { className: 'button-row' }, [
            button('Open Settings', () => post({ type: 'openSettings' }), true, 'open-settings'),
            button('Show Logs', () => post({ type: 'command', command: 'spanlight.showLogs' }), true, 'show-logs'),
          ]),
        );
      }
    }
  }
  return box;
}
