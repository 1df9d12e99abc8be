// One row of the trace list: a skeleton built once and refilled as the virtual list recycles it.
import { menuContextAttribute } from '../../../src/protocol/messages';
import type { TraceSummary } from '../../../src/protocol/model';
import { codicon, el, iconButton, setCodicon } from '../shared/dom';
import { formatAge, formatTraceCost, formatDuration, formatTokenPair, nanoToMs, shortModel } from '../../../src/protocol/format';

export const TRACE_ROW_HEIGHT = 44;

interface TraceRowParts {
  statusIcon: HTMLElement;
  pinIcon: HTMLElement;
  name: HTMLElement;
  age: HTMLElement;
  errorBadge: HTMLElement;
  service: HTMLElement;
  duration: HTMLElement;
  spans: HTMLElement;
  models: HTMLElement;
  tokens: HTMLElement;
  cost: HTMLElement;
  /** The line of service, duration, counts, tokens, cost and models. */
  meta: HTMLElement;
  pinButton: HTMLButtonElement;
}

const parts = new WeakMap<HTMLElement, TraceRowParts>();

export function createTraceRow(): HTMLElement {
  const p: TraceRowParts = {
    statusIcon: codicon('pass'),
    pinIcon: codicon('pinned', 'Pinned'),
    name: el('span', { className: 'trace-name', testId: 'trace-name' }),
    age: el('span', { className: 'trace-age', testId: 'trace-age' }),
    errorBadge: el('span', { className: 'badge badge-error', testId: 'trace-error-badge', text: 'error' }),
    service: el('span', { className: 'trace-service', testId: 'trace-service' }),
    duration: el('span', { className: 'trace-duration', testId: 'trace-duration' }),
    spans: el('span', { className: 'trace-spans', testId: 'trace-span-count' }),
    models: el('span', { className: 'trace-models', testId: 'trace-models' }),
    tokens: el('span', { className: 'trace-tokens', testId: 'trace-tokens' }),
    cost: el('span', { className: 'trace-cost', testId: 'trace-cost' }),
    meta: el('div', { className: 'row-line row-meta' }),
    pinButton: iconButton('pin', 'Pin', 'pin', 'trace-pin'),
  };
  // Most telling first: a narrow sidebar drops the line's last items whole (traceList.css); its tooltip
  // still says everything.
  p.meta.append(p.service, p.duration, p.spans, p.tokens, p.cost, p.models);
  p.statusIcon.classList.add('status-icon');
  p.pinIcon.classList.add('pin-icon');
  const row = el('div', { className: 'trace-row', testId: 'trace-row', attrs: { role: 'option', tabindex: '-1' } }, [
    el('div', { className: 'row-line' }, [p.statusIcon, p.pinIcon, p.name, p.errorBadge, p.age]),
    p.meta,
    el('div', { className: 'row-actions' }, [p.pinButton, iconButton('trash', 'Delete trace', 'delete', 'trace-delete')]),
  ]);
  for (const button of row.querySelectorAll('button')) button.tabIndex = -1; // keyboard: P and Delete on the row
  parts.set(row, p);
  return row;
}

export interface TraceRowContext {
  selected: boolean;
  focusable: boolean;
  nowMs: number;
  position: number;
  setSize: number;
}

export function renderTraceRow(row: HTMLElement, t: TraceSummary, ctx: TraceRowContext): void {
  const p = parts.get(row);
  if (!p) return;
  const error = t.status === 'ERROR';
  row.dataset.traceId = t.traceId;
  row.dataset.status = t.status;
  row.classList.toggle('selected', ctx.selected);
  row.classList.toggle('error', error);
  row.setAttribute('aria-selected', String(ctx.selected));
  row.setAttribute('aria-posinset', String(ctx.position));
  row.setAttribute('aria-setsize', String(ctx.setSize));
  row.tabIndex = ctx.focusable ? 0 : -1;

  setCodicon(p.statusIcon, error ? 'error' : 'pass');
  p.statusIcon.classList.toggle('is-error', error);
  p.pinIcon.hidden = !t.pinned;
  p.name.textContent = t.rootName || '(root span not received yet)';
  p.name.title = t.rootName;
  p.errorBadge.hidden = !error;
  p.age.textContent = formatAge(nanoToMs(t.startTimeUnixNano), ctx.nowMs);
  p.service.textContent = t.serviceName || 'unknown service';
  p.duration.textContent = formatDuration(t.durationMs);
  p.spans.textContent = `${t.spanCount} span${t.spanCount === 1 ? '' : 's'}`;
  const first = t.models.length > 0 ? shortModel(t.models[0]) : '';
  p.models.textContent = t.models.length <= 1 ? first : `${first} +${t.models.length - 1}`;
  p.models.title = t.models.join(', ');
  p.models.hidden = t.models.length === 0;
  const tokens = t.inputTokens > 0 || t.outputTokens > 0 ? formatTokenPair(t.inputTokens, t.outputTokens) : undefined;
  p.tokens.textContent = tokens ?? '';
  p.tokens.hidden = tokens === undefined;
  p.tokens.title = `${t.inputTokens} input / ${t.outputTokens} output tokens`;
  const cost = formatTraceCost(t.costUsd, t.unpricedCallCount);
  p.cost.textContent = cost.text;
  p.cost.title = cost.title;
  p.cost.hidden = t.llmCallCount === 0 && t.costUsd === undefined;
  p.meta.title = [p.service, p.duration, p.spans, p.tokens, p.cost]
    .filter((part) => !part.hidden)
    .map((part) => (part === p.tokens ? `${part.textContent} tokens` : part.textContent))
    .concat(t.models.length > 0 ? [t.models.join(', ')] : [])
    .join(' · ');
  p.pinButton.dataset.action = t.pinned ? 'unpin' : 'pin';
  p.pinButton.title = t.pinned ? 'Unpin' : 'Pin (kept by retention)';
  p.pinButton.setAttribute('aria-label', p.pinButton.title);
  setCodicon(p.pinButton.firstElementChild as HTMLElement, t.pinned ? 'pinned' : 'pin');
  // What the row shows, in the order it shows it: a screen reader heard only the name, service and duration.
  const spoken = [t.rootName, error ? 'error' : undefined, t.pinned ? 'pinned' : undefined, p.age.textContent, p.meta.title];
  row.setAttribute('aria-label', spoken.filter((part) => part).join(', '));
  // The row's own keys for its hover actions, which Tab does not reach; its context menu (also on
  // Shift+F10) has them too, with Copy Trace ID.
  row.setAttribute('aria-keyshortcuts', 'P Delete');
  row.dataset.vscodeContext = menuContextAttribute({ webviewSection: 'trace', traceId: t.traceId, tracePinned: t.pinned, preventDefaultContextMenuItems: true });
}

/** Every few seconds only the ages change: touch just that text. */
export function renderTraceAge(row: HTMLElement, t: TraceSummary, nowMs: number): void {
  const p = parts.get(row);
  if (p) p.age.textContent = formatAge(nanoToMs(t.startTimeUnixNano), nowMs);
}
