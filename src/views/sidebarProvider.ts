// The "Traces" webview view (shape of vscode-extension-samples' webview-view-sample): the provider owns its
// view, builds the HTML shell, and routes messages both ways. The list and the tree each have a feed.
import * as vscode from 'vscode';
import type { Event } from '../base/emitter';
import { tracesRequestJson } from '../otlp/encodeJson';
import { isWebviewCommand, type HostRole, type ReceiverView, type SidebarInbound, type SidebarOutbound } from '../protocol/messages';
import type { TraceQuery } from '../protocol/model';
import type { ReceiverStatus } from '../protocol/receiverStatus';
import { REPLAY_SPAN_COMMAND } from '../protocol/replay';
import { readSettings } from '../settings';
import { copyToClipboard } from './clipboard';
import { endpointInfo, envSnippets } from './envSnippets';
import type { PromptSources } from './promptSearch';
import { postOtlpJson } from './postToReceiver';
import { buildSampleTrace, sendSampleTrace, type SampleSink } from './sampleTrace';
import { SelectedTraceFeed } from './selectedTraceFeed';
import type { SpanDetailPanel } from './spanDetailPanel';
import type { TraceAccess } from './traceAccess';
import { searchAllText } from './textSearchPick';
import { TraceListFeed } from './traceListFeed';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

/** What the sidebar reads about the receiver (EngineHost has this shape). */
export interface ReceiverInfo {
  readonly status: ReceiverStatus;
  readonly currentRole: HostRole;
  /** The OTLP/HTTP endpoint, whichever window serves it. */
  readonly httpUrl: string | undefined;
  /** The receiver asks for a bearer token (as last read): the exporter snippets send one. */
  readonly authTokenSet: boolean;
  /** The token itself, for what this window sends to the receiver (the sample trace). */
  authToken(): Promise<string | undefined>;
  readonly onDidChange: Event<void>;
}

export interface SidebarDeps {
  access: TraceAccess;
  receiver: ReceiverInfo;
  detail: SpanDetailPanel;
  prompts: PromptSources;
  /** The ingest pipeline of this window's engine; undefined when another window hosts it. */
  sampleSink: () => SampleSink | undefined;
  log: vscode.LogOutputChannel;
}

/** How long a trace sent to another window's receiver may take to reach this window (selectSentTrace). */
const SENT_TRACE_WAIT_MS = 3000;
/** The filter text a webview message may hand to the text search (it comes from the webview, which renders untrusted content). */
const MAX_TYPED_TEXT = 1000;

/** What a row's menu or key acted on is gone: said as a warning, not as a failure. */
export class NoLongerStoredError extends Error {}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export class SidebarProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'spanlight.traces';

  private view: vscode.WebviewView | undefined;
  private readonly list: TraceListFeed;
  private readonly tree: SelectedTraceFeed;
  private readonly disposables: vscode.Disposable[] = [];
  private viewDisposables: vscode.Disposable[] = [];
  private lastReceiver = '';
  /** Until the webview says `ready`, messages would be lost; a selection made meanwhile waits here. */
  private ready = false;
  private pendingSelection: string | undefined;
  /** A focusFilter asked for before the view had loaded: sent once it has. */
  private pendingFilter: { text?: string } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: SidebarDeps,
  ) {
    const onError = (err: Error): void => deps.log.error(`Spanlight sidebar: ${err.message}`);
    this.list = new TraceListFeed(deps.access, (m) => this.post(m), onError);
    this.tree = new SelectedTraceFeed(deps.access, (m) => this.post(m), onError);
    this.disposables.push(
      deps.access.onDidChangeTraces((change) => {
        if (!this.ready) return; // the next `ready` sends a fresh first page
        this.list.onChange(change);
        this.tree.onChange(change);
      }),
      deps.access.onDidChangeSource(() => {
        void this.list.refresh();
        this.tree.reload();
      }),
      deps.receiver.onDidChange(() => this.postReceiverIfChanged()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, { name: 'sidebar', title: 'Spanlight Traces' });
    for (const d of this.viewDisposables) d.dispose();
    this.viewDisposables = [
      view.webview.onDidReceiveMessage((m: SidebarOutbound) => this.handle(m)),
      // Hidden webview views are torn down; the reloaded page says `ready` again.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    ];
  }

  receiverView(): ReceiverView {
    const { status, currentRole, httpUrl } = this.deps.receiver;
    const settings = readSettings();
    const endpoint = endpointInfo(status, settings, httpUrl);
    return { status, role: currentRole, endpoint, snippets: envSnippets(endpoint, this.deps.receiver.authTokenSet) };
  }

  /** Selects a trace in the list and shows its tree (commands, the sample); opens the view first. */
  async selectTrace(traceId: string): Promise<void> {
    if (!(await this.deps.access.current()?.getSummary(traceId))) {
      void vscode.window.showWarningMessage(`Spanlight: no trace with id ${traceId} is stored.`);
      return;
    }
    await vscode.commands.executeCommand(`${SidebarProvider.viewType}.focus`);
    if (!this.ready) {
      this.pendingSelection = traceId; // sent with `init` once the view has loaded
      return;
    }
    this.post({ type: 'selectTrace', traceId });
    await this.tree.select(traceId);
  }

  async sendSample(): Promise<void> {
    const sink = this.deps.sampleSink();
    let traceId: string;
    if (sink) {
      traceId = sendSampleTrace(sink);
    } else {
      // Another window hosts the receiver: send it there, like an app would.
      const url = this.deps.receiver.httpUrl;
      if (!url) throw new Error('no receiver is running in any window (Spanlight: Start Receiver).');
      const spans = buildSampleTrace();
      await postOtlpJson(url, 'traces', JSON.stringify(tracesRequestJson(spans)), await this.deps.receiver.authToken());
      traceId = spans[0].traceId;
    }
    this.deps.log.info(`Sample trace ${traceId} sent.`);
    await (sink ? this.selectTrace(traceId) : this.selectSentTrace(traceId));
  }

  /**
   * Selects a trace just sent to the receiver over HTTP (the sample from a follower window, an imported
   * file): the receiver stores it before it answers, but a window that follows another hears of it
   * through the owner's change stream moments later, so it is waited for first.
   */
  async selectSentTrace(traceId: string): Promise<void> {
    await waitFor(async () => (await this.deps.access.current()?.getSummary(traceId)) !== undefined, SENT_TRACE_WAIT_MS);
    await this.selectTrace(traceId);
  }

  async setPinned(traceId: string, pinned: boolean): Promise<void> {
    const source = this.deps.access.current();
    // Its menu may have been open while another window deleted it, or retention removed it.
    if (source && !(await source.setPinned(traceId, pinned))) throw new NoLongerStoredError('this trace is no longer stored (deleted, or removed by retention).');
  }

  /** The filters the list shows traces under (none: every trace). */
  get listFilters(): TraceQuery {
    return { ...this.list.query };
  }

  /** The trace open in the span tree, if any. */
  get selectedTraceId(): string | undefined {
    return this.tree.selected;
  }

  async deleteTrace(traceId: string): Promise<void> {
    await this.deps.access.current()?.deleteTrace(traceId);
  }

  /** The span's source location in the editor (Go to Source, F12 on its row). */
  async openSpanSource(traceId: string, spanId: string): Promise<void> {
    const span = await this.deps.access.current()?.getSpan(traceId, spanId);
    if (!span) throw new NoLongerStoredError('this span is no longer stored (its trace was deleted, or removed by retention).');
    // Without one, a model call's prompt is looked for in the workspace (or the status bar says why not).
    await this.deps.prompts.openSource(span, this.deps.detail.viewColumn);
  }

  /**
   * A span found elsewhere (a call-site lens's latest call, a text search's match): its trace selected
   * here, its detail shown. `what` names it in the warning when it is gone meanwhile (the lens may be a
   * second behind a deletion; a search's list is not updated as traces are removed).
   */
  async revealSpan(traceId: string, spanId: string, what: string, find?: string): Promise<void> {
    if (!(await this.deps.access.current()?.getSpan(traceId, spanId))) throw new NoLongerStoredError(`${what} is no longer stored (its trace was deleted, or removed by retention).`);
    await this.selectTrace(traceId);
    await this.deps.detail.show(traceId, spanId, false, find);
  }

  /** Spanlight: Search All Trace Text, with `typed` searched already (by default the list's filter text). */
  searchAllText(typed = this.list.query.q ?? ''): Promise<void> {
    return searchAllText(this.deps.access, (traceId, spanId, found) => this.revealSpan(traceId, spanId, 'this span', found), typed);
  }

  /** The span's detail, focused (a menu's choice, as Enter on its row). */
  openSpan(traceId: string, spanId: string): Promise<void> {
    return this.deps.detail.show(traceId, spanId, false);
  }

  /** A row's menu ran a command: the row it was opened on is outlined no more. */
  menuDone(): void {
    this.post({ type: 'menuDone' });
  }

  /** Focuses the filter box; with `text`, filters the list by it (once the view has loaded, if it had not). */
  async focusFilter(text?: string): Promise<void> {
    await vscode.commands.executeCommand(`${SidebarProvider.viewType}.focus`);
    if (this.ready) this.post({ type: 'focusFilter', text });
    else this.pendingFilter = { text };
  }

  refresh(): Promise<void> {
    this.tree.reload();
    return this.list.refresh();
  }

  private post(message: SidebarInbound): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  private postReceiverIfChanged(): void {
    const receiver = this.receiverView();
    // EngineHost.onDidChange also fires on every store change: only real status changes go out.
    const key = JSON.stringify(receiver);
    if (key === this.lastReceiver) return;
    this.lastReceiver = key;
    this.post({ type: 'status', receiver });
  }

  private async handle(message: SidebarOutbound): Promise<void> {
    try {
      await this.dispatch(message);
    } catch (err) {
      const text = `Spanlight: ${(err as Error).message}`;
      this.deps.log.error(text);
      this.post({ type: 'error', message: text });
    }
  }

  private async dispatch(m: SidebarOutbound): Promise<void> {
    const source = this.deps.access.current();
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const receiver = this.receiverView();
        this.lastReceiver = JSON.stringify(receiver);
        const wanted = this.pendingSelection ?? m.selectedTraceId;
        this.pendingSelection = undefined;
        // A restored selection may have been deleted (or removed by retention) meanwhile.
        const selected = wanted && (await source?.getSummary(wanted)) ? wanted : undefined;
        await this.list.init(m.query ?? {}, (page) => ({ type: 'init', receiver, ...page, selectedTraceId: selected }));
        await this.tree.select(selected);
        if (this.pendingFilter) this.post({ type: 'focusFilter', ...this.pendingFilter });
        this.pendingFilter = undefined;
        return;
      }
      case 'query':
        return this.list.answer(m.query);
      case 'openTrace':
        await this.tree.select(m.traceId);
        return;
      case 'closeTrace':
        await this.tree.select(undefined);
        return;
      case 'openSpan':
        return this.deps.detail.show(m.traceId, m.spanId, m.preserveFocus);
      case 'openSource':
        return this.openSpanSource(m.traceId, m.spanId);
      case 'replay':
        // Through the command, which checks the ids as it does the detail's and the row menu's.
        await vscode.commands.executeCommand(REPLAY_SPAN_COMMAND, m.traceId, m.spanId);
        return;
      case 'pin':
        return this.setPinned(m.traceId, m.pinned);
      case 'delete':
        return this.deleteTrace(m.traceId);
      case 'clearAll':
        // The command asks for confirmation in a modal dialog.
        await vscode.commands.executeCommand('spanlight.clearTraces');
        return;
      case 'sendSample':
        return this.sendSample();
      case 'copy':
        return copyToClipboard(m.text, m.label);
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'spanlight.receiver');
        return;
      case 'searchAllText':
        // Not awaited: the quick pick stays open while the sidebar goes on answering.
        void this.searchAllText(typeof m.q === 'string' ? m.q.slice(0, MAX_TYPED_TEXT) : '');
        return;
      case 'command':
        if (!isWebviewCommand(m.command)) throw new Error(`the sidebar asked to run "${String(m.command)}", which it may not`);
        await vscode.commands.executeCommand(m.command);
        return;
    }
  }

  dispose(): void {
    this.list.dispose();
    for (const d of [...this.viewDisposables, ...this.disposables].reverse()) d.dispose();
  }
}
