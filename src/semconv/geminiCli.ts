// Gemini CLI (google-gemini/gemini-cli, tracer `gemini-cli`) traces each model call, tool call and
// subagent once its telemetry is on. Its spans use GenAI's attribute names with values of its own
// (packages/core/src/telemetry/trace.ts and constants.ts): `gen_ai.operation.name`, also the span's
// name, is `llm_call`, `tool_call`, `agent_call`, `user_prompt`, `system_prompt` or
// `schedule_tool_calls`; `gen_ai.input.messages` / `.output.messages` hold as JSON whatever the step
// was given and returned: for a model call the request's Gemini `contents` and the answer's `Content`
// (or the streamed chunks' Contents), for a tool call its request (`{callId, name, args}`) and the
// completed call. `gen_ai.system_instructions` and `gen_ai.tool.definitions` are the request's
// `systemInstruction` and `tools`, in Gemini's shapes. The model and token usage are plain GenAI
// attributes, which genai.ts reads; this module runs before it, so its messages and tools win.
import type { JsonValue, LlmMessage, LlmOperation } from '../protocol/model';
import { asString, isObject, textOf, type JsonParse } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { geminiMessage, geminiMessages, geminiProvider, geminiSystemMessage, geminiToolDefinitions } from './geminiContent';
import { textMessage } from './messageParts';
import { readSerialized } from './serializedMessages';

const OPERATIONS: Readonly<Record<string, LlmOperation>> = {
  llm_call: 'generate_content',
  tool_call: 'tool',
  agent_call: 'agent',
  user_prompt: 'other',
  system_prompt: 'other',
  schedule_tool_calls: 'other',
};

export function normalizeGeminiCli(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const name = asString(a['gen_ai.operation.name']);
  const operation = name !== undefined && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (!operation) return undefined;
  // Its message attributes hold its own shapes, or no messages at all (a tool's request): GenAI must not read them.
  const fragment: LlmCallFragment = { convention: 'gemini-cli', operation, ownsMessages: true };
  // Gemini CLI JSON-encodes every input and output, a plain prompt too.
  const input = readSerialized(a['gen_ai.input.messages']);
  const output = readSerialized(a['gen_ai.output.messages']);
  if (operation === 'generate_content') {
    fragment.provider = geminiProvider(asString(a['gen_ai.request.model']));
    // Prepended to the conversation by mergeFragments, and in place of GenAI's reading of the same attribute.
    fragment.systemMessage = geminiSystemMessage(parsedValue(readSerialized(a['gen_ai.system_instructions'])));
    const contents = requestMessages(input);
    if (contents.length > 0) fragment.inputMessages = contents;
    const answer = answerMessage(output);
    if (answer) fragment.outputMessages = [answer];
    const tools = geminiToolDefinitions(parsedValue(readSerialized(a['gen_ai.tool.definitions'])));
    if (tools.length > 0) fragment.params = { tools };
    return fragment;
  }
  if (operation === 'tool') {
    const request = parsedValue(input);
    fragment.tool = {
      name: asString(a['gen_ai.tool.name']) ?? (isObject(request) ? asString(request.name) : undefined) ?? view.name,
      callId: asString(a['gen_ai.tool.call.id']),
      arguments: isObject(request) && request.args !== undefined ? textOf(request.args) : rawText(input),
      result: toolResult(output),
    };
    return fragment;
  }
  fragment.input = rawText(input);
  fragment.output = rawText(output);
  return fragment;
}

function parsedValue(parsed: JsonParse | undefined): JsonValue | undefined {
  return parsed?.ok ? parsed.value : undefined;
}

/** The text as recorded: JSON as JSON, and what Gemini CLI cut short (`…[TRUNCATED: …]`) as it is. */
function rawText(parsed: JsonParse | undefined): string | undefined {
  if (!parsed) return undefined;
  return parsed.ok ? textOf(parsed.value) : parsed.raw;
}

/** The request's contents: a list of Contents, one Content, or a plain prompt. */
function requestMessages(parsed: JsonParse | undefined): LlmMessage[] {
  if (!parsed) return [];
  if (!parsed.ok) return [textMessage('user', parsed.raw)];
  const v = parsed.value;
  if (typeof v === 'string') return [textMessage('user', v)];
  if (Array.isArray(v)) return geminiMessages(v);
  const one = geminiMessage(v);
  return one ? [one] : [];
}

/** The answer's Content, or the Contents of a streamed answer's chunks, as one assistant message. */
function answerMessage(parsed: JsonParse | undefined): LlmMessage | undefined {
  if (!parsed) return undefined;
  if (!parsed.ok) return textMessage('assistant', parsed.raw);
  const v = parsed.value;
  if (!Array.isArray(v)) return geminiMessage(v);
  // Each chunk carries the next piece of the text: pieces are joined as they came, not as paragraphs.
  const parts: JsonValue[] = [];
  for (const chunk of v) {
    for (const part of isObject(chunk) && Array.isArray(chunk.parts) ? chunk.parts : []) {
      const last = parts[parts.length - 1];
      if (isObject(part) && typeof part.text === 'string' && isObject(last) && typeof last.text === 'string' && last.thought === part.thought) {
        parts[parts.length - 1] = { ...last, text: last.text + part.text };
      } else parts.push(part);
    }
  }
  return parts.length > 0 ? geminiMessage({ role: 'model', parts }) : undefined;
}

/**
 * A completed tool call (`{status, response: {responseParts, resultDisplay, error}}`): what the model
 * was given back (its function responses), else what the user was shown, else the record as it is.
 */
function toolResult(parsed: JsonParse | undefined): string | undefined {
  const v = parsedValue(parsed);
  const response = isObject(v) && isObject(v.response) ? v.response : undefined;
  if (response) {
    const results = (Array.isArray(response.responseParts) ? response.responseParts : [])
      .map((p) => (isObject(p) && isObject(p.functionResponse) ? p.functionResponse.response : undefined))
      .filter((r) => r !== undefined);
    if (results.length > 0) return results.map((r) => textOf(r)).join('\n');
    if (typeof response.resultDisplay === 'string') return response.resultDisplay;
  }
  return rawText(parsed);
}
