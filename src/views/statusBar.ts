// The status bar item: where the receiver listens and how many traces it holds, or what went wrong.
// In a follower window: the owner window's receiver and the count this window sees, and when its list
// is not live, why.
import * as vscode from 'vscode';
import type { HostRole } from '../host/engineHost';
import type { ForwardStatus } from '../protocol/model';
import { RECEIVER_STOPPED, type ReceiverStatus, type TransportStatus } from '../protocol/receiverStatus';
import { isLoopbackHost } from '../receiver/bindAddress';

export interface StatusBarState {
  role: HostRole;
  /** This window's receiver, or the owner window's while this one follows. */
  status: ReceiverStatus;
  /** The traces the views can list; undefined while not known yet (a follower before its first read). */
  traceCount: number | undefined;
  /** A follower's list does not follow the owner's now: why. */
  notLiveReason?: string;
  /** Forwarding upstream, when this window forwards. */
  forward?: ForwardStatus;
}

export class ReceiverStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('spanlight.receiver', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Spanlight Receiver';
    this.item.command = command;
    this.update({ role: 'starting', status: RECEIVER_STOPPED, traceCount: 0 });
    this.item.show();
  }

  update(state: StatusBarState): void {
    const { text, warning } = itemText(state);
    this.item.text = text;
    this.item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = tooltip(state);
    const { http } = state.status;
    const label = [`Spanlight receiver: ${describe(http)}${where(state)}`, exposed(state) ? 'reachable from the network' : undefined, traces(state), state.notLiveReason];
    this.item.accessibilityInformation = { label: label.filter(Boolean).join(', ') };
  }

  dispose(): void {
    this.item.dispose();
  }
}

function itemText(state: StatusBarState): { text: string; warning: boolean } {
  const { http, grpc } = state.status;
  const count = state.traceCount === undefined ? '…' : String(state.traceCount);
  if (state.role === 'follower' && state.notLiveReason) return { text: `$(debug-disconnect) Spanlight · ${count} (not live)`, warning: false };
  if (http.state === 'error' || grpc.state === 'error') return { text: '$(warning) Spanlight', warning: true };
  // Beyond loopback is allowed with a token, and worth seeing at a glance while it lasts.
  if (http.state === 'listening') return { text: `${exposed(state) ? '$(globe)' : '$(radio-tower)'} Spanlight :${http.port} · ${count}`, warning: exposed(state) };
  return { text: `$(circle-slash) Spanlight · ${count}`, warning: false };
}

function tooltip(state: StatusBarState): vscode.MarkdownString {
  const { http, grpc } = state.status;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**Spanlight — local OTLP receiver**\n\n');
  md.appendMarkdown(`- OTLP/HTTP: ${describe(http)}${where(state)}\n- OTLP/gRPC: ${describe(grpc)}${where(state)}\n`);
  md.appendMarkdown(`- Stored: ${traces(state)}${state.notLiveReason ? ' (as last seen)' : ''}\n`);
  // As text: the endpoint and error come from settings and servers, not from us.
  if (state.forward) md.appendMarkdown('- Forwarding: ').appendText(describeForward(state.forward)).appendMarkdown('\n');
  if (exposed(state)) {
    md.appendMarkdown('\n$(warning) **Reachable from the network**: other machines that have the auth token can send traces and read them, over plain HTTP and gRPC (no TLS).\n');
  }
  if (state.role === 'follower') md.appendMarkdown('\nAnother VS Code window hosts the receiver; this window shows its traces and takes over when it closes.\n');
  // Our own words, or a receiver error (the owner window's too), which may quote a setting: as text.
  const errors = [http, grpc].flatMap((t) => (t.state === 'error' ? [t.message] : []));
  if (state.notLiveReason) md.appendText(`\n${state.notLiveReason}`);
  else if (errors.length > 0) md.appendText(`\n${errors.join('\n')}`);
  return md;
}

function traces(state: StatusBarState): string {
  if (state.traceCount === undefined) return 'not known yet';
  return `${state.traceCount} trace${state.traceCount === 1 ? '' : 's'}`;
}

/** Said after each transport of a follower: it is the owner window's. */
function where(state: StatusBarState): string {
  return state.role === 'follower' ? ' (in another window)' : '';
}

function exposed(state: StatusBarState): boolean {
  return [state.status.http, state.status.grpc].some((t) => t.state === 'listening' && !isLoopbackHost(t.host));
}

function describeForward(f: ForwardStatus): string {
  const counts = `${f.sent} export${f.sent === 1 ? '' : 's'} sent${f.dropped > 0 ? `, ${f.dropped} dropped` : ''}${f.rejected > 0 ? `, ${f.rejected} refused` : ''}`;
  if (f.state === 'retrying') return `to ${f.endpoint}, retrying (${f.lastError ?? 'unreachable'}); ${counts}`;
  if (f.state === 'rejected') return `to ${f.endpoint}, last export refused (${f.lastError ?? 'error'}); ${counts}`;
  return `to ${f.endpoint}; ${counts}`;
}

function describe(t: TransportStatus): string {
  switch (t.state) {
    case 'listening':
      return `listening on ${t.host}:${t.port}`;
    case 'error':
      return 'not running (error)';
    case 'disabled':
      return 'disabled';
    default:
      return 'stopped';
  }
}
