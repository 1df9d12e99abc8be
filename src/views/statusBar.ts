// The status bar item: where the receiver listens and how many traces it holds, or what went wrong.
import * as vscode from 'vscode';
import type { HostRole } from '../host/engineHost';
import type { ForwardStatus } from '../protocol/model';
import type { ReceiverStatus } from '../protocol/receiverStatus';

export class ReceiverStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private status: ReceiverStatus = { http: { state: 'stopped' }, grpc: { state: 'stopped' } };
  private traceCount = 0;
  private role: HostRole = 'starting';
  private forward: ForwardStatus | undefined;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('spanlight.receiver', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Spanlight Receiver';
    this.item.command = command;
    this.render();
    this.item.show();
  }

  setStatus(status: ReceiverStatus, role: HostRole): void {
    this.status = status;
    this.role = role;
    this.render();
  }

  /** Forwarding upstream, when this window forwards. */
  setForward(forward: ForwardStatus | undefined): void {
    this.forward = forward;
    this.render();
  }

  setTraceCount(count: number): void {
    if (count === this.traceCount) return;
    this.traceCount = count;
    this.render();
  }

  private render(): void {
    const { http, grpc } = this.status;
    const errors = [http, grpc].filter((t) => t.state === 'error');
    const traces = `${this.traceCount} trace${this.traceCount === 1 ? '' : 's'}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown('**Spanlight — local OTLP receiver**\n\n');
    tooltip.appendMarkdown(`- OTLP/HTTP: ${describe(http)}\n- OTLP/gRPC: ${describe(grpc)}\n- Stored: ${traces}\n`);
    // As text: the endpoint and error come from settings and servers, not from us.
    if (this.forward) tooltip.appendMarkdown('- Forwarding: ').appendText(describeForward(this.forward)).appendMarkdown('\n');
    if (this.role === 'follower') {
      this.item.text = '$(radio-tower) Spanlight (other window)';
      this.item.backgroundColor = undefined;
      tooltip.appendMarkdown('\nAnother VS Code window hosts the receiver; this window takes over when it closes.');
    } else if (errors.length > 0) {
      this.item.text = '$(warning) Spanlight';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      // Trace content never goes into the status bar; only our own messages do.
      tooltip.appendText(`\n${errors.map((t) => (t.state === 'error' ? t.message : '')).join('\n')}`);
    } else if (http.state === 'listening') {
      this.item.text = `$(radio-tower) Spanlight :${http.port} · ${this.traceCount}`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = `$(circle-slash) Spanlight · ${this.traceCount}`;
      this.item.backgroundColor = undefined;
    }
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Spanlight receiver: ${describe(http)}, ${traces}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}

function describeForward(f: ForwardStatus): string {
  const counts = `${f.sent} export${f.sent === 1 ? '' : 's'} sent${f.dropped > 0 ? `, ${f.dropped} dropped` : ''}${f.rejected > 0 ? `, ${f.rejected} refused` : ''}`;
  if (f.state === 'retrying') return `to ${f.endpoint}, retrying (${f.lastError ?? 'unreachable'}); ${counts}`;
  if (f.state === 'rejected') return `to ${f.endpoint}, last export refused (${f.lastError ?? 'error'}); ${counts}`;
  return `to ${f.endpoint}; ${counts}`;
}

function describe(t: ReceiverStatus['http']): string {
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
