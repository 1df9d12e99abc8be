// The only way webview code builds DOM: createElement + textContent/append(string). Strings are never
// parsed as HTML, so trace content (`<img src=x onerror=…>`, `<script>`) always shows as the characters
// it is. ESLint forbids innerHTML/outerHTML/insertAdjacentHTML/document.write in webview/.

export type Child = Node | string | null | undefined | false;

export interface ElOptions {
  className?: string;
  text?: string;
  /** Stable hook for the end-to-end tests (data-testid). */
  testId?: string;
  title?: string;
  /** Attribute names are always literals in our code; only values may come from data. */
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.testId) node.dataset.testid = options.testId;
  if (options.title) node.title = options.title;
  if (options.attrs) for (const [name, value] of Object.entries(options.attrs)) node.setAttribute(name, value);
  if (options.text !== undefined) node.textContent = options.text;
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A codicon glyph (decorative unless labelled). */
export function codicon(name: string, label?: string): HTMLSpanElement {
  const node = el('span', { className: `codicon codicon-${name}` });
  if (label) {
    node.setAttribute('role', 'img');
    node.setAttribute('aria-label', label);
    node.title = label;
  } else {
    node.setAttribute('aria-hidden', 'true');
  }
  return node;
}

/** Swaps a codicon's glyph in place (rows are recycled, so icons change with the data). */
export function setCodicon(node: HTMLElement, name: string): void {
  node.className = node.className.replace(/\bcodicon-[\w-]+/g, '').trim() + ` codicon-${name}`;
}

/** A small toolbar-style icon button (plain button: rows are recycled by the thousand, custom elements cost more). */
export function iconButton(icon: string, label: string, action: string, testId?: string): HTMLButtonElement {
  const button = el('button', { className: 'icon-button', title: label, testId, attrs: { type: 'button', 'aria-label': label, 'data-action': action } }, [
    codicon(icon),
  ]);
  return button;
}

/**
 * Marks the row (`rowSelector` in `container`) a context menu is opened on with the class `menu-target`,
 * until the menu closes: the menu is VS Code's, outside the page, and the page gets the focus back then
 * (or the host says a command of the menu ran: clearMenuTargets).
 */
export function markMenuTarget(container: HTMLElement, rowSelector: string): void {
  let marked: Element | null = null;
  const clear = (): void => {
    marked?.classList.remove('menu-target');
    marked = null;
  };
  container.addEventListener('contextmenu', (e) => {
    clear();
    marked = (e.target as Element | null)?.closest(rowSelector) ?? null;
    marked?.classList.add('menu-target');
  });
  window.addEventListener('focus', clear);
  container.addEventListener('pointerdown', clear);
}

/** No row is outlined as a menu's target any more (the host's `menuDone`). */
export function clearMenuTargets(): void {
  for (const marked of document.querySelectorAll('.menu-target')) marked.classList.remove('menu-target');
}

/** A @vscode-elements control (textfield, textarea, single-select): an element with a string value. */
export type ValueElement = HTMLElement & { value: string };
