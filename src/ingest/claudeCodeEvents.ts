// Claude Code's events as spans. Claude Code sends what it does as OTLP log records (`claude_code.*`
// events: the user's prompt, each model call with its tokens, each tool use), with no trace or span
// ids unless its tracing beta is on. Without this, a user who points Claude Code at Spanlight, as the
// Claude Code docs describe, would see nothing. Each user prompt becomes a trace (the events share its
// `prompt.id`): a root covering it, and a span per model call and tool use. They have the `span.type`
// and attributes of Claude Code's own spans (interaction, llm_request, tool), so one convention module
// reads both (semconv/claudeCode.ts), and GenAI's names (`chat <model>`, `execute_tool <tool>`; the root
// is named by the prompt's first line when its text was sent), which tell the rows of a tree apart.
//
// Events of one prompt arrive over several exports (Claude Code's logs export every 5 s), so ids are
// derived from the events (same prompt → same trace), and the root is widened as later events arrive
// (mergeRoot, with the version already stored).
import type { RawLogRecord, RawSpan } from '../otlp/types';
import { MADE_FROM_EVENTS_ATTRIBUTE, type Attributes, type SpanStatus } from '../protocol/model';
import { asBoolean, asNumber, asString } from '../semconv/attributeReaders';
import { CLAUDE_CODE_EVENTS, CLAUDE_CODE_SPAN_PREFIX } from '../semconv/claudeCode';
import { copyAttributes, eventEnd, eventSpan, hashId, promptName, startBefore, widenRoot, type AgentEvents, type PromptSpans } from './eventSpans';

const EVENTS_SCOPE = 'com.anthropic.claude_code.events';

export const claudeCodeEvents: AgentEvents = {
  accepts: (record) => isSpanlessClaudeCodeEvent(record),
  spansOf: (records) => spansOfClaudeCodeEvents(records),
  mergeRoot: (stored, latest) => mergeRoot(stored, latest),
};

/** A Claude Code event not tied to a span: with tracing on, its span holds what it says. */
export function isSpanlessClaudeCodeEvent(record: RawLogRecord): boolean {
  return !record.spanId && eventKind(record) !== undefined;
}

/** Claude Code events grouped by prompt, as spans. Events of other kinds, or without a session, make none. */
export function spansOfClaudeCodeEvents(records: readonly RawLogRecord[]): PromptSpans[] {
  const prompts = new Map<string, PromptSpans>();
  for (const record of records) {
    const kind = eventKind(record);
    const session = asString(record.attributes['session.id']);
    if (!kind || !session || record.spanId) continue;
    // Versions before `prompt.id` only say the session: one trace for all of it.
    const prompt = asString(record.attributes['prompt.id']) ?? '';
    const traceId = hashId(32, 'claude_code', session, prompt);
    let group = prompts.get(traceId);
    const end = eventEnd(record);
    const start = startBefore(end, record.attributes['duration_ms']);
    if (!group) {
      group = { root: rootSpan(record, traceId, hashId(16, 'claude_code', session, prompt, 'root'), start, end), children: [] };
      prompts.set(traceId, group);
    } else {
      group.root = mergeRoot(group.root, rootSpan(record, traceId, group.root.spanId, start, end));
    }
    const child = childSpan(kind, record, group.root, start, end);
    if (child) group.children.push(child);
  }
  return [...prompts.values()];
}

/** The root covering both versions' events, with the prompt's text (and name) from whichever has it. */
export function mergeRoot(stored: RawSpan, latest: RawSpan): RawSpan {
  return widenRoot(stored, latest, rootName);
}

function rootName(attributes: Attributes): string {
  return promptName(asString(attributes['user_prompt']), 'invoke_agent Claude Code');
}

type EventKind = 'user_prompt' | 'api_request' | 'api_error' | 'tool_result' | 'tool_decision';
const KINDS: ReadonlySet<string> = new Set<EventKind>(['user_prompt', 'api_request', 'api_error', 'tool_result', 'tool_decision']);

/** The event's kind: its name (`api_request`; older versions `claude_code.api_request`), or its body, which is the full name. */
function eventKind(record: RawLogRecord): EventKind | undefined {
  // Claude's Cowork (the desktop app's agent) documents the same events under its own service name.
  const fromScope = record.scope.name === EVENTS_SCOPE || record.resource['service.name'] === 'cowork';
  const body = typeof record.body === 'string' && record.body.startsWith(CLAUDE_CODE_SPAN_PREFIX) ? record.body.slice(CLAUDE_CODE_SPAN_PREFIX.length) : undefined;
  let name = record.eventName;
  if (name?.startsWith(CLAUDE_CODE_SPAN_PREFIX)) name = name.slice(CLAUDE_CODE_SPAN_PREFIX.length);
  else if (!fromScope && body === undefined) return undefined;
  name ??= body;
  return name !== undefined && KINDS.has(name) ? (name as EventKind) : undefined;
}

function rootSpan(record: RawLogRecord, traceId: string, spanId: string, start: string, end: string): RawSpan {
  const a = record.attributes;
  const attributes: Attributes = { 'span.type': 'interaction', [MADE_FROM_EVENTS_ATTRIBUTE]: CLAUDE_CODE_EVENTS };
  copyAttributes(a, attributes, ['session.id', 'prompt.id', 'terminal.type', 'user.id', 'organization.id']);
  Object.assign(attributes, promptAttributes(a, eventKind(record)));
  return eventSpan(record, { traceId, spanId, name: rootName(attributes), start, end, attributes });
}

/** What a `user_prompt` event tells of its prompt, under the names of Claude Code's interaction span. */
function promptAttributes(a: Attributes, kind: EventKind | undefined): Attributes {
  if (kind !== 'user_prompt') return {};
  const out: Attributes = {};
  if (a['user_prompt'] !== undefined) out['user_prompt'] = a['user_prompt'];
  else if (a['prompt'] !== undefined) out['user_prompt'] = a['prompt'];
  if (a['user_prompt_length'] !== undefined) out['user_prompt_length'] = a['user_prompt_length'];
  else if (a['prompt_length'] !== undefined) out['user_prompt_length'] = a['prompt_length'];
  return out;
}

function childSpan(kind: EventKind, record: RawLogRecord, root: RawSpan, start: string, end: string): RawSpan | undefined {
  const a = record.attributes;
  let type: 'llm_request' | 'tool';
  let status: SpanStatus = { code: 'UNSET' };
  switch (kind) {
    case 'user_prompt':
      return undefined;
    case 'api_request':
      type = 'llm_request';
      break;
    case 'api_error': {
      type = 'llm_request';
      const httpStatus = asNumber(a['status_code']);
      status = { code: 'ERROR', message: asString(a['error']) ?? (httpStatus === undefined ? 'API error' : `HTTP ${httpStatus}`) };
      break;
    }
    case 'tool_result':
      type = 'tool';
      if (asBoolean(a['success']) === false) status = { code: 'ERROR', message: asString(a['error']) ?? 'tool failed' };
      break;
    case 'tool_decision':
      // An accepted tool use is followed by its tool_result; only a rejected one would otherwise leave no trace.
      if (asString(a['decision']) !== 'reject') return undefined;
      type = 'tool';
      break;
  }
  // `event.sequence` numbers a session's events (within its trace: a resumed session may count again);
  // without it the record's own time and name tell it apart.
  const sequence = a['event.sequence'];
  const spanId = hashId(16, 'claude_code', root.traceId, sequence === undefined ? `${record.timeUnixNano}:${kind}:${JSON.stringify(a)}` : String(sequence));
  const attributes: Attributes = { ...a, 'span.type': type, 'event.name': kind, [MADE_FROM_EVENTS_ATTRIBUTE]: CLAUDE_CODE_EVENTS };
  const name = type === 'llm_request' ? `chat ${asString(a['model']) ?? 'claude'}` : `execute_tool ${asString(a['tool_name']) ?? 'tool'}`;
  return eventSpan(record, { traceId: root.traceId, spanId, parentSpanId: root.spanId, name, start, end, attributes, status });
}
