// The replay app: one model call's request, edited and sent again (the host sends it: src/views/replayPanel.ts).
// The vscode-elements it uses are registered here, at the entry point, so that replayView.ts stays
// importable (and testable) without a browser.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ReplayInbound, ReplayOutbound } from '../../../src/protocol/messages';
import { REPLAY_RUNS_KEPT, type ReplayDraft, type ReplayOriginal, type ReplayRun } from '../../../src/protocol/replay';
import { formatDuration } from '../../../src/protocol/format';
import type { Post } from '../detail/common';
import { codicon, el } from '../shared/dom';
import { nextFrame } from '../shared/nextFrame';
import { connectToHost } from '../shared/vscodeApi';
import { renderAnswers, ReplayForm, type StreamingAnswer } from './replayView';
import { VariantBar } from './variantBar';

const host = connectToHost<ReplayInbound, ReplayOutbound, Record<string, never>>();
// The detail's message views post only `copy`, which the replay host handles too.
const post: Post = (m) => {
  if (m.type === 'copy') host.post(m);
};
const app = document.getElementById('app') as HTMLElement;

let form: ReplayForm | undefined;
const variants = new VariantBar((m) => host.post(m), () => editedDraft());
let original: ReplayOriginal | undefined;
let runs: ReplayRun[] = [];
let running: number | undefined;
let streaming: StreamingAnswer | undefined;
const answers = el('div', { className: 'replay-answers-slot' });
const status = el('span', { className: 'replay-status', testId: 'replay-status', attrs: { role: 'status', 'aria-live': 'polite' } });
const runButton = el('vscode-button', { testId: 'replay-run', text: 'Run', attrs: { icon: 'debug-rerun', title: 'Send the request (Ctrl+Enter)' } });
const cancelButton = el('vscode-button', { testId: 'replay-cancel', text: 'Cancel', attrs: { secondary: '', hidden: '' } });
/** The request as the SDK call that sends it, for the app's code. */
const copyCodeButtons = (['python', 'typescript'] as const).map((language) => {
  const label = language === 'python' ? 'Python' : 'TypeScript';
  const button = el('button', { className: 'link-button', testId: `replay-copy-${language}`, title: `Copy this request as the openai SDK call in ${label}`, attrs: { type: 'button' } }, [codicon('copy'), label]);
  button.addEventListener('click', () => {
    const draft = editedDraft();
    if (draft) host.post({ type: 'copyCode', draft, language });
  });
  return button;
});

/** The request as the form holds it; undefined, with what is wrong in the status, when a field is not valid. */
function editedDraft(): ReplayDraft | undefined {
  const collected = form?.collect();
  if (!collected) return undefined;
  if ('draft' in collected) return collected.draft;
  setStatus(collected.error, true);
  return undefined;
}

function run(): void {
  if (running !== undefined) return;
  const draft = editedDraft();
  if (!draft) return;
  setStatus('Sending…', false);
  host.post({ type: 'run', draft });
}

function setStatus(text: string, error: boolean): void {
  status.textContent = text;
  status.classList.toggle('error-text', error);
}

function setRunning(id: number | undefined): void {
  running = id;
  runButton.toggleAttribute('disabled', id !== undefined);
  cancelButton.toggleAttribute('hidden', id === undefined);
  if (id !== undefined) setStatus(`Replay #${id} running…`, false);
}

function showAnswers(): void {
  if (original) answers.replaceChildren(renderAnswers(original, runs, post, streaming));
}

runButton.addEventListener('click', run);
cancelButton.addEventListener('click', () => host.post({ type: 'cancel' }));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});

host.onMessage((m) => {
  switch (m.type) {
    case 'start': {
      form = new ReplayForm(m.draft);
      variants.show(m.variants, m.variant);
      original = m.original;
      runs = [...m.runs];
      const warnings = m.warnings.length > 0 ? el('ul', { className: 'replay-warnings', testId: 'replay-warnings' }, m.warnings.map((w) => el('li', { text: w }))) : '';
      let restored: HTMLElement | '' = '';
      if (m.restored) {
        const reset = el('button', { className: 'link-button', testId: 'replay-reset', text: 'Start again from the captured request', attrs: { type: 'button' } });
        reset.addEventListener('click', () => host.post({ type: 'reset' }));
        restored = el('p', { className: 'replay-restored', testId: 'replay-restored' }, ['This is the request as you last sent it. ', reset]);
      }
      const page = el('main', { className: 'replay', testId: 'replay' }, [
        el('h1', { className: 'span-title', testId: 'replay-title', text: `Replay: ${m.title}` }),
        el('p', { className: 'muted', text: 'Edit the request and run it again, through the openai SDK, against any OpenAI-compatible endpoint. The captured call is not changed.' }),
        warnings,
        restored,
        variants.element,
        form.element,
        el('div', { className: 'replay-run-bar' }, [runButton, cancelButton, status, el('span', { className: 'spacer' }), el('span', { className: 'muted', text: 'Copy as' }), ...copyCodeButtons]),
        answers,
      ]);
      page.dataset.spanId = m.spanId;
      app.replaceChildren(page);
      setRunning(m.running);
      if (m.running === undefined) setStatus('', false);
      showAnswers();
      return;
    }
    case 'running':
      setRunning(m.id);
      return;
    case 'partial': {
      if (m.id !== running) return;
      const shown = streaming !== undefined;
      streaming = { id: m.id, text: m.text };
      // The text alone is replaced as it grows; the page is laid out again only when it starts.
      const pre = answers.querySelector('[data-testid="replay-streaming-text"]');
      if (shown && pre) pre.textContent = m.text;
      else {
        showAnswers();
        nextFrame(() => answers.querySelector('[data-testid="replay-streaming"]')?.scrollIntoView({ block: 'start' }));
      }
      return;
    }
    case 'result':
      runs = [...runs, m.run].slice(-REPLAY_RUNS_KEPT);
      streaming = undefined;
      setRunning(undefined);
      setStatus(m.run.outcome.ok ? `Replay #${m.run.id} answered in ${formatDuration(m.run.outcome.latencyMs)}.` : `Replay #${m.run.id} failed.`, !m.run.outcome.ok);
      showAnswers();
      // The answer may be below the fold of a long request: brought into view once its section has
      // rendered (a custom element lays out its content after it is attached).
      nextFrame(() => answers.querySelector('[data-testid="replay-latest"]')?.scrollIntoView({ block: 'start' }));
      return;
    case 'variants':
      variants.show(m.names, m.selected);
      setStatus(m.message, false);
      return;
    case 'refused':
      setStatus(m.message, true);
  }
});
host.post({ type: 'ready' });
