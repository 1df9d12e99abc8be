// A tiny stand-in for the DOM, enough for the webviews' element builders to run in Node. It has no HTML
// parser at all: any use of an HTML sink (innerHTML, outerHTML, insertAdjacentHTML) throws, so a test
// that renders hostile content proves the code never asks for HTML parsing.

export class FakeText {
  readonly nodeType = 3;
  parent: FakeElement | undefined;
  constructor(public data: string) {}
  get textContent(): string {
    return this.data;
  }
  remove(): void {
    this.parent?.removeChild(this);
  }
}

type FakeNode = FakeElement | FakeText;

const sink = (name: string) => () => {
  throw new Error(`HTML sink used: ${name}`);
};

export class FakeElement {
  readonly nodeType = 1;
  readonly tagName: string;
  parent: FakeElement | undefined;
  children: FakeNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly dataset: Record<string, string> = {};
  readonly listeners = new Map<string, unknown[]>();
  readonly style: Record<string, string> & { setProperty(name: string, value: string): void };
  hidden = false;
  tabIndex = -1;
  title = '';
  value = '';
  id = '';

  constructor(tag: string) {
    this.tagName = tag.toUpperCase();
    const style: Record<string, string> = {};
    this.style = Object.assign(style, { setProperty: (name: string, value: string) => void (style[name] = value) });
    for (const name of ['innerHTML', 'outerHTML']) {
      Object.defineProperty(this, name, { get: () => '', set: sink(name) });
    }
  }

  get className(): string {
    return this.attributes.get('class') ?? '';
  }
  set className(value: string) {
    this.attributes.set('class', value);
  }

  get classList() {
    const read = (): Set<string> => new Set(this.className.split(/\s+/).filter(Boolean));
    const write = (set: Set<string>): void => void (this.className = [...set].join(' '));
    return {
      add: (...names: string[]) => write(new Set([...read(), ...names])),
      remove: (...names: string[]) => {
        const set = read();
        for (const n of names) set.delete(n);
        write(set);
      },
      toggle: (name: string, force?: boolean) => {
        const set = read();
        const on = force ?? !set.has(name);
        if (on) set.add(name);
        else set.delete(name);
        write(set);
        return on;
      },
      contains: (name: string) => read().has(name),
    };
  }

  get textContent(): string {
    return this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.replaceChildren(String(value));
  }

  get firstElementChild(): FakeElement | undefined {
    return this.children.find((c): c is FakeElement => c instanceof FakeElement);
  }

  insertAdjacentHTML = sink('insertAdjacentHTML');

  setAttribute(name: string, value: string): void {
    if (/^on/i.test(name)) throw new Error(`inline event handler attribute: ${name}`);
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }

  append(...nodes: (FakeNode | string)[]): void {
    for (const node of nodes) this.appendChild(typeof node === 'string' ? new FakeText(node) : node);
  }
  appendChild(node: FakeNode): FakeNode {
    node.parent?.removeChild(node);
    node.parent = this;
    this.children.push(node);
    return node;
  }
  insertBefore(node: FakeNode, before: FakeNode | null): FakeNode {
    if (!before) return this.appendChild(node);
    node.parent?.removeChild(node);
    node.parent = this;
    this.children.splice(this.children.indexOf(before), 0, node);
    return node;
  }
  removeChild(node: FakeNode): void {
    this.children = this.children.filter((c) => c !== node);
    node.parent = undefined;
  }
  replaceChildren(...nodes: (FakeNode | string)[]): void {
    for (const c of this.children) c.parent = undefined;
    this.children = [];
    this.append(...nodes);
  }
  remove(): void {
    this.parent?.removeChild(this);
  }
  replaceWith(node: FakeNode): void {
    const parent = this.parent;
    if (!parent) return;
    node.parent?.removeChild(node);
    parent.children = parent.children.map((c) => (c === this ? node : c));
    node.parent = parent;
    this.parent = undefined;
  }
  addEventListener(type: string, listener: unknown): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  focus(): void {}
  scrollIntoView(): void {}

  /** Runs this element's listeners of `type` (a click, say), with a minimal event. */
  fire(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as (e: { target: FakeElement; stopPropagation(): void }) => void)({ target: this, stopPropagation: () => undefined });
  }

  /** Tag-name selectors only (what the code under test uses). */
  querySelectorAll(tag: string): FakeElement[] {
    return this.descendants().filter((e) => e.tagName === tag.toUpperCase());
  }

  querySelector(tag: string): FakeElement | null {
    return this.querySelectorAll(tag)[0] ?? null;
  }

  descendants(): FakeElement[] {
    const out: FakeElement[] = [];
    const walk = (e: FakeElement): void => {
      for (const c of e.children) {
        if (c instanceof FakeElement) {
          out.push(c);
          walk(c);
        }
      }
    };
    walk(this);
    return out;
  }
}

export function installFakeDocument(): void {
  const document = {
    createElement: (tag: string) => new FakeElement(tag),
    createTextNode: (text: string) => new FakeText(text),
    write: sink('document.write'),
  };
  // Frames come at once: nothing is painted here.
  Object.assign(globalThis, { document, requestAnimationFrame: (callback: () => void) => setTimeout(callback, 0) });
}
