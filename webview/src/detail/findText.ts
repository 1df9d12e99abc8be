// Reveals a piece of text in the rendered span (a text search's match opened here): the long texts
// holding it are shown whole, the sections holding it opened, each occurrence highlighted and the first
// scrolled to. Highlights are the CSS Custom Highlight API's ranges over the page's text nodes: the
// trace's text stays text, no element is added around it.
import { expandTextsHolding } from './common';

/** The highlights' names, styled in detail.css: every occurrence, and the first, scrolled to (as the editor's find marks its current match). */
const HIGHLIGHT = 'spanlight-find';
const CURRENT = 'spanlight-find-current';
/** Occurrences highlighted at most (a common word in a long conversation). */
const MAX_RANGES = 500;

/** How many occurrences were found and highlighted. */
export function revealText(root: HTMLElement, text: string): number {
  const needle = text.trim().toLowerCase();
  clearFoundText();
  if (!needle) return 0;
  expandTextsHolding(root, needle);
  const ranges: Range[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && ranges.length < MAX_RANGES; node = walker.nextNode()) {
    // An occurrence split across text nodes (never within one pre's text) is not highlighted.
    const lower = (node.nodeValue ?? '').toLowerCase();
    // Lowercasing changed the length (İ): positions in it are not the node's.
    if (lower.length !== node.nodeValue?.length) continue;
    for (let at = lower.indexOf(needle); at >= 0 && ranges.length < MAX_RANGES; at = lower.indexOf(needle, at + needle.length)) {
      const range = root.ownerDocument.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      ranges.push(range);
    }
  }
  if (ranges.length === 0) return 0;
  for (const range of ranges) {
    for (let at = range.startContainer.parentElement; at; at = at.parentElement) {
      if (at.tagName === 'VSCODE-COLLAPSIBLE') (at as HTMLElement & { open: boolean }).open = true;
    }
  }
  // Older engines (no Custom Highlight API) still get the text shown and scrolled to.
  if (typeof Highlight === 'function' && CSS.highlights) {
    CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges.slice(1)));
    CSS.highlights.set(CURRENT, new Highlight(ranges[0]));
  }
  // A frame later: the sections just opened lay out their content first.
  requestAnimationFrame(() => {
    const first = ranges[0].getBoundingClientRect();
    if (first.height > 0) window.scrollBy(0, first.top - window.innerHeight / 2);
    else ranges[0].startContainer.parentElement?.scrollIntoView({ block: 'center' });
  });
  return ranges.length;
}

export function clearFoundText(): void {
  if (typeof CSS === 'undefined' || !CSS.highlights) return;
  CSS.highlights.delete(HIGHLIGHT);
  CSS.highlights.delete(CURRENT);
}
