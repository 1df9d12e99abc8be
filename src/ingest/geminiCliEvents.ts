// Gemini CLI's events as spans. With its telemetry on and its traces off (the default of the releases
// that export traces only when asked), Gemini CLI sends what it does as log records without span ids
// (packages/core/src/telemetry/types.ts): `gemini_cli.user_prompt` (`prompt_length`, `prompt` when
// prompts are logged), `gemini_cli.api_response` (`model`, `duration_ms`, `input_token_count`,
// `output_token_count`, `cached_content_token_count`, `thoughts_token_count`, `tool_token_count`,
// `response_text`), `gemini_cli.api_error` (`model`, `error`, `status_code`, `duration_ms`) and
// `gemini_cli.tool_call` (`function_name`, `function_args`, `duration_ms`, `success`, `decision`,
// `error`); each with `session.id`, `prompt_id` and `event.timestamp`, the name in `event.name`.
// Each prompt (its `prompt_id`) becomes a trace: a root covering it, a span per model call and per
// tool call. Like Claude Code's, the events name their prompt, so ids are derived from them and the
// root is widened as later exports bring more. The spans carry GenAI attributes, which genai.ts reads.
import type { RawLogRecord, RawSpan } from '../otlp/types';
import { MADE_FROM_EVENTS_ATTRIBUTE, type Attributes, type LlmUsage, type SpanStatus } from '../protocol/model';
import { asBoolean, asNumber, asString } from '../semconv/attributeReaders';
import { geminiUsage } from '../semconv/geminiContent';
import { USAGE_ATTRIBUTES } from '../semconv/genai';
import {
  agentTurnAttributes,
  copyAttributes,
  copyString,
  eventEnd,
  eventSpan,
  hashId,
  promptName,
  shortError,
  startBefore,
  widenRoot,
  type AgentEvents,
  type PromptSpans,
} from './eventSpans';

const PREFIX = 'gemini_cli.';
const GEMINI_CLI_EVENTS = 'gemini_cli events';
const KINDS: ReadonlySet<string> = new Set(['user_prompt', 'api_response', 'api_error', 'tool_call']);

export const geminiCliEvents: AgentEvents = {
  accepts: (record) => !record.spanId && eventKind(record) !== undefined && asString(record.attributes['session.id']) !== undefined,
  spansOf: (records) => spansOf(records),
  mergeRoot: (stored, latest) => widenRoot(stored, latest, rootName),
};

function spansOf(records: readonly RawLogRecord[]): PromptSpans[] {
  const prompts = new Map<string, PromptSpans>();
  for (const record of records) {
    const kind = eventKind(record);
    const session = asString(record.attributes['session.id']);
    if (!kind || !session || record.spanId) continue;
    const prompt = asString(record.attributes['prompt_id']) ?? '';
    const traceId = hashId(32, 'gemini_cli', session, prompt);
    const end = eventEnd(record);
    const start = startBefore(end, record.attributes['duration_ms']);
    const root = rootSpan(record, kind, traceId, hashId(16, 'gemini_cli', traceId, 'root'), start, end);
    let group = prompts.get(traceId);
    if (!group) prompts.set(traceId, (group = { root, children: [] }));
    else group.root = geminiCliEvents.mergeRoot(group.root, root);
    const child = childSpan(kind, record, group.root, start, end);
    if (child) group.children.push(child);
  }
  return [...prompts.values()];
}

/** The event's kind, from `event.name` (the record's own event name in releases that set it). */
function eventKind(record: RawLogRecord): string | undefined {
  const full = asString(record.attributes['event.name']) ?? record.eventName;
  if (!full?.startsWith(PREFIX)) return undefined;
  const kind = full.slice(PREFIX.length);
  return KINDS.has(kind) ? kind : undefined;
}

function rootName(attributes: Attributes): string {
  return promptName(asString(attributes['prompt']), 'invoke_agent Gemini CLI');
}

function rootSpan(record: RawLogRecord, kind: string, traceId: string, spanId: string, start: string, end: string): RawSpan {
  const a = record.attributes;
  const attributes = agentTurnAttributes('gemini-cli', a['session.id'], GEMINI_CLI_EVENTS, kind === 'user_prompt' ? asString(a['prompt']) : undefined);
  copyAttributes(a, attributes, ['session.id', 'prompt_id', 'installation.id']);
  if (kind === 'user_prompt') copyAttributes(a, attributes, ['prompt_length', 'auth_type']);
  return eventSpan(record, { traceId, spanId, name: rootName(attributes), start, end, attributes });
}

function childSpan(kind: string, record: RawLogRecord, root: RawSpan, start: string, end: string): RawSpan | undefined {
  const a = record.attributes;
  // Newer releases may name the model, and count tokens, in GenAI's attributes instead (copied onto the span as they are).
  const model = asString(a['model']) ?? asString(a['gen_ai.response.model']) ?? asString(a['gen_ai.request.model']);
  const modelCall: Attributes = { 'gen_ai.operation.name': 'generate_content', 'gen_ai.provider.name': 'gcp.gen_ai', ...(model ? { 'gen_ai.request.model': model } : {}) };
  const child = (name: string, attributes: Attributes, status?: SpanStatus): RawSpan =>
    eventSpan(record, {
      traceId: root.traceId,
      // No sequence number: the event's time, kind and fields tell it apart (an exporter retry repeats all three).
      spanId: hashId(16, 'gemini_cli', root.traceId, kind, end, JSON.stringify(a)),
      parentSpanId: root.spanId,
      name,
      start,
      end,
      attributes: { ...a, ...attributes, [MADE_FROM_EVENTS_ATTRIBUTE]: GEMINI_CLI_EVENTS },
      status,
    });
  switch (kind) {
    case 'api_response': {
      // Its counts are Gemini's usage_metadata under other names, and add up the same way.
      const usage = usageAttributes(
        geminiUsage({
          prompt: a['input_token_count'],
          toolPrompt: a['tool_token_count'],
          candidates: a['output_token_count'],
          thoughts: a['thoughts_token_count'],
          cached: a['cached_content_token_count'],
        }),
      );
      const text = asString(a['response_text']);
      if (text !== undefined) usage['gen_ai.output.messages'] = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]);
      return child(`generate_content ${model ?? 'gemini'}`, { ...modelCall, ...usage });
    }
    case 'api_error': {
      const status = asNumber(a['status_code']);
      return child(`generate_content ${model ?? 'gemini'}`, modelCall, { code: 'ERROR', message: shortError(asString(a['error']) ?? `HTTP ${status ?? 'error'}`) });
    }
    case 'tool_call': {
      const tool = asString(a['function_name']) ?? 'tool';
      const attributes: Attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool };
      copyString(a, 'function_args', attributes, 'gen_ai.tool.call.arguments');
      // A call the user refused never ran: it has no duration, and is not an error of the tool's.
      const refused = asString(a['decision']) === 'reject';
      const failed = !refused && asBoolean(a['success']) === false;
      const status: SpanStatus | undefined = failed ? { code: 'ERROR', message: shortError(asString(a['error']) ?? 'tool failed') } : undefined;
      return child(`execute_tool ${tool}`, attributes, status);
    }
    default:
      return undefined;
  }
}

/** The contract's usage under GenAI's attribute names, which genai.ts reads back. */
function usageAttributes(usage: LlmUsage): Attributes {
  const attributes: Attributes = {};
  for (const [field, attribute] of USAGE_ATTRIBUTES) if (usage[field] !== undefined) attributes[attribute] = usage[field];
  return attributes;
}
