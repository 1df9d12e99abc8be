// Spanlight: Search All Trace Text. A quick pick whose input is the text to find: every stored span is
// read (TraceSource.searchText: its messages, tool calls, attributes and events whole, where the trace
// list's filter sees names and the edges of long texts), and the spans that hold it are listed as they
// are found, each with what holds the text and the words around it. Choosing one selects its trace in
// the sidebar and opens the span's detail.
import * as vscode from 'vscode';
import { CoalescedTimer } from '../base/coalescedTimer';
import { notificationText } from '../base/notificationText';
import { formatAge, formatCount, formatCountOf, nanoToMs } from '../protocol/format';
import type { TextSearchMatch, TextSearchResult } from '../protocol/model';
import type { TraceAccess } from './traceAccess';

const TITLE = 'Search All Trace Text';
/** A search starts once typing pauses this long. */
const TYPING_MS = 300;
/** Matches found meanwhile are shown at most this often (each redraw of the list is VS Code's work). */
const REDRAW_MS = 100;

interface MatchItem extends vscode.QuickPickItem {
  match: TextSearchMatch;
}

/**
 * Opens the search with `initial` typed (and searched) already; resolves once it is closed. `open` shows
 * a match's span, with the text searched for revealed in it.
 */
export function searchAllText(access: TraceAccess, open: (traceId: string, spanId: string, text: string) => Promise<void>, initial = ''): Promise<void> {
  return new Promise((resolve) => {
    const search = new TextSearchPick(access, open, initial);
    search.onClosed = resolve;
  });
}

class TextSearchPick {
  private readonly pick = vscode.window.createQuickPick<MatchItem>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Restarted by each key: the search runs once typing pauses. */
  private typing: NodeJS.Timeout | undefined;
  private readonly redraw = new CoalescedTimer(REDRAW_MS, () => this.showItems());
  private running: AbortController | undefined;
  private matches: TextSearchMatch[] = [];
  /** The text the listed matches were found for (the input may have changed since). */
  private searched = '';
  onClosed: () => void = () => undefined;

  constructor(
    private readonly access: TraceAccess,
    private readonly open: (traceId: string, spanId: string, text: string) => Promise<void>,
    initial: string,
  ) {
    const pick = this.pick;
    pick.title = TITLE;
    pick.placeholder = 'Text in any stored span: prompts, answers, tool calls, attributes, events';
    // The typed text also highlights where it is in each snippet.
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.value = initial;
    this.disposables.push(
      pick.onDidChangeValue(() => {
        this.stop();
        clearTimeout(this.typing);
        this.typing = setTimeout(() => void this.run(this.pick.value), TYPING_MS);
      }),
      pick.onDidAccept(() => void this.accept()),
      pick.onDidHide(() => this.dispose()),
    );
    pick.show();
    if (initial.trim()) void this.run(initial);
  }

  private async run(typed: string): Promise<void> {
    clearTimeout(this.typing);
    this.stop();
    this.matches = [];
    this.showItems();
    const text = typed.trim();
    const source = this.access.current();
    if (!text || !source) {
      this.pick.busy = false;
      this.pick.title = text ? `${TITLE}: no trace store is open (start the receiver)` : TITLE;
      return;
    }
    const running = new AbortController();
    this.running = running;
    this.searched = text;
    this.pick.busy = true;
    this.pick.title = `${TITLE}: searching…`;
    let result: TextSearchResult;
    try {
      result = await source.searchText(text, {
        signal: running.signal,
        onProgress: (scanned, total) => {
          if (this.running === running) this.pick.title = `${TITLE}: searching… ${percent(scanned, total)} of ${formatCountOf(total, 'span')}`;
        },
        onMatch: (match) => {
          if (this.running !== running) return;
          this.matches.push(match);
          this.redraw.schedule();
        },
      });
    } catch (err) {
      if (this.running !== running) return;
      this.running = undefined;
      this.pick.busy = false;
      this.pick.title = `${TITLE}: the search failed`;
      void vscode.window.showErrorMessage(`Spanlight: the search for "${text}" failed: ${notificationText((err as Error).message)}`);
      return;
    }
    if (this.running !== running) return;
    this.running = undefined;
    this.matches = result.matches;
    this.showItems();
    this.pick.busy = false;
    this.pick.title = `${TITLE}: ${resultLine(text, result)}`;
  }

  private showItems(): void {
    const now = Date.now();
    this.pick.items = this.matches.map(
      (match): MatchItem => ({
        label: match.spanName,
        description: `${match.traceName} · ${formatAge(nanoToMs(match.startTimeUnixNano), now)}`,
        detail: `${match.where}: ${match.snippet}`,
        // The items are what the search found: the quick pick's own filter must not hide any.
        alwaysShow: true,
        match,
      }),
    );
  }

  private async accept(): Promise<void> {
    const item = this.pick.selectedItems[0] ?? this.pick.activeItems[0];
    if (!item) {
      // Enter before the pause ran the search: run it now (and not again while it runs).
      if (!this.running) await this.run(this.pick.value);
      return;
    }
    this.pick.hide();
    try {
      await this.open(item.match.traceId, item.match.spanId, this.searched);
    } catch (err) {
      void vscode.window.showWarningMessage(`Spanlight: ${notificationText((err as Error).message)}`);
    }
  }

  private stop(): void {
    this.running?.abort();
    this.running = undefined;
  }

  private dispose(): void {
    this.stop();
    clearTimeout(this.typing);
    this.redraw.dispose();
    for (const d of this.disposables) d.dispose();
    this.pick.dispose();
    this.onClosed();
  }
}

function percent(scanned: number, total: number): string {
  return total > 0 ? `${Math.min(100, Math.floor((scanned / total) * 100))}%` : '0%';
}

/** What the title says once a search is done. */
export function resultLine(text: string, result: TextSearchResult): string {
  const count = result.matches.length;
  if (count === 0) return `no stored span holds "${text}" (${formatCountOf(result.scannedSpans, 'span')} read)`;
  const traces = new Set(result.matches.map((m) => m.traceId)).size;
  const found = `${formatCountOf(count, 'span')} in ${formatCountOf(traces, 'trace')}`;
  return result.stopped === 'limit' ? `the first ${found}, newest first (${formatCount(result.scannedSpans)} of ${formatCount(result.totalSpans)} spans read): type more to narrow it` : found;
}
