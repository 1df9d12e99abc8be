// The span detail: one editor-area webview panel, reused and revealed beside the editor, that follows
// the selection in the span tree. It re-renders when its span changes (late log records add messages).
import * as vscode from 'vscode';
import { shownName, type TraceChange } from '../protocol/model';
import type { DetailInbound, DetailOutbound } from '../protocol/messages';
import { copyToClipboard } from './clipboard';
import { linkedStackLines, stackFrameAt } from '../source/resolveSource';
import { openSourceLocation } from './openSource';
import type { PromptSources } from './promptSearch';
import { REPLAY_SPAN_COMMAND } from '../protocol/replay';
import type { TraceAccess } from './traceAccess';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

const TITLE_CHARS = 60;

export class SpanDetailPanel implements vscode.Disposable {
  static readonly viewType = 'spanlight.spanDetail';

  private panel: vscode.WebviewPanel | undefined;
  /** The span shown, and the text to reveal in it (a text search's match). */
  private current: { traceId: string; spanId: string; find?: string } | undefined;
  /** Arrow keys in the tree move fast: only the latest request may render. */
  private generation = 0;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly access: TraceAccess,
    private readonly prompts: PromptSources,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      access.onDidChangeTraces((change) => this.onChange(change)),
      prompts.onDidFind(({ traceId, spanId }) => {
        if (this.current?.traceId === traceId && this.current.spanId === spanId) void this.push();
      }),
    );
  }

  /** Where the detail is, when it is open: code opened from a span goes beside it, not over it. */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel?.viewColumn;
  }

  /** `find`: text to reveal in it, expanded and highlighted where it is (a text search's match). */
  async show(traceId: string, spanId: string, preserveFocus: boolean, find?: string): Promise<void> {
    this.current = find ? { traceId, spanId, find } : { traceId, spanId };
    if (!this.panel) this.create(preserveFocus);
    else if (!this.panel.visible || !preserveFocus) this.panel.reveal(this.panel.viewColumn, preserveFocus);
    await this.push();
  }

  private create(preserveFocus: boolean): void {
    const panel = vscode.window.createWebviewPanel(
      SpanDetailPanel.viewType,
      'Span',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      // Hidden panels are rebuilt on reveal (the page says `ready` again): cheaper than keeping them alive.
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false, enableFindWidget: true },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'spanlight.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { name: 'detail', title: 'Span' });
    this.ready = false;
    this.panel = panel;
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((m: DetailOutbound) => void this.handle(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
        this.ready = false;
      }),
    ];
  }

  /** Reads the current span and posts it; the webview renders only the newest answer. */
  private async push(): Promise<void> {
    const target = this.current;
    const panel = this.panel;
    if (!target || !panel || !this.ready) return; // `ready` pushes again
    const generation = ++this.generation;
    const source = this.access.current();
    const [span, trace] = await Promise.all([source?.getSpan(target.traceId, target.spanId), source?.getSummary(target.traceId)]);
    if (generation !== this.generation || this.panel !== panel) return;
    if (!span || !trace) {
      panel.title = 'Span';
      this.post({ type: 'empty', message: 'This span is no longer stored (deleted, or removed by retention).' });
      return;
    }
    const parent = span.parentSpanId ? await source?.getSpan(target.traceId, span.parentSpanId) : undefined;
    if (generation !== this.generation) return;
    const title = shownName(span);
    panel.title = title.length > TITLE_CHARS ? `${title.slice(0, TITLE_CHARS - 1)}…` : title || 'Span';
    this.post({ type: 'span', span: this.prompts.withKnownSource(span), trace, parentName: parent && shownName(parent), stackLinks: linkedStackLines(span), find: target.find });
    // A model call with no source of its own whose prompt the lenses placed: shown at that line (onDidFind).
    void this.prompts.placeKnown(span);
  }

  private post(message: DetailInbound): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private onChange(change: TraceChange): void {
    const target = this.current;
    if (!target || !this.panel) return;
    const touched = change.spanIds[target.traceId]?.includes(target.spanId) === true;
    if (touched || change.removed.includes(target.traceId)) void this.push();
  }

  private async handle(m: DetailOutbound): Promise<void> {
    try {
      switch (m.type) {
        case 'ready':
          this.ready = true;
          return await this.push();
        case 'copy':
          return await copyToClipboard(m.text, m.label);
        case 'openSpan':
          return await this.show(m.traceId, m.spanId, false);
        case 'openSource': {
          // Also the "Find prompt in workspace" link: without a recorded source, where its prompt is written.
          const span = await this.access.current()?.getSpan(m.traceId, m.spanId);
          if (span) await this.prompts.openSource(span, this.panel?.viewColumn);
          return;
        }
        case 'openFrame': {
          const span = await this.access.current()?.getSpan(m.traceId, m.spanId);
          const frame = span && stackFrameAt(span, m.event, m.line);
          if (frame) await openSourceLocation(frame, this.panel?.viewColumn);
          return;
        }
        case 'replay':
          await vscode.commands.executeCommand(REPLAY_SPAN_COMMAND, m.traceId, m.spanId);
          return;
        case 'filterBySession': {
          const session = (await this.access.current()?.getSpan(m.traceId, m.spanId))?.session;
          const text = m.by === 'user' ? session?.user : session?.id;
          if (text) await vscode.commands.executeCommand('spanlight.filterTraces', text);
          return;
        }
        case 'back':
          // The view's own focus command (`<view id>.focus`); the sidebar puts the focus back on its tree.
          await vscode.commands.executeCommand('spanlight.traces.focus');
          return;
      }
    } catch (err) {
      const text = `Spanlight: ${(err as Error).message}`;
      this.log.error(text);
      void vscode.window.showErrorMessage(text);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
