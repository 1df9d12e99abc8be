// A searchable key/value table (span attributes, resource): filter box, a copy button per value and
// "copy all as JSON". Keys and values are text; long values collapse.
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { codicon, el } from '../shared/dom';
import { copyButton, longText, section, type Post } from './common';

function valueText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export function renderAttributes(title: string, testId: string, attributes: Attributes, post: Post, options: { open?: boolean } = {}): HTMLElement {
  const keys = Object.keys(attributes).sort();
  const rows = keys.map((key) => {
    const text = valueText(attributes[key]);
    const row = el('div', { className: 'attr-row', testId: 'attribute-row' }, [
      el('div', { className: 'attr-key' }, [el('code', { text: key })]),
      el('div', { className: 'attr-value' }, [longText(text, { className: 'attr-text' })]),
      copyButton(text, `attribute ${key}`, post, 'copy-attribute'),
    ]);
    row.dataset.key = key;
    return { row, haystack: `${key}\n${text}`.toLowerCase() };
  });
  const table = el('div', { className: 'attr-table', testId: `${testId}-table` }, rows.map((r) => r.row));
  const none = el('p', { className: 'muted', text: keys.length === 0 ? 'None.' : 'No attribute matches the filter.' });
  none.hidden = keys.length > 0;
  const children: HTMLElement[] = [];
  if (keys.length > 8) {
    const filter = el('vscode-textfield', { testId: `${testId}-filter`, attrs: { placeholder: 'Filter keys and values', 'aria-label': `Filter ${title.toLowerCase()}` } });
    filter.append(el('span', { attrs: { slot: 'content-before' } }, [codicon('filter')]));
    filter.addEventListener('input', () => {
      const needle = filter.value.trim().toLowerCase();
      let shown = 0;
      for (const r of rows) {
        r.row.hidden = needle !== '' && !r.haystack.includes(needle);
        if (!r.row.hidden) shown++;
      }
      none.hidden = shown > 0;
    });
    children.push(filter);
  }
  children.push(table, none);
  return section(`${title} (${keys.length})`, testId, children, {
    open: options.open,
    actions: [copyButton(JSON.stringify(attributes, null, 2), `${title.toLowerCase()} as JSON`, post, `copy-all-${testId}`)],
  });
}
