// The first thing a new user sees: where to send traces, a copy-able set-up for their stack, and a
// button that shows what a trace looks like without writing any code.
import { ownerReceiverDown, type EnvSnippet, type ReceiverView } from '../../../src/protocol/messages';
import { codicon, el } from '../shared/dom';
import { renderReceiverStatus, type Post } from './receiverStatusView';

function copyButton(text: string, label: string, post: Post, testId: string): HTMLElement {
  const b = el('vscode-button', { testId, title: `Copy ${label}`, attrs: { secondary: '', icon: 'copy', 'aria-label': `Copy ${label}` } });
  b.addEventListener('click', () => post({ type: 'copy', text, label }));
  return b;
}

/** One set-up, folded to its title (four full snippets would push everything else off a sidebar). */
function snippetBlock(s: EnvSnippet, post: Post, open: boolean): HTMLElement {
  const copy = copyButton(s.text, `${s.label} set-up`, post, 'copy-snippet');
  // Inside <summary> a click would also fold the block: copying must not.
  copy.addEventListener('click', (e) => e.preventDefault());
  const block = el('details', { className: 'snippet', testId: 'env-snippet' }, [
    el('summary', { className: 'snippet-head' }, [
      el('div', { className: 'snippet-title' }, [el('strong', { text: s.label }), el('span', { className: 'muted', text: s.detail })]),
      copy,
    ]),
    el('pre', { className: 'snippet-code', text: s.text }),
  ]);
  block.open = open;
  block.dataset.snippet = s.id;
  return block;
}

function endpointLine(label: string, url: string | undefined, post: Post, testId: string): HTMLElement | undefined {
  if (!url) return undefined;
  return el('div', { className: 'endpoint', testId }, [
    el('span', { className: 'endpoint-label', text: label }),
    el('code', { className: 'endpoint-url', text: url }),
    copyButton(url, `${label} endpoint`, post, `copy-${testId}`),
  ]);
}

export function renderEmptyState(receiver: ReceiverView, post: Post): HTMLElement {
  const sample = el('vscode-button', { testId: 'send-sample', attrs: { icon: 'beaker' }, text: 'Send a sample trace' });
  sample.addEventListener('click', () => post({ type: 'sendSample' }));
  // A follower that could not read the owner's store knows nothing of its traces: "No traces yet" would be a guess.
  const unread = receiver.role === 'follower' && ownerReceiverDown(receiver.status.http) !== undefined;
  return el('div', { className: 'empty-state', testId: 'empty-state' }, [
    el('h2', {}, [codicon('radio-tower'), unread ? ' Traces not available in this window' : ' No traces yet']),
    renderReceiverStatus(receiver, post, { compact: true }),
    el('div', { className: 'sample-row' }, [sample]),
    el('p', { className: 'muted', text: 'See what a trace looks like, or point your app’s OpenTelemetry exporter here: spans show up as they end.' }),
    el('div', { className: 'endpoints' }, [
      endpointLine('OTLP/HTTP', receiver.endpoint.httpUrl, post, 'endpoint-http'),
      endpointLine('OTLP/gRPC', receiver.endpoint.grpcUrl, post, 'endpoint-grpc'),
    ]),
    el('h3', { text: 'Set up your app' }),
    ...receiver.snippets.map((s, i) => snippetBlock(s, post, i === 0)),
    el('p', { className: 'muted', text: 'Prompts and completions are recorded only with content capture on (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT).' }),
  ]);
}
