// The span tree + waterfall of the selected trace: a header with the trace totals and one virtualized
// treegrid-like list (role tree). Arrow keys move and open the detail without stealing focus; Left/Right
// collapse/expand; Enter opens the detail focused; F12 opens the span's source; R replays a model call.
import { menuContextAttribute } from '../../../src/protocol/messages';
import { isModelCallOperation, type TraceSummary } from '../../../src/protocol/model';
import { el, iconButton, markMenuTarget } from '../shared/dom';
import { formatTraceCost, formatDuration, formatTokenPair } from '../../../src/protocol/format';
import { VirtualList } from '../shared/virtualList';
import { createSpanRow, renderSpanRow, SPAN_ROW_HEIGHT } from './spanRowView';
import type { SpanTreeState } from './treeState';

export interface SpanTreeActions {
  /** `preserveFocus`: keep the keyboard in the tree (arrows, clicks); Enter moves into the detail. */
  openSpan(spanId: string, preserveFocus: boolean): void;
  /** Expansion changed (saved with the UI state). */
  expansionChanged(): void;
  /** The span's source location in the editor (F12, as Go to Definition). */
  openSource(spanId: string): void;
  /** The model call's replay (R). */
  replay(spanId: string): void;
  /** Export Trace… for the trace shown (the host's command exports the selected trace). */
  exportTrace(): void;
}

export class SpanTreeView {
  readonly element: HTMLElement;
  private readonly title = el('span', { className: 'tree-title', testId: 'tree-title' });
  private readonly stats = {
    duration: el('span', { testId: 'tree-duration' }),
    spans: el('span', { testId: 'tree-span-count' }),
    tokens: el('span', { testId: 'tree-tokens' }),
    cost: el('span', { testId: 'tree-cost' }),
  };
  private readonly placeholder = el('div', { className: 'tree-placeholder', testId: 'tree-placeholder', text: 'Select a trace to see its spans.' });
  private readonly scroller: HTMLElement;
  private readonly list: VirtualList;
  private selectedId: string | undefined;

  constructor(
    private readonly state: SpanTreeState,
    private readonly actions: SpanTreeActions,
  ) {
    this.scroller = el('div', { className: 'scroller span-tree', testId: 'span-tree', attrs: { role: 'tree', 'aria-label': 'Spans' } });
    const header = el('div', { className: 'tree-header' }, [
      el('div', { className: 'tree-heading' }, [this.title]),
      el('div', { className: 'tree-stats' }, [this.stats.duration, this.stats.spans, this.stats.tokens, this.stats.cost]),
      el('div', { className: 'tree-actions' }, [
        iconButton('expand-all', 'Expand all', 'expand-all', 'tree-expand-all'),
        iconButton('collapse-all', 'Collapse all', 'collapse-all', 'tree-collapse-all'),
        iconButton('export', 'Export trace…', 'export', 'tree-export'),
      ]),
    ]);
    header.addEventListener('click', (e) => this.onHeaderClick(e));
    // Right-clicking the header is right-clicking the trace (its trace id comes from the section).
    header.dataset.vscodeContext = menuContextAttribute({ webviewSection: 'trace', preventDefaultContextMenuItems: true });
    this.element = el('section', { className: 'tree-section', testId: 'tree-section' }, [header, this.placeholder, this.scroller]);
    this.list = new VirtualList({
      scroller: this.scroller,
      rowHeight: SPAN_ROW_HEIGHT,
      overscan: 12,
      createRow: createSpanRow,
      renderRow: (row, index) => this.renderRow(row, index),
      pinnedIndex: () => this.state.indexOf(this.selectedId),
    });
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('keydown', (e) => this.onKeyDown(e));
    markMenuTarget(this.scroller, '.span-row');
    this.showSummary(undefined);
  }

  get selected(): string | undefined {
    return this.selectedId;
  }

  showSummary(summary: TraceSummary | undefined): void {
    this.element.classList.toggle('empty', summary === undefined);
    this.placeholder.hidden = summary !== undefined;
    this.scroller.hidden = summary === undefined;
    // The trace every row's context menu is about (merged into theirs by VS Code).
    if (summary) this.element.dataset.vscodeContext = menuContextAttribute({ traceId: summary.traceId, tracePinned: summary.pinned });
    else delete this.element.dataset.vscodeContext;
    if (!summary) {
      this.title.textContent = 'Spans';
      for (const s of Object.values(this.stats)) s.textContent = '';
      return;
    }
    this.title.textContent = summary.rootName || summary.traceId;
    this.title.title = `${summary.rootName}\ntrace ${summary.traceId}`;
    this.stats.duration.textContent = formatDuration(summary.durationMs);
    this.stats.spans.textContent = `${summary.spanCount} span${summary.spanCount === 1 ? '' : 's'}`;
    this.stats.tokens.textContent = formatTokenPair(summary.inputTokens, summary.outputTokens) ?? '';
    this.stats.tokens.hidden = summary.inputTokens === 0 && summary.outputTokens === 0;
    const cost = formatTraceCost(summary.costUsd, summary.unpricedCallCount);
    this.stats.cost.textContent = cost.text;
    this.stats.cost.title = cost.title;
    this.stats.cost.hidden = summary.llmCallCount === 0;
  }

  /** The state changed (rows, structure or expansion). */
  update(): void {
    this.list.setCount(this.state.visibleRows().length);
    this.list.invalidate();
  }

  /** Paints now: called at the end of a message batch, which already runs inside an animation frame. */
  paint(): void {
    this.list.paintNow();
  }

  /** A new trace: back to the top, nothing selected. */
  reset(): void {
    this.selectedId = undefined;
    this.scroller.scrollTop = 0;
    this.update();
  }

  focus(): void {
    const id = this.selectedId ?? this.state.visibleRows()[0]?.id;
    if (id) this.select(id, { focus: true, open: false });
  }

  private renderRow(row: HTMLElement, index: number): void {
    const visible = this.state.visibleRows()[index];
    const data = visible ? this.state.row(visible.id) : undefined;
    if (!visible || !data) return;
    const selectedIndex = this.state.indexOf(this.selectedId);
    renderSpanRow(row, data, {
      visible,
      layout: this.state.layout(data),
      selected: visible.id === this.selectedId,
      focusable: selectedIndex >= 0 ? index === selectedIndex : index === 0,
      expanded: !this.state.collapsed.has(visible.id),
    });
  }

  private select(spanId: string, how: { focus: boolean; open: boolean; preserveFocus?: boolean }): void {
    this.selectedId = spanId;
    const index = this.state.indexOf(spanId);
    this.list.invalidate();
    if (index >= 0) {
      this.list.reveal(index);
      this.list.paintNow();
      if (how.focus) this.list.rowAt(index)?.focus({ preventScroll: true });
    }
    if (how.open) this.actions.openSpan(spanId, how.preserveFocus ?? true);
  }

  private setExpanded(spanId: string, expanded: boolean): void {
    this.state.setExpanded(spanId, expanded);
    this.update();
    this.actions.expansionChanged();
  }

  private onHeaderClick(e: MouseEvent): void {
    const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action === 'export') return this.actions.exportTrace();
    if (action === 'expand-all') this.state.expandAll();
    else if (action === 'collapse-all') this.state.collapseAll();
    else return;
    this.update();
    this.actions.expansionChanged();
  }

  private onClick(e: MouseEvent): void {
    const row = (e.target as Element).closest<HTMLElement>('.span-row');
    const spanId = row?.dataset.spanId;
    if (!spanId) return;
    if ((e.target as Element).closest('[data-action="toggle"]')) {
      this.setExpanded(spanId, this.state.collapsed.has(spanId));
      return;
    }
    this.select(spanId, { focus: true, open: true, preserveFocus: true });
  }

  private onKeyDown(e: KeyboardEvent): void {
    const rows = this.state.visibleRows();
    if (rows.length === 0) return;
    const current = this.selectedId;
    const index = this.state.indexOf(current);
    const moveTo = (i: number): void => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (target && target.id !== current) this.select(target.id, { focus: true, open: true, preserveFocus: true });
    };
    switch (e.key) {
      case 'ArrowDown':
        moveTo(index < 0 ? 0 : index + 1);
        break;
      case 'ArrowUp':
        moveTo(index < 0 ? 0 : index - 1);
        break;
      case 'PageDown':
        moveTo(index + this.list.pageSize());
        break;
      case 'PageUp':
        moveTo(index - this.list.pageSize());
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!current) break;
        if (this.state.hasChildren(current) && this.state.collapsed.has(current)) this.setExpanded(current, true);
        else if (this.state.hasChildren(current)) moveTo(index + 1);
        break;
      case 'ArrowLeft': {
        if (!current) break;
        if (this.state.hasChildren(current) && !this.state.collapsed.has(current)) this.setExpanded(current, false);
        else {
          const parent = this.state.parentOf(current);
          if (parent) moveTo(this.state.indexOf(parent));
        }
        break;
      }
      case 'Enter':
        if (current) this.actions.openSpan(current, false);
        break;
      case 'F12':
        // Also without a source location: the host says so, as the editor says "No definition found".
        if (current) this.actions.openSource(current);
        break;
      case 'r':
      case 'R': {
        const operation = current ? this.state.row(current)?.operation : undefined;
        if (!current || e.ctrlKey || e.metaKey || e.altKey || operation === undefined || !isModelCallOperation(operation)) return;
        this.actions.replay(current);
        break;
      }
      case '*':
        this.state.expandAll();
        this.update();
        this.actions.expansionChanged();
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
