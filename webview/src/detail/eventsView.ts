// Span events (with their attributes and time from the span start), links to other spans, the scope.
import { isExceptionEvent, type Span } from '../../../src/protocol/model';
import { codicon, el } from '../shared/dom';
import { formatDuration } from '../../../src/protocol/format';
import { facts, longText, section } from './common';

/** ms between two decimal nanosecond strings (BigInt: the absolute values overflow a double). */
function sinceStart(start: string, time: string): number | undefined {
  try {
    return Number(BigInt(time) - BigInt(start)) / 1e6;
  } catch {
    return undefined;
  }
}

export function renderEvents(span: Span): HTMLElement | undefined {
  if (span.events.length === 0) return undefined;
  const list = span.events.map((event) => {
    const offset = sinceStart(span.startTimeUnixNano, event.timeUnixNano);
    const attrs = Object.entries(event.attributes);
    const exception = isExceptionEvent(event);
    const item = el('div', { className: `event ${exception ? 'is-exception' : ''}`.trim(), testId: 'event' }, [
      el('div', { className: 'event-head' }, [
        codicon(exception ? 'error' : 'symbol-event'),
        el('strong', { text: event.name }),
        offset === undefined ? '' : el('span', { className: 'muted', text: `+${formatDuration(offset)}` }),
      ]),
    ]);
    if (attrs.length > 0) {
      item.append(facts(attrs.map(([k, v]) => [k, longText(typeof v === 'string' ? v : JSON.stringify(v, null, 2), { className: 'attr-text' })]), 'facts compact'));
    }
    return item;
  });
  return section(`Events (${span.events.length})`, 'events', list);
}

export function renderLinks(span: Span): HTMLElement | undefined {
  if (span.links.length === 0) return undefined;
  const list = span.links.map((link) =>
    el('div', { className: 'link', testId: 'span-link' }, [
      codicon('link'),
      el('code', { text: `${link.traceId} / ${link.spanId}` }),
      Object.keys(link.attributes).length > 0 ? el('span', { className: 'muted', text: JSON.stringify(link.attributes) }) : '',
    ]),
  );
  return section(`Links (${span.links.length})`, 'links', list);
}

export function renderScope(span: Span): HTMLElement {
  return section('Instrumentation scope', 'scope', [facts([['Name', el('code', { text: span.scope.name || '(none)' })], ['Version', span.scope.version]])], { open: false });
}
