// Building blocks of the span detail: sections, key/value grids, long text with "show more", copy buttons.
import type { DetailOutbound } from '../../../src/protocol/messages';
import { el, iconButton, type Child } from '../shared/dom';

export type Post = (message: DetailOutbound) => void;

/** Text longer than this starts collapsed: a 40 KB prompt must not bury everything below it. */
export const LONG_TEXT_CHARS = 1500;
const LONG_TEXT_LINES = 24;

/**
 * A collapsible section. Its `actions` show in its header while the pointer is over it, or always with
 * `alwaysShowActions` (an action that is what the section is for, not a convenience like Copy).
 */
export function section(
  heading: string,
  testId: string,
  children: Child[],
  options: { open?: boolean; actions?: HTMLElement[]; alwaysShowActions?: boolean } = {},
): HTMLElement {
  const box = el('vscode-collapsible', { testId, attrs: { heading } }, children);
  if (options.open !== false) box.setAttribute('open', '');
  if (options.alwaysShowActions) box.setAttribute('always-show-header-actions', '');
  for (const action of options.actions ?? []) {
    action.setAttribute('slot', 'actions');
    box.append(action);
  }
  return el('div', { className: 'section' }, [box]);
}

export function copyButton(text: string, label: string, post: Post, testId = 'copy'): HTMLButtonElement {
  const button = iconButton('copy', `Copy ${label}`, 'copy', testId);
  button.addEventListener('click', (e) => {
    e.stopPropagation(); // inside a collapsible header: copy, do not toggle
    post({ type: 'copy', text, label });
  });
  return button;
}

/** A definition grid; rows without a value are left out. */
export function facts(rows: [label: string, value: Child, testId?: string][], className = 'facts'): HTMLElement {
  const grid = el('dl', { className });
  for (const [label, value, testId] of rows) {
    if (value === undefined || value === null || value === false || value === '') continue;
    grid.append(el('dt', { text: label }), el('dd', { testId }, [value]));
  }
  return grid;
}

function cut(text: string): number | undefined {
  if (text.length > LONG_TEXT_CHARS) return lineCut(text, LONG_TEXT_CHARS);
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10 && ++lines >= LONG_TEXT_LINES) return i;
  return undefined;
}

function lineCut(text: string, max: number): number {
  const newline = text.lastIndexOf('\n', max);
  return newline > max / 2 ? newline : max;
}

/**
 * Preformatted text that collapses when long, with "Show more (N more characters)". `fill` puts the shown
 * part (the whole text, or its start) into the element, as plain text unless told otherwise.
 */
export function longText(
  text: string,
  options: { className?: string; testId?: string; fill?: (pre: HTMLElement, shown: string) => void } = {},
): HTMLElement {
  const pre = el('pre', { className: `text-block ${options.className ?? ''}`.trim(), testId: options.testId ?? 'long-text' });
  const fill = options.fill ?? ((into: HTMLElement, shown: string) => (into.textContent = shown));
  const at = cut(text);
  if (at === undefined) {
    fill(pre, text);
    return pre;
  }
  const short = text.slice(0, at);
  const showMore = `Show more (${(text.length - at).toLocaleString('en-US')} more characters)`;
  fill(pre, short);
  const toggle = el('button', { className: 'link-button', testId: 'show-more', text: showMore, attrs: { type: 'button', 'aria-expanded': 'false' } });
  const show = (expand: boolean): void => {
    fill(pre, expand ? text : short);
    toggle.textContent = expand ? 'Show less' : showMore;
    toggle.setAttribute('aria-expanded', String(expand));
  };
  // Both ways: a 260 K-character output shown whole made the page 200,000 px tall with no way back.
  toggle.addEventListener('click', () => {
    const expand = toggle.getAttribute('aria-expanded') !== 'true';
    show(expand);
    if (!expand) pre.scrollIntoView({ block: 'nearest' });
  });
  const container = el('div', { className: 'long-text' }, [pre, toggle]);
  collapsedTexts.set(container, { text, expand: () => show(true) });
  return container;
}

/** Each long text's whole text, and how to show it whole (expandTextsHolding). */
const collapsedTexts = new WeakMap<Element, { text: string; expand: () => void }>();

/** Shows whole the long texts under `root` whose hidden part holds `lowerNeedle` (lowercase). */
export function expandTextsHolding(root: HTMLElement, lowerNeedle: string): void {
  for (const container of root.querySelectorAll('.long-text')) {
    const collapsed = collapsedTexts.get(container);
    if (collapsed?.text.toLowerCase().includes(lowerNeedle)) collapsed.expand();
  }
}
