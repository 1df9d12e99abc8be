// The virtualized trace list (listbox): selection with roving tabindex, keyboard, row actions, paging
// as the user nears the end, and a scroll anchor so rows do not jump when new traces arrive on top.
import { el, markMenuTarget } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import type { TraceListState } from './traceListState';
import { createTraceRow, renderTraceAge, renderTraceRow, TRACE_ROW_HEIGHT } from './traceRowView';

export interface TraceListActions {
  /** `viaKeyboard`: the selection moved with arrows (the tree loads after a short pause). */
  select(traceId: string, viaKeyboard: boolean): void;
  /** Enter: move into the span tree. */
  open(traceId: string): void;
  pin(traceId: string, pinned: boolean): void;
  remove(traceId: string): void;
  loadMore(): void;
}

/** Ask for the next page when fewer than this many loaded rows remain below the viewport. */
const PREFETCH_ROWS = 100;

export class TraceListView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly list: VirtualList;
  private selectedId: string | undefined;
  private anchor: { id: string; offset: number } | undefined;

  constructor(
    private readonly state: TraceListState,
    private readonly actions: TraceListActions,
  ) {
    this.scroller = el('div', { className: 'scroller trace-list', testId: 'trace-list', attrs: { role: 'listbox', 'aria-label': 'Traces' } });
    this.element = this.scroller;
    this.list = new VirtualList({
      scroller: this.scroller,
      rowHeight: TRACE_ROW_HEIGHT,
      overscan: 8,
      createRow: createTraceRow,
      renderRow: (row, index) => this.renderRow(row, index),
      pinnedIndex: () => this.state.indexOf(this.selectedId),
      afterPaint: (_first, last) => this.maybeLoadMore(last),
    });
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('keydown', (e) => this.onKeyDown(e));
    markMenuTarget(this.scroller, '.trace-row');
  }

  get selected(): string | undefined {
    return this.selectedId;
  }

  /** Call before applying a delta: remembers which trace is at the top of the viewport. */
  rememberAnchor(): void {
    const top = this.scroller.scrollTop;
    if (top <= 0) {
      this.anchor = undefined; // at the top, new traces should appear in view
      return;
    }
    const index = Math.floor(top / TRACE_ROW_HEIGHT);
    const id = this.state.ids()[index];
    this.anchor = id === undefined ? undefined : { id, offset: top - index * TRACE_ROW_HEIGHT };
  }

  /** The state changed: resize, keep the anchor row where it was, repaint visible rows. */
  update(): void {
    this.list.setCount(this.state.size);
    if (this.anchor) {
      const index = this.state.indexOf(this.anchor.id);
      if (index >= 0) this.scroller.scrollTop = index * TRACE_ROW_HEIGHT + this.anchor.offset;
      this.anchor = undefined;
    }
    this.list.invalidate();
  }

  /** Paints now: called at the end of a message batch, which already runs inside an animation frame. */
  paint(): void {
    this.list.paintNow();
    this.keepFocusOnSelection();
  }

  /**
   * Rows are reused by position: once a trace above was removed (a deletion), the focused row showed the
   * next trace while the selection had moved on, and the next arrow key started from the selection.
   * Focus in the list follows the selection.
   */
  private keepFocusOnSelection(): void {
    const active = document.activeElement;
    if (!active || !this.scroller.contains(active)) return;
    const row = this.list.rowAt(this.state.indexOf(this.selectedId));
    if (row && row !== active) row.focus({ preventScroll: true });
  }

  setSelected(traceId: string | undefined, options: { reveal?: boolean; focus?: boolean } = {}): void {
    this.selectedId = traceId;
    this.list.invalidate();
    const index = this.state.indexOf(traceId);
    if (index < 0) return;
    if (options.reveal || options.focus) {
      this.list.reveal(index);
      this.list.paintNow();
    }
    if (options.focus) this.list.rowAt(index)?.focus({ preventScroll: true });
  }

  focus(): void {
    if (this.state.indexOf(this.selectedId) >= 0) {
      this.setSelected(this.selectedId, { focus: true });
      return;
    }
    // Nothing selected, or the selection is filtered out (ArrowDown from the filter box did nothing then).
    const first = this.state.ids()[0];
    if (first) this.moveTo(first);
  }

  /** Every few seconds: refresh the "12s ago" texts of the rendered rows only. */
  tickAges(nowMs: number): void {
    for (const row of this.scroller.querySelectorAll<HTMLElement>('.trace-row')) {
      const summary = row.dataset.traceId ? this.state.get(row.dataset.traceId) : undefined;
      if (summary) renderTraceAge(row, summary, nowMs);
    }
  }

  private renderRow(row: HTMLElement, index: number): void {
    const summary = this.state.at(index);
    if (!summary) return;
    const selectedIndex = this.state.indexOf(this.selectedId);
    renderTraceRow(row, summary, {
      selected: summary.traceId === this.selectedId,
      // Roving tabindex: the selected row, or the first one when nothing is selected.
      focusable: selectedIndex >= 0 ? index === selectedIndex : index === 0,
      nowMs: Date.now(),
      position: index + 1,
      setSize: this.state.total,
    });
  }

  private rowOf(target: EventTarget | null): HTMLElement | undefined {
    return (target as Element | null)?.closest<HTMLElement>('.trace-row') ?? undefined;
  }

  private onClick(e: MouseEvent): void {
    const row = this.rowOf(e.target);
    const traceId = row?.dataset.traceId;
    if (!traceId) return;
    const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action === 'pin' || action === 'unpin') return this.actions.pin(traceId, action === 'pin');
    if (action === 'delete') return this.actions.remove(traceId);
    this.setSelected(traceId, { focus: true });
    this.actions.select(traceId, false);
  }

  private onKeyDown(e: KeyboardEvent): void {
    const current = this.selectedId;
    let next: string | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = this.state.neighbour(current, 1);
        break;
      case 'ArrowUp':
        next = this.state.neighbour(current, -1);
        break;
      case 'PageDown':
        next = this.state.neighbour(current, this.list.pageSize());
        break;
      case 'PageUp':
        next = this.state.neighbour(current, -this.list.pageSize());
        break;
      case 'Home':
        next = this.state.ids()[0];
        break;
      case 'End':
        next = this.state.ids()[this.state.size - 1];
        break;
      case 'Enter':
      case ' ':
        if (current) this.actions.open(current);
        e.preventDefault();
        return;
      case 'Backspace':
      case 'Delete':
        // Backspace only with ⌘, as the Explorer on macOS has it: a Backspace meant for the filter box deleted a trace.
        if (e.key === 'Backspace' && !e.metaKey) return;
        if (current) {
          // Select the neighbour first, so keyboard users can keep deleting.
          const after = this.state.replacementFor(current, new Set([current]));
          this.actions.remove(current);
          if (after) this.moveTo(after);
        }
        e.preventDefault();
        return;
      case 'p':
      case 'P': {
        const summary = current ? this.state.get(current) : undefined;
        if (summary) this.actions.pin(summary.traceId, !summary.pinned);
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    if (next && next !== current) this.moveTo(next);
  }

  private moveTo(traceId: string): void {
    this.setSelected(traceId, { focus: true });
    this.actions.select(traceId, true);
  }

  private maybeLoadMore(lastVisible: number): void {
    if (this.state.hasMore() && this.state.size - lastVisible < PREFETCH_ROWS) this.actions.loadMore();
  }
}
