// The replay page's saved variants of the request: which one the form shows (or the captured request),
// Save as variant… (the host asks for the name), and delete the one shown. The host keeps them
// (replayHistory.ts); this only shows them and says what the user picked.
import type { ReplayOutbound } from '../../../src/protocol/messages';
import type { ReplayDraft } from '../../../src/protocol/replay';
import { codicon, el, iconButton, type ValueElement } from '../shared/dom';

/** The select's value of the captured request (a variant's is its name after VARIANT_PREFIX, never equal to it). */
const CAPTURED = 'captured';
const VARIANT_PREFIX = 'variant:';

export class VariantBar {
  readonly element: HTMLElement;
  private select: ValueElement;
  private readonly remove: HTMLButtonElement;
  /** The variant shown (the host says, in show()); undefined: the captured request, or an edit of it. */
  private shown: string | undefined;

  constructor(
    private readonly post: (m: ReplayOutbound) => void,
    /** The form's draft, or undefined (with the reason shown) when a field is not valid. */
    draft: () => ReplayDraft | undefined,
  ) {
    this.select = this.newSelect([], undefined);
    const save = el('button', { className: 'link-button', testId: 'replay-save-variant', title: 'Keep this request under a name, to load and run it again later', attrs: { type: 'button' } }, [
      codicon('save'),
      'Save as variant…',
    ]);
    save.addEventListener('click', () => {
      const edited = draft();
      if (edited) post({ type: 'saveVariant', draft: edited });
    });
    this.remove = iconButton('trash', 'Delete this saved variant', 'delete-variant', 'replay-delete-variant');
    this.remove.hidden = true;
    this.remove.addEventListener('click', () => {
      if (this.shown !== undefined) post({ type: 'deleteVariant', name: this.shown });
    });
    this.element = el('div', { className: 'replay-variants', testId: 'replay-variants' }, [el('span', { className: 'replay-label', text: 'Variant' }), this.select, this.remove, save]);
  }

  /** Lists `names` (after the captured request) with `selected` shown, or the captured request. */
  show(names: readonly string[], selected: string | undefined): void {
    // A new select each time: one already on the page reads options changed under it only later (on
    // slotchange), after the value set here, and then showed the first option.
    this.shown = selected !== undefined && names.includes(selected) ? selected : undefined;
    const select = this.newSelect(names, this.shown);
    this.select.replaceWith(select);
    this.select = select;
    // (Not from the select's value: a select not yet on the page has none until it is.)
    this.remove.hidden = this.shown === undefined;
  }

  private newSelect(names: readonly string[], selected: string | undefined): ValueElement {
    const select = el('vscode-single-select', { className: 'replay-variant', testId: 'replay-variant', attrs: { 'aria-label': 'Variant of the request shown' } }) as unknown as ValueElement;
    const value = selected === undefined ? CAPTURED : VARIANT_PREFIX + selected;
    const option = (text: string, optionValue: string) => el('vscode-option', { text, attrs: optionValue === value ? { value: optionValue, selected: '' } : { value: optionValue } });
    select.append(option('Captured request', CAPTURED), ...names.map((name) => option(name, VARIANT_PREFIX + name)));
    select.value = value;
    select.addEventListener('change', () => this.post({ type: 'loadVariant', name: select.value.startsWith(VARIANT_PREFIX) ? select.value.slice(VARIANT_PREFIX.length) : '' }));
    return select;
  }
}
