// One row of the span tree + waterfall: indentation, twisty, kind icon, name, error marker, model and
// tokens for LLM calls, duration, and the timing bar under the text (full row width, so bars align).
import { isModelCallOperation } from '../../../src/protocol/model';
import { menuContextAttribute, type SpanKindIcon, type SpanRow } from '../../../src/protocol/messages';
import { codicon, el, setCodicon } from '../shared/dom';
import { formatDuration, formatTokenPair, shortModel } from '../../../src/protocol/format';
import type { BarLayout, VisibleRow } from './treeState';

export const SPAN_ROW_HEIGHT = 26;
/** Indentation stops growing here: deeper levels still read from aria-level and the tree lines. */
const MAX_INDENT_LEVELS = 24;
const INDENT_PX = 12;

export const KIND_CODICON: Readonly<Record<SpanKindIcon, string>> = {
  llm: 'sparkle',
  tool: 'tools',
  retrieval: 'search',
  agent: 'robot',
  embedding: 'symbol-array',
  other: 'circle-small-filled',
};

const KIND_LABEL: Readonly<Record<SpanKindIcon, string>> = {
  llm: 'LLM call',
  tool: 'Tool',
  retrieval: 'Retrieval',
  agent: 'Agent',
  embedding: 'Embedding',
  other: 'Span',
};

interface SpanRowParts {
  indent: HTMLElement;
  twisty: HTMLElement;
  kind: HTMLElement;
  name: HTMLElement;
  error: HTMLElement;
  model: HTMLElement;
  tokens: HTMLElement;
  duration: HTMLElement;
  bar: HTMLElement;
}

const parts = new WeakMap<HTMLElement, SpanRowParts>();

export function createSpanRow(): HTMLElement {
  const p: SpanRowParts = {
    indent: el('span', { className: 'indent' }),
    twisty: codicon('chevron-down'),
    kind: codicon('circle-small-filled'),
    name: el('span', { className: 'span-name', testId: 'span-name' }),
    error: codicon('error', 'Error'),
    model: el('span', { className: 'span-model', testId: 'span-model' }),
    tokens: el('span', { className: 'span-tokens', testId: 'span-tokens' }),
    duration: el('span', { className: 'span-duration', testId: 'span-duration' }),
    bar: el('div', { className: 'bar' }),
  };
  p.twisty.classList.add('twisty');
  p.twisty.dataset.action = 'toggle';
  p.kind.classList.add('kind-icon');
  p.error.classList.add('error-marker');
  p.error.dataset.testid = 'span-error-marker';
  const row = el('div', { className: 'span-row', testId: 'span-row', attrs: { role: 'treeitem', tabindex: '-1' } }, [
    el('div', { className: 'bar-track' }, [p.bar]),
    el('div', { className: 'span-line' }, [
      p.indent,
      p.twisty,
      p.kind,
      p.name,
      p.error,
      el('span', { className: 'span-meta' }, [p.model, p.tokens, p.duration]),
    ]),
  ]);
  parts.set(row, p);
  return row;
}

export interface SpanRowContext {
  visible: VisibleRow;
  layout: BarLayout;
  selected: boolean;
  focusable: boolean;
  expanded: boolean;
}

export function renderSpanRow(row: HTMLElement, data: SpanRow, ctx: SpanRowContext): void {
  const p = parts.get(row);
  if (!p) return;
  const { visible } = ctx;
  row.dataset.spanId = data.spanId;
  row.dataset.kind = data.kindIcon;
  row.dataset.depth = String(visible.depth);
  row.classList.toggle('selected', ctx.selected);
  row.classList.toggle('error', data.error);
  row.setAttribute('aria-selected', String(ctx.selected));
  row.setAttribute('aria-level', String(visible.depth + 1));
  row.setAttribute('aria-posinset', String(visible.posInSet));
  row.setAttribute('aria-setsize', String(visible.setSize));
  if (visible.hasChildren) row.setAttribute('aria-expanded', String(ctx.expanded));
  else row.removeAttribute('aria-expanded');
  row.tabIndex = ctx.focusable ? 0 : -1;

  p.indent.style.width = `${Math.min(visible.depth, MAX_INDENT_LEVELS) * INDENT_PX}px`;
  p.twisty.style.visibility = visible.hasChildren ? 'visible' : 'hidden';
  setCodicon(p.twisty, ctx.expanded ? 'chevron-down' : 'chevron-right');
  setCodicon(p.kind, KIND_CODICON[data.kindIcon]);
  p.kind.title = KIND_LABEL[data.kindIcon];
  p.name.textContent = data.name || '(unnamed span)';
  p.name.title = data.name;
  p.error.hidden = !data.error;
  p.model.textContent = data.model ? shortModel(data.model) : '';
  p.model.title = data.model ?? '';
  p.model.hidden = data.model === undefined;
  const tokens = formatTokenPair(data.inputTokens, data.outputTokens);
  p.tokens.textContent = tokens ?? '';
  p.tokens.hidden = tokens === undefined;
  p.duration.textContent = formatDuration(data.durationMs);
  p.bar.style.left = `${ctx.layout.offsetPct}%`;
  p.bar.style.width = `${ctx.layout.widthPct}%`;
  // What the row shows, model and tokens included.
  const spoken = [`${KIND_LABEL[data.kindIcon]} ${data.name}`, data.error ? 'error' : undefined, data.model, tokens && `${tokens} tokens`, formatDuration(data.durationMs)];
  row.setAttribute('aria-label', spoken.filter((part) => part).join(', '));
  // Its context menu's context; the trace's comes from the tree (SpanTreeView.showSummary).
  // A model call with no recorded source goes to where its prompt is written (found by its text).
  const modelCall = data.operation !== undefined && isModelCallOperation(data.operation);
  const goesToSource = data.hasSource || modelCall;
  row.dataset.vscodeContext = menuContextAttribute({
    webviewSection: 'span',
    spanId: data.spanId,
    spanHasSource: goesToSource,
    spanIsModelCall: modelCall,
    preventDefaultContextMenuItems: true,
  });
  const shortcuts = [goesToSource ? 'F12' : '', modelCall ? 'R' : ''].filter((key) => key).join(' ');
  if (shortcuts) row.setAttribute('aria-keyshortcuts', shortcuts);
  else row.removeAttribute('aria-keyshortcuts');
}
