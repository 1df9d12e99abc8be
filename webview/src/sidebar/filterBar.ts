// The filter box (text over span names and message content, evaluated by the store) and the service,
// model and status drop-downs. Typing is debounced: one query per pause, not per key.
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { StatusCode, TraceQuery } from '../../../src/protocol/model';
import { codicon, el, iconButton } from '../shared/dom';
import { formatCount } from '../../../src/protocol/format';

const DEBOUNCE_MS = 200;

export class FilterBar {
  readonly element: HTMLElement;
  private readonly text: VscodeTextfield;
  private readonly service: VscodeSingleSelect;
  private readonly model: VscodeSingleSelect;
  private readonly status: VscodeSingleSelect;
  private readonly selects: HTMLElement;
  private readonly count = el('span', { className: 'trace-count', testId: 'trace-count', attrs: { 'aria-live': 'polite' } });
  /** Spanlight: Search All Trace Text for the typed text: the filter sees only the edges of long texts. */
  private readonly searchAll = el('button', {
    className: 'link-button',
    testId: 'search-all-text',
    text: 'Search all text…',
    attrs: {
      type: 'button',
      title: 'The filter matches names, models and the start and end of long texts. Read every stored span for this text, whole.',
    },
  });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private optionsKey = '';
  /** The last query handed out: programmatic value changes (options refill) must not re-query. */
  private lastEmitted: string;

  constructor(
    initial: TraceQuery,
    private readonly onChange: (query: TraceQuery) => void,
    /** ArrowDown from the text box moves into the list. */
    private readonly onLeaveDown: () => void,
    onSearchAll: (text: string) => void,
  ) {
    this.lastEmitted = JSON.stringify(initial);
    this.text = el('vscode-textfield', { testId: 'filter-text', attrs: { placeholder: 'Filter by name or message text', 'aria-label': 'Filter traces' } });
    this.text.append(el('span', { attrs: { slot: 'content-before' } }, [codicon('search')]));
    this.text.value = initial.q ?? '';
    this.text.addEventListener('input', () => this.changed(true));
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        this.onLeaveDown();
      } else if (e.key === 'Escape' && this.text.value) {
        this.text.value = '';
        this.changed(false);
      }
    });
    this.searchAll.addEventListener('click', () => onSearchAll(this.text.value.trim()));
    this.service = this.select('filter-service', 'Service');
    this.model = this.select('filter-model', 'Model');
    this.status = this.select('filter-status', 'Status');
    this.fillOptions(this.status, 'All statuses', ['ERROR', 'OK', 'UNSET'], initial.status);
    this.fillOptions(this.service, 'All services', [], initial.service);
    this.fillOptions(this.model, 'All models', [], initial.model);
    const toggle = iconButton('filter', 'More filters', 'toggle-filters', 'filter-toggle');
    toggle.addEventListener('click', () => {
      this.selects.hidden = !this.selects.hidden;
      toggle.classList.toggle('active', !this.selects.hidden);
      toggle.setAttribute('aria-expanded', String(!this.selects.hidden));
    });
    const anySelected = Boolean(initial.service || initial.model || initial.status);
    this.selects = el('div', { className: 'filter-selects' }, [this.service, this.model, this.status]);
    this.selects.hidden = !anySelected;
    toggle.classList.toggle('active', anySelected);
    toggle.setAttribute('aria-expanded', String(anySelected));
    this.element = el('div', { className: 'filter-bar', testId: 'filter-bar' }, [
      el('div', { className: 'filter-line' }, [this.text, toggle]),
      this.selects,
      el('div', { className: 'count-line' }, [this.count, this.searchAll]),
    ]);
  }

  focus(): void {
    this.text.focus();
  }

  /** The list filtered by `text` alone (the drop-downs cleared: "every turn of this conversation"), queried again. */
  filterBy(text: string): void {
    this.text.value = text;
    for (const select of [this.service, this.model, this.status]) select.value = '';
    this.changed(false);
  }

  /** No filter at all, and the list queried again so. */
  clear(): void {
    this.filterBy('');
  }

  query(): TraceQuery {
    const q: TraceQuery = {};
    if (this.text.value.trim()) q.q = this.text.value.trim();
    if (this.service.value) q.service = this.service.value;
    if (this.model.value) q.model = this.model.value;
    if (this.status.value) q.status = this.status.value as StatusCode;
    return q;
  }

  setCount(shown: number, total: number, filtered: boolean): void {
    this.searchAll.hidden = !this.text.value.trim();
    const noun = total === 1 ? 'trace' : 'traces';
    this.count.textContent = filtered ? `${formatCount(total)} matching ${noun}` : `${formatCount(total)} ${noun}`;
    if (shown < total) this.count.textContent += ` · ${formatCount(shown)} loaded`;
  }

  /** Options grow as traces arrive; the current choice stays selected. */
  setOptions(services: string[], models: string[]): void {
    const key = `${services.join('\u0000')}\u0001${models.join('\u0000')}`;
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.fillOptions(this.service, 'All services', services, this.service.value);
    this.fillOptions(this.model, 'All models', models, this.model.value);
  }

  private select(testId: string, label: string): VscodeSingleSelect {
    const select = el('vscode-single-select', { testId, attrs: { 'aria-label': label } });
    // The element's inner combobox takes its accessible name from `label`, not from the host's aria-label.
    select.label = label;
    select.addEventListener('change', () => this.changed(false));
    return select;
  }

  private fillOptions(select: VscodeSingleSelect, allLabel: string, values: string[], current: string | undefined): void {
    const options = [el('vscode-option', { text: allLabel, attrs: { value: '' } })];
    const list = current && !values.includes(current) ? [current, ...values] : values;
    for (const value of list) options.push(el('vscode-option', { text: value, attrs: { value } }));
    select.replaceChildren(...options);
    select.value = current ?? '';
  }

  private changed(debounce: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    if (!debounce) return this.emit();
    this.timer = setTimeout(() => this.emit(), DEBOUNCE_MS);
  }

  private emit(): void {
    const query = this.query();
    const key = JSON.stringify(query);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.onChange(query);
  }
}
