// The span detail app. A span is bounded (long texts collapse), so each message re-renders the page;
// the host only sends when the selection or the span itself changes.
// The vscode-elements used by the detail are registered here, at the entry point, so that the component
// modules stay importable (and testable) without a browser.
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { DetailInbound, DetailOutbound } from '../../../src/protocol/messages';
import { el } from '../shared/dom';
import { FrameBatcher } from '../shared/frameBatcher';
import { nextFrame } from '../shared/nextFrame';
import { connectToHost } from '../shared/vscodeApi';
import type { Post } from './common';
import { clearFoundText, revealText } from './findText';
import { renderSpan } from './spanView';

const host = connectToHost<DetailInbound, DetailOutbound, Record<string, never>>();
const post: Post = (m) => host.post(m);
const app = document.getElementById('app') as HTMLElement;

/** The span shown, for F12. */
let shown: { traceId: string; spanId: string } | undefined;
// Only the newest message of a frame matters: arrowing through the tree sends several.
const batcher = new FrameBatcher<DetailInbound>((batch) => {
  const m = batch[batch.length - 1];
  shown = m.type === 'span' ? { traceId: m.span.traceId, spanId: m.span.spanId } : undefined;
  if (m.type === 'span') {
    app.replaceChildren(renderSpan(m, post));
    window.scrollTo(0, 0);
    if (m.find) revealText(app, m.find);
    else clearFoundText();
  } else {
    clearFoundText();
    app.replaceChildren(el('p', { className: 'muted detail-empty', testId: 'detail-empty', text: m.message }));
  }
}, nextFrame);
host.onMessage((m) => batcher.push(m));
// Escape goes back a level, to the tree the span was picked in; not from a text field, where it clears it.
// F12 goes to the span's source, as on its row in the tree (for a model call without one, to its prompt).
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented) return;
  if (e.key === 'F12' && shown) {
    e.preventDefault();
    post({ type: 'openSource', ...shown });
    return;
  }
  if (e.key !== 'Escape' || (e.target as Element | null)?.closest('vscode-textfield, input, textarea')) return;
  post({ type: 'back' });
});
post({ type: 'ready' });
