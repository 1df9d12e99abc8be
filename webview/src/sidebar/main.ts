// The sidebar app: wires the host bridge, the normalized state (list + tree), and the components.
// Host messages are applied in batches, once per animation frame, then only what changed is repainted.
// The vscode-elements used anywhere in the sidebar are registered here, at the entry point, so that the
// component modules stay importable (and testable) without a browser.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { TraceQuery, TraceSummary } from '../../../src/protocol/model';
import type { PackedSpanRows, ReceiverView, SidebarInbound, SidebarOutbound } from '../../../src/protocol/messages';
import { clearMenuTargets, el } from '../shared/dom';
import { FrameBatcher } from '../shared/frameBatcher';
import { nextFrame } from '../shared/nextFrame';
import { connectToHost } from '../shared/vscodeApi';
import { renderEmptyState } from './emptyState';
import { FilterBar } from './filterBar';
import { receiverHealth, renderReceiverStatus } from './receiverStatusView';
import { SpanTreeView } from './spanTreeView';
import { unpackSpanRows } from './packedRows';
import { Splitter } from './splitter';
import { TraceListState } from './traceListState';
import { TraceListView } from './traceListView';
import { SpanTreeState } from './treeState';

interface SavedState {
  query: TraceQuery;
  selectedTraceId?: string;
  split: number;
  /** Collapsed spans of the selected trace, restored when the view reloads. */
  collapsed?: { traceId: string; ids: string[] };
}

const PAGE = 500;
const AGE_TICK_MS = 5000;
/** Arrow keys repeat fast: load a trace or a span detail only once the selection rests. */
const KEYBOARD_SETTLE_MS = 120;
const MAX_SAVED_COLLAPSED = 500;

const host = connectToHost<SidebarInbound, SidebarOutbound, SavedState>();
const post = (m: SidebarOutbound): void => host.post(m);
const saved = host.loadState();
const ui: SavedState = { query: saved.query ?? {}, selectedTraceId: saved.selectedTraceId, split: saved.split ?? 0.45, collapsed: saved.collapsed };
const save = (): void => host.saveState(ui);

const list = new TraceListState();
const tree = new SpanTreeState();
let receiver: ReceiverView | undefined;
let loadingMore = false;
/** Set when the filters were cleared to show the selected trace: its row is revealed once the new page comes. */
let revealOnReload = false;
let restoreCollapsed = ui.collapsed;
/** The trace whose tree takes the focus once its rows arrive (Enter on a row whose tree was not loaded yet). */
let focusTreeWhenLoaded: string | undefined;

const app = document.getElementById('app') as HTMLElement;
const banner = el('div', { className: 'banner', testId: 'receiver-banner' });
const errorLine = el('div', { className: 'error-line', testId: 'sidebar-error', attrs: { role: 'alert' } });
const emptyHost = el('div', { className: 'empty-host' });
const noMatch = el('div', { className: 'no-match', testId: 'no-match', text: 'No traces match these filters.' });

const listView = new TraceListView(list, {
  select: (id, viaKeyboard) => selectTrace(id, viaKeyboard),
  open: (id) => {
    if (tree.traceId !== id) selectTrace(id, false);
    // Its rows may still be on their way (Enter right after an arrow key): then the focus follows them.
    if (tree.traceId === id && tree.size > 0) treeView.focus();
    else focusTreeWhenLoaded = id;
  },
  pin: (id, pinned) => post({ type: 'pin', traceId: id, pinned }),
  remove: (id) => post({ type: 'delete', traceId: id }),
  loadMore: () => {
    if (loadingMore) return;
    loadingMore = true;
    post({ type: 'query', query: { ...ui.query, offset: list.size, limit: PAGE } });
  },
});

let spanTimer: ReturnType<typeof setTimeout> | undefined;
const treeView = new SpanTreeView(tree, {
  openSpan: (spanId, preserveFocus) => {
    const traceId = tree.traceId;
    if (!traceId) return;
    if (spanTimer) clearTimeout(spanTimer);
    const send = (): void => post({ type: 'openSpan', traceId, spanId, preserveFocus });
    if (preserveFocus) spanTimer = setTimeout(send, KEYBOARD_SETTLE_MS / 2);
    else send();
  },
  openSource: (spanId) => {
    if (tree.traceId) post({ type: 'openSource', traceId: tree.traceId, spanId });
  },
  replay: (spanId) => {
    if (tree.traceId) post({ type: 'replay', traceId: tree.traceId, spanId });
  },
  exportTrace: () => post({ type: 'command', command: 'spanlight.exportTrace' }),
  expansionChanged: () => {
    if (tree.traceId) ui.collapsed = { traceId: tree.traceId, ids: [...tree.collapsed].slice(0, MAX_SAVED_COLLAPSED) };
    save();
  },
});

const filterBar = new FilterBar(
  ui.query,
  (query) => {
    ui.query = query;
    save();
    loadingMore = false;
    post({ type: 'query', query: { ...query, offset: 0, limit: PAGE } });
  },
  () => listView.focus(),
  (text) => post({ type: 'searchAllText', q: text }),
);

const split = el('div', { className: 'split' });
const listSection = el('section', { className: 'list-section' }, [listView.element, noMatch]);
const splitter = new Splitter(split, ui.split, (ratio) => {
  ui.split = ratio;
  save();
});
split.append(listSection, splitter.element, treeView.element);
const content = el('div', { className: 'content' }, [filterBar.element, split]);
app.append(banner, errorLine, emptyHost, content);
errorLine.hidden = true;

let treeTimer: ReturnType<typeof setTimeout> | undefined;
function selectTrace(traceId: string, viaKeyboard: boolean): void {
  if (focusTreeWhenLoaded !== traceId) focusTreeWhenLoaded = undefined;
  if (ui.selectedTraceId === traceId && tree.traceId === traceId) return;
  ui.selectedTraceId = traceId;
  save();
  tree.clear();
  treeView.reset();
  treeView.showSummary(list.get(traceId));
  if (treeTimer) clearTimeout(treeTimer);
  const send = (): void => {
    performance.mark(`spanlight:open:${traceId}`); // see measureOpen
    opening = { traceId, painted: false };
    post({ type: 'openTrace', traceId });
  };
  if (viaKeyboard) treeTimer = setTimeout(send, KEYBOARD_SETTLE_MS);
  else send();
}

function applyTracesChanged(m: Extract<SidebarInbound, { type: 'tracesChanged' }>): void {
  const selected = ui.selectedTraceId;
  // The selected trace removed (its menu's Delete, another window, retention): its neighbour is
  // selected, as after the Delete key, rather than the list jumping back to its top.
  const gone = selected !== undefined && m.removed.includes(selected);
  const next = gone ? list.replacementFor(selected, new Set(m.removed)) : undefined;
  list.applyDelta(m);
  if (gone) return selectAfterRemoval(next);
  // A pin changes no row of the tree, only its summary (which its context menu reads).
  const summary = m.upserted.find((t) => t.traceId === selected);
  if (summary) treeView.showSummary(summary);
}

function selectAfterRemoval(next: string | undefined): void {
  if (!next || list.indexOf(next) < 0) return clearSelection();
  // The focus moves with it when it was on the list (a keyboard user deleting from the menu).
  const listHadFocus = Boolean(document.activeElement?.closest('.trace-row'));
  listView.setSelected(next, { reveal: true, focus: listHadFocus });
  selectTrace(next, true);
}

function clearSelection(): void {
  ui.selectedTraceId = undefined;
  ui.collapsed = undefined;
  save();
  tree.clear();
  treeView.reset();
  treeView.showSummary(undefined);
  listView.setSelected(undefined);
}

function sameFilters(a: TraceQuery, b: TraceQuery): boolean {
  return (a.q ?? '') === (b.q ?? '') && (a.service ?? '') === (b.service ?? '') && (a.model ?? '') === (b.model ?? '') && (a.status ?? '') === (b.status ?? '');
}

function filtersActive(): boolean {
  return Boolean(ui.query.q || ui.query.service || ui.query.model || ui.query.status);
}

function loadRows(traceId: string, summary: TraceSummary, packed: PackedSpanRows, full: boolean): void {
  if (traceId !== ui.selectedTraceId) return;
  const rows = unpackSpanRows(packed);
  const fresh = tree.traceId !== traceId;
  if (full || fresh) tree.load(traceId, rows);
  else tree.applyDelta(traceId, rows);
  if (fresh && restoreCollapsed?.traceId === traceId) {
    for (const id of restoreCollapsed.ids) tree.setExpanded(id, false);
  }
  if (fresh) restoreCollapsed = undefined;
  treeView.showSummary(summary);
  measureOpen(traceId, summary);
}

/**
 * Benchmarks read performance.getEntriesByName(…): 'spanlight:open-trace' (request → first rows painted)
 * and 'spanlight:open-trace-complete' (request → every row of the trace in the tree).
 */
let opening: { traceId: string; painted: boolean } | undefined;
function measureOpen(traceId: string, summary: TraceSummary): void {
  if (opening?.traceId !== traceId) return;
  const mark = `spanlight:open:${traceId}`;
  const first = !opening.painted;
  const complete = tree.size >= summary.spanCount;
  opening.painted = true;
  if (complete) opening = undefined;
  // The batch painted the rows in this frame; the next frame callback runs once they are on screen.
  requestAnimationFrame(() => {
    const detail = { traceId, rows: tree.size };
    if (first) performance.measure('spanlight:open-trace', { start: mark, detail });
    if (complete) performance.measure('spanlight:open-trace-complete', { start: mark, detail });
  });
}

function applyBatch(batch: SidebarInbound[]): void {
  let listChanged = false;
  let treeChanged = false;
  let modeChanged = false;
  listView.rememberAnchor();
  for (const m of batch) {
    switch (m.type) {
      case 'init':
        receiver = m.receiver;
        list.replace(m.traces, m.total, ui.query);
        loadingMore = false;
        if (!m.selectedTraceId && ui.selectedTraceId) clearSelection();
        else if (m.selectedTraceId) ui.selectedTraceId = m.selectedTraceId;
        listChanged = modeChanged = true;
        break;
      case 'status':
        receiver = m.receiver;
        modeChanged = true;
        break;
      case 'traces':
        if (!sameFilters(m.query, ui.query)) break; // an answer to filters the user already changed
        if ((m.query.offset ?? 0) > 0) {
          list.appendPage(m.traces, m.total);
          loadingMore = false;
        } else {
          list.replace(m.traces, m.total, ui.query);
          // Filters cleared to show a trace the host selected: its row is in this page, maybe far down.
          if (revealOnReload) listView.setSelected(ui.selectedTraceId, { reveal: true });
          revealOnReload = false;
        }
        listChanged = modeChanged = true;
        break;
      case 'tracesChanged':
        applyTracesChanged(m);
        listChanged = modeChanged = true;
        break;
      case 'traceRows':
      case 'traceRowsDelta':
        loadRows(m.traceId, m.summary, m.rows, m.type === 'traceRows');
        treeChanged = true;
        break;
      case 'selectTrace':
        selectTraceFromHost(m.traceId);
        modeChanged = true;
        break;
      case 'focusFilter':
        if (m.text !== undefined) filterBar.filterBy(m.text);
        filterBar.focus();
        break;
      case 'menuDone':
        clearMenuTargets();
        break;
      case 'error':
        errorLine.textContent = m.message;
        errorLine.hidden = false;
        break;
    }
  }
  if (modeChanged) renderMode();
  if (listChanged) {
    listView.update();
    filterBar.setOptions(list.serviceOptions(), list.modelOptions());
    filterBar.setCount(list.size, list.total, filtersActive());
    noMatch.hidden = !(list.size === 0 && filtersActive());
  }
  if (treeChanged) treeView.update();
  // The batch runs inside an animation frame: paint in it rather than one frame later (POST → visible).
  if (listChanged) listView.paint();
  if (treeChanged) treeView.paint();
  if (treeChanged && focusTreeWhenLoaded !== undefined && focusTreeWhenLoaded === tree.traceId && tree.size > 0) {
    focusTreeWhenLoaded = undefined;
    // Unless the user moved on meanwhile (the list keeps the focus while they browse it).
    if (ui.selectedTraceId === tree.traceId) treeView.focus();
  }
}

/**
 * A trace chosen outside the list (a text search's match, a lens, Open Trace by ID). If the filters hide
 * it, they are cleared: a selected trace whose row is nowhere to be seen reads as a failure.
 */
function selectTraceFromHost(traceId: string): void {
  ui.selectedTraceId = traceId;
  if (!list.get(traceId) && filtersActive()) {
    revealOnReload = true;
    filterBar.clear();
  }
  save();
  if (tree.traceId !== traceId) {
    tree.clear();
    treeView.reset();
  }
  treeView.showSummary(list.get(traceId));
  listView.setSelected(traceId, { reveal: true });
}

let lastMode = '';
function renderMode(): void {
  if (!receiver) return;
  const empty = list.total === 0 && !filtersActive() && !ui.selectedTraceId;
  const health = receiverHealth(receiver);
  const key = `${empty}|${JSON.stringify(receiver)}`;
  if (key === lastMode) return;
  lastMode = key;
  content.hidden = empty;
  emptyHost.hidden = !empty;
  emptyHost.replaceChildren(...(empty ? [renderEmptyState(receiver, post)] : []));
  // With traces on screen the receiver shows only when something needs attention.
  const attention = !empty && (health === 'error' || health === 'follower' || health === 'stopped');
  banner.hidden = !attention;
  banner.replaceChildren(...(attention ? [renderReceiverStatus(receiver, post)] : []));
  if (!empty) listView.setSelected(ui.selectedTraceId);
}

// Ctrl/Cmd+F inside the webview: a webview view has no find widget, so the key means "filter" here too;
// with Shift, Search All Trace Text for the filter's text. (The package.json keybindings cover focus on
// the view's title bar: inside the webview VS Code does not count the view as focused, and would take
// Ctrl+Shift+F to its own Find in Files, so that key is not handed on to it.)
document.addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 'f') return;
  e.preventDefault();
  if (!e.shiftKey) return filterBar.focus();
  e.stopPropagation();
  post({ type: 'searchAllText', q: filterBar.query().q ?? '' });
});

// Coming back to the view by keyboard ("Focus on Traces View", or back from the detail panel) put the
// focus on the page itself, where arrow keys do nothing: it goes back to the list or tree it left.
let lastArea: 'list' | 'tree' | undefined;
document.addEventListener('focusin', (e) => {
  const target = e.target as Element | null;
  if (target?.closest('.trace-row')) lastArea = 'list';
  else if (target?.closest('.span-row')) lastArea = 'tree';
});
window.addEventListener('focus', () => {
  // Once the page's own focus has settled (VS Code focuses the frame, then its body, in steps that take
  // longer on a busy machine): only while nothing inside has the focus.
  for (const delayMs of [0, 60, 200]) {
    setTimeout(() => {
      if (document.activeElement !== document.body || !document.hasFocus()) return;
      if (lastArea === 'tree') treeView.focus();
      else if (lastArea === 'list') listView.focus();
    }, delayMs);
  }
});

const batcher = new FrameBatcher<SidebarInbound>(applyBatch, nextFrame);
host.onMessage((m) => batcher.push(m));
setInterval(() => listView.tickAges(Date.now()), AGE_TICK_MS);
content.hidden = true;
emptyHost.hidden = true;
banner.hidden = true;
post({ type: 'ready', query: ui.query, selectedTraceId: ui.selectedTraceId });
