// The span tree of the selected trace as normalized state (jaeger-ui's model): rows by id, children lists
// sorted by start, and expansion as a set of collapsed span ids — never a flag on the rows, so rows can be
// replaced by newer versions while spans stream in and the user's collapsed nodes stay collapsed.
// The visible list (depth-first over expanded nodes) is rebuilt only when the structure changed. Pure.
import type { SpanRow } from '../../../src/protocol/messages';

export interface VisibleRow {
  id: string;
  depth: number;
  hasChildren: boolean;
  /** 1-based position among its siblings, and their count (aria-posinset / aria-setsize). */
  posInSet: number;
  setSize: number;
}

export interface BarLayout {
  /** Percent of the trace's time range. */
  offsetPct: number;
  widthPct: number;
}

/** Children of "no parent". Orphans (parent not received yet) are roots until their parent arrives. */
const ROOT = '';

export class SpanTreeState {
  traceId: string | undefined;
  private readonly rows = new Map<string, SpanRow>();
  private readonly children = new Map<string, string[]>();
  /** Span ids whose children are hidden. New spans arrive expanded. */
  readonly collapsed = new Set<string>();
  private visible: VisibleRow[] = [];
  private readonly indexById = new Map<string, number>();
  private structureDirty = false;
  private minStart = 0;
  private maxEnd = 0;
  /** Bumped on every change: the view repaints visible rows when it moves. */
  version = 0;

  get size(): number {
    return this.rows.size;
  }

  row(spanId: string): SpanRow | undefined {
    return this.rows.get(spanId);
  }

  /** All rows of a trace. Re-loading the same trace keeps the collapsed set. */
  load(traceId: string, rows: readonly SpanRow[]): void {
    if (traceId !== this.traceId) this.collapsed.clear();
    this.traceId = traceId;
    this.rows.clear();
    this.children.clear();
    for (const row of rows) this.insert(row);
    this.structureDirty = true;
    this.version++;
  }

  clear(): void {
    this.traceId = undefined;
    this.rows.clear();
    this.children.clear();
    this.collapsed.clear();
    this.visible = [];
    this.indexById.clear();
    this.structureDirty = false;
    this.version++;
  }

  /** New or changed rows of the current trace; false when they belong to another trace. */
  applyDelta(traceId: string, rows: readonly SpanRow[]): boolean {
    if (traceId !== this.traceId) return false;
    for (const row of rows) {
      const previous = this.rows.get(row.spanId);
      if (previous && previous.parentSpanId === row.parentSpanId && previous.startOffsetMs === row.startOffsetMs && (previous.durationMs === row.durationMs || !this.sharesStart(previous))) {
        // Same place in the tree: swap the data, keep the visible list.
        this.rows.set(row.spanId, row);
        this.extendBounds(row);
        continue;
      }
      if (previous) this.detach(previous);
      this.insert(row);
      this.structureDirty = true;
    }
    this.version++;
    return true;
  }

  visibleRows(): readonly VisibleRow[] {
    if (this.structureDirty) this.flatten();
    return this.visible;
  }

  indexOf(spanId: string | undefined): number {
    if (spanId === undefined) return -1;
    this.visibleRows();
    return this.indexById.get(spanId) ?? -1;
  }

  hasChildren(spanId: string): boolean {
    return (this.children.get(spanId)?.length ?? 0) > 0;
  }

  /** The parent that is present in the tree (an orphan has none). */
  parentOf(spanId: string): string | undefined {
    const parent = this.rows.get(spanId)?.parentSpanId;
    return parent !== undefined && this.rows.has(parent) ? parent : undefined;
  }

  setExpanded(spanId: string, expanded: boolean): void {
    if (expanded === !this.collapsed.has(spanId)) return;
    if (expanded) this.collapsed.delete(spanId);
    else this.collapsed.add(spanId);
    this.structureDirty = true;
    this.version++;
  }

  toggle(spanId: string): void {
    this.setExpanded(spanId, this.collapsed.has(spanId));
  }

  expandAll(): void {
    this.collapsed.clear();
    this.structureDirty = true;
    this.version++;
  }

  /** Collapses every span that has children (what remains visible: the roots). */
  collapseAll(): void {
    for (const [parent, kids] of this.children) if (parent !== ROOT && kids.length > 0 && this.rows.has(parent)) this.collapsed.add(parent);
    this.structureDirty = true;
    this.version++;
  }

  /** Where a row's bar sits on the waterfall, from the ms numbers computed once on the host. */
  layout(row: SpanRow): BarLayout {
    this.visibleRows(); // bounds are settled by the flatten pass
    const range = Math.max(this.maxEnd - this.minStart, 1e-6);
    const offsetPct = ((row.startOffsetMs - this.minStart) / range) * 100;
    const widthPct = (row.durationMs / range) * 100;
    return { offsetPct: clamp(offsetPct, 0, 100), widthPct: clamp(widthPct, 0, 100 - clamp(offsetPct, 0, 100)) };
  }

  /** The trace's time range in ms as the rows know it (root often arrives last). */
  bounds(): { start: number; end: number } {
    this.visibleRows();
    return { start: this.minStart, end: this.maxEnd };
  }

  private insert(row: SpanRow): void {
    this.rows.set(row.spanId, row);
    const key = row.parentSpanId ?? ROOT;
    let siblings = this.children.get(key);
    if (!siblings) this.children.set(key, (siblings = []));
    // Rows mostly come in tree order with siblings by start: appending is the common case.
    const last = siblings.length > 0 ? this.rows.get(siblings[siblings.length - 1]) : undefined;
    if (!last || siblingOrder(last, row) <= 0) siblings.push(row.spanId);
    else siblings.splice(this.upperBound(siblings, row), 0, row.spanId);
  }

  /** Whether a sibling starts when `row` does: then its duration decides which comes first (siblingOrder). */
  private sharesStart(row: SpanRow): boolean {
    const siblings = this.children.get(row.parentSpanId ?? ROOT) ?? [];
    return siblings.some((id) => id !== row.spanId && this.rows.get(id)?.startOffsetMs === row.startOffsetMs);
  }

  private detach(row: SpanRow): void {
    const key = row.parentSpanId ?? ROOT;
    const siblings = this.children.get(key);
    if (!siblings) return;
    const index = siblings.indexOf(row.spanId);
    if (index >= 0) siblings.splice(index, 1);
    if (siblings.length === 0) this.children.delete(key);
  }

  /** First sibling index that comes after `row` (a tie goes after: arrival order). */
  private upperBound(siblings: string[], row: SpanRow): number {
    let lo = 0;
    let hi = siblings.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (siblingOrder(this.rows.get(siblings[mid]), row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private extendBounds(row: SpanRow): void {
    if (this.rows.size === 1) {
      this.minStart = row.startOffsetMs;
      this.maxEnd = row.startOffsetMs + row.durationMs;
      return;
    }
    this.minStart = Math.min(this.minStart, row.startOffsetMs);
    this.maxEnd = Math.max(this.maxEnd, row.startOffsetMs + row.durationMs);
  }

  /** Depth-first over expanded nodes. O(spans); runs once per batch that changed the structure. */
  private flatten(): void {
    this.structureDirty = false;
    this.visible = [];
    this.indexById.clear();
    let min = Infinity;
    let max = -Infinity;
    for (const row of this.rows.values()) {
      min = Math.min(min, row.startOffsetMs);
      max = Math.max(max, row.startOffsetMs + row.durationMs);
    }
    this.minStart = Number.isFinite(min) ? min : 0;
    this.maxEnd = Number.isFinite(max) ? max : 0;

    const roots: string[] = [...(this.children.get(ROOT) ?? [])];
    for (const [parent, kids] of this.children) if (parent !== ROOT && !this.rows.has(parent)) roots.push(...kids);
    const byStart = (a: string, b: string): number => siblingOrder(this.rows.get(a), this.rows.get(b));
    roots.sort(byStart);
    const visited = new Set<string>();
    this.walk(roots, visited);
    // A parent cycle (malformed data) is unreachable from any root: show its members as roots too.
    if (visited.size < this.rows.size) {
      const stranded = [...this.rows.keys()].filter((id) => !visited.has(id)).sort(byStart);
      for (const id of stranded) if (!visited.has(id)) this.walk([id], visited);
    }
  }

  private walk(roots: readonly string[], visited: Set<string>): void {
    // Explicit stack: agent loops produce chains deeper than the JS call stack allows. Descendants of a
    // collapsed node are walked too (hidden), so that only true cycles count as unreachable.
    const stack: { row: VisibleRow; hidden: boolean }[] = [];
    const pushSiblings = (ids: readonly string[], depth: number, hidden: boolean): void => {
      for (let i = ids.length - 1; i >= 0; i--) {
        stack.push({ row: { id: ids[i], depth, hasChildren: false, posInSet: i + 1, setSize: ids.length }, hidden });
      }
    };
    pushSiblings(roots, 0, false);
    while (stack.length > 0) {
      const { row, hidden } = stack.pop() as { row: VisibleRow; hidden: boolean };
      if (visited.has(row.id)) continue;
      visited.add(row.id);
      const kids = this.children.get(row.id);
      if (!hidden) {
        row.hasChildren = (kids?.length ?? 0) > 0;
        this.indexById.set(row.id, this.visible.length);
        this.visible.push(row);
      }
      if (kids && kids.length > 0) pushSiblings(kids, row.depth + 1, hidden || this.collapsed.has(row.id));
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Siblings' order: by start, then the one that ended first. Starts are often whole milliseconds (the
 * JavaScript SDK's): a tool that ran in under one shares its start with the model call that read its
 * result, and began first. The host orders a trace the same way (TraceAggregate).
 */
function siblingOrder(a: SpanRow | undefined, b: SpanRow | undefined): number {
  const start = (a?.startOffsetMs ?? 0) - (b?.startOffsetMs ?? 0);
  return start !== 0 ? start : (a?.durationMs ?? 0) - (b?.durationMs ?? 0);
}
