// What the fake OpenAI server answers, decided from the request alone (no I/O, no clock, no randomness),
// so the same request always gets the same reply: fixtures, replay tests and the demo stay stable.
// Shared by the Chat Completions and the Responses endpoints of test/support/fakeOpenAI.ts.
import { createHash } from 'node:crypto';

/** One message of the conversation, reduced to what the reply planner needs (endpoint-neutral). */
export interface ConversationMessage {
  role: string;
  text: string;
  /** Tool calls an assistant message made (ids and names), so a later tool result can be named. */
  toolCalls?: Array<{ id: string; name: string }>;
  /** For role `tool`: the call this message answers. */
  toolCallId?: string;
}

/**
 * The id of the first tool call that no later tool message answers: OpenAI's APIs refuse such a request
 * (a 400), so the fake does too, and a replay that sent one fails here as it would there.
 */
export function unansweredCallId(conversation: readonly ConversationMessage[]): string | undefined {
  const answered = new Set(conversation.filter((m) => m.role === 'tool').map((m) => m.toolCallId));
  return conversation.flatMap((m) => m.toolCalls ?? []).find((call) => !answered.has(call.id))?.id;
}

/** A function tool offered by the request. */
export interface OfferedTool {
  name: string;
  parameters?: unknown;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** `tool_choice` as both APIs send it: a mode, `{type:'function', function:{name}}` (chat) or `{type:'function', name}` (responses). */
export function parseToolChoice(choice: unknown): ToolChoice {
  if (choice === 'none' || choice === 'required' || choice === 'auto') return choice;
  const record = asRecord(choice);
  const named = asRecord(record?.function)?.name ?? record?.name;
  return typeof named === 'string' ? { name: named } : 'auto';
}

export interface PlannedToolCall {
  id: string;
  name: string;
  /** JSON text, as a model would produce it. */
  arguments: string;
}

export type PlannedTurn = { kind: 'text'; text: string } | { kind: 'tool_calls'; calls: PlannedToolCall[] };

export interface PlannedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

/** Requested alias → the dated snapshot the real API reports back as `model`, so request and response models differ as they do in production. */
const SNAPSHOTS: Record<string, string> = {
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  'o3-mini': 'o3-mini-2025-01-31',
  'o4-mini': 'o4-mini-2025-04-16',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-5-nano': 'gpt-5-nano-2025-08-07',
};

/** The models GET /v1/models lists. */
export const LISTED_MODELS: readonly string[] = [...Object.keys(SNAPSHOTS), 'text-embedding-3-small', 'text-embedding-3-large'];

export function responseModelFor(requestModel: string): string {
  return SNAPSHOTS[requestModel] ?? requestModel;
}

/** Reasoning models spend hidden tokens; the fake reports some so usage details are exercised. */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

/** Rough token count (4 characters a token, like OpenAI's rule of thumb); deterministic, never 0 for text. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** A short stable id derived from the request, so ids are identical across runs. */
export function stableId(prefix: string, ...seed: unknown[]): string {
  return prefix + createHash('sha256').update(JSON.stringify(seed)).digest('hex').slice(0, 24);
}

export function planUsage(model: string, conversation: ConversationMessage[], completionText: string): PlannedUsage {
  // 3 tokens of framing per message, as OpenAI's chat format adds.
  const promptTokens = conversation.reduce((sum, m) => sum + 3 + countTokens(m.text), 0);
  const reasoningTokens = isReasoningModel(model) ? 64 : 0;
  // OpenAI's completion_tokens already include reasoning_tokens.
  const completionTokens = countTokens(completionText) + reasoningTokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    // Not how OpenAI caches (it needs 1024+ tokens); chosen so every capture carries a non-zero cached count.
    cachedTokens: Math.floor(promptTokens / 2),
    reasoningTokens,
  };
}

/**
 * The assistant's next turn:
 * - tools offered, tool_choice not `none`, and the last message from the user → call a tool;
 * - the last message is a tool result → a text answer that quotes it;
 * - otherwise → a text answer that quotes the user's last message.
 * `choiceIndex` > 0 varies the text so `n` > 1 returns distinct choices.
 */
export function planTurn(
  conversation: ConversationMessage[],
  tools: OfferedTool[],
  toolChoice: ToolChoice,
  choiceIndex = 0,
): PlannedTurn {
  const last = conversation[conversation.length - 1];
  const variant = choiceIndex > 0 ? ` (variant ${choiceIndex + 1})` : '';
  if (last?.role === 'tool') {
    const toolName = findToolName(conversation, last.toolCallId) ?? 'the tool';
    return { kind: 'text', text: `According to ${toolName}: ${truncate(last.text, 200)}.${variant}` };
  }
  const tool = pickTool(tools, toolChoice);
  if (tool && last?.role === 'user') {
    return {
      kind: 'tool_calls',
      calls: [{ id: stableId('call_', conversation, tool.name, choiceIndex), name: tool.name, arguments: JSON.stringify(argumentsFor(tool, last.text)) }],
    };
  }
  const said = last ? truncate(last.text, 200) : '';
  return { kind: 'text', text: `This is a deterministic reply from the fake OpenAI server. You said: "${said}"${variant}` };
}

function pickTool(tools: OfferedTool[], toolChoice: ToolChoice): OfferedTool | undefined {
  if (toolChoice === 'none' || tools.length === 0) return undefined;
  if (typeof toolChoice === 'object') return tools.find((t) => t.name === toolChoice.name);
  return tools.find((t) => t.name === 'get_weather') ?? tools[0];
}

function findToolName(conversation: ConversationMessage[], callId: string | undefined): string | undefined {
  for (const message of conversation) {
    const call = message.toolCalls?.find((c) => c.id === callId);
    if (call) return call.name;
  }
  return undefined;
}

/**
 * Fills the tool's required JSON-schema properties with plausible values: a place name comes from
 * "… in Paris", an id from the first one the user wrote ("order A-30991", "ticket 48213").
 */
function argumentsFor(tool: OfferedTool, userText: string): Record<string, unknown> {
  const schema = asRecord(tool.parameters);
  const properties = asRecord(schema?.properties) ?? {};
  const required = Array.isArray(schema?.required) ? schema.required.filter((r): r is string => typeof r === 'string') : Object.keys(properties);
  const place = /\bin ([A-Z][\p{L}-]*(?: [A-Z][\p{L}-]*)*)/u.exec(userText)?.[1] ?? 'Paris';
  const identifier = /\b(?:[A-Z]+-\d+|\d{4,})\b/.exec(userText)?.[0];
  const args: Record<string, unknown> = {};
  for (const name of required) {
    const property = asRecord(properties[name]) ?? {};
    if (Array.isArray(property.enum) && property.enum.length > 0) args[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') args[name] = 1;
    else if (property.type === 'boolean') args[name] = true;
    else if (/location|city|place|where/i.test(name)) args[name] = place;
    else if (identifier && /(?:^|_)(?:id|number|ref)$/i.test(name)) args[name] = identifier;
    else args[name] = 'example';
  }
  return args;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
