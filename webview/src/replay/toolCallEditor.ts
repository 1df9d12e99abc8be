// One tool call of an assistant turn in the replay form: its function name and arguments as fields, so a
// replay can ask "what if the model had called it so?" (the tool's answer is the tool message after it,
// edited there). The call id stays as captured: the tool message answers it by that id. A call can be
// removed, and one added (ReplayForm: with its tool message, for "what if it had called this too?").
import type { ToolCall } from '../../../src/protocol/model';
import { prettyJson } from '../../../src/protocol/format';
import { codicon, el, iconButton, type ValueElement } from '../shared/dom';

export class ToolCallEditor {
  readonly element: HTMLElement;
  private readonly name: ValueElement;
  private readonly args: ValueElement;
  /** The arguments as first shown (pretty JSON): unchanged, the captured text is sent as it was. */
  private readonly shownArgs: string;

  /** `onRemove`: the remove button was pressed (the form takes the call, and the tool message answering it, out). */
  constructor(
    readonly call: ToolCall,
    onRemove: () => void,
  ) {
    this.name = el('vscode-textfield', { className: 'replay-tool-call-name', testId: 'replay-tool-call-name', attrs: { 'aria-label': 'Function name' } }) as unknown as ValueElement;
    this.name.value = call.name;
    this.shownArgs = prettyJson(call.arguments);
    this.args = el('vscode-textarea', {
      className: 'replay-tool-call-arguments',
      testId: 'replay-tool-call-arguments',
      attrs: { rows: String(Math.min(10, this.shownArgs.split('\n').length + 1)), resize: 'vertical', 'aria-label': `Arguments of ${call.name || 'the tool call'} (JSON)` },
    }) as unknown as ValueElement;
    this.args.value = this.shownArgs;
    const remove = iconButton('close', 'Remove this call and the tool message answering it', 'remove-tool-call', 'replay-remove-tool-call');
    remove.addEventListener('click', onRemove);
    this.element = el('div', { className: 'replay-tool-call', testId: 'replay-tool-call' }, [
      el('div', { className: 'replay-message-head' }, [
        codicon('tools'),
        this.name,
        call.id ? el('span', { className: 'muted replay-tool-call-id', text: call.id, title: call.id }) : '',
        el('span', { className: 'spacer' }),
        remove,
      ]),
      this.args,
    ]);
  }

  focus(): void {
    this.name.focus();
  }

  /** The call as edited (the captured one when nothing changed), or what is wrong with it. */
  read(): { call: ToolCall } | { error: string } {
    const name = this.name.value.trim();
    if (!name) return { error: `A tool call${this.call.id ? ` (${this.call.id})` : ''} needs a function name.` };
    const text = this.args.value;
    if (text === this.shownArgs) return { call: name === this.call.name ? this.call : { ...this.call, name } };
    // Edited: sent as compact JSON, as SDKs send arguments. A model reads them as JSON, and a typo would
    // otherwise reach it as a broken call instead of being said here.
    const trimmed = text.trim() || '{}';
    try {
      return { call: { ...this.call, name, arguments: JSON.stringify(JSON.parse(trimmed)) } };
    } catch (err) {
      return { error: `The arguments of the call to ${name} are not JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
