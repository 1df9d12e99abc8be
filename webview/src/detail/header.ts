// The top of the span detail: name, kind, status, timing, trace, parent link and source location,
// then the error (status message and the stack traces of exception events) when there is one.
import { isExceptionEvent, isModelCallOperation, shownName, type Span, type SpanEvent, type TraceSummary } from '../../../src/protocol/model';
import { codicon, el } from '../shared/dom';
import { formatClock, formatDuration, nanoToMs } from '../../../src/protocol/format';
import type { StackLinks } from '../../../src/protocol/messages';
import { promptNeedles } from '../../../src/source/promptLocator';
import { copyButton, facts, longText, section, type Post } from './common';

export function renderHeader(span: Span, trace: TraceSummary, parentName: string | undefined, post: Post): HTMLElement {
  const status = el('span', { className: `badge status-${span.status.code.toLowerCase()}`, testId: 'detail-status', text: span.status.code });
  const name = el('h1', { className: 'span-title', testId: 'detail-name' }, [shownName(span) || '(unnamed span)']);
  const source = sourceLink(span, post);
  let parent: HTMLElement | undefined;
  if (span.parentSpanId) {
    parent = el('button', { className: 'link-button', testId: 'detail-parent', attrs: { type: 'button' } }, [codicon('arrow-up'), parentName ?? span.parentSpanId]);
    parent.addEventListener('click', () => post({ type: 'openSpan', traceId: span.traceId, spanId: span.parentSpanId as string }));
  }
  const ids = el('span', { className: 'ids' }, [
    el('code', { text: span.spanId }),
    copyButton(span.spanId, 'span id', post, 'copy-span-id'),
  ]);
  return el('header', { className: 'detail-header', testId: 'detail-header' }, [
    el('div', { className: 'title-line' }, [name, status]),
    facts([
      // The title is a label the recorder kept in an attribute: the span's own name is still the name.
      ['Name', span.displayName === undefined ? undefined : el('code', { text: span.name }), 'detail-span-name'],
      ['Duration', formatDuration(span.durationMs), 'detail-duration'],
      ['Started', formatClock(nanoToMs(span.startTimeUnixNano)), 'detail-start'],
      ['Kind', span.kind, 'detail-kind'],
      ['Service', String(span.resource['service.name'] ?? trace.serviceName), 'detail-service'],
      ['Trace', el('span', {}, [trace.rootName, ' ', el('code', { className: 'muted', text: trace.traceId }), copyButton(trace.traceId, 'trace id', post, 'copy-trace-id')]), 'detail-trace'],
      ['Session', sessionFact(span, 'session', post), 'detail-session'],
      ['User', sessionFact(span, 'user', post), 'detail-user'],
      ['Parent', parent, undefined],
      ['Span id', ids, 'detail-span-id'],
      ['Source', source, undefined],
    ]),
  ]);
}

/**
 * The conversation (or end user) the span was part of, with a link that filters the trace list by it:
 * every turn of the conversation, every trace of the user.
 */
function sessionFact(span: Span, by: 'session' | 'user', post: Post): HTMLElement | undefined {
  const id = by === 'session' ? span.session?.id : span.session?.user;
  if (id === undefined) return undefined;
  const what = by === 'session' ? 'conversation' : 'user';
  const show = el('button', { className: 'link-button', testId: `detail-${by}-traces`, title: `Filter the trace list by this ${what}'s id`, attrs: { type: 'button' } }, [
    codicon('list-filter'),
    by === 'session' ? 'Its traces' : "The user's traces",
  ]);
  show.addEventListener('click', () => post({ type: 'filterBySession', traceId: span.traceId, spanId: span.spanId, by }));
  return el('span', { className: 'ids' }, [el('code', { text: id }), copyButton(id, `${by} id`, post, `copy-${by}-id`), show]);
}

/** Its recorded source location; a model call without one offers to find where its prompt is written. */
function sourceLink(span: Span, post: Post): HTMLElement | undefined {
  if (span.source) {
    const label = `${span.source.path}:${span.source.line}`;
    const how = span.source.origin === 'search' ? 'found by its prompt text' : span.source.origin;
    const link = el('button', { className: 'link-button source-link', testId: 'detail-source', title: `Open ${label} (${how})`, attrs: { type: 'button' } }, [codicon('go-to-file'), label]);
    link.addEventListener('click', () => post({ type: 'openSource', traceId: span.traceId, spanId: span.spanId }));
    return link;
  }
  // Only where there is prompt text to look for (a recorder may keep none: content capture off).
  if (!span.llm || !isModelCallOperation(span.llm.operation) || promptNeedles(span).length === 0) return undefined;
  const find = el('button', { className: 'link-button source-link', testId: 'detail-find-prompt', title: "Look for this call's prompt in the workspace's files", attrs: { type: 'button' } }, [
    codicon('search'),
    'Find prompt in workspace',
  ]);
  find.addEventListener('click', () => post({ type: 'openSource', traceId: span.traceId, spanId: span.spanId }));
  return find;
}

/**
 * Status message and exception stack traces, or undefined when the span did not fail. The lines of a stack
 * trace that the host found to be application frames (`stackLinks`) open their file at that line.
 */
export function renderError(span: Span, post: Post, stackLinks: readonly StackLinks[] = []): HTMLElement | undefined {
  const exceptions = distinctExceptions(span.events);
  if (span.status.code !== 'ERROR' && exceptions.length === 0) return undefined;
  const children: HTMLElement[] = [];
  if (span.status.message) children.push(el('p', { className: 'error-text', testId: 'detail-error-message', text: span.status.message }));
  for (const { event, index } of exceptions) {
    const type = String(event.attributes['exception.type'] ?? 'Exception');
    const message = String(event.attributes['exception.message'] ?? '');
    const stack = event.attributes['exception.stacktrace'];
    // Type and message in one flex item: as two, the gap read "Error : timeout".
    children.push(el('p', { className: 'exception-title' }, [codicon('error'), el('span', {}, [el('strong', { text: type }), message ? `: ${message}` : ''])]));
    if (typeof stack === 'string' && stack) {
      const lines = stackLinks.find((links) => links.event === index)?.lines ?? [];
      const open = (line: number): void => post({ type: 'openFrame', traceId: span.traceId, spanId: span.spanId, event: index, line });
      children.push(el('div', { className: 'stack' }, [copyButton(stack, 'stack trace', post, 'copy-stacktrace'), stackTrace(stack, lines, open)]));
    }
  }
  return section('Error', 'detail-error', children);
}

/** A stack trace as text (folding when long, as long texts do), its linked lines (by index) as links. */
function stackTrace(stack: string, lines: readonly number[], open: (line: number) => void): HTMLElement {
  const linked = new Set(lines);
  const whole = stack.split(/\r?\n/);
  const fill = (pre: HTMLElement, shown: string): void => {
    pre.replaceChildren();
    shown.split(/\r?\n/).forEach((line, at) => {
      if (at > 0) pre.append('\n');
      // A line cut short by the fold is text: its link would name a line it does not show.
      if (!linked.has(at) || line !== whole[at]) {
        pre.append(line);
        return;
      }
      const link = el('button', { className: 'link-button stack-frame', testId: 'stack-frame', text: line, attrs: { type: 'button', title: 'Open this line in the editor' } });
      link.addEventListener('click', () => open(at));
      pre.append(link);
    });
  };
  return longText(stack, { className: 'stacktrace', testId: 'detail-stacktrace', fill });
}

/**
 * The span's exception events, each error once, with their index among its events: a recorder may write
 * the same failure as OTel's `exception` event and as GenAI's (the same type, message and stack trace).
 */
function distinctExceptions(events: readonly SpanEvent[]): { event: SpanEvent; index: number }[] {
  const seen = new Set<string>();
  const distinct: { event: SpanEvent; index: number }[] = [];
  events.forEach((event, index) => {
    if (!isExceptionEvent(event)) return;
    const key = JSON.stringify(['exception.type', 'exception.message', 'exception.stacktrace'].map((k) => event.attributes[k] ?? null));
    if (seen.has(key)) return;
    seen.add(key);
    distinct.push({ event, index });
  });
  return distinct;
}
