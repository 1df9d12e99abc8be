// The replay page: the request as a form (endpoint, model, parameters, messages, tools), a Run bar, and
// the answers: the captured one beside the latest replay, earlier replays below. Pure DOM building (the
// host connection is main.ts's), so tests can render it. Trace content is only ever set as text.
import type { LlmMessage, LlmUsage, ToolCall } from '../../../src/protocol/model';
import { REPLAY_ROLES, replayRunLabel, type ReplayApi, type ReplayDraft, type ReplayImage, type ReplayMessage, type ReplayParams, type ReplayRun } from '../../../src/protocol/replay';
import { formatCost, formatDuration } from '../../../src/protocol/format';
import { codicon, el, iconButton, type ValueElement } from '../shared/dom';
import { nextFrame } from '../shared/nextFrame';
import { facts, section, type Post } from '../detail/common';
import { messageText, renderMessage } from '../detail/conversation';
import { ToolCallEditor } from './toolCallEditor';
import { wordDiff } from './textDiff';

/** The parameters the form edits, in its order, with their labels. */
const PARAMS: readonly { key: 'temperature' | 'top_p' | 'max_tokens' | 'seed'; label: string; integer: boolean }[] = [
  { key: 'temperature', label: 'Temperature', integer: false },
  { key: 'top_p', label: 'Top p', integer: false },
  { key: 'max_tokens', label: 'Max tokens', integer: true },
  { key: 'seed', label: 'Seed', integer: true },
];

/** The APIs a replay can go through, as the OpenAI docs name them. */
const APIS: readonly { api: ReplayApi; label: string }[] = [
  { api: 'chat', label: 'Chat Completions' },
  { api: 'responses', label: 'Responses' },
];

interface MessageEditor {
  box: HTMLElement;
  role: ValueElement;
  content: ValueElement;
  /** A user message's images still in it (each can be removed). */
  images: ReplayImage[];
  /** An assistant turn's tool calls. */
  toolCalls: ToolCallEditor[];
  /** Where its tool calls are shown, an added one last. */
  callsBox: HTMLElement;
  /** Kept as captured: not edited here. */
  message: ReplayMessage;
}

/** The form of one draft: builds its elements, and reads them back into a draft when run. */
export class ReplayForm {
  readonly element: HTMLElement;
  private readonly api: ValueElement;
  private readonly baseUrl: ValueElement;
  private readonly model: ValueElement;
  private readonly params = new Map<string, ValueElement>();
  private readonly effort: ValueElement;
  /** Only for a call that continued a stored response (`previous_response_id`). */
  private readonly previous: ValueElement | undefined;
  private readonly tools: ValueElement;
  private readonly list: HTMLElement;
  private readonly messages: MessageEditor[] = [];
  private readonly messagesSection: HTMLElement;

  constructor(private readonly draft: ReplayDraft) {
    this.api = el('vscode-single-select', { testId: 'replay-api' }) as unknown as ValueElement;
    for (const { api, label } of APIS) this.api.append(el('vscode-option', { text: label, attrs: { value: api } }));
    this.api.value = draft.api ?? 'chat';
    this.baseUrl = textField('replay-base-url', draft.baseUrl, 'https://api.openai.com/v1');
    this.model = textField('replay-model', draft.model, 'gpt-4o-mini');
    const rows: [string, HTMLElement][] = [
      ['API', this.api],
      ['Base URL', this.baseUrl],
      ['Model', this.model],
    ];
    for (const { key, label } of PARAMS) {
      const value = draft.params[key];
      const field = textField(`replay-${key.replace('_', '-')}`, value === undefined ? '' : String(value), 'default');
      this.params.set(key, field);
      rows.push([label, field]);
    }
    // Free text: providers add levels (`minimal`, `xhigh`) faster than a list here would follow.
    this.effort = textField('replay-reasoning-effort', draft.params.reasoning_effort ?? '', 'default');
    rows.push(['Reasoning effort', this.effort]);
    // The earlier turns of a continued conversation are on the server, under this id: without it, the
    // replay would send only the turns recorded here. Emptied, it sends just those.
    if (draft.previousResponseId !== undefined) {
      this.previous = textField('replay-previous-response', draft.previousResponseId, 'none: only the messages below');
      rows.push(['Continues response', this.previous]);
    }
    const grid = el('div', { className: 'replay-fields' });
    for (const [label, field] of rows) {
      field.setAttribute('aria-label', label);
      grid.append(el('label', { className: 'replay-label', text: label }), field);
    }
    this.list = el('div', { className: 'replay-messages', testId: 'replay-messages' });
    for (const message of draft.messages) this.addMessage(message);
    const add = el('button', { className: 'link-button', testId: 'replay-add-message', attrs: { type: 'button' } }, [codicon('add'), 'Add message']);
    add.addEventListener('click', () => {
      const last = this.messages[this.messages.length - 1]?.role.value;
      focusWhenShown(this.addMessage({ role: last === 'user' ? 'assistant' : 'user', content: '' }).content);
    });
    this.tools = el('vscode-textarea', { className: 'replay-tools', testId: 'replay-tools', attrs: { rows: '8', placeholder: 'No tools: [ { "type": "function", "function": { … } } ]', 'aria-label': 'Tools (JSON)' } }) as unknown as ValueElement;
    this.tools.value = draft.tools;
    this.messagesSection = section(messagesHeading(draft.messages.length), 'replay-messages-section', [this.list, add]);
    this.element = el('div', { className: 'replay-form' }, [
      section('Request', 'replay-request', [grid]),
      this.messagesSection,
      section('Tools (JSON)', 'replay-tools-section', [this.tools], { open: draft.tools !== '' }),
    ]);
  }

  /** The draft as edited, or what is wrong with a field. */
  collect(): { draft: ReplayDraft } | { error: string } {
    const params: ReplayParams = {};
    for (const { key, label, integer } of PARAMS) {
      const text = (this.params.get(key)?.value ?? '').trim();
      if (text === '') continue;
      const value = Number(text);
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) return { error: `${label} must be ${integer ? 'a whole number' : 'a number'}, or empty for the endpoint's default.` };
      params[key] = value;
    }
    if (this.draft.params.stop) params.stop = this.draft.params.stop;
    const effort = this.effort.value.trim();
    if (effort) params.reasoning_effort = effort;
    const messages: ReplayMessage[] = [];
    for (const { role, content, images, toolCalls, message } of this.messages) {
      const edited: ReplayMessage = { role: role.value as ReplayMessage['role'], content: content.value };
      if (edited.role === 'assistant' && (message.toolCalls || toolCalls.length > 0)) {
        edited.toolCalls = [];
        for (const editor of toolCalls) {
          const read = editor.read();
          if ('error' in read) return read;
          edited.toolCalls.push(read.call);
        }
      }
      if (edited.role === 'tool' && message.toolCallId) edited.toolCallId = message.toolCallId;
      if (edited.role === 'user' && images.length > 0) edited.images = [...images];
      messages.push(edited);
    }
    const api: ReplayApi = this.api.value === 'responses' ? 'responses' : 'chat';
    const draft: ReplayDraft = { ...this.draft, ...(api !== (this.draft.api ?? 'chat') ? { api } : {}), baseUrl: this.baseUrl.value.trim(), model: this.model.value.trim(), params, messages, tools: this.tools.value };
    const previous = this.previous?.value.trim();
    if (previous) draft.previousResponseId = previous;
    else delete draft.previousResponseId;
    return { draft };
  }

  /** A message's editor, at `at` in the list (default: last). */
  private addMessage(message: ReplayMessage, at = this.messages.length): MessageEditor {
    const role = el('vscode-single-select', { className: 'replay-role', testId: 'replay-message-role', attrs: { 'aria-label': 'Role' } }) as unknown as ValueElement;
    for (const name of REPLAY_ROLES) role.append(el('vscode-option', { text: name, attrs: { value: name } }));
    role.value = message.role;
    const content = el('vscode-textarea', {
      className: 'replay-content',
      testId: 'replay-message-content',
      attrs: { rows: String(Math.min(12, Math.max(2, message.content.split('\n').length + 1))), resize: 'vertical', 'aria-label': `${message.role} message` },
    }) as unknown as ValueElement;
    content.value = message.content;
    const remove = iconButton('close', 'Remove this message', 'remove-message', 'replay-remove-message');
    const head = el('div', { className: 'replay-message-head' }, [
      role,
      message.toolCallId ? el('span', { className: 'muted', text: `answers ${message.toolCallId}` }) : '',
      el('span', { className: 'spacer' }),
      remove,
    ]);
    const callsBox = el('div', { className: 'replay-tool-calls' });
    // Shown while the role is assistant: only an assistant turn calls tools.
    const addCall = el('button', { className: 'link-button replay-add-tool-call', testId: 'replay-add-tool-call', attrs: { type: 'button' } }, [codicon('add'), 'Add tool call']);
    const box = el('div', { className: 'replay-message', testId: 'replay-message' }, [head, content, callsBox, addCall]);
    const editor: MessageEditor = { box, role, content, images: [...(message.images ?? [])], toolCalls: [], callsBox, message };
    // An assistant turn's tool calls, each editable; the tool results after it answer them by id.
    for (const call of message.toolCalls ?? []) this.showToolCall(editor, call);
    // From the message at first: the select's value reads back only once the element is on the page.
    addCall.hidden = message.role !== 'assistant';
    role.addEventListener('change', () => (addCall.hidden = role.value !== 'assistant'));
    addCall.addEventListener('click', () => this.addToolCall(editor));
    for (const image of editor.images) {
      const remove = iconButton('close', 'Do not send this image', 'remove-image', 'replay-remove-image');
      const chip = el('span', { className: 'replay-image', testId: 'replay-image' }, [codicon('file-media'), imageLabel(image), remove]);
      remove.addEventListener('click', () => {
        editor.images.splice(editor.images.indexOf(image), 1);
        chip.remove();
      });
      box.append(chip);
    }
    remove.addEventListener('click', () => this.removeMessage(editor));
    this.list.insertBefore(box, this.messages[at]?.box ?? null);
    this.messages.splice(at, 0, editor);
    this.relabel();
    return editor;
  }

  private removeMessage(editor: MessageEditor): void {
    this.messages.splice(this.messages.indexOf(editor), 1);
    editor.box.remove();
    this.relabel();
  }

  private showToolCall(editor: MessageEditor, call: ToolCall): ToolCallEditor {
    const callEditor = new ToolCallEditor(call, () => this.removeToolCall(editor, callEditor));
    editor.toolCalls.push(callEditor);
    editor.callsBox.append(callEditor.element);
    return callEditor;
  }

  /** The call, and the tool messages answering it: the API refuses a tool result that answers no call. */
  private removeToolCall(editor: MessageEditor, callEditor: ToolCallEditor): void {
    editor.toolCalls.splice(editor.toolCalls.indexOf(callEditor), 1);
    callEditor.element.remove();
    const id = callEditor.call.id;
    if (id) for (const answer of this.messages.filter((m) => m.message.toolCallId === id)) this.removeMessage(answer);
  }

  /**
   * A new call of this turn, with a tool message answering it after the turn's other answers: every call
   * needs one (the API refuses a call left unanswered), and it is where the user writes what the tool said.
   */
  private addToolCall(editor: MessageEditor): void {
    const ids = new Set(this.messages.flatMap((m) => [...m.toolCalls.map((c) => c.call.id), m.message.toolCallId]));
    let n = 1;
    while (ids.has(`call_added_${n}`)) n++;
    const id = `call_added_${n}`;
    const callEditor = this.showToolCall(editor, { id, name: '', arguments: '{}' });
    let at = this.messages.indexOf(editor) + 1;
    while (this.messages[at]?.role.value === 'tool') at++;
    this.addMessage({ role: 'tool', content: '', toolCallId: id }, at);
    focusWhenShown(callEditor);
  }

  private relabel(): void {
    this.messagesSection?.querySelector('vscode-collapsible')?.setAttribute('heading', messagesHeading(this.messages.length));
  }
}

/**
 * Focuses a field just added: a vscode-elements field hands focus to its input (delegatesFocus), which
 * exists once the element has rendered, a frame after it is on the page.
 */
function focusWhenShown(field: { focus(): void }): void {
  nextFrame(() => field.focus());
}

/** What an image chip says: its type and size for recorded bytes, its URL otherwise (as text). */
function imageLabel(image: ReplayImage): string {
  if (!image.url.startsWith('data:')) return image.url.length > 80 ? `${image.url.slice(0, 79)}…` : image.url;
  const base64 = image.url.slice(image.url.indexOf(',') + 1);
  const kb = Math.max(1, Math.round((base64.length * 3) / 4 / 1024));
  return `${image.mimeType ?? 'image'} · ${kb.toLocaleString('en-US')} KB`;
}

function messagesHeading(count: number): string {
  return `Messages (${count})`;
}

function textField(testId: string, value: string, placeholder: string): ValueElement {
  const field = el('vscode-textfield', { testId, attrs: { placeholder } }) as unknown as ValueElement;
  field.value = value;
  return field;
}

/** One side of the comparison: the captured answer, or a replay's. */
type Answer = { messages: LlmMessage[]; model?: string; usage: LlmUsage; costUsd?: number; latencyMs: number };

export function answerColumn(heading: string, testId: string, answer: Answer | { error: string; latencyMs: number }, post: Post): HTMLElement {
  const column = el('div', { className: 'replay-answer', testId }, [el('h3', { text: heading })]);
  if ('error' in answer) {
    column.append(el('p', { className: 'error-text', testId: 'replay-error', text: answer.error }));
    return column;
  }
  const { usage } = answer;
  column.append(
    facts(
      [
        ['Model', answer.model, 'replay-answer-model'],
        ['Tokens', usage.inputTokens === undefined && usage.outputTokens === undefined ? undefined : `${usage.inputTokens ?? '?'} → ${usage.outputTokens ?? '?'}`, 'replay-answer-tokens'],
        // "—": the price table does not know the model (unknown, not free).
        ['Cost', formatCost(answer.costUsd), 'replay-answer-cost'],
        ['Latency', formatDuration(answer.latencyMs), 'replay-answer-latency'],
      ],
      'facts compact',
    ),
  );
  if (answer.messages.length === 0) column.append(el('p', { className: 'muted', text: 'No answer was recorded.' }));
  for (const message of answer.messages) column.append(renderMessage(message, 'output', post));
  return column;
}

/** What the latest answer changed from the captured one, word by word (deleted struck through, added underlined). */
function renderChanges(captured: readonly LlmMessage[], replayed: readonly LlmMessage[]): HTMLElement {
  const text = (messages: readonly LlmMessage[]) => messages.map(messageText).join('\n\n');
  const runs = wordDiff(text(captured), text(replayed));
  let body: HTMLElement;
  if (!runs) body = el('p', { className: 'muted', text: 'Too long to compare word by word.' });
  else if (runs.every((run) => run.kind === 'same')) body = el('p', { className: 'muted', text: 'The same answer, word for word.' });
  else {
    body = el('pre', { className: 'text-block message-text replay-diff', testId: 'replay-diff' });
    for (const run of runs) body.append(run.kind === 'same' ? run.text : el(run.kind === 'added' ? 'ins' : 'del', { text: run.text }));
  }
  return el('details', { className: 'replay-changes', testId: 'replay-changes', attrs: { open: '' } }, [el('summary', { text: 'Changes from the captured answer' }), body]);
}

/** A run's answer as it streams in: its text so far, updated in place (`replay-streaming-text`). */
export interface StreamingAnswer {
  id: number;
  text: string;
}

/** The answers: the captured one beside the latest run (or the one streaming in), earlier runs after. */
export function renderAnswers(original: Answer, runs: readonly ReplayRun[], post: Post, streaming?: StreamingAnswer): HTMLElement {
  const latest = runs[runs.length - 1];
  let beside: HTMLElement;
  if (streaming) {
    beside = el('div', { className: 'replay-answer', testId: 'replay-streaming' }, [
      el('h3', { text: `Replay #${streaming.id} (answering…)` }),
      el('pre', { className: 'text-block message-text', testId: 'replay-streaming-text', text: streaming.text }),
    ]);
  } else if (latest) beside = answerColumn(replayRunLabel(latest), 'replay-latest', latest.outcome, post);
  else beside = el('div', { className: 'replay-answer muted', testId: 'replay-latest-empty', text: 'Run the request to see its answer here.' });
  const compare = el('div', { className: 'replay-compare' }, [answerColumn('Captured', 'replay-original', original, post), beside]);
  const children: HTMLElement[] = [compare];
  if (!streaming && latest?.outcome.ok) children.push(renderChanges(original.messages, latest.outcome.messages));
  for (const run of runs.slice(0, -1).reverse()) {
    const details = el('details', { className: 'replay-earlier', testId: 'replay-earlier' }, [
      el('summary', { text: `${replayRunLabel(run)}${run.outcome.ok ? '' : ': failed'}` }),
      answerColumn(`Replay #${run.id}`, 'replay-earlier-answer', run.outcome, post),
    ]);
    children.push(details);
  }
  return section('Answers', 'replay-answers', children);
}
