// Claude Code, Anthropic's coding agent. Its tracing (beta) sends spans named `claude_code.<type>` with
// a `span.type` attribute: `interaction` (one user prompt, the root), `llm_request` (one model call),
// `tool` (one tool use) and its steps `tool.execution` / `tool.blocked_on_user`. Its attributes are its
// own, not `gen_ai.*` ones (tokens in `input_tokens`, `cache_read_tokens`…), so without this module its
// model calls would show neither tokens nor cost. Its events (OTLP log records, sent whether or not
// tracing is on) become spans of the same types and attributes (claudeCodeEvents.ts), read here too.
import { MADE_FROM_EVENTS_ATTRIBUTE, type JsonValue, type LlmUsage } from '../protocol/model';
import { asNumber, asString, nonNegative } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { reportedMs } from './firstToken';
import { usageOfPromptParts } from './requestBodies';

export const CLAUDE_CODE_SPAN_PREFIX = 'claude_code.';

/**
 * The MADE_FROM_EVENTS_ATTRIBUTE of spans Spanlight made of Claude Code's events: they are named as GenAI
 * names spans (`chat <model>`, `execute_tool <tool>`, the prompt for its root), which tells their rows
 * apart in a tree, so their name cannot say where they came from.
 */
export const CLAUDE_CODE_EVENTS = 'claude_code events';

type Attributes = SpanView['attributes'];

export function normalizeClaudeCode(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const ownSpan = view.name.startsWith(CLAUDE_CODE_SPAN_PREFIX);
  if (!ownSpan && a[MADE_FROM_EVENTS_ATTRIBUTE] !== CLAUDE_CODE_EVENTS) return undefined;
  switch (asString(a['span.type']) ?? (ownSpan ? view.name.slice(CLAUDE_CODE_SPAN_PREFIX.length) : undefined)) {
    case 'llm_request':
      return modelCall(view);
    case 'interaction':
      return { convention: 'claude-code', operation: 'agent', input: asString(a['user_prompt']) };
    case 'tool':
      return toolUse(a);
    default:
      // A tool's execution and permission wait: steps of the tool span above them, nothing of their own.
      return undefined;
  }
}

function modelCall(view: SpanView): LlmCallFragment {
  const a = view.attributes;
  const stopReason = asString(a['stop_reason']);
  const effort = asString(a['effort']);
  return {
    convention: 'claude-code',
    operation: 'chat',
    // Bedrock and Vertex runs say so in `gen_ai.system`, which the GenAI module reads; Anthropic's API otherwise.
    provider: a['gen_ai.system'] === undefined && a['gen_ai.provider.name'] === undefined ? 'anthropic' : undefined,
    requestModel: asString(a['model']),
    usage: usageOf(a),
    finishReasons: stopReason ? [stopReason] : undefined,
    params: effort ? { effort } : undefined,
    // Claude Code's own figure (its events have it; its spans do not).
    reportedCostUsd: nonNegative(asNumber(a['cost_usd'])),
    timeToFirstTokenMs: reportedMs(view, a['ttft_ms'], 1),
  };
}

function usageOf(a: Attributes): LlmUsage | undefined {
  return usageOfPromptParts(asNumber(a['input_tokens']), asNumber(a['cache_read_tokens']), asNumber(a['cache_creation_tokens']), asNumber(a['output_tokens']));
}

function toolUse(a: Attributes): LlmCallFragment {
  const name = asString(a['tool_name']) ?? asString(a['tool_name_safe']);
  return {
    convention: 'claude-code',
    operation: 'tool',
    tool: name
      ? {
          name,
          callId: asString(a['gen_ai.tool.call.id']) ?? asString(a['tool_use_id']),
          // The full input when Claude Code is told to log it (OTEL_LOG_TOOL_DETAILS), else the parameters it always sends.
          arguments: firstText(a['tool_input'], a['tool_parameters'], a['full_command']),
          result: asString(a['error']),
        }
      : undefined,
  };
}

function firstText(...values: (JsonValue | undefined)[]): string | undefined {
  for (const value of values) {
    const text = asString(value);
    if (text !== undefined) return text;
  }
  return undefined;
}
