// A whole span detail page, top to bottom: header, error, LLM call, evaluations, conversation, attributes, events,
// links, resource, scope. Pure DOM building (no host access), so tests can render it.
import type { DetailInbound } from '../../../src/protocol/messages';
import { el } from '../shared/dom';
import { renderAttributes } from './attributesView';
import type { Post } from './common';
import { renderConversation } from './conversation';
import { renderEvaluations } from './evaluationsView';
import { renderEvents, renderLinks, renderScope } from './eventsView';
import { renderError, renderHeader } from './header';
import { renderLlmSummary } from './llmSummary';

export type SpanMessage = Extract<DetailInbound, { type: 'span' }>;

export function renderSpan({ span, trace, parentName, stackLinks }: SpanMessage, post: Post): HTMLElement {
  const llm = span.llm;
  const parts = [
    renderHeader(span, trace, parentName, post),
    renderError(span, post, stackLinks),
    llm ? renderLlmSummary(span, llm, post) : undefined,
    renderEvaluations(llm?.evaluations),
    llm ? renderConversation(llm, post) : undefined,
    renderAttributes('Attributes', 'attributes', span.attributes, post),
    renderEvents(span),
    renderLinks(span),
    renderAttributes('Resource', 'resource', span.resource, post, { open: false }),
    renderScope(span),
  ];
  const page = el('main', { className: 'detail', testId: 'span-detail' });
  for (const part of parts) if (part) page.append(part);
  page.dataset.spanId = span.spanId;
  page.dataset.traceId = span.traceId;
  return page;
}
