// The LLM call at a glance: models, tokens, cost, latency and time to first token, finish reasons,
// parameters, the tools offered; for tool spans the tool's input and output; for chains and retrievers
// their generic input/output. The section is titled by the span's operation.
import { isModelCallOperation, type JsonValue, type LlmCall, type Span, type ToolDefinition } from '../../../src/protocol/model';
import { replayRefusal } from '../../../src/protocol/replay';
import { codicon, el } from '../shared/dom';
import { formatCost, formatDuration, prettyJson } from '../../../src/protocol/format';
import { copyButton, facts, longText, section, type Post } from './common';

function count(n: number | undefined): string | undefined {
  return n === undefined ? undefined : n.toLocaleString('en-US');
}

function paramText(value: JsonValue | ToolDefinition[] | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toolList(tools: ToolDefinition[]): HTMLElement {
  const list = el('div', { className: 'tool-defs', testId: 'detail-tools' });
  for (const tool of tools) {
    const details = el('details', { className: 'tool-def' }, [
      el('summary', {}, [el('code', { text: tool.name }), tool.description ? el('span', { className: 'muted', text: ` — ${tool.description}` }) : '']),
    ]);
    if (tool.parameters !== undefined) details.append(longText(JSON.stringify(tool.parameters, null, 2), { className: 'json' }));
    list.append(details);
  }
  return list;
}

export function renderLlmSummary(span: Span, llm: LlmCall, post: Post): HTMLElement {
  const { usage, params } = llm;
  const { tools, ...rest } = params;
  const paramRows: [string, string][] = [];
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) paramRows.push([key, paramText(value)]);
  const children: HTMLElement[] = [
    facts([
      ['Operation', llm.operation, 'detail-operation'],
      ['Provider', llm.provider, 'detail-provider'],
      ['Request model', llm.requestModel, 'detail-model-request'],
      ['Response model', llm.responseModel, 'detail-model-response'],
      ['Input tokens', count(usage.inputTokens), 'detail-tokens-input'],
      ['Output tokens', count(usage.outputTokens), 'detail-tokens-output'],
      ['Cached input', count(usage.cachedInputTokens), 'detail-tokens-cached'],
      ['Cache write', count(usage.cacheCreationInputTokens), 'detail-tokens-cache-write'],
      ['Reasoning', count(usage.reasoningTokens), 'detail-tokens-reasoning'],
      ['Total tokens', count(usage.totalTokens), 'detail-tokens-total'],
      // "—" says the price is unknown; a $0 would claim the call was free. A span that is no model call and
      // reports no cost (a tool, a workflow step) has no price to be unknown.
      ['Cost', llm.costUsd !== undefined || isModelCallOperation(llm.operation) ? formatCost(llm.costUsd) : undefined, 'detail-cost'],
      // What the agent or SDK itself computed (Claude Code, Langfuse); the cost above is the price table's where it knows the model.
      ['Reported cost', llm.reportedCostUsd === undefined ? undefined : formatCost(llm.reportedCostUsd), 'detail-cost-reported'],
      ['Latency', formatDuration(span.durationMs), 'detail-latency'],
      // A streamed call: when its answer started, beside the latency to its end.
      ['Time to first token', llm.timeToFirstTokenMs === undefined ? undefined : formatDuration(llm.timeToFirstTokenMs), 'detail-ttft'],
      ['Finish reasons', llm.finishReasons.join(', '), 'detail-finish-reasons'],
      ['Server', llm.serverAddress ? `${llm.serverAddress}${llm.serverPort ? `:${llm.serverPort}` : ''}` : undefined, 'detail-server'],
      ['Convention', llm.convention.join(', '), 'detail-convention'],
    ]),
  ];
  if (paramRows.length > 0) {
    children.push(el('h3', { text: 'Parameters' }), facts(paramRows.map(([k, v]) => [k, el('code', { text: v }), 'detail-param'])));
  }
  if (tools && tools.length > 0) children.push(el('h3', { text: `Tools offered (${tools.length})` }), toolList(tools));
  if (llm.tool) {
    const t = llm.tool;
    children.push(el('h3', { text: 'Tool' }), facts([['Name', el('code', { text: t.name })], ['Call id', t.callId]]));
    if (t.arguments !== undefined) children.push(labelled('Arguments', prettyJson(t.arguments), post, 'detail-tool-arguments'));
    if (t.result !== undefined) children.push(labelled('Result', prettyJson(t.result), post, 'detail-tool-result'));
  }
  if (llm.input !== undefined) children.push(labelled('Input', prettyJson(llm.input), post, 'detail-input'));
  if (llm.output !== undefined) children.push(labelled('Output', prettyJson(llm.output), post, 'detail-output'));
  const replayable = replayRefusal(llm) === undefined;
  return section(SECTION_TITLES[llm.operation], 'llm-summary', children, { actions: replayable ? [replayButton(span, post)] : [], alwaysShowActions: replayable });
}

/** Opens the call's replay: its request, editable, sent again beside this answer. */
function replayButton(span: Span, post: Post): HTMLElement {
  const button = el('button', { className: 'link-button replay-button', testId: 'detail-replay', title: 'Edit this request and send it again', attrs: { type: 'button' } }, [
    codicon('debug-rerun'),
    'Replay',
  ]);
  button.addEventListener('click', (e) => {
    e.stopPropagation(); // in the collapsible's header: replay, do not fold
    post({ type: 'replay', traceId: span.traceId, spanId: span.spanId });
  });
  return button;
}

/** The section is named for what the span is: a retriever's or a workflow step's is no LLM call. */
const SECTION_TITLES: Readonly<Record<LlmCall['operation'], string>> = {
  chat: 'LLM call',
  text_completion: 'LLM call',
  responses: 'LLM call',
  generate_content: 'LLM call',
  embeddings: 'Embeddings call',
  tool: 'Tool call',
  agent: 'Agent run',
  retrieval: 'Retrieval',
  rerank: 'Rerank',
  workflow: 'Workflow step',
  other: 'GenAI operation',
};

function labelled(label: string, text: string, post: Post, testId: string): HTMLElement {
  return el('div', { className: 'labelled', testId }, [
    el('div', { className: 'labelled-head' }, [el('h3', { text: label }), copyButton(text, label.toLowerCase(), post)]),
    longText(text, { className: 'json' }),
  ]);
}
