// Per-call-site stats in the editor: a CodeLens above each line that made spans of the latest traces —
// `12 LLM calls · gpt-4o-mini · p50 1.40 s · 3.1k tokens · $0.021 · 1 error` — which opens the latest of
// them. A recorded source (code attributes, an error's stack) is mapped to its workspace file as Go to
// Source does; a model call that recorded none is placed where its prompt is written (prompt search,
// all of the traces' prompts in one read of the workspace), and its line is found again in the file as
// it is now, so the lens follows edits.
//
// Work is done only while an editor is visible, and at most once a second however fast traces arrive:
// the latest WINDOW traces are read whole (their spans' sources and prompts are not in the index).
import * as vscode from 'vscode';
import { CoalescedTimer } from '../base/coalescedTimer';
import type { Span, TraceChange } from '../protocol/model';
import { CallSiteSamples, siteOf, siteTitle, siteTooltip, statsOf, type SiteGroup, type SiteRef } from '../source/callSites';
import { locatePrompt } from '../source/promptLocator';
import { resolveSourceUri } from './openSource';
import { searchWorkspaceFor, type PromptPlacement, type PromptPlacements } from './promptSearch';
import type { TraceAccess } from './traceAccess';

/** Traces whose spans are counted: the latest, as the list shows them. */
export const WINDOW = 200;
/** Changes are gathered this long before the traces they name are read again. */
const SETTLE_MS = 1000;
/** Traces read at once. */
const READ_CONCURRENCY = 4;
export const OPEN_CALL_SITE_COMMAND = 'spanlight.openCallSite';
/** Prompts looked for in one read of the workspace (see placePrompts). */
const MAX_PROMPTS_PER_SEARCH = 32;

/** Where a site is in the workspace: its file, and for a recorded one its line. */
type Placed = { uri: vscode.Uri; line?: number } | undefined;

export class CallSiteLenses implements vscode.CodeLensProvider, PromptPlacements, vscode.Disposable {
  private readonly samples = new CallSiteSamples();
  /** The traces counted, with their start (ns as a number: only compared), newest kept. */
  private readonly traceStarts = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Recorded sites → their workspace file and line. */
  private readonly recorded = new Map<string, Promise<Placed>>();
  /** Prompt sites → the file their prompt is written in; null: in none (looked for again when files change). */
  private readonly prompts = new Map<string, PromptPlacement | null>();
  private readonly placed = new vscode.EventEmitter<void>();
  readonly onDidPlacePrompts = this.placed.event;
  /** Traces to read again, gathered from changes. */
  private readonly pending = new Set<string>();
  /** Read the latest WINDOW traces afresh (at first, and when the window's source changes). */
  private reloadAll = true;
  private readonly refreshSoon = new CoalescedTimer(SETTLE_MS, () => void this.refresh());
  private running: Promise<void> | undefined;
  private promptSearch: vscode.CancellationTokenSource | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private disposed = false;

  constructor(
    private readonly access: TraceAccess,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const forgetPlaces = (): void => {
      this.recorded.clear();
      this.prompts.clear();
      this.changed.fire();
      this.schedule();
    };
    this.subscriptions = [
      access.onDidChangeTraces((change) => this.onChange(change)),
      access.onDidChangeSource(() => {
        this.reloadAll = true;
        this.schedule();
      }),
      // Files moved, appeared or went: a path or prompt may now be found elsewhere, or found at all.
      vscode.workspace.onDidCreateFiles(forgetPlaces),
      vscode.workspace.onDidDeleteFiles(forgetPlaces),
      vscode.workspace.onDidRenameFiles(forgetPlaces),
      vscode.workspace.onDidChangeWorkspaceFolders(forgetPlaces),
      vscode.workspace.onDidSaveTextDocument((document) => this.onSave(document)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('spanlight.codeLens.enabled')) this.changed.fire();
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!enabled() || document.uri.scheme !== 'file') return [];
    this.schedule();
    const groups = [...this.samples.groups().values()];
    const places = await Promise.all(groups.map((group) => this.place(group.site)));
    // Sites placed on one line are one lens: a recorded line and a prompt found there, or two prompts
    // that begin alike.
    const byLine = new Map<number, SiteGroup[]>();
    let text: string | undefined;
    for (let i = 0; i < groups.length && !token.isCancellationRequested; i++) {
      const place = places[i];
      if (!place || place.uri.toString() !== document.uri.toString()) continue;
      const line = place.line ?? promptLine(groups[i].site, document, (text ??= document.getText()));
      if (line === undefined || line >= document.lineCount) continue;
      byLine.set(line, [...(byLine.get(line) ?? []), groups[i]]);
    }
    return [...byLine].map(([line, here]) => lensOf(here, document.lineAt(line).range));
  }

  dispose(): void {
    this.disposed = true;
    this.refreshSoon.dispose();
    this.promptSearch?.cancel();
    this.promptSearch?.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.placed.dispose();
  }

  /** Where a model call's prompt is written, when this window's lenses have placed its site. */
  placementOf(span: Span): PromptPlacement | undefined {
    const site = siteOf(span);
    return site?.kind === 'prompt' ? (this.prompts.get(site.key) ?? undefined) : undefined;
  }

  private onChange(change: TraceChange): void {
    for (const id of change.removed) {
      this.samples.removeTrace(id);
      this.traceStarts.delete(id);
      this.pending.delete(id);
    }
    for (const summary of [...change.added, ...change.updated]) this.pending.add(summary.traceId);
    // While no editor shows lenses, changes are only gathered: past a few windows' worth, reading the
    // latest afresh is less work than remembering them all.
    if (this.pending.size > 4 * WINDOW) {
      this.pending.clear();
      this.reloadAll = true;
    }
    if (change.removed.length > 0) this.changed.fire();
    this.schedule();
  }

  /** Reads what changed, soon, unless no editor is there to show it (then when one is). */
  private schedule(): void {
    if (this.disposed || this.refreshSoon.pending || !enabled() || vscode.window.visibleTextEditors.length === 0) return;
    if (!this.reloadAll && this.pending.size === 0 && this.unplacedPrompts().length === 0) return;
    this.refreshSoon.schedule();
  }

  private async refresh(): Promise<void> {
    if (this.running) return;
    this.running = this.read()
      .catch((err: unknown) => {
        this.log.warn(`Spanlight: call-site stats: ${err instanceof Error ? err.message : String(err)}`);
        // Not looked for again at once (a failing search would be retried every second): when files change.
        for (const site of this.unplacedPrompts()) this.prompts.set(site.key, null);
      })
      .finally(() => {
        this.running = undefined;
        this.schedule();
      });
    await this.running;
  }

  private async read(): Promise<void> {
    const source = this.access.current();
    if (!source) {
      this.samples.clear();
      this.traceStarts.clear();
      this.changed.fire();
      return;
    }
    let ids: string[];
    if (this.reloadAll) {
      this.reloadAll = false;
      this.pending.clear();
      const { traces } = await source.listTraces({ limit: WINDOW });
      this.samples.clear();
      this.traceStarts.clear();
      ids = traces.map((t) => t.traceId);
    } else {
      ids = [...this.pending];
      this.pending.clear();
    }
    // Under a flood of traces only the latest matter: older ones would be dropped from the window anyway.
    if (ids.length > WINDOW) ids = ids.slice(-WINDOW);
    let next = 0;
    const readNext = async (): Promise<void> => {
      while (next < ids.length && !this.disposed) {
        const traceId = ids[next++];
        const detail = await source.getTrace(traceId);
        if (!detail) {
          this.samples.removeTrace(traceId);
          this.traceStarts.delete(traceId);
          continue;
        }
        this.samples.setTrace(traceId, detail.spans);
        this.traceStarts.set(traceId, Number(detail.summary.startTimeUnixNano));
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, readNext));
    this.trimWindow();
    await this.placePrompts();
    this.changed.fire();
  }

  /** Keeps the latest WINDOW traces. */
  private trimWindow(): void {
    if (this.traceStarts.size <= WINDOW) return;
    const oldest = [...this.traceStarts.entries()].sort((a, b) => a[1] - b[1]).slice(0, this.traceStarts.size - WINDOW);
    for (const [traceId] of oldest) {
      this.traceStarts.delete(traceId);
      this.samples.removeTrace(traceId);
    }
  }

  /** Where a site is; a prompt's file is known once placePrompts has looked (undefined until then). */
  private place(site: SiteRef): Promise<Placed> {
    if (site.kind === 'prompt') {
      const placement = this.prompts.get(site.key);
      return Promise.resolve(placement ? { uri: placement.uri } : undefined);
    }
    const known = this.recorded.get(site.key);
    if (known) return known;
    const placing = resolveSourceUri(site.path).then(
      (uri): Placed => (uri ? { uri, line: Math.max(0, Math.floor(site.line) - 1) } : undefined),
      (): Placed => undefined,
    );
    this.recorded.set(site.key, placing);
    return placing;
  }

  private unplacedPrompts(): Extract<SiteRef, { kind: 'prompt' }>[] {
    const sites: Extract<SiteRef, { kind: 'prompt' }>[] = [];
    for (const { site } of this.samples.groups().values()) if (site.kind === 'prompt' && !this.prompts.has(site.key)) sites.push(site);
    return sites;
  }

  /**
   * A saved file may now hold a prompt that was nowhere, or no longer hold one it held: that file alone
   * is looked at again (a prompt that left it is looked for in the whole workspace at the next refresh).
   */
  private onSave(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || this.prompts.size === 0) return;
    const saved = document.uri.toString();
    let text: string | undefined;
    let changed = false;
    let found = false;
    for (const { site } of this.samples.groups().values()) {
      if (site.kind !== 'prompt' || !this.prompts.has(site.key)) continue;
      const placement = this.prompts.get(site.key);
      if (placement && placement.uri.toString() !== saved) continue;
      const here = promptLine(site, document, (text ??= document.getText())) !== undefined;
      if (here && !placement) {
        this.prompts.set(site.key, { uri: document.uri, files: 1 });
        found = true;
      } else if (!here && placement) this.prompts.delete(site.key);
      else continue;
      changed = true;
    }
    if (!changed) return;
    this.changed.fire();
    if (found) this.placed.fire();
    this.schedule();
  }

  /** The prompts not looked for yet, looked for in one read of the workspace. */
  private async placePrompts(): Promise<void> {
    const unplaced = this.unplacedPrompts();
    if (unplaced.length === 0) return;
    // Each prompt adds a search of every file read: past a few dozen (an app whose prompts begin with
    // the user's words has as many as calls), the rest are taken as not written in the workspace.
    const sites = unplaced.slice(0, MAX_PROMPTS_PER_SEARCH);
    for (const site of unplaced.slice(MAX_PROMPTS_PER_SEARCH)) this.prompts.set(site.key, null);
    if (!vscode.workspace.workspaceFolders?.length) {
      // Nowhere to look (a folder opened later is a change of folders: then they are looked for).
      for (const site of sites) this.prompts.set(site.key, null);
      return;
    }
    // Cancelled by dispose(): a window closing does not wait for a workspace read.
    const search = new vscode.CancellationTokenSource();
    this.promptSearch = search;
    try {
      const results = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Spanlight: placing LLM calls by their prompts' },
        () => searchWorkspaceFor(sites.map((s) => s.needles), search.token),
      );
      results.forEach((result, i) => {
        if (result.kind === 'cancelled') return;
        this.prompts.set(sites[i].key, result.kind === 'found' ? { uri: result.uri, files: result.match.files } : null);
      });
      if (results.some((result) => result.kind === 'found')) this.placed.fire();
    } finally {
      search.dispose();
      this.promptSearch = undefined;
    }
  }
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration('spanlight').get<boolean>('codeLens.enabled', true);
}

/** The line a prompt site's text is on in the document as it is now (0-based); undefined if no longer there. */
function promptLine(site: SiteRef, document: vscode.TextDocument, text: string): number | undefined {
  if (site.kind !== 'prompt') return undefined;
  const located = locatePrompt(site.needles, [{ path: document.uri.toString(), text }]);
  return located.kind === 'found' ? located.match.location.line - 1 : undefined;
}

function lensOf(groups: readonly SiteGroup[], range: vscode.Range): vscode.CodeLens {
  const stats = statsOf(groups.flatMap((group) => group.samples));
  const placedByPrompt = groups.every((group) => group.site.kind === 'prompt');
  return new vscode.CodeLens(range, {
    title: `$(pulse) ${siteTitle(stats)}`,
    tooltip: siteTooltip(stats, placedByPrompt, WINDOW),
    command: OPEN_CALL_SITE_COMMAND,
    arguments: [stats.latest.traceId, stats.latest.spanId],
  });
}
